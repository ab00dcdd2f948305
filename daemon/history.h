/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdint.h>

/*
 * The append-only history, $XDG_STATE_HOME/limber/history: presence spans,
 * user actions and what the scheduler decided, one line each, in the trace
 * format of limberd(8) with wall-clock times and their UTC offset. It is the
 * input of `limber stats`, and `limberd --replay` replays it.
 *
 * Write failures (a read-only or full disk) are reported once and otherwise
 * ignored: scheduling goes on.
 */

struct history;

struct history *history_open(const char *path);
void history_close(struct history *h);

/* Appends "TIME text": rt is wall-clock µs; times never go backwards in
 * the file (an earlier time is written as the last one). */
void history_write(struct history *h, uint64_t rt, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
