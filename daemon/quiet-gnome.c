/* SPDX-License-Identifier: MIT */
#include "quiet-gnome.h"

#include <errno.h>
#include <gio/gio.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include "dbus-util.h"
#include "log.h"
#include "util.h"

#define SCHEMA "org.gnome.desktop.notifications"
#define KEY    "show-banners"
#define N_NAME "org.freedesktop.Notifications"
#define N_PATH "/org/freedesktop/Notifications"

enum value {
        VALUE_UNKNOWN, /* the thread has not read it yet */
        VALUE_ABSENT,  /* not followed: no such schema, or gnome-shell is not the server */
        VALUE_BANNERS, /* show-banners = true */
        VALUE_DND,     /* show-banners = false */
};

struct gnome_dnd {
        quiet_changed_fn changed;
        void *userdata;
        bool once;
        int efd;
        sd_event_source *source;
        sd_bus_slot *owner_slot, *call_slot;
        enum value seen;
};

/* Where the two threads meet. */
static struct {
        pthread_mutex_t lock;
        enum value value;
        struct gnome_dnd *watcher; /* the main side, or NULL */
        bool wanted;               /* gnome-shell is the notification server */
        GMainContext *ctx;         /* the notifier thread's, while it runs */
} hub = { PTHREAD_MUTEX_INITIALIZER, VALUE_ABSENT, NULL, false, NULL };

/* The notifier thread's own. */
static GSettings *settings;

/* The schema with the key, or NULL where GNOME's schemas are not installed. */
static GSettingsSchema *lookup_schema(void)
{
        GSettingsSchemaSource *source = g_settings_schema_source_get_default();
        GSettingsSchema *schema = source ? g_settings_schema_source_lookup(source, SCHEMA, TRUE) : NULL;

        if (schema && !g_settings_schema_has_key(schema, KEY)) {
                g_settings_schema_unref(schema);
                schema = NULL;
        }
        return schema;
}

static void wake(struct gnome_dnd *g)
{
        uint64_t one = 1;

        if (write(g->efd, &one, sizeof(one)) < 0)
                log_debug_errno(-errno, "cannot wake the main thread");
}

/* Any thread. */
static void publish(enum value v)
{
        pthread_mutex_lock(&hub.lock);
        hub.value = v;
        if (hub.watcher)
                wake(hub.watcher);
        pthread_mutex_unlock(&hub.lock);
}

static void on_changed(GSettings *s, gchar *key, gpointer userdata)
{
        publish(g_settings_get_boolean(s, KEY) ? VALUE_BANNERS : VALUE_DND);
}

static void let_go(void)
{
        if (settings)
                g_object_unref(settings);
        settings = NULL;
}

/* Follows the setting, or lets go of it, as the main side wants. */
static gboolean apply(gpointer unused)
{
        GSettingsSchema *schema;
        bool wanted;

        pthread_mutex_lock(&hub.lock);
        wanted = hub.wanted;
        pthread_mutex_unlock(&hub.lock);
        if (!wanted || !(schema = lookup_schema())) {
                let_go();
                publish(VALUE_ABSENT);
                return G_SOURCE_REMOVE;
        }
        if (!settings) {
                settings = g_settings_new_full(schema, NULL, NULL);
                g_signal_connect(settings, "changed::" KEY, G_CALLBACK(on_changed), NULL);
        }
        g_settings_schema_unref(schema);
        on_changed(settings, (gchar *) KEY, NULL);
        return G_SOURCE_REMOVE;
}

void gnome_dnd_thread_start(void)
{
        pthread_mutex_lock(&hub.lock);
        hub.ctx = g_main_context_ref_thread_default();
        pthread_mutex_unlock(&hub.lock);
        apply(NULL);
}

void gnome_dnd_thread_stop(void)
{
        pthread_mutex_lock(&hub.lock);
        g_main_context_unref(hub.ctx);
        hub.ctx = NULL;
        pthread_mutex_unlock(&hub.lock);
        let_go();
}

/* ---- main thread ------------------------------------------------------------ */

static void deliver(struct gnome_dnd *g, enum value v)
{
        bool was = g->seen == VALUE_DND, first = g->seen == VALUE_UNKNOWN;

        if (v == VALUE_UNKNOWN || v == g->seen)
                return;
        g->seen = v;
        if (first || was != (v == VALUE_DND))
                g->changed(g->userdata, v == VALUE_DND);
}

