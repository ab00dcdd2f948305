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

/* What the break prompt shows; the caller decides the text (prompt.h). */
struct prompt {
        int kind;                 /* enum kind: another kind's prompt is a new notification */
        unsigned count;           /* prompts so far: 1 first, more for reminders (critical from the third) */
        bool start, snooze, skip; /* the actions offered */
        const char *title, *body; /* copied */
        const char *image;        /* a picture file, for the image-path hint, or NULL; copied */
        int value;                /* progress 0..100, for the value hint; -1: none */
        const char *sound;        /* a freedesktop sound name, for the sound-name hint, or NULL; copied */
};

int notifier_new(sd_event *event, notifier_action_fn on_action, void *userdata, struct notifier **ret);
/* Stops the thread; waits at most a few seconds for it. */
void notifier_free(struct notifier *n);

/* Shows the prompt, or updates the one on screen in place. */
void notifier_show(struct notifier *n, const struct prompt *p);
void notifier_close(struct notifier *n);
/* Turns the prompt on screen (or a new notification) into a notice without
 * actions that the server takes down by itself after timeout_ms, and lets
 * go of it: the next prompt is a new notification. */
void notifier_notice(struct notifier *n, const struct prompt *p, int timeout_ms);
/* The pacing daily-limit reminder: shown (count ≥ 1) or withdrawn (0). */
void notifier_limit(struct notifier *n, unsigned count, uint64_t active_today);
