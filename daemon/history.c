/* SPDX-License-Identifier: MIT */
#include "history.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "localtime.h"
#include "log.h"
#include "scheduler.h"
#include "userstate.h"
#include "util.h"
#include "value.h"

struct history {
        char *path;
        char *machine_id;
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

/* Opens the file (again), locked; a new one starts with a comment naming
 * the machine (its id and host name), for readers that combine machines. */
static void history_reopen(struct history *h)
{
        char host[256] = "";
        bool created = false;

        h->fd = state_file_open_append(h->path, &created);
        if (h->fd < 0) {
                history_failed(h, h->fd);
                return;
        }
        if (created && h->machine_id[0]) {
                _cleanup_(freep) char *head = NULL;

                (void) gethostname(host, sizeof(host) - 1);
                head = xasprintf("# limber history of machine %s (%s)\n", h->machine_id, host[0] ? host : "?");
                if (write(h->fd, head, strlen(head)) < 0)
                        history_failed(h, -errno);
        }
}

/* The file, open and locked for one write: limber forget may have renamed
 * a rewritten one over it, or removed it, since the last line. */
static bool history_lock(struct history *h)
{
        int r;

        if (h->fd >= 0) {
                r = state_file_lock(h->fd, h->path);
                if (r > 0)
                        return true;
                if (r == 0)
                        log_debug("%s was replaced or removed; opening it again", h->path);
                close(h->fd);
                h->fd = -1;
        }
        history_reopen(h);
        return h->fd >= 0;
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
        n = size > 0 ? pread(fd, buf, sizeof(buf) - 1,
                             size > (off_t) sizeof(buf) - 1 ? size - (off_t) sizeof(buf) + 1 : 0)
                     : 0;
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

struct history *history_open(const char *path, const char *machine_id)
{
        struct history *h = xcalloc(1, sizeof(*h));

        h->path = xstrdup(path);
        h->machine_id = xstrdup(machine_id ? machine_id : "");
        h->fd = -1;
        h->last = last_time(path);
        history_reopen(h);
        if (h->fd >= 0)
                (void) flock(h->fd, LOCK_UN);
        return h;
}

void history_close(struct history *h)
{
        if (!h)
                return;
        if (h->fd >= 0)
                close(h->fd);
        free(h->path);
        free(h->machine_id);
        free(h);
}

static void history_write(struct history *h, uint64_t rt, const char *fmt, ...) _printf_(3, 4);
static void history_write(struct history *h, uint64_t rt, const char *fmt, ...)
{
        char line[512], t[ISO_BUF];
        va_list ap;
        int n;

        if (!h || !history_lock(h))
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
                (void) flock(h->fd, LOCK_UN);
                return;
        }
        (void) flock(h->fd, LOCK_UN);
        h->warned = false;
}

/* Whole seconds, as the history's readers expect. */
static char *secs(char buf[static DURATION_BUF], uint64_t usec)
{
        return format_duration(buf, (usec + USEC_PER_SEC / 2) / USEC_PER_SEC * USEC_PER_SEC);
}

static const char *kind_or_all(int kind)
{
        return kind >= 0 && kind < N_KINDS ? kind_names[kind] : "all";
}

void history_presence(struct history *h, uint64_t rt, enum presence p)
{
        history_write(h, rt, "%s", presence_name(p));
}

void history_quiet(struct history *h, uint64_t rt, bool on)
{
        history_write(h, rt, "dnd %s", on ? "on" : "off");
}

void history_action(struct history *h, uint64_t rt, const struct action *a)
{
        const char *name = action_name(a->type);
        char d[DURATION_BUF];

        switch (a->type) {
        case ACTION_SNOOZE:
                history_write(h, rt, "%s %s%s%s", name, kind_or_all(a->kind), a->span ? " " : "",
                              a->span ? secs(d, a->span) : "");
                break;
        case ACTION_SKIP:
                history_write(h, rt, "%s %s", name, kind_or_all(a->kind));
                break;
        case ACTION_TAKE: /* no kind: the prompted break */
                history_write(h, rt, "%s%s%s", name, a->kind >= 0 ? " " : "", a->kind >= 0 ? kind_names[a->kind] : "");
                break;
        case ACTION_PAUSE:
                history_write(h, rt, "%s%s%s", name, a->span ? " " : "", a->span ? secs(d, a->span) : "");
                break;
        case ACTION_FLARE:
                if (a->on && a->days)
                        history_write(h, rt, "%s on %ud", name, a->days);
                else
                        history_write(h, rt, "%s %s", name, a->on ? "on" : "off");
                break;
        default:
                history_write(h, rt, "%s", name);
                break;
        }
}

void history_event(struct history *h, uint64_t rt, const struct sched_event *ev)
{
        const char *name = sched_event_name(ev->type), *kind = ev->kind >= 0 ? kind_names[ev->kind] : NULL;
        char a[DURATION_BUF], b[DURATION_BUF];

        switch (ev->type) {
        case EV_DUE:
                history_write(h, rt, "%s %s worked=%s", name, kind, secs(a, ev->worked));
                break;
        case EV_REPROMPT:
                history_write(h, rt, "%s %s count=%u%s", name, kind, ev->count, ev->limit ? " limit=1" : "");
                break;
        case EV_TAKEN:
        case EV_NATURAL:
        case EV_SKIPPED:
        case EV_DROPPED:
                history_write(h, rt, "%s %s worked=%s overdue=%s", name, kind, secs(a, ev->worked),
                              secs(b, ev->overdue));
                break;
        case EV_SNOOZED:
                history_write(h, rt, "%s %s span=%s count=%u", name, kind, secs(a, ev->span), ev->count);
                break;
        case EV_REFUSED:
                history_write(h, rt, "%s %s action=%s reason=%s", name, kind_or_all(ev->kind), action_name(ev->action),
                              sched_refusal_name(ev->reason));
                break;
        case EV_PAUSED:
                history_write(h, rt, "%s span=%s", name, secs(a, ev->span));
                break;
        case EV_LIMIT:
        case EV_DAY:
                history_write(h, rt, "%s%s%s active=%s", name, kind ? " " : "", kind ? kind : "",
                              secs(a, ev->active_today));
                break;
        case EV_FLARE:
                if (ev->on)
                        history_write(h, rt, "%s %s on=1 day=%u days=%u recovery=%u scale=%u", name, kind, ev->day,
                                      ev->days, ev->recovery, ev->scale);
                else
                        history_write(h, rt, "%s %s on=0 scale=%u", name, kind, ev->scale);
                break;
        case EV_HOURS:
                history_write(h, rt, "%s on=%d", name, ev->on);
                break;
        default:
                history_write(h, rt, "%s%s%s", name, kind ? " " : "", kind ? kind : "");
                break;
        }
}
