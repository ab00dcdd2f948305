/* SPDX-License-Identifier: MIT */
/* The state file: round trip, hostile and truncated files, atomic saves. */
#include <errno.h>

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
        st.kinds[KIND_POSTURE] = (struct saved_kind) { 12 * USEC_PER_MIN, true, 30 * USEC_PER_SEC, st.saved_at + 1, 2, 3 };
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
                { "version=2\nend\n", "bad value for version" },
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
        _cleanup_(freep) char *path = xasprintf("%s/state", dir);
        struct saved_state st = { .saved_at = 42, .active_today = 7 }, back;
        char err[256];
        struct stat sb;

        assert_int_equal(state_load(path, &back, err, sizeof(err)), -ENOENT);
        assert_int_equal(state_save(path, &st), 0);
        assert_int_equal(stat(path, &sb), 0);
        assert_int_equal(sb.st_mode & 0777, 0600);
        assert_int_equal(state_load(path, &back, err, sizeof(err)), 0);
        assert_int_equal(back.active_today, 7);
        /* No temporary files left behind. */
        {
                _cleanup_(freep) char *cmd = xasprintf("test $(ls -A '%s' | wc -l) -eq 1", dir);
                assert_int_equal(system(cmd), 0);
        }
        tmpdir_remove(dir);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_round_trip),
                cmocka_unit_test(test_hostile_files),
                cmocka_unit_test(test_unknown_keys_are_ignored),
                cmocka_unit_test(test_save_and_load),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
