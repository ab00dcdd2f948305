/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>

struct limberd;
struct quiet;

/* Follows do-not-disturb and idle inhibitors on the session bus; tells the
 * engine (engine_quiet) when prompts should wait. */
int quiet_new(struct limberd *d, struct quiet **ret);
void quiet_free(struct quiet *q);
bool quiet_get(const struct quiet *q);
