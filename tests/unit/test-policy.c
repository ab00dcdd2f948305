/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "policy.h"
#include "testutil.h"
#include "value.h"

/* A scratch tree with the system directories under root/ and the user file
 * under cfg/; every test gets a fresh one. */
struct fixture {
        char *dir;
        char *root;
        char *user;
};

static int setup(void **state)
{
        struct fixture *f = xcalloc(1, sizeof(*f));

        f->dir = tmpdir_new();
        f->root = xasprintf("%s/root", f->dir);
        f->user = xasprintf("%s/cfg/limber/limber.ini", f->dir);
        *state = f;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *f = *state;

        tmpdir_remove(f->dir);
        free(f->root);
        free(f->user);
        free(f);
        return 0;
}

static char *vendor(struct fixture *f, const char *name, const char *text)
{
        char *rel = xasprintf("root%s/%s", policy_vendor_dir, name);
        char *p = put_file(f->dir, rel, text);
        free(rel);
        return p;
}

static char *employer(struct fixture *f, const char *name, const char *text)
{
        char *rel = xasprintf("root%s/%s", policy_employer_dir, name);
        char *p = put_file(f->dir, rel, text);
        free(rel);
        return p;
}

static char *user(struct fixture *f, const char *text)
{
        return put_file(f->dir, "cfg/limber/limber.ini", text);
}

/* Loads every layer of the fixture; returns the number of errors. */
static int load(struct fixture *f, struct policy **p, struct diags *d)
{
        struct policy_opts o = { .root = f->root, .user_file = f->user };
        diags_init(d);
        return policy_load(&o, p, d);
}

/* Applies text as one file of the given scope on top of the defaults. */
static struct policy *apply_text(const char *text, enum scope scope, struct diags *d)
{
        struct policy *p = policy_new();
        diags_init(d);
        policy_apply_buffer(p, "test.ini", text, strlen(text), scope, d);
        policy_finish_layers(p, d);
        return p;
}

static void test_defaults(void **state)
{
        struct policy *p = policy_new();
        struct kind_policy k;

        for (int i = 0; i < N_KEYS; i++) {
                uint64_t v;
                assert_int_equal(key_parse((enum key_id) i, key_defs[i].def, &v, NULL), 0);
                assert_int_equal(p->s[i].origin.scope, SCOPE_BUILTIN);
                assert_false(p->s[i].locked);
        }
        policy_kind(p, KIND_POSTURE, &k);
        assert_true(k.enabled);
        assert_int_equal(k.interval, 20 * USEC_PER_MIN);
        assert_int_equal(k.duration, 30 * USEC_PER_SEC);
        policy_kind(p, KIND_MOVEMENT, &k);
        assert_true(k.enabled);
        assert_int_equal(k.interval, 50 * USEC_PER_MIN);
        assert_int_equal(k.duration, 5 * USEC_PER_MIN);
        policy_kind(p, KIND_PACING, &k);
        assert_false(k.enabled);
        assert_int_equal(policy_get(p, KEY_DAY_STARTS), 4 * 60);
        policy_free(p);
}

/* config/limber.ini documents every key with exactly its built-in default. */
static void test_shipped_ini_matches_schema(void **state)
{
        const char *src = getenv("LIMBER_SRCDIR");
        _cleanup_(freep) char *path = xasprintf("%s/config/limber.ini", src ? src : ".");
        _cleanup_(freep) char *buf = NULL;
        unsigned found[N_KEYS] = { 0 };
        char section[32] = "", *save = NULL;
        struct policy *p;
        struct diags d;
        size_t size;

        assert_int_equal(read_file(path, 1 << 20, &buf, &size), 0);

        /* It parses cleanly, as a vendor file. */
        p = apply_text(buf, SCOPE_VENDOR, &d);
        if (d.n)
                diags_dump(&d);
        assert_int_equal(d.n, 0);
        diags_finish(&d);
        policy_free(p);

        for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char name[64], value[64];
                int id;

                if (sscanf(line, "[%31[^]]]", section) == 1)
                        continue;
                if (sscanf(line, "#%63[a-z-] = %63[^\n]", name, value) != 2) /* a list has spaces */
                        continue;
                id = key_lookup(section, name);
                if (id < 0)
                        fail_msg("limber.ini documents [%s] %s, which is not in the schema", section, name);
                if (!streq(value, key_defs[id].def))
                        fail_msg("limber.ini: [%s] %s = %s, but the built-in default is %s", section, name, value,
                                 key_defs[id].def);
                found[id]++;
        }
        for (int i = 0; i < N_KEYS; i++)
                if (found[i] != 1)
                        fail_msg("limber.ini documents [%s] %s %u times (want once)", key_defs[i].section,
                                 key_defs[i].name, found[i]);
}

