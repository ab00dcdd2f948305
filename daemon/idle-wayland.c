/* SPDX-License-Identifier: MIT */
/*
 * Idle backend: Wayland's idle protocols, the only idle source on KDE
 * Plasma Wayland, sway, Hyprland, labwc and other wlroots desktops:
 * ext-idle-notify-v1 where the compositor offers it, else the older
 * org_kde_kwin_idle (sway 1.7, wlroots ≤ 0.16, wayfire 0.7, KWin < 5.27);
 * each protocol's glue is a file of its own (idle-wayland.h). One timeout
 * per threshold the scheduler needs: `idle` arrives that long after the
 * last input (the spell is back-dated by it), `resumed` at the next input.
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
#include "log.h"
#include "dbus-util.h"
#include "idle-backend.h"
#include "idle-wayland.h"
#include "util.h"
#include "value.h"

#define MAX_NOTES 8
#define RETRY_FIRST USEC_PER_SEC
#define RETRY_MAX (60 * USEC_PER_SEC)
#define RETRY_TRIES 12 /* about 7 minutes */

/* In the order we prefer them. */
static const struct idle_protocol *const protocols[] = { &idle_protocol_ext, &idle_protocol_kde };
#define N_PROTOCOLS ELEMENTSOF(protocols)

struct idle_note {
        struct wl_proxy *obj;
        uint64_t timeout; /* µs */
        bool idle;
        bool sentinel; /* no longer a threshold; kept until `resumed`, which only it can send */
        struct idle_backend *b;
};

struct wl_idle {
        struct wl_display *display;
        struct wl_registry *registry;
        struct wl_seat *seat;
        uint32_t global[N_PROTOCOLS], global_version[N_PROTOCOLS]; /* as the registry announced them; 0: none */
        const struct idle_protocol *proto; /* the one bound */
        struct wl_proxy *manager;
        uint32_t version;
        struct wl_callback *sync;
        int probed; /* 0 pending, 1 a protocol and a seat are there, -1 not */
        sd_event_source *io;
        struct idle_note notes[MAX_NOTES];
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
                        w->proto->destroy(w->notes[i].obj);
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
        if (w->manager)
                w->proto->destroy_manager(w->manager);
        if (w->seat)
                wl_seat_destroy(w->seat);
        if (w->registry)
                wl_registry_destroy(w->registry);
        if (w->display)
                wl_display_disconnect(w->display);
        w->sync = NULL;
        w->manager = NULL;
        w->proto = NULL;
        memset(w->global, 0, sizeof(w->global));
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

/* ---- timeouts -------------------------------------------------------------------- */

void idle_note_idled(struct idle_note *n)
{
        uint64_t now = boottime_now();

        n->idle = true;
        backend_report(n->b, true, now > n->timeout ? now - n->timeout : 0);
}

void idle_note_resumed(struct idle_note *n)
{
        n->idle = false;
        if (n->sentinel) { /* done: freed at the next re-arm */
                wli(n->b)->proto->destroy(n->obj);
                n->obj = NULL;
        }
        backend_report(n->b, false, boottime_now());
}

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
                struct idle_note *note = &w->notes[i];
                if (note->obj && !note->sentinel && !is_threshold(t, n, note->timeout))
                        note->sentinel = true;
                if (note->obj && note->sentinel && !note->idle) {
                        w->proto->destroy(note->obj);
                        note->obj = NULL;
                }
                if (note->obj)
                        w->notes[kept++] = *note;
        }
        w->n_notes = kept;
        for (size_t i = 0; i < n && w->n_notes < MAX_NOTES; i++) {
                uint32_t ms = (uint32_t) ((t[i] + 999) / 1000);
                struct idle_note *note;
                bool have = false;

                for (size_t j = 0; j < w->n_notes; j++)
                        have |= !w->notes[j].sentinel && w->notes[j].timeout == (uint64_t) ms * 1000;
                if (have)
                        continue;
                note = &w->notes[w->n_notes++];
                *note = (struct idle_note) { .timeout = (uint64_t) ms * 1000, .b = b };
                note->obj = w->proto->get(w->manager, w->version, w->seat, ms, note);
        }
        /* The notes kept may have moved down the array. */
        for (size_t i = 0; i < w->n_notes; i++)
                wl_proxy_set_user_data(w->notes[i].obj, &w->notes[i]);
        (void) wl_display_flush(w->display);
}

/* ---- the connection ---------------------------------------------------------------- */

static void on_global(void *data, struct wl_registry *registry, uint32_t name, const char *iface, uint32_t version)
{
        struct idle_backend *b = data;
        struct wl_idle *w = wli(b);

        if (streq(iface, wl_seat_interface.name) && !w->seat) {
                w->seat = wl_registry_bind(registry, name, &wl_seat_interface, 1);
                return;
        }
        /* Bound once the whole registry is known: the best one wins. */
        for (size_t i = 0; i < N_PROTOCOLS; i++)
                if (streq(iface, protocols[i]->name) && !w->global[i]) {
                        w->global[i] = name;
                        w->global_version[i] = version;
                }
}

/* The preferred protocol the compositor offers, bound; false if none. */
static bool bind_protocol(struct wl_idle *w)
{
        for (size_t i = 0; i < N_PROTOCOLS; i++) {
                const struct idle_protocol *p = protocols[i];
                if (!w->global[i])
                        continue;
                /* A newer compositor's version only where our glue knows it too. */
                w->version = w->global_version[i] < p->max_version ? w->global_version[i] : p->max_version;
                w->manager = wl_registry_bind(w->registry, w->global[i], p->interface, w->version);
                w->proto = p;
                return true;
        }
        return false;
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
        w->probed = w->seat && bind_protocol(w) ? 1 : -1;
}

static void answer_probe(struct idle_backend *b)
{
        struct wl_idle *w = wli(b);
        const char *name = getenv("WAYLAND_DISPLAY");

        if (w->probed < 0) {
                const char *missing = w->seat ? "idle protocol (ext_idle_notifier_v1 or org_kde_kwin_idle)" : "seat";
                disconnect(b);
                backend_probed(b, false, "the Wayland compositor (%s) offers no %s", name ? name : "?", missing);
                return;
        }
        w->probed = 2; /* answered */
        w->retry_delay = 0;
        w->retries = 0;
        if (w->version > 1)
                backend_probed(b, true, "%s version %u on %s%s", w->proto->name, w->version,
                               name ? name : "wayland-0", w->proto->input_only(w->version) ? " (input only)" : "");
        else
                backend_probed(b, true, "%s on %s", w->proto->name, name ? name : "wayland-0");
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
