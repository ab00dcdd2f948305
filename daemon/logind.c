/* SPDX-License-Identifier: MIT */
/*
 * logind, on the system bus: our session's LockedHint and Lock/Unlock (time
 * away), PrepareForSleep with a "sleep" delay inhibitor (suspend is time
 * away, recorded before the machine sleeps), and the session's IdleHint as
 * the coarsest idle backend, for desktops that offer nothing better.
 *
 * The session is GetSession("auto"): the caller's own session, or for a
 * systemd user service the user's graphical one. Signals and
 * PropertiesChanged come only from its real object path.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus-dict.h"
#include "clock.h"
#include "idle-backend.h"
#include "log.h"
#include "logind.h"
#include "util.h"
#include "value.h"

#define LOGIN_NAME    "org.freedesktop.login1"
#define LOGIN_PATH    "/org/freedesktop/login1"
#define MANAGER_IFACE "org.freedesktop.login1.Manager"
#define SESSION_IFACE "org.freedesktop.login1.Session"
#define CALL_TIMEOUT  (5 * USEC_PER_SEC)

struct logind {
        const struct logind_callbacks *cb;
        void *userdata;
        sd_bus *bus;
        char *session;
        bool resolved; /* the session lookup is over, found or not */
        sd_bus_slot *sleep_slot, *props_slot, *lock_slot, *unlock_slot, *call_slot, *inhibit_slot;
        int inhibit_fd;
        bool locked_hint, lock_signal;
        bool idle_hint;
        uint64_t idle_since;               /* boottime µs */
        struct idle_backend *idle_backend; /* the IdleHint backend, once probed */
        bool probe_waiting;
};

static uint64_t boottime_from_monotonic(uint64_t mono)
{
        uint64_t now_mono = now_usec(CLOCK_MONOTONIC), now_bt = boottime_now();

        if (!mono || mono > now_mono)
                return now_bt;
        return now_bt - (now_mono - mono);
}

/* ---- sleep ---------------------------------------------------------------------- */

static int on_inhibit_reply(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        struct logind *l = userdata;
        int fd;

        l->inhibit_slot = sd_bus_slot_unref(l->inhibit_slot);
        if (sd_bus_message_get_error(reply)) {
                log_debug("no sleep delay inhibitor: %s", sd_bus_message_get_error(reply)->name);
                return 0;
        }
        if (sd_bus_message_read(reply, "h", &fd) < 0)
                return 0;
        if (l->inhibit_fd >= 0)
                close(l->inhibit_fd);
        l->inhibit_fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        return 0;
}

static void take_inhibitor(struct logind *l)
{
        int r;

        if (l->inhibit_fd >= 0 || l->inhibit_slot)
                return;
        r = sd_bus_call_method_async(l->bus, &l->inhibit_slot, LOGIN_NAME, LOGIN_PATH, MANAGER_IFACE, "Inhibit",
                                     on_inhibit_reply, l, "ssss", "sleep", "limber", "Recording the start of a break",
                                     "delay");
        if (r < 0)
                log_debug_errno(r, "cannot ask logind for a sleep delay inhibitor");
}

static int on_prepare_for_sleep(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        struct logind *l = userdata;
        int start;

        if (sd_bus_message_read(m, "b", &start) < 0)
                return 0;
        /* Recorded (and saved) before the machine sleeps, then let it sleep. */
        l->cb->asleep(l->userdata, start, boottime_now());
        if (start) {
                if (l->inhibit_fd >= 0)
                        close(l->inhibit_fd);
                l->inhibit_fd = -1;
        } else {
                take_inhibitor(l);
        }
        return 0;
}

/* ---- the session -------------------------------------------------------------- */

static void update_locked(struct logind *l)
{
        l->cb->locked(l->userdata, l->locked_hint || l->lock_signal, boottime_now());
}

