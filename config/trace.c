/* SPDX-License-Identifier: MIT */
#include "trace.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "localtime.h"
#include "schema.h"
#include "util.h"
#include "value.h"

#define MAX_TOKENS 8
#define MAX_LINE   1024

/* The arguments an input line takes, in order. */
enum arg {
        ARG_NONE,
        ARG_KIND,     /* posture, movement, pacing */
        ARG_KIND_ALL, /* …or all */
        ARG_SPAN,     /* a duration above 0 */
        ARG_ON_OFF,
        ARG_DAYS, /* whole days: 3d */
};

static const struct verb {
        const char *name;
        enum trace_type type;
        enum action_type action; /* TRACE_ACTION */
        enum arg args[2];
        unsigned required; /* how many of args must be given */
} verbs[] = {
        { "snooze", TRACE_ACTION, ACTION_SNOOZE, { ARG_KIND_ALL, ARG_SPAN }, 1 },
        { "skip", TRACE_ACTION, ACTION_SKIP, { ARG_KIND_ALL }, 1 },
        { "take", TRACE_ACTION, ACTION_TAKE, { ARG_KIND }, 0 }, /* no kind: the prompted break */
        { "pause", TRACE_ACTION, ACTION_PAUSE, { ARG_SPAN }, 0 },
        { "resume", TRACE_ACTION, ACTION_RESUME, { ARG_NONE }, 0 },
        { "flare", TRACE_ACTION, ACTION_FLARE, { ARG_ON_OFF, ARG_DAYS }, 1 },
        { "dnd", TRACE_DND, 0, { ARG_ON_OFF }, 1 },
        { "end", TRACE_END, 0, { ARG_NONE }, 0 },
};

/* The fields of a record line that readers use; others are for people. */
enum field_type {
        FIELD_SPAN,  /* a duration, into a uint64_t */
        FIELD_COUNT, /* a number up to MAX_COUNT, into an unsigned */
        FIELD_FLAG,  /* 0 or 1, into a bool */
};

#define MAX_COUNT 1000

static const struct {
        const char *name;
        enum field_type type;
        size_t offset;
} record_fields[] = {
        { "worked", FIELD_SPAN, offsetof(struct trace_event, worked) },
        { "overdue", FIELD_SPAN, offsetof(struct trace_event, overdue) },
        { "active", FIELD_SPAN, offsetof(struct trace_event, active) },
        /* flare records: the plan after the change */
        { "on", FIELD_FLAG, offsetof(struct trace_event, on) },
        { "day", FIELD_COUNT, offsetof(struct trace_event, day) },
        { "days", FIELD_COUNT, offsetof(struct trace_event, days) },
        { "recovery", FIELD_COUNT, offsetof(struct trace_event, recovery) },
        { "scale", FIELD_COUNT, offsetof(struct trace_event, scale) },
};

