/* SPDX-License-Identifier: MIT */
/*
 * Idle backend: GNOME's org.gnome.Mutter.IdleMonitor, and Cinnamon's
 * org.cinnamon.Muffin.IdleMonitor, which has the same shape.
 *
 * Event driven: one AddIdleWatch per threshold the scheduler needs (each
 * fires once per idle spell, that long after the last input), and after an
 * idle watch fires, the one-shot AddUserActiveWatch for the next input.
 * Watches belong to our connection and are lost when the monitor restarts,
 * so they are added again whenever it (re)appears.
 *
 * One exception: while an idle inhibitor is held (a video, a call; gnome-
 * session InhibitedActions & 8), mutter does not fire idle watches at all.
 * Then, and only while the user is active, GetIdletime is asked when the
 * first threshold would be reached if no input came meanwhile: one call per
 * threshold's worth of activity, never a fixed tick. The user-active watch
 * still sees the return.
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

#define CALL_TIMEOUT (2 * USEC_PER_SEC)
#define MAX_WATCHES 8

struct monitor {
        const char *name, *path, *iface;
        sd_bus_slot *owner_slot, *signal_slot, *probe_slot, *idletime_slot;
        uint32_t idle_ids[MAX_WATCHES];
        uint64_t idle_ms[MAX_WATCHES];
        size_t n_idle;
        uint32_t active_id;
        bool active_pending; /* AddUserActiveWatch sent, id not back yet */
        unsigned active_tries; /* failed AddUserActiveWatch calls in a row */
        unsigned generation; /* idle watches: bumps on every (re)arm, late replies are dropped */
        unsigned epoch;      /* the user-active watch: bumps on start and stop only */
        sd_event_source *poll_timer; /* while inhibited: when to ask GetIdletime */
        sd_bus_slot *poll_slot;
};

struct watch_reply {
        struct idle_backend *b;
        unsigned generation; /* the generation, or for the user-active watch the epoch */
        int slot;            /* index into idle_ids, or -1 for the user-active watch */
};

static void add_watch(struct idle_backend *b, int slot);

static struct monitor *mon(struct idle_backend *b)
{
        return b->data;
}

static int new_call(struct idle_backend *b, const char *member, sd_bus_message **ret)
{
        struct monitor *m = mon(b);
        int r;

        r = sd_bus_message_new_method_call(b->bus, ret, m->name, m->path, m->iface, member);
        if (r < 0)
                return r;
        /* Never start a monitor that is not running. */
        return sd_bus_message_set_auto_start(*ret, false);
}

/* ---- probe ------------------------------------------------------------------- */

static int on_probe_reply(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        struct idle_backend *b = userdata;
        struct monitor *m = mon(b);
        const sd_bus_error *e = sd_bus_message_get_error(reply);

        m->probe_slot = sd_bus_slot_unref(m->probe_slot);
        if (e)
                backend_probed(b, false, "%s: %s", m->name, e->name);
        else
                backend_probed(b, true, "%s answers", m->name);
        return 0;
}

static void probe(struct idle_backend *b)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *msg = NULL;
        struct monitor *m = mon(b);
        int r;

        m->probe_slot = sd_bus_slot_unref(m->probe_slot);
        r = new_call(b, "GetIdletime", &msg);
        if (r >= 0)
                r = sd_bus_call_async(b->bus, &m->probe_slot, msg, on_probe_reply, b, CALL_TIMEOUT);
        if (r < 0)
                backend_probed(b, false, "cannot call %s: %s", m->name, strerror(-r));
}

static void on_owner(struct idle_backend *b, const char *owner)
{
        struct monitor *m = mon(b);

        if (owner && *owner) {
                log_debug("%s appeared", m->name);
                if (b->started)
                        b->ops->stop(b); /* the old watches died with the old owner */
                b->status = BACKEND_PROBING;
                probe(b);
        } else {
                backend_gone(b, "%s vanished", m->name);
        }
}