static void test_layers_override_in_order(void **state)
{
        struct fixture *f = *state;
        _cleanup_(freep) char *v = NULL, *e = NULL, *u = NULL;
        char ob[ORIGIN_BUF];
        struct policy *p;
        struct diags d;

        v = vendor(f, "10-vendor.ini", "[posture]\ninterval = 25m\n[movement]\ninterval = 45m\nduration = 6m\n");
        e = employer(f, "50-acme.ini", "[movement]\n\ninterval = 55m\n");
        u = user(f, "[movement]\nduration = 7m\n");

        assert_int_equal(load(f, &p, &d), 0);
        assert_int_equal(d.n, 0);

        /* vendor over built-in */
        assert_int_equal(policy_get(p, KEY_POSTURE_INTERVAL), 25 * USEC_PER_MIN);
        assert_int_equal(p->s[KEY_POSTURE_INTERVAL].origin.scope, SCOPE_VENDOR);
        assert_string_equal(p->s[KEY_POSTURE_INTERVAL].origin.path, v);
        assert_int_equal(p->s[KEY_POSTURE_INTERVAL].origin.line, 2);
        /* employer over vendor, with its own line */
        assert_int_equal(policy_get(p, KEY_MOVEMENT_INTERVAL), 55 * USEC_PER_MIN);
        assert_int_equal(p->s[KEY_MOVEMENT_INTERVAL].origin.scope, SCOPE_EMPLOYER);
        assert_int_equal(p->s[KEY_MOVEMENT_INTERVAL].origin.line, 3);
        /* user over vendor */
        assert_int_equal(policy_get(p, KEY_MOVEMENT_DURATION), 7 * USEC_PER_MIN);
        assert_int_equal(p->s[KEY_MOVEMENT_DURATION].origin.scope, SCOPE_USER);
        assert_string_equal(p->s[KEY_MOVEMENT_DURATION].origin.path, u);
        /* untouched keys stay built-in */
        assert_string_equal(origin_format(ob, &p->s[KEY_POSTURE_DURATION].origin), "built-in");
        assert_int_equal(p->s[KEY_POSTURE_DURATION].origin.scope, SCOPE_BUILTIN);
        policy_free(p);
        diags_finish(&d);
}

static void test_employer_file_replaces_vendor_file(void **state)
{
        struct fixture *f = *state;
        _cleanup_(freep) char *v = NULL, *e = NULL;
        struct policy *p;
        struct diags d;

        v = vendor(f, "10-defaults.ini", "[posture]\ninterval = 25m\nduration = 40s\n");
        e = employer(f, "10-defaults.ini", "[posture]\ninterval = 15m\n");
        assert_int_equal(load(f, &p, &d), 0);
        assert_int_equal(policy_get(p, KEY_POSTURE_INTERVAL), 15 * USEC_PER_MIN);
        /* The vendor file was not read at all: its duration does not apply. */
        assert_int_equal(policy_get(p, KEY_POSTURE_DURATION), 30 * USEC_PER_SEC);
        assert_int_equal(p->s[KEY_POSTURE_INTERVAL].origin.scope, SCOPE_EMPLOYER);
        policy_free(p);
        diags_finish(&d);
}

static void test_dev_null_symlink_masks_vendor_file(void **state)
{
        struct fixture *f = *state;
        _cleanup_(freep) char *v = NULL, *e = NULL;
        struct policy *p;
        struct diags d;
        bool masked = false;

        v = vendor(f, "20-noisy.ini", "[posture]\ninterval = 5m\n");
        e = employer(f, "keep.txt", "not an ini file, ignored\n");
        free(e);
        e = xasprintf("%s%s/20-noisy.ini", f->root, policy_employer_dir);
        assert_int_equal(symlink("/dev/null", e), 0);

        assert_int_equal(load(f, &p, &d), 0);
        assert_int_equal(d.n, 0);
        assert_int_equal(policy_get(p, KEY_POSTURE_INTERVAL), 20 * USEC_PER_MIN);
        for (size_t i = 0; i < p->n_files; i++)
                if (streq(p->files[i].path, e))
                        masked = p->files[i].masked;
        assert_true(masked);
        policy_free(p);
        diags_finish(&d);
}

static void test_lexical_order(void **state)
{
        struct fixture *f = *state;
        _cleanup_(freep) char *a = NULL, *b = NULL, *c = NULL;
        struct policy *p;
        struct diags d;

        /* Written out of order on purpose. */
        b = employer(f, "20-b.ini", "[posture]\ninterval = 22m\n");
        c = employer(f, "100-c.ini", "[posture]\ninterval = 21m\n"); /* "100" < "20" lexically */
        a = employer(f, "10-a.ini", "[posture]\ninterval = 11m\n");
        assert_int_equal(load(f, &p, &d), 0);
        assert_int_equal(policy_get(p, KEY_POSTURE_INTERVAL), 22 * USEC_PER_MIN);
        assert_string_equal(p->s[KEY_POSTURE_INTERVAL].origin.path, b);
        policy_free(p);
        diags_finish(&d);
}

static void test_lock_ignores_user_value(void **state)
{
        struct fixture *f = *state;
        _cleanup_(freep) char *e = NULL, *u = NULL, *needle = NULL;
        struct policy *p;
        struct diags d;

        e = employer(f, "50-acme.ini", "[movement]\nskippable = no\nskippable.locked = yes\n");
        u = user(f, "[movement]\nskippable = yes\n");
        assert_int_equal(load(f, &p, &d), 0);
        assert_false(policy_get(p, KEY_MOVEMENT_SKIPPABLE));
        assert_true(p->s[KEY_MOVEMENT_SKIPPABLE].locked);
        assert_int_equal(p->s[KEY_MOVEMENT_SKIPPABLE].lock_origin.line, 3);
        assert_int_equal(p->s[KEY_MOVEMENT_SKIPPABLE].origin.scope, SCOPE_EMPLOYER);
        needle = xasprintf("locked to no by %s:3", e);
        assert_true(diags_has(&d, SEV_WARNING, 2, needle));
        policy_free(p);
        diags_finish(&d);
}

