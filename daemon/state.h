/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "schema.h"
#include "scheduler.h"

/*
 * limberd's state file, $XDG_STATE_HOME/limber/state: what must survive a
 * restart or a reboot. Plain "key=value" lines ending with an "end" line, so
 * a truncated file is recognised; written atomically (temporary file, fsync,
 * rename). Times that must survive a reboot are wall-clock µs.
 */

struct saved_kind {
        uint64_t worked;        /* µs */
        bool due;
        uint64_t due_for;       /* µs it had been due */
        uint64_t snoozed_until; /* wall-clock µs; 0: not snoozed */
        unsigned snoozes;
        unsigned prompts;
};

struct saved_state {
        uint64_t saved_at; /* wall-clock µs */
        char day[11];      /* the local day (YYYY-MM-DD) the counters belong to */
        struct saved_kind kinds[N_KINDS];
        bool paused;
        uint64_t pause_until; /* wall-clock µs; 0: until resumed */
        bool flare;
        bool limit_reached;
        uint64_t active_today; /* µs */
};

/* Parses a state file's text. -EINVAL (with a message naming the line) for
 * anything malformed or truncated. */
int state_parse(const char *buf, size_t size, struct saved_state *ret, char *err, size_t errsize);

/* The text of a state file; caller frees. */
char *state_format(const struct saved_state *st);

/* Reads path: 0, -ENOENT when there is none, other negative errno with err set. */
int state_load(const char *path, struct saved_state *ret, char *err, size_t errsize);

/* Writes path atomically. */
int state_save(const char *path, const struct saved_state *st);

/* What sched_restore() gets from a state file read at wall-clock now_rt on
 * the day `today` (YYYY-MM-DD): timed snoozes and pauses as what is left of
 * them, the day's counters only if it is still that day. Returns how long
 * limberd was not running, at most `max_down`. */
uint64_t state_to_sched(const struct saved_state *st, uint64_t now_rt, const char *today, uint64_t max_down,
                        struct sched_saved *ret);
