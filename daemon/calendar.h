/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-event.h>

struct moment;
struct policy;
struct sched;
struct schedule;

/*
 * The calendar: the policy's wall-clock rules (the day's start, working
 * hours, in local time) turned into boundaries on the scheduler's clock, as
 * the scheduler reads no clock. Kept up to date at every event: when the
 * wall clock was set, the time zone changed, or a boundary passed.
 */

struct calendar {
        uint64_t day_end_rt; /* the boundary the scheduler has, wall-clock µs; 0: to compute */
        bool clock_was_set;  /* its place on the scheduler's clock moved */
        char *hours_text;    /* general.work-hours as last applied */
        struct schedule *hours;
        uint64_t hours_next_rt; /* when working hours change next, wall-clock µs; UINT64_MAX: never */
        sd_event_source *clock_watch;
        void (*clock_set)(void *userdata);
        void *userdata;
};

/* Calls clock_set() when the wall clock is set (a timerfd with
 * TFD_TIMER_CANCEL_ON_SET); the next update recomputes the boundaries. */
int calendar_watch(struct calendar *c, sd_event *event, void (*clock_set)(void *userdata), void *userdata);
void calendar_finish(struct calendar *c);

/* Sets the scheduler's day end and working hours as of m; a boundary the
 * wall clock jumped over ends the day now. */
void calendar_update(struct calendar *c, struct sched *s, const struct policy *p, const struct moment *m);

/* The scheduler started at `at` (restored from a save at wall-clock
 * saved_rt): the first boundary after that. */
void calendar_start(struct calendar *c, struct sched *s, const struct policy *p, uint64_t at, uint64_t saved_rt);