/* ---- watches ------------------------------------------------------------------- */

static void poll_update(struct idle_backend *b);

static void remove_watch(struct idle_backend *b, uint32_t id)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *msg = NULL;

        if (!id || new_call(b, "RemoveWatch", &msg) < 0 || sd_bus_message_append(msg, "u", id) < 0)
                return;
        (void) sd_bus_send(b->bus, msg, NULL);
}

static int on_watch_added(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        struct watch_reply *w = userdata;
        struct monitor *m = mon(w->b);
        const sd_bus_error *e = sd_bus_message_get_error(reply);
        uint32_t id = 0;

        /* Re-arming the idle watches leaves the user-active watch alone:
         * only a restart of the backend makes its reply stale. */
        bool stale = !w->b->started || w->generation != (w->slot < 0 ? m->epoch : m->generation);

        if (e) {
                log_warning("%s: adding a watch failed: %s", m->name, e->message ? e->message : e->name);
                if (w->slot < 0 && !stale) {
                        m->active_pending = false;
                        /* Without it the user's return goes unseen: try again,
                         * a few times (each try waits for its answer). */
                        if (++m->active_tries < 3)
                                add_watch(w->b, -1);
                }
                return 0;
        }
        if (sd_bus_message_read(reply, "u", &id) < 0)
                return 0;
        if (stale) {
                remove_watch(w->b, id); /* re-armed or stopped meanwhile */
                return 0;
        }
        if (w->slot < 0) {
                m->active_id = id;
                m->active_pending = false;
                m->active_tries = 0;
        } else {
                m->idle_ids[w->slot] = id;
        }
        return 0;
}

static void add_watch(struct idle_backend *b, int slot)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *msg = NULL;
        struct monitor *m = mon(b);
        struct watch_reply *w;
        int r;

        r = new_call(b, slot < 0 ? "AddUserActiveWatch" : "AddIdleWatch", &msg);
        if (r >= 0 && slot >= 0)
                r = sd_bus_message_append(msg, "t", m->idle_ms[slot]);
        if (r < 0) {
                log_warning_errno(r, "%s: cannot build a watch call", m->name);
                return;
        }
        w = xcalloc(1, sizeof(*w));
        *w = (struct watch_reply) { b, slot < 0 ? m->epoch : m->generation, slot };
        r = sdbus_call_floating(b->bus, msg, on_watch_added, w, free, CALL_TIMEOUT);
        if (r < 0) {
                free(w);
                log_warning_errno(r, "%s: cannot add a watch", m->name);
                return;
        }
        if (slot < 0)
                m->active_pending = true;
}

static void remove_idle_watches(struct idle_backend *b)
{
        struct monitor *m = mon(b);

        for (size_t i = 0; i < m->n_idle; i++)
                remove_watch(b, m->idle_ids[i]);
        m->n_idle = 0;
}

static void arm_idle_watches(struct idle_backend *b)
{
        struct monitor *m = mon(b);
        const uint64_t *t = b->thresholds;
        size_t n = b->n_thresholds;

        remove_idle_watches(b);
        m->generation++;
        for (size_t i = 0; i < n && i < MAX_WATCHES; i++) {
                m->idle_ms[i] = (t[i] + 999) / 1000;
                m->idle_ids[i] = 0;
                m->n_idle = i + 1;
                add_watch(b, (int) i);
        }
}

static int on_watch_fired(sd_bus_message *msg, void *userdata, sd_bus_error *ret_error)
{
        struct idle_backend *b = userdata;
        struct monitor *m = mon(b);
        uint64_t now = boottime_now();
        uint32_t id;

        if (!b->started || sd_bus_message_read(msg, "u", &id) < 0)
                return 0;
        if (id && id == m->active_id) {
                m->active_id = 0; /* one-shot */
                backend_report(b, false, now);
                poll_update(b);
                return 0;
        }
        for (size_t i = 0; i < m->n_idle; i++)
                if (id && m->idle_ids[i] == id) {
                        uint64_t back = m->idle_ms[i] * 1000;
                        backend_report(b, true, now > back ? now - back : 0);
                        if (!m->active_id && !m->active_pending)
                                add_watch(b, -1);
                        poll_update(b);
                        return 0;
                }
        return 0;
}

