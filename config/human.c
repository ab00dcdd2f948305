/* SPDX-License-Identifier: MIT */
#include "human.h"

#include <stdio.h>
#include <time.h>

#include "value.h"

static uint64_t round_to(uint64_t v, uint64_t unit)
{
        return (v + unit / 2) / unit * unit;
}

char *human_duration(char buf[static HUMAN_BUF], uint64_t usec)
{
        uint64_t m, d, h;
        size_t n = 0;

        usec = round_to(usec, USEC_PER_SEC);
        if (usec < USEC_PER_MIN) {
                snprintf(buf, HUMAN_BUF, "%llus", (unsigned long long) (usec / USEC_PER_SEC));
                return buf;
        }
        m = round_to(usec, USEC_PER_MIN) / USEC_PER_MIN;
        d = m / (24 * 60);
        h = m / 60 % 24;
        m %= 60;
        buf[0] = '\0';
        if (d)
                n += (size_t) snprintf(buf + n, HUMAN_BUF - n, "%llud", (unsigned long long) d);
        if (h)
                n += (size_t) snprintf(buf + n, HUMAN_BUF - n, "%s%lluh", n ? " " : "", (unsigned long long) h);
        if (m)
                snprintf(buf + n, HUMAN_BUF - n, "%s%llum", n ? " " : "", (unsigned long long) m);
        return buf;
}

/* The local time of rt to the nearest minute; false when it has none. */
static bool local_minute(uint64_t rt, struct tm *tm)
{
        time_t t = (time_t) (round_to(rt, USEC_PER_MIN) / USEC_PER_SEC);
        return localtime_r(&t, tm) != NULL;
}

char *human_clock(char buf[static HUMAN_BUF], uint64_t rt)
{
        struct tm tm;

        if (!local_minute(rt, &tm) || !strftime(buf, HUMAN_BUF, "%H:%M", &tm))
                snprintf(buf, HUMAN_BUF, "?");
        return buf;
}

char *human_when(char buf[static HUMAN_BUF], uint64_t rt, uint64_t now_rt)
{
        struct tm tm, now;
        size_t r;

        if (!local_minute(rt, &tm) || !local_minute(now_rt, &now)) {
                snprintf(buf, HUMAN_BUF, "?");
                return buf;
        }
        if (tm.tm_year == now.tm_year && tm.tm_yday == now.tm_yday)
                r = strftime(buf, HUMAN_BUF, "%H:%M", &tm);
        else if (rt > now_rt && rt - now_rt < 6 * USEC_PER_DAY)
                r = strftime(buf, HUMAN_BUF, "%a %H:%M", &tm);
        else
                r = strftime(buf, HUMAN_BUF, "%Y-%m-%d %H:%M", &tm);
        if (!r)
                snprintf(buf, HUMAN_BUF, "?");
        return buf;
}
