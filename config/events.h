/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/*
 * limber's vocabulary of what happens: presence, break states, the
 * scheduler's events, refusals and the user's actions, with the names they
 * carry in the history, the trace format, D-Bus and JSON. Shared by the
 * scheduler (which decides), the history writer, and every reader of the
 * history (replay, `limber stats`).
 */

enum presence {
        PRESENCE_ACTIVE,
        PRESENCE_IDLE,
        PRESENCE_LOCKED,
        PRESENCE_ASLEEP,
        N_PRESENCES,
};

const char *presence_name(enum presence p);
int presence_from_name(const char *name); /* -1 if unknown */

enum break_state {
        BREAK_WAITING,
        BREAK_DUE,
        BREAK_SNOOZED,
        BREAK_ON_BREAK,
        BREAK_PAUSED,
        BREAK_DISABLED,
        BREAK_OFF_HOURS, /* outside general.work-hours */
        N_BREAK_STATES,
};

const char *break_state_name(enum break_state s); /* "waiting", "due", "snoozed", "on-break", … */

enum sched_event_type {
        EV_DUE,      /* a break became due and is prompted (once per break) */
        EV_REPROMPT, /* prompted again (after reprompt, snooze or deferral) */
        EV_STARTED,  /* the user started the break (take) */
        EV_TAKEN,    /* satisfied while due or started */
        EV_NATURAL,  /* satisfied by an away spell with no prompt out */
        EV_SNOOZED,
        EV_SKIPPED,
        EV_REFUSED, /* an action the policy does not allow; see reason */
        EV_PAUSED,
        EV_RESUMED,
        EV_DEFERRED, /* a prompt is held back by do-not-disturb or an inhibitor */
        EV_LIMIT,    /* the pacing daily limit was reached */
        EV_DAY,      /* day rollover */
        EV_FLARE,    /* a flare plan began, moved on a day, or ended */
        EV_HOURS,    /* working hours began (on) or ended */
        EV_DROPPED,  /* a break due when working hours ended: not carried over */
        EV_CHECK_IN, /* the daily check-in time (pacing.check-in) came */
        N_SCHED_EVENTS,
};

const char *sched_event_name(enum sched_event_type t);
int sched_event_from_name(const char *name); /* -1 if unknown */

/* Why an action was refused. */
enum sched_refusal {
        REFUSED_NONE,
        REFUSED_NOT_DUE,
        REFUSED_SNOOZE_LIMIT,
        REFUSED_NOT_SKIPPABLE,
        REFUSED_DISABLED,
        REFUSED_PAUSE_LOCKED,
        N_REFUSALS,
};

const char *sched_refusal_name(enum sched_refusal r); /* "not-due", "snooze-limit", … */

/* What the user can ask for (D-Bus, the notification, the tray, a trace). */
enum action_type {
        ACTION_SNOOZE,
        ACTION_SKIP,
        ACTION_TAKE,
        ACTION_PAUSE,
        ACTION_RESUME,
        ACTION_FLARE,
        N_ACTIONS,
};

const char *action_name(enum action_type a); /* "snooze", "skip", "take", … */

struct action {
        enum action_type type;
        int kind;      /* enum kind; -1: every due break (snooze, skip) or the prompted one (take) */
        uint64_t span; /* µs; snooze: 0 = the policy's; pause: 0 = until resumed */
        bool on;       /* flare */
        unsigned days; /* flare on: how many days; 0 = pacing.flare-days */
};
