/* SPDX-License-Identifier: MIT */
#pragma once

#include <stddef.h>

/*
 * The user's state directory ($XDG_STATE_HOME/limber) as its readers see it:
 * limberd keeps its files per machine (history.MACHINE-ID, …), so that a home
 * directory shared by several machines never mixes them; readers combine
 * the machines and can tell them apart.
 */

struct state_file {
        char *path;
        char machine[33]; /* the machine id from the name or the file's first line; "" unknown */
        char host[64];    /* the host name from the first line; "" unknown */
};

/* $XDG_STATE_HOME/limber (or ~/.local/state/limber); NULL when neither is set. Caller frees. */
char *state_dir(void);

/* The files of that name in dir: "name" (from before per-machine files) and
 * every "name.MACHINE-ID", sorted. Returns how many; *ret is freed with
 * state_files_free(). A directory that does not exist has none. */
size_t state_files(const char *dir, const char *name, struct state_file **ret);
void state_files_free(struct state_file *v, size_t n);

/* The machine id and host name a history's first line names
 * ("# limber history of machine ID (HOST)"); 0, or -EINVAL when it names none. */
int state_file_label(const char *buf, size_t size, char machine[static 33], char host[static 64]);