static int on_efd(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
        struct gnome_dnd *g = userdata;
        enum value v;
        uint64_t n;

        if (read(fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
                return 0;
        pthread_mutex_lock(&hub.lock);
        v = hub.value;
        pthread_mutex_unlock(&hub.lock);
        deliver(g, v);
        return 0;
}

/* --list-backends: one read, on this thread. */
static enum value read_once(bool wanted)
{
        GSettingsSchema *schema = wanted ? lookup_schema() : NULL;
        GSettings *s;
        bool banners;

        if (!schema)
                return VALUE_ABSENT;
        s = g_settings_new_full(schema, NULL, NULL);
        g_settings_schema_unref(schema);
        banners = g_settings_get_boolean(s, KEY);
        g_object_unref(s);
        return banners ? VALUE_BANNERS : VALUE_DND;
}

/* Main thread: the thread side follows the setting while wanted. */
static void want(struct gnome_dnd *g, bool wanted)
{
        if (g->once) {
                deliver(g, read_once(wanted));
                return;
        }
        pthread_mutex_lock(&hub.lock);
        if (hub.wanted != wanted) {
                hub.wanted = wanted;
                if (hub.ctx)
                        g_main_context_invoke(hub.ctx, apply, NULL);
        }
        /* Absent at once when not wanted (the thread may not run at all). */
        if (!wanted) {
                hub.value = VALUE_ABSENT;
                wake(g);
        }
        pthread_mutex_unlock(&hub.lock);
}

/* GetServerInformation's name: is gnome-shell the notification server? */
static int on_server(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        struct gnome_dnd *g = userdata;
        const char *name = NULL;

        g->call_slot = sd_bus_slot_unref(g->call_slot);
        if (sd_bus_message_is_method_error(reply, NULL) || sd_bus_message_read(reply, "s", &name) < 0)
                name = NULL;
        want(g, name && streq(name, "gnome-shell"));
        return 0;
}

static void ask_server(struct gnome_dnd *g, sd_bus *bus)
{
        int r;

        g->call_slot = sd_bus_slot_unref(g->call_slot);
        r = sdbus_ask(bus, &g->call_slot, N_NAME, N_PATH, N_NAME, "GetServerInformation", on_server, g,
                      QUIET_CALL_TIMEOUT, NULL);
        if (r < 0)
                want(g, false);
}

static void on_owner(void *userdata, const char *name, const char *new_owner)
{
        struct gnome_dnd *g = userdata;

        if (new_owner && *new_owner)
                ask_server(g, sd_bus_slot_get_bus(g->owner_slot));
        else
                want(g, false);
}

int gnome_dnd_new(sd_event *event, sd_bus *bus, bool once, quiet_changed_fn changed, void *userdata,
                  struct gnome_dnd **ret)
{
        struct gnome_dnd *g = xcalloc(1, sizeof(*g));
        int r;

        g->changed = changed;
        g->userdata = userdata;
        g->once = once;
        g->efd = -1;
        if (once) {
                *ret = g;
                ask_server(g, bus);
                return 0;
        }
        g->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (g->efd < 0) {
                r = -errno;
                free(g);
                return r;
        }
        r = sd_event_add_io(event, &g->source, g->efd, EPOLLIN, on_efd, g);
        if (r < 0) {
                close(g->efd);
                free(g);
                return r;
        }
        (void) sd_event_source_set_description(g->source, "gnome-dnd");
        pthread_mutex_lock(&hub.lock);
        hub.watcher = g;
        pthread_mutex_unlock(&hub.lock);
        r = sdbus_watch_name(bus, N_NAME, &g->owner_slot, on_owner, g, NULL);
        if (r < 0) {
                gnome_dnd_free(g);
                return r;
        }
        ask_server(g, bus);
        *ret = g;
        return 0;
}

void gnome_dnd_free(struct gnome_dnd *g)
{
        if (!g)
                return;
        pthread_mutex_lock(&hub.lock);
        if (hub.watcher == g)
                hub.watcher = NULL;
        pthread_mutex_unlock(&hub.lock);
        sd_bus_slot_unref(g->owner_slot);
        sd_bus_slot_unref(g->call_slot);
        sd_event_source_disable_unref(g->source);
        if (g->efd >= 0)
                close(g->efd);
        free(g);
}
