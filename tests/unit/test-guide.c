/* SPDX-License-Identifier: MIT */
/* The plan of a guided break (daemon/guide.h): which exercises, and how their
 * steps fit the break's duration. */
#include "exercises.h"
#include "guide.h"
#include "policy.h"
#include "testutil.h"
#include "value.h"

#define S USEC_PER_SEC
#define M (60 * S)

/* Exercises by name, each a list of step lengths (µs), 0-terminated. */
struct fake {
        const char *id;
        uint64_t steps[4];
};

/* clang-format off */
static const struct fake fakes[] = {
        { "chin", { 25 * S } },                /* a held stretch */
        { "neck", { 25 * S, 25 * S } },        /* right side, then left */
        { "walk", { 2 * M } },                 /* a short walk */
        { "breathe", { 30 * S } },             /* exactly a posture break */
        { "rolls", { 20 * S } },               /* shoulder rolls: 5 × 4 s */
        { "calf", { 25 * S, 25 * S } },        /* two sides */
        { "look", { 20 * S, 10 * S } },        /* far, then blink */
};
/* clang-format on */

static struct exercise *make(const struct fake *f)
{
        struct exercise *e = xcalloc(1, sizeof(*e));

        e->id = xstrdup(f->id);
        while (e->n_steps < 4 && f->steps[e->n_steps])
                e->n_steps++;
        e->steps = xcalloc(e->n_steps, sizeof(*e->steps));
        for (size_t i = 0; i < e->n_steps; i++)
                e->steps[i].hold = f->steps[i];
        return e;
}

/* "neck" -> its exercise, made once. */
static const struct exercise *ex(const char *id)
{
        static struct exercise *made[ELEMENTSOF(fakes)];

        for (size_t i = 0; i < ELEMENTSOF(fakes); i++) {
                if (!streq(fakes[i].id, id))
                        continue;
                if (!made[i])
                        made[i] = make(&fakes[i]);
                return made[i];
        }
        fail_msg("no fake exercise %s", id);
        return NULL;
}

struct layout_case {
        const char *name;
        const char *pool[8]; /* ids, NULL-terminated */
        size_t first;
        unsigned want;
        uint64_t duration;
        size_t max; /* 0: GUIDE_SLOTS_MAX */
        /* The expected plan: "id#step@start-end" per slot (seconds), "-" for
         * the closing one; and where the next break starts looking. */
        const char *expect;
        size_t next;
};

/* clang-format off */
static const struct layout_case cases[] = {
        { "a movement break: three exercises end to end, then keep moving",
          { "chin", "neck", "walk" }, 0, 3, 5 * M, 0,
          "chin#0@0-25 neck#0@25-50 neck#1@50-75 walk#0@75-195 -@195-300", 0 },
        { "the next break starts further on: consecutive breaks differ",
          { "chin", "neck", "walk", "calf" }, 1, 2, 5 * M, 0,
          "neck#0@0-25 neck#1@25-50 walk#0@50-170 -@170-300", 3 },
        { "looking wraps around the pool",
          { "chin", "neck", "walk", "calf" }, 3, 2, 5 * M, 0,
          "calf#0@0-25 calf#1@25-50 chin#0@50-75 -@75-300", 1 },
        { "a posture break: one exercise that fits its 30 s; the walk is passed over",
          { "walk", "chin", "breathe" }, 0, 1, 30 * S, 0,
          "chin#0@0-25 -@25-30", 2 },
        { "an exercise that fills the break exactly leaves no closing step",
          { "breathe" }, 0, 1, 30 * S, 0,
          "breathe#0@0-30", 0 },
        { "two steps fill it exactly",
          { "look" }, 0, 1, 30 * S, 0,
          "look#0@0-20 look#1@20-30", 0 },
        { "whole exercises only: both sides of a stretch or neither",
          { "walk", "neck", "rolls" }, 0, 3, 2 * M + 40 * S, 0,
          "walk#0@0-120 rolls#0@120-140 -@140-160", 0 },
        { "nothing fits: the whole break is the closing step",
          { "walk", "neck" }, 0, 2, 40 * S, 0,
          "-@0-40", 0 },
        { "no exercises at all: unguided, one closing step",
          { NULL }, 5, 3, 5 * M, 0,
          "-@0-300", 0 },
        { "fewer exercises than wanted: each one once",
          { "chin", "rolls" }, 1, 5, 5 * M, 0,
          "rolls#0@0-20 chin#0@20-45 -@45-300", 1 },
        { "a long break takes what fits and stops at want",
          { "chin", "neck", "walk", "calf", "rolls", "look" }, 2, 4, 10 * M, 0,
          "walk#0@0-120 calf#0@120-145 calf#1@145-170 rolls#0@170-190 look#0@190-210 look#1@210-220 -@220-600", 0 },
        { "want 0 takes nothing",
          { "chin" }, 0, 0, 5 * M, 0,
          "-@0-300", 0 },
        { "want is capped at GUIDE_EXERCISES_MAX",
          { "chin", "rolls", "chin", "rolls", "chin", "rolls", "chin" }, 0, 100, 10 * M, 0,
          "chin#0@0-25 rolls#0@25-45 chin#0@45-70 rolls#0@70-90 chin#0@90-115 rolls#0@115-135 chin#0@135-160 "
          "-@160-600", 0 },
        { "room for slots: an exercise that would overflow is passed over",
          { "neck", "chin", "rolls" }, 0, 3, 5 * M, 3,
          "neck#0@0-25 neck#1@25-50 -@50-300", 0 },
};
/* clang-format on */

