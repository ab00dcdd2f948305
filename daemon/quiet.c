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

#include "limberd.h"
#include "log.h"
#include "presence.h"
#include "quiet.h"
#include "util.h"
#include "value.h"

#define SM_NAME "org.gnome.SessionManager"
#define SM_PATH "/org/gnome/SessionManager"
#define SM_IFACE "org.gnome.SessionManager"
#define SM_INHIBIT_IDLE 8u
#define N_NAME "org.freedesktop.Notifications"
#define N_PATH "/org/freedesktop/Notifications"
#define N_IFACE "org.freedesktop.Notifications"
#define DUNST_IFACE "org.dunstproject.cmd0"
#define CALL_TIMEOUT (2 * USEC_PER_SEC)

enum source {
        SRC_INHIBITED, /* gnome-session InhibitedActions & 8 */
        SRC_KDE_DND,   /* Notifications.Inhibited */
        SRC_DUNST_DND, /* dunst paused */
        N_SOURCES,
};

static const struct {
        const char *name, *path, *iface, *prop;
        char type;
} sources[N_SOURCES] = {
        [SRC_INHIBITED] = { SM_NAME, SM_PATH, SM_IFACE, "InhibitedActions", 'u' },
        [SRC_KDE_DND] = { N_NAME, N_PATH, N_IFACE, "Inhibited", 'b' },
        [SRC_DUNST_DND] = { N_NAME, N_PATH, DUNST_IFACE, "paused", 'b' },
};

struct quiet;

struct get_call {
        struct quiet *q;
        enum source src;
};

struct quiet {
        struct limberd *d;
        bool on[N_SOURCES];
        bool quiet;
        sd_bus_slot *owner_slot[2], *props_slot[2], *get_slot[N_SOURCES];
        struct get_call calls[N_SOURCES];
};

static void update(struct quiet *q)
{
        bool quiet = false;

        /* GNOME's idle monitor stops firing idle watches meanwhile. */
        presence_idle_inhibited(q->d->presence, q->on[SRC_INHIBITED]);

        for (int i = 0; i < N_SOURCES; i++)
                quiet = quiet || q->on[i];
        if (quiet == q->quiet)
                return;
        q->quiet = quiet;
        log_info("%s", quiet ? "do-not-disturb or an idle inhibitor is on: prompts wait"
                             : "do-not-disturb and idle inhibitors are off");
        engine_quiet(q->d, quiet);
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
        r = sd_bus_message_new_method_call(q->d->bus, &m, sources[src].name, sources[src].path,
                                           "org.freedesktop.DBus.Properties", "Get");
        if (r >= 0)
                r = sd_bus_message_set_auto_start(m, false);
        if (r >= 0)
                r = sd_bus_message_append(m, "ss", sources[src].iface, sources[src].prop);
        if (r >= 0)
                r = sd_bus_call_async(q->d->bus, &q->get_slot[src], m, on_get, &q->calls[src], CALL_TIMEOUT);
        if (r < 0)
                log_debug_errno(r, "cannot read %s.%s", sources[src].iface, sources[src].prop);
}

static int on_props_changed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        struct quiet *q = userdata;
        const char *iface;
        int r;

        if (sd_bus_message_read(m, "s", &iface) < 0)
                return 0;
        r = sd_bus_message_enter_container(m, 'a', "{sv}");
        if (r < 0)
                return 0;
        while (sd_bus_message_enter_container(m, 'e', "sv") > 0) {
                const char *name;
                bool matched = false;

                if (sd_bus_message_read(m, "s", &name) < 0)
                        return 0;
                for (int i = 0; i < N_SOURCES; i++) {
                        bool on;
                        if (!streq(iface, sources[i].iface) || !streq(name, sources[i].prop))
                                continue;
                        matched = true;
                        if (value_means_quiet((enum source) i, m, &on))
                                q->on[i] = on;
                        else
                                return 0;
                }
                if (!matched && sd_bus_message_skip(m, "v") < 0)
                        return 0;
                if (sd_bus_message_exit_container(m) < 0)
                        return 0;
        }
        update(q);
        return 0;
}

static int on_owner_changed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        struct quiet *q = userdata;
        const char *name, *old, *new;

        if (sd_bus_message_read(m, "sss", &name, &old, &new) < 0)
                return 0;
        for (int i = 0; i < N_SOURCES; i++) {
                if (!streq(name, sources[i].name))
                        continue;
                q->on[i] = false;
                if (new && *new)
                        read_source(q, (enum source) i);
        }
        update(q);
        return 0;
}

int quiet_new(struct limberd *d, struct quiet **ret)
{
        static const char *const names[2] = { SM_NAME, N_NAME };
        static const char *const paths[2] = { SM_PATH, N_PATH };
        struct quiet *q = xcalloc(1, sizeof(*q));
        int r;

        q->d = d;
        for (int i = 0; i < N_SOURCES; i++)
                q->calls[i] = (struct get_call) { q, (enum source) i };
        for (int i = 0; i < 2; i++) {
                _cleanup_(freep) char *match = xasprintf(
                        "type='signal',sender='org.freedesktop.DBus',path='/org/freedesktop/DBus',"
                        "interface='org.freedesktop.DBus',member='NameOwnerChanged',arg0='%s'",
                        names[i]);
                r = sd_bus_add_match_async(d->bus, &q->owner_slot[i], match, on_owner_changed, NULL, q);
                if (r >= 0)
                        r = sd_bus_match_signal_async(d->bus, &q->props_slot[i], names[i], paths[i],
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

bool quiet_get(const struct quiet *q)
{
        return q && q->quiet;
}
