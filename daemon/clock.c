/* SPDX-License-Identifier: MIT */
#include "clock.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "value.h"

uint64_t now_usec(clockid_t clock)
{
        struct timespec ts;

        if (clock_gettime(clock, &ts) < 0)
                return 0;
        return (uint64_t) ts.tv_sec * USEC_PER_SEC + (uint64_t) ts.tv_nsec / 1000;
}

uint64_t realtime_from_boottime(uint64_t bt)
{
        uint64_t now_bt = boottime_now(), now_rt = realtime_now();

        if (bt >= now_bt)
                return now_rt + (bt - now_bt);
        return now_rt > now_bt - bt ? now_rt - (now_bt - bt) : 0;
}

uint64_t next_day_start(uint64_t rt, unsigned day_starts)
{
        time_t t = (time_t) (rt / USEC_PER_SEC);
        struct tm tm;
        time_t b;

        tzset();
        if (!localtime_r(&t, &tm))
                return rt + USEC_PER_DAY;
        tm.tm_hour = (int) (day_starts / 60);
        tm.tm_min = (int) (day_starts % 60);
        tm.tm_sec = 0;
        tm.tm_isdst = -1;
        b = mktime(&tm);
        /* mktime normalises; step a day at a time past rt (DST days are 23 or 25 h). */
        for (int i = 0; b <= t && i < 3; i++) {
                tm.tm_mday++;
                tm.tm_hour = (int) (day_starts / 60);
                tm.tm_min = (int) (day_starts % 60);
                tm.tm_sec = 0;
                tm.tm_isdst = -1;
                b = mktime(&tm);
        }
        if (b <= t)
                return rt + USEC_PER_DAY;
        return (uint64_t) b * USEC_PER_SEC;
}

void day_label(char buf[static 11], uint64_t rt, unsigned day_starts)
{
        time_t t = (time_t) (rt / USEC_PER_SEC), d;
        struct tm tm;

        tzset();
        if (!localtime_r(&t, &tm)) {
                snprintf(buf, 11, "?");
                return;
        }
        /* Before day-starts by the local clock: still the day before. (Not
         * rt minus day-starts, which misses by the hour a clock change adds.) */
        if ((unsigned) (tm.tm_hour * 60 + tm.tm_min) < day_starts) {
                tm = (struct tm) { .tm_year = tm.tm_year, .tm_mon = tm.tm_mon, .tm_mday = tm.tm_mday - 1,
                                   .tm_hour = 12 };
                d = timegm(&tm);
                gmtime_r(&d, &tm);
        }
        if (strftime(buf, 11, "%Y-%m-%d", &tm) == 0)
                snprintf(buf, 11, "?");
}

char *format_iso_local(char buf[static ISO_BUF], uint64_t rt)
{
        time_t t = (time_t) (rt / USEC_PER_SEC);
        struct tm tm;
        char z[8];
        size_t n;

        if (!localtime_r(&t, &tm)) {
                snprintf(buf, ISO_BUF, "?");
                return buf;
        }
        n = strftime(buf, ISO_BUF, "%Y-%m-%dT%H:%M:%S", &tm);
        strftime(z, sizeof(z), "%z", &tm); /* +0100 -> +01:00 */
        if (strlen(z) == 5)
                snprintf(buf + n, ISO_BUF - n, "%.3s:%s", z, z + 3);
        return buf;
}

uint64_t suspended_total(void)
{
        uint64_t bt = boottime_now(), mt = now_usec(CLOCK_MONOTONIC);
        return bt > mt ? bt - mt : 0;
}

int clock_change_fd(void)
{
        int fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);

        if (fd < 0)
                return -errno;
        if (clock_changed_ack(fd) < 0) {
                int r = -errno;
                close(fd);
                return r;
        }
        return fd;
}

int clock_changed_ack(int fd)
{
        /* An alarm in the far future that the kernel cancels when the clock is set. */
        struct itimerspec its = { .it_value = { .tv_sec = (time_t) 1 << 40 } };
        uint64_t expirations;

        if (read(fd, &expirations, sizeof(expirations)) < 0 && errno != EAGAIN && errno != ECANCELED)
                return -errno;
        if (timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL) < 0)
                return -errno;
        return 0;
}
