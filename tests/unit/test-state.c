/* SPDX-License-Identifier: MIT */
/* The state file: round trip, hostile and truncated files, atomic saves. */
#include <errno.h>

#include "clock.h"
#include "state.h"
#include "testutil.h"
#include "value.h"

static void test_round_trip(void **state)
{
        struct saved_state st = { 0 }, back;
        char err[256];
        _cleanup_(freep) char *text = NULL;

        st.saved_at = 1795262978019981ULL;
        memcpy(st.day, "2026-11-21", 11);
        st.active_today = 3 * USEC_PER_HOUR;
        st.paused = true;
        st.pause_until = st.saved_at + USEC_PER_HOUR;
        st.flare = true;
        st.flare_day = 2;
        st.flare_days = 3;
        st.flare_recovery = 2;
        st.kinds[KIND_POSTURE] =
                (struct saved_kind){ 12 * USEC_PER_MIN, true, 30 * USEC_PER_SEC, st.saved_at + 1, 2, 3 };
        st.kinds[KIND_PACING].worked = UINT64_MAX;
        text = state_format(&st);
        assert_int_equal(state_parse(text, strlen(text), &back, err, sizeof(err)), 0);
        assert_memory_equal(&st, &back, sizeof(st));
}

static void test_hostile_files(void **state)
{
        static const struct {
                const char *text;
                const char *error;
        } cases[] = {
                { "", "empty" },
                { "version=1\nsaved=5\n", "truncated (no end line)" },
                { "version=1\nsaved=5\nend", "truncated (no newline)" },
                { "saved=5\nversion=1\nend\n", "does not start with version=" },
                { "version=3\nend\n", "bad value for version" },
                { "version=2\nboot=xyz\nend\n", "bad value for boot" },
                { "version=2\npresence=away\nend\n", "bad value for presence" },
                { "version=0\nend\n", "bad value for version" },
                { "version=1\nposture.worked=-1\nend\n", "bad value for posture.worked" },
                { "version=1\nposture.worked=99999999999999999999999\nend\n", "bad value" },
                { "version=1\npaused=2\nend\n", "bad value for paused" },
                { "version=1\nday=21-11-2026\nend\n", "bad value for day" },
                { "version=1\nflare\nend\n", "expected key=value" },
                { "version=1\nend\nsaved=4\n", "text after the end" },
                { "version=1\nposture.worked=1\0\nend\n", "malformed" },
        };
        char err[256];

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct saved_state st;
                size_t len = strlen(cases[i].text);
                if (i == ELEMENTSOF(cases) - 1)
                        len = 30; /* through the NUL byte */
                err[0] = '\0';
                assert_int_equal(state_parse(cases[i].text, len, &st, err, sizeof(err)), -EINVAL);
                if (!strstr(err, cases[i].error))
                        fail_msg("case %zu: '%s' does not say '%s'", i, err, cases[i].error);
        }
}

/* A version 2 file from before flare plans: a flare is one day, no recovery. */
static void test_flare_without_a_plan(void **state)
{
        static const char text[] = "version=2\nsaved=5\nflare=1\nend\n";
        struct saved_state st;
        struct sched_saved sv;
        struct moment m = { .bt = 10 * USEC_PER_SEC, .rt = 10 * USEC_PER_SEC };
        uint64_t gap, known;
        char err[256];

        assert_int_equal(state_parse(text, strlen(text), &st, err, sizeof(err)), 0);
        assert_true(st.flare);
        assert_int_equal(st.flare_days, 0);
        state_to_sched(&st, &m, "", 0, &sv, &gap, &known);
        assert_true(sv.flare);
        assert_int_equal(sv.flare_days, 0); /* the scheduler restores it as a one-day plan */

        assert_int_equal(state_parse("version=2\nflare-days=1001\nend\n", 34, &st, err, sizeof(err)), -EINVAL);
        assert_non_null(strstr(err, "bad value for flare-days"));
}

static void test_unknown_keys_are_ignored(void **state)
{
        static const char text[] = "version=1\nfuture.thing=7\nposture.worked=5\nend\n";
        struct saved_state st;
        char err[256];

        assert_int_equal(state_parse(text, strlen(text), &st, err, sizeof(err)), 0);
        assert_int_equal(st.kinds[KIND_POSTURE].worked, 5);
}

