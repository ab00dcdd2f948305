/* SPDX-License-Identifier: MIT */
#include "trace.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util.h"
#include "value.h"

#define MAX_TOKENS 8
#define MAX_LINE 1024

void trace_reader_init(struct trace_reader *r, const char *path, const char *buf, size_t size)
{
        *r = (struct trace_reader) { .path = path, .pos = buf, .end = buf + size };
}

static int fail(struct trace_reader *r, char *err, size_t errsize, const char *fmt, ...) _printf_(4, 5);
static int fail(struct trace_reader *r, char *err, size_t errsize, const char *fmt, ...)
{
        char msg[512];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        snprintf(err, errsize, "%s:%u: %s", r->path, r->line, msg);
        return -EINVAL;
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
        if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] + (mo == 2 && leap(y)) || h > 23 ||
            mi > 59 || sec > 59)
                return -ERANGE;
        tm = (struct tm) { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi,
                           .tm_sec = sec };
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

void break_counts_add(struct break_counts *c, enum sched_event_type type)
{
        switch (type) {
        case EV_DUE:
                c->due++;
                break;
        case EV_REPROMPT:
                c->reprompts++;
                break;
        case EV_TAKEN:
                c->taken++;
                break;
        case EV_NATURAL:
                c->natural++;
                break;
        case EV_SNOOZED:
                c->snoozed++;
                break;
        case EV_SKIPPED:
                c->skipped++;
                break;
        case EV_REFUSED:
                c->refused++;
                break;
        case EV_DEFERRED:
                c->deferred++;
                break;
        default:
                break;
        }
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

static int parse_kind(const char *tok, bool allow_all, int *ret)
{
        int k;

        if (allow_all && streq(tok, "all")) {
                *ret = -1;
                return 0;
        }
        k = kind_from_name(tok);
        if (k < 0)
                return -EINVAL;
        *ret = k;
        return 0;
}

static int parse_on_off(const char *tok, bool *ret)
{
        if (streq(tok, "on"))
                *ret = true;
        else if (streq(tok, "off"))
                *ret = false;
        else
                return -EINVAL;
        return 0;
}

/* Recorded outcomes may carry key=value fields; the known ones are kept. */
static int parse_record(struct trace_reader *r, struct trace_event *ev, char **tok, int n, char *err,
                        size_t errsize)
{
        for (int i = 2; i < n; i++) {
                char *eq = strchr(tok[i], '=');
                uint64_t *slot = NULL, v;

                if (!eq) {
                        if (i == 2 && parse_kind(tok[i], true, &ev->kind) == 0)
                                continue;
                        return fail(r, err, errsize, "unexpected argument: '%s'", tok[i]);
                }
                *eq = '\0';
                if (streq(tok[i], "worked"))
                        slot = &ev->worked;
                else if (streq(tok[i], "overdue"))
                        slot = &ev->overdue;
                else if (streq(tok[i], "active"))
                        slot = &ev->active;
                if (!slot)
                        continue; /* other fields are for people reading the file */
                if (parse_duration(eq + 1, &v) < 0)
                        return fail(r, err, errsize, "invalid duration for %s: '%s'", tok[i], eq + 1);
                *slot = v;
        }
        return 1;
}

int trace_next(struct trace_reader *r, struct trace_event *ev, char *err, size_t errsize)
{
        for (;;) {
                char line[MAX_LINE], *tok[MAX_TOKENS + 1], *save = NULL, *hash;
                const char *s = r->pos, *nl;
                size_t len;
                int n = 0, pt;
                uint64_t span;

                if (s >= r->end)
                        return 0;
                nl = memchr(s, '\n', (size_t) (r->end - s));
                len = nl ? (size_t) (nl - s) : (size_t) (r->end - s);
                r->pos = nl ? nl + 1 : r->end;
                r->line++;
                if (len >= sizeof(line))
                        return fail(r, err, errsize, "line too long (%zu characters; at most %zu)", len,
                                    sizeof(line) - 1);
                if (memchr(s, '\0', len))
                        return fail(r, err, errsize, "line contains a NUL byte");
                memcpy(line, s, len);
                line[len] = '\0';
                if ((hash = strchr(line, '#')))
                        *hash = '\0';
                for (char *t = strtok_r(line, " \t\r", &save); t; t = strtok_r(NULL, " \t\r", &save)) {
                        if (n == MAX_TOKENS)
                                return fail(r, err, errsize, "too many words");
                        tok[n++] = t;
                }
                if (n == 0)
                        continue;

                *ev = (struct trace_event) { .line = r->line, .kind = -1 };
                if (tok[0][0] == '+') {
                        if (!r->have_prev)
                                return fail(r, err, errsize, "a relative time needs an earlier line: '%s'",
                                            tok[0]);
                        if (parse_duration(tok[0] + 1, &span) < 0)
                                return fail(r, err, errsize, "invalid relative time (use e.g. +90s, +20m): '%s'",
                                            tok[0]);
                        ev->instant = r->prev + (int64_t) span; /* spans are at most 366 days */
                } else {
                        pt = parse_trace_time(tok[0], &ev->instant);
                        if (pt == -ERANGE)
                                return fail(r, err, errsize, "no such time: '%s'", tok[0]);
                        if (pt < 0)
                                return fail(r, err, errsize, "invalid time (use YYYY-MM-DDTHH:MM:SS or +DURATION): '%s'",
                                            tok[0]);
                        /* An instant before the previous line's is a wall
                         * clock set back while limberd wrote its history:
                         * it counts as happening at the time before. */
                        if (r->have_prev && ev->instant < r->prev && pt == 1)
                                ev->instant = r->prev;
                        if (r->have_prev && ev->instant < r->prev)
                                return fail(r, err, errsize, "time goes backwards: '%s'", tok[0]);
                }
                if (ev->instant > MAX_TRACE_TIME)
                        return fail(r, err, errsize, "the time is out of range (after the year 9999): '%s'", tok[0]);
                ev->time = local_naive(ev->instant);
                if (n < 2)
                        return fail(r, err, errsize, "missing event after the time");

                {
                        const char *e = tok[1];
                        int p = presence_from_name(e);
                        int want_min = 2, want_max = 2;

                        if (p >= 0) {
                                ev->type = TRACE_PRESENCE;
                                ev->presence = (enum presence) p;
                        } else if (streq(e, "snooze")) {
                                ev->type = TRACE_SNOOZE;
                                want_min = 3, want_max = 4;
                        } else if (streq(e, "skip")) {
                                ev->type = TRACE_SKIP;
                                want_min = want_max = 3;
                        } else if (streq(e, "take")) {
                                ev->type = TRACE_TAKE;
                                want_min = want_max = 3;
                        } else if (streq(e, "pause")) {
                                ev->type = TRACE_PAUSE;
                                want_max = 3;
                        } else if (streq(e, "resume")) {
                                ev->type = TRACE_RESUME;
                        } else if (streq(e, "flare") && (n < 3 || parse_kind(tok[2], false, &ev->kind) < 0)) {
                                /* "flare on": the user's action; "flare pacing
                                 * on=1", naming a kind, is the scheduler's
                                 * record of it. */
                                ev->type = TRACE_FLARE;
                                want_min = want_max = 3;
                        } else if (streq(e, "dnd")) {
                                ev->type = TRACE_DND;
                                want_min = want_max = 3;
                        } else if (streq(e, "end")) {
                                ev->type = TRACE_END;
                        } else {
                                int rec = -1;
                                for (int i = 0; i < N_SCHED_EVENTS; i++)
                                        if (streq(e, sched_event_name((enum sched_event_type) i)))
                                                rec = i;
                                if (rec < 0)
                                        return fail(r, err, errsize, "unknown event: '%s'", e);
                                ev->type = TRACE_RECORD;
                                ev->record = (enum sched_event_type) rec;
                                r->prev = ev->instant;
                                r->have_prev = true;
                                return parse_record(r, ev, tok, n, err, errsize);
                        }
                        if (n < want_min)
                                return fail(r, err, errsize, "'%s' needs %s", e,
                                            ev->type == TRACE_FLARE || ev->type == TRACE_DND ? "on or off" : "a kind");
                        if (n > want_max)
                                return fail(r, err, errsize, "unexpected argument to '%s': '%s'", e, tok[want_max]);
                }

                switch (ev->type) {
                case TRACE_SNOOZE:
                case TRACE_SKIP:
                case TRACE_TAKE:
                        if (parse_kind(tok[2], ev->type != TRACE_TAKE, &ev->kind) < 0)
                                return fail(r, err, errsize, "unknown kind (use posture, movement, pacing%s): '%s'",
                                            ev->type != TRACE_TAKE ? " or all" : "", tok[2]);
                        if (n == 4 && (parse_duration(tok[3], &ev->span) < 0 || ev->span == 0))
                                return fail(r, err, errsize, "invalid duration: '%s'", tok[3]);
                        break;
                case TRACE_PAUSE:
                        if (n == 3 && (parse_duration(tok[2], &ev->span) < 0 || ev->span == 0))
                                return fail(r, err, errsize, "invalid duration: '%s'", tok[2]);
                        break;
                case TRACE_FLARE:
                case TRACE_DND:
                        if (parse_on_off(tok[2], &ev->on) < 0)
                                return fail(r, err, errsize, "expected on or off: '%s'", tok[2]);
                        break;
                default:
                        break;
                }
                r->prev = ev->instant;
                r->have_prev = true;
                return 1;
        }
}

bool trace_apply(struct sched *s, const struct trace_event *e, uint64_t now)
{
        switch (e->type) {
        case TRACE_PRESENCE:
                sched_presence(s, e->presence, now, now);
                break;
        case TRACE_SNOOZE:
                (void) sched_snooze(s, e->kind, e->span, now);
                break;
        case TRACE_SKIP:
                (void) sched_skip(s, e->kind, now);
                break;
        case TRACE_TAKE:
                (void) sched_take(s, e->kind, now);
                break;
        case TRACE_PAUSE:
                (void) sched_pause(s, e->span, now);
                break;
        case TRACE_RESUME:
                sched_resume(s, now);
                break;
        case TRACE_FLARE:
                sched_set_flare(s, e->on, now);
                break;
        case TRACE_DND:
                sched_set_quiet(s, e->on, now);
                break;
        case TRACE_RECORD:
                break;
        case TRACE_END:
                return false;
        }
        return true;
}
