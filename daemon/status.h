/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy.h"
#include "scheduler.h"

struct moment;

/*
 * What limberd shows about itself, on D-Bus, in the tray and in systemd's
 * STATUS= line: the scheduler's status at one moment, with its instants as
 * wall-clock µs (0 for none) and the names of the sources in use.
 */

struct shown_kind {
        bool enabled;
        enum break_state state;
        uint64_t worked, interval, duration, break_left; /* µs */
        uint64_t due_at;        /* wall clock: when it will be due if active from now on (waiting) */
        uint64_t due_since;     /* wall clock: when it became due */
        uint64_t snoozed_until; /* wall clock */
        uint64_t break_ends;    /* wall clock: a started break counting down */
        unsigned snoozes_left, prompts;
};

struct daemon_status {
        uint64_t now; /* wall clock µs */
        uint64_t bt;  /* CLOCK_BOOTTIME µs of the same moment */
        enum presence presence;
        uint64_t presence_since;
        const char *backend;      /* the idle source in use, "none" */
        const char *quiet_source; /* the do-not-disturb source holding prompts, or NULL */
        bool paused, flare, quiet, counting, limit_reached;
        unsigned flare_day, flare_days, flare_recovery, flare_scale; /* the flare plan (sched_status) */
        uint64_t paused_until;
        uint64_t active_today, daily_limit;
        bool in_hours;         /* working time (general.work-hours) */
        uint64_t hours_change; /* wall clock: when that changes next; 0: never */
        int prompt;            /* the kind prompted, -1 */
        struct shown_kind kinds[N_KINDS];
};

void daemon_status_fill(struct daemon_status *ds, const struct sched_status *st, const struct moment *m,
                        const char *backend, const char *quiet_source);

/* Two published instants (wall clock µs) are not the same instant: they are
 * further apart than two readings of the two clocks can make them. */
bool status_instants_differ(uint64_t a, uint64_t b);

/* The one line for systemd's STATUS=: "posture in 20m, movement in 50m;
 * active, backend mutter". Whole minutes, so that it changes on transitions
 * and not as time passes. */
void daemon_status_line(const struct daemon_status *ds, char *buf, size_t size);

/* A refused action in words, about the break the scheduler named, with the
 * setting behind it: "no snoozes left for the posture break
 * (posture.max-snoozes = 3, built-in)". Returns the refusal's D-Bus error
 * name (org.limber.Limber1.Error.SnoozeLimit, …). */
#define REFUSAL_BUF (ORIGIN_BUF + 512)
const char *daemon_refusal(const struct policy *p, const struct action *a, const struct sched_refused *why,
                           char buf[static REFUSAL_BUF]);
