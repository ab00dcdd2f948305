/* SPDX-License-Identifier: MIT */
#include "quiet-swaync.h"

#include <stdlib.h>

#include "dbus-util.h"
#include "log.h"
#include "util.h"

#define CC_NAME  "org.erikreider.swaync.cc"
#define CC_PATH  "/org/erikreider/swaync/cc"
#define CC_IFACE "org.erikreider.swaync.cc"

struct swaync_dnd {
        sd_bus *bus;
        quiet_changed_fn changed;
        void *userdata;
        bool answered, on;
        sd_bus_slot *owner_slot, *signal_slot[2], *call_slot;
};

static void report(struct swaync_dnd *s, bool on)
{
        bool first = !s->answered;

        s->answered = true;
        if (first || on != s->on) {
                s->on = on;
                s->changed(s->userdata, on);
        }
}

static int on_get(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        struct swaync_dnd *s = userdata;
        int dnd = 0;

        s->call_slot = sd_bus_slot_unref(s->call_slot);
        if (sd_bus_message_is_method_error(reply, NULL) || sd_bus_message_read(reply, "b", &dnd) < 0)
                dnd = 0; /* not there */
        report(s, dnd);
        return 0;
}

static void ask(struct swaync_dnd *s)
{
        int r;

        s->call_slot = sd_bus_slot_unref(s->call_slot);
        r = sdbus_ask(s->bus, &s->call_slot, CC_NAME, CC_PATH, CC_IFACE, "GetDnd", on_get, s, QUIET_CALL_TIMEOUT, NULL);
        if (r < 0) {
                log_debug_errno(r, "cannot ask swaync for do-not-disturb");
                report(s, false);
        }
}

/* Subscribe(u count, b dnd, b cc_open) and SubscribeV2(u, b dnd, b, b). */
static int on_subscribe(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        struct swaync_dnd *s = userdata;
        uint32_t count;
        int dnd;

        if (sd_bus_message_read(m, "ub", &count, &dnd) >= 0)
                report(s, dnd);
        return 0;
}

static void on_owner(void *userdata, const char *name, const char *new_owner)
{
        struct swaync_dnd *s = userdata;

        if (new_owner && *new_owner)
                ask(s);
        else
                report(s, false);
}

int swaync_dnd_new(sd_bus *bus, quiet_changed_fn changed, void *userdata, struct swaync_dnd **ret)
{
        static const char *const signals[2] = { "Subscribe", "SubscribeV2" };
        struct swaync_dnd *s = xcalloc(1, sizeof(*s));
        int r;

        s->bus = bus;
        s->changed = changed;
        s->userdata = userdata;
        r = sdbus_watch_name(bus, CC_NAME, &s->owner_slot, on_owner, s, NULL);
        for (int i = 0; i < 2 && r >= 0; i++)
                r = sd_bus_match_signal_async(bus, &s->signal_slot[i], CC_NAME, CC_PATH, CC_IFACE, signals[i],
                                              on_subscribe, NULL, s);
        if (r < 0) {
                swaync_dnd_free(s);
                return r;
        }
        ask(s);
        *ret = s;
        return 0;
}

void swaync_dnd_free(struct swaync_dnd *s)
{
        if (!s)
                return;
        sd_bus_slot_unref(s->owner_slot);
        for (int i = 0; i < 2; i++)
                sd_bus_slot_unref(s->signal_slot[i]);
        sd_bus_slot_unref(s->call_slot);
        free(s);
}
