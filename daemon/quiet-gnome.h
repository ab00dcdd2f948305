/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>

#include "quiet-source.h"

typedef struct sd_bus sd_bus;
typedef struct sd_event sd_event;

/*
 * GNOME's do-not-disturb switch: org.gnome.desktop.notifications
 * show-banners = false, read through GSettings where the schema is
 * installed, while gnome-shell is the notification server (the only one
 * that honours it: a value left over from a GNOME session must not hold
 * prompts on another desktop, and elsewhere dconf is not touched at all).
 *
 * GSettings announces changes on the GLib main context it was made on, and
 * limberd's only running one is the notifier thread's: the setting lives
 * there (gnome_dnd_thread_start/stop, which the notifier thread calls), and
 * its value reaches the main thread through an eventfd of this part's own,
 * into sd-event. The main side finds out which server runs (sd-bus) and
 * tells the thread to follow the setting or to let go of it.
 *
 * The two sides meet in one process-wide place, as GSettings itself is
 * process-wide: the thread side keeps the last value, the main side
 * (gnome_dnd_new) collects it whenever the thread says it changed. Either
 * side may start first.
 */

struct gnome_dnd;

/* Main thread. once (limberd --list-backends, no notifier thread): the
 * setting is read here, once, and not followed. */
int gnome_dnd_new(sd_event *event, sd_bus *bus, bool once, quiet_changed_fn changed, void *userdata,
                  struct gnome_dnd **ret);
void gnome_dnd_free(struct gnome_dnd *g);

/* The notifier thread, with its GMainContext as the thread default. */
void gnome_dnd_thread_start(void);
void gnome_dnd_thread_stop(void);
