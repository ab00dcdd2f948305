/* SPDX-License-Identifier: MIT */
#include "presence.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "idle-backend.h"
#include "log.h"
#include "logind.h"
#include "schema.h"
#include "util.h"

static const struct idle_backend_ops *const backend_order[] = {
        &mutter_backend_ops, &muffin_backend_ops,      &wayland_backend_ops,
        &x11_backend_ops,    &screensaver_backend_ops, &logind_backend_ops,
};
#define N_BACKENDS ELEMENTSOF(backend_order)

/* general.backend values, in the order of enum backend_choice. */
static const char *const backend_choice_names[] = { "auto", "mutter",      "muffin", "wayland",
                                                    "x11",  "screensaver", "logind", "none" };

struct presence_tracker {
        const struct presence_callbacks *cb;
        void *userdata;
        struct idle_backend backends[N_BACKENDS];
        int active; /* index of the started backend, or -1 */
        struct logind *logind;

        uint64_t *thresholds;
        size_t n_thresholds;
        sd_event_source *rearm; /* applies new thresholds after the current callback */

        /* the three channels (CLOCK_BOOTTIME µs) */
        bool idle;
        uint64_t idle_since;
        bool locked;
        uint64_t locked_since;
        bool asleep;
        uint64_t asleep_since;

        bool reported_valid;
        enum presence reported;
        uint64_t reported_since;
};

/* ---- merging --------------------------------------------------------------- */

static void merge(struct presence_tracker *p, uint64_t since)
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

        /* The scheduler keeps the start of an away spell: news are a change
         * of state, or an away spell that began earlier than said. */
        if (p->reported_valid && p->reported == now && !(now != PRESENCE_ACTIVE && since < p->reported_since))
                return;
        p->reported_valid = true;
        p->reported = now;
        p->reported_since = since;
        log_debug("presence: %s", presence_name(now));
        if (p->cb)
                p->cb->changed(p->userdata, now, since);
}

static void set_idle(struct presence_tracker *p, bool idle, uint64_t since)
{
        p->idle = idle;
        p->idle_since = idle ? since : 0;
        for (size_t i = 0; i < N_BACKENDS; i++)
                p->backends[i].idle_since = p->idle_since;
}

static void on_locked(void *userdata, bool locked, uint64_t since)
{
        struct presence_tracker *p = userdata;

        if (p->locked == locked)
                return;
        p->locked = locked;
        p->locked_since = since;
        log_info("the session is %s", locked ? "locked" : "unlocked");
        merge(p, since);
}

static void on_asleep(void *userdata, bool asleep, uint64_t since)
{
        struct presence_tracker *p = userdata;

        if (p->asleep == asleep)
                return;
        p->asleep = asleep;
        p->asleep_since = since;
        log_info("%s", asleep ? "going to sleep" : "woke up");
        merge(p, since);
}

static void on_report(void *userdata, struct idle_backend *b, bool idle, uint64_t since)
{
        struct presence_tracker *p = userdata;

        if (idle) {
                if (p->idle && since >= p->idle_since)
                        return; /* already known, from an earlier moment */
                set_idle(p, true, since);
        } else {
                if (!p->idle)
                        return;
                set_idle(p, false, 0);
        }
        merge(p, since);
}

/* ---- choosing a backend ------------------------------------------------------ */

static void stop_active(struct presence_tracker *p)
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

static void backend_changed(struct presence_tracker *p)
{
        if (p->cb)
                p->cb->backend_changed(p->userdata);
}

/* Starts the first available backend, or keeps the one running if it is
 * still the best. */
static void choose(struct presence_tracker *p)
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
                backend_changed(p);
                return;
        }
        if (p->active >= 0 || presence_probing(p))
                return; /* wait for every answer */
        log_info("no idle backend answers: only lock and suspend count as time away");
        /* Without an idle source the user counts as present. */
        if (p->idle) {
                set_idle(p, false, 0);
                merge(p, boottime_now());
        }
        backend_changed(p);
}

static void on_probed(void *userdata, struct idle_backend *b, bool available)
{
        struct presence_tracker *p = userdata;
        bool was_active = b - p->backends == p->active;

        b->status = available ? BACKEND_AVAILABLE : BACKEND_ABSENT;
        log_debug("backend %s: %s (%s)", b->ops->name, available ? "available" : "absent", b->why);
        if (!available && was_active)
                stop_active(p);
        if (available || was_active || p->active < 0)
                choose(p);
}

