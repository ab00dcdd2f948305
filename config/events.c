/* SPDX-License-Identifier: MIT */
#include "events.h"

#include "util.h"

static const char *const presence_names[N_PRESENCES] = { "active", "idle", "locked", "asleep" };
static const char *const state_names[N_BREAK_STATES] = {
        "waiting", "due", "snoozed", "on-break", "paused", "disabled", "off-hours",
};
static const char *const event_names[N_SCHED_EVENTS] = {
        "due",     "reprompt", "started", "taken",    "natural", "snoozed", "skipped",
        "refused", "paused",   "resumed", "deferred", "limit",   "day",     "flare",
        "hours",   "dropped",  "check-in",
};
static const char *const refusal_names[N_REFUSALS] = {
        "none", "not-due", "snooze-limit", "not-skippable", "disabled", "pause-locked",
};
static const char *const action_names[N_ACTIONS] = { "snooze", "skip", "take", "pause", "resume", "flare" };

static int lookup(const char *const *names, int n, const char *name)
{
        for (int i = 0; i < n; i++)
                if (streq(name, names[i]))
                        return i;
        return -1;
}

const char *presence_name(enum presence p)
{
        return (unsigned) p < N_PRESENCES ? presence_names[p] : "?";
}

int presence_from_name(const char *name)
{
        return lookup(presence_names, N_PRESENCES, name);
}

const char *break_state_name(enum break_state s)
{
        return (unsigned) s < N_BREAK_STATES ? state_names[s] : "?";
}

const char *sched_event_name(enum sched_event_type t)
{
        return (unsigned) t < N_SCHED_EVENTS ? event_names[t] : "?";
}

int sched_event_from_name(const char *name)
{
        return lookup(event_names, N_SCHED_EVENTS, name);
}

const char *sched_refusal_name(enum sched_refusal r)
{
        return (unsigned) r < N_REFUSALS ? refusal_names[r] : "?";
}

const char *action_name(enum action_type a)
{
        return (unsigned) a < N_ACTIONS ? action_names[a] : "?";
}