void trace_reader_init(struct trace_reader *r, const char *path, const char *buf, size_t size)
{
        *r = (struct trace_reader){ .path = path, .pos = buf, .end = buf + size };
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

/* One argument into ev; a message for a bad one. */
static const char *parse_arg(enum arg a, const char *tok, struct trace_event *ev)
{
        switch (a) {
        case ARG_KIND:
                return parse_kind(tok, false, &ev->kind) < 0 ? "unknown kind (use posture, movement, pacing)" : NULL;
        case ARG_KIND_ALL:
                return parse_kind(tok, true, &ev->kind) < 0 ? "unknown kind (use posture, movement, pacing or all)"
                                                            : NULL;
        case ARG_SPAN:
                return parse_duration(tok, &ev->span) < 0 || ev->span == 0 ? "invalid duration" : NULL;
        case ARG_ON_OFF:
                if (streq(tok, "on") || streq(tok, "off")) {
                        ev->on = streq(tok, "on");
                        return NULL;
                }
                return "expected on or off";
        case ARG_DAYS: {
                uint64_t span;
                if (!ev->on)
                        return "only 'flare on' takes a number of days";
                if (parse_duration(tok, &span) < 0 || span == 0 || span % USEC_PER_DAY ||
                    span / USEC_PER_DAY > key_defs[KEY_PACING_FLARE_DAYS].max)
                        return "expected whole days from 1d to 30d";
                ev->days = (unsigned) (span / USEC_PER_DAY);
                return NULL;
        }
        default:
                return "unexpected argument";
        }
}

static const char *missing(enum arg a)
{
        return a == ARG_ON_OFF ? "on or off" : a == ARG_SPAN ? "a duration" : a == ARG_DAYS ? "days" : "a kind";
}

/* A record of a decision: NAME [KIND|all] [key=value…]. */
static int parse_record(struct trace_reader *r, struct trace_event *ev, int rec, char **tok, int n, char *err,
                        size_t errsize)
{
        ev->type = TRACE_RECORD;
        ev->record = (enum sched_event_type) rec;
        for (int i = 2; i < n; i++) {
                char *eq = strchr(tok[i], '=');

                if (!eq) {
                        if (i == 2 && parse_kind(tok[i], true, &ev->kind) == 0)
                                continue;
                        return fail(r, err, errsize, "unexpected argument: '%s'", tok[i]);
                }
                *eq = '\0';
                if (streq(tok[i], "on"))
                        ev->on = streq(eq + 1, "1");
                for (size_t f = 0; f < ELEMENTSOF(record_fields); f++) {
                        char *dest = (char *) ev + record_fields[f].offset;
                        uint64_t v;

                        if (!streq(tok[i], record_fields[f].name))
                                continue;
                        switch (record_fields[f].type) {
                        case FIELD_SPAN:
                                if (parse_duration(eq + 1, (uint64_t *) (void *) dest) < 0)
                                        return fail(r, err, errsize, "invalid duration for %s: '%s'", tok[i], eq + 1);
                                break;
                        case FIELD_COUNT:
                                if (parse_count(eq + 1, &v) < 0 || v > MAX_COUNT)
                                        return fail(r, err, errsize, "invalid number for %s: '%s'", tok[i], eq + 1);
                                *(unsigned *) (void *) dest = (unsigned) v;
                                break;
                        case FIELD_FLAG:
                                if (!streq(eq + 1, "0") && !streq(eq + 1, "1"))
                                        return fail(r, err, errsize, "expected 0 or 1 for %s: '%s'", tok[i], eq + 1);
                                *(bool *) (void *) dest = streq(eq + 1, "1");
                                break;
                        }
                }
        }
        return 1;
}

/* The event of a line whose time is parsed: tok[1] and its arguments. */
static int parse_event(struct trace_reader *r, struct trace_event *ev, char **tok, int n, char *err, size_t errsize)
{
        const char *e = tok[1];
        int p = presence_from_name(e), rec = sched_event_from_name(e);
        const struct verb *v = NULL;

        if (p >= 0) {
                if (n > 2)
                        return fail(r, err, errsize, "unexpected argument to '%s': '%s'", e, tok[2]);
                ev->type = TRACE_PRESENCE;
                ev->presence = (enum presence) p;
                return 1;
        }
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                if (streq(e, verbs[i].name))
                        v = &verbs[i];
        /* "flare on" is the user's action; "flare pacing on=1", naming a
         * kind, is the scheduler's record of it. */
        if (v && rec >= 0 && n >= 3 && kind_from_name(tok[2]) >= 0)
                v = NULL;
        if (!v) {
                if (rec < 0)
                        return fail(r, err, errsize, "unknown event: '%s'", e);
                return parse_record(r, ev, rec, tok, n, err, errsize);
        }

        ev->type = v->type;
        ev->action = v->action;
        if (n > 2 + (int) ELEMENTSOF(v->args) || (n > 2 && v->args[0] == ARG_NONE))
                return fail(r, err, errsize, "unexpected argument to '%s': '%s'", e,
                            tok[v->args[0] == ARG_NONE ? 2 : 2 + ELEMENTSOF(v->args)]);
        for (unsigned i = 0; i < ELEMENTSOF(v->args); i++) {
                const char *bad;

                if (2 + (int) i >= n) {
                        if (i < v->required)
                                return fail(r, err, errsize, "'%s' needs %s", e, missing(v->args[i]));
                        break;
                }
                if (v->args[i] == ARG_NONE)
                        return fail(r, err, errsize, "unexpected argument to '%s': '%s'", e, tok[2 + i]);
                bad = parse_arg(v->args[i], tok[2 + i], ev);
                if (bad)
                        return fail(r, err, errsize, "%s: '%s'", bad, tok[2 + i]);
        }
        return 1;
}

/* The time at the start of a line, into ev->instant. */
static int parse_time(struct trace_reader *r, struct trace_event *ev, const char *tok, char *err, size_t errsize)
{
        uint64_t span;
        int pt;

        if (tok[0] == '+') {
                if (!r->have_prev)
                        return fail(r, err, errsize, "a relative time needs an earlier line: '%s'", tok);
                if (parse_duration(tok + 1, &span) < 0)
                        return fail(r, err, errsize, "invalid relative time (use e.g. +90s, +20m): '%s'", tok);
                ev->instant = r->prev + (int64_t) span; /* spans are at most 366 days */
        } else {
                pt = parse_trace_time(tok, &ev->instant);
                if (pt == -ERANGE)
                        return fail(r, err, errsize, "no such time: '%s'", tok);
                if (pt < 0)
                        return fail(r, err, errsize, "invalid time (use YYYY-MM-DDTHH:MM:SS or +DURATION): '%s'", tok);
                /* An instant before the previous line's is a wall clock set
                 * back while limberd wrote its history: it counts as
                 * happening at the time before. */
                if (r->have_prev && ev->instant < r->prev && pt == 1)
                        ev->instant = r->prev;
                if (r->have_prev && ev->instant < r->prev)
                        return fail(r, err, errsize, "time goes backwards: '%s'", tok);
        }
        if (ev->instant > MAX_TRACE_TIME)
                return fail(r, err, errsize, "the time is out of range (after the year 9999): '%s'", tok);
        ev->time = local_naive(ev->instant);
        return 0;
}

int trace_next(struct trace_reader *r, struct trace_event *ev, char *err, size_t errsize)
{
        for (;;) {
                char line[MAX_LINE], *tok[MAX_TOKENS + 1], *save = NULL, *hash;
                const char *s = r->pos, *nl;
                size_t len;
                int n = 0, res;

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

                *ev = (struct trace_event){ .line = r->line, .kind = -1 };
                res = parse_time(r, ev, tok[0], err, errsize);
                if (res < 0)
                        return res;
                if (n < 2)
                        return fail(r, err, errsize, "missing event after the time");
                res = parse_event(r, ev, tok, n, err, errsize);
                if (res < 0)
                        return res;
                r->prev = ev->instant;
                r->have_prev = true;
                return 1;
        }
}

struct action trace_action(const struct trace_event *ev)
{
        return (struct action){ .type = ev->action, .kind = ev->kind, .span = ev->span, .on = ev->on, .days = ev->days };
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
        case EV_DROPPED:
                c->dropped++;
                break;
        default:
                break;
        }
}