static void test_later_system_file_unlocks(void **state)
{
        struct fixture *f = *state;
        _cleanup_(freep) char *v = NULL, *e = NULL, *u = NULL;
        struct policy *p;
        struct diags d;

        v = vendor(f, "10-v.ini", "[posture]\ninterval.locked = yes\n");
        e = employer(f, "50-e.ini", "[posture]\ninterval.locked = no\n");
        u = user(f, "[posture]\ninterval = 15m\n");
        assert_int_equal(load(f, &p, &d), 0);
        assert_int_equal(d.n, 0);
        assert_false(p->s[KEY_POSTURE_INTERVAL].locked);
        assert_int_equal(policy_get(p, KEY_POSTURE_INTERVAL), 15 * USEC_PER_MIN);
        policy_free(p);
        diags_finish(&d);
}

static void test_bounds_clamp_user_value(void **state)
{
        struct fixture *f = *state;
        _cleanup_(freep) char *e = NULL, *u = NULL, *needle = NULL;
        struct policy *p;
        struct diags d;

        e = employer(f, "50-acme.ini",
                     "[posture]\ninterval.max = 30m\n[movement]\nduration.min = 5m\ninterval.min = 40m\n"
                     "interval.max = 60m\n");
        u = user(f, "[posture]\ninterval = 45m\n[movement]\nduration = 2m\ninterval = 55m\n");
        assert_int_equal(load(f, &p, &d), 0);

        /* Above the maximum: clamped, and the warning names both files. */
        assert_int_equal(policy_get(p, KEY_POSTURE_INTERVAL), 30 * USEC_PER_MIN);
        assert_true(p->s[KEY_POSTURE_INTERVAL].clamped);
        assert_string_equal(p->s[KEY_POSTURE_INTERVAL].origin.path, u);
        needle = xasprintf("above the maximum 30m set by %s:2", e);
        assert_true(diags_has(&d, SEV_WARNING, 2, needle));
        assert_string_equal(d.v[0].path, u);
        free(needle);

        /* Below the minimum. */
        assert_int_equal(policy_get(p, KEY_MOVEMENT_DURATION), 5 * USEC_PER_MIN);
        needle = xasprintf("below the minimum 5m set by %s:4", e);
        assert_true(diags_has(&d, SEV_WARNING, 4, needle));

        /* Inside the bounds: the user's choice stands. */
        assert_int_equal(policy_get(p, KEY_MOVEMENT_INTERVAL), 55 * USEC_PER_MIN);
        assert_false(p->s[KEY_MOVEMENT_INTERVAL].clamped);
        assert_int_equal(diags_count(&d, SEV_WARNING), 2);
        policy_free(p);
        diags_finish(&d);
}

static void test_system_value_outside_bounds_is_clamped(void **state)
{
        struct diags d;
        struct policy *p = apply_text("[posture]\ninterval = 45m\ninterval.max = 30m\n", SCOPE_EMPLOYER, &d);

        assert_int_equal(policy_get(p, KEY_POSTURE_INTERVAL), 30 * USEC_PER_MIN);
        assert_true(diags_has(&d, SEV_WARNING, 2, "above the maximum"));
        policy_free(p);
        diags_finish(&d);
}

/* A bound that excludes the built-in value: the warning points at the bound. */
static void test_builtin_value_outside_bounds_is_clamped(void **state)
{
        struct diags d;
        struct policy *p = apply_text("[general]\n\nmax-defer.max = 5m\n", SCOPE_EMPLOYER, &d);

        assert_int_equal(policy_get(p, KEY_MAX_DEFER), 5 * USEC_PER_MIN);
        assert_true(p->s[KEY_MAX_DEFER].clamped);
        assert_int_equal(p->s[KEY_MAX_DEFER].origin.scope, SCOPE_BUILTIN);
        assert_true(diags_has(&d, SEV_WARNING, 3,
                              "the built-in general.max-defer = 10m is above the maximum 5m set here; using 5m"));
        policy_free(p);
        diags_finish(&d);
}

static void test_user_file_cannot_constrain(void **state)
{
        struct diags d;
        struct policy *p =
                apply_text("[posture]\ninterval.locked = yes\ninterval.max = 1h\nduration.min = 1m\n", SCOPE_USER, &d);

        assert_false(p->s[KEY_POSTURE_INTERVAL].locked);
        assert_false(p->s[KEY_POSTURE_INTERVAL].has_max);
        assert_false(p->s[KEY_POSTURE_DURATION].has_min);
        assert_true(diags_has(&d, SEV_WARNING, 2, "posture.interval.locked ignored: only vendor and employer"));
        assert_true(diags_has(&d, SEV_WARNING, 3, "posture.interval.max ignored"));
        assert_true(diags_has(&d, SEV_WARNING, 4, "posture.duration.min ignored"));
        assert_int_equal(diags_count(&d, SEV_ERROR), 0);
        policy_free(p);
        diags_finish(&d);
}

static void test_pacing_cannot_be_constrained(void **state)
{
        struct diags d;
        struct policy *p =
                apply_text("[pacing]\nquota.max = 30m\nenabled = yes\nenabled.locked = yes\n", SCOPE_EMPLOYER, &d);

        assert_false(p->s[KEY_PACING_QUOTA].has_max);
        assert_false(p->s[KEY_PACING_ENABLED].locked);
        assert_true(diags_has(&d, SEV_WARNING, 2, "pacing settings belong to the user"));
        assert_true(diags_has(&d, SEV_WARNING, 4, "pacing.enabled.locked ignored"));
        /* An employer may still set a pacing default. */
        assert_true(policy_get(p, KEY_PACING_ENABLED));
        policy_free(p);
        diags_finish(&d);

        /* Nor the keys of flare plans and check-ins. */
        p = apply_text("[pacing]\nflare-days = 2\nflare-days.locked = yes\nflare-recovery.max = 1\n"
                       "check-in = 18:00\ncheck-in.locked = yes\nrest-check-in.locked = yes\n",
                       SCOPE_EMPLOYER, &d);
        for (int k = KEY_PACING_FLARE_DAYS; k <= KEY_PACING_REST_CHECK_IN; k++) {
                assert_false(key_defs[k].lockable);
                assert_false(p->s[k].locked);
                assert_false(p->s[k].has_max);
        }
        assert_true(diags_has(&d, SEV_WARNING, 3, "pacing.flare-days.locked ignored"));
        assert_true(diags_has(&d, SEV_WARNING, 6, "pacing.check-in.locked ignored"));
        assert_int_equal(policy_get(p, KEY_PACING_FLARE_DAYS), 2);
        policy_free(p);
        diags_finish(&d);
}

