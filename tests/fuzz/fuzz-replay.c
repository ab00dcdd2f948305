/* SPDX-License-Identifier: MIT */
/* libFuzzer target: `limberd --replay`, the scheduler driven by a trace.
 *
 * The input is a trace (daemon/trace.h), read whole with trace_next() and fed
 * to the scheduler as daemon/replay.c does, under the built-in policy. An
 * input that starts with '[' carries its own policy first, up to a line
 * "%%": the equivalent of `limberd --replay TRACE --policy FILE` (a policy
 * with errors is refused, as limberd does).
 *
 * Checked: after each event the next deadline is not in the past; the
 * scheduler reports what happens in time order, never later than now, with
 * a kind wherever replay.c counts one.
 *
 * The scheduler's work grows with the time replayed (a due break is
 * re-prompted every `reprompt`, as little as 1 s), so that one input cannot
 * take seconds at most MAX_EVENTS events and MAX_SPAN of trace time are fed;
 * the rest of the trace is dropped. A scheduler that never returns shows as
 * a libFuzzer timeout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "policy.h"
#include "localtime.h"
#include "replay.h"
#include "scheduler.h"
#include "trace.h"
#include "util.h"
#include "value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* As in replay.c: the scheduler's clock starts here. */
#define REPLAY_BASE ((uint64_t) 10 * 365 * USEC_PER_DAY)
#define MAX_EVENTS 4096
#define MAX_SPAN ((int64_t) (2 * USEC_PER_DAY))

struct fuzz_replay {
        uint64_t now;     /* of the event being fed */
        uint64_t last_at; /* of the last event the scheduler reported */
        unsigned n_reported;
};

static void fail(const char *what, const struct sched_event *ev, uint64_t now)
{
        fprintf(stderr, "fuzz-replay: %s: %s kind %d at %llu (now %llu)\n", what, sched_event_name(ev->type),
                ev->kind, (unsigned long long) ev->at, (unsigned long long) now);
        abort();
}

static void on_event(void *userdata, const struct sched_event *ev)
{
        struct fuzz_replay *fr = userdata;
        char a[DURATION_BUF];

        if ((unsigned) ev->type >= N_SCHED_EVENTS)
                fail("unknown event type", ev, fr->now);
        if (ev->kind < -1 || ev->kind >= N_KINDS)
                fail("kind out of range", ev, fr->now);
        /* replay.c's on_event() counts these per kind, without a NULL check. */
        switch (ev->type) {
        case EV_DUE:
        case EV_REPROMPT:
        case EV_TAKEN:
        case EV_NATURAL:
        case EV_SNOOZED:
        case EV_SKIPPED:
        case EV_DEFERRED:
                if (ev->kind < 0)
                        fail("event without a kind", ev, fr->now);
                break;
        case EV_REFUSED:
                if ((unsigned) ev->action >= N_ACTIONS || (unsigned) ev->reason >= N_REFUSALS)
                        fail("refusal without an action or reason", ev, fr->now);
                break;
        default:
                break;
        }
        if (fr->n_reported > 0 && ev->at < fr->last_at)
                fail("reported out of time order", ev, fr->now);
        if (ev->at > fr->now)
                fail("reported in the future", ev, fr->now);
        fr->last_at = ev->at;
        fr->n_reported++;
        /* What replay.c prints. */
        (void) format_duration(a, ev->worked);
        (void) format_duration(a, ev->overdue);
        (void) format_duration(a, ev->span);
        (void) format_duration(a, ev->active_today);
}

/* Splits off a leading policy: "[...]\n%%\n" then the trace. */
static void split(const char *buf, size_t size, size_t *ret_policy, size_t *ret_trace)
{
        const char *p = buf, *end = buf + size;

        *ret_policy = 0;
        *ret_trace = 0;
        if (size == 0 || buf[0] != '[')
                return;
        while (p < end) {
                const char *nl = memchr(p, '\n', (size_t) (end - p));
                size_t len = nl ? (size_t) (nl - p) : (size_t) (end - p);

                if (len == 2 && p[0] == '%' && p[1] == '%') {
                        *ret_policy = (size_t) (p - buf);
                        *ret_trace = nl ? (size_t) (nl + 1 - buf) : size;
                        return;
                }
                p = nl ? nl + 1 : end;
        }
        *ret_policy = size; /* a policy and no trace */
        *ret_trace = size;
}

static void replay(const struct policy *p, const struct trace_event *events, size_t n_events)
{
        unsigned day_starts = (unsigned) policy_get(p, KEY_DAY_STARTS);
        struct fuzz_replay fr = { .now = REPLAY_BASE };
        int64_t t0 = events[0].instant;
        struct sched_status st;
        uint64_t now = REPLAY_BASE;
        struct sched *s;

        s = sched_new(p, REPLAY_BASE, on_event, &fr);
        sched_set_day_end(s, REPLAY_BASE + (uint64_t) (next_day_boundary(t0, day_starts) - t0), REPLAY_BASE);

        for (size_t i = 0; i < n_events; i++) {
                const struct trace_event *e = &events[i];

                if (e->instant - t0 > MAX_SPAN)
                        break;
                now = REPLAY_BASE + (uint64_t) (e->instant - t0);
                fr.now = now;
                if (!replay_apply(s, e, now))
                        break;
                if (sched_next_deadline(s, now) < now) {
                        fprintf(stderr, "fuzz-replay: line %u: the next deadline is in the past\n", e->line);
                        abort();
                }
        }
        sched_advance(s, now);
        sched_get_status(s, now, &st);
        sched_free(s);
}

/* Reads the trace whole, as replay.c does (a bad line: nothing is replayed),
 * then replays it under p. */
static void replay_trace(const struct policy *p, const char *buf, size_t size)
{
        _cleanup_(freep) struct trace_event *events = xmalloc(MAX_EVENTS * sizeof(*events));
        struct trace_reader tr;
        size_t n_events = 0;
        char msg[1024];
        int r = 0;

        trace_reader_init(&tr, "trace", buf, size);
        while (n_events < MAX_EVENTS && (r = trace_next(&tr, &events[n_events], msg, sizeof(msg))) > 0)
                n_events++;
        if (r < 0 || n_events == 0)
                return;
        replay(p, events, n_events);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const char *buf = (const char *) data;
        struct policy *p = policy_new();
        size_t policy_size, trace_start;
        struct diags d;

        diags_init(&d);
        split(buf, size, &policy_size, &trace_start);
        if (policy_size > 0) {
                policy_apply_buffer(p, "policy.ini", buf, policy_size, SCOPE_USER, &d);
                policy_finish_layers(p, &d);
        }
        /* limberd refuses a policy with errors ("fix them first"). */
        if (diags_count(&d, SEV_ERROR) == 0)
                replay_trace(p, buf + trace_start, size - trace_start);
        policy_free(p);
        diags_finish(&d);
        return 0;
}
