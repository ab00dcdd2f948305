/* SPDX-License-Identifier: MIT */
#include "history.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "trace.h"
#include "util.h"

struct history {
        char *path;
        int fd;
        uint64_t last;
        bool warned;
};

static void history_failed(struct history *h, int r)
{
        if (!h->warned)
                log_warning_errno(r, "cannot write the history %s; going on without it", h->path);
        h->warned = true;
}

static void history_reopen(struct history *h)
{
        if (h->fd >= 0)
                return;
        h->fd = open(h->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
        if (h->fd < 0)
                history_failed(h, -errno);
}

/* The time of the file's last line, so that a new run never writes earlier
 * times after it. */
static uint64_t last_time(const char *path)
{
        char buf[1024];
        int64_t t;
        ssize_t n;
        char *line;
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        off_t size;

        if (fd < 0)
                return 0;
        size = lseek(fd, 0, SEEK_END);
        n = size > 0 ? pread(fd, buf, sizeof(buf) - 1, size > (off_t) sizeof(buf) - 1 ? size - (off_t) sizeof(buf) + 1 : 0) : 0;
        close(fd);
        if (n <= 0)
                return 0;
        buf[n] = '\0';
        while (n > 0 && buf[n - 1] == '\n')
                buf[--n] = '\0';
        line = strrchr(buf, '\n');
        line = line ? line + 1 : buf;
        if (parse_iso_instant(line, &t) < 0 || t < 0)
                return 0;
        return (uint64_t) t;
}

struct history *history_open(const char *path)
{
        struct history *h = xcalloc(1, sizeof(*h));

        h->path = xstrdup(path);
        h->fd = -1;
        h->last = last_time(path);
        history_reopen(h);
        return h;
}

void history_close(struct history *h)
{
        if (!h)
                return;
        if (h->fd >= 0)
                close(h->fd);
        free(h->path);
        free(h);
}

void history_write(struct history *h, uint64_t rt, const char *fmt, ...)
{
        char line[512], t[ISO_BUF];
        va_list ap;
        int n;

        if (!h)
                return;
        history_reopen(h);
        if (h->fd < 0)
                return;
        if (rt < h->last)
                rt = h->last;
        h->last = rt;

        n = snprintf(line, sizeof(line), "%s ", format_iso_local(t, rt));
        va_start(ap, fmt);
        n += vsnprintf(line + n, sizeof(line) - (size_t) n - 1, fmt, ap);
        va_end(ap);
        if (n > (int) sizeof(line) - 2)
                n = (int) sizeof(line) - 2;
        line[n++] = '\n';

        /* One write(2) per line: with O_APPEND, lines never interleave. */
        if (write(h->fd, line, (size_t) n) != n) {
                history_failed(h, errno ? -errno : -EIO);
                return;
        }
        h->warned = false;
}
