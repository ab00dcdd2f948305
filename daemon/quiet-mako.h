/* SPDX-License-Identifier: MIT */
#pragma once

#include <systemd/sd-bus.h>

#include "quiet-source.h"

/*
 * mako's do-not-disturb: one of its active modes (fr.emersion.Mako
 * ListModes) is in general.dnd-modes. mako ≥ 1.10 announces a change of its
 * Modes property; older ones (Debian 12's 1.7) announce nothing, so they are
 * asked when they appear and each time a prompt shows (limberd's own
 * BreakDue on the bus), never on a timer.
 */

struct mako_dnd;

/* modes: general.dnd-modes' text ("a, b"), copied. */
int mako_dnd_new(sd_bus *bus, const char *modes, quiet_changed_fn changed, void *userdata, struct mako_dnd **ret);
void mako_dnd_free(struct mako_dnd *m);
void mako_dnd_set_modes(struct mako_dnd *m, const char *modes);
