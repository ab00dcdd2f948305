/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <time.h>

#include "human.h"
#include "util.h"
#include "testutil.h"
#include "value.h"

static void test_durations(void **state)
{
        static const struct {
                uint64_t usec;
                const char *text;
        } cases[] = {
                { 0, "0s" },
                { 499 * 1000, "0s" },
                { 4995 * 1000, "5s" }, /* never "4s995ms" */
                { 5 * USEC_PER_SEC, "5s" },
                { 30 * USEC_PER_SEC, "30s" },
                { 59 * USEC_PER_SEC + 400 * 1000, "59s" },
                { 59 * USEC_PER_SEC + 600 * 1000, "1m" },
                { 89 * USEC_PER_SEC, "1m" },
                { 90 * USEC_PER_SEC, "2m" },
                { 5 * USEC_PER_MIN, "5m" },
                { 20 * USEC_PER_MIN + 29 * USEC_PER_SEC, "20m" },
                { 59 * USEC_PER_MIN + 31 * USEC_PER_SEC, "1h" },
                { 80 * USEC_PER_MIN, "1h 20m" },
                { 2 * USEC_PER_HOUR, "2h" },
                { USEC_PER_DAY + 3 * USEC_PER_HOUR, "1d 3h" },
                { 30 * USEC_PER_DAY, "30d" },
                { 2 * USEC_PER_DAY + 5 * USEC_PER_MIN, "2d 5m" },
        };
        char buf[HUMAN_BUF];

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                uint64_t back;
                assert_string_equal(human_duration(buf, cases[i].usec), cases[i].text);
                /* It reads back, rounded. */
                assert_int_equal(parse_duration(buf, &back), 0);
                assert_true(back + USEC_PER_MIN / 2 >= cases[i].usec && back <= cases[i].usec + USEC_PER_MIN / 2);
        }
}

/* The wall-clock µs of a local time. */
static uint64_t at(int year, int mon, int day, int h, int m, int s)
{
        struct tm tm = { .tm_year = year - 1900, .tm_mon = mon - 1, .tm_mday = day, .tm_hour = h, .tm_min = m,
                         .tm_sec = s, .tm_isdst = -1 };
        return (uint64_t) mktime(&tm) * USEC_PER_SEC;
}

static void test_times(void **state)
{
        uint64_t now = at(2026, 12, 2, 10, 0, 0); /* a Wednesday */
        char buf[HUMAN_BUF];

        assert_string_equal(human_clock(buf, at(2026, 12, 2, 8, 30, 0)), "08:30");
        /* To the nearest minute: 08:29:59.9999 is 08:30. */
        assert_string_equal(human_clock(buf, at(2026, 12, 2, 8, 30, 0) - 1), "08:30");
        assert_string_equal(human_clock(buf, at(2026, 12, 2, 8, 30, 29)), "08:30");
        assert_string_equal(human_when(buf, at(2026, 12, 2, 17, 0, 0), now), "17:00");
        assert_string_equal(human_when(buf, at(2026, 12, 3, 8, 30, 0), now), "Thu 08:30");
        assert_string_equal(human_when(buf, at(2026, 12, 7, 8, 30, 0), now), "Mon 08:30");
        assert_string_equal(human_when(buf, at(2026, 12, 9, 8, 30, 0), now), "2026-12-09 08:30");
        assert_string_equal(human_when(buf, at(2026, 12, 1, 8, 30, 0), now), "2026-12-01 08:30");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_durations),
                cmocka_unit_test(test_times),
        };

        setenv("TZ", "Europe/Berlin", 1);
        setenv("LC_ALL", "C", 1);
        tzset();
        return cmocka_run_group_tests(tests, NULL, NULL);
}
