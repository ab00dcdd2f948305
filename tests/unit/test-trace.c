/* SPDX-License-Identifier: MIT */
/* Trace times: the cached zone conversions agree with the C library's, in
 * zones with and without clock changes, around every kind of transition. */
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

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_matches_libc),
                cmocka_unit_test(test_skipped_hour),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