/* pacing.check-in: a time of day, or off (the default). */
static void test_time_of_day_or_off(void **state)
{
        struct diags d;
        struct policy *p = apply_text("[pacing]\ncheck-in = 18:30\n", SCOPE_USER, &d);
        char vb[VALUE_BUF];
        uint64_t v;

        assert_int_equal(d.n, 0);
        assert_int_equal(policy_get(p, KEY_PACING_CHECK_IN), 18 * 60 + 30);
        assert_string_equal(key_format(vb, KEY_PACING_CHECK_IN, 18 * 60 + 30), "18:30");
        policy_free(p);
        diags_finish(&d);

        p = apply_text("[pacing]\nflare-days = 0\ncheck-in = 24:00\n", SCOPE_USER, &d);
        assert_true(diags_has(&d, SEV_ERROR, 2, "out of range for pacing.flare-days"));
        assert_true(diags_has(&d, SEV_ERROR, 3, "pacing.check-in"));
        assert_int_equal(policy_get(p, KEY_PACING_CHECK_IN), TIME_OFF);
        policy_free(p);
        diags_finish(&d);

        assert_int_equal(key_parse(KEY_PACING_CHECK_IN, "off", &v, NULL), 0);
        assert_int_equal(v, TIME_OFF);
        assert_string_equal(key_format(vb, KEY_PACING_CHECK_IN, v), "off");
        /* Only where the schema allows it. */
        assert_int_equal(key_parse(KEY_DAY_STARTS, "off", &v, NULL), -EINVAL);
}

static void test_constraint_errors(void **state)
{
        struct diags d;
        struct policy *p = apply_text("[posture]\n"
                                      "enabled.min = 1\n"         /* 2: a bool has no order */
                                      "interval.min = 40m\n"      /* 3 */
                                      "interval.max = 30m\n"      /* 4: below the min */
                                      "duration.locked = maybe\n" /* 5 */
                                      "snooze.max = 3 minutes\n", /* 6 */
                                      SCOPE_EMPLOYER, &d);

        assert_true(diags_has(&d, SEV_ERROR, 2, "only durations, counts and percentages can be bounded"));
        assert_true(diags_has(&d, SEV_ERROR, 4, "posture.interval.min (40m) is above posture.interval.max (30m)"));
        assert_true(diags_has(&d, SEV_ERROR, 5, "invalid boolean for posture.duration.locked"));
        assert_true(diags_has(&d, SEV_ERROR, 6, "invalid duration for posture.snooze.max"));
        assert_false(p->s[KEY_POSTURE_INTERVAL].has_max);
        policy_free(p);
        diags_finish(&d);
}

static void test_unknown_names(void **state)
{
        static const char text[] = "[posture]\nintervall = 20m\n[colours]\nred = 1\n";
        struct diags d;
        struct policy *p;

        /* Errors in system files... */
        p = apply_text(text, SCOPE_EMPLOYER, &d);
        assert_true(diags_has(&d, SEV_ERROR, 2, "unknown key in [posture]: 'intervall'"));
        assert_true(diags_has(&d, SEV_ERROR, 3, "unknown section: '[colours]'"));
        assert_int_equal(d.n, 2); /* keys of an unknown section are not reported again */
        policy_free(p);
        diags_finish(&d);

        /* ...warnings in the user's. */
        p = apply_text(text, SCOPE_USER, &d);
        assert_true(diags_has(&d, SEV_WARNING, 2, "unknown key"));
        assert_true(diags_has(&d, SEV_WARNING, 3, "unknown section"));
        assert_int_equal(diags_count(&d, SEV_ERROR), 0);
        policy_free(p);
        diags_finish(&d);
}

static void test_invalid_values(void **state)
{
        static const struct {
                const char *line;
                const char *message;
                enum key_id key; /* the key the line sets */
        } cases[] = {
                { "interval = 20 minutes",
                  "invalid duration for posture.interval (use e.g. 90s, 20m, 1h30m): '20 minutes'",
                  KEY_POSTURE_INTERVAL },
                { "interval = -5m", "invalid duration for posture.interval", KEY_POSTURE_INTERVAL },
                { "interval = 5x", "'5x'", KEY_POSTURE_INTERVAL },
                { "interval =", "empty value for posture.interval", KEY_POSTURE_INTERVAL },
                { "interval = 0s", "out of range for posture.interval (1s..1d): '0s'", KEY_POSTURE_INTERVAL },
                { "interval = 999999999999s", "value too large for posture.interval", KEY_POSTURE_INTERVAL },
                { "interval = 20m # twenty", "comments go on their own line", KEY_POSTURE_INTERVAL },
                { "enabled = maybe", "invalid boolean for posture.enabled (use yes or no): 'maybe'",
                  KEY_POSTURE_ENABLED },
                { "max-snoozes = -1", "invalid count for posture.max-snoozes", KEY_POSTURE_MAX_SNOOZES },
                { "max-snoozes = 101", "out of range", KEY_POSTURE_MAX_SNOOZES },
        };

        struct policy *builtin = policy_new();

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_(freep) char *text = xasprintf("[posture]\n%s\n", cases[i].line);
                struct diags d;
                struct policy *p = apply_text(text, SCOPE_USER, &d);

                if (!diags_has(&d, SEV_ERROR, 2, cases[i].message)) {
                        diags_dump(&d);
                        fail_msg("'%s' did not give \"%s\"", cases[i].line, cases[i].message);
                }
                /* The bad line is skipped: the key keeps its built-in value. */
                assert_int_equal(p->s[cases[i].key].origin.scope, SCOPE_BUILTIN);
                assert_int_equal(policy_get(p, cases[i].key), policy_get(builtin, cases[i].key));
                policy_free(p);
                diags_finish(&d);
        }
        policy_free(builtin);
}

