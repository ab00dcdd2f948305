/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "events.h"

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
 * skip KIND|all, take [KIND], pause [DURATION], resume, flare on [Nd]|off),
 * dnd on|off, or end. Lines recording what the scheduler did (due, taken,
 * natural, … as limberd writes them to its history) are read as records.
 * Times are kept as instants and as naive local time (localtime.h).
 */

enum trace_type {
        TRACE_PRESENCE,
        TRACE_ACTION, /* a user action: see action, kind, span, on */
        TRACE_DND,
        TRACE_END,
        TRACE_RECORD, /* an outcome limberd recorded */
};

struct trace_event {
        enum trace_type type;
        int64_t time;    /* µs, naive local time */
        int64_t instant; /* µs since the epoch */
        unsigned line;
        enum presence presence;           /* TRACE_PRESENCE */
        enum action_type action;          /* TRACE_ACTION */
        int kind;                         /* -1: all (snooze, skip) or none */
        uint64_t span;                    /* snooze, pause: 0 = default / until resumed */
        bool on;                          /* flare, dnd; a flare record's on= */
        unsigned days;                    /* flare on Nd; a flare record's days= (0: not given) */
        enum sched_event_type record;     /* TRACE_RECORD */
        uint64_t worked, overdue, active; /* TRACE_RECORD: worked=, overdue=, active= */
        unsigned day, recovery, scale;    /* a flare record's day=, recovery=, scale= (0: not given) */
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

/* The user action a TRACE_ACTION event asks for. */
struct action trace_action(const struct trace_event *ev);

/* Breaks of one kind, by outcome: what replay's summary and limber stats
 * count, from the scheduler's events or the history's records of them. */
struct break_counts {
        unsigned due, reprompts, taken, natural, snoozed, skipped, refused, deferred, dropped;
};
void break_counts_add(struct break_counts *c, enum sched_event_type type);
