/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdio.h>

/*
 * Words the CLI's human output shares, translated: the break kinds as a
 * person reads them, and columns padded by what a terminal shows (a
 * translation may be longer, or not ASCII). The kinds' ids ("posture")
 * stay what scripts and the bus use.
 */

/* "posture" -> the kind's name in the user's language ("posture", "Haltung");
 * an unknown id is returned as it is. */
const char *kind_label(const char *kind);

/* "active" -> the presence in the user's language; unknown ids as they are. */
const char *presence_label(const char *presence);

/* Prints s and pads it with spaces to width terminal columns. */
void print_padded(FILE *f, const char *s, int width);

/* The columns s takes on a terminal. */
int text_columns(const char *s);