/* The state at start: how long since the last input, exactly. */
static int on_idletime(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        struct idle_backend *b = userdata;
        struct monitor *m = mon(b);
        const uint64_t *t = b->thresholds;
        uint64_t ms = 0, now = boottime_now();
        size_t n = b->n_thresholds;

        m->idletime_slot = sd_bus_slot_unref(m->idletime_slot);
        if (sd_bus_message_get_error(reply) || sd_bus_message_read(reply, "t", &ms) < 0 || !b->started)
                return 0;
        if (n && ms * 1000 >= t[0]) {
                backend_report(b, true, now - ms * 1000);
                if (!m->active_id && !m->active_pending)
                        add_watch(b, -1);
        } else {
                backend_report(b, false, now);
        }
        poll_update(b);
        return 0;
}

/* ---- while an idle inhibitor is held ------------------------------------------- */

static int on_poll_reply(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        struct idle_backend *b = userdata;
        struct monitor *m = mon(b);
        const uint64_t *t = b->thresholds;
        size_t n = b->n_thresholds;
        uint64_t ms = 0, now = boottime_now();

        m->poll_slot = sd_bus_slot_unref(m->poll_slot);
        if (!b->started || !n)
                return 0;
        if (sd_bus_message_get_error(reply) || sd_bus_message_read(reply, "t", &ms) < 0) {
                log_debug("%s: GetIdletime failed while inhibited", m->name);
                ms = 0; /* ask again a threshold from now */
        }
        if (ms * 1000 >= t[0]) {
                /* What the first idle watch would have said. */
                backend_report(b, true, now - ms * 1000);
                if (!m->active_id && !m->active_pending)
                        add_watch(b, -1);
                poll_update(b); /* idle now: the user-active watch takes over */
                return 0;
        }
        /* Input came meanwhile: the earliest the threshold can be reached. */
        if (sd_event_source_set_time_relative(m->poll_timer, t[0] - ms * 1000) >= 0)
                (void) sd_event_source_set_enabled(m->poll_timer, SD_EVENT_ONESHOT);
        return 0;
}

static void poll_now(struct idle_backend *b)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *msg = NULL;
        struct monitor *m = mon(b);
        int r;

        if (m->poll_slot)
                return; /* a call is on its way */
        r = new_call(b, "GetIdletime", &msg);
        if (r >= 0)
                r = sd_bus_call_async(b->bus, &m->poll_slot, msg, on_poll_reply, b, CALL_TIMEOUT);
        if (r < 0)
                log_warning_errno(r, "%s: cannot ask GetIdletime", m->name);
}

static int on_poll_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
        poll_now(userdata);
        return 0;
}

/* Polls while it must (started, inhibited, the user active), else not. */
static void poll_update(struct idle_backend *b)
{
        struct monitor *m = mon(b);
        int r;

        if (!b->started || !b->inhibited || b->idle_since) {
                if (m->poll_timer)
                        (void) sd_event_source_set_enabled(m->poll_timer, SD_EVENT_OFF);
                m->poll_slot = sd_bus_slot_unref(m->poll_slot);
                return;
        }
        if (!m->poll_timer) {
                r = sd_event_add_time_relative(b->event, &m->poll_timer, CLOCK_BOOTTIME, 0, 0,
                                               on_poll_timer, b);
                if (r < 0) {
                        log_warning_errno(r, "%s: cannot poll while an idle inhibitor is held", m->name);
                        return;
                }
                (void) sd_event_source_set_description(m->poll_timer, "mutter-inhibited-poll");
                (void) sd_event_source_set_enabled(m->poll_timer, SD_EVENT_OFF);
        }
        /* Where the user stands now; the reply arms the timer. */
        poll_now(b);
}

