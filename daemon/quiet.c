/* SPDX-License-Identifier: MIT */
/*
 * Quiet: whether prompts should wait (DESIGN §3 "Defer"). Quiet when any of
 * these says so, each followed through its change signal, never polled:
 *
 *  - GNOME (and Cinnamon, MATE): org.gnome.SessionManager InhibitedActions
 *    has bit 8 (idle), held by a video call, a presentation, a video player;
 *  - KDE Plasma: org.freedesktop.Notifications Inhibited (do-not-disturb);
 *  - dunst: org.dunstproject.cmd0 paused (do-not-disturb);
 *  - swaync, mako, xfce4-notifyd and GNOME's show-banners: a file each
 *    (quiet-*.c); a mako too old to announce its modes is asked when a
 *    prompt shows.
 *
 * The three above are properties, read here, and read again when their
 * bus name changes owner. The first source in this order that says so is
 * the one holding prompts.
 */
#include <errno.h>
#include <stdlib.h>

#include "bus-dict.h"
#include "dbus-util.h"
#include "log.h"
#include "quiet.h"
#include "quiet-gnome.h"
#include "quiet-mako.h"
#include "quiet-swaync.h"
#include "quiet-xfce.h"
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
#define CALL_TIMEOUT    QUIET_CALL_TIMEOUT

enum source {
        SRC_INHIBITED, /* gnome-session InhibitedActions & 8 */
        SRC_KDE_DND,   /* Notifications.Inhibited */
        SRC_DUNST_DND, /* dunst paused */
        N_PROPERTY_SOURCES,
        SRC_SWAYNC = N_PROPERTY_SOURCES,
        SRC_MAKO,
        SRC_XFCE,
        SRC_GNOME,
        N_SOURCES,
};

static const struct {
        const char *id;   /* what status shows */
        const char *what; /* what the log and --list-backends say */
        const char *name, *path, *iface, *prop; /* the property sources */
        char type;
} sources[N_SOURCES] = {
        [SRC_INHIBITED] = { "inhibitor", "an idle inhibitor (org.gnome.SessionManager InhibitedActions)", SM_NAME,
                            SM_PATH, SM_IFACE, "InhibitedActions", 'u' },
        [SRC_KDE_DND] = { "kde", "do-not-disturb (org.freedesktop.Notifications Inhibited)", N_NAME, N_PATH, N_IFACE,
                          "Inhibited", 'b' },
        [SRC_DUNST_DND] = { "dunst", "dunst is paused (org.dunstproject.cmd0 paused)", N_NAME, N_PATH, DUNST_IFACE,
                            "paused", 'b' },
        [SRC_SWAYNC] = { "swaync", "swaync's do-not-disturb (org.erikreider.swaync.cc GetDnd)" },
        [SRC_MAKO] = { "mako", "a mako mode in general.dnd-modes (fr.emersion.Mako ListModes)" },
        [SRC_XFCE] = { "xfce", "xfce4-notifyd's do-not-disturb (xfconf xfce4-notifyd /do-not-disturb)" },
        [SRC_GNOME] = { "gnome", "GNOME's do-not-disturb (org.gnome.desktop.notifications show-banners = false)" },
};

struct quiet;

struct get_call {
        struct quiet *q;
        enum source src;
};

/* A source of a file of its own, reporting through quiet_changed_fn. */
struct source_report {
        struct quiet *q;
        enum source src;
};

struct quiet {
        const struct quiet_callbacks *cb; /* NULL: --list-backends */
        void *userdata;
        sd_bus *bus;
        bool on[N_SOURCES], answered[N_SOURCES];
        int holding; /* the source holding prompts, -1 */
        bool inhibited;
        sd_bus_slot *owner_slot[2], *props_slot[2], *get_slot[N_PROPERTY_SOURCES];
        struct get_call calls[N_PROPERTY_SOURCES];
        struct source_report reports[N_SOURCES];
        struct swaync_dnd *swaync;
        struct mako_dnd *mako;
        struct xfce_dnd *xfce;
        struct gnome_dnd *gnome;
};

