/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

/*
 * Quiet: whether prompts should wait (do-not-disturb, or an idle inhibitor
 * held by a video call or a presentation), followed on the session bus (and,
 * for GNOME's show-banners, through GSettings on the notifier's thread) and
 * reported through callbacks.
 */

struct quiet;

struct quiet_callbacks {
        /* The source now holding prompts back ("inhibitor", "kde", "dunst",
         * "swaync", "mako", "xfce", "gnome"), or NULL when none does. */
        void (*changed)(void *userdata, const char *source);
        /* An idle inhibitor is held, or no longer (idle monitors stop watching). */
        void (*inhibited)(void *userdata, bool inhibited);
};

struct quiet_options {
        const char *dnd_modes; /* general.dnd-modes: mako's modes that mean do-not-disturb */
        bool once;             /* limberd --list-backends: GNOME's setting is read once, not followed */
};

/* cb may be NULL (--list-backends: quiet_holding() says the answer). */
int quiet_new(sd_event *event, sd_bus *bus, const struct quiet_options *o, const struct quiet_callbacks *cb,
              void *userdata, struct quiet **ret);
void quiet_free(struct quiet *q);

/* general.dnd-modes changed. */
void quiet_set_dnd_modes(struct quiet *q, const char *modes);
/* Is a source still waiting for its first answer? */
bool quiet_probing(const struct quiet *q);
/* The source holding prompts and, in *what, why; NULL when none does. */
const char *quiet_holding(const struct quiet *q, const char **what);
