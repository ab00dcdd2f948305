/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdint.h>

/*
 * Durations and times as a person reads them, in the CLI's human output, in
 * prompts and in the log: never milliseconds, whole seconds under a minute,
 * whole minutes above ("5s", "20m", "1h 20m", "2d 3h"), and local times as
 * "HH:MM", with the weekday or the date when not today. Machine formats
 * (--json, --csv, waybar, D-Bus, the history) keep their exact values and do
 * not use these.
 *
 * A duration printed here reads back with parse_duration() ("1h 20m" is
 * 1h20m), rounded.
 */

#define HUMAN_BUF 32

/* usec rounded to the nearest second under a minute, to the nearest minute
 * above: 4.995 s is "5s", 89 s is "1m", 90 s is "2m", 80 min is "1h 20m". */
char *human_duration(char buf[static HUMAN_BUF], uint64_t usec);

/* The wall-clock instant rt (µs) as local "HH:MM", to the nearest minute. */
char *human_clock(char buf[static HUMAN_BUF], uint64_t rt);

/* When rt is, for a person, seen at now_rt: "08:30" today, "Mon 08:30"
 * within the next six days, "2027-01-11 08:30" otherwise; to the nearest
 * minute. */
char *human_when(char buf[static HUMAN_BUF], uint64_t rt, uint64_t now_rt);