static void update_idle(struct logind *l)
{
        if (l->idle_backend && l->idle_backend->started)
                backend_report(l->idle_backend, l->idle_hint, l->idle_hint ? l->idle_since : boottime_now());
}

struct props_read {
        struct logind *l;
        bool locked_changed, idle_changed;
};

static int read_prop(sd_bus_message *m, const char *name, void *userdata)
{
        struct props_read *pr = userdata;
        struct logind *l = pr->l;
        uint64_t t;
        int b, r;

        if (streq(name, "LockedHint")) {
                r = sd_bus_message_read(m, "v", "b", &b);
                pr->locked_changed = r >= 0 && l->locked_hint != !!b;
                l->locked_hint = r >= 0 ? b : l->locked_hint;
        } else if (streq(name, "IdleHint")) {
                r = sd_bus_message_read(m, "v", "b", &b);
                pr->idle_changed = r >= 0 && l->idle_hint != !!b;
                l->idle_hint = r >= 0 ? b : l->idle_hint;
        } else if (streq(name, "IdleSinceHintMonotonic")) {
                r = sd_bus_message_read(m, "v", "t", &t);
                if (r >= 0)
                        l->idle_since = boottime_from_monotonic(t);
        } else {
                return 0;
        }
        return r < 0 ? r : 1;
}

/* Reads the properties we care about from an a{sv}. */
static int read_props(struct logind *l, sd_bus_message *m)
{
        struct props_read pr = { .l = l };
        int r;

        r = sdbus_read_dict(m, read_prop, &pr);
        if (r < 0)
                return r;
        if (!l->idle_hint)
                l->idle_since = 0;
        else if (!l->idle_since)
                l->idle_since = boottime_now();
        if (pr.locked_changed) {
                /* A hint that changed settles what Lock/Unlock asked for. */
                l->lock_signal = l->locked_hint;
                update_locked(l);
        }
        if (pr.idle_changed)
                update_idle(l);
        return 0;
}

static int on_props_changed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        struct logind *l = userdata;
        const char *iface;

        if (sd_bus_message_read(m, "s", &iface) < 0 || !streq(iface, SESSION_IFACE))
                return 0;
        if (read_props(l, m) < 0)
                log_debug("cannot read the session's PropertiesChanged");
        return 0;
}

static int on_lock(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        struct logind *l = userdata;

        l->lock_signal = streq(sd_bus_message_get_member(m), "Lock");
        update_locked(l);
        return 0;
}

static void answer_probe(struct logind *l);

static int on_getall(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        struct logind *l = userdata;

        l->call_slot = sd_bus_slot_unref(l->call_slot);
        l->resolved = true;
        if (sd_bus_message_get_error(reply)) {
                log_info("cannot read logind session %s: %s", l->session, sd_bus_message_get_error(reply)->name);
                free(l->session);
                l->session = NULL;
        } else if (read_props(l, reply) < 0) {
                log_debug("cannot parse the session's properties");
        } else {
                log_info("logind session %s%s", l->session, l->locked_hint ? " (locked)" : "");
                update_locked(l);
        }
        answer_probe(l);
        return 0;
}

static int on_get_session(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        struct logind *l = userdata;
        const char *path;
        int r;

        l->call_slot = sd_bus_slot_unref(l->call_slot);
        if (sd_bus_message_get_error(reply) || sd_bus_message_read(reply, "o", &path) < 0) {
                log_info("no logind session for this user (%s): locking is not seen",
                         sd_bus_message_get_error(reply) ? sd_bus_message_get_error(reply)->name : "bad reply");
                l->resolved = true;
                answer_probe(l);
                return 0;
        }
        l->session = xstrdup(path);
        r = sd_bus_match_signal_async(l->bus, &l->props_slot, LOGIN_NAME, path, "org.freedesktop.DBus.Properties",
                                      "PropertiesChanged", on_props_changed, NULL, l);
        if (r >= 0)
                r = sd_bus_match_signal_async(l->bus, &l->lock_slot, LOGIN_NAME, path, SESSION_IFACE, "Lock", on_lock,
                                              NULL, l);
        if (r >= 0)
                r = sd_bus_match_signal_async(l->bus, &l->unlock_slot, LOGIN_NAME, path, SESSION_IFACE, "Unlock",
                                              on_lock, NULL, l);
        if (r >= 0)
                r = sd_bus_call_method_async(l->bus, &l->call_slot, LOGIN_NAME, path, "org.freedesktop.DBus.Properties",
                                             "GetAll", on_getall, l, "s", SESSION_IFACE);
        if (r < 0) {
                log_warning_errno(r, "cannot follow logind session %s", path);
                l->resolved = true;
                answer_probe(l);
        }
        return 0;
}