/* A comment after a lock or a bound is named as such, like one after a
 * value, and the constraint is not applied. */
static void test_comment_after_a_constraint(void **state)
{
        struct diags d;
        struct policy *p = apply_text("[movement]\ninterval.max = 60m # at most\nskippable.locked = yes # fixed\n",
                                      SCOPE_EMPLOYER, &d);

        assert_true(diags_has(&d, SEV_ERROR, 2,
                              "invalid duration for movement.interval.max (comments go on their own line): '60m # at most'"));
        assert_true(diags_has(&d, SEV_ERROR, 3,
                              "invalid boolean for movement.skippable.locked (comments go on their own line)"));
        assert_false(p->s[KEY_MOVEMENT_INTERVAL].has_max);
        assert_false(p->s[KEY_MOVEMENT_SKIPPABLE].locked);
        policy_free(p);
        diags_finish(&d);
}

static void test_other_types(void **state)
{
        struct diags d;
        struct policy *p = apply_text("[general]\nday-starts = 5:30\nbackend = wayland\n[pacing]\n"
                                      "daily-limit = 6h\nflare-scale = 60%\n",
                                      SCOPE_USER, &d);
        char vb[VALUE_BUF];

        assert_int_equal(d.n, 0);
        assert_int_equal(policy_get(p, KEY_DAY_STARTS), 5 * 60 + 30);
        assert_string_equal(key_format(vb, KEY_DAY_STARTS, policy_get(p, KEY_DAY_STARTS)), "05:30");
        assert_int_equal(policy_get(p, KEY_BACKEND), BACKEND_WAYLAND);
        assert_int_equal(policy_get(p, KEY_PACING_DAILY_LIMIT), 6 * USEC_PER_HOUR);
        assert_int_equal(policy_get(p, KEY_PACING_FLARE_SCALE), 60);
        policy_free(p);
        diags_finish(&d);

        p = apply_text("[general]\nbackend = kde\nday-starts = 25:00\n[pacing]\nflare-scale = 0%\n", SCOPE_USER, &d);
        assert_true(diags_has(&d, SEV_ERROR, 2, "unknown value for general.backend"));
        assert_true(diags_has(&d, SEV_ERROR, 3, "general.day-starts"));
        assert_true(diags_has(&d, SEV_ERROR, 5, "out of range for pacing.flare-scale"));
        policy_free(p);
        diags_finish(&d);
}

/* ---- hostile files ------------------------------------------------------- */

static void test_bom_crlf_and_indentation(void **state)
{
        struct diags d;
        struct policy *p = apply_text("\xef\xbb\xbf[posture]\r\ninterval = 25m\r\n   duration = 45s\r\n"
                                      "\tsnooze = 4m\n",
                                      SCOPE_USER, &d);

        if (d.n)
                diags_dump(&d);
        assert_int_equal(d.n, 0);
        assert_int_equal(policy_get(p, KEY_POSTURE_INTERVAL), 25 * USEC_PER_MIN);
        /* An indented line is a key of its own, never a continuation. */
        assert_int_equal(policy_get(p, KEY_POSTURE_DURATION), 45 * USEC_PER_SEC);
        assert_int_equal(p->s[KEY_POSTURE_DURATION].origin.line, 3);
        assert_int_equal(policy_get(p, KEY_POSTURE_SNOOZE), 4 * USEC_PER_MIN);
        policy_free(p);
        diags_finish(&d);
}

static void test_missing_bracket_and_trailing_garbage(void **state)
{
        struct diags d;
        struct policy *p = apply_text("[posture\ninterval = 25m\n[movement] extra\ninterval = 55m\n"
                                      "[pacing] ; a comment is fine\nquota = 40m\n",
                                      SCOPE_EMPLOYER, &d);

        assert_true(diags_has(&d, SEV_ERROR, 1, "missing ']' in section header: '[posture'"));
        assert_true(diags_has(&d, SEV_ERROR, 3, "unexpected text after section header: '[movement] extra'"));
        assert_int_equal(diags_count(&d, SEV_ERROR), 2);
        /* Keys under a broken header apply to no section. */
        assert_int_equal(policy_get(p, KEY_POSTURE_INTERVAL), 20 * USEC_PER_MIN);
        assert_int_equal(policy_get(p, KEY_MOVEMENT_INTERVAL), 50 * USEC_PER_MIN);
        assert_int_equal(policy_get(p, KEY_PACING_QUOTA), 40 * USEC_PER_MIN);
        policy_free(p);
        diags_finish(&d);
}

