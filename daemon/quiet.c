/* SPDX-License-Identifier: MIT */
/*
 * Quiet: whether prompts should wait (DESIGN §3 "Defer"). Quiet when any of
 * these says so, each followed through PropertiesChanged, never polled:
 *
 *  - GNOME (and Cinnamon, MATE): org.gnome.SessionManager InhibitedActions
 *    has bit 8 (idle), held by a video call, a presentation, a video player;
 *  - KDE Plasma: org.freedesktop.Notifications Inhibited (do-not-disturb);
 *  - dunst: org.dunstproject.cmd0 paused (do-not-disturb).
 *
 * Each source is read again when its bus name changes owner.
 */
#include <errno.h>
#include <stdlib.h>

#include "bus-dict.h"
#include "dbus-util.h"
#include "log.h"
#include "quiet.h"
#include "util.h"
#include "value.h"

#define SM_NAME         "org.gnome.SessionManager"
#define SM_PATH         "/org/gnome/SessionManager"
#define SM_IFACE        "org.gnome.SessionManager"
#define SM_INHIBIT_IDLE 8u
#define N_NAME          "org.freedesktop.Notifications"
#define N_PATH          "/org/freedesktop/Notifications"
#define N_IFACE         "org.freedesktop.Notifications"
#define DUNST_IFACE     "org.dunstproject.cmd0"
#define CALL_TIMEOUT    (2 * USEC_PER_SEC)

enum source {
        SRC_INHIBITED, /* gnome-session InhibitedActions & 8 */
        SRC_KDE_DND,   /* Notifications.Inhibited */
        SRC_DUNST_DND, /* dunst paused */
        N_SOURCES,
};

static const struct {
        const char *id; /* what status shows */
        const char *name, *path, *iface, *prop;
        char type;
} sources[N_SOURCES] = {
        [SRC_INHIBITED] = { "inhibitor", SM_NAME, SM_PATH, SM_IFACE, "InhibitedActions", 'u' },
        [SRC_KDE_DND] = { "kde", N_NAME, N_PATH, N_IFACE, "Inhibited", 'b' },
        [SRC_DUNST_DND] = { "dunst", N_NAME, N_PATH, DUNST_IFACE, "paused", 'b' },
};

struct quiet;

struct get_call {
        struct quiet *q;
        enum source src;
};

struct quiet {
        const struct quiet_callbacks *cb;
        void *userdata;
        sd_bus *bus;
        bool on[N_SOURCES];
        int holding; /* the source holding prompts, -1 */
        bool inhibited;
        sd_bus_slot *owner_slot[2], *props_slot[2], *get_slot[N_SOURCES];
        struct get_call calls[N_SOURCES];
};

static void update(struct quiet *q)
{
        int holding = -1;

        /* GNOME's idle monitor stops firing idle watches meanwhile. */
        if (q->inhibited != q->on[SRC_INHIBITED]) {
                q->inhibited = q->on[SRC_INHIBITED];
                q->cb->inhibited(q->userdata, q->inhibited);
        }
        for (int i = N_SOURCES - 1; i >= 0; i--)
                if (q->on[i])
                        holding = i;
        if (holding == q->holding)
                return;
        q->holding = holding;
        if (holding >= 0)
                log_info("prompts wait: %s (%s.%s)", sources[holding].id, sources[holding].iface,
                         sources[holding].prop);
        else
                log_info("do-not-disturb and idle inhibitors are off");
        q->cb->changed(q->userdata, holding >= 0 ? sources[holding].id : NULL);
}

static bool value_means_quiet(enum source src, sd_bus_message *m, bool *ret)
{
        uint32_t u;
        int b;

        if (sources[src].type == 'u') {
                if (sd_bus_message_read(m, "v", "u", &u) < 0)
                        return false;
                *ret = (u & SM_INHIBIT_IDLE) != 0;
        } else {
                if (sd_bus_message_read(m, "v", "b", &b) < 0)
                        return false;
                *ret = b;
        }
        return true;
}

