/* SPDX-License-Identifier: MIT */
#pragma once

#include <systemd/sd-bus.h>

#include "events.h"

struct daemon_status;
struct policy;
struct sched_refused;

/*
 * The tray icon: an org.kde.StatusNotifierItem on /StatusNotifierItem with
 * a com.canonical.dbusmenu menu (tray-menu.h), registered with the
 * session's org.kde.StatusNotifierWatcher (KDE Plasma, waybar, Xfce, LXQt,
 * Ubuntu's GNOME) under limberd's unique bus name.
 *
 * With no watcher on the bus nothing is exported: the tray only follows the
 * watcher's name (a NameOwnerChanged match). When a watcher appears, or
 * another takes the name (a panel restarted), the item is exported and
 * registered again. general.tray = no: not even that; a reload applies it.
 *
 * Properties are computed when a host reads them; tray_changed(), after
 * every event, emits NewIcon, NewStatus, NewToolTip and the menu's signals
 * for what changed, never as time merely passes. Menu entries run actions
 * through the callbacks, as the D-Bus methods do; a refusal is shown as a
 * notification. A left click (Activate) shows the status as one.
 */

struct tray;

struct tray_callbacks {
        void (*status)(void *userdata, struct daemon_status *ret);
        /* 0, or -enum sched_refusal with *why. */
        int (*act)(void *userdata, const struct action *a, struct sched_refused *why);
        const struct policy *(*policy)(void *userdata);
        /* A short notification for the user. */
        void (*notify)(void *userdata, const char *title, const char *body);
};

int tray_new(sd_bus *bus, const struct tray_callbacks *cb, void *userdata, struct tray **ret);
void tray_free(struct tray *t);

/* After an event: the signals for what it changed, and general.tray as the
 * policy now says. NULL-safe. */
void tray_changed(struct tray *t, const struct daemon_status *ds);
