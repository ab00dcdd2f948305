/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct policy;
struct sched;
struct trace_event;

/*
 * `limberd --replay TRACE`: runs the scheduler over a presence trace (see
 * trace.h) and prints the timeline, then a summary. With json, one JSON
 * object per line, the last one {"event":"summary",…}.
 *
 * Returns an exit status: 0, or 1 when the trace cannot be read or has a bad
 * line (reported on err as TRACE:LINE: message).
 */
int replay_run(const char *path, const struct policy *p, bool json, FILE *out, FILE *err);

/* Feeds one trace event to the scheduler at now (its time on the scheduler's
 * clock); records of a previous run's decisions are passed over, as the
 * scheduler decides again. False at the trace's end. */
bool replay_apply(struct sched *s, const struct trace_event *e, uint64_t now);
