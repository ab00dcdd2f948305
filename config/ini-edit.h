/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>

/*
 * Editing the text of a policy file the way a person would: one key's line
 * changed, added or removed, every other byte (comments, blank lines, order,
 * line endings) kept as it was. Sections and keys are matched as the loader
 * reads them: indentation ignored, "key = value" or "key: value".
 */

/* Sets key = value in [section]: replaces the key's last line in the last
 * such section, or adds the line at the end of that section, or adds the
 * section at the end. text may be NULL (no file yet). Returns the new text
 * (caller frees). */
char *ini_set(const char *text, const char *section, const char *key, const char *value);

/* Removes every line of key in [section]. *removed says how many. Returns the
 * new text (caller frees). */
char *ini_unset(const char *text, const char *section, const char *key, unsigned *removed);
