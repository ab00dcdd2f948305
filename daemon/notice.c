/* SPDX-License-Identifier: MIT */
/*
 * Notices (notice.h). A notice replaces the previous one by its id, which
 * only means something to the server that gave it: a restarted server
 * reuses ids. So the replacing Notify goes to that server's unique name;
 * when it has gone, the notice goes, as a new one, to whoever owns the
 * well-known name now.
 */
#include "notice.h"

#include <stdlib.h>

#include "dbus-util.h"
#include "log.h"
#include "util.h"

#define NOTIFICATIONS_NAME  "org.freedesktop.Notifications"
#define NOTIFICATIONS_PATH  "/org/freedesktop/Notifications"
#define NOTICE_CALL_TIMEOUT (10 * 1000 * 1000) /* µs */

struct notice {
        sd_bus *bus;
        sd_bus_slot *call; /* the Notify in flight */
        char *title, *body;
        char *server; /* the unique name of the server that showed the last notice */
        uint32_t id;  /* its id there */
};

static int send_notify(struct notice *n, const char *destination, uint32_t replaces);

static int on_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        struct notice *n = userdata;
        const sd_bus_error *e = sd_bus_message_get_error(m);
        uint32_t id;

        n->call = sd_bus_slot_unref(n->call);
        if (e && n->server) {
                /* That server has gone: a new notice, to the one there is now. */
                free(n->server);
                n->server = NULL;
                if (send_notify(n, NOTIFICATIONS_NAME, 0) >= 0)
                        return 0;
        }
        if (e || sd_bus_message_read(m, "u", &id) < 0) {
                log_info("%s: %s (not shown: %s)", n->title, n->body, e ? e->name : "a bad reply");
                return 0;
        }
        free(n->server);
        n->server = xstrdup(sd_bus_message_get_sender(m));
        n->id = id;
        return 0;
}

static int send_notify(struct notice *n, const char *destination, uint32_t replaces)
{
        /* sdbus_ask: never start a notification server for a notice. */
        n->call = sd_bus_slot_unref(n->call);
        return sdbus_ask(n->bus, &n->call, destination, NOTIFICATIONS_PATH, NOTIFICATIONS_NAME, "Notify", on_reply, n,
                         NOTICE_CALL_TIMEOUT, "susssasa{sv}i", "limber", replaces, "limber", n->title, n->body, 0, 3,
                         "desktop-entry", "s", "limberd", "transient", "b", 1, "urgency", "y", 0, -1);
}

void notice_show(struct notice *n, const char *title, const char *body)
{
        int r;

        if (!n)
                return;
        free(n->title);
        free(n->body);
        n->title = xstrdup(title);
        n->body = xstrdup(body);
        r = send_notify(n, n->server ? n->server : NOTIFICATIONS_NAME, n->server ? n->id : 0);
        if (r < 0)
                log_warning_errno(r, "%s: %s (cannot send a notification)", title, body);
}

int notice_new(sd_bus *bus, struct notice **ret)
{
        struct notice *n = xcalloc(1, sizeof(*n));

        n->bus = sd_bus_ref(bus);
        *ret = n;
        return 0;
}

void notice_free(struct notice *n)
{
        if (!n)
                return;
        sd_bus_slot_unref(n->call);
        sd_bus_unref(n->bus);
        free(n->title);
        free(n->body);
        free(n->server);
        free(n);
}
