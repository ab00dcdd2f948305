/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scheduler.h"

/*
 * Presence traces: the input of `limberd --replay`, and the format of the
 * history limberd appends to in $XDG_STATE_HOME/limber/history.
 *
 * One event per line; '#' starts a comment; blank lines are ignored.
 *
 *   TIME EVENT [ARG...]
 *
 * TIME is local time YYYY-MM-DDTHH:MM:SS (optionally followed by Z or an
 * offset such as +01:00, as limberd writes its history), or +DURATION after
 * the previous line. EVENT is a presence change (active, idle, locked,
 * asleep: from that instant), a user action (snooze KIND|all [DURATION],
 * skip KIND|all, take KIND, pause [DURATION], resume, flare on|off,
 * dnd on|off), or end. Lines recording what the scheduler did (due, taken,
 * natural, … as limberd writes them to its history) are read as records.
 *
 * Each time is kept twice: as the instant (µs since the epoch; what
 * durations are measured on, so a clock change in the trace neither adds nor
 * removes an hour) and as µs of "naive local time", the local wall-clock
 * reading counted as if it were UTC (what is shown, and what days are).
 */

enum trace_type {
        TRACE_PRESENCE,
        TRACE_SNOOZE,
        TRACE_SKIP,
        TRACE_TAKE,
        TRACE_PAUSE,
        TRACE_RESUME,
        TRACE_FLARE,
        TRACE_DND,
        TRACE_END,
        TRACE_RECORD, /* an outcome limberd recorded */
};

struct trace_event {
        enum trace_type type;
        int64_t time;    /* µs, naive local time */
        int64_t instant; /* µs since the epoch */
        unsigned line;
        enum presence presence;      /* TRACE_PRESENCE */
        int kind;                    /* -1: all (snooze, skip) or none */
        uint64_t span;               /* snooze, pause: 0 = default / until resumed */
        bool on;                     /* flare, dnd */
        enum sched_event_type record; /* TRACE_RECORD */
        uint64_t worked, overdue, active; /* TRACE_RECORD: worked=, overdue=, active= */
};

struct trace_reader {
        const char *path;
        const char *pos, *end;
        unsigned line;
        bool have_prev;
        int64_t prev; /* the previous line's instant */
};

void trace_reader_init(struct trace_reader *r, const char *path, const char *buf, size_t size);

/* The next event: 1, 0 at the end, or -EINVAL with "PATH:LINE: message" in err. */
int trace_next(struct trace_reader *r, struct trace_event *ev, char *err, size_t errsize);

/* Feeds one event to the scheduler at now (its time on the scheduler's
 * clock); records of a previous run's decisions are passed over, as the
 * scheduler decides again. False at the trace's end. */
bool trace_apply(struct sched *s, const struct trace_event *e, uint64_t now);

/* Breaks of one kind, by outcome: what replay's summary and limber stats
 * count, from the scheduler's events or the history's records of them. */
struct break_counts {
        unsigned due, reprompts, taken, natural, snoozed, skipped, refused, deferred;
};
void break_counts_add(struct break_counts *c, enum sched_event_type type);

/* "YYYY-MM-DDTHH:MM:SS" of a naive local time. */
#define TIME_BUF 32
char *format_naive(char buf[static TIME_BUF], int64_t naive_usec);

/* Parses "YYYY-MM-DDTHH:MM:SS[Z|±HH:MM]" into the instant (µs since the
 * epoch). With an offset it is exact and 1 is returned; a naive time is read
 * as this machine's local time and 0 is returned; negative errno on error. */
int parse_trace_time(const char *s, int64_t *ret);

/* The naive local time (µs) of an instant on this machine. */
int64_t local_naive(int64_t instant_usec);
/* The instant (s) a naive local time (s) names on this machine. */
int64_t naive_instant(int64_t naive);

/* The last second of the year 9999 (UTC): no trace instant is later, so
 * differences of trace times never overflow. */
#define MAX_TRACE_TIME ((int64_t) 253402300799 * (int64_t) USEC_PER_SEC)

/* Parses "YYYY-MM-DDTHH:MM:SS" followed by Z or ±HH:MM into µs since the
 * epoch (an instant, not local time). */
int parse_iso_instant(const char *s, int64_t *ret);

/* The first day boundary (day-starts, minutes after midnight) after t. */
int64_t next_day_boundary(int64_t naive_usec, unsigned day_starts);
