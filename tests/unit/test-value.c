/* SPDX-License-Identifier: MIT */
#include <errno.h>

#include "testutil.h"
#include "value.h"

static void test_duration_valid(void **state)
{
        static const struct {
                const char *text;
                uint64_t usec;
                const char *canonical;
        } cases[] = {
                { "90s", 90 * USEC_PER_SEC, "1m30s" },
                { "20m", 20 * USEC_PER_MIN, "20m" },
                { "1h30m", 90 * USEC_PER_MIN, "1h30m" },
                { "1s", USEC_PER_SEC, "1s" },
                { "0s", 0, "0s" },
                { "2d", 2 * USEC_PER_DAY, "2d" },
                { "1d2h3m4s", USEC_PER_DAY + 2 * USEC_PER_HOUR + 3 * USEC_PER_MIN + 4 * USEC_PER_SEC, "1d2h3m4s" },
                { "120m", 2 * USEC_PER_HOUR, "2h" },
                { "007m", 7 * USEC_PER_MIN, "7m" },
                { "366d", 366 * USEC_PER_DAY, "366d" },
                { "1h 20m", 80 * USEC_PER_MIN, "1h20m" },
                { "2d 3h 4m 5s", 2 * USEC_PER_DAY + 3 * USEC_PER_HOUR + 4 * USEC_PER_MIN + 5 * USEC_PER_SEC, "2d3h4m5s" },
        };
        char buf[DURATION_BUF];

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                uint64_t v = 1;
                assert_int_equal(parse_duration(cases[i].text, &v), 0);
                assert_int_equal(v, cases[i].usec);
                assert_string_equal(format_duration(buf, v), cases[i].canonical);
                /* The canonical form reads back as the same value. */
                assert_int_equal(parse_duration(buf, &v), 0);
                assert_int_equal(v, cases[i].usec);
        }
}

static void test_duration_invalid(void **state)
{
        static const struct {
                const char *text;
                int error;
        } cases[] = {
                { "", -EINVAL },
                { "20", -EINVAL },
                { "20 minutes", -EINVAL },
                { "-5m", -EINVAL },
                { "+5m", -EINVAL },
                { "5x", -EINVAL },
                { "m", -EINVAL },
                { " 5m", -EINVAL },
                { "5m ", -EINVAL },
                { "5 m", -EINVAL },
                { "1h  20m", -EINVAL },
                { "1h 20", -EINVAL },
                { "1h\t20m", -EINVAL },
                { "30m1h", -EINVAL },
                { "1h1h", -EINVAL },
                { "1.5h", -EINVAL },
                { "5M", -EINVAL },
                { "5ms", -EINVAL },
                { "367d", -ERANGE },
                { "99999999999999999999s", -ERANGE },
                { "8785h", -ERANGE },
                { "1h\n", -EINVAL },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                uint64_t v = 42;
                int r = parse_duration(cases[i].text, &v);
                if (r != cases[i].error)
                        fail_msg("parse_duration(\"%s\") = %d, expected %d", cases[i].text, r, cases[i].error);
                assert_int_equal(v, 42); /* untouched on error */
        }
        assert_int_equal(parse_duration(NULL, NULL), -EINVAL);
}

static void test_format_subsecond(void **state)
{
        char buf[DURATION_BUF];

        assert_string_equal(format_duration(buf, 1500 * 1000), "1s500ms");
        assert_string_equal(format_duration(buf, 250 * 1000), "250ms");
        assert_string_equal(format_duration(buf, 22 * USEC_PER_MIN + 30 * USEC_PER_SEC), "22m30s");
}

static void test_time_of_day(void **state)
{
        static const struct {
                const char *text;
                int r;
                unsigned minutes;
        } cases[] = {
                { "04:00", 0, 240 },      { "4:00", 0, 240 },         { "00:00", 0, 0 },        { "23:59", 0, 1439 },
                { "24:00", -ERANGE, 0 },  { "12:60", -ERANGE, 0 },    { "4", -EINVAL, 0 },      { "04:0", -EINVAL, 0 },
                { "004:00", -EINVAL, 0 }, { "04:00:00", -EINVAL, 0 }, { "", -EINVAL, 0 },       { "-1:00", -EINVAL, 0 },
                { "04.00", -EINVAL, 0 },  { " 04:00", -EINVAL, 0 },   { "04:00 ", -EINVAL, 0 },
        };
        char buf[TOD_BUF];

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                unsigned m = 9999;
                int r = parse_time_of_day(cases[i].text, &m);
                if (r != cases[i].r)
                        fail_msg("parse_time_of_day(\"%s\") = %d, expected %d", cases[i].text, r, cases[i].r);
                if (r == 0)
                        assert_int_equal(m, cases[i].minutes);
        }
        assert_string_equal(format_time_of_day(buf, 240), "04:00");
        assert_string_equal(format_time_of_day(buf, 1439), "23:59");
}

