/* SPDX-License-Identifier: MIT */
#include "statedir.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

char *state_dir(void)
{
        _cleanup_(freep) char *home = xdg_dir("XDG_STATE_HOME", ".local/state");

        return home ? xasprintf("%s/limber", home) : NULL;
}

static bool machine_id(const char *s)
{
        return strlen(s) == 32 && strspn(s, "0123456789abcdef") == 32;
}

static int by_path(const void *a, const void *b)
{
        return strcmp(((const struct state_file *) a)->path, ((const struct state_file *) b)->path);
}

int state_file_label(const char *buf, size_t size, char machine[static 33], char host[static 64])
{
        static const char head[] = "# limber history of machine ";
        const char *nl = memchr(buf, '\n', size), *open, *close;

        if (!nl || size < sizeof(head) + 32 || strncmp(buf, head, sizeof(head) - 1) != 0)
                return -EINVAL;
        buf += sizeof(head) - 1;
        memcpy(machine, buf, 32);
        machine[32] = '\0';
        if (!machine_id(machine))
                return -EINVAL;
        open = memchr(buf, '(', (size_t) (nl - buf));
        close = open ? memchr(open, ')', (size_t) (nl - open)) : NULL;
        snprintf(host, 64, "%.*s", open && close ? (int) (close - open - 1) : 0, open ? open + 1 : "");
        return 0;
}

size_t state_files(const char *dir, const char *name, struct state_file **ret)
{
        struct state_file *v = NULL;
        size_t n = 0, len = strlen(name);
        DIR *dp = opendir(dir);
        struct dirent *de;

        *ret = NULL;
        if (!dp)
                return 0;
        while ((de = readdir(dp))) {
                const char *rest = de->d_name + len;
                bool legacy = streq(de->d_name, name);

                if (!legacy && !(strncmp(de->d_name, name, len) == 0 && rest[0] == '.' && machine_id(rest + 1)))
                        continue;
                v = xreallocarray(v, n + 1, sizeof(*v));
                v[n] = (struct state_file) { .path = xasprintf("%s/%s", dir, de->d_name) };
                snprintf(v[n].machine, sizeof(v[n].machine), "%s", legacy ? "" : rest + 1);
                n++;
        }
        closedir(dp);
        qsort(v, n, sizeof(*v), by_path);
        *ret = v;
        return n;
}

void state_files_free(struct state_file *v, size_t n)
{
        for (size_t i = 0; i < n; i++)
                free(v[i].path);
        free(v);
}
