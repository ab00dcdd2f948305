/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdint.h>

typedef struct sd_event sd_event;

/*
 * Desktop notifications, through libnotify on a thread of their own.
 *
 * notify_notification_show() is synchronous and blocks for 25 s when the
 * notification server hangs; it must never stall the D-Bus service or the
 * timers. So libnotify lives on the notifier thread with its own
 * GMainContext: the main thread hands it small messages
 * (g_main_context_invoke), and actions come back through an eventfd watched
 * by sd-event on the main thread.
 *
 * There is at most one break prompt on screen (the scheduler prompts only the
 * longest due break) and at most one daily-limit reminder. When the owner of
 * org.freedesktop.Notifications changes, old notification objects are
 * dropped: a restarted server reuses ids. With no server, prompts go to the
 * log and scheduling goes on.
 */

struct notifier;

/* Called on the main thread when the user picks an action: "start",
 * "snooze" or "skip", for a break kind. */
typedef void (*notifier_action_fn)(void *userdata, int kind, const char *action);

struct prompt {
        int kind;          /* enum kind */
        unsigned count;    /* prompts so far: 1 first, more for reminders (urgency rises) */
        bool skippable;
        bool snoozable;    /* snoozes left */
        bool started;      /* the break is running: show a countdown */
        bool counting_down; /* started, and the user is away so it runs */
        uint64_t left;     /* µs of the break still to go */
        uint64_t duration; /* µs */
        const char *tip;   /* copied */
};

int notifier_new(sd_event *event, notifier_action_fn on_action, void *userdata, struct notifier **ret);
/* Stops the thread; waits at most a few seconds for it. */
void notifier_free(struct notifier *n);

void notifier_show(struct notifier *n, const struct prompt *p);
void notifier_close(struct notifier *n);
/* The pacing daily-limit reminder: shown (count ≥ 1) or withdrawn (0). */
void notifier_limit(struct notifier *n, unsigned count, uint64_t active_today);
