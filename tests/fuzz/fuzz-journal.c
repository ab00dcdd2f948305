/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the journal (config/journal.h), which `limber journal`,
 * `limber report` and `limber pacing baseline` read.
 *
 * journal_parse() on the input. Every record it returns is in range (a time
 * after 1970 and before the year 10000, scores 0–10 or none, a known
 * source, a note that journal_note_problem() accepts) and formats to a line
 * that parses back into the same record. A failure leaves "PATH:LINE: ". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal.h"
#include "localtime.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PATH "journal"

static void check(bool ok, const char *what, unsigned line)
{
        if (ok)
                return;
        fprintf(stderr, "fuzz-journal: line %u: %s\n", line, what);
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct checkin *v = NULL;
        size_t n = 0;
        char err[1024];
        int r;

        r = journal_parse(PATH, (const char *) data, size, &v, &n, err, sizeof(err));
        check(r == 0 || r == -EINVAL, "unexpected error", 0);
        if (r < 0)
                check(strncmp(err, PATH ":", strlen(PATH ":")) == 0, "error without PATH:LINE", 0);
        for (size_t i = 0; i < n; i++) {
                const struct checkin *c = &v[i];
                struct checkin *back = NULL;
                size_t m = 0;
                _cleanup_(freep) char *line = NULL;

                check(c->instant >= 0 && c->instant <= MAX_TRACE_TIME, "time out of range", c->line);
                check(c->pain >= JOURNAL_SCORE_NONE && c->pain <= JOURNAL_SCORE_MAX, "pain out of range", c->line);
                check(c->fatigue >= JOURNAL_SCORE_NONE && c->fatigue <= JOURNAL_SCORE_MAX, "fatigue out of range",
                      c->line);
                check((unsigned) c->source < N_SOURCES, "unknown source", c->line);
                check(c->pain != JOURNAL_SCORE_NONE || c->fatigue != JOURNAL_SCORE_NONE || c->note,
                      "an empty record", c->line);
                check(!c->note || !journal_note_problem(c->note), "a note that could not be written", c->line);

                line = journal_format(c);
                check(journal_parse(PATH, line, strlen(line), &back, &m, err, sizeof(err)) == 0 && m == 1,
                      "a formatted record does not parse", c->line);
                check(back[0].instant / 1000000 == c->instant / 1000000 && back[0].pain == c->pain &&
                              back[0].fatigue == c->fatigue && back[0].source == c->source &&
                              (c->note ? back[0].note && streq(back[0].note, c->note) : !back[0].note),
                      "a formatted record parses into another", c->line);
                checkins_free(back, m);
        }
        checkins_free(v, n);
        return 0;
}
