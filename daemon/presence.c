/* SPDX-License-Identifier: MIT */
#include "presence.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "limberd.h"
#include "log.h"
#include "util.h"

static const struct idle_backend_ops *const backend_order[] = {
        &mutter_backend_ops, &muffin_backend_ops, &wayland_backend_ops, &x11_backend_ops, &screensaver_backend_ops,
        &logind_backend_ops,
};
#define N_BACKENDS ELEMENTSOF(backend_order)

/* general.backend values, in the order of enum backend_choice. */
static const char *const backend_choice_names[] = { "auto", "mutter",      "muffin", "wayland",
                                                    "x11",  "screensaver", "logind", "none" };

struct tracker {
        struct limberd *d;
        struct idle_backend backends[N_BACKENDS];
        int active; /* index of the started backend, or -1 */
        struct logind *logind;

        uint64_t *thresholds;
        size_t n_thresholds;

        /* the three channels (CLOCK_BOOTTIME µs) */
        bool idle;
        uint64_t idle_since;
        bool locked;
        uint64_t locked_since;
        bool asleep;
        uint64_t asleep_since;

        bool reported_valid;
        enum presence reported;

        bool idle_inhibited; /* an idle inhibitor is held: some monitors stop watching */
};

/* ---- merging --------------------------------------------------------------- */

static void merge(struct tracker *p, uint64_t since)
{
        enum presence now;

        if (p->asleep)
                now = PRESENCE_ASLEEP, since = p->asleep_since;
        else if (p->locked)
                now = PRESENCE_LOCKED, since = p->locked_since;
        else if (p->idle)
                now = PRESENCE_IDLE, since = p->idle_since;
        else
                now = PRESENCE_ACTIVE;

        /* Locked and asleep count as idle from whichever began first; the
         * scheduler keeps the start of an away spell, so only changes of
         * state are news. */
        if (p->reported_valid && p->reported == now && !(now == PRESENCE_IDLE && since < p->idle_since))
                return;
        p->reported_valid = true;
        p->reported = now;
        log_debug("presence: %s", presence_name(now));
        engine_presence(p->d, now, since);
}

enum presence presence_current(const struct tracker *p)
{
        return p && p->reported_valid ? p->reported : PRESENCE_ACTIVE;
}

void presence_locked(struct tracker *p, bool locked, uint64_t since)
{
        if (p->locked == locked)
                return;
        p->locked = locked;
        p->locked_since = since;
        log_info("the session is %s", locked ? "locked" : "unlocked");
        merge(p, since);
}

void presence_asleep(struct tracker *p, bool asleep, uint64_t since)
{
        if (p->asleep == asleep)
                return;
        p->asleep = asleep;
        p->asleep_since = since;
        log_info("%s", asleep ? "going to sleep" : "woke up");
        merge(p, since);
}

void backend_report(struct idle_backend *b, bool idle, uint64_t since)
{
        struct tracker *p = b->presence;
        uint64_t now = boottime_now();

        if (!b->started)
                return;
        if (since > now)
                since = now;
        if (idle) {
                if (p->idle && since >= p->idle_since)
                        return; /* already known, from an earlier moment */
                p->idle = true;
                p->idle_since = since;
        } else {
                if (!p->idle)
                        return;
                p->idle = false;
        }
        merge(p, since);
}

uint64_t backend_idle_since(const struct idle_backend *b)
{
        return b->presence->idle ? b->presence->idle_since : 0;
}

bool backend_idle_inhibited(const struct idle_backend *b)
{
        return b->presence->idle_inhibited;
}

void presence_idle_inhibited(struct tracker *p, bool inhibited)
{
        if (!p || p->idle_inhibited == inhibited)
                return;
        p->idle_inhibited = inhibited;
        if (p->active >= 0 && p->backends[p->active].ops->inhibited_changed)
                p->backends[p->active].ops->inhibited_changed(&p->backends[p->active]);
}

sd_event *backend_event(const struct idle_backend *b)
{
        return b->presence->d->event;
}

size_t backend_thresholds(const struct idle_backend *b, const uint64_t **ret)
{
        *ret = b->presence->thresholds;
        return b->presence->n_thresholds;
}

/* ---- choosing a backend ------------------------------------------------------ */

static int index_of(const struct tracker *p, const struct idle_backend *b)
{
        return (int) (b - p->backends);
}

static void stop_active(struct tracker *p)
{
        struct idle_backend *b;

        if (p->active < 0)
                return;
        b = &p->backends[p->active];
        if (b->started && b->ops->stop)
                b->ops->stop(b);
        b->started = false;
        p->active = -1;
}

