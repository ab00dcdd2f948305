/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/*
 * The user's state directory, $XDG_STATE_HOME/limber, as both programs see
 * it. A home directory may be shared by several machines (NFS), so the
 * files that grow there are kept per machine: NAME.MACHINE-ID, the id from
 * /etc/machine-id. A plain NAME is a file from before that (limberd takes
 * it over when it starts), counted as this machine's.
 *
 * The history and the journal are appended to by one write(2) per line;
 * whoever rewrites one (limber forget) holds an exclusive flock(2) on it
 * while it reads and renames, and the writers hold a shared one while they
 * check that the path still names the file they write (state_file_lock).
 * Files are opened read-write for it: NFS emulates flock with byte-range
 * locks, which need both. Where no lock can be had, lines are still
 * written.
 */

#define MACHINE_ID_BUF 33

/* $XDG_STATE_HOME/limber (~/.local/state/limber); NULL when neither the
 * variable nor HOME is set. Caller frees. */
char *user_state_dir(void);

/* This machine's id (32 hex digits), "" when unknown. */
void machine_id(char buf[static MACHINE_ID_BUF]);

/* dir/NAME.MACHINE-ID for this machine (dir/NAME when its id is unknown). Caller frees. */
char *state_file_path(const char *dir, const char *name);

struct state_file {
        char *path;
        char machine[MACHINE_ID_BUF]; /* "" for a plain NAME */
        bool this_machine;
};

/* Every machine's files of a name in dir (NAME and NAME.MACHINE-ID, never
 * temporaries), sorted by path. 0 (none: *n = 0, also when dir is
 * missing) or negative errno. */
int state_files_list(const char *dir, const char *name, struct state_file **ret, size_t *n);
void state_files_free(struct state_file *v, size_t n);

/* The host name a file's first line names ("# limber … of machine ID
 * (HOST)"), into buf; "" when it names none. */
void state_file_host(const char *text, size_t size, char *buf, size_t bufsize);

/* Opens path to append to (O_APPEND, created 0600), holding a shared lock
 * on the file the path names at that moment (a rename by limber forget
 * between the open and the lock is noticed, and the new file opened).
 * *created is set when the file is new and empty. The fd or negative errno;
 * closing it drops the lock. */
int state_file_open_append(const char *path, bool *created);
/* Re-checks, for a writer that keeps fd open, that path still names it and
 * takes the shared lock: 1 when it does (locked), 0 when the file was
 * replaced or removed (reopen it), negative errno. */
int state_file_lock(int fd, const char *path);
