/* SPDX-License-Identifier: MIT */
/*
 * Idle backend: the Wayland ext-idle-notify-v1 protocol, the only idle
 * source on KDE Plasma Wayland, sway, Hyprland, labwc and other wlroots
 * desktops. One idle notification per threshold the scheduler needs:
 * `idled` arrives that long after the last input (the spell is back-dated
 * by it), `resumed` at the next input. Version 2's input-only notification
 * (which ignores video inhibitors) is used when both the compositor and the
 * protocol headers we were built with offer it.
 *
 * The display fd is an sd-event io source on the main thread; the
 * compositor going away is handled like a backend vanishing. Nothing polls,
 * except to find a compositor again when the connection is lost or refused
 * (a compositor restarting on the same socket): a new connection is tried
 * after 1 s, then twice as long each time, at most once a minute, and no
 * more after RETRY_TRIES failures in a row (a stale WAYLAND_DISPLAY).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <wayland-client.h>

#include "clock.h"
#include "ext-idle-notify-v1-client-protocol.h"
#include "log.h"
#include "dbus-util.h"
#include "idle-backend.h"
#include "util.h"
#include "value.h"

#define MAX_NOTES 8
#define RETRY_FIRST USEC_PER_SEC
#define RETRY_MAX (60 * USEC_PER_SEC)
#define RETRY_TRIES 12 /* about 7 minutes */

#ifdef EXT_IDLE_NOTIFIER_V1_GET_INPUT_IDLE_NOTIFICATION_SINCE_VERSION
#define SUPPORTED_VERSION EXT_IDLE_NOTIFIER_V1_GET_INPUT_IDLE_NOTIFICATION_SINCE_VERSION
#else
#define SUPPORTED_VERSION 1
#endif

struct note {
        struct ext_idle_notification_v1 *obj;
        uint64_t timeout; /* µs */
        bool idle;
        bool sentinel; /* no longer a threshold; kept until `resumed`, which only it can send */
        struct idle_backend *b;
};

struct wl_idle {
        struct wl_display *display;
        struct wl_registry *registry;
        struct wl_seat *seat;
        struct ext_idle_notifier_v1 *notifier;
        uint32_t version;
        struct wl_callback *sync;
        int probed; /* 0 pending, 1 the notifier and a seat are there, -1 not */
        sd_event_source *io;
        struct note notes[MAX_NOTES];
        size_t n_notes;
        sd_event_source *retry; /* outlives the connections */
        uint64_t retry_delay;
        unsigned retries; /* failures in a row */
};

static void probe(struct idle_backend *b);

static struct wl_idle *wli(struct idle_backend *b)
{
        return b->data;
}

static void destroy_notes(struct wl_idle *w)
{
        for (size_t i = 0; i < w->n_notes; i++)
                if (w->notes[i].obj)
                        ext_idle_notification_v1_destroy(w->notes[i].obj);
        w->n_notes = 0;
}

static bool connected(struct idle_backend *b)
{
        return wli(b) && wli(b)->display;
}

/* Closes the connection; the retry timer stays. */
static void disconnect(struct idle_backend *b)
{
        struct wl_idle *w = wli(b);

        if (!w)
                return;
        w->io = sd_event_source_disable_unref(w->io);
        destroy_notes(w);
        if (w->sync)
                wl_callback_destroy(w->sync);
        if (w->notifier)
                ext_idle_notifier_v1_destroy(w->notifier);
        if (w->seat)
                wl_seat_destroy(w->seat);
        if (w->registry)
                wl_registry_destroy(w->registry);
        if (w->display)
                wl_display_disconnect(w->display);
        w->sync = NULL;
        w->notifier = NULL;
        w->seat = NULL;
        w->registry = NULL;
        w->display = NULL;
        w->probed = 0;
        w->version = 0;
}

static void free_backend(struct idle_backend *b)
{
        struct wl_idle *w = wli(b);

        if (!w)
                return;
        disconnect(b);
        w->retry = sd_event_source_disable_unref(w->retry);
        free(w);
        b->data = NULL;
}

static int on_retry(sd_event_source *s, uint64_t usec, void *userdata)
{
        probe(userdata);
        return 0;
}

