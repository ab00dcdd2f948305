/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Strict parsers and formatters for policy values.
 *
 * Every parser takes a NUL-terminated string and returns 0 on success or a
 * negative errno: -EINVAL for malformed text (empty, trailing garbage, a sign,
 * spaces, unknown unit), -ERANGE for overflow. They never guess.
 */

#define USEC_PER_SEC  ((uint64_t) 1000000)
#define USEC_PER_MIN  (60 * USEC_PER_SEC)
#define USEC_PER_HOUR (60 * USEC_PER_MIN)
#define USEC_PER_DAY  (24 * USEC_PER_HOUR)

/* The longest duration any parser accepts: 366 days. */
#define DURATION_MAX (366 * USEC_PER_DAY)

/* "90s", "20m", "1h30m", "2d": groups of <digits><unit>, units d h m s in
 * strictly decreasing order, each at most once. Result in µs. */
int parse_duration(const char *s, uint64_t *ret_usec);

/* Canonical text of a duration, e.g. 5400 s -> "1h30m", 0 -> "0s".
 * Sub-second remainders are printed as "ms". Returns buf. */
#define DURATION_BUF 32
char *format_duration(char buf[static DURATION_BUF], uint64_t usec);

/* "HH:MM" or "H:MM", 00:00..23:59; result in minutes after midnight. */
int parse_time_of_day(const char *s, unsigned *ret_minutes);
#define TOD_BUF 8
char *format_time_of_day(char buf[static TOD_BUF], unsigned minutes);

/* yes/no, true/false, on/off, 1/0 (case-insensitive). */
int parse_bool(const char *s, bool *ret);

/* A non-negative decimal integer without sign or spaces. */
int parse_count(const char *s, uint64_t *ret);

/* "50%": an integer percentage 0..1000 followed by '%'. */
int parse_percent(const char *s, unsigned *ret);