static void test_overlong_line(void **state)
{
        struct strbuf b = { 0 };
        struct diags d;
        struct policy *p;

        strbuf_printf(&b, "[posture]\n# ");
        for (int i = 0; i < 300; i++)
                strbuf_append(&b, "x", 1);
        strbuf_printf(&b, "\ninterval = 25m\nduration = 1 s\n");
        p = apply_text(b.s, SCOPE_EMPLOYER, &d);

        /* The long line is an error at its own line; nothing is split off it,
         * and the lines after it keep their numbers. */
        assert_true(diags_has(&d, SEV_ERROR, 2, "line too long (302 characters; at most"));
        assert_true(diags_has(&d, SEV_ERROR, 4, "invalid duration for posture.duration"));
        assert_int_equal(diags_count(&d, SEV_ERROR), 2);
        assert_int_equal(policy_get(p, KEY_POSTURE_INTERVAL), 25 * USEC_PER_MIN);
        assert_int_equal(p->s[KEY_POSTURE_INTERVAL].origin.line, 3);
        policy_free(p);
        diags_finish(&d);
        free(b.s);
}

static void test_duplicate_keys(void **state)
{
        struct diags d;
        struct policy *p = apply_text("[posture]\ninterval = 25m\ninterval = 26m\n", SCOPE_USER, &d);

        assert_int_equal(policy_get(p, KEY_POSTURE_INTERVAL), 26 * USEC_PER_MIN);
        assert_int_equal(p->s[KEY_POSTURE_INTERVAL].origin.line, 3);
        assert_true(diags_has(&d, SEV_WARNING, 3, "posture.interval set again (first on line 2); the last value wins"));
        assert_int_equal(diags_count(&d, SEV_ERROR), 0);
        policy_free(p);
        diags_finish(&d);
}

static void test_nul_byte_and_stray_lines(void **state)
{
        static const char text[] = "[posture]\ninter\0val = 25m\njust words\ninterval = 21m\n";
        struct policy *p = policy_new();
        struct diags d;

        diags_init(&d);
        policy_apply_buffer(p, "nul.ini", text, sizeof(text) - 1, SCOPE_EMPLOYER, &d);
        assert_true(diags_has(&d, SEV_ERROR, 2, "NUL byte"));
        assert_true(diags_has(&d, SEV_ERROR, 3, "expected 'key = value': 'just words'"));
        assert_int_equal(policy_get(p, KEY_POSTURE_INTERVAL), 21 * USEC_PER_MIN);
        policy_free(p);
        diags_finish(&d);

        p = apply_text("interval = 25m\n", SCOPE_EMPLOYER, &d);
        assert_true(diags_has(&d, SEV_ERROR, 1, "setting outside of a section: 'interval'"));
        policy_free(p);
        diags_finish(&d);
}

static void test_empty_file(void **state)
{
        struct fixture *f = *state;
        _cleanup_(freep) char *e = employer(f, "50-empty.ini", "");
        struct policy *p;
        struct diags d;

        assert_int_equal(load(f, &p, &d), 0);
        assert_int_equal(d.n, 0);
        assert_int_equal(policy_get(p, KEY_POSTURE_INTERVAL), 20 * USEC_PER_MIN);
        policy_free(p);
        diags_finish(&d);
}

static void test_directory_fifo_and_missing_files(void **state)
{
        struct fixture *f = *state;
        _cleanup_(freep) char *dir = xasprintf("%s%s/50-dir.ini", f->root, policy_employer_dir);
        _cleanup_(freep) char *fifo = xasprintf("%s%s/60-fifo.ini", f->root, policy_employer_dir);
        struct policy *p;
        struct diags d;

        assert_int_equal(mkdir_parents(dir, 0755), 0);
        assert_int_equal(mkfifo(fifo, 0644), 0);
        assert_int_equal(mkdir_parents(f->user, 0755), 0); /* the user "file" is a directory too */

        assert_int_equal(load(f, &p, &d), 3);
        assert_true(diags_has(&d, SEV_ERROR, 0, "is a directory, not a policy file"));
        assert_true(diags_has(&d, SEV_ERROR, 0, "not a regular file"));
        assert_string_equal(d.v[0].path, dir);
        policy_free(p);
        diags_finish(&d);

        /* A missing user file or missing directories are simply no layer. */
        {
                struct policy_opts o = { .root = "/nonexistent", .user_file = "/nonexistent/limber.ini" };
                diags_init(&d);
                assert_int_equal(policy_load(&o, &p, &d), 0);
                assert_int_equal(d.n, 0);
                policy_free(p);
                diags_finish(&d);
        }
}

static void test_unreadable_file(void **state)
{
        struct fixture *f = *state;
        _cleanup_(freep) char *e = employer(f, "50-secret.ini", "[posture]\ninterval = 25m\n");
        pid_t pid;
        int status;

        assert_int_equal(chmod(e, 0600), 0);
        assert_int_equal(chmod(f->dir, 0755), 0);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                struct policy *p;
                struct diags d;
                /* root reads everything: test as nobody, or as ourselves after chmod 000. */
                if (geteuid() == 0) {
                        if (setgid(65534) < 0 || setuid(65534) < 0)
                                _exit(90);
                } else if (chmod(e, 0) < 0)
                        _exit(91);
                diags_init(&d);
                if (load(f, &p, &d) != 1)
                        _exit(92);
                if (!diags_has(&d, SEV_ERROR, 0, "cannot read: Permission denied"))
                        _exit(93);
                if (policy_get(p, KEY_POSTURE_INTERVAL) != 20 * USEC_PER_MIN)
                        _exit(94);
                _exit(0);
        }
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_writable_system_file_cannot_constrain(void **state)
{
        struct fixture *f = *state;
        _cleanup_(freep) char *e = employer(f, "50-loose.ini", "[posture]\ninterval = 25m\ninterval.locked = yes\n");
        struct policy *p;
        struct diags d;

        assert_int_equal(chmod(e, 0666), 0);
        assert_int_equal(load(f, &p, &d), 0);
        assert_true(diags_has(&d, SEV_WARNING, 0, "writable by others: its locks and bounds are ignored"));
        assert_false(p->s[KEY_POSTURE_INTERVAL].locked);
        /* Its values still apply. */
        assert_int_equal(policy_get(p, KEY_POSTURE_INTERVAL), 25 * USEC_PER_MIN);
        policy_free(p);
        diags_finish(&d);
}

