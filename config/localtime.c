/* SPDX-License-Identifier: MIT */
#include "localtime.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "value.h"

uint64_t now_usec(clockid_t clock)
{
        struct timespec ts;

        if (clock_gettime(clock, &ts) < 0)
                return 0;
        return (uint64_t) ts.tv_sec * USEC_PER_SEC + (uint64_t) ts.tv_nsec / 1000;
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
                tm = (struct tm){
                        .tm_year = tm.tm_year, .tm_mon = tm.tm_mon, .tm_mday = tm.tm_mday - 1, .tm_hour = 12
                };
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

char *format_clock(char buf[static CLOCK_BUF], uint64_t rt)
{
        time_t t = (time_t) (rt / USEC_PER_SEC);
        struct tm tm;

        if (!localtime_r(&t, &tm) || !strftime(buf, CLOCK_BUF, "%H:%M", &tm))
                snprintf(buf, CLOCK_BUF, "?");
        return buf;
}

/* Reads exactly n digits at *s. */
static bool digits(const char **s, int n, int *ret)
{
        int v = 0;

        for (int i = 0; i < n; i++) {
                char c = (*s)[i];
                if (c < '0' || c > '9')
                        return false;
                v = v * 10 + (c - '0');
        }
        *s += n;
        *ret = v;
        return true;
}

static bool leap(int y)
{
        return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The fields of a YYYY-MM-DDTHH:MM:SS prefix as seconds of naive time;
 * *end points after them. */
static int parse_fields(const char *s, const char **end, int64_t *ret);

int parse_iso_instant(const char *s, int64_t *ret)
{
        int oh = 0, om = 0, sign;
        int64_t t;
        int r = parse_fields(s, &s, &t);

        if (r < 0)
                return r;
        if (*s == 'Z') {
                s++;
        } else if (*s == '+' || *s == '-') {
                sign = *s++ == '-' ? -1 : 1;
                if (!digits(&s, 2, &oh) || *s++ != ':' || !digits(&s, 2, &om) || oh > 23 || om > 59)
                        return -EINVAL;
                t -= sign * (oh * 3600 + om * 60);
        } else {
                return -EINVAL;
        }
        if (*s && *s != ' ' && *s != '\t')
                return -EINVAL;
        *ret = t * (int64_t) USEC_PER_SEC;
        return 0;
}

static int parse_fields(const char *s, const char **end, int64_t *ret)
{
        static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
        int y, mo, d, h, mi, sec;
        struct tm tm;

        if (!digits(&s, 4, &y) || *s++ != '-' || !digits(&s, 2, &mo) || *s++ != '-' || !digits(&s, 2, &d) ||
            *s++ != 'T' || !digits(&s, 2, &h) || *s++ != ':' || !digits(&s, 2, &mi) || *s++ != ':' ||
            !digits(&s, 2, &sec))
                return -EINVAL;
        if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] + (mo == 2 && leap(y)) || h > 23 || mi > 59 ||
            sec > 59)
                return -ERANGE;
        tm = (struct tm){
                .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = sec
        };
        *ret = (int64_t) timegm(&tm);
        *end = s;
        return 0;
}

int parse_trace_time(const char *s, int64_t *ret)
{
        int64_t t;
        int r = parse_fields(s, &s, &t);

        if (r < 0)
                return r;
        if (*s == 'Z' || *s == '+' || *s == '-') {
                int oh = 0, om = 0, sign = *s == '-' ? -1 : 1;

                if (*s == 'Z')
                        s++;
                else {
                        s++;
                        if (!digits(&s, 2, &oh) || *s++ != ':' || !digits(&s, 2, &om) || oh > 23 || om > 59)
                                return -EINVAL;
                }
                if (*s)
                        return -EINVAL;
                *ret = (t - sign * (oh * 3600 + om * 60)) * (int64_t) USEC_PER_SEC;
                return 1;
        }
        if (*s)
                return -EINVAL;
        *ret = naive_instant(t) * (int64_t) USEC_PER_SEC;
        return 0;
}

