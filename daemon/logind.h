/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-event.h>

/*
 * logind, on the system bus: our session's lock state and the machine's
 * sleep, reported through callbacks; its IdleHint is an idle backend of its
 * own (logind_backend_ops, whose data is this object).
 */

struct logind;

struct logind_callbacks {
        /* since: CLOCK_BOOTTIME µs. */
        void (*locked)(void *userdata, bool locked, uint64_t since);
        /* Going to sleep (asleep) or woken up. Before the machine sleeps,
         * whatever the callback does (saving the state) is done: the sleep
         * delay inhibitor is released only after it returns. */
        void (*asleep)(void *userdata, bool asleep, uint64_t since);
};

int logind_new(sd_event *event, const struct logind_callbacks *cb, void *userdata, struct logind **ret);
void logind_free(struct logind *l);