static void plan_text(const struct guide_slot *v, size_t n, char *buf, size_t size)
{
        size_t used = 0;

        buf[0] = '\0';
        for (size_t i = 0; i < n; i++) {
                int w;
                if (v[i].ex)
                        w = snprintf(buf + used, size - used, "%s%s#%zu@%llu-%llu", i ? " " : "", v[i].ex->id,
                                     v[i].step, (unsigned long long) (v[i].start / S),
                                     (unsigned long long) (v[i].end / S));
                else
                        w = snprintf(buf + used, size - used, "%s-@%llu-%llu", i ? " " : "",
                                     (unsigned long long) (v[i].start / S), (unsigned long long) (v[i].end / S));
                assert_true(w > 0 && (size_t) w < size - used);
                used += (size_t) w;
        }
}

static void test_layout(void **state)
{
        for (size_t c = 0; c < ELEMENTSOF(cases); c++) {
                const struct layout_case *tc = &cases[c];
                const struct exercise *pool[8];
                struct guide_slot v[GUIDE_SLOTS_MAX];
                size_t n = 0, slots, next = 99;
                char got[1024];

                while (tc->pool[n]) {
                        pool[n] = ex(tc->pool[n]);
                        n++;
                }
                slots = guide_layout(pool, n, tc->first, tc->want, tc->duration, v, tc->max ? tc->max : GUIDE_SLOTS_MAX,
                                     &next);
                plan_text(v, slots, got, sizeof(got));
                if (!streq(got, tc->expect) || next != tc->next)
                        fail_msg("%s:\n  got    %s (next %zu)\n  wanted %s (next %zu)", tc->name, got, next, tc->expect,
                                 tc->next);
                /* Every plan covers the break without gap or overlap. */
                assert_int_equal(v[0].start, 0);
                assert_int_equal(v[slots - 1].end, tc->duration);
                for (size_t i = 1; i < slots; i++)
                        assert_int_equal(v[i].start, v[i - 1].end);
        }
}

/* The step on screen is the one whose span holds the away time elapsed: a
 * hold ends at its end, and the next step begins there. */
static void test_step_at(void **state)
{
        const struct exercise *pool[] = { ex("chin"), ex("neck") };
        struct guide_slot v[GUIDE_SLOTS_MAX];
        size_t n = guide_layout(pool, 2, 0, 2, 2 * M, v, GUIDE_SLOTS_MAX, NULL);
        uint64_t ends[GUIDE_SLOTS_MAX];
        static const struct {
                uint64_t elapsed;
                size_t slot;
        } at[] = {
                { 0, 0 },      { 25 * S - 1, 0 }, { 25 * S, 1 },  { 49 * S, 1 }, { 50 * S, 2 },
                { 75 * S, 3 }, { 119 * S, 3 },    { 120 * S, 3 }, { 10 * M, 3 },
        };

        assert_int_equal(n, 4); /* chin, neck right, neck left, keep moving */
        for (size_t i = 0; i < n; i++)
                ends[i] = v[i].end;
        for (size_t i = 0; i < ELEMENTSOF(at); i++)
                if (guide_step_at(ends, n, at[i].elapsed) != at[i].slot)
                        fail_msg("at %llu µs: slot %zu, wanted %zu", (unsigned long long) at[i].elapsed,
                                 guide_step_at(ends, n, at[i].elapsed), at[i].slot);
        assert_int_equal(guide_step_at(ends, 0, 5 * S), 0);
}

/* The shipped catalogue lays out as a person would expect with the default
 * policy: three exercises in five minutes, one in thirty seconds. */
static void test_shipped_catalogue_fits_the_defaults(void **state)
{
        const char *src = getenv("LIMBER_SRCDIR");
        _cleanup_(freep) char *dir = xasprintf("%s/config/exercises", src ? src : ".");
        struct exercise_opts opts = { .root = "/nonexistent", .shipped_dir = dir, .user_dir = "" };
        struct exercise_catalogue *cat = NULL;
        struct policy *p = policy_new();
        struct diags d;

        diags_init(&d);
        assert_int_equal(exercise_catalogue_load(&opts, &cat, &d), 0);
        diags_finish(&d);
        for (int k = KIND_POSTURE; k <= KIND_MOVEMENT; k++) {
                uint64_t duration = k == KIND_POSTURE ? 30 * S : 5 * M;
                unsigned want = k == KIND_POSTURE ? 1 : 3;
                const struct exercise **pool = NULL;
                size_t n = exercise_catalogue_select(cat, p, (enum kind) k, &pool);

                assert_true(n >= 3);
                /* Wherever the rotation starts, the break is guided in full. */
                for (size_t first = 0; first < n; first++) {
                        struct guide_slot v[GUIDE_SLOTS_MAX];
                        size_t slots = guide_layout(pool, n, first, want, duration, v, GUIDE_SLOTS_MAX, NULL);
                        const struct exercise *seen[GUIDE_EXERCISES_MAX] = { 0 };
                        size_t exercises = 0;

                        for (size_t i = 0; i < slots; i++)
                                if (v[i].ex && (!exercises || seen[exercises - 1] != v[i].ex))
                                        seen[exercises++] = v[i].ex;
                        if (exercises != want)
                                fail_msg("%s from %s: %zu exercises", kind_names[k], pool[first]->id, exercises);
                }
                free(pool);
        }
        exercise_catalogue_free(cat);
        policy_free(p);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_layout),
                cmocka_unit_test(test_step_at),
                cmocka_unit_test(test_shipped_catalogue_fits_the_defaults),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
