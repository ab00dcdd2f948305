/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "localtime.h"

/*
 * The daemon's clocks. Intervals run on CLOCK_BOOTTIME, which keeps counting
 * while the machine is suspended. The scheduler's clock is CLOCK_BOOTTIME
 * shifted by SCHED_CLOCK_BASE, so that spells back-dated by a long downtime
 * stay positive. The wall clock (CLOCK_REALTIME) is used only for the day
 * boundary, timed pauses across restarts and history timestamps.
 */

#define SCHED_CLOCK_BASE ((uint64_t) 10 * 365 * 24 * 3600 * 1000000)

static inline uint64_t boottime_now(void)
{
        return now_usec(CLOCK_BOOTTIME);
}

/* One reading of the clocks, taken once per event. */
struct moment {
        uint64_t bt;    /* CLOCK_BOOTTIME µs */
        uint64_t rt;    /* CLOCK_REALTIME µs */
        uint64_t sched; /* the scheduler's clock */
};

struct moment moment_now(void);

/* A time on the scheduler's clock, or a boottime, as wall-clock µs judged
 * at the moment m (0 for 0). */
uint64_t moment_wall(const struct moment *m, uint64_t sched_time);
uint64_t moment_wall_bt(const struct moment *m, uint64_t bt);

/* CLOCK_BOOTTIME µs <-> the scheduler's clock. */
static inline uint64_t sched_from_boottime(uint64_t bt)
{
        return bt + SCHED_CLOCK_BASE;
}
static inline uint64_t boottime_from_sched(uint64_t st)
{
        return st > SCHED_CLOCK_BASE ? st - SCHED_CLOCK_BASE : 0;
}

/* How far CLOCK_BOOTTIME has moved ahead of CLOCK_MONOTONIC: the time spent
 * suspended since boot. */
uint64_t suspended_total(void);

/* An fd that becomes readable when the wall clock is set (timerfd with
 * TFD_TIMER_CANCEL_ON_SET); clock_changed_ack() re-arms it after a wakeup. */
int clock_change_fd(void);
int clock_changed_ack(int fd);