static void update(struct quiet *q)
{
        int holding = -1;

        /* GNOME's idle monitor stops firing idle watches meanwhile. */
        if (q->inhibited != q->on[SRC_INHIBITED]) {
                q->inhibited = q->on[SRC_INHIBITED];
                if (q->cb)
                        q->cb->inhibited(q->userdata, q->inhibited);
        }
        for (int i = N_SOURCES - 1; i >= 0; i--)
                if (q->on[i])
                        holding = i;
        if (holding == q->holding)
                return;
        q->holding = holding;
        if (!q->cb)
                return;
        if (holding >= 0)
                log_info("prompts wait: %s, %s", sources[holding].id, sources[holding].what);
        else
                log_info("do-not-disturb and idle inhibitors are off");
        q->cb->changed(q->userdata, holding >= 0 ? sources[holding].id : NULL);
}

static void on_source_changed(void *userdata, bool on)
{
        struct source_report *sr = userdata;

        sr->q->on[sr->src] = on;
        sr->q->answered[sr->src] = true;
        update(sr->q);
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
        q->answered[src] = true;
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

        for (int i = 0; i < N_PROPERTY_SOURCES; i++) {
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

        for (int i = 0; i < N_PROPERTY_SOURCES; i++) {
                if (!streq(name, sources[i].name))
                        continue;
                q->on[i] = false;
                if (new &&*new)
                        read_source(q, (enum source) i);
        }
        update(q);
}

int quiet_new(sd_event *event, sd_bus *bus, const struct quiet_options *o, const struct quiet_callbacks *cb,
              void *userdata, struct quiet **ret)
{
        static const char *const names[2] = { SM_NAME, N_NAME };
        static const char *const paths[2] = { SM_PATH, N_PATH };
        struct quiet *q = xcalloc(1, sizeof(*q));
        int r;

        q->cb = cb;
        q->userdata = userdata;
        q->bus = bus;
        q->holding = -1;
        for (int i = 0; i < N_PROPERTY_SOURCES; i++)
                q->calls[i] = (struct get_call){ q, (enum source) i };
        for (int i = 0; i < N_SOURCES; i++)
                q->reports[i] = (struct source_report){ q, (enum source) i };
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
        for (int i = 0; i < N_PROPERTY_SOURCES; i++)
                read_source(q, (enum source) i);
        /* The others are optional: one that cannot start is absent. */
        r = swaync_dnd_new(bus, on_source_changed, &q->reports[SRC_SWAYNC], &q->swaync);
        if (r < 0)
                q->answered[SRC_SWAYNC] = true, log_debug_errno(r, "cannot follow swaync, ignoring");
        r = mako_dnd_new(bus, o->dnd_modes, on_source_changed, &q->reports[SRC_MAKO], &q->mako);
        if (r < 0)
                q->answered[SRC_MAKO] = true, log_debug_errno(r, "cannot follow mako, ignoring");
        r = xfce_dnd_new(bus, on_source_changed, &q->reports[SRC_XFCE], &q->xfce);
        if (r < 0)
                q->answered[SRC_XFCE] = true, log_debug_errno(r, "cannot follow xfconf, ignoring");
        r = gnome_dnd_new(event, bus, o->once, on_source_changed, &q->reports[SRC_GNOME], &q->gnome);
        if (r < 0)
                q->answered[SRC_GNOME] = true, log_debug_errno(r, "cannot follow GNOME's show-banners, ignoring");
        *ret = q;
        return 0;
}

void quiet_set_dnd_modes(struct quiet *q, const char *modes)
{
        if (q)
                mako_dnd_set_modes(q->mako, modes);
}

bool quiet_probing(const struct quiet *q)
{
        for (int i = 0; q && i < N_SOURCES; i++)
                if (!q->answered[i])
                        return true;
        return false;
}

const char *quiet_holding(const struct quiet *q, const char **what)
{
        if (!q || q->holding < 0)
                return NULL;
        if (what)
                *what = sources[q->holding].what;
        return sources[q->holding].id;
}

void quiet_free(struct quiet *q)
{
        if (!q)
                return;
        for (int i = 0; i < 2; i++) {
                q->owner_slot[i] = sd_bus_slot_unref(q->owner_slot[i]);
                q->props_slot[i] = sd_bus_slot_unref(q->props_slot[i]);
        }
        for (int i = 0; i < N_PROPERTY_SOURCES; i++)
                q->get_slot[i] = sd_bus_slot_unref(q->get_slot[i]);
        swaync_dnd_free(q->swaync);
        mako_dnd_free(q->mako);
        xfce_dnd_free(q->xfce);
        gnome_dnd_free(q->gnome);
        free(q);
}
