/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Working hours (general.work-hours): the minutes of the week that are
 * working time, in local time.
 *
 *   always
 *   Mon-Fri 08:30-12:30 13:30-17:30
 *   Mon,Wed 09:00-13:00; Tue,Thu,Fri 13:00-19:00
 *   Sat 22:00-02:00                      (crosses midnight into Sunday)
 *
 * Groups are separated by ';'; each is days (Mon … Sun, single or ranges,
 * separated by commas; Fri-Mon wraps) and one or more HH:MM-HH:MM ranges.
 * A range ending at or before its start ends the next day; 24:00 ends at
 * midnight.
 */

#define SCHEDULE_MINUTES (7 * 24 * 60) /* Monday 00:00 is minute 0 */

struct schedule {
        uint8_t bits[SCHEDULE_MINUTES / 8]; /* a set bit: that minute is working time */
};

/* Parses text. On an error returns -EINVAL and, when the buffers are
 * given, what is wrong ("unknown day") and the bad token. */
int schedule_parse(const char *text, struct schedule *ret, char *why, size_t whysize, char *token,
                   size_t tokensize);

/* Canonical text ("always", or the groups as above, days merged); caller frees. */
char *schedule_format(const struct schedule *s);

bool schedule_always(const struct schedule *s);
bool schedule_equal(const struct schedule *a, const struct schedule *b);
/* a becomes a ∪ b, or a ∩ b. */
void schedule_union(struct schedule *a, const struct schedule *b);
void schedule_intersect(struct schedule *a, const struct schedule *b);
/* Is every minute of a in b? */
bool schedule_within(const struct schedule *a, const struct schedule *b);

/* Whether a naive local time (µs: the local wall-clock reading counted as
 * if it were UTC) is working time, and the naive local time of the next
 * change (INT64_MAX: never). */
bool schedule_state(const struct schedule *s, int64_t naive_usec, int64_t *next_change);

/* The same for an instant (µs since the epoch) on this machine's local
 * time: working time or not, and the instant it changes next (INT64_MAX:
 * never), read minute by minute on the local clock: hours that begin in an
 * hour a clock change skips begin when the clock comes out of it. */
bool schedule_at_instant(const struct schedule *s, int64_t instant, int64_t *next_instant);