static void inhibited_changed(struct idle_backend *b)
{
        log_debug("%s: idle inhibitor %s", mon(b)->name,
                  b->inhibited ? "held: asking GetIdletime at the thresholds" : "released");
        poll_update(b);
}

static void thresholds_changed(struct idle_backend *b)
{
        arm_idle_watches(b);
        poll_update(b);
}

static int start(struct idle_backend *b)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *msg = NULL;
        struct monitor *m = mon(b);
        int r;

        r = sd_bus_match_signal_async(b->bus, &m->signal_slot, m->name, m->path, m->iface, "WatchFired",
                                      on_watch_fired, NULL, b);
        if (r < 0)
                return r;
        m->active_id = 0;
        m->active_pending = false;
        m->active_tries = 0;
        m->epoch++;
        arm_idle_watches(b);
        r = new_call(b, "GetIdletime", &msg);
        if (r >= 0)
                r = sd_bus_call_async(b->bus, &m->idletime_slot, msg, on_idletime, b, CALL_TIMEOUT);
        return r;
}

static void stop(struct idle_backend *b)
{
        struct monitor *m = mon(b);

        remove_idle_watches(b);
        remove_watch(b, m->active_id);
        m->active_id = 0;
        m->active_pending = false;
        m->generation++;
        m->epoch++;
        m->signal_slot = sd_bus_slot_unref(m->signal_slot);
        m->idletime_slot = sd_bus_slot_unref(m->idletime_slot);
        b->started = false;
        poll_update(b);
}

static void free_backend(struct idle_backend *b)
{
        struct monitor *m = mon(b);

        if (!m)
                return;
        m->owner_slot = sd_bus_slot_unref(m->owner_slot);
        m->probe_slot = sd_bus_slot_unref(m->probe_slot);
        m->signal_slot = sd_bus_slot_unref(m->signal_slot);
        m->idletime_slot = sd_bus_slot_unref(m->idletime_slot);
        m->poll_slot = sd_bus_slot_unref(m->poll_slot);
        m->poll_timer = sd_event_source_disable_unref(m->poll_timer);
        free(m);
        b->data = NULL;
}

static void probe_named(struct idle_backend *b, const char *name, const char *path, const char *iface)
{
        struct monitor *m = b->data;

        if (!m) {
                m = xcalloc(1, sizeof(*m));
                *m = (struct monitor) { .name = name, .path = path, .iface = iface };
                b->data = m;
                if (backend_watch_name(b, name, &m->owner_slot, on_owner) < 0)
                        log_warning("cannot watch %s", name);
        }
        probe(b);
}

static void probe_mutter(struct idle_backend *b)
{
        probe_named(b, "org.gnome.Mutter.IdleMonitor", "/org/gnome/Mutter/IdleMonitor/Core",
                    "org.gnome.Mutter.IdleMonitor");
}

static void probe_muffin(struct idle_backend *b)
{
        probe_named(b, "org.cinnamon.Muffin.IdleMonitor", "/org/cinnamon/Muffin/IdleMonitor/Core",
                    "org.cinnamon.Muffin.IdleMonitor");
}

const struct idle_backend_ops mutter_backend_ops = {
        .name = "mutter",
        .probe = probe_mutter,
        .start = start,
        .stop = stop,
        .thresholds_changed = thresholds_changed,
        .inhibited_changed = inhibited_changed,
        .free = free_backend,
};

const struct idle_backend_ops muffin_backend_ops = {
        .name = "muffin",
        .probe = probe_muffin,
        .start = start,
        .stop = stop,
        .thresholds_changed = thresholds_changed,
        .inhibited_changed = inhibited_changed,
        .free = free_backend,
};