static void test_xdg_config_home_and_extra_layer(void **state)
{
        struct fixture *f = *state;
        _cleanup_(freep) char *u = user(f, "[posture]\ninterval = 15m\n");
        _cleanup_(freep) char *x = put_file(f->dir, "extra.ini", "[posture]\nduration = 40s\n");
        _cleanup_(freep) char *cfg = xasprintf("%s/cfg", f->dir);
        struct policy_opts o = { .root = f->root, .extra_file = x };
        struct policy *p;
        struct diags d;

        setenv("XDG_CONFIG_HOME", cfg, 1);
        diags_init(&d);
        assert_int_equal(policy_load(&o, &p, &d), 0);
        unsetenv("XDG_CONFIG_HOME");
        assert_int_equal(policy_get(p, KEY_POSTURE_INTERVAL), 15 * USEC_PER_MIN);
        assert_string_equal(p->s[KEY_POSTURE_INTERVAL].origin.path, u);
        assert_int_equal(policy_get(p, KEY_POSTURE_DURATION), 40 * USEC_PER_SEC);
        assert_string_equal(p->s[KEY_POSTURE_DURATION].origin.path, x);
        policy_free(p);
        diags_finish(&d);
}

static void test_dup_keeps_origins(void **state)
{
        struct fixture *f = *state;
        _cleanup_(freep) char *e = employer(f, "50-e.ini", "[posture]\ninterval = 25m\ninterval.max = 30m\n");
        struct policy *p, *c;
        struct diags d;

        assert_int_equal(load(f, &p, &d), 0);
        c = policy_dup(p);
        policy_free(p);
        assert_string_equal(c->s[KEY_POSTURE_INTERVAL].origin.path, e);
        assert_string_equal(c->s[KEY_POSTURE_INTERVAL].max_origin.path, e);
        policy_free(c);
        diags_finish(&d);
}

/* posture.exercises and movement.exercises: a list of ids, kept as text,
 * lockable but never bounded; the text follows its layer. */
static void test_exercise_lists(void **state)
{
        struct fixture *f = *state;
        _cleanup_(freep) char *e = NULL, *u = NULL;
        char vb[VALUE_BUF];
        struct policy *p, *c;
        struct diags d;

        p = policy_new();
        assert_string_equal(policy_get_text(p, KEY_POSTURE_EXERCISES), "all");
        assert_int_equal(policy_get(p, KEY_POSTURE_EXERCISES), 0);
        assert_null(policy_get_text(p, KEY_POSTURE_INTERVAL));
        assert_int_equal(policy_get(p, KEY_MOVEMENT_EXERCISES_PER_BREAK), 3);
        policy_free(p);

        e = employer(f, "50-e.ini",
                     "[movement]\nexercises = short-walk calf-stretch\nexercises.locked = yes\n"
                     "[posture]\nexercises = chin-tuck\nexercises-per-break = 2\n");
        u = user(f, "[posture]\nexercises = slow-breathing,chin-tuck\n[movement]\nexercises = neck-side-bend\n");
        assert_int_equal(load(f, &p, &d), 1); /* exercises-per-break is movement's only */
        assert_true(diags_has(&d, SEV_ERROR, 6, "unknown key in [posture]: 'exercises-per-break'"));
        /* The user's list replaces the employer's, in its canonical form. */
        assert_string_equal(policy_get_text(p, KEY_POSTURE_EXERCISES), "slow-breathing, chin-tuck");
        assert_int_equal(policy_get(p, KEY_POSTURE_EXERCISES), 2);
        assert_int_equal(p->s[KEY_POSTURE_EXERCISES].origin.scope, SCOPE_USER);
        /* The locked one stays the employer's, and the warning shows the list. */
        assert_string_equal(policy_get_text(p, KEY_MOVEMENT_EXERCISES), "short-walk, calf-stretch");
        assert_true(diags_has(&d, SEV_WARNING, 4,
                              "movement.exercises = neck-side-bend ignored: locked to short-walk, calf-stretch by"));
        assert_string_equal(setting_text(vb, KEY_MOVEMENT_EXERCISES, &p->s[KEY_MOVEMENT_EXERCISES]),
                            "short-walk, calf-stretch");
        assert_string_equal(setting_text(vb, KEY_POSTURE_DURATION, &p->s[KEY_POSTURE_DURATION]), "30s");
        /* A copy has its own texts. */
        c = policy_dup(p);
        policy_free(p);
        assert_string_equal(policy_get_text(c, KEY_MOVEMENT_EXERCISES), "short-walk, calf-stretch");
        policy_free(c);
        diags_finish(&d);
}

