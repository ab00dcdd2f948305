/* SPDX-License-Identifier: MIT */
/*
 * Idle backend: the X server's IDLETIME system counter (the milliseconds
 * since the last input), watched with SYNC extension alarms, for X11
 * sessions with no idle service on the bus: i3, Openbox, Xfce, MATE, LXDE.
 *
 * One alarm per threshold the scheduler needs, a positive transition at
 * that many milliseconds: it fires once per idle spell, when the spell
 * reaches it, and nothing at all while the user works. Once the user is
 * idle, one more alarm, a negative transition at 1 ms, fires at the next
 * input and is destroyed; it never stays armed while the user is active,
 * where it would fire at almost every key press.
 *
 * When the alarms are (re)armed, the counter's value is asked for once: an
 * idle spell already under way (limberd restarted while the user is away,
 * idle-after lowered) counts from its start, and one handed over by another
 * backend ends if the user is in fact back.
 *
 * Under Wayland the X server is Xwayland, which sees only its own clients'
 * input: the backend declines when WAYLAND_DISPLAY is set. The connection
 * fd is an sd-event io source; the X server going away is handled like a
 * backend vanishing. Nothing polls.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xcb/sync.h>
#include <xcb/xcb.h>
#include <xcb/xcbext.h>

#include "clock.h"
#include "log.h"
#include "dbus-util.h"
#include "idle-backend.h"
#include "util.h"
#include "value.h"

#define MAX_ALARMS 8

struct x11_idle {
        xcb_connection_t *c;
        uint8_t first_event; /* the SYNC extension's first event code */
        xcb_sync_counter_t idletime;
        sd_event_source *io;
        xcb_sync_alarm_t idle_alarms[MAX_ALARMS];
        size_t n_idle_alarms;
        xcb_sync_alarm_t active_alarm; /* armed while the user is idle; 0 otherwise */
        xcb_sync_query_counter_cookie_t query;
        bool querying; /* the counter's value asked for, not answered yet */
        bool started;
};

static struct x11_idle *xi(struct idle_backend *b)
{
        return b->data;
}

static uint64_t int64_value(xcb_sync_int64_t v)
{
        int64_t x = (int64_t) (((uint64_t) (uint32_t) v.hi << 32) | v.lo);
        return x > 0 ? (uint64_t) x : 0;
}

static xcb_sync_alarm_t create_alarm(struct x11_idle *x, uint64_t msec, uint32_t test)
{
        xcb_sync_alarm_t id = xcb_generate_id(x->c);
        xcb_sync_create_alarm_value_list_t v = {
                .counter = x->idletime,
                .valueType = XCB_SYNC_VALUETYPE_ABSOLUTE,
                .value = { .hi = (int32_t) (msec >> 32), .lo = (uint32_t) msec },
                .testType = test,
                .delta = { 0, 0 },
                .events = 1,
        };

        xcb_sync_create_alarm_aux(x->c, id,
                                  XCB_SYNC_CA_COUNTER | XCB_SYNC_CA_VALUE_TYPE | XCB_SYNC_CA_VALUE |
                                          XCB_SYNC_CA_TEST_TYPE | XCB_SYNC_CA_DELTA | XCB_SYNC_CA_EVENTS,
                                  &v);
        return id;
}

static void destroy_alarms(struct x11_idle *x)
{
        for (size_t i = 0; i < x->n_idle_alarms; i++)
                xcb_sync_destroy_alarm(x->c, x->idle_alarms[i]);
        x->n_idle_alarms = 0;
        if (x->active_alarm)
                xcb_sync_destroy_alarm(x->c, x->active_alarm);
        x->active_alarm = 0;
}

static void disconnect(struct idle_backend *b)
{
        struct x11_idle *x = xi(b);

        if (!x)
                return;
        x->io = sd_event_source_disable_unref(x->io);
        if (x->c)
                xcb_disconnect(x->c);
        free(x);
        b->data = NULL;
}

/* The user went idle `idle_ms` ago: say so, and watch for their return. */
static void went_idle(struct idle_backend *b, uint64_t idle_ms)
{
        struct x11_idle *x = xi(b);
        uint64_t now = boottime_now(), ago = idle_ms * 1000;

        if (!x->active_alarm)
                x->active_alarm = create_alarm(x, 1, XCB_SYNC_TESTTYPE_NEGATIVE_TRANSITION);
        backend_report(b, true, now > ago ? now - ago : 0);
}

