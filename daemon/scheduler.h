/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "events.h"
#include "schema.h"

struct policy;

/*
 * The scheduler: limber's timing rules, as a pure state machine.
 *
 * It does no I/O, reads no clock and keeps no globals. Every entry point takes
 * `now` in µs on a clock that keeps running during suspend (CLOCK_BOOTTIME in
 * limberd, trace time in --replay); time never goes backwards between calls.
 * Things that happen are reported through the emit callback, in time order.
 * sched_next_deadline() says when the scheduler next needs to run; the daemon
 * arms exactly one timer for it.
 *
 * The rules, as users rely on them:
 *
 *  - Presence is active, idle, locked or asleep. An idle spell begins at the
 *    last input. Locked and asleep count as idle, from whichever began first.
 *  - Active time: each break kind counts `worked`, the active time since it
 *    was last satisfied. A pause in input shorter than general.idle-after
 *    still counts as active (reading loads posture too); a longer spell adds
 *    nothing, from its very start.
 *  - Natural break: an idle, locked or asleep spell at least as long as a
 *    kind's duration satisfies that kind (and so every kind with a shorter
 *    duration). Its `worked` returns to 0.
 *  - Due: a kind is due when worked reaches its interval (pacing: its quota,
 *    scaled by flare-scale in flare mode). It is prompted at once. When
 *    several are due, only the one with the longest duration is prompted;
 *    taking it satisfies the shorter ones too.
 *  - Taken: a prompted break is taken when the user is then away for its
 *    duration. After Start (take), away time adds up even across short bursts
 *    of input: the countdown pauses while there is input.
 *  - Re-prompt: an ignored prompt is repeated every `reprompt`; overdue time
 *    is recorded when the break ends.
 *  - Snooze: delays the prompt of a due break by a span of real time while
 *    active time keeps counting; at most max-snoozes times per break.
 *  - Skip: satisfies a due break without taking it, where `skippable`.
 *  - Pause: freezes accounting, natural breaks and prompts until resumed or
 *    until its deadline; general.allow-pause = no refuses it.
 *  - Defer: while do-not-disturb or an idle inhibitor is on, prompts wait, at
 *    most general.max-defer, then show anyway.
 *  - Pacing: a quota of active time, then a rest (an idle spell of `rest`
 *    ends the block); an optional daily limit of active time, prompted when
 *    reached and re-prompted every `reprompt` of further activity.
 *  - Flare plan: `flare on` for N days (pacing.flare-days unless given; the
 *    day it is turned on is day 1) scales quota and daily limit by
 *    flare-scale; then pacing.flare-recovery days ramp them back to 100 % in
 *    equal steps (scale + (100 - scale) * r / (recovery + 1) on recovery day
 *    r). The plan is fixed when it starts, and moves on a day at each day
 *    boundary; `flare off` ends it at once.
 *  - Day: at the day boundary (general.day-starts, local time, supplied by the
 *    caller) active time today, snooze counts and the daily limit reset, and
 *    a flare plan moves on to its next day.
 *  - Working hours: see sched_set_hours().
 *  - Lull: a prompt waits for the user's first input pause of general.lull
 *    (an away spell that long), at most general.wait-for-lull; while it
 *    waits, lull is one of the idle thresholds (sched_idle_thresholds).
 */

/* No deadline: the scheduler never needs to run again unless told something. */
#define SCHED_NEVER UINT64_MAX

