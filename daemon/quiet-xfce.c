/* SPDX-License-Identifier: MIT */
#include "quiet-xfce.h"

#include <stdlib.h>

#include "dbus-util.h"
#include "log.h"
#include "util.h"

#define XFCONF_NAME  "org.xfce.Xfconf"
#define XFCONF_PATH  "/org/xfce/Xfconf"
#define XFCONF_IFACE "org.xfce.Xfconf"
#define CHANNEL      "xfce4-notifyd"
#define PROPERTY     "/do-not-disturb"

struct xfce_dnd {
        sd_bus *bus;
        quiet_changed_fn changed;
        void *userdata;
        bool answered, on;
        sd_bus_slot *owner_slot, *changed_slot, *removed_slot, *call_slot;
};

static void report(struct xfce_dnd *x, bool on)
{
        bool first = !x->answered;

        x->answered = true;
        if (first || on != x->on) {
                x->on = on;
                x->changed(x->userdata, on);
        }
}

/* The value, a variant at m's position: true only for a true boolean. */
static bool read_value(sd_bus_message *m)
{
        int b = 0;

        if (sd_bus_message_read(m, "v", "b", &b) < 0)
                return false;
        return b;
}

static int on_get(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        struct xfce_dnd *x = userdata;

        x->call_slot = sd_bus_slot_unref(x->call_slot);
        /* PropertyNotFound (never switched), or no xfconfd: off. */
        report(x, !sd_bus_message_is_method_error(reply, NULL) && read_value(reply));
        return 0;
}

static void ask(struct xfce_dnd *x)
{
        int r;

        x->call_slot = sd_bus_slot_unref(x->call_slot);
        r = sdbus_ask(x->bus, &x->call_slot, XFCONF_NAME, XFCONF_PATH, XFCONF_IFACE, "GetProperty", on_get, x,
                      QUIET_CALL_TIMEOUT, "ss", CHANNEL, PROPERTY);
        if (r < 0) {
                log_debug_errno(r, "cannot ask xfconf for %s", PROPERTY);
                report(x, false);
        }
}

/* PropertyChanged(s channel, s property, v value), PropertyRemoved(s, s). */
static int on_property(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        struct xfce_dnd *x = userdata;
        const char *channel, *property;

        if (sd_bus_message_read(m, "ss", &channel, &property) < 0 || !streq(channel, CHANNEL) ||
            !streq(property, PROPERTY))
                return 0;
        report(x, sd_bus_message_is_signal(m, XFCONF_IFACE, "PropertyChanged") && read_value(m));
        return 0;
}

static void on_owner(void *userdata, const char *name, const char *new_owner)
{
        struct xfce_dnd *x = userdata;

        if (new_owner && *new_owner)
                ask(x);
        else
                report(x, false);
}

int xfce_dnd_new(sd_bus *bus, quiet_changed_fn changed, void *userdata, struct xfce_dnd **ret)
{
        struct xfce_dnd *x = xcalloc(1, sizeof(*x));
        int r;

        x->bus = bus;
        x->changed = changed;
        x->userdata = userdata;
        r = sdbus_watch_name(bus, XFCONF_NAME, &x->owner_slot, on_owner, x, NULL);
        if (r >= 0)
                r = sd_bus_match_signal_async(bus, &x->changed_slot, XFCONF_NAME, XFCONF_PATH, XFCONF_IFACE,
                                              "PropertyChanged", on_property, NULL, x);
        if (r >= 0)
                r = sd_bus_match_signal_async(bus, &x->removed_slot, XFCONF_NAME, XFCONF_PATH, XFCONF_IFACE,
                                              "PropertyRemoved", on_property, NULL, x);
        if (r < 0) {
                xfce_dnd_free(x);
                return r;
        }
        ask(x);
        *ret = x;
        return 0;
}

void xfce_dnd_free(struct xfce_dnd *x)
{
        if (!x)
                return;
        sd_bus_slot_unref(x->owner_slot);
        sd_bus_slot_unref(x->changed_slot);
        sd_bus_slot_unref(x->removed_slot);
        sd_bus_slot_unref(x->call_slot);
        free(x);
}
