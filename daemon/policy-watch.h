/* SPDX-License-Identifier: MIT */
#pragma once

#include <systemd/sd-event.h>

struct policy_opts;
struct policy_watch;

/* Follows the policy files (inotify) and calls changed() once they have
 * settled for a second after a change. */
int policy_watch_new(sd_event *event, const struct policy_opts *opts, void (*changed)(void *userdata), void *userdata,
                     struct policy_watch **ret);
void policy_watch_free(struct policy_watch *w);