static int on_get(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        struct get_call *c = userdata;
        struct quiet *q = c->q;
        enum source src = c->src;
        bool on = false;

        q->get_slot[src] = sd_bus_slot_unref(q->get_slot[src]);
        if (!sd_bus_message_get_error(reply) && value_means_quiet(src, reply, &on))
                q->on[src] = on;
        else
                q->on[src] = false; /* not this desktop's way */
        update(q);
        return 0;
}

static void read_source(struct quiet *q, enum source src)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r;

        q->get_slot[src] = sd_bus_slot_unref(q->get_slot[src]);
        r = sd_bus_message_new_method_call(q->bus, &m, sources[src].name, sources[src].path,
                                           "org.freedesktop.DBus.Properties", "Get");
        if (r >= 0)
                r = sd_bus_message_set_auto_start(m, false);
        if (r >= 0)
                r = sd_bus_message_append(m, "ss", sources[src].iface, sources[src].prop);
        if (r >= 0)
                r = sd_bus_call_async(q->bus, &q->get_slot[src], m, on_get, &q->calls[src], CALL_TIMEOUT);
        if (r < 0)
                log_debug_errno(r, "cannot read %s.%s", sources[src].iface, sources[src].prop);
}

struct props_read {
        struct quiet *q;
        const char *iface;
};

static int read_prop(sd_bus_message *m, const char *name, void *userdata)
{
        struct props_read *pr = userdata;

        for (int i = 0; i < N_SOURCES; i++) {
                bool on;
                if (!streq(pr->iface, sources[i].iface) || !streq(name, sources[i].prop))
                        continue;
                if (!value_means_quiet((enum source) i, m, &on))
                        return -EBADMSG;
                pr->q->on[i] = on;
                return 1;
        }
        return 0;
}

static int on_props_changed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        struct props_read pr = { .q = userdata };

        if (sd_bus_message_read(m, "s", &pr.iface) < 0 || sdbus_read_dict(m, read_prop, &pr) < 0)
                return 0;
        update(pr.q);
        return 0;
}

static void on_owner_changed(void *userdata, const char *name, const char *new)
{
        struct quiet *q = userdata;

        for (int i = 0; i < N_SOURCES; i++) {
                if (!streq(name, sources[i].name))
                        continue;
                q->on[i] = false;
                if (new &&*new)
                        read_source(q, (enum source) i);
        }
        update(q);
}

int quiet_new(sd_bus *bus, const struct quiet_callbacks *cb, void *userdata, struct quiet **ret)
{
        static const char *const names[2] = { SM_NAME, N_NAME };
        static const char *const paths[2] = { SM_PATH, N_PATH };
        struct quiet *q = xcalloc(1, sizeof(*q));
        int r;

        q->cb = cb;
        q->userdata = userdata;
        q->bus = bus;
        q->holding = -1;
        for (int i = 0; i < N_SOURCES; i++)
                q->calls[i] = (struct get_call){ q, (enum source) i };
        for (int i = 0; i < 2; i++) {
                r = sdbus_watch_name(bus, names[i], &q->owner_slot[i], on_owner_changed, q, NULL);
                if (r >= 0)
                        r = sd_bus_match_signal_async(bus, &q->props_slot[i], names[i], paths[i],
                                                      "org.freedesktop.DBus.Properties", "PropertiesChanged",
                                                      on_props_changed, NULL, q);
                if (r < 0) {
                        quiet_free(q);
                        return r;
                }
        }
        for (int i = 0; i < N_SOURCES; i++)
                read_source(q, (enum source) i);
        *ret = q;
        return 0;
}

void quiet_free(struct quiet *q)
{
        if (!q)
                return;
        for (int i = 0; i < 2; i++) {
                q->owner_slot[i] = sd_bus_slot_unref(q->owner_slot[i]);
                q->props_slot[i] = sd_bus_slot_unref(q->props_slot[i]);
        }
        for (int i = 0; i < N_SOURCES; i++)
                q->get_slot[i] = sd_bus_slot_unref(q->get_slot[i]);
        free(q);
}