static void arm(struct idle_backend *b)
{
        struct x11_idle *x = xi(b);
        const uint64_t *t = b->thresholds;
        size_t n = b->n_thresholds;

        for (size_t i = 0; i < x->n_idle_alarms; i++)
                xcb_sync_destroy_alarm(x->c, x->idle_alarms[i]);
        x->n_idle_alarms = 0;
        for (size_t i = 0; i < n && i < MAX_ALARMS; i++)
                x->idle_alarms[x->n_idle_alarms++] =
                        create_alarm(x, (t[i] + 999) / 1000, XCB_SYNC_TESTTYPE_POSITIVE_TRANSITION);
        /* The alarms see transitions only: where is the counter now? The
         * answer comes back through on_io. */
        if (n > 0 && !x->active_alarm && !x->querying) {
                x->query = xcb_sync_query_counter(x->c, x->idletime);
                x->querying = true;
        }
        (void) xcb_flush(x->c);
}

static void counter_answered(struct idle_backend *b, uint64_t ms)
{
        struct x11_idle *x = xi(b);
        const uint64_t *t = b->thresholds;

        if (!x->started || x->active_alarm || b->n_thresholds == 0)
                return;
        if (ms * 1000 >= t[0])
                went_idle(b, ms);
        else if (b->idle_since)
                backend_report(b, false, boottime_now()); /* a spell handed over, and the user is back */
}

/* ---- events ------------------------------------------------------------------------ */

static void handle_event(struct idle_backend *b, xcb_generic_event_t *ev)
{
        struct x11_idle *x = xi(b);
        const xcb_sync_alarm_notify_event_t *a = (const void *) ev;

        if (ev->response_type == 0) {
                const xcb_generic_error_t *e = (const void *) ev;
                log_debug("x11: X error %u (request %u.%u)", e->error_code, e->major_code, e->minor_code);
                return;
        }
        if ((ev->response_type & 0x7f) != x->first_event + XCB_SYNC_ALARM_NOTIFY || !x->started ||
            a->state != XCB_SYNC_ALARMSTATE_ACTIVE) /* not the notice of an alarm destroyed */
                return;
        if (a->alarm == x->active_alarm) {
                xcb_sync_destroy_alarm(x->c, x->active_alarm);
                x->active_alarm = 0;
                backend_report(b, false, boottime_now());
                return;
        }
        for (size_t i = 0; i < x->n_idle_alarms; i++)
                if (a->alarm == x->idle_alarms[i]) {
                        went_idle(b, int64_value(a->counter_value));
                        return;
                }
}

/* Handles what xcb has read; false when the connection is lost. */
static bool drain(struct idle_backend *b, bool read)
{
        struct x11_idle *x = xi(b);
        xcb_generic_event_t *ev;

        while ((ev = read ? xcb_poll_for_event(x->c) : xcb_poll_for_queued_event(x->c))) {
                handle_event(b, ev);
                free(ev);
        }
        if (x->querying) {
                xcb_sync_query_counter_reply_t *q = NULL;
                xcb_generic_error_t *e = NULL;
                if (xcb_poll_for_reply(x->c, x->query.sequence, (void **) &q, &e)) {
                        x->querying = false;
                        if (q)
                                counter_answered(b, int64_value(q->counter_value));
                        free(q);
                        free(e);
                }
        }
        (void) xcb_flush(x->c);
        return !xcb_connection_has_error(x->c);
}

static int on_io(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
        struct idle_backend *b = userdata;

        if (!drain(b, true) || (revents & (EPOLLHUP | EPOLLERR))) {
                disconnect(b);
                backend_gone(b, "the X server closed the connection");
        }
        return 0;
}

/* ---- the connection ---------------------------------------------------------------- */

/* The counter named `want` in a ListSystemCounters reply, or 0. Parsed by
 * hand: libxcb's systemcounter iterator takes the C struct's padded size
 * (16 bytes) for the protocol's 14-byte header and reads the names two
 * bytes off. Each entry: counter (4), resolution (8), name length (2),
 * the name, padding to a multiple of 4. */
static xcb_sync_counter_t find_counter(const xcb_sync_list_system_counters_reply_t *list, const char *want)
{
        const uint8_t *p = (const uint8_t *) (list + 1), *end = p + (size_t) list->length * 4;
        size_t want_len = strlen(want);

        for (uint32_t i = 0; i < list->counters_len && end - p >= 14; i++) {
                uint32_t counter;
                uint16_t len;
                size_t size;

                memcpy(&counter, p, sizeof(counter));
                memcpy(&len, p + 12, sizeof(len));
                size = (14 + (size_t) len + 3) & ~(size_t) 3;
                if ((size_t) (end - p) < 14 + (size_t) len)
                        break;
                if (len == want_len && memcmp(p + 14, want, len) == 0)
                        return counter;
                if ((size_t) (end - p) < size)
                        break;
                p += size;
        }
        return 0;
}