struct sched_event {
        enum sched_event_type type;
        uint64_t at;   /* µs, scheduler clock */
        int kind;      /* enum kind, or -1 */
        enum action_type action;   /* EV_REFUSED */
        enum sched_refusal reason; /* EV_REFUSED */
        unsigned count;   /* EV_REPROMPT/EV_LIMIT: how many prompts so far; EV_SNOOZED: snoozes used */
        uint64_t span;    /* EV_SNOOZED, EV_PAUSED: length (0 = until resumed) */
        uint64_t overdue; /* EV_TAKEN, EV_SKIPPED: time since it became due */
        uint64_t worked;  /* EV_DUE, EV_TAKEN, EV_NATURAL, EV_SKIPPED: active time of the break */
        bool limit;       /* EV_REPROMPT: a reminder of the daily limit */
        bool on;          /* EV_FLARE: a plan is in force after it (flare or recovery) */
        unsigned day, days, recovery; /* EV_FLARE: today's day of the plan (from 1), its flare and recovery days */
        unsigned scale;   /* EV_FLARE: the percent quota and daily limit are scaled by from now; 100: none */
        uint64_t active_today; /* EV_DAY: the day that ended; EV_LIMIT */
};

typedef void (*sched_emit_fn)(void *userdata, const struct sched_event *ev);

struct sched;

struct sched *sched_new(const struct policy *p, uint64_t now, sched_emit_fn emit, void *userdata);
void sched_free(struct sched *s);

/* Applies a new policy from now on; state (worked, due, snoozes) carries over. */
void sched_set_policy(struct sched *s, const struct policy *p, uint64_t now);

/* The next day boundary, on the scheduler's clock; UINT64_MAX = none. When it
 * passes, the scheduler assumes the next one is 24 h later until told. */
void sched_set_day_end(struct sched *s, uint64_t at, uint64_t now);

/* Working hours (general.work-hours): whether it is working time from now
 * until `until`, when that changes next (on the scheduler's clock;
 * SCHED_NEVER: no change), supplied by the caller as the day end is. When
 * `until` passes the scheduler flips by itself and waits to be told the
 * next change. Outside working hours posture and movement (and pacing with
 * pacing.follow-work-hours) neither count nor prompt, a break due when they
 * end is dropped, and the time outside counts as time away for them. */
void sched_set_hours(struct sched *s, bool in_hours, uint64_t until, uint64_t now);

/* Whether the idle source reports input pauses as short as general.lull:
 * without one (logind's coarse IdleHint, or none), prompts do not wait for a
 * pause in typing. Replay traces always sense them. */
void sched_set_lull_sensed(struct sched *s, bool sensed, uint64_t now);

/* The next daily check-in (pacing.check-in), on the scheduler's clock;
 * UINT64_MAX = none. It is a deadline like the day's end: EV_CHECK_IN when
 * it comes (not while paused), and the next one 24 h later until told. */
void sched_set_check_in(struct sched *s, uint64_t at, uint64_t now);

/* Presence changed to p at `since` (≤ now; an idle spell is back-dated to the
 * last input). */
void sched_presence(struct sched *s, enum presence p, uint64_t since, uint64_t now);

/* Actions. kind -1 means every due break (snooze, skip) or the prompted one
 * (take). span 0 means the policy's snooze. Return 0 or -enum sched_refusal;
 * a refusal is also emitted, and *why (when not NULL) says which break
 * refused and why. */
struct sched_refused {
        enum sched_refusal reason;
        int kind; /* the break that refused; -1: none is due */
};
int sched_act(struct sched *s, const struct action *a, uint64_t now, struct sched_refused *why);
int sched_snooze(struct sched *s, int kind, uint64_t span, uint64_t now);
int sched_skip(struct sched *s, int kind, uint64_t now);
int sched_take(struct sched *s, int kind, uint64_t now);
int sched_pause(struct sched *s, uint64_t span, uint64_t now); /* span 0: until resumed */
void sched_resume(struct sched *s, uint64_t now);
/* A flare plan of `days` flare days (0: pacing.flare-days) from today, with
 * pacing.flare-recovery days after it; on = false ends a plan at once. */
void sched_set_flare(struct sched *s, bool on, unsigned days, uint64_t now);
void sched_set_quiet(struct sched *s, bool quiet, uint64_t now); /* do-not-disturb or inhibited */

/* Processes everything due up to now. */
void sched_advance(struct sched *s, uint64_t now);

/* When the scheduler next needs sched_advance(); UINT64_MAX if never. */
uint64_t sched_next_deadline(const struct sched *s, uint64_t now);