/* The compositor may come back (a restart on the same socket): try again. */
static void retry_later(struct idle_backend *b)
{
        struct wl_idle *w = wli(b);
        int r;

        if (++w->retries > RETRY_TRIES) {
                log_info("no Wayland compositor on %s after %u tries: not trying again", getenv("WAYLAND_DISPLAY"),
                         RETRY_TRIES);
                return;
        }
        w->retry_delay = !w->retry_delay ? RETRY_FIRST : w->retry_delay * 2 > RETRY_MAX ? RETRY_MAX : w->retry_delay * 2;
        if (!w->retry) {
                r = sd_event_add_time_relative(b->event, &w->retry, CLOCK_BOOTTIME, w->retry_delay,
                                               USEC_PER_SEC / 4, on_retry, b);
                if (r < 0) {
                        log_debug_errno(r, "cannot arm the Wayland reconnection timer");
                        return;
                }
                (void) sd_event_source_set_description(w->retry, "wayland-retry");
        } else {
                (void) sd_event_source_set_time_relative(w->retry, w->retry_delay);
        }
        (void) sd_event_source_set_enabled(w->retry, SD_EVENT_ONESHOT);
}

/* ---- notifications -------------------------------------------------------------- */

static void on_idled(void *data, struct ext_idle_notification_v1 *obj)
{
        struct note *n = data;
        uint64_t now = boottime_now();

        n->idle = true;
        backend_report(n->b, true, now > n->timeout ? now - n->timeout : 0);
}

static void on_resumed(void *data, struct ext_idle_notification_v1 *obj)
{
        struct note *n = data;

        n->idle = false;
        if (n->sentinel) { /* done: freed at the next re-arm */
                ext_idle_notification_v1_destroy(n->obj);
                n->obj = NULL;
        }
        backend_report(n->b, false, boottime_now());
}

static const struct ext_idle_notification_v1_listener note_listener = {
        .idled = on_idled,
        .resumed = on_resumed,
};

static bool is_threshold(const uint64_t *t, size_t n, uint64_t timeout)
{
        for (size_t i = 0; i < n; i++)
                if ((t[i] + 999) / 1000 * 1000 == timeout)
                        return true;
        return false;
}

/* One notification per threshold. A notification that stays a threshold is
 * kept (its timer keeps running); one that is no longer wanted but has
 * reported the user idle is kept as a sentinel until it reports them back,
 * since only it can; the others go. */
static void arm_notes(struct idle_backend *b)
{
        struct wl_idle *w = wli(b);
        const uint64_t *t = b->thresholds;
        size_t n = b->n_thresholds, kept = 0;

        for (size_t i = 0; i < w->n_notes; i++) {
                struct note *note = &w->notes[i];
                if (note->obj && !note->sentinel && !is_threshold(t, n, note->timeout))
                        note->sentinel = true;
                if (note->obj && note->sentinel && !note->idle) {
                        ext_idle_notification_v1_destroy(note->obj);
                        note->obj = NULL;
                }
                if (note->obj)
                        w->notes[kept++] = *note;
        }
        w->n_notes = kept;
        for (size_t i = 0; i < n && w->n_notes < MAX_NOTES; i++) {
                uint32_t ms = (uint32_t) ((t[i] + 999) / 1000);
                struct note *note;
                bool have = false;

                for (size_t j = 0; j < w->n_notes; j++)
                        have |= !w->notes[j].sentinel && w->notes[j].timeout == (uint64_t) ms * 1000;
                if (have)
                        continue;
                note = &w->notes[w->n_notes++];
                *note = (struct note) { .timeout = (uint64_t) ms * 1000, .b = b };
#ifdef EXT_IDLE_NOTIFIER_V1_GET_INPUT_IDLE_NOTIFICATION_SINCE_VERSION
                if (w->version >= EXT_IDLE_NOTIFIER_V1_GET_INPUT_IDLE_NOTIFICATION_SINCE_VERSION)
                        note->obj = ext_idle_notifier_v1_get_input_idle_notification(w->notifier, ms, w->seat);
                else
#endif
                        note->obj = ext_idle_notifier_v1_get_idle_notification(w->notifier, ms, w->seat);
                ext_idle_notification_v1_add_listener(note->obj, &note_listener, note);
        }
        /* The notes kept may have moved down the array. */
        for (size_t i = 0; i < w->n_notes; i++)
                ext_idle_notification_v1_set_user_data(w->notes[i].obj, &w->notes[i]);
        (void) wl_display_flush(w->display);
}

/* ---- the connection ---------------------------------------------------------------- */

