/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdint.h>
#include <systemd/sd-bus.h>

struct moment;
struct policy;
struct sched;

/*
 * Check-ins from the desktop, both off unless the user turns them on (their
 * own pacing keys):
 *  - pacing.rest-check-in: after a rest taken when prompted, a notification
 *    asks how the pain is (low, medium, high);
 *  - pacing.check-in = HH:MM: a daily notification asks about pain, then
 *    fatigue.
 * An answer becomes a journal record (config/journal.h): 2, 5 or 8, with
 * source=prompt or source=check-in; dismissing a question records nothing
 * (or the pain alone, when only the fatigue question was dismissed).
 *
 * The notifications are sent with asynchronous calls on the session bus
 * (org.freedesktop.Notifications), so a hung server never stalls limberd;
 * answers come back as ActionInvoked. The daily time is a deadline of the
 * scheduler's (sched_set_check_in), turned from local time into the
 * scheduler's clock here as the calendar does for the day's start: one
 * wakeup a day, no timer of its own.
 */

struct checkin_prompts;

/* Writes to this machine's journal in $XDG_STATE_HOME/limber. */
int checkin_prompts_new(sd_bus *bus, struct checkin_prompts **ret);
/* Withdraws a question on screen. NULL-safe. */
void checkin_prompts_free(struct checkin_prompts *c);

/* Keeps the scheduler's check-in deadline at the next pacing.check-in (or
 * none), as of moment m: after a change of the policy, the wall clock or
 * the time zone. NULL-safe. */
void checkin_prompts_update(struct checkin_prompts *c, struct sched *s, const struct policy *p, const struct moment *m);

/* The daily check-in came: asks. NULL-safe. */
void checkin_prompts_daily(struct checkin_prompts *c);

/* A pacing rest was taken after `worked` µs of activity: asks, where
 * pacing.rest-check-in is on. NULL-safe. */
void checkin_prompts_after_rest(struct checkin_prompts *c, uint64_t worked, const struct policy *p);
