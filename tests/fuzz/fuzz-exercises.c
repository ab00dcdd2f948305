/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the exercise file parser (config/exercises.h).
 *
 * The input is one exercise file's text, parsed under a name that does not
 * bind the id. A file that parses must hold what the format promises (an
 * id, a title, kinds, 1 to 20 steps, each held or counted within range,
 * valid UTF-8 without control characters), parse again under its catalogue
 * name (ID.exercise) to the same exercise, and give a text in any language.
 * A file that does not parse must say why: at least one error. Every
 * diagnostic must format. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "exercises.h"
#include "util.h"
#include "value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                                    \
        do {                                                                                                           \
                if (!(cond)) {                                                                                         \
                        fprintf(stderr, "fuzz-exercises: %s:%d: %s\n", __FILE__, __LINE__, #cond);                     \
                        abort();                                                                                       \
                }                                                                                                      \
        } while (0)

static void check_string(const char *s)
{
        CHECK(s && *s);
        for (const char *c = s; *c; c++)
                CHECK((unsigned char) *c >= 0x20 && *c != 0x7f);
}

static void check_text(const struct exercise_text *t)
{
        static const char *const langs[][4] = {
                { "de_AT.UTF-8", "fr", NULL },
                { "sr_RS@latin", NULL },
                { "C", "de", NULL },
                { "", "pt_BR", NULL },
        };

        check_string(t->text);
        for (size_t i = 0; i < t->n_tr; i++) {
                check_string(t->tr[i].lang);
                check_string(t->tr[i].text);
        }
        for (size_t i = 0; i < ELEMENTSOF(langs); i++)
                check_string(exercise_text_get(t, langs[i]));
}

static void check_exercise(const struct exercise *e)
{
        CHECK(id_valid(e->id, strlen(e->id)) && strcmp(e->id, "all") != 0);
        check_text(&e->title);
        if (e->note.text)
                check_text(&e->note);
        CHECK(e->kinds && !(e->kinds & ~((1u << N_KINDS) - 1)));
        CHECK(e->n_steps >= 1 && e->n_steps <= EXERCISE_STEPS_MAX);
        for (size_t i = 0; i < e->n_steps; i++) {
                const struct exercise_step *s = &e->steps[i];

                check_text(&s->what);
                CHECK(!s->hold != !s->count);
                if (s->hold)
                        CHECK(s->hold >= EXERCISE_HOLD_MIN && s->hold <= EXERCISE_HOLD_MAX && !s->each);
                else
                        CHECK(s->count <= EXERCISE_COUNT_MAX && s->each >= EXERCISE_EACH_MIN &&
                              s->each <= EXERCISE_EACH_MAX);
                CHECK(exercise_step_duration(s) <= EXERCISE_HOLD_MAX);
        }
        CHECK(exercise_duration(e) <= EXERCISE_STEPS_MAX * EXERCISE_HOLD_MAX);
}

static void check_diags(const struct diags *d)
{
        char buf[1024];

        for (size_t i = 0; i < d->n; i++)
                (void) diag_format(&d->v[i], buf, sizeof(buf));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const char *buf = (const char *) data;
        struct exercise *e = NULL, *again = NULL;
        struct diags d;
        int r;

        diags_init(&d);
        r = exercise_parse("/fuzz/input.txt", buf, size, &e, &d);
        check_diags(&d);
        if (r < 0) {
                CHECK(!e && diags_count(&d, SEV_ERROR) > 0);
        } else {
                _cleanup_(freep) char *name = xasprintf("/fuzz/%s.exercise", e->id);
                struct diags d2;

                CHECK(e && diags_count(&d, SEV_ERROR) == 0);
                check_exercise(e);
                diags_init(&d2);
                CHECK(exercise_parse(name, buf, size, &again, &d2) == 0 && d2.n == 0);
                CHECK(strcmp(again->id, e->id) == 0 && again->n_steps == e->n_steps && again->kinds == e->kinds &&
                      exercise_duration(again) == exercise_duration(e));
                diags_finish(&d2);
        }
        exercise_free(again);
        exercise_free(e);
        diags_finish(&d);
        return 0;
}