static void test_save_and_load(void **state)
{
        char *dir = tmpdir_new();
        _cleanup_(freep) char *sub = xasprintf("%s/limber", dir);
        struct saved_state st = { .saved_at = 42, .active_today = 7 }, back;
        struct state_store *store;
        struct stat sb;

        store = state_store_new(dir);
        /* This machine's file: state.MACHINE-ID. */
        _cleanup_(freep) char *path = state_store_file(store, "state");
        assert_int_equal(strlen(state_store_boot_id(store)), 32);
        /* Each machine its own file: a home directory may be shared. */
        assert_int_equal(strlen(state_store_machine_id(store)), 32);
        {
                _cleanup_(freep) char *want = xasprintf("%s/state.%s", dir, state_store_machine_id(store));
                assert_string_equal(path, want);
        }
        assert_int_equal(state_store_load(store, &back), -ENOENT);
        state_store_save(store, &st);
        assert_int_equal(stat(path, &sb), 0);
        assert_int_equal(sb.st_mode & 0777, 0600);
        assert_int_equal(state_store_load(store, &back), 0);
        assert_int_equal(back.active_today, 7);
        /* No temporary files left behind. */
        {
                _cleanup_(freep) char *cmd = xasprintf("test $(ls -A '%s' | wc -l) -eq 1", dir);
                assert_int_equal(system(cmd), 0);
        }
        /* The same state again is not written again; a new one is. */
        assert_int_equal(unlink(path), 0);
        st.saved_at = 43;
        state_store_save(store, &st);
        assert_int_equal(stat(path, &sb), -1);
        st.active_today = 8;
        state_store_save(store, &st);
        assert_int_equal(stat(path, &sb), 0);
        state_store_free(store);

        /* A directory that went missing is made again. */
        store = state_store_new(sub);
        tmpdir_remove(xstrdup(sub));
        state_store_save(store, &st);
        assert_int_equal(state_store_load(store, &back), 0);
        assert_int_equal(back.active_today, 8);
        state_store_free(store);
        tmpdir_remove(dir);
}

/* How a restart picks up: after a crash in the same boot the active spell
 * went on (less suspend, up to the deadline); otherwise the time was away. */
static void test_to_sched(void **state)
{
        static const char boot[] = "0123456789abcdef0123456789abcdef";
        struct saved_state st = {
                .saved_at = 1000 * USEC_PER_SEC,
                .uptime = 100 * USEC_PER_SEC,
                .suspended = 5 * USEC_PER_SEC,
                .presence = PRESENCE_ACTIVE,
                .next_in = UINT64_MAX,
                .paused = true,
                .pause_until = 1600 * USEC_PER_SEC,
        };
        struct moment m = { .bt = 700 * USEC_PER_SEC, .rt = 5000 * USEC_PER_SEC };
        struct sched_saved sv;
        uint64_t gap, known;

        memcpy(st.boot_id, boot, sizeof(boot));
        st.kinds[KIND_POSTURE].snoozed_until = 1300 * USEC_PER_SEC;
        /* A crash: the same boot, no clean exit. The gap is measured on boottime. */
        state_to_sched(&st, &m, boot, 65 * USEC_PER_SEC, &sv, &gap, &known);
        assert_int_equal(gap, 600 * USEC_PER_SEC);
        assert_int_equal(known, 540 * USEC_PER_SEC); /* a minute of it asleep */
        assert_int_equal(sv.pause_left, 600 * USEC_PER_SEC);
        assert_int_equal(sv.snoozed_for[KIND_POSTURE], 300 * USEC_PER_SEC);
        /* Never past the deadline the scheduler had when it saved. */
        st.next_in = 120 * USEC_PER_SEC;
        state_to_sched(&st, &m, boot, 5 * USEC_PER_SEC, &sv, &gap, &known);
        assert_int_equal(known, 120 * USEC_PER_SEC);
        /* Idle when it saved: nothing to extend. */
        st.presence = PRESENCE_IDLE;
        state_to_sched(&st, &m, boot, 5 * USEC_PER_SEC, &sv, &gap, &known);
        assert_int_equal(known, 0);
        st.presence = PRESENCE_ACTIVE;
        /* A clean exit: the time since was away. */
        st.clean = true;
        state_to_sched(&st, &m, boot, 5 * USEC_PER_SEC, &sv, &gap, &known);
        assert_int_equal(known, 0);
        st.clean = false;
        /* Another boot (a power loss): the wall clock measures, and all was away. */
        state_to_sched(&st, &m, "ffffffffffffffffffffffffffffffff", 5 * USEC_PER_SEC, &sv, &gap, &known);
        assert_int_equal(gap, 4000 * USEC_PER_SEC);
        assert_int_equal(known, 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_round_trip),
                cmocka_unit_test(test_hostile_files),
                cmocka_unit_test(test_flare_without_a_plan),
                cmocka_unit_test(test_unknown_keys_are_ignored),
                cmocka_unit_test(test_save_and_load),
                cmocka_unit_test(test_to_sched),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
