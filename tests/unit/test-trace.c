/* SPDX-License-Identifier: MIT */
/* Trace times: the cached zone conversions agree with the C library's, in
 * zones with and without clock changes, around every kind of transition.
 * Flare plans in traces and in the history's records. */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "testutil.h"
#include "localtime.h"
#include "trace.h"
#include "value.h"

static const char *const zones[] = { "UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
                                     "Asia/Kolkata", "America/St_Johns", "Pacific/Chatham" };

static void use_zone(const char *zone)
{
        setenv("TZ", zone, 1);
        tzset();
}

/* Every 7 minutes and 13 seconds through 2026: both directions match libc. */
static void test_matches_libc(void **state)
{
        const int64_t from = 1767225600, to = from + 366 * 86400; /* 2026-01-01 UTC, a year on */

        for (size_t z = 0; z < ELEMENTSOF(zones); z++) {
                use_zone(zones[z]);
                for (int64_t t = from; t < to; t += 7 * 60 + 13) {
                        time_t tt = (time_t) t, back;
                        struct tm tm;
                        int64_t naive;

                        assert_non_null(localtime_r(&tt, &tm));
                        naive = (int64_t) timegm(&tm);
                        if (local_naive(t * (int64_t) USEC_PER_SEC) != naive * (int64_t) USEC_PER_SEC)
                                fail_msg("%s: local_naive(%lld) != %lld", zones[z], (long long) t, (long long) naive);
                        /* Back again: the same instant, except where the
                         * local time is ambiguous (the hour repeated). */
                        tm.tm_isdst = -1;
                        back = mktime(&tm);
                        if (back == tt && naive_instant(naive) != t) {
                                int64_t other = naive_instant(naive);
                                time_t o = (time_t) other;
                                struct tm tm2;
                                assert_non_null(localtime_r(&o, &tm2));
                                if ((int64_t) timegm(&tm2) != naive)
                                        fail_msg("%s: naive_instant(%lld) = %lld, not %lld", zones[z],
                                                 (long long) naive, (long long) other, (long long) t);
                        }
                }
        }
        use_zone("UTC");
}

/* A local time the spring clock change skips is read as the time after it,
 * as mktime() reads it. */
static void test_skipped_hour(void **state)
{
        struct tm tm = { .tm_year = 126, .tm_mon = 2, .tm_mday = 29, .tm_hour = 2, .tm_min = 30, .tm_isdst = -1 };
        int64_t naive = (int64_t) timegm(&tm);

        use_zone("Europe/Berlin");
        tm.tm_isdst = -1;
        assert_int_equal(naive_instant(naive), (int64_t) mktime(&tm));
        use_zone("UTC");
}

/* A flare plan in a trace: the action with its days, the record of it. */
static void test_flare_plans(void **state)
{
        static const char text[] = "2026-11-24T09:00:00 active\n"
                                   "+1m flare on 3d\n"
                                   "+1m flare on\n"
                                   "+1m flare pacing on=1 day=2 days=3 recovery=2 scale=50\n"
                                   "+1m flare pacing on=0 scale=100\n"
                                   "+1m flare pacing on=1\n";
        static const struct {
                const char *line, *error;
        } bad[] = {
                { "2026-11-24T09:00:00 flare off 3d", "only 'flare on' takes a number of days: '3d'" },
                { "2026-11-24T09:00:00 flare on 3h", "expected whole days from 1d to 30d: '3h'" },
                { "2026-11-24T09:00:00 flare on 31d", "expected whole days from 1d to 30d: '31d'" },
                { "2026-11-24T09:00:00 flare on 0d", "expected whole days from 1d to 30d: '0d'" },
                { "2026-11-24T09:00:00 flare pacing on=2", "expected 0 or 1 for on: '2'" },
                { "2026-11-24T09:00:00 flare pacing day=x", "invalid number for day: 'x'" },
                { "2026-11-24T09:00:00 flare pacing scale=1001", "invalid number for scale: '1001'" },
        };
        struct trace_reader r;
        struct trace_event ev;
        struct action a;
        char err[512];

        use_zone("UTC");
        trace_reader_init(&r, "t", text, strlen(text));
        assert_int_equal(trace_next(&r, &ev, err, sizeof(err)), 1);
        assert_int_equal(trace_next(&r, &ev, err, sizeof(err)), 1);
        assert_int_equal(ev.type, TRACE_ACTION);
        a = trace_action(&ev);
        assert_int_equal(a.type, ACTION_FLARE);
        assert_true(a.on);
        assert_int_equal(a.days, 3);
        assert_int_equal(trace_next(&r, &ev, err, sizeof(err)), 1);
        assert_int_equal(trace_action(&ev).days, 0); /* pacing.flare-days */
        assert_int_equal(trace_next(&r, &ev, err, sizeof(err)), 1);
        assert_int_equal(ev.type, TRACE_RECORD);
        assert_int_equal(ev.record, EV_FLARE);
        assert_true(ev.on);
        assert_int_equal(ev.day, 2);
        assert_int_equal(ev.days, 3);
        assert_int_equal(ev.recovery, 2);
        assert_int_equal(ev.scale, 50);
        assert_int_equal(trace_next(&r, &ev, err, sizeof(err)), 1);
        assert_false(ev.on);
        assert_int_equal(ev.scale, 100);
        /* A record from before plans. */
        assert_int_equal(trace_next(&r, &ev, err, sizeof(err)), 1);
        assert_true(ev.on);
        assert_int_equal(ev.days, 0);
        assert_int_equal(trace_next(&r, &ev, err, sizeof(err)), 0);

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                _cleanup_(freep) char *want = xasprintf("t:1: %s", bad[i].error);
                trace_reader_init(&r, "t", bad[i].line, strlen(bad[i].line));
                assert_int_equal(trace_next(&r, &ev, err, sizeof(err)), -EINVAL);
                assert_string_equal(err, want);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_matches_libc),
                cmocka_unit_test(test_skipped_hour),
                cmocka_unit_test(test_flare_plans),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
