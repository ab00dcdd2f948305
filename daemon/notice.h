/* SPDX-License-Identifier: MIT */
#pragma once

#include <systemd/sd-bus.h>

/*
 * Notices: a short notification the user asked for (the status, when the
 * tray icon is clicked) or should see at once (a tray menu action that was
 * refused). Unlike the prompts (notifier.h) a notice has no actions and no
 * life of its own, so it needs no thread: one Notify call, sent
 * asynchronously over sd-bus, never auto-starting a server, never waiting
 * for one. A new notice replaces the last one while the same server is up.
 * With no notification server, the notice goes to the log.
 */

struct notice;

int notice_new(sd_bus *bus, struct notice **ret);
void notice_free(struct notice *n);

/* Shows title and body (plain text). */
void notice_show(struct notice *n, const char *title, const char *body);
