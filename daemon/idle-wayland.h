/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct wl_interface;
struct wl_proxy;
struct wl_seat;

/*
 * The Wayland idle protocols the wayland backend (idle-wayland.c) speaks,
 * one file each. Both have the same shape: a timeout object per threshold,
 * made for a seat, that says `idle` that long after the last input and
 * `resumed` at the next input. The backend keeps the connection, the
 * timeouts and the reconnection; a protocol only makes and destroys its
 * objects and passes their events on.
 */

struct idle_note;

/* A protocol's events, passed to the backend with the note given to get(). */
void idle_note_idled(struct idle_note *n);
void idle_note_resumed(struct idle_note *n);

struct idle_protocol {
        const char *name; /* the global's interface name, as --list-backends shows it */
        const struct wl_interface *interface;
        uint32_t max_version; /* the highest version our generated glue knows */
        /* A timeout of ms on seat, reporting to n; version is the bound manager's. */
        struct wl_proxy *(*get)(struct wl_proxy *manager, uint32_t version, struct wl_seat *seat, uint32_t ms,
                                struct idle_note *n);
        void (*destroy)(struct wl_proxy *timeout);
        void (*destroy_manager)(struct wl_proxy *manager);
        /* Does this version count input only (video inhibitors ignored)? */
        bool (*input_only)(uint32_t version);
};

/* In the order the backend prefers them. */
extern const struct idle_protocol idle_protocol_ext, idle_protocol_kde;
