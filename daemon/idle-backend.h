/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

/*
 * An idle backend: one source of "the user is idle since … / active again"
 * (Mutter's idle monitor, a Wayland protocol, X11 alarms, …), one file
 * each, behind this ops table. Presence (presence.h) owns the backends,
 * probes them, starts the best one and keeps the fields below up to date;
 * a backend reports through the callbacks it was given and never calls
 * its owner.
 */

struct idle_backend;

struct idle_backend_ops {
        const char *name;
        /* Starts an asynchronous probe; answers with backend_probed(). */
        void (*probe)(struct idle_backend *b);
        /* Becomes the idle source: arm watches, report the current state. */
        int (*start)(struct idle_backend *b);
        void (*stop)(struct idle_backend *b);
        /* thresholds changed while started. */
        void (*thresholds_changed)(struct idle_backend *b);
        /* inhibited changed while started (optional). */
        void (*inhibited_changed)(struct idle_backend *b);
        void (*free)(struct idle_backend *b);
};

/* What a backend tells its owner. */
struct idle_backend_callbacks {
        /* The probe's answer (why says what was found), or the source went away. */
        void (*probed)(void *userdata, struct idle_backend *b, bool available);
        void (*gone)(void *userdata, struct idle_backend *b);
        /* The started backend saw the user go idle (since = the last input,
         * CLOCK_BOOTTIME µs) or come back. */
        void (*report)(void *userdata, struct idle_backend *b, bool idle, uint64_t since);
};

enum backend_status {
        BACKEND_UNKNOWN,
        BACKEND_PROBING,
        BACKEND_AVAILABLE,
        BACKEND_ABSENT,
};

struct idle_backend {
        const struct idle_backend_ops *ops;
        const struct idle_backend_callbacks *cb;
        void *userdata;
        sd_bus *bus; /* the session bus */
        sd_event *event;
        enum backend_status status;
        char why[160];
        bool started;
        bool wanted; /* allowed by general.backend */
        void *data;  /* the backend's own */

        /* Kept up to date by the owner. */
        const uint64_t *thresholds; /* the idle spells that matter (µs), ascending */
        size_t n_thresholds;
        uint64_t idle_since; /* the current idle spell's start from this channel; 0: active */
        bool inhibited;      /* an idle inhibitor is held (gnome-session InhibitedActions & 8) */
};

/* Backend → owner, with the why-string formatted. */
void backend_probed(struct idle_backend *b, bool available, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void backend_gone(struct idle_backend *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void backend_report(struct idle_backend *b, bool idle, uint64_t since);

/* A NameOwnerChanged match for one name on the session bus; the callback
 * gets the new owner ("" when it vanished). */
int backend_watch_name(struct idle_backend *b, const char *name, sd_bus_slot **slot,
                       void (*changed)(struct idle_backend *b, const char *new_owner));

extern const struct idle_backend_ops mutter_backend_ops, muffin_backend_ops, wayland_backend_ops, x11_backend_ops,
        screensaver_backend_ops, logind_backend_ops;
