/* SPDX-License-Identifier: MIT */
/*
 * Reloads the policy when its files change: the vendor and employer
 * policy.d directories and the user's limber.ini, through inotify (no
 * polling). An administrator who drops a file into /etc/limber/policy.d
 * reaches every running limberd; changes settle for a second first, so an
 * editor's several writes make one reload. A bad file keeps the running
 * policy, as any reload does.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "policy.h"
#include "policy-watch.h"
#include "util.h"
#include "value.h"

#define SETTLE (1 * USEC_PER_SEC)
#define WATCH_MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE | IN_ATTRIB)

struct policy_watch {
        void (*changed)(void *userdata);
        void *userdata;
        int fd;
        sd_event_source *io, *settle;
        int user_wd;
};

static bool ends_with(const char *s, const char *suffix)
{
        size_t a = strlen(s), b = strlen(suffix);
        return a >= b && streq(s + a - b, suffix);
}

static int on_settled(sd_event_source *s, uint64_t usec, void *userdata)
{
        struct policy_watch *w = userdata;

        log_info("policy files changed, reloading");
        w->changed(w->userdata);
        return 0;
}

static int on_inotify(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
        struct policy_watch *w = userdata;
        char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
        bool relevant = false;
        ssize_t n;

        while ((n = read(fd, buf, sizeof(buf))) > 0) {
                for (char *p = buf; p < buf + n;) {
                        const struct inotify_event *ev = (const struct inotify_event *) p;
                        const char *name = ev->len ? ev->name : "";

                        if (ev->wd == w->user_wd ? streq(name, "limber.ini") : ends_with(name, ".ini"))
                                relevant = true;
                        p += sizeof(*ev) + ev->len;
                }
        }
        if (relevant) {
                (void) sd_event_source_set_time(w->settle, boottime_now() + SETTLE);
                (void) sd_event_source_set_enabled(w->settle, SD_EVENT_ONESHOT);
        }
        return 0;
}

static void watch_dir(struct policy_watch *w, const char *dir, int *wd)
{
        int r = inotify_add_watch(w->fd, dir, WATCH_MASK | IN_ONLYDIR);

        if (r < 0) {
                log_debug_errno(-errno, "not watching %s", dir);
                return;
        }
        if (wd)
                *wd = r;
        log_debug("watching %s for policy changes", dir);
}

int policy_watch_new(sd_event *event, const struct policy_opts *opts, void (*changed)(void *userdata), void *userdata,
                     struct policy_watch **ret)
{
        const char *root = opts->root ? opts->root : "";
        _cleanup_(freep) char *vdir = xasprintf("%s%s", root, policy_vendor_dir);
        _cleanup_(freep) char *edir = xasprintf("%s%s", root, policy_employer_dir);
        _cleanup_(freep) char *user = policy_user_file(opts);
        struct policy_watch *w = xcalloc(1, sizeof(*w));
        int r;

        w->changed = changed;
        w->userdata = userdata;
        w->user_wd = -1;
        w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (w->fd < 0) {
                r = -errno;
                free(w);
                return r;
        }
        watch_dir(w, vdir, NULL);
        watch_dir(w, edir, NULL);
        if (user) {
                *strrchr(user, '/') = '\0';
                watch_dir(w, user, &w->user_wd);
        }
        r = sd_event_add_io(event, &w->io, w->fd, EPOLLIN, on_inotify, w);
        if (r >= 0)
                r = sd_event_add_time(event, &w->settle, CLOCK_BOOTTIME, 0, 100 * 1000, on_settled, w);
        if (r < 0) {
                policy_watch_free(w);
                return r;
        }
        (void) sd_event_source_set_enabled(w->settle, SD_EVENT_OFF);
        *ret = w;
        return 0;
}

void policy_watch_free(struct policy_watch *w)
{
        if (!w)
                return;
        w->io = sd_event_source_disable_unref(w->io);
        w->settle = sd_event_source_disable_unref(w->settle);
        if (w->fd >= 0)
                close(w->fd);
        free(w);
}