static void on_gone(void *userdata, struct idle_backend *b)
{
        struct presence_tracker *p = userdata;

        b->status = BACKEND_ABSENT;
        if (b - p->backends != p->active)
                return;
        log_info("idle backend %s went away (%s)", b->ops->name, b->why);
        stop_active(p);
        choose(p);
}

static const struct idle_backend_callbacks backend_callbacks = {
        .probed = on_probed,
        .gone = on_gone,
        .report = on_report,
};

const char *presence_backend(const struct presence_tracker *p)
{
        return p && p->active >= 0 ? p->backends[p->active].ops->name : "none";
}

bool presence_senses_pauses(const struct presence_tracker *p)
{
        return p && p->active >= 0 && p->backends[p->active].ops->thresholds_changed;
}

bool presence_probing(const struct presence_tracker *p)
{
        for (size_t i = 0; i < N_BACKENDS; i++)
                if (p->backends[i].wanted && p->backends[i].status == BACKEND_PROBING)
                        return true;
        return false;
}

size_t presence_list(const struct presence_tracker *p, const char *names[], const char *states[], const char *why[],
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

/* The backend re-arms here, never inside one of its own callbacks (the
 * thresholds change in answer to what it reports). */
static int on_rearm(sd_event_source *s, void *userdata)
{
        struct presence_tracker *p = userdata;
        struct idle_backend *b = p->active >= 0 ? &p->backends[p->active] : NULL;

        if (b && b->started && b->ops->thresholds_changed)
                b->ops->thresholds_changed(b);
        return 0;
}

void presence_set_thresholds(struct presence_tracker *p, const uint64_t *usec, size_t n)
{
        uint64_t *v;
        size_t m = 0;

        if (!p)
                return;
        v = xcalloc(n ? n : 1, sizeof(*v));
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
        for (size_t i = 0; i < N_BACKENDS; i++) {
                p->backends[i].thresholds = v;
                p->backends[i].n_thresholds = m;
        }
        if (p->rearm)
                (void) sd_event_source_set_enabled(p->rearm, SD_EVENT_ONESHOT);
}

void presence_idle_inhibited(struct presence_tracker *p, bool inhibited)
{
        struct idle_backend *b;

        if (!p || p->backends[0].inhibited == inhibited)
                return;
        for (size_t i = 0; i < N_BACKENDS; i++)
                p->backends[i].inhibited = inhibited;
        b = p->active >= 0 ? &p->backends[p->active] : NULL;
        if (b && b->ops->inhibited_changed)
                b->ops->inhibited_changed(b);
}

/* ---- setup ------------------------------------------------------------------------ */

/* May general.backend = choice use b? */
static bool allowed(const struct idle_backend *b, unsigned choice)
{
        return choice == BACKEND_AUTO || streq(backend_choice_names[choice], b->ops->name);
}

/* general.backend changed (a reload): backends it now allows are probed,
 * the one in use stops if it no longer may be used, the best one is chosen. */
void presence_set_choice(struct presence_tracker *p, unsigned choice)
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

static const struct logind_callbacks logind_callbacks = {
        .locked = on_locked,
        .asleep = on_asleep,
};

int presence_new(sd_event *event, sd_bus *bus, unsigned choice, const struct presence_callbacks *cb, void *userdata,
                 struct presence_tracker **ret)
{
        struct presence_tracker *p = xcalloc(1, sizeof(*p));
        int r;

        p->cb = cb;
        p->userdata = userdata;
        p->active = -1;
        *ret = p;

        r = sd_event_add_defer(event, &p->rearm, on_rearm, p);
        if (r < 0)
                return r;
        (void) sd_event_source_set_enabled(p->rearm, SD_EVENT_OFF);
        r = logind_new(event, &logind_callbacks, p, &p->logind);
        if (r < 0)
                log_info("no logind on the system bus: lock and suspend are noticed only by the clock");

        for (size_t i = 0; i < N_BACKENDS; i++) {
                struct idle_backend *b = &p->backends[i];
                *b = (struct idle_backend){
                        .ops = backend_order[i],
                        .cb = &backend_callbacks,
                        .userdata = p,
                        .bus = bus,
                        .event = event,
                        /* The IdleHint backend reads logind's session. */
                        .data = backend_order[i] == &logind_backend_ops ? p->logind : NULL,
                };
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

void presence_free(struct presence_tracker *p)
{
        if (!p)
                return;
        stop_active(p);
        for (size_t i = 0; i < N_BACKENDS; i++)
                if (p->backends[i].ops && p->backends[i].ops->free)
                        p->backends[i].ops->free(&p->backends[i]);
        logind_free(p->logind);
        p->rearm = sd_event_source_disable_unref(p->rearm);
        free(p->thresholds);
        free(p);
}
