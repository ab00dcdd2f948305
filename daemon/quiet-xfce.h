/* SPDX-License-Identifier: MIT */
#pragma once

#include <systemd/sd-bus.h>

#include "quiet-source.h"

/*
 * xfce4-notifyd's do-not-disturb: /do-not-disturb in its xfconf channel
 * (xfce4-notifyd), read over org.xfce.Xfconf and followed through
 * PropertyChanged and PropertyRemoved.
 */

struct xfce_dnd;

int xfce_dnd_new(sd_bus *bus, quiet_changed_fn changed, void *userdata, struct xfce_dnd **ret);
void xfce_dnd_free(struct xfce_dnd *x);