/* The shortest idle threshold that matters now (µs): presence backends need
 * not report idle spells shorter than this. Short while a started break counts
 * down, general.idle-after otherwise. */
uint64_t sched_idle_threshold(const struct sched *s);

/* Every idle spell length the scheduler cares about (µs, unsorted): the
 * threshold above and each enabled break's duration. Returns how many. */
#define SCHED_MAX_THRESHOLDS 8
size_t sched_idle_thresholds(const struct sched *s, uint64_t ret[static SCHED_MAX_THRESHOLDS]);

struct sched_kind_status {
        bool enabled;
        enum break_state state;
        uint64_t worked;   /* µs at `now` */
        uint64_t interval; /* effective (pacing: quota, scaled in flare mode) */
        uint64_t duration;
        uint64_t due_at;        /* when it is due if active from now on; UINT64_MAX when not counting */
        uint64_t due_since;     /* when it became due; 0 if not due */
        uint64_t snoozed_until; /* 0 if not snoozed */
        uint64_t break_left;    /* on-break: away time still needed */
        unsigned snoozes_left;
        unsigned prompts;       /* how many times this break was prompted */
        bool prompting;         /* its prompt should be on screen */
};

struct sched_status {
        enum presence presence;
        uint64_t presence_since;
        bool counting; /* active time is growing */
        bool paused;
        uint64_t paused_until; /* 0: until resumed */
        bool flare;               /* a flare day of a plan */
        unsigned flare_day;       /* today's day of the plan, from 1; 0: no plan */
        unsigned flare_days;      /* its flare days */
        unsigned flare_recovery;  /* its recovery days, after them */
        unsigned flare_scale;     /* percent quota and daily limit are scaled by now; 100: none */
        bool quiet;
        bool limit_reached;
        uint64_t active_today;
        uint64_t daily_limit; /* effective; 0 = none */
        unsigned limit_prompts; /* the daily-limit reminder on screen: its count (urgency), 0 = none */
        int prompt;             /* the kind whose prompt should be on screen, -1 = none */
        bool in_hours;          /* working time (general.work-hours) */
        uint64_t hours_change;  /* when that changes next; SCHED_NEVER: not known, or never */
        struct sched_kind_status kinds[N_KINDS];
};

void sched_get_status(const struct sched *s, uint64_t now, struct sched_status *ret);

/* Persistent state, for limberd's state file: everything as of the moment
 * it is taken, relative to that moment. */
struct sched_saved {
        uint64_t worked[N_KINDS];
        bool due[N_KINDS];
        uint64_t due_for[N_KINDS];       /* how long it has been due */
        uint64_t snoozed_for[N_KINDS];   /* remaining snooze; 0 = none */
        unsigned snoozes[N_KINDS];
        unsigned prompts[N_KINDS];
        bool paused;
        uint64_t pause_left; /* 0 with paused: until resumed */
        bool flare;          /* a flare day (files without a plan: flare until the day ends) */
        unsigned flare_day, flare_days, flare_recovery; /* the plan; flare_days 0: none */
        bool limit_reached;
        unsigned limit_prompts;
        uint64_t active_today;
        enum presence presence;
        uint64_t away_for; /* away (idle, locked, asleep): since how long */
        uint64_t next_in;  /* the next deadline, from then; SCHED_NEVER = none */
};

void sched_save(const struct sched *s, uint64_t now, struct sched_saved *ret);

/*
 * Restores state saved at `at` (≤ now, on this scheduler's clock; create the
 * scheduler at `at` and set its day end first), then accounts for the time
 * limberd was not running: the presence saved holds until `known_until`
 * (after a crash an active spell went on), and the user counts as away from
 * then until now (the machine was off, the session over). At now the user
 * counts as active, until a presence source says otherwise. Every decision
 * in between (natural breaks, the day's end) is emitted at its time.
 */
void sched_restore(struct sched *s, const struct sched_saved *saved, uint64_t at, uint64_t known_until,
                   uint64_t now);
