/* SPDX-License-Identifier: MIT */
#include "userstate.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

char *user_state_dir(void)
{
        _cleanup_(freep) char *state = xdg_dir("XDG_STATE_HOME", ".local/state");

        return state ? xasprintf("%s/limber", state) : NULL;
}

static bool hex_id(const char *s, size_t len)
{
        if (len != MACHINE_ID_BUF - 1)
                return false;
        for (size_t i = 0; i < len; i++)
                if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
                        return false;
        return true;
}

void machine_id(char buf[static MACHINE_ID_BUF])
{
        _cleanup_(freep) char *text = NULL;
        size_t len;

        buf[0] = '\0';
        if (read_file("/etc/machine-id", 64, &text, &len) < 0)
                return;
        while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
                len--;
        if (!hex_id(text, len))
                return;
        memcpy(buf, text, len);
        buf[len] = '\0';
}

char *state_file_path(const char *dir, const char *name)
{
        char id[MACHINE_ID_BUF];

        machine_id(id);
        return id[0] ? xasprintf("%s/%s.%s", dir, name, id) : xasprintf("%s/%s", dir, name);
}

static int compare_files(const void *a, const void *b)
{
        return strcmp(((const struct state_file *) a)->path, ((const struct state_file *) b)->path);
}

int state_files_list(const char *dir, const char *name, struct state_file **ret, size_t *n)
{
        char id[MACHINE_ID_BUF];
        size_t len = strlen(name), count = 0;
        struct state_file *v = NULL;
        struct dirent *de;
        DIR *dp;

        *ret = NULL;
        *n = 0;
        dp = opendir(dir);
        if (!dp)
                return errno == ENOENT ? 0 : -errno;
        machine_id(id);
        while ((de = readdir(dp))) {
                const char *suffix = de->d_name + len;
                struct state_file f = { 0 };

                if (strncmp(de->d_name, name, len) != 0)
                        continue;
                if (*suffix == '.' && hex_id(suffix + 1, strlen(suffix + 1)))
                        memcpy(f.machine, suffix + 1, MACHINE_ID_BUF);
                else if (*suffix)
                        continue; /* another name, or a temporary file */
                f.this_machine = !f.machine[0] || streq(f.machine, id);
                f.path = xasprintf("%s/%s", dir, de->d_name);
                v = xreallocarray(v, count + 1, sizeof(*v));
                v[count++] = f;
        }
        closedir(dp);
        if (count)
                qsort(v, count, sizeof(*v), compare_files);
        *ret = v;
        *n = count;
        return 0;
}

void state_files_free(struct state_file *v, size_t n)
{
        for (size_t i = 0; i < n; i++)
                free(v[i].path);
        free(v);
}

void state_file_host(const char *text, size_t size, char *buf, size_t bufsize)
{
        const char *nl = memchr(text, '\n', size), *open, *close;
        size_t len = nl ? (size_t) (nl - text) : size;

        buf[0] = '\0';
        if (len < 2 || strncmp(text, "# limber ", 9) != 0)
                return;
        open = memchr(text, '(', len);
        close = open ? memchr(open, ')', len - (size_t) (open - text)) : NULL;
        if (!open || !close || close == open + 1 || (size_t) (close - open) > bufsize)
                return;
        snprintf(buf, bufsize, "%.*s", (int) (close - open - 1), open + 1);
}

int state_file_lock(int fd, const char *path)
{
        struct stat a, b;

        /* Where locks are not to be had (a file system without them), the
         * line is written all the same: only a concurrent forget could lose it. */
        while (flock(fd, LOCK_SH) < 0 && errno == EINTR)
                ;
        if (fstat(fd, &a) < 0)
                return -errno;
        if (stat(path, &b) < 0) {
                if (errno != ENOENT)
                        return -errno;
        } else if (a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
                return 1;
        }
        (void) flock(fd, LOCK_UN);
        return 0;
}

int state_file_open_append(const char *path, bool *created)
{
        for (int attempt = 0; attempt < 8; attempt++) {
                struct stat st;
                /* Read and write: NFS's emulation of flock wants both. */
                int fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600), r;

                if (fd < 0)
                        return -errno;
                r = state_file_lock(fd, path);
                if (r > 0) {
                        *created = fstat(fd, &st) == 0 && st.st_size == 0;
                        return fd;
                }
                close(fd);
                if (r < 0)
                        return r;
                /* Replaced between the open and the lock: open the new one. */
        }
        return -EAGAIN;
}
