/* SPDX-License-Identifier: MIT */
#include "schedule.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "localtime.h"
#include "util.h"
#include "value.h"

#define DAY_MINUTES (24 * 60)

static const char *const day_names[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

static bool get(const struct schedule *s, unsigned m)
{
        m %= SCHEDULE_MINUTES;
        return s->bits[m / 8] & (1u << (m % 8));
}

static void set(struct schedule *s, unsigned m)
{
        m %= SCHEDULE_MINUTES;
        s->bits[m / 8] |= (uint8_t) (1u << (m % 8));
}

static int fail(char *why, size_t whysize, char *token, size_t tokensize, const char *what, const char *tok,
                size_t toklen)
{
        if (why)
                snprintf(why, whysize, "%s", what);
        if (token)
                snprintf(token, tokensize, "%.*s", (int) (toklen < 60 ? toklen : 60), tok);
        return -EINVAL;
}

static int day_index(const char *s, size_t len)
{
        for (int i = 0; i < 7; i++)
                if (len == 3 && strncasecmp(s, day_names[i], 3) == 0)
                        return i;
        return -1;
}

/* "Mon-Fri,Sun" into days[]. */
static bool parse_days(const char *s, size_t len, bool days[7])
{
        const char *end = s + len;

        while (s < end) {
                const char *comma = memchr(s, ',', (size_t) (end - s)), *item_end = comma ? comma : end;
                const char *dash = memchr(s, '-', (size_t) (item_end - s));
                int a = day_index(s, (size_t) ((dash ? dash : item_end) - s)), b = a;

                if (dash)
                        b = day_index(dash + 1, (size_t) (item_end - dash - 1));
                if (a < 0 || b < 0)
                        return false;
                for (int d = a;; d = (d + 1) % 7) { /* Fri-Mon wraps */
                        days[d] = true;
                        if (d == b)
                                break;
                }
                if (comma && comma + 1 == end)
                        return false; /* a trailing comma */
                s = comma ? comma + 1 : end;
        }
        return true;
}

/* "HH:MM" exactly, or 24:00 where allowed; minutes after midnight. */
static bool parse_hhmm(const char *s, size_t len, bool allow_24, unsigned *ret)
{
        char buf[8];

        if (len != 4 && len != 5)
                return false;
        memcpy(buf, s, len);
        buf[len] = '\0';
        if (allow_24 && streq(buf, "24:00")) {
                *ret = DAY_MINUTES;
                return true;
        }
        return buf[0] >= '0' && buf[0] <= '9' && parse_time_of_day(buf, ret) == 0;
}

int schedule_parse(const char *text, struct schedule *ret, char *why, size_t whysize, char *token, size_t tokensize)
{
        struct schedule s = { 0 };
        const char *p = text;
        bool any = false;

        while (*p == ' ' || *p == '\t')
                p++;
        if (strcmp(p, "always") == 0 || (strncmp(p, "always", 6) == 0 && strspn(p + 6, " \t") == strlen(p + 6))) {
                memset(ret->bits, 0xff, sizeof(ret->bits));
                return 0;
        }
        while (*p) {
                const char *semi = strchr(p, ';'), *gend = semi ? semi : p + strlen(p);
                bool days[7] = { false }, have_days = false, have_range = false;

                while (p < gend) {
                        size_t len;
                        const char *dash;
                        unsigned a, b;

                        while (p < gend && (*p == ' ' || *p == '\t'))
                                p++;
                        if (p == gend)
                                break;
                        len = strcspn(p, " \t;");
                        if (!have_days) {
                                if (!parse_days(p, len, days))
                                        return fail(why, whysize, token, tokensize,
                                                    "expected days such as Mon-Fri or Mon,Wed", p, len);
                                have_days = true;
                                p += len;
                                continue;
                        }
                        dash = memchr(p, '-', len);
                        if (!dash || !parse_hhmm(p, (size_t) (dash - p), false, &a) ||
                            !parse_hhmm(dash + 1, len - (size_t) (dash - p) - 1, true, &b))
                                return fail(why, whysize, token, tokensize,
                                            day_index(p, len) >= 0 || memchr(p, ',', len)
                                                    ? "days go first in a group: separate groups with ';'"
                                                    : "expected a time range such as 08:30-12:30",
                                            p, len);
                        /* Ending at or before its start: the range ends the next day. */
                        for (int d = 0; d < 7; d++)
                                if (days[d])
                                        for (unsigned m = a; m < (b > a ? b : b + DAY_MINUTES); m++)
                                                set(&s, (unsigned) d * DAY_MINUTES + m);
                        have_range = any = true;
                        p += len;
                }
                if (!have_days)
                        return fail(why, whysize, token, tokensize, "an empty group", p, 0);
                if (!have_range)
                        return fail(why, whysize, token, tokensize, "days without a time range", text,
                                    strlen(text));
                p = semi ? semi + 1 : gend;
                if (semi && !*p)
                        return fail(why, whysize, token, tokensize, "a ';' with no group after it", semi, 1);
        }
        if (!any)
                return fail(why, whysize, token, tokensize, "empty (use always, or days and hours)", text, 0);
        *ret = s;
        return 0;
}

bool schedule_always(const struct schedule *s)
{
        for (size_t i = 0; i < sizeof(s->bits); i++)
                if (s->bits[i] != 0xff)
                        return false;
        return true;
}

bool schedule_equal(const struct schedule *a, const struct schedule *b)
{
        return memcmp(a->bits, b->bits, sizeof(a->bits)) == 0;
}

void schedule_union(struct schedule *a, const struct schedule *b)
{
        for (size_t i = 0; i < sizeof(a->bits); i++)
                a->bits[i] |= b->bits[i];
}

void schedule_intersect(struct schedule *a, const struct schedule *b)
{
        for (size_t i = 0; i < sizeof(a->bits); i++)
                a->bits[i] &= b->bits[i];
}

bool schedule_within(const struct schedule *a, const struct schedule *b)
{
        for (size_t i = 0; i < sizeof(a->bits); i++)
                if (a->bits[i] & ~b->bits[i])
                        return false;
        return true;
}

static void hhmm(struct strbuf *b, unsigned m)
{
        strbuf_printf(b, "%02u:%02u", m / 60, m % 60);
}

/* The ranges that start on day d, as text ("08:30-12:30 13:30-17:30"). A
 * run crossing midnight belongs to the day it starts, when it is shorter
 * than a day; longer runs are cut at midnight. */
static char *day_ranges(const struct schedule *s, int d)
{
        struct strbuf b = { 0 };
        unsigned base = (unsigned) d * DAY_MINUTES;

        for (unsigned m = 0; m < DAY_MINUTES; m++) {
                unsigned start, end;

                if (!get(s, base + m))
                        continue;
                /* A run that began the day before is that day's (unless it began at midnight). */
                if (m == 0 && get(s, base + SCHEDULE_MINUTES - 1)) {
                        unsigned back = 1, ahead = 0;
                        while (back < DAY_MINUTES && get(s, base + SCHEDULE_MINUTES - back - 1))
                                back++;
                        while (ahead < DAY_MINUTES && get(s, base + ahead))
                                ahead++;
                        if (back < DAY_MINUTES && back + ahead < DAY_MINUTES) {
                                m = ahead;
                                continue;
                        }
                }
                start = m;
                end = m;
                while (end < start + DAY_MINUTES && get(s, base + end))
                        end++;
                /* Crossing midnight only when it started after midnight and lasts under a day. */
                if (end > DAY_MINUTES && (start == 0 || end - start >= DAY_MINUTES))
                        end = DAY_MINUTES;
                strbuf_printf(&b, "%s", b.len ? " " : "");
                hhmm(&b, start);
                strbuf_printf(&b, "-");
                if (end == DAY_MINUTES)
                        strbuf_printf(&b, "24:00");
                else
                        hhmm(&b, end % DAY_MINUTES);
                m = end >= DAY_MINUTES ? DAY_MINUTES : end;
        }
        return b.s ? b.s : xstrdup("");
}

char *schedule_format(const struct schedule *s)
{
        char *ranges[7];
        bool done[7] = { false };
        struct strbuf b = { 0 };

        if (schedule_always(s))
                return xstrdup("always");
        for (int d = 0; d < 7; d++)
                ranges[d] = day_ranges(s, d);
        for (int d = 0; d < 7; d++) {
                if (done[d] || !*ranges[d])
                        continue;
                strbuf_printf(&b, "%s", b.len ? "; " : "");
                /* Every day with the same ranges, runs of days as Mon-Fri. */
                for (int e = d, first = 1; e < 7; e++) {
                        int f = e;
                        if (done[e] || !streq(ranges[e], ranges[d]))
                                continue;
                        while (f + 1 < 7 && !done[f + 1] && streq(ranges[f + 1], ranges[d]))
                                f++;
                        strbuf_printf(&b, "%s%s", first ? "" : ",", day_names[e]);
                        if (f > e + 1)
                                strbuf_printf(&b, "-%s", day_names[f]);
                        else if (f == e + 1)
                                strbuf_printf(&b, ",%s", day_names[f]);
                        for (int x = e; x <= f; x++)
                                done[x] = true;
                        first = 0;
                        e = f;
                }
                strbuf_printf(&b, " %s", ranges[d]);
        }
        for (int d = 0; d < 7; d++)
                free(ranges[d]);
        return b.s ? b.s : xstrdup("always");
}

bool schedule_state(const struct schedule *s, int64_t naive_usec, int64_t *next_change)
{
        const int64_t minute = 60 * (int64_t) USEC_PER_SEC;
        int64_t mins = naive_usec >= 0 ? naive_usec / minute : (naive_usec - minute + 1) / minute;
        int64_t days = mins >= 0 ? mins / DAY_MINUTES : (mins - DAY_MINUTES + 1) / DAY_MINUTES;
        /* 1970-01-01 was a Thursday: day 3 of a week that starts on Monday. */
        unsigned week_day = (unsigned) (((days + 3) % 7 + 7) % 7);
        unsigned m = week_day * DAY_MINUTES + (unsigned) (mins - days * DAY_MINUTES);
        bool now = get(s, m);

        *next_change = INT64_MAX;
        for (unsigned k = 1; k <= SCHEDULE_MINUTES; k++)
                if (get(s, m + k) != now) {
                        *next_change = (mins + (int64_t) k) * minute;
                        break;
                }
        return now;
}

/* Minute m of the week of a naive local time. */
static unsigned week_minute(int64_t naive_usec)
{
        const int64_t minute = 60 * (int64_t) USEC_PER_SEC;
        int64_t mins = naive_usec >= 0 ? naive_usec / minute : (naive_usec - minute + 1) / minute;
        int64_t days = mins >= 0 ? mins / DAY_MINUTES : (mins - DAY_MINUTES + 1) / DAY_MINUTES;

        return (unsigned) (((days + 3) % 7 + 7) % 7) * DAY_MINUTES + (unsigned) (mins - days * DAY_MINUTES);
}

bool schedule_at_instant(const struct schedule *s, int64_t instant, int64_t *next_instant)
{
        const int64_t minute = 60 * (int64_t) USEC_PER_SEC;
        int64_t t = (instant >= 0 ? instant / minute : (instant - minute + 1) / minute) * minute;
        bool now = get(s, week_minute(local_naive(instant)));

        /* Minute by minute on the real clock, read on the local one: a range
         * that begins in an hour a clock change skips begins when the clock
         * comes out of it, and a repeated hour is worked (or not) twice. */
        *next_instant = INT64_MAX;
        for (unsigned k = 1; k <= SCHEDULE_MINUTES + 2 * 60; k++)
                if (get(s, week_minute(local_naive(t + (int64_t) k * minute))) != now) {
                        *next_instant = t + (int64_t) k * minute;
                        break;
                }
        return now;
}
