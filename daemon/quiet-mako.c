/* SPDX-License-Identifier: MIT */
#include "quiet-mako.h"

#include <stdlib.h>
#include <string.h>

#include "bus-dict.h"
#include "dbus-util.h"
#include "log.h"
#include "util.h"

#define N_NAME     "org.freedesktop.Notifications"
#define MAKO_PATH  "/fr/emersion/Mako"
#define MAKO_IFACE "fr.emersion.Mako"

struct mako_dnd {
        sd_bus *bus;
        quiet_changed_fn changed;
        void *userdata;
        char *modes;    /* general.dnd-modes, "a, b" */
        bool present;   /* the notification server is mako */
        bool announces; /* it has the Modes property (mako ≥ 1.10) */
        bool answered, on;
        sd_bus_slot *owner_slot, *props_slot, *prompt_slot, *call_slot;
};

static void report(struct mako_dnd *m, bool on)
{
        bool first = !m->answered;

        m->answered = true;
        if (first || on != m->on) {
                m->on = on;
                m->changed(m->userdata, on);
        }
}

/* Is name one of general.dnd-modes? */
static bool is_dnd_mode(const struct mako_dnd *m, const char *name)
{
        size_t len = strlen(name);

        for (const char *p = m->modes; p && *p;) {
                size_t n = strcspn(p, ", ");
                if (n == len && strncmp(p, name, n) == 0)
                        return true;
                p += n;
                p += strspn(p, ", ");
        }
        return false;
}

/* The active modes (as) at m's position: is one of them do-not-disturb? */
static int read_modes(struct mako_dnd *m, sd_bus_message *msg, bool *ret)
{
        const char *mode;
        int r;

        *ret = false;
        r = sd_bus_message_enter_container(msg, 'a', "s");
        while (r > 0 && (r = sd_bus_message_read(msg, "s", &mode)) > 0)
                if (is_dnd_mode(m, mode)) {
                        log_debug("mako's mode %s means do-not-disturb", mode);
                        *ret = true;
                }
        return r;
}

static int on_modes(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        struct mako_dnd *m = userdata;
        bool on;

        m->call_slot = sd_bus_slot_unref(m->call_slot);
        if (sd_bus_message_is_method_error(reply, NULL) || read_modes(m, reply, &on) < 0) {
                m->present = false; /* not mako, or not any more */
                report(m, false);
                return 0;
        }
        m->present = true;
        report(m, on);
        return 0;
}

static void ask(struct mako_dnd *m)
{
        int r;

        m->call_slot = sd_bus_slot_unref(m->call_slot);
        r = sdbus_ask(m->bus, &m->call_slot, N_NAME, MAKO_PATH, MAKO_IFACE, "ListModes", on_modes, m,
                      QUIET_CALL_TIMEOUT, NULL);
        if (r < 0) {
                log_debug_errno(r, "cannot ask mako for its modes");
                report(m, false);
        }
}

/* Whether this mako announces its modes: Modes answers (mako ≥ 1.10). */
static int on_probe(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        struct mako_dnd *m = userdata;
        bool on;

        m->call_slot = sd_bus_slot_unref(m->call_slot);
        if (!sd_bus_message_is_method_error(reply, NULL) && sd_bus_message_enter_container(reply, 'v', "as") > 0 &&
            read_modes(m, reply, &on) >= 0) {
                m->present = m->announces = true;
                report(m, on);
                return 0;
        }
        /* An older mako answers ListModes only; another server, neither. */
        m->announces = false;
        ask(m);
        return 0;
}

static void probe(struct mako_dnd *m)
{
        int r;

        m->call_slot = sd_bus_slot_unref(m->call_slot);
        r = sdbus_ask(m->bus, &m->call_slot, N_NAME, MAKO_PATH, "org.freedesktop.DBus.Properties", "Get", on_probe, m,
                      QUIET_CALL_TIMEOUT, "ss", MAKO_IFACE, "Modes");
        if (r < 0) {
                log_debug_errno(r, "cannot ask mako for its modes");
                report(m, false);
        }
}

static void on_owner(void *userdata, const char *name, const char *new_owner)
{
        struct mako_dnd *m = userdata;

        m->present = m->announces = false;
        if (new_owner && *new_owner)
                probe(m);
        else
                report(m, false);
}

static int on_props_changed(sd_bus_message *msg, void *userdata, sd_bus_error *ret_error)
{
        struct mako_dnd *m = userdata;
        const char *iface;

        if (sd_bus_message_read(msg, "s", &iface) >= 0 && streq(iface, MAKO_IFACE))
                ask(m); /* Modes changed or was invalidated */
        return 0;
}

/* A prompt shows: a mako that announces nothing is asked now. */
static int on_prompt(sd_bus_message *msg, void *userdata, sd_bus_error *ret_error)
{
        struct mako_dnd *m = userdata;

        if (m->present && !m->announces)
                ask(m);
        return 0;
}

int mako_dnd_new(sd_bus *bus, const char *modes, quiet_changed_fn changed, void *userdata, struct mako_dnd **ret)
{
        struct mako_dnd *m = xcalloc(1, sizeof(*m));
        const char *self = NULL;
        int r;

        m->bus = bus;
        m->changed = changed;
        m->userdata = userdata;
        m->modes = xstrdup(modes ? modes : "");
        r = sdbus_watch_name(bus, N_NAME, &m->owner_slot, on_owner, m, NULL);
        if (r >= 0)
                r = sd_bus_match_signal_async(bus, &m->props_slot, N_NAME, MAKO_PATH, "org.freedesktop.DBus.Properties",
                                              "PropertiesChanged", on_props_changed, NULL, m);
        /* Our own announcement of a prompt, as any client sees it. */
        if (r >= 0 && sd_bus_get_unique_name(bus, &self) >= 0)
                r = sd_bus_match_signal_async(bus, &m->prompt_slot, self, LIMBER_BUS_PATH, LIMBER_BUS_IFACE, "BreakDue",
                                              on_prompt, NULL, m);
        if (r < 0) {
                mako_dnd_free(m);
                return r;
        }
        probe(m);
        *ret = m;
        return 0;
}

void mako_dnd_set_modes(struct mako_dnd *m, const char *modes)
{
        if (!m || streq(modes, m->modes))
                return;
        free(m->modes);
        m->modes = xstrdup(modes ? modes : "");
        if (m->present)
                ask(m);
}

void mako_dnd_free(struct mako_dnd *m)
{
        if (!m)
                return;
        sd_bus_slot_unref(m->owner_slot);
        sd_bus_slot_unref(m->props_slot);
        sd_bus_slot_unref(m->prompt_slot);
        sd_bus_slot_unref(m->call_slot);
        free(m->modes);
        free(m);
}