static void on_global(void *data, struct wl_registry *registry, uint32_t name, const char *iface, uint32_t version)
{
        struct idle_backend *b = data;
        struct wl_idle *w = wli(b);

        if (streq(iface, wl_seat_interface.name) && !w->seat) {
                w->seat = wl_registry_bind(registry, name, &wl_seat_interface, 1);
        } else if (streq(iface, ext_idle_notifier_v1_interface.name) && !w->notifier) {
                /* A newer compositor's v2 only where our headers know it too. */
                w->version = version < SUPPORTED_VERSION ? version : SUPPORTED_VERSION;
                w->notifier = wl_registry_bind(registry, name, &ext_idle_notifier_v1_interface, w->version);
        }
}

static void on_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
        .global = on_global,
        .global_remove = on_global_remove,
};

/* The registry has been sent in full; the answer is given by on_io once
 * libwayland's dispatch is over (we may disconnect then). */
static void on_synced(void *data, struct wl_callback *cb, uint32_t serial)
{
        struct idle_backend *b = data;
        struct wl_idle *w = wli(b);

        wl_callback_destroy(cb);
        w->sync = NULL;
        w->probed = w->notifier && w->seat ? 1 : -1;
}

static void answer_probe(struct idle_backend *b)
{
        struct wl_idle *w = wli(b);
        const char *name = getenv("WAYLAND_DISPLAY");

        if (w->probed < 0) {
                const char *missing = !w->notifier ? "ext_idle_notifier_v1" : "a seat";
                disconnect(b);
                backend_probed(b, false, "the Wayland compositor (%s) offers no %s", name ? name : "?", missing);
                return;
        }
        w->probed = 2; /* answered */
        w->retry_delay = 0;
        w->retries = 0;
        backend_probed(b, true, "ext_idle_notifier_v1 version %u on %s%s", w->version, name ? name : "wayland-0",
                       w->version >= 2 ? " (input only)" : "");
}

static const struct wl_callback_listener sync_listener = {
        .done = on_synced,
};

static int on_io(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
        struct idle_backend *b = userdata;
        struct wl_idle *w = wli(b);

        if ((revents & (EPOLLHUP | EPOLLERR)) || wl_display_dispatch(w->display) < 0) {
                bool was_probing = w->probed != 2;
                disconnect(b);
                retry_later(b);
                if (was_probing)
                        backend_probed(b, false, "the Wayland compositor closed the connection");
                else
                        backend_gone(b, "the Wayland compositor went away");
                return 0;
        }
        if (w->probed == 1 || w->probed == -1) {
                answer_probe(b);
                if (!connected(b))
                        return 0;
        }
        (void) wl_display_flush(w->display);
        return 0;
}

static void probe(struct idle_backend *b)
{
        const char *name = getenv("WAYLAND_DISPLAY");
        struct wl_idle *w;
        int r;

        disconnect(b);
        if (!name || !*name) {
                backend_probed(b, false, "WAYLAND_DISPLAY is not set");
                return;
        }
        w = wli(b);
        if (!w) {
                w = xcalloc(1, sizeof(*w));
                b->data = w;
        }
        w->display = wl_display_connect(NULL);
        if (!w->display) {
                r = errno;
                /* Not there (yet, or any more): it may be starting. */
                retry_later(b);
                backend_probed(b, false, "cannot connect to the Wayland display %s: %s", name, strerror(r));
                return;
        }
        w->registry = wl_display_get_registry(w->display);
        wl_registry_add_listener(w->registry, &registry_listener, b);
        /* The answer comes back through the event loop, never a blocking roundtrip. */
        w->sync = wl_display_sync(w->display);
        wl_callback_add_listener(w->sync, &sync_listener, b);
        r = sd_event_add_io(b->event, &w->io, wl_display_get_fd(w->display), EPOLLIN, on_io, b);
        if (r < 0 || wl_display_flush(w->display) < 0) {
                disconnect(b);
                backend_probed(b, false, "cannot follow the Wayland display %s", name);
        }
}

static int start(struct idle_backend *b)
{
        if (!connected(b))
                return -ENOTCONN;
        /* The compositor starts each notification's timer now: until it says
         * otherwise, the user counts as present. */
        arm_notes(b);
        return 0;
}

static void stop(struct idle_backend *b)
{
        struct wl_idle *w = wli(b);

        if (connected(b)) {
                destroy_notes(w);
                (void) wl_display_flush(w->display);
        }
        b->started = false;
}

const struct idle_backend_ops wayland_backend_ops = {
        .name = "wayland",
        .probe = probe,
        .start = start,
        .stop = stop,
        .thresholds_changed = arm_notes,
        .free = free_backend,
};
