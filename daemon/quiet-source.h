/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>

/*
 * A do-not-disturb source of quiet.c that needs more than one property:
 * one file each (quiet-mako.c, quiet-swaync.c, quiet-xfce.c, quiet-gnome.c).
 * A source follows its program and calls changed() with whether it holds
 * prompts now: once when it has its first answer (so that quiet knows it
 * answered, also when the program is absent), then at every change.
 */

typedef void (*quiet_changed_fn)(void *userdata, bool on);

/* Every call a source makes answers within this (µs). */
#define QUIET_CALL_TIMEOUT (2 * 1000 * 1000)
