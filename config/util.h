/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/*
 * Small helpers shared by limberd and limber. Allocation failures abort:
 * a break scheduler that cannot allocate a few bytes has nothing better to do.
 */

#define _cleanup_(f)   __attribute__((cleanup(f)))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define ELEMENTSOF(x)  (sizeof(x) / sizeof((x)[0]))

static inline void freep(void *p)
{
        free(*(void **) p);
}

static inline void fclosep(FILE **f)
{
        if (*f)
                fclose(*f);
}

void closep(int *fd);

static inline bool streq(const char *a, const char *b)
{
        return a && b && strcmp(a, b) == 0;
}

static inline bool startswith(const char *s, const char *prefix)
{
        return strncmp(s, prefix, strlen(prefix)) == 0;
}

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
_printf_(1, 2) char *xasprintf(const char *fmt, ...);
char *xvasprintf(const char *fmt, va_list ap);

/* Reads a whole regular file of at most max bytes into a NUL-terminated
 * buffer (*ret, length *ret_size). -EISDIR for a directory, -EBADF for other
 * non-regular files, -EFBIG when too large, other negative errno from open/read. */
int read_file(const char *path, size_t max, char **ret, size_t *ret_size);

/* Writes data to path atomically: a temporary file in the same directory,
 * fsync, rename, then fsync of the directory. The new file gets mode, or the
 * old file's mode when keep_mode is set and it exists. */
int write_file_atomic(const char *path, const void *data, size_t size, mode_t mode, bool keep_mode);

/* The same without the fsyncs: still atomic for readers and against a crash
 * of the process, not against a power cut. For frequent checkpoints. */
int write_file_atomic_nosync(const char *path, const void *data, size_t size, mode_t mode);

/* mkdir -p with mode for the missing parts. */
int mkdir_parents(const char *path, mode_t mode);

/* $XDG_CONFIG_HOME or ~/.config (likewise STATE: ~/.local/state); NULL
 * when neither the variable nor HOME is set. Caller frees. */
char *xdg_dir(const char *var, const char *fallback_below_home);

/* A growable string buffer. */
struct strbuf {
        char *s;
        size_t len, cap;
};
void strbuf_append(struct strbuf *b, const char *s, size_t n);
_printf_(2, 3) void strbuf_printf(struct strbuf *b, const char *fmt, ...);