/* Connects and finds the IDLETIME counter; fills why on failure. These are
 * blocking round trips, once, at start-up (xcb_connect itself waits for the
 * server's greeting): a local X server answers them in microseconds, and
 * one that does not answer leaves the session unusable anyway. */
static int connect_x(struct x11_idle *x, const char *display, char *why, size_t n)
{
        const xcb_query_extension_reply_t *ext;
        xcb_sync_initialize_reply_t *init;
        xcb_sync_list_system_counters_reply_t *list;
        int r;

        x->c = xcb_connect(NULL, NULL);
        if ((r = xcb_connection_has_error(x->c))) {
                snprintf(why, n, "cannot connect to the X display %s (xcb error %d)", display, r);
                return -ENOTCONN;
        }
        ext = xcb_get_extension_data(x->c, &xcb_sync_id);
        if (!ext || !ext->present) {
                snprintf(why, n, "the X server on %s has no SYNC extension", display);
                return -EOPNOTSUPP;
        }
        x->first_event = ext->first_event;
        init = xcb_sync_initialize_reply(x->c, xcb_sync_initialize(x->c, XCB_SYNC_MAJOR_VERSION, XCB_SYNC_MINOR_VERSION),
                                         NULL);
        if (!init) {
                snprintf(why, n, "the X server on %s refused SYNC %d.%d", display, XCB_SYNC_MAJOR_VERSION,
                         XCB_SYNC_MINOR_VERSION);
                return -EOPNOTSUPP;
        }
        free(init);
        list = xcb_sync_list_system_counters_reply(x->c, xcb_sync_list_system_counters(x->c), NULL);
        if (!list) {
                snprintf(why, n, "the X server on %s lists no system counters", display);
                return -EOPNOTSUPP;
        }
        x->idletime = find_counter(list, "IDLETIME");
        free(list);
        if (!x->idletime) {
                snprintf(why, n, "the X server on %s has no IDLETIME counter", display);
                return -EOPNOTSUPP;
        }
        return 0;
}

static void probe(struct idle_backend *b)
{
        const char *display = getenv("DISPLAY"), *wayland = getenv("WAYLAND_DISPLAY");
        char why[sizeof(b->why)] = "";
        struct x11_idle *x;
        int r;

        disconnect(b);
        if (wayland && *wayland) {
                backend_probed(b, false, "a Wayland session (Xwayland sees only X clients' input)");
                return;
        }
        if (!display || !*display) {
                backend_probed(b, false, "DISPLAY is not set");
                return;
        }
        x = xcalloc(1, sizeof(*x));
        b->data = x;
        r = connect_x(x, display, why, sizeof(why));
        if (r >= 0)
                r = sd_event_add_io(b->event, &x->io, xcb_get_file_descriptor(x->c), EPOLLIN, on_io, b);
        if (r < 0) {
                if (!why[0])
                        snprintf(why, sizeof(why), "cannot follow the X display %s: %s", display, strerror(-r));
                disconnect(b);
                backend_probed(b, false, "%s", why);
                return;
        }
        backend_probed(b, true, "IDLETIME alarms on %s", display);
}

static int start(struct idle_backend *b)
{
        struct x11_idle *x = xi(b);

        if (!x)
                return -ENOTCONN;
        x->started = true;
        arm(b);
        return drain(b, false) ? 0 : -ENOTCONN;
}

static void stop(struct idle_backend *b)
{
        struct x11_idle *x = xi(b);

        if (x) {
                x->started = false;
                destroy_alarms(x);
                if (x->querying)
                        xcb_discard_reply(x->c, x->query.sequence);
                x->querying = false;
                (void) xcb_flush(x->c);
        }
        b->started = false;
}

static void thresholds_changed(struct idle_backend *b)
{
        if (xi(b) && xi(b)->started)
                arm(b);
}

const struct idle_backend_ops x11_backend_ops = {
        .name = "x11",
        .probe = probe,
        .start = start,
        .stop = stop,
        .thresholds_changed = thresholds_changed,
        .free = disconnect,
};