static void test_exercise_list_errors(void **state)
{
        struct policy *p;
        struct diags d;

        p = apply_text("[posture]\nexercises = all, chin-tuck\nexercises = Chin\nexercises.min = 1\n"
                       "exercises.max = a\n[movement]\nexercises = a, b, a\nexercises-per-break = 0\n"
                       "exercises-per-break = 11\nexercises-per-break.max = 4\nexercises = x;y\n",
                       SCOPE_EMPLOYER, &d);
        assert_true(diags_has(&d, SEV_ERROR, 2, "'all' cannot be combined with ids for posture.exercises"));
        assert_true(diags_has(&d, SEV_ERROR, 3,
                              "invalid id (lower-case letters, digits and '-') for "
                              "posture.exercises (use all, or exercise ids separated by commas): "
                              "'Chin'"));
        assert_true(diags_has(&d, SEV_ERROR, 4,
                              "posture.exercises.min: a list of exercises cannot be bounded (lock "
                              "it with posture.exercises.locked = yes): '1'"));
        assert_true(diags_has(&d, SEV_ERROR, 5, "posture.exercises.max: a list of exercises cannot be bounded"));
        assert_true(diags_has(&d, SEV_ERROR, 7, "an id is listed twice for movement.exercises"));
        assert_true(diags_has(&d, SEV_ERROR, 8, "out of range for movement.exercises-per-break (1..10): '0'"));
        assert_true(diags_has(&d, SEV_ERROR, 9, "out of range for movement.exercises-per-break (1..10): '11'"));
        assert_true(diags_has(&d, SEV_ERROR, 11, "(comments go on their own line): 'x;y'"));
        assert_int_equal(diags_count(&d, SEV_ERROR), 8);
        /* Bad lines are skipped: the defaults stay, and the bound applies. */
        assert_string_equal(policy_get_text(p, KEY_POSTURE_EXERCISES), "all");
        assert_string_equal(policy_get_text(p, KEY_MOVEMENT_EXERCISES), "all");
        assert_false(p->s[KEY_POSTURE_EXERCISES].has_min || p->s[KEY_POSTURE_EXERCISES].has_max);
        assert_true(p->s[KEY_MOVEMENT_EXERCISES_PER_BREAK].has_max);
        policy_free(p);
        diags_finish(&d);
}

/* A sysctl shows a size of 0 and answers only a read from its start: the
 * owner check reads /proc/sys/kernel/overflowuid (it once got "6" of 65534). */
static void test_read_file_reads_a_sysctl_whole(void **state)
{
        char *text = NULL, want[64] = "";
        size_t size = 0;
        FILE *f = fopen("/proc/sys/kernel/overflowuid", "re");

        (void) state;
        assert_non_null(f);
        assert_non_null(fgets(want, sizeof(want), f));
        fclose(f);
        assert_int_equal(read_file("/proc/sys/kernel/overflowuid", 32, &text, &size), 0);
        assert_string_equal(text, want);
        assert_int_equal(size, strlen(want));
        free(text);
        /* What is bigger than max is still refused. */
        assert_int_equal(read_file("/proc/sys/kernel/overflowuid", 2, &text, &size), -EFBIG);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_defaults),
                cmocka_unit_test(test_shipped_ini_matches_schema),
                cmocka_unit_test_setup_teardown(test_layers_override_in_order, setup, teardown),
                cmocka_unit_test_setup_teardown(test_employer_file_replaces_vendor_file, setup, teardown),
                cmocka_unit_test_setup_teardown(test_dev_null_symlink_masks_vendor_file, setup, teardown),
                cmocka_unit_test_setup_teardown(test_lexical_order, setup, teardown),
                cmocka_unit_test_setup_teardown(test_lock_ignores_user_value, setup, teardown),
                cmocka_unit_test_setup_teardown(test_later_system_file_unlocks, setup, teardown),
                cmocka_unit_test_setup_teardown(test_bounds_clamp_user_value, setup, teardown),
                cmocka_unit_test(test_system_value_outside_bounds_is_clamped),
                cmocka_unit_test(test_comment_after_a_constraint),
                cmocka_unit_test(test_builtin_value_outside_bounds_is_clamped),
                cmocka_unit_test(test_user_file_cannot_constrain),
                cmocka_unit_test(test_pacing_cannot_be_constrained),
                cmocka_unit_test(test_time_of_day_or_off),
                cmocka_unit_test(test_constraint_errors),
                cmocka_unit_test(test_unknown_names),
                cmocka_unit_test(test_invalid_values),
                cmocka_unit_test(test_other_types),
                cmocka_unit_test(test_bom_crlf_and_indentation),
                cmocka_unit_test(test_missing_bracket_and_trailing_garbage),
                cmocka_unit_test(test_overlong_line),
                cmocka_unit_test(test_duplicate_keys),
                cmocka_unit_test(test_nul_byte_and_stray_lines),
                cmocka_unit_test_setup_teardown(test_empty_file, setup, teardown),
                cmocka_unit_test_setup_teardown(test_directory_fifo_and_missing_files, setup, teardown),
                cmocka_unit_test_setup_teardown(test_unreadable_file, setup, teardown),
                cmocka_unit_test_setup_teardown(test_writable_system_file_cannot_constrain, setup, teardown),
                cmocka_unit_test_setup_teardown(test_xdg_config_home_and_extra_layer, setup, teardown),
                cmocka_unit_test_setup_teardown(test_dup_keeps_origins, setup, teardown),
                cmocka_unit_test_setup_teardown(test_exercise_lists, setup, teardown),
                cmocka_unit_test(test_exercise_list_errors),
                cmocka_unit_test(test_read_file_reads_a_sysctl_whole),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
