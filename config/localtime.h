/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdint.h>
#include <time.h>

/*
 * Wall-clock and local-time helpers shared by limberd and limber: reading a
 * clock, local day boundaries, and the time formats of the history and the
 * trace format (limberd(8)).
 *
 * Times of the trace format are kept twice: as the instant (µs since the
 * epoch; what durations are measured on, so a clock change neither adds nor
 * removes an hour) and as µs of "naive local time", the local wall-clock
 * reading counted as if it were UTC (what is shown, and what days are).
 */

uint64_t now_usec(clockid_t clock);
static inline uint64_t realtime_now(void)
{
        return now_usec(CLOCK_REALTIME);
}

/* The next local-time day boundary (minutes after midnight) after the wall
 * clock time rt, as wall-clock µs. Re-reads the time zone. */
uint64_t next_day_start(uint64_t rt, unsigned day_starts_minutes);

/* The local date ("YYYY-MM-DD") of the day that contains rt, where days
 * begin at day_starts. */
void day_label(char buf[static 11], uint64_t rt, unsigned day_starts_minutes);

/* "2026-11-23T09:00:00+01:00" for a wall-clock instant. */
#define ISO_BUF 40
char *format_iso_local(char buf[static ISO_BUF], uint64_t rt);

/* "HH:MM" in local time for a wall-clock instant. */
#define CLOCK_BUF 8
char *format_clock(char buf[static CLOCK_BUF], uint64_t rt);

/* "YYYY-MM-DDTHH:MM:SS" of a naive local time. */
#define TIME_BUF 32
char *format_naive(char buf[static TIME_BUF], int64_t naive_usec);

/* Parses "YYYY-MM-DDTHH:MM:SS[Z|±HH:MM]" into the instant (µs since the
 * epoch). With an offset it is exact and 1 is returned; a naive time is read
 * as this machine's local time and 0 is returned; negative errno on error
 * (-ERANGE for a date or time that does not exist). */
int parse_trace_time(const char *s, int64_t *ret);

/* Parses "YYYY-MM-DDTHH:MM:SS" followed by Z or ±HH:MM (and then the end or
 * a blank) into µs since the epoch. */
int parse_iso_instant(const char *s, int64_t *ret);

/* The time zone may have changed (tzset() was called): forget the offsets
 * learnt for local_naive() and naive_instant(). */
void local_zone_changed(void);

/* The naive local time (µs) of an instant on this machine. */
int64_t local_naive(int64_t instant_usec);
/* The instant (s) a naive local time (s) names on this machine. */
int64_t naive_instant(int64_t naive);

/* The last second of the year 9999 (UTC): no trace instant is later, so
 * differences of trace times never overflow. */
#define MAX_TRACE_TIME ((int64_t) 253402300799 * (int64_t) 1000000)

/* The first day boundary (day-starts, minutes after midnight) after t. */
int64_t next_day_boundary(int64_t naive_usec, unsigned day_starts);

/* Days as limber counts them (local, beginning at day-starts), numbered
 * from 1970-01-01: the day of an instant (µs since the epoch), a day's date
 * ("YYYY-MM-DD"), and the day a date names (-EINVAL when malformed,
 * -ERANGE for a date that does not exist). */
int64_t local_day_index(int64_t instant_usec, unsigned day_starts);
void local_day_label(int64_t idx, char buf[static 11]);
int parse_date(const char *s, int64_t *ret_idx);
