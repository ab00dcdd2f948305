/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#include "scheduler.h"

struct limberd;

/*
 * Presence: whether the user is active, idle, locked or asleep, merged from
 * three channels and handed to the engine:
 *
 *  - idle: the first idle backend that answers, in the order Mutter, Muffin,
 *    Wayland ext-idle-notify, the X server's IDLETIME counter (X11 sessions
 *    only), org.freedesktop.ScreenSaver, logind IdleHint.
 *    Each is probed by calling it (never by auto-starting a service) and
 *    re-probed when its bus name appears or vanishes; a switch hands over the
 *    start of the current idle spell;
 *  - lock: logind LockedHint and Lock/Unlock;
 *  - sleep: logind PrepareForSleep, and a jump of CLOCK_BOOTTIME ahead of
 *    CLOCK_MONOTONIC for suspends nobody announced.
 *
 * Locked and asleep count as idle from whichever began first. With no idle
 * source at all, lock and suspend still count.
 */

struct tracker;

int presence_new(struct limberd *d, struct tracker **ret);
void presence_free(struct tracker *p);

/* The idle thresholds the scheduler needs (µs, any order); backends that
 * watch thresholds re-arm. */
void presence_set_thresholds(struct tracker *p, const uint64_t *usec, size_t n);
/* quiet.c → presence: an idle inhibitor is held, or no longer. */
void presence_idle_inhibited(struct tracker *p, bool inhibited);
/* What the sources say now (active until one has said otherwise). */
enum presence presence_current(const struct tracker *p);
/* general.backend changed: the backends it allows, and the best of them. */
void presence_set_choice(struct tracker *p, unsigned choice);

/* The idle backend in use: "mutter", "muffin", "wayland", "x11",
 * "screensaver", "logind", or "none". */
const char *presence_backend(const struct tracker *p);

/* Each backend: its name, "active", "available", "absent", "probing" or
 * "not wanted", and why. Returns how many. */
size_t presence_list(const struct tracker *p, const char *names[], const char *states[], const char *why[],
                     size_t max);

/* ---- for the backends ---------------------------------------------------- */

struct idle_backend;

struct idle_backend_ops {
        const char *name;
        /* Starts an asynchronous probe; answers with backend_probed(). */
        void (*probe)(struct idle_backend *b);
        /* Becomes the idle source: arm watches, report the current state. */
        int (*start)(struct idle_backend *b);
        void (*stop)(struct idle_backend *b);
        /* The thresholds changed while started. */
        void (*thresholds_changed)(struct idle_backend *b);
        /* An idle inhibitor came or went while started (optional). */
        void (*inhibited_changed)(struct idle_backend *b);
        void (*free)(struct idle_backend *b);
};

enum backend_status {
        BACKEND_UNKNOWN,
        BACKEND_PROBING,
        BACKEND_AVAILABLE,
        BACKEND_ABSENT,
};

struct idle_backend {
        const struct idle_backend_ops *ops;
        struct tracker *presence;
        sd_bus *bus; /* the session bus */
        enum backend_status status;
        char why[160];
        bool started;
        bool wanted; /* allowed by general.backend */
        void *data;
};

/* Backend → presence. */
void backend_probed(struct idle_backend *b, bool available, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void backend_gone(struct idle_backend *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The started backend saw the user go idle (since = the last input) or come back. */
void backend_report(struct idle_backend *b, bool idle, uint64_t since);
/* The thresholds in force, ascending. */
size_t backend_thresholds(const struct idle_backend *b, const uint64_t **ret);
/* The current idle spell's start from the idle channel (0: active). */
uint64_t backend_idle_since(const struct idle_backend *b);
sd_event *backend_event(const struct idle_backend *b);
/* Is an idle inhibitor held (gnome-session InhibitedActions & 8)? */
bool backend_idle_inhibited(const struct idle_backend *b);

/* A NameOwnerChanged match for one name on the session bus; the callback
 * gets the new owner ("" when it vanished). */
int backend_watch_name(struct idle_backend *b, const char *name, sd_bus_slot **slot,
                       void (*changed)(struct idle_backend *b, const char *new_owner));

/* sd_bus_call_async() whose slot belongs to the bus; userdata is freed with
 * free_userdata once the reply is handled (or the call dropped). */
int bus_call_floating(sd_bus *bus, sd_bus_message *m, sd_bus_message_handler_t callback, void *userdata,
                      void (*free_userdata)(void *), uint64_t timeout_usec);

/* Describes a D-Bus error for why-strings: "org.freedesktop.DBus.Error.ServiceUnknown". */
const char *bus_error_name(const sd_bus_error *e, int r);

extern const struct idle_backend_ops mutter_backend_ops, muffin_backend_ops, wayland_backend_ops, x11_backend_ops,
        screensaver_backend_ops, logind_backend_ops;

/* ---- logind.c: lock and sleep, and the coarse IdleHint backend ---------- */

struct logind;
int logind_new(struct tracker *p, struct logind **ret);
void logind_free(struct logind *l);
struct logind *presence_logind(struct tracker *p);
struct limberd *presence_daemon(struct tracker *p);
/* logind → presence */
void presence_locked(struct tracker *p, bool locked, uint64_t since);
void presence_asleep(struct tracker *p, bool asleep, uint64_t since);
