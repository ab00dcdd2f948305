/* SPDX-License-Identifier: MIT */
/*
 * Idle backend: org.freedesktop.ScreenSaver.GetSessionIdleTime, which only
 * KDE Plasma on X11 really answers, in milliseconds despite its documented
 * "seconds". There are no idle events, so it polls, adaptively: it sleeps
 * until the earliest moment the answer could cross a threshold the scheduler
 * needs (just before it, so that a return to the keyboard is seen before the
 * scheduler counts a break), and while the user is away it looks again at
 * least every shortest threshold to notice their return. Never at 1 Hz.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "dbus-util.h"
#include "idle-backend.h"
#include "util.h"
#include "value.h"

#define NAME "org.freedesktop.ScreenSaver"
#define PATH "/org/freedesktop/ScreenSaver"
#define IFACE "org.freedesktop.ScreenSaver"
#define CALL_TIMEOUT (2 * USEC_PER_SEC)
#define EARLY (250 * 1000)        /* look this long before a threshold */
#define MIN_POLL (200 * 1000)     /* never closer than this */
#define MAX_POLL (10 * USEC_PER_MIN)

struct saver {
        sd_bus_slot *owner_slot, *call_slot;
        sd_event_source *timer;
        unsigned polls;
};

static struct saver *sv(struct idle_backend *b)
{
        return b->data;
}

static int call(struct idle_backend *b, sd_bus_message_handler_t cb)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *msg = NULL;
        struct saver *s = sv(b);
        int r;

        s->call_slot = sd_bus_slot_unref(s->call_slot);
        r = sd_bus_message_new_method_call(b->bus, &msg, NAME, PATH, IFACE, "GetSessionIdleTime");
        if (r >= 0)
                r = sd_bus_message_set_auto_start(msg, false);
        if (r >= 0)
                r = sd_bus_call_async(b->bus, &s->call_slot, msg, cb, b, CALL_TIMEOUT);
        return r;
}

static int on_probe_reply(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        struct idle_backend *b = userdata;
        const sd_bus_error *e = sd_bus_message_get_error(reply);
        uint32_t ms;

        sv(b)->call_slot = sd_bus_slot_unref(sv(b)->call_slot);
        if (e)
                backend_probed(b, false, "GetSessionIdleTime: %s", e->name);
        else if (sd_bus_message_read(reply, "u", &ms) < 0)
                backend_probed(b, false, "GetSessionIdleTime: unexpected reply");
        else
                backend_probed(b, true, "GetSessionIdleTime answers (ms)");
        return 0;
}

static void probe(struct idle_backend *b);

static void on_owner(struct idle_backend *b, const char *owner)
{
        if (owner && *owner) {
                if (b->started)
                        b->ops->stop(b);
                b->status = BACKEND_PROBING;
                probe(b);
        } else {
                backend_gone(b, NAME " vanished");
        }
}

static void probe(struct idle_backend *b)
{
        struct saver *s = sv(b);
        int r;

        if (!s) {
                s = xcalloc(1, sizeof(*s));
                b->data = s;
                if (backend_watch_name(b, NAME, &s->owner_slot, on_owner) < 0)
                        log_warning("cannot watch " NAME);
        }
        r = call(b, on_probe_reply);
        if (r < 0)
                backend_probed(b, false, "cannot call " NAME ": %s", strerror(-r));
}

/* When to look next, given idle ms now. */
static uint64_t next_poll(struct idle_backend *b, uint64_t idle)
{
        const uint64_t *t = b->thresholds;
        size_t n = b->n_thresholds;
        uint64_t delay;

        if (!n)
                return MAX_POLL;
        if (idle + EARLY < t[0]) {
                /* Active: the answer cannot reach the first threshold sooner. */
                delay = t[0] - idle - EARLY;
        } else {
                /* Away: look just before the next threshold, and at least every
                 * first threshold to see the user come back. */
                delay = t[0];
                for (size_t i = 0; i < n; i++)
                        if (t[i] > idle + EARLY) {
                                if (t[i] - idle - EARLY < delay)
                                        delay = t[i] - idle - EARLY;
                                break;
                        }
        }
        if (delay < MIN_POLL)
                delay = MIN_POLL;
        return delay > MAX_POLL ? MAX_POLL : delay;
}

static void arm(struct idle_backend *b, uint64_t delay)
{
        struct saver *s = sv(b);

        (void) sd_event_source_set_time(s->timer, boottime_now() + delay);
        (void) sd_event_source_set_enabled(s->timer, SD_EVENT_ONESHOT);
}

static int on_poll_reply(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        struct idle_backend *b = userdata;
        struct saver *s = sv(b);
        const uint64_t *t = b->thresholds;
        size_t n = b->n_thresholds;
        uint64_t now = boottime_now(), idle, since;
        uint32_t ms;

        s->call_slot = sd_bus_slot_unref(s->call_slot);
        if (!b->started)
                return 0;
        if (sd_bus_message_get_error(reply) || sd_bus_message_read(reply, "u", &ms) < 0) {
                backend_gone(b, "GetSessionIdleTime stopped answering");
                return 0;
        }
        s->polls++;
        idle = (uint64_t) ms * 1000;
        if (idle > now)
                idle = now;
        since = now - idle;

        if (n && idle + EARLY >= t[0]) {
                uint64_t was = b->idle_since;
                /* Input since the spell we knew of: the user came and went. */
                if (was && since > was + USEC_PER_SEC)
                        backend_report(b, false, since);
                backend_report(b, true, since);
        } else {
                backend_report(b, false, since);
        }
        arm(b, next_poll(b, idle));
        return 0;
}

static int on_timer(sd_event_source *es, uint64_t usec, void *userdata)
{
        struct idle_backend *b = userdata;
        int r = call(b, on_poll_reply);

        if (r < 0)
                backend_gone(b, "cannot call GetSessionIdleTime: %s", strerror(-r));
        return 0;
}

static int start(struct idle_backend *b)
{
        struct saver *s = sv(b);
        int r;

        if (!s->timer) {
                r = sd_event_add_time(b->event, &s->timer, CLOCK_BOOTTIME, 0, 50 * 1000, on_timer, b);
                if (r < 0)
                        return r;
        }
        arm(b, 0); /* look now */
        return 0;
}

static void stop(struct idle_backend *b)
{
        struct saver *s = sv(b);

        if (s->timer)
                (void) sd_event_source_set_enabled(s->timer, SD_EVENT_OFF);
        s->call_slot = sd_bus_slot_unref(s->call_slot);
        b->started = false;
}

static void thresholds_changed(struct idle_backend *b)
{
        arm(b, 0); /* look now and plan again */
}

static void free_backend(struct idle_backend *b)
{
        struct saver *s = sv(b);

        if (!s)
                return;
        s->owner_slot = sd_bus_slot_unref(s->owner_slot);
        s->call_slot = sd_bus_slot_unref(s->call_slot);
        s->timer = sd_event_source_disable_unref(s->timer);
        free(s);
        b->data = NULL;
}

const struct idle_backend_ops screensaver_backend_ops = {
        .name = "screensaver",
        .probe = probe,
        .start = start,
        .stop = stop,
        .thresholds_changed = thresholds_changed,
        .free = free_backend,
};
