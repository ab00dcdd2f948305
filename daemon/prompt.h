/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>

#include "events.h"

typedef struct sd_event sd_event;
struct policy;
struct sched_status;

/*
 * The prompts on screen: which break's notification shows what (its tip,
 * its actions, a countdown once started) and the pacing daily-limit
 * reminder, kept in step with the scheduler's status. The notifications
 * themselves go through the notifier's thread (notifier.h). What the user
 * picks comes back as an action through the callback.
 */

struct prompter;

struct prompter_callbacks {
        /* The user picked an action on a prompt (start, snooze, skip). */
        void (*action)(void *userdata, const struct action *a);
};

int prompter_new(sd_event *event, const struct prompter_callbacks *cb, void *userdata, struct prompter **ret);
void prompter_free(struct prompter *p);

/* Shows, updates or withdraws the notifications to match st. */
void prompter_sync(struct prompter *p, const struct sched_status *st, const struct policy *pol);