/* Starts the first available backend, or keeps the one running if it is
 * still the best. */
static void choose(struct tracker *p)
{
        for (size_t i = 0; i < N_BACKENDS; i++) {
                struct idle_backend *b = &p->backends[i];
                int r;

                if (!b->wanted || b->status != BACKEND_AVAILABLE)
                        continue;
                /* Still the best and running. (A backend whose bus name
                 * passed straight to a new owner was stopped meanwhile.) */
                if (p->active == (int) i && b->started)
                        return;
                stop_active(p);
                b->started = true;
                p->active = (int) i;
                r = b->ops->start(b);
                if (r < 0) {
                        b->started = false;
                        p->active = -1;
                        b->status = BACKEND_ABSENT;
                        snprintf(b->why, sizeof(b->why), "failed to start: %s", strerror(-r));
                        continue;
                }
                log_info("idle backend: %s (%s)", b->ops->name, b->why);
                /* The new backend reports what it sees; until then the idle
                 * spell in progress, if any, carries over. */
                engine_sync(p->d);
                return;
        }
        if (p->active >= 0)
                return;
        for (size_t i = 0; i < N_BACKENDS; i++)
                if (p->backends[i].wanted && p->backends[i].status == BACKEND_PROBING)
                        return; /* wait for every answer */
        log_info("no idle backend answers: only lock and suspend count as time away");
        /* Without an idle source the user counts as present. */
        if (p->idle) {
                p->idle = false;
                merge(p, boottime_now());
        }
        engine_sync(p->d);
}

void backend_probed(struct idle_backend *b, bool available, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(b->why, sizeof(b->why), fmt, ap);
        va_end(ap);
        b->status = available ? BACKEND_AVAILABLE : BACKEND_ABSENT;
        log_debug("backend %s: %s (%s)", b->ops->name, available ? "available" : "absent", b->why);
        if (available || index_of(b->presence, b) == b->presence->active) {
                if (!available)
                        stop_active(b->presence);
                choose(b->presence);
        } else if (b->presence->active < 0) {
                choose(b->presence);
        }
}

void backend_gone(struct idle_backend *b, const char *fmt, ...)
{
        struct tracker *p = b->presence;
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(b->why, sizeof(b->why), fmt, ap);
        va_end(ap);
        b->status = BACKEND_ABSENT;
        if (index_of(p, b) != p->active)
                return;
        log_info("idle backend %s went away (%s)", b->ops->name, b->why);
        stop_active(p);
        choose(p);
}

const char *presence_backend(const struct tracker *p)
{
        return p && p->active >= 0 ? p->backends[p->active].ops->name : "none";
}

size_t presence_list(const struct tracker *p, const char *names[], const char *states[], const char *why[],
                     size_t max)
{
        static const char *const status_names[] = { "probing", "probing", "available", "absent" };
        size_t n = 0;

        for (size_t i = 0; i < N_BACKENDS && n < max; i++, n++) {
                const struct idle_backend *b = &p->backends[i];
                names[n] = b->ops->name;
                states[n] = !b->wanted ? "not wanted" : p->active == (int) i ? "active" : status_names[b->status];
                why[n] = !b->wanted ? "general.backend names another" : b->why;
        }
        return n;
}

/* ---- thresholds ---------------------------------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
        uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
        return x < y ? -1 : x > y;
}

void presence_set_thresholds(struct tracker *p, const uint64_t *usec, size_t n)
{
        uint64_t *v = xcalloc(n ? n : 1, sizeof(*v));
        size_t m = 0;

        memcpy(v, usec, n * sizeof(*v));
        qsort(v, n, sizeof(*v), cmp_u64);
        for (size_t i = 0; i < n; i++)
                if (v[i] && (m == 0 || v[m - 1] != v[i]))
                        v[m++] = v[i];
        if (m == p->n_thresholds && memcmp(v, p->thresholds, m * sizeof(*v)) == 0) {
                free(v);
                return;
        }
        free(p->thresholds);
        p->thresholds = v;
        p->n_thresholds = m;
        if (p->active >= 0 && p->backends[p->active].ops->thresholds_changed)
                p->backends[p->active].ops->thresholds_changed(&p->backends[p->active]);
}

/* ---- bus helpers for the backends ------------------------------------------------ */

const char *bus_error_name(const sd_bus_error *e, int r)
{
        if (e && sd_bus_error_is_set(e))
                return e->name;
        return strerror(r < 0 ? -r : r);
}

