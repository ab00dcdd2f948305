/* SPDX-License-Identifier: MIT */
#pragma once

#include "schema.h"

/*
 * The break-tip catalogue: lines of text per kind, shown in the prompts in
 * rotation. Read from $LIMBER_TIPS, else the installed catalogue; a few
 * built-in tips stand in when neither can be read.
 */

struct tips;

struct tips *tips_load(void);
void tips_free(struct tips *t);

/* The next tip for a kind, in the user's language where the catalogues
 * have it (owned by t, or by them). */
const char *tips_next(struct tips *t, enum kind kind);

/* Parses a catalogue; tips of kinds it lacks stay empty. Returns the number
 * of tips read. For tests and fuzzing. */
int tips_parse(struct tips *t, const char *buf, size_t size);
struct tips *tips_new(void);
