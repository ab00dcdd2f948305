/* SPDX-License-Identifier: MIT */
#include "dbus-util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int sdbus_call_floating(sd_bus *bus, sd_bus_message *m, sd_bus_message_handler_t callback, void *userdata,
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

const char *sdbus_error_name(const sd_bus_error *e, int r)
{
        if (e && sd_bus_error_is_set(e))
                return e->name;
        return strerror(r < 0 ? -r : r);
}

struct owner_watch {
        void (*changed)(void *userdata, const char *name, const char *new_owner);
        void *userdata;
        void (*free_userdata)(void *);
};

static int on_name_owner_changed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        struct owner_watch *w = userdata;
        const char *name, *old, *new;

        if (sd_bus_message_read(m, "sss", &name, &old, &new) < 0)
                return 0;
        w->changed(w->userdata, name, new);
        return 0;
}

static void free_watch(void *userdata)
{
        struct owner_watch *w = userdata;

        if (w->free_userdata)
                w->free_userdata(w->userdata);
        free(w);
}

int sdbus_watch_name(sd_bus *bus, const char *name, sd_bus_slot **slot,
                     void (*changed)(void *userdata, const char *name, const char *new_owner), void *userdata,
                     void (*free_userdata)(void *))
{
        _cleanup_(freep) char *match =
                xasprintf("type='signal',sender='org.freedesktop.DBus',path='/org/freedesktop/DBus',"
                          "interface='org.freedesktop.DBus',member='NameOwnerChanged',arg0='%s'",
                          name);
        struct owner_watch *w = xcalloc(1, sizeof(*w));
        int r;

        *w = (struct owner_watch){ changed, userdata, free_userdata };
        r = sd_bus_add_match_async(bus, slot, match, on_name_owner_changed, NULL, w);
        if (r < 0) {
                free(w);
                return r;
        }
        /* The slot owns w (and through it userdata) from now on. */
        (void) sd_bus_slot_set_destroy_callback(*slot, free_watch);
        return 0;
}

int sdbus_ask(sd_bus *bus, sd_bus_slot **slot, const char *dest, const char *path, const char *iface,
              const char *member, sd_bus_message_handler_t callback, void *userdata, uint64_t timeout_usec,
              const char *types, ...)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        va_list ap;
        int r;

        r = sd_bus_message_new_method_call(bus, &m, dest, path, iface, member);
        if (r >= 0)
                r = sd_bus_message_set_auto_start(m, false);
        if (r >= 0 && types && *types) {
                va_start(ap, types);
                r = sd_bus_message_appendv(m, types, ap);
                va_end(ap);
        }
        if (r < 0)
                return r;
        return sd_bus_call_async(bus, slot, m, callback, userdata, timeout_usec);
}
