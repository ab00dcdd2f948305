/* SPDX-License-Identifier: MIT */
#pragma once

#include <systemd/sd-bus.h>

#include "quiet-source.h"

/*
 * swaync's do-not-disturb: org.erikreider.swaync.cc GetDnd, followed
 * through its Subscribe signal (SubscribeV2 in newer versions), which it
 * sends at every change of the switch.
 */

struct swaync_dnd;

int swaync_dnd_new(sd_bus *bus, quiet_changed_fn changed, void *userdata, struct swaync_dnd **ret);
void swaync_dnd_free(struct swaync_dnd *s);
