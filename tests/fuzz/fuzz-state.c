/* SPDX-License-Identifier: MIT */
/* libFuzzer target: limberd's state file (daemon/state.h).
 *
 * state_parse() on the input; when it succeeds, state_format() of the result
 * must parse again into an identical struct. A failure must leave a
 * NUL-terminated message. A state that parses is then restored into a
 * scheduler, as limberd does at start-up (right after it was saved, on its
 * own day), under the built-in policy and under one with pacing's daily
 * limit, and the scheduler is run for two days: a restore that makes it
 * spin shows as a libFuzzer timeout. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "diag.h"
#include "policy.h"
#include "scheduler.h"
#include "state.h"
#include "util.h"
#include "value.h"

/* As in limberd: the scheduler's clock starts here. */
#define BASE SCHED_CLOCK_BASE

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_event(void *userdata, const struct sched_event *ev)
{
        uint64_t *last = userdata;

        if (ev->at < *last) {
                fprintf(stderr, "fuzz-state: the scheduler reported %s out of time order\n", sched_event_name(ev->type));
                abort();
        }
        *last = ev->at;
}

/* Pacing with a daily limit: the limit's reminders are sums of restored counters. */
static const char pacing_policy[] = "[pacing]\nenabled = yes\ndaily-limit = 6h\nreprompt = 1s\n"
                                    "[posture]\nreprompt = 1s\n";

static void restore(const struct saved_state *st, const char *policy_text)
{
        struct policy *p = policy_new();
        struct moment m = { .bt = st->uptime + 60 * USEC_PER_SEC, .rt = st->saved_at + 60 * USEC_PER_SEC };
        struct sched_saved sv;
        uint64_t last = 0, gap, known, now = BASE;
        struct diags d;
        struct sched *s;

        diags_init(&d);
        if (policy_text) {
                policy_apply_buffer(p, "policy.ini", policy_text, strlen(policy_text), SCOPE_USER, &d);
                policy_finish_layers(p, &d);
                if (diags_count(&d, SEV_ERROR) != 0)
                        abort();
        }
        diags_finish(&d);
        /* A restart a minute later, in the same boot (a crash, if the file says so). */
        state_to_sched(st, &m, st->boot_id, st->suspended, &sv, &gap, &known);
        if (known > gap)
                abort();
        s = sched_new(p, now - gap, on_event, &last);
        sched_set_day_end(s, now + 12 * USEC_PER_HOUR, now - gap);
        sched_restore(s, &sv, now - gap, now - gap + known, now);
        for (int i = 0; i < 4; i++) {
                now += 12 * USEC_PER_HOUR;
                sched_advance(s, now);
                if (sched_next_deadline(s, now) < now)
                        abort();
        }
        sched_free(s);
        policy_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_(freep) char *text = NULL;
        struct saved_state st, back;
        char err[256];
        int r;

        memset(&st, 0, sizeof(st));
        memset(&back, 0, sizeof(back));
        memset(err, 'x', sizeof(err));

        r = state_parse((const char *) data, size, &st, err, sizeof(err));
        if (r < 0) {
                if (r != -EINVAL || !memchr(err, '\0', sizeof(err)) || !err[0]) {
                        fprintf(stderr, "fuzz-state: state_parse failed with %d and no message\n", r);
                        abort();
                }
                return 0;
        }
        if (r != 0)
                abort();
        if (st.day[0] && strlen(st.day) != 10)
                abort();

        text = state_format(&st);
        r = state_parse(text, strlen(text), &back, err, sizeof(err));
        if (r < 0) {
                fprintf(stderr, "fuzz-state: state_format() wrote a file state_parse() rejects: %s\n%s", err, text);
                abort();
        }
        if (memcmp(&st, &back, sizeof(st)) != 0) {
                fprintf(stderr, "fuzz-state: the state changes in a round trip:\n%s", text);
                abort();
        }
        restore(&st, NULL);
        restore(&st, pacing_policy);
        return 0;
}
