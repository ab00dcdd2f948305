/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
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

/* Prints s in a cell width terminal columns wide, padded with spaces on its
 * right (text) or, right = true, on its left (numbers). */
void print_cell(FILE *f, const char *s, int width, bool right);

/* The columns s takes on a terminal. */
int text_columns(const char *s);

/* The width of a column at least min wide that also holds s. */
int column_width(int min, const char *s);
