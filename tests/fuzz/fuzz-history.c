/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the history file, read by `limber stats` and
 * `limberd --replay` through the trace reader (daemon/trace.h).
 *
 * trace_next() until the end or an error. Times never go backwards, event
 * fields stay in range, and an error leaves a "PATH:LINE: message". The last
 * line also goes through parse_iso_instant(), as limberd does when it opens
 * the history to append to it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "localtime.h"
#include "schema.h"
#include "trace.h"
#include "util.h"
#include "value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PATH "history"

static void check(bool ok, const char *what, unsigned line)
{
        if (ok)
                return;
        fprintf(stderr, "fuzz-history: line %u: %s\n", line, what);
        abort();
}

/* As history.c's last_time(): the last non-empty line of the file's tail. */
static void last_time(const uint8_t *data, size_t size)
{
        char buf[1024], *line;
        size_t n = size < sizeof(buf) - 1 ? size : sizeof(buf) - 1;
        int64_t t;

        memcpy(buf, data + size - n, n);
        buf[n] = '\0';
        n = strlen(buf);
        while (n > 0 && buf[n - 1] == '\n')
                buf[--n] = '\0';
        line = strrchr(buf, '\n');
        line = line ? line + 1 : buf;
        (void) parse_iso_instant(line, &t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct trace_reader r;
        struct trace_event ev;
        char err[1024], time[TIME_BUF];
        int64_t prev = INT64_MIN;
        unsigned prev_line = 0;
        int n;

        trace_reader_init(&r, PATH, (const char *) data, size);
        while ((n = trace_next(&r, &ev, err, sizeof(err))) > 0) {
                check(ev.instant >= prev, "time goes backwards", ev.line);
                check(ev.instant <= MAX_TRACE_TIME, "time after the year 9999", ev.line);
                check(ev.line > prev_line, "line numbers go backwards", ev.line);
                check((unsigned) ev.type <= TRACE_RECORD, "unknown event type", ev.line);
                check(ev.kind >= -1 && ev.kind < N_KINDS, "kind out of range", ev.line);
                check(ev.type != TRACE_ACTION || (unsigned) ev.action < N_ACTIONS, "unknown action", ev.line);
                check(ev.type != TRACE_PRESENCE || (unsigned) ev.presence < N_PRESENCES, "unknown presence",
                      ev.line);
                check(ev.type != TRACE_RECORD || (unsigned) ev.record < N_SCHED_EVENTS, "unknown record", ev.line);
                check(ev.span <= DURATION_MAX, "span above DURATION_MAX", ev.line);
                (void) format_naive(time, ev.time);
                prev = ev.instant;
                prev_line = ev.line;
        }
        check(n == 0 || n == -EINVAL, "unexpected error", r.line);
        if (n < 0)
                check(strncmp(err, PATH ":", strlen(PATH ":")) == 0, "error without PATH:LINE", r.line);

        if (size > 0)
                last_time(data, size);
        return 0;
}
