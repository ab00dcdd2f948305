/* SPDX-License-Identifier: MIT */
#pragma once

struct limberd;
struct policy_watch;

/* Reloads the policy when a policy file changes (inotify, settled for 1 s). */
int policy_watch_new(struct limberd *d, struct policy_watch **ret);
void policy_watch_free(struct policy_watch *w);
