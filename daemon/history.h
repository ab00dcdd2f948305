/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "events.h"

struct sched_event;

/*
 * The append-only history, $XDG_STATE_HOME/limber/history.MACHINE-ID (one
 * per machine, so that a home directory on NFS never interleaves two
 * machines' lines): presence spans,
 * user actions and what the scheduler decided, one line each, in the trace
 * format of limberd(8) (config/trace.h reads it) with wall-clock times and
 * their UTC offset. It is the input of `limber stats`, and `limberd --replay`
 * replays it. This file is the one place that writes each kind of record.
 *
 * Write failures (a read-only or full disk) are reported once and otherwise
 * ignored: scheduling goes on. Times never go backwards in the file (an
 * earlier time is written as the last one). rt is wall-clock µs.
 *
 * `limber forget` may rewrite the file (a new one renamed over it) or remove
 * it while limberd runs: each line is written under a shared lock to the
 * file the path names then (userstate.h), reopened when it was replaced.
 */

struct history;

/* A new file starts with a comment naming the machine (its id and host
 * name), for readers that combine machines. */
struct history *history_open(const char *path, const char *machine_id);
void history_close(struct history *h);

/* The user's presence changed at rt. */
void history_presence(struct history *h, uint64_t rt, enum presence p);
/* The user asked for something (before the scheduler answers). */
void history_action(struct history *h, uint64_t rt, const struct action *a);
/* Do-not-disturb or an idle inhibitor came or went. */
void history_quiet(struct history *h, uint64_t rt, bool on);
/* What the scheduler decided. */
void history_event(struct history *h, uint64_t rt, const struct sched_event *ev);
