/* SPDX-License-Identifier: MIT */
/* Editing a policy file's text: one line changes, every other byte stays. */
#include "ini-edit.h"
#include "testutil.h"

static void check_set(const char *before, const char *section, const char *key, const char *value,
                      const char *after)
{
        _cleanup_(freep) char *got = ini_set(before, section, key, value);
        if (!streq(got, after))
                fail_msg("ini_set(%s.%s = %s)\n--- got:\n%s--- expected:\n%s", section, key, value, got, after);
}

static void test_set_missing_file_and_section(void **state)
{
        check_set(NULL, "posture", "interval", "25m", "[posture]\ninterval = 25m\n");
        check_set("", "posture", "interval", "25m", "[posture]\ninterval = 25m\n");
        check_set("# mine\n", "posture", "interval", "25m", "# mine\n[posture]\ninterval = 25m\n");
        check_set("[movement]\nduration = 6m\n", "pacing", "enabled", "yes",
                  "[movement]\nduration = 6m\n\n[pacing]\nenabled = yes\n");
        /* no newline at the end of the file */
        check_set("[movement]\nduration = 6m", "pacing", "enabled", "yes",
                  "[movement]\nduration = 6m\n\n[pacing]\nenabled = yes\n");
}

static void test_set_replaces_in_place(void **state)
{
        static const char before[] = "# my policy\n"
                                     "\n"
                                     "[posture]\n"
                                     "; shorter than my employer's default\n"
                                     "  interval: 15m\n"
                                     "duration = 40s   ; inline comments are kept too\n"
                                     "\n"
                                     "# movement next\n"
                                     "[movement]\n"
                                     "interval = 45m\n";
        static const char after[] = "# my policy\n"
                                    "\n"
                                    "[posture]\n"
                                    "; shorter than my employer's default\n"
                                    "interval = 25m\n"
                                    "duration = 40s   ; inline comments are kept too\n"
                                    "\n"
                                    "# movement next\n"
                                    "[movement]\n"
                                    "interval = 45m\n";
        check_set(before, "posture", "interval", "25m", after);
}

static void test_set_adds_to_existing_section(void **state)
{
        check_set("[posture]\ninterval = 25m\n\n# movement next\n[movement]\ninterval = 45m\n", "posture", "duration",
                  "1m", "[posture]\ninterval = 25m\nduration = 1m\n\n# movement next\n[movement]\ninterval = 45m\n");
        /* The last [posture] block and the last duplicate line are the ones in force. */
        check_set("[posture]\ninterval = 1m\n[movement]\nx = 1\n[posture]\ninterval = 2m\ninterval = 3m\n", "posture",
                  "interval", "4m",
                  "[posture]\ninterval = 1m\n[movement]\nx = 1\n[posture]\ninterval = 2m\ninterval = 4m\n");
        /* intervals in another section are not touched */
        check_set("[movement]\ninterval = 45m\n[posture]\n", "posture", "interval", "25m",
                  "[movement]\ninterval = 45m\n[posture]\ninterval = 25m\n");
        /* keys that only start the same are different keys */
        check_set("[posture]\nintervals = 1\n", "posture", "interval", "25m",
                  "[posture]\nintervals = 1\ninterval = 25m\n");
}

static void test_crlf_kept(void **state)
{
        check_set("[posture]\r\nduration = 1m\r\n", "posture", "interval", "25m",
                  "[posture]\r\nduration = 1m\r\ninterval = 25m\r\n");
}

static void test_unset(void **state)
{
        unsigned removed_a, removed;
        _cleanup_(freep) char *a = ini_unset("# c\n[posture]\ninterval = 1m\nduration = 1m\ninterval=2m\n[movement]\n"
                                             "interval = 3m\n",
                                             "posture", "interval", &removed_a);
        _cleanup_(freep) char *b = ini_unset("[movement]\ninterval = 3m\n", "posture", "interval", &removed);

        assert_string_equal(a, "# c\n[posture]\nduration = 1m\n[movement]\ninterval = 3m\n");
        assert_int_equal(removed_a, 2); /* both of [posture]'s lines, none of [movement]'s */
        assert_int_equal(removed, 0);
        assert_string_equal(b, "[movement]\ninterval = 3m\n");
        free(ini_unset(NULL, "posture", "interval", &removed));
        assert_int_equal(removed, 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_set_missing_file_and_section),
                cmocka_unit_test(test_set_replaces_in_place),
                cmocka_unit_test(test_set_adds_to_existing_section),
                cmocka_unit_test(test_crlf_kept),
                cmocka_unit_test(test_unset),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