/* The offset from UTC (s) of local time at an instant (s). Replays convert
 * every line and event, and localtime_r() and mktime() are slow: an hour of
 * instants shares its offset, learnt once, unless a clock change falls in it
 * (the offsets at its two ends differ), where each instant is asked. */
static struct {
        bool valid;
        int64_t hour; /* instant / 3600 */
        long off;
} zone_cache;

void local_zone_changed(void)
{
        zone_cache.valid = false;
}

static bool gmtoff(int64_t instant, long *ret)
{
        time_t t = (time_t) instant;
        struct tm tm;

        if (!localtime_r(&t, &tm))
                return false;
        *ret = tm.tm_gmtoff;
        return true;
}

/* true when the offset holds for the whole hour around instant. */
static bool offset_at(int64_t instant, long *ret)
{
        int64_t hour = instant >= 0 ? instant / 3600 : (instant - 3599) / 3600;
        long a, b;

        if (zone_cache.valid && zone_cache.hour == hour) {
                *ret = zone_cache.off;
                return true;
        }
        if (gmtoff(hour * 3600, &a) && gmtoff(hour * 3600 + 3599, &b) && a == b) {
                zone_cache.valid = true;
                zone_cache.hour = hour;
                zone_cache.off = a;
                *ret = a;
                return true;
        }
        if (!gmtoff(instant, ret))
                *ret = 0;
        return false;
}

int64_t naive_instant(int64_t naive)
{
        time_t n = (time_t) naive, instant;
        struct tm tm;
        long off, off2;

        /* The instant an offset names, if the offset is right there. */
        if (offset_at(naive, &off) && offset_at(naive - off, &off2) && off == off2)
                return naive - off;
        /* Near a clock change: mktime decides (in the hour it skips, the
         * time is read as the one after it). */
        if (!gmtime_r(&n, &tm))
                return naive;
        tm.tm_isdst = -1;
        instant = mktime(&tm);
        return instant == (time_t) -1 ? naive : (int64_t) instant;
}

int64_t local_naive(int64_t instant_usec)
{
        int64_t s = instant_usec >= 0 ? instant_usec / (int64_t) USEC_PER_SEC
                                      : (instant_usec - (int64_t) USEC_PER_SEC + 1) / (int64_t) USEC_PER_SEC;
        long off;

        (void) offset_at(s, &off);
        return instant_usec + (int64_t) off * (int64_t) USEC_PER_SEC;
}

char *format_naive(char buf[static TIME_BUF], int64_t naive_usec)
{
        time_t t = (time_t) (naive_usec / (int64_t) USEC_PER_SEC);
        struct tm tm;

        if (!gmtime_r(&t, &tm))
                snprintf(buf, TIME_BUF, "?");
        else
                strftime(buf, TIME_BUF, "%Y-%m-%dT%H:%M:%S", &tm);
        return buf;
}

int64_t next_day_boundary(int64_t naive_usec, unsigned day_starts)
{
        const int64_t day = (int64_t) USEC_PER_DAY, off = (int64_t) day_starts * (int64_t) USEC_PER_MIN;
        int64_t t = naive_usec - off, start = (t >= 0 ? t / day : (t - day + 1) / day) * day;

        return start + off + day;
}

int64_t local_day_index(int64_t instant_usec, unsigned day_starts)
{
        const int64_t day = (int64_t) USEC_PER_DAY;
        int64_t x = local_naive(instant_usec) - (int64_t) day_starts * (int64_t) USEC_PER_MIN;

        return x >= 0 ? x / day : (x - day + 1) / day;
}

void local_day_label(int64_t idx, char buf[static 11])
{
        char t[TIME_BUF];

        format_naive(t, idx * (int64_t) USEC_PER_DAY);
        memcpy(buf, t, 10);
        buf[10] = '\0';
}

int parse_date(const char *s, int64_t *ret_idx)
{
        char t[32];
        int64_t naive;
        const char *end;
        int r;

        if (strlen(s) != 10)
                return -EINVAL;
        snprintf(t, sizeof(t), "%sT00:00:00", s);
        r = parse_fields(t, &end, &naive);
        if (r < 0)
                return r;
        if (*end)
                return -EINVAL;
        *ret_idx = naive / (24 * 3600);
        return 0;
}
