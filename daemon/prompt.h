/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>

#include "events.h"

typedef struct sd_event sd_event;
struct exercise_opts;
struct policy;
struct sched_status;

/*
 * The prompts on screen: which break's notification shows what (its tip,
 * the exercises to come and the first one's picture, its actions) and the
 * pacing daily-limit reminder, kept in step with the scheduler's status.
 * A started break is guided: the notification shows one exercise step at a
 * time, in place, moving on when the step's time away is up (one timer per
 * step, armed only while the break counts down), and ends as a short
 * "Break over" notice. The notifications themselves go through the
 * notifier's thread (notifier.h). What the user picks comes back as an
 * action through the callback.
 */

struct prompter;

struct prompter_callbacks {
        /* The user picked an action on a prompt (start, snooze, skip). */
        void (*action)(void *userdata, const struct action *a);
};

/* Loads the exercise catalogue as exercises says (NULL: the defaults) and
 * logs what is wrong with it and with pol's choice of exercises. */
int prompter_new(sd_event *event, const struct exercise_opts *exercises, const struct policy *pol,
                 const struct prompter_callbacks *cb, void *userdata, struct prompter **ret);
void prompter_free(struct prompter *p);

/* A new policy is in force: reads the exercise catalogue again. */
void prompter_set_policy(struct prompter *p, const struct policy *pol);

/* Shows, updates or withdraws the notifications to match st. */
void prompter_sync(struct prompter *p, const struct sched_status *st, const struct policy *pol);

/* A break ended: taken (the user was away for it) or not (skipped). A
 * started break on screen turns into a short "Break over" notice, or goes. */
void prompter_break_ended(struct prompter *p, int kind, bool taken);
