/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Diagnostics collected while loading policy files: every problem found, in
 * order, each with the file and line it belongs to. Printed as
 * "path:line: message" (errors) and "path:line: warning: message".
 */

enum severity {
        SEV_WARNING,
        SEV_ERROR,
};

struct diag {
        enum severity severity;
        char *path;    /* owned; NULL when not about a file */
        unsigned line; /* 0 when not about one line */
        char *message; /* owned */
};

struct diags {
        struct diag *v;
        size_t n, cap;
};

void diags_init(struct diags *d);
void diags_finish(struct diags *d);

__attribute__((format(printf, 5, 6))) void diags_add(struct diags *d, enum severity sev, const char *path,
                                                     unsigned line, const char *fmt, ...);

size_t diags_count(const struct diags *d, enum severity sev);

/* One diagnostic as text, without a trailing newline; returns buf. */
char *diag_format(const struct diag *dg, char *buf, size_t size);

/* Prints every diagnostic (or only errors), one per line. */
void diags_print(const struct diags *d, FILE *f, int only_errors);

/* Logs every diagnostic (log.h): errors as errors, warnings as warnings. */
void diags_log(const struct diags *d);

/* Appends the other's diagnostics to d (moving them). */
void diags_move(struct diags *d, struct diags *other);

/* A value as it may be shown inside quotes in a message: control bytes and
 * quotes escaped (\x07), long values shortened ("..."). Returns buf. */
#define QUOTE_BUF 96
char *diag_quote(char buf[static QUOTE_BUF], const char *s);
