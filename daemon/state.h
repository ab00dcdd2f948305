/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "schema.h"
#include "scheduler.h"

struct moment;

/*
 * limberd's state file, $XDG_STATE_HOME/limber/state.MACHINE-ID: what must survive a
 * restart or a reboot. Plain "key=value" lines ending with an "end" line, so
 * a truncated file is recognised; written atomically (temporary file, fsync,
 * rename) on every transition and action, and on exit. There is no periodic
 * checkpoint: a restart reconstructs the time since the last save (see
 * state_to_sched). Times that must survive a reboot are wall-clock µs.
 */

#define BOOT_ID_BUF 33

struct saved_kind {
        uint64_t worked; /* µs */
        bool due;
        uint64_t due_for;       /* µs it had been due */
        uint64_t snoozed_until; /* wall-clock µs; 0: not snoozed */
        unsigned snoozes;
        unsigned prompts;
};

struct saved_state {
        uint64_t saved_at;         /* wall-clock µs */
        char boot_id[BOOT_ID_BUF]; /* the boot it was saved in; "" unknown */
        uint64_t uptime;           /* CLOCK_BOOTTIME µs when saved */
        uint64_t suspended;        /* suspended_total() when saved */
        bool clean;                /* saved as limberd exited */
        char day[11];              /* the local day (YYYY-MM-DD) the counters belong to */
        struct saved_kind kinds[N_KINDS];
        bool paused;
        uint64_t pause_until; /* wall-clock µs; 0: until resumed */
        bool flare;                                     /* a flare day */
        unsigned flare_day, flare_days, flare_recovery; /* the flare plan; flare_days 0: none (older files) */
        bool limit_reached;
        unsigned limit_prompts;
        uint64_t active_today; /* µs */
        enum presence presence;
        uint64_t away_for; /* µs the away spell had lasted */
        uint64_t next_in;  /* µs to the scheduler's next deadline; UINT64_MAX: none */
};

/* Parses a state file's text. -EINVAL (with a message naming the line) for
 * anything malformed or truncated. */
int state_parse(const char *buf, size_t size, struct saved_state *ret, char *err, size_t errsize);

/* The text of a state file; caller frees. */
char *state_format(const struct saved_state *st);

/* The scheduler's state at a moment, as a state file holds it. */
void state_from_sched(struct saved_state *st, const struct sched_saved *sv, const struct moment *m, const char *boot_id,
                      unsigned day_starts, bool clean);

/* How a restart goes on from a state file read at moment m: the counters as
 * of the save (*ret), how long ago the save was (*gap), and for how much of
 * that the saved presence certainly held (*known):
 *  - after a clean exit, or in another boot (a shutdown, a power loss): none
 *    of it; the time since the save counts as time away;
 *  - after a crash or kill -9 in the same boot: an active spell went on,
 *    less the time the machine was suspended, and never past the deadline
 *    the scheduler had then (limberd saves at every deadline, so it died
 *    before it). */
void state_to_sched(const struct saved_state *st, const struct moment *m, const char *boot_id, uint64_t suspended_now,
                    struct sched_saved *ret, uint64_t *gap, uint64_t *known);

/* The state file of a directory, with its I/O. */
struct state_store;

/* dir: $XDG_STATE_HOME/limber; created if missing, and cleared of temporary
 * files an interrupted write left behind. Its files are per machine
 * (state.MACHINE-ID): a home directory shared by several machines keeps
 * each machine's apart. */
struct state_store *state_store_new(const char *dir);
void state_store_free(struct state_store *s);
const char *state_store_boot_id(const struct state_store *s);
const char *state_store_machine_id(const struct state_store *s);
/* The path of this machine's file of that name in the directory
 * ("history" → dir/history.MACHINE-ID); caller frees. */
char *state_store_file(struct state_store *s, const char *name);

/* 0, -ENOENT when there is none, other negative errno (reported once). */
int state_store_load(struct state_store *s, struct saved_state *ret);
/* What a restart at moment m picks up (state_to_sched): 0 with the saved
 * state, the moment it was saved (*at) and until when its presence held
 * (*known_until), both on m's scheduler clock; an error: start afresh. */
int state_store_resume(struct state_store *s, const struct moment *m, uint64_t suspended_now, struct sched_saved *sv,
                       uint64_t *at, uint64_t *known_until);
/* Writes st unless the file already says the same (apart from when it was
 * saved); a failure is reported once, and scheduling goes on. */
void state_store_save(struct state_store *s, const struct saved_state *st);
/* The same for the scheduler's state at moment m; clean: as limberd exits. */
void state_store_save_sched(struct state_store *s, const struct sched *sched, const struct moment *m,
                            unsigned day_starts, bool clean);