/* ---- the IdleHint backend ------------------------------------------------------ */

static void answer_probe(struct logind *l)
{
        if (!l->probe_waiting || !l->idle_backend)
                return;
        l->probe_waiting = false;
        if (l->session)
                backend_probed(l->idle_backend, true, "IdleHint of session %s", l->session);
        else
                backend_probed(l->idle_backend, false, "no logind session");
}

static void probe(struct idle_backend *b)
{
        struct logind *l = b->data;

        if (!l) {
                backend_probed(b, false, "no logind on the system bus");
                return;
        }
        l->idle_backend = b;
        l->probe_waiting = true;
        if (l->resolved)
                answer_probe(l);
}

static int start(struct idle_backend *b)
{
        struct logind *l = b->data;

        backend_report(b, l->idle_hint, l->idle_hint ? l->idle_since : boottime_now());
        return 0;
}

static void stop(struct idle_backend *b)
{
        b->started = false;
}

const struct idle_backend_ops logind_backend_ops = {
        .name = "logind",
        .probe = probe,
        .start = start,
        .stop = stop,
};

/* ---- setup ------------------------------------------------------------------------ */

int logind_new(sd_event *event, const struct logind_callbacks *cb, void *userdata, struct logind **ret)
{
        struct logind *l;
        int r;

        l = xcalloc(1, sizeof(*l));
        l->cb = cb;
        l->userdata = userdata;
        l->inhibit_fd = -1;
        r = sd_bus_open_system(&l->bus);
        if (r < 0)
                goto fail;
        r = sd_bus_attach_event(l->bus, event, SD_EVENT_PRIORITY_NORMAL);
        if (r < 0)
                goto fail;
        r = sd_bus_match_signal_async(l->bus, &l->sleep_slot, LOGIN_NAME, LOGIN_PATH, MANAGER_IFACE, "PrepareForSleep",
                                      on_prepare_for_sleep, NULL, l);
        if (r < 0)
                goto fail;
        r = sd_bus_call_method_async(l->bus, &l->call_slot, LOGIN_NAME, LOGIN_PATH, MANAGER_IFACE, "GetSession",
                                     on_get_session, l, "s", "auto");
        if (r < 0)
                goto fail;
        take_inhibitor(l);
        *ret = l;
        return 0;
fail:
        logind_free(l);
        *ret = NULL;
        return r;
}

void logind_free(struct logind *l)
{
        if (!l)
                return;
        l->sleep_slot = sd_bus_slot_unref(l->sleep_slot);
        l->props_slot = sd_bus_slot_unref(l->props_slot);
        l->lock_slot = sd_bus_slot_unref(l->lock_slot);
        l->unlock_slot = sd_bus_slot_unref(l->unlock_slot);
        l->call_slot = sd_bus_slot_unref(l->call_slot);
        l->inhibit_slot = sd_bus_slot_unref(l->inhibit_slot);
        if (l->inhibit_fd >= 0)
                close(l->inhibit_fd);
        if (l->bus) {
                sd_bus_flush(l->bus);
                l->bus = sd_bus_close_unref(l->bus);
        }
        free(l->session);
        free(l);
}
