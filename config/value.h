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

/* An identifier, such as an exercise id: lower-case ASCII letters and
 * digits in words joined by single '-', at most ID_MAX characters. */
#define ID_MAX 48
bool id_valid(const char *s, size_t len);

/* A list of ids: "all", or ids separated by commas and/or spaces, each at
 * most once, at most ID_LIST_MAX of them. On success *ret_count is the
 * number of ids (0 for "all") and, when ret is given, *ret the canonical
 * text: "all" or the ids joined by ", " (caller frees). -EINVAL for a bad
 * id, a repeated one, "all" among ids, or no id at all; -ERANGE for too
 * many. why, when given, gets a static reason on failure. */
#define ID_LIST_MAX 64
int parse_id_list(const char *s, char **ret, size_t *ret_count, const char **why);

/* A name another program chose, such as a mako mode: ASCII letters,
 * digits and "-_.:@+", at most ID_MAX characters (case matters). */
bool name_valid(const char *s, size_t len);

/* A list of names, as parse_id_list() reads ids but with no "all": names
 * separated by commas and/or spaces, each at most once, at most
 * ID_LIST_MAX; *ret is the names joined by ", ". */
int parse_name_list(const char *s, char **ret, size_t *ret_count, const char **why);
