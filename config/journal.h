/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The journal: the user's check-ins, pain and fatigue on 0–10 scales and a
 * free note, beside the activity history in $XDG_STATE_HOME/limber, one
 * file per machine (journal.MACHINE-ID, userstate.h). `limber log` writes a
 * record, and so does limberd for a check-in from the desktop; this file is
 * the one place that formats, writes and reads them.
 *
 * One record per line:
 *
 *   2026-11-24T18:00:00+01:00 pain=5 fatigue=6 source=cli note="slept badly"
 *
 * The time is local time with its UTC offset, as in the history. Fields
 * follow, separated by spaces, each at most once, in any order:
 *   pain=N, fatigue=N   a whole number from 0 to 10
 *   source=WHERE        cli (limber log), prompt (the rest prompt's quick
 *                       check-in), check-in (the daily check-in); cli when absent
 *   note="TEXT"         \" and \\ escape a quote and a backslash; valid UTF-8,
 *                       no control characters, at most JOURNAL_NOTE_MAX bytes
 * A record has pain, fatigue or a note. A line starting with '#' is a
 * comment (a new file begins "# limber journal of machine ID (HOST)");
 * blank lines are ignored. Records need not be in time order (limber log
 * --at records the past).
 */

#define JOURNAL_SCORE_NONE (-1)
#define JOURNAL_SCORE_MAX  10
#define JOURNAL_NOTE_MAX   1000

enum journal_source {
        SOURCE_CLI,
        SOURCE_PROMPT,
        SOURCE_CHECK_IN,
        N_SOURCES,
};

const char *journal_source_name(enum journal_source s); /* "cli", "prompt", "check-in" */

struct checkin {
        int64_t instant; /* µs since the epoch */
        int pain, fatigue; /* 0–10, or JOURNAL_SCORE_NONE */
        enum journal_source source;
        char *note; /* NULL: none; owned */
        unsigned line; /* where it was read */
        unsigned file; /* journal_read_dir: its file in struct journal's files */
};

/* Parses one journal file's text, appending its records to *v (of *n,
 * grown as needed; the caller frees with checkins_free even on error).
 * 0, or -EINVAL with "PATH:LINE: message 'value'" in err. */
int journal_parse(const char *path, const char *buf, size_t size, struct checkin **v, size_t *n, char *err,
                  size_t errsize);
void checkins_free(struct checkin *v, size_t n);

/* Every machine's journal in a state directory (journal and
 * journal.MACHINE-ID), records sorted by time. */
struct journal_file {
        char *path;
        char machine[33]; /* "" for a plain journal */
        char host[64];    /* from its header; "" unknown */
};
struct journal {
        struct checkin *v;
        size_t n;
        struct journal_file *files;
        size_t n_files;
};

/* 0 (no journal yet is an empty one), or negative errno with the message
 * ("PATH:LINE: …" for a bad record) in err. */
int journal_read_dir(const char *dir, struct journal *j, char *err, size_t errsize);
void journal_free(struct journal *j);

/* NULL when a note can be recorded as it is, or why not. */
const char *journal_note_problem(const char *note);

/* A record's line, newline included. Caller frees. */
char *journal_format(const struct checkin *c);

/* Appends a record to the journal at path in one write(2) (O_APPEND), then
 * fsync: lines of two writers never interleave, and a record written is
 * on disk. A new file first gets the header naming machine_id and this
 * host. 0 or negative errno. */
int journal_append(const char *path, const char *machine_id, const struct checkin *c);
