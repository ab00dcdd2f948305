/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "events.h"

/*
 * Presence: whether the user is active, idle, locked or asleep, merged from
 * three channels and reported through a callback:
 *
 *  - idle: the first idle backend that answers, in the order Mutter, Muffin,
 *    Wayland, the X server's IDLETIME counter (X11 sessions only),
 *    org.freedesktop.ScreenSaver, logind IdleHint (idle-backend.h). Each is
 *    probed by calling it (never by auto-starting a service) and re-probed
 *    when its bus name appears or vanishes; a switch hands over the start of
 *    the current idle spell;
 *  - lock: logind LockedHint and Lock/Unlock (logind.h);
 *  - sleep: logind PrepareForSleep.
 *
 * Locked and asleep count as idle from whichever began first. With no idle
 * source at all, lock and suspend still count.
 */

struct presence_tracker;

struct presence_callbacks {
        /* The merged presence changed, or an away spell is now known to have
         * begun earlier: since is CLOCK_BOOTTIME µs. */
        void (*changed)(void *userdata, enum presence p, uint64_t since);
        /* The backend in use changed (presence_backend()). */
        void (*backend_changed)(void *userdata);
};

/* choice: general.backend. cb may be NULL (limberd --list-backends). */
int presence_new(sd_event *event, sd_bus *bus, unsigned choice, const struct presence_callbacks *cb, void *userdata,
                 struct presence_tracker **ret);
void presence_free(struct presence_tracker *p);

/* The idle thresholds the scheduler needs (µs, any order). The backend in
 * use re-arms after the current callback has returned. */
void presence_set_thresholds(struct presence_tracker *p, const uint64_t *usec, size_t n);
/* An idle inhibitor is held, or no longer (some monitors stop watching). */
void presence_idle_inhibited(struct presence_tracker *p, bool inhibited);
/* general.backend changed: the backends it allows, and the best of them. */
void presence_set_choice(struct presence_tracker *p, unsigned choice);

/* The idle backend in use: "mutter", "muffin", "wayland", "x11",
 * "screensaver", "logind", or "none" (also for p == NULL). */
const char *presence_backend(const struct presence_tracker *p);

/* Does the backend in use report idle spells at any threshold asked for
 * (so a short pause in typing is seen)? Not logind's coarse IdleHint. */
bool presence_senses_pauses(const struct presence_tracker *p);

/* Each backend: its name, "active", "available", "absent", "probing" or
 * "not wanted", and why. Returns how many. */
size_t presence_list(const struct presence_tracker *p, const char *names[], const char *states[], const char *why[],
                     size_t max);
/* Is any wanted backend still waiting for its probe's answer? */
bool presence_probing(const struct presence_tracker *p);
