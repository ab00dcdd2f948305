/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: general.work-hours. Whatever parses formats to a text
 * that parses to the same hours, and the state at a moment agrees with the
 * next change it announces.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schedule.h"
#include "util.h"
#include "value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_(freep) char *text = xstrndup((const char *) data, size);
        struct schedule s, again;
        char why[96], token[80];
        int64_t t = (int64_t) 1798934400 * (int64_t) USEC_PER_SEC, next, next2;
        bool in;

        if (schedule_parse(text, &s, why, sizeof(why), token, sizeof(token)) < 0) {
                if (!why[0] || !memchr(token, '\0', sizeof(token)))
                        abort();
                return 0;
        }
        {
                _cleanup_(freep) char *canonical = schedule_format(&s);
                if (schedule_parse(canonical, &again, NULL, 0, NULL, 0) < 0 || !schedule_equal(&s, &again)) {
                        fprintf(stderr, "fuzz-schedule: '%s' formats as '%s', which means other hours\n", text,
                                canonical);
                        abort();
                }
        }
        /* Walk a week of changes: each flips the state. */
        in = schedule_state(&s, t, &next);
        for (int i = 0; i < 64 && next != INT64_MAX; i++) {
                if (next <= t || schedule_state(&s, next, &next2) == in)
                        abort();
                in = !in;
                t = next;
                next = next2;
        }
        return 0;
}
