/* SPDX-License-Identifier: MIT */
/* Helpers shared by the cmocka unit tests (header-only). */
#pragma once

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "diag.h"
#include "util.h"

/* A fresh temporary directory; removed by tmpdir_remove. */
static inline char *tmpdir_new(void)
{
        char *t = xstrdup("/tmp/limber-test.XXXXXX");
        assert_non_null(mkdtemp(t));
        return t;
}

static inline void tmpdir_remove(char *dir)
{
        char *cmd = xasprintf("rm -rf '%s'", dir);
        assert_int_equal(system(cmd), 0);
        free(cmd);
        free(dir);
}

/* Writes text to dir/rel, creating parent directories; returns the path. */
static inline char *put_file(const char *dir, const char *rel, const char *text)
{
        char *path = xasprintf("%s/%s", dir, rel);
        char *parent = xstrdup(path);
        FILE *f;

        *strrchr(parent, '/') = '\0';
        assert_int_equal(mkdir_parents(parent, 0755), 0);
        f = fopen(path, "w");
        assert_non_null(f);
        fputs(text, f);
        assert_int_equal(fclose(f), 0);
        free(parent);
        return path;
}

/* Is there a diagnostic of this severity, at this line (0: any), whose text
 * contains needle? */
static inline int diags_has(const struct diags *d, enum severity sev, unsigned line, const char *needle)
{
        for (size_t i = 0; i < d->n; i++)
                if (d->v[i].severity == sev && (!line || d->v[i].line == line) && strstr(d->v[i].message, needle))
                        return 1;
        return 0;
}

static inline void diags_dump(const struct diags *d)
{
        diags_print(d, stderr, 0);
}