int bus_call_floating(sd_bus *bus, sd_bus_message *m, sd_bus_message_handler_t callback, void *userdata,
                      void (*free_userdata)(void *), uint64_t timeout_usec)
{
        sd_bus_slot *slot = NULL;
        int r;

        r = sd_bus_call_async(bus, &slot, m, callback, userdata, timeout_usec);
        if (r < 0)
                return r;
        if (free_userdata)
                (void) sd_bus_slot_set_destroy_callback(slot, free_userdata);
        (void) sd_bus_slot_set_floating(slot, true);
        sd_bus_slot_unref(slot);
        return 0;
}

struct name_watch {
        struct idle_backend *b;
        void (*changed)(struct idle_backend *b, const char *new_owner);
};

static int on_name_owner_changed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        struct name_watch *w = userdata;
        const char *name, *old, *new;

        if (sd_bus_message_read(m, "sss", &name, &old, &new) < 0)
                return 0;
        w->changed(w->b, new);
        return 0;
}

int backend_watch_name(struct idle_backend *b, const char *name, sd_bus_slot **slot,
                       void (*changed)(struct idle_backend *b, const char *new_owner))
{
        _cleanup_(freep) char *match = xasprintf("type='signal',sender='org.freedesktop.DBus',path='/org/freedesktop/DBus',"
                                                 "interface='org.freedesktop.DBus',member='NameOwnerChanged',arg0='%s'",
                                                 name);
        struct name_watch *w = xcalloc(1, sizeof(*w));
        int r;

        w->b = b;
        w->changed = changed;
        r = sd_bus_add_match_async(b->bus, slot, match, on_name_owner_changed, NULL, w);
        if (r < 0) {
                free(w);
                return r;
        }
        /* The slot owns w from now on. */
        (void) sd_bus_slot_set_destroy_callback(*slot, free);
        return 0;
}

/* ---- setup ------------------------------------------------------------------------ */

struct logind *presence_logind(struct tracker *p)
{
        return p->logind;
}

struct limberd *presence_daemon(struct tracker *p)
{
        return p->d;
}

/* May general.backend = choice use b? */
static bool allowed(const struct idle_backend *b, unsigned choice)
{
        return choice == BACKEND_AUTO || streq(backend_choice_names[choice], b->ops->name);
}

/* general.backend changed (a reload): backends it now allows are probed,
 * the one in use stops if it no longer may be used, the best one is chosen. */
void presence_set_choice(struct tracker *p, unsigned choice)
{
        bool any = false;

        if (!p)
                return;
        for (size_t i = 0; i < N_BACKENDS; i++) {
                struct idle_backend *b = &p->backends[i];
                bool wanted = allowed(b, choice);

                if (wanted == b->wanted)
                        continue;
                any = true;
                b->wanted = wanted;
                if (!wanted && p->active == (int) i)
                        stop_active(p);
                if (wanted && b->status != BACKEND_AVAILABLE) {
                        b->status = BACKEND_PROBING;
                        b->ops->probe(b);
                }
        }
        if (!any)
                return;
        log_info("general.backend = %s", backend_choice_names[choice]);
        choose(p);
}

int presence_new(struct limberd *d, struct tracker **ret)
{
        struct tracker *p = xcalloc(1, sizeof(*p));
        unsigned choice = (unsigned) policy_get(d->policy, KEY_BACKEND);
        int r;

        p->d = d;
        p->active = -1;
        *ret = p;

        r = logind_new(p, &p->logind);
        if (r < 0)
                log_info("no logind on the system bus: lock and suspend are noticed only by the clock");

        for (size_t i = 0; i < N_BACKENDS; i++) {
                struct idle_backend *b = &p->backends[i];
                b->ops = backend_order[i];
                b->presence = p;
                b->bus = d->bus;
                b->wanted = allowed(b, choice);
                snprintf(b->why, sizeof(b->why), "not probed yet");
        }
        if (choice != BACKEND_AUTO)
                log_info("general.backend = %s", backend_choice_names[choice]);
        for (size_t i = 0; i < N_BACKENDS; i++) {
                struct idle_backend *b = &p->backends[i];
                if (b->wanted) {
                        b->status = BACKEND_PROBING;
                        b->ops->probe(b);
                }
        }
        return 0;
}

void presence_free(struct tracker *p)
{
        if (!p)
                return;
        stop_active(p);
        for (size_t i = 0; i < N_BACKENDS; i++)
                if (p->backends[i].ops && p->backends[i].ops->free)
                        p->backends[i].ops->free(&p->backends[i]);
        logind_free(p->logind);
        free(p->thresholds);
        free(p);
}
