/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/*
 * The daemon's clocks. Intervals run on CLOCK_BOOTTIME, which keeps counting
 * while the machine is suspended. The scheduler's clock is CLOCK_BOOTTIME
 * shifted by SCHED_CLOCK_BASE, so that spells back-dated by a long downtime
 * stay positive. The wall clock (CLOCK_REALTIME) is used only for the day
 * boundary, timed pauses across restarts and history timestamps.
 */

#define SCHED_CLOCK_BASE ((uint64_t) 10 * 365 * 24 * 3600 * 1000000)

uint64_t now_usec(clockid_t clock);
static inline uint64_t boottime_now(void)
{
        return now_usec(CLOCK_BOOTTIME);
}
static inline uint64_t realtime_now(void)
{
        return now_usec(CLOCK_REALTIME);
}

/* CLOCK_BOOTTIME µs <-> the scheduler's clock. */
static inline uint64_t sched_from_boottime(uint64_t bt)
{
        return bt + SCHED_CLOCK_BASE;
}
static inline uint64_t boottime_from_sched(uint64_t st)
{
        return st > SCHED_CLOCK_BASE ? st - SCHED_CLOCK_BASE : 0;
}

/* A boottime instant as wall-clock µs, judged now. */
uint64_t realtime_from_boottime(uint64_t bt);

/* The next local-time day boundary (minutes after midnight) after the wall
 * clock time rt, as wall-clock µs. Re-reads the time zone. */
uint64_t next_day_start(uint64_t rt, unsigned day_starts_minutes);

/* The local date ("YYYY-MM-DD") of the day that contains rt, where days
 * begin at day_starts. */
void day_label(char buf[static 11], uint64_t rt, unsigned day_starts_minutes);

/* "2026-11-23T09:00:00+01:00" for a wall-clock instant. */
#define ISO_BUF 40
char *format_iso_local(char buf[static ISO_BUF], uint64_t rt);

/* How far CLOCK_BOOTTIME has moved ahead of CLOCK_MONOTONIC: the time spent
 * suspended since boot. */
uint64_t suspended_total(void);

/* An fd that becomes readable when the wall clock is set (timerfd with
 * TFD_TIMER_CANCEL_ON_SET); clock_changed_ack() re-arms it after a wakeup. */
int clock_change_fd(void);
int clock_changed_ack(int fd);