static void test_bool_count_percent(void **state)
{
        static const char *const yes[] = { "yes", "true", "on", "1", "YES", "True" };
        static const char *const bad[] = { "", "y", "2", "yess", "no ", "maybe" };
        uint64_t c;
        unsigned p;
        bool b;

        for (size_t i = 0; i < ELEMENTSOF(yes); i++) {
                assert_int_equal(parse_bool(yes[i], &b), 0);
                assert_true(b);
        }
        assert_int_equal(parse_bool("off", &b), 0);
        assert_false(b);
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                assert_int_equal(parse_bool(bad[i], &b), -EINVAL);

        assert_int_equal(parse_count("3", &c), 0);
        assert_int_equal(c, 3);
        assert_int_equal(parse_count("-1", &c), -EINVAL);
        assert_int_equal(parse_count("3 ", &c), -EINVAL);
        assert_int_equal(parse_count("", &c), -EINVAL);
        assert_int_equal(parse_count("99999999999", &c), -ERANGE);

        assert_int_equal(parse_percent("50%", &p), 0);
        assert_int_equal(p, 50);
        assert_int_equal(parse_percent("50", &p), -EINVAL);
        assert_int_equal(parse_percent("50%%", &p), -EINVAL);
        assert_int_equal(parse_percent("0.5", &p), -EINVAL);
        assert_int_equal(parse_percent("5000%", &p), -ERANGE);
}

static void test_id_list(void **state)
{
        static const struct {
                const char *text;
                const char *canonical; /* NULL: an error */
                size_t count;
                int error;
        } cases[] = {
                { "all", "all", 0, 0 },
                { "chin-tuck", "chin-tuck", 1, 0 },
                { "chin-tuck, neck-side-bend", "chin-tuck, neck-side-bend", 2, 0 },
                { "chin-tuck neck-side-bend", "chin-tuck, neck-side-bend", 2, 0 },
                { " a1,,b2 ,\tc3 ", "a1, b2, c3", 3, 0 },
                { "", NULL, 0, -EINVAL },
                { " , ", NULL, 0, -EINVAL },
                { "all, chin-tuck", NULL, 0, -EINVAL },
                { "All", NULL, 0, -EINVAL },
                { "chin_tuck", NULL, 0, -EINVAL },
                { "-chin", NULL, 0, -EINVAL },
                { "chin-", NULL, 0, -EINVAL },
                { "chin--tuck", NULL, 0, -EINVAL },
                { "a, b, a", NULL, 0, -EINVAL },
                { "a;b", NULL, 0, -EINVAL },
                { "a # comment", NULL, 0, -EINVAL },
                { "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghi", NULL, 0, -EINVAL }, /* 49 characters */
        };
        char many[ID_LIST_MAX * 4 + 8] = "";

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char *canon = NULL;
                const char *why = NULL;
                size_t n = 99;
                int r = parse_id_list(cases[i].text, &canon, &n, &why);

                if (!cases[i].canonical) {
                        if (r != cases[i].error)
                                fail_msg("'%s': %d, want %d", cases[i].text, r, cases[i].error);
                        assert_non_null(why);
                        assert_null(canon);
                        continue;
                }
                assert_int_equal(r, 0);
                assert_string_equal(canon, cases[i].canonical);
                assert_int_equal(n, cases[i].count);
                /* The canonical text reads back the same. */
                free(canon);
                assert_int_equal(parse_id_list(cases[i].canonical, &canon, &n, NULL), 0);
                assert_string_equal(canon, cases[i].canonical);
                free(canon);
        }

        /* At most ID_LIST_MAX ids. */
        for (int i = 0; i < ID_LIST_MAX; i++)
                snprintf(many + strlen(many), sizeof(many) - strlen(many), "e%d ", i);
        {
                size_t n;
                assert_int_equal(parse_id_list(many, NULL, &n, NULL), 0);
                assert_int_equal(n, ID_LIST_MAX);
                strcat(many, "one-more");
                assert_int_equal(parse_id_list(many, NULL, &n, NULL), -ERANGE);
        }
}

static void test_name_list(void **state)
{
        static const struct {
                const char *text;
                const char *canonical; /* NULL: an error */
                size_t count;
        } cases[] = {
                { "do-not-disturb dnd", "do-not-disturb, dnd", 2 },
                { "do-not-disturb, dnd", "do-not-disturb, dnd", 2 },
                { " DND,\tquiet_mode ", "DND, quiet_mode", 2 },
                { "a.b:c@d+e", "a.b:c@d+e", 1 },
                { "all", "all", 1 }, /* a name like any other */
                { "", NULL, 0 },
                { " , ", NULL, 0 },
                { "dnd, dnd", NULL, 0 },
                { "dnd;x", NULL, 0 },
                { "dnd # comment", NULL, 0 },
                { "d\xc3\xa9", NULL, 0 },
                { "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghi", NULL, 0 }, /* 49 characters */
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char *canon = NULL;
                const char *why = NULL;
                size_t n = 99;
                int r = parse_name_list(cases[i].text, &canon, &n, &why);

                if (!cases[i].canonical) {
                        if (r != -EINVAL)
                                fail_msg("'%s': %d, want -EINVAL", cases[i].text, r);
                        assert_non_null(why);
                        assert_null(canon);
                        continue;
                }
                if (r != 0)
                        fail_msg("'%s': %d (%s)", cases[i].text, r, why);
                assert_string_equal(canon, cases[i].canonical);
                assert_int_equal(n, cases[i].count);
                free(canon);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_duration_valid),     cmocka_unit_test(test_duration_invalid),
                cmocka_unit_test(test_format_subsecond),   cmocka_unit_test(test_time_of_day),
                cmocka_unit_test(test_bool_count_percent), cmocka_unit_test(test_id_list),
                cmocka_unit_test(test_name_list),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
