/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#include "bus-dict.h"

/*
 * The CLI's side of org.limber.Limber1: connecting, calling, and turning the
 * daemon's named errors into one clear line and a distinct exit code.
 */

struct kind_status {
        char kind[16];
        bool enabled;
        char state[16];
        uint64_t worked, interval, duration; /* µs */
        uint64_t due_at, due_since, snoozed_until, break_ends; /* wall-clock µs; 0: none */
        uint64_t break_left;                                     /* µs */
        uint32_t snoozes_left, prompts;
};

struct status {
        uint64_t now; /* wall-clock µs when the daemon read the values */
        char presence[16];
        uint64_t presence_since;
        char backend[32];
        bool paused, flare, quiet, counting, limit_reached;
        uint32_t flare_day, flare_days, flare_recovery, flare_scale; /* the flare plan; flare_day 0: none */
        uint64_t paused_until, active_today, daily_limit;
        bool in_work_hours;         /* true from a limberd that predates working hours */
        uint64_t work_hours_change; /* wall-clock µs; 0: never */
        char quiet_source[32];      /* what holds prompts back, "" */
        struct kind_status kinds[8];
        int n_kinds;
};

/* Connects to the session bus; on failure prints why and returns a
 * negative exit code (-EXIT_NO_DAEMON). */
int client_open(sd_bus **ret);

/* Calls a method of limberd (starting it by D-Bus activation where that is
 * installed) on *bus, connecting first (client_open) while *bus is NULL; the
 * caller closes *bus. reply may be NULL. On a failure, prints one line and
 * returns -(exit code). */
int client_call(sd_bus **bus, const char *method, sd_bus_message **reply, const char *types, ...);

/* GetStatus on *bus (connecting as client_call does), parsed. Returns 0 or
 * -(exit code). */
int client_status(sd_bus **bus, struct status *ret);
int parse_status(sd_bus_message *m, struct status *ret);

/* The exit code for a D-Bus error from limberd, after printing it. */
int client_error(const sd_bus_error *e, int r);

/* How long until a kind's break, as if active from now (µs); 0 when due. */
uint64_t kind_due_in(const struct status *st, const struct kind_status *k);
