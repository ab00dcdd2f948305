/* SPDX-License-Identifier: MIT */
/* Working hours: the parser, its messages, the canonical text, and the
 * state at a moment. */
#include <errno.h>
#include <time.h>

#include "localtime.h"
#include "schedule.h"
#include "testutil.h"
#include "value.h"

static void test_parse_and_format(void **state)
{
        static const struct {
                const char *text, *canonical;
        } cases[] = {
                { "always", "always" },
                { "  always ", "always" },
                { "Mon-Fri 08:30-12:30 13:30-17:30", "Mon-Fri 08:30-12:30 13:30-17:30" },
                { "Mon,Wed 09:00-13:00; Tue,Thu,Fri 13:00-19:00", "Mon,Wed 09:00-13:00; Tue,Thu,Fri 13:00-19:00" },
                { "mon-fri 8:30-17:00", "Mon-Fri 08:30-17:00" },
                { "Sat 22:00-02:00", "Sat 22:00-02:00" },
                { "Sun 22:00-02:00", "Sun 22:00-02:00" },          /* into Monday, across the week */
                { "Fri-Mon 09:00-17:00", "Mon,Fri-Sun 09:00-17:00" }, /* a range of days wraps */
                { "Mon 00:00-24:00", "Mon 00:00-24:00" },
                { "Mon-Sun 00:00-24:00", "always" },
                { "Mon 09:00-12:00; Mon 11:00-13:00", "Mon 09:00-13:00" }, /* overlaps merge */
                { "Tue 09:00-10:00; Mon 09:00-10:00", "Mon,Tue 09:00-10:00" },
                { "Mon,Wed,Fri 09:00-10:00", "Mon,Wed,Fri 09:00-10:00" },
                { "Sat 10:00-09:00", "Sat 10:00-09:00" }, /* 23 hours */
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct schedule s, again;
                _cleanup_(freep) char *text = NULL;

                if (schedule_parse(cases[i].text, &s, NULL, 0, NULL, 0) < 0)
                        fail_msg("case %zu: '%s' does not parse", i, cases[i].text);
                text = schedule_format(&s);
                if (!streq(text, cases[i].canonical))
                        fail_msg("case %zu: '%s' formats as '%s', not '%s'", i, cases[i].text, text, cases[i].canonical);
                assert_int_equal(schedule_parse(text, &again, NULL, 0, NULL, 0), 0);
                assert_true(schedule_equal(&s, &again));
        }
}

static void test_errors_name_the_token(void **state)
{
        static const struct {
                const char *text, *why, *token;
        } cases[] = {
                { "", "empty", "" },
                { "Mnd-Fri 08:00-12:00", "expected days", "Mnd-Fri" },
                { "Mon-Fri 8h-12h", "expected a time range", "8h-12h" },
                { "Mon-Fri 08:00-25:00", "expected a time range", "08:00-25:00" },
                { "Mon-Fri 24:00-02:00", "expected a time range", "24:00-02:00" },
                { "Mon-Fri", "days without a time range", "Mon-Fri" },
                { "Mon-Fri 08:00-12:00;", "no group after it", ";" },
                { "08:00-12:00", "expected days", "08:00-12:00" },
                { "Mon-Fri 08:00-12:00 Sat 09:00-10:00", "separate groups with ';'", "Sat" },
                { "Mon,,Tue 09:00-10:00", "expected days", "Mon,,Tue" },
                { "Mon, 09:00-10:00", "expected days", "Mon," },
                { "Mon-Fri 08:00-12:00; ; Sat 09:00-10:00", "an empty group", "" },
                { "sometimes", "expected days", "sometimes" },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct schedule s;
                char why[96] = "", token[80] = "";

                assert_int_equal(schedule_parse(cases[i].text, &s, why, sizeof(why), token, sizeof(token)), -EINVAL);
                if (!strstr(why, cases[i].why) || !streq(token, cases[i].token))
                        fail_msg("case %zu: '%s': got (%s, '%s'), expected (%s, '%s')", i, cases[i].text, why, token,
                                 cases[i].why, cases[i].token);
        }
}

/* 2027-01-04 is a Monday. */
static int64_t naive(const char *t)
{
        int64_t v;
        char buf[40];

        snprintf(buf, sizeof(buf), "%sZ", t);
        assert_int_equal(parse_iso_instant(buf, &v), 0);
        return v;
}

static void test_state(void **state)
{
        static const struct {
                const char *schedule, *at;
                bool in;
                const char *next; /* NULL: never */
        } cases[] = {
                { "always", "2027-01-04T03:00:00", true, NULL },
                { "Mon-Fri 08:30-12:30 13:30-17:30", "2027-01-04T08:29:59", false, "2027-01-04T08:30:00" },
                { "Mon-Fri 08:30-12:30 13:30-17:30", "2027-01-04T08:30:00", true, "2027-01-04T12:30:00" },
                { "Mon-Fri 08:30-12:30 13:30-17:30", "2027-01-04T12:45:10", false, "2027-01-04T13:30:00" },
                { "Mon-Fri 08:30-12:30 13:30-17:30", "2027-01-08T18:00:00", false, "2027-01-11T08:30:00" },
                { "Sat 22:00-02:00", "2027-01-10T01:00:00", true, "2027-01-10T02:00:00" }, /* Sunday 1 am */
                { "Sun 22:00-02:00", "2027-01-11T01:59:00", true, "2027-01-11T02:00:00" }, /* Monday, across the week */
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct schedule s;
                int64_t next;
                char got[TIME_BUF];

                assert_int_equal(schedule_parse(cases[i].schedule, &s, NULL, 0, NULL, 0), 0);
                if (schedule_state(&s, naive(cases[i].at), &next) != cases[i].in)
                        fail_msg("case %zu: at %s working time is %d", i, cases[i].at, !cases[i].in);
                if (!cases[i].next) {
                        assert_true(next == INT64_MAX);
                        continue;
                }
                format_naive(got, next);
                if (!streq(got, cases[i].next))
                        fail_msg("case %zu: next change at %s, expected %s", i, got, cases[i].next);
        }
}

/* Working hours that begin in the hour a clock change skips begin when the
 * clock comes out of it. */
static void test_instants_across_a_clock_change(void **state)
{
        struct schedule s;
        int64_t next, start;

        setenv("TZ", "Europe/Berlin", 1);
        tzset();
        local_zone_changed();
        assert_int_equal(schedule_parse("Sun 02:30-03:30; Mon 08:00-12:00", &s, NULL, 0, NULL, 0), 0);
        /* 2027-03-28 02:00 CET: the clocks jump to 03:00 CEST. */
        assert_int_equal(parse_iso_instant("2027-03-28T01:00:00+01:00", &start), 0);
        assert_false(schedule_at_instant(&s, start, &next));
        assert_true(next == start + 1 * (int64_t) USEC_PER_HOUR); /* 02:30 does not exist: from 03:00 CEST */
        assert_true(schedule_at_instant(&s, next, &next));
        assert_int_equal(parse_iso_instant("2027-03-28T03:30:00+02:00", &start), 0);
        assert_true(next == start);
        unsetenv("TZ");
        tzset();
        local_zone_changed();
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_parse_and_format),
                cmocka_unit_test(test_errors_name_the_token),
                cmocka_unit_test(test_state),
                cmocka_unit_test(test_instants_across_a_clock_change),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
