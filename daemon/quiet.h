/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <systemd/sd-bus.h>

/*
 * Quiet: whether prompts should wait (do-not-disturb, or an idle inhibitor
 * held by a video call or a presentation), followed on the session bus and
 * reported through callbacks.
 */

struct quiet;

struct quiet_callbacks {
        /* The source now holding prompts back ("dunst", "kde", "inhibitor", …),
         * or NULL when none does. */
        void (*changed)(void *userdata, const char *source);
        /* An idle inhibitor is held, or no longer (idle monitors stop watching). */
        void (*inhibited)(void *userdata, bool inhibited);
};

int quiet_new(sd_bus *bus, const struct quiet_callbacks *cb, void *userdata, struct quiet **ret);
void quiet_free(struct quiet *q);
