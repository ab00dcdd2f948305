/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "schema.h"
#include "trace.h"

/*
 * Activity per day, read from limberd's histories (trace.h): what `limber
 * stats`, `limber pacing baseline` and `limber report` show. Days are local
 * and begin at general.day-starts; durations are measured on instants, so a
 * clock change neither adds nor removes an hour.
 *
 * The histories of several machines (a shared home directory) combine: a
 * minute active on two machines at once is one minute of the person's day.
 * Active time follows limberd's rule: a pause in activity shorter than
 * general.idle-after still counts as active, on one machine or between two.
 * The longest unbroken stretch is the longest such run within a day.
 */

#define ACTIVITY_MAX_MACHINES 16

struct activity_day {
        bool seen; /* limberd recorded something that day */
        uint64_t active, longest; /* µs */
        uint64_t active_off;      /* of active: outside general.work-hours (µs) */
        uint64_t by_machine[ACTIVITY_MAX_MACHINES]; /* each machine's own active time (µs), as machines[] */
        struct break_counts k[N_KINDS];
        bool flare, recovery; /* a flare day or a recovery day of a plan */
        unsigned scale;       /* the lowest pacing scale in force that day (percent); 100: none */
};

struct activity_span;

/* A history read: its machine (from its name or first line) and host. */
struct activity_machine {
        char id[33];   /* "" unknown (a plain "history", or a file given by name) */
        char host[64]; /* "" unknown */
        char *path;
};

struct activity {
        int64_t first_day; /* day index (days since the epoch, local) of days[0] */
        size_t n_days;
        struct activity_day *days;
        unsigned day_starts; /* minutes after midnight */
        uint64_t idle_after; /* µs */
        struct activity_span *spans, *off_spans; /* off_spans: outside working hours */
        size_t n_spans, n_off_spans;
        struct activity_machine machines[ACTIVITY_MAX_MACHINES];
        size_t n_machines;
};

/* Days [first_day, first_day + n_days). */
void activity_init(struct activity *a, int64_t first_day, size_t n_days, unsigned day_starts, uint64_t idle_after);
void activity_free(struct activity *a);

/* The day index of an instant (µs since the epoch), and a day's date. */
int64_t activity_day_index(const struct activity *a, int64_t instant);
void activity_day_label(const struct activity *a, int64_t idx, char buf[static 11]);
/* The day of an index, NULL outside the range. */
struct activity_day *activity_day(struct activity *a, int64_t idx);

/* Adds one history: its active spells and its records (a day's active time
 * outside working hours comes from its "hours" records). An active spell
 * still open at its end lasts until open_until (µs since the epoch; the
 * machine limberd runs on now), or ends with the file's last line (0).
 * 0, or -EINVAL with "PATH:LINE: message" in err. */
int activity_add(struct activity *a, const char *path, const char *buf, size_t size, int64_t open_until, char *err,
                 size_t errsize);

/* Adds every machine's history in the state directory dir (history and
 * history.MACHINE-ID); this machine's open spell lasts until now. 0, or
 * negative errno with the message in err. */
int activity_add_dir(struct activity *a, const char *dir, int64_t now, char *err, size_t errsize);

/* Combines the spells of every history added into active time and the
 * longest stretch per day. Call once, after the last activity_add. */
void activity_finish(struct activity *a);
