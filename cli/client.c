/* SPDX-License-Identifier: MIT */
#include "client.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "limber.h"
#include "util.h"

static const struct {
        const char *name;
        int code;
} named_errors[] = {
        { LIMBER_BUS_ERROR("NotDue"), EXIT_NOT_DUE },
        { LIMBER_BUS_ERROR("SnoozeLimit"), EXIT_SNOOZE_LIMIT },
        { LIMBER_BUS_ERROR("NotSkippable"), EXIT_NOT_SKIPPABLE },
        { LIMBER_BUS_ERROR("Locked"), EXIT_LOCKED },
        { LIMBER_BUS_ERROR("BadPolicy"), EXIT_BAD_POLICY },
        { LIMBER_BUS_ERROR("Disabled"), EXIT_DISABLED },
};

static void not_running(void)
{
        cli_error("%s", _("limberd is not running. Start it with 'systemctl --user start limberd' "
                          "(or run 'limberd' in your graphical session)."));
}

int client_open(sd_bus **ret)
{
        int r = sd_bus_open_user(ret);

        if (r < 0) {
                cli_error(_("cannot reach the session bus (%s)."), strerror(-r));
                not_running();
                return -EXIT_NO_DAEMON;
        }
        return 0;
}

int client_error(const sd_bus_error *e, int r)
{
        if (e && sd_bus_error_is_set(e)) {
                for (size_t i = 0; i < ELEMENTSOF(named_errors); i++)
                        if (streq(e->name, named_errors[i].name)) {
                                cli_error("%s", e->message ? e->message : e->name);
                                return named_errors[i].code;
                        }
                if (sd_bus_error_has_names(e, SD_BUS_ERROR_SERVICE_UNKNOWN, SD_BUS_ERROR_NAME_HAS_NO_OWNER,
                                           "org.freedesktop.DBus.Error.Spawn.ChildExited",
                                           "org.freedesktop.DBus.Error.Spawn.ExecFailed",
                                           "org.freedesktop.systemd1.NoSuchUnit", SD_BUS_ERROR_DISCONNECTED) ||
                    startswith(e->name, "org.freedesktop.DBus.Error.Spawn.")) {
                        not_running();
                        return EXIT_NO_DAEMON;
                }
                if (streq(e->name, SD_BUS_ERROR_INVALID_ARGS)) {
                        cli_error("%s", e->message);
                        return EXIT_FAIL;
                }
                cli_error("%s (%s)", e->message ? e->message : _("the call failed"), e->name);
                return EXIT_FAIL;
        }
        if (r == -ECONNREFUSED || r == -ENOENT || r == -ENOTCONN || r == -ECONNRESET) {
                not_running();
                return EXIT_NO_DAEMON;
        }
        cli_error(_("the call to limberd failed: %s"), strerror(r < 0 ? -r : r));
        return EXIT_FAIL;
}

int client_call(sd_bus **bus, const char *method, sd_bus_message **reply, const char *types, ...)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        sd_bus_error e = SD_BUS_ERROR_NULL;
        va_list ap;
        int r;

        if (!*bus) {
                r = client_open(bus);
                if (r < 0)
                        return r;
        }
        r = sd_bus_message_new_method_call(*bus, &m, LIMBER_BUS_NAME, LIMBER_BUS_PATH, LIMBER_BUS_IFACE, method);
        if (r >= 0 && types && *types) {
                va_start(ap, types);
                r = sd_bus_message_appendv(m, types, ap);
                va_end(ap);
        }
        if (r >= 0)
                r = sd_bus_call(*bus, m, 0, &e, reply);
        if (r < 0) {
                r = -client_error(&e, r);
                sd_bus_error_free(&e);
                return r;
        }
        return 0;
}

/* The members of GetStatus's dictionaries this CLI reads, by D-Bus type;
 * members it does not know are skipped, so limberd may add more. */
struct field {
        const char *key;
        char type; /* 'b': bool, 's': char[size], 't': uint64_t, 'u': uint32_t */
        size_t offset, size;
};

#define FIELD(type, st, member) { #member, type, offsetof(st, member), sizeof(((st *) NULL)->member) }

static const struct field kind_fields[] = {
        FIELD('b', struct kind_status, enabled),
        FIELD('s', struct kind_status, state),
        FIELD('t', struct kind_status, worked),
        FIELD('t', struct kind_status, interval),
        FIELD('t', struct kind_status, duration),
        FIELD('t', struct kind_status, due_at),
        FIELD('t', struct kind_status, due_since),
        FIELD('t', struct kind_status, snoozed_until),
        FIELD('t', struct kind_status, break_ends),
        FIELD('t', struct kind_status, break_left),
        FIELD('u', struct kind_status, snoozes_left),
        FIELD('u', struct kind_status, prompts),
};

static const struct field status_fields[] = {
        FIELD('t', struct status, now),
        FIELD('s', struct status, presence),
        FIELD('t', struct status, presence_since),
        FIELD('s', struct status, backend),
        FIELD('b', struct status, paused),
        FIELD('t', struct status, paused_until),
        FIELD('t', struct status, active_today),
        FIELD('t', struct status, daily_limit),
        FIELD('b', struct status, flare),
        FIELD('b', struct status, quiet),
        FIELD('b', struct status, counting),
        FIELD('b', struct status, limit_reached),
        FIELD('b', struct status, in_work_hours),
        FIELD('t', struct status, work_hours_change),
        FIELD('s', struct status, quiet_source),
        FIELD('u', struct status, flare_day),
        FIELD('u', struct status, flare_days),
        FIELD('u', struct status, flare_recovery),
        FIELD('u', struct status, flare_scale),
};

/* Reads the variant at m into the member of base that key names; 1 when
 * read, 0 when key is not among fields. */
static int read_field(sd_bus_message *m, const char *key, const struct field *fields, size_t n, void *base)
{
        for (size_t i = 0; i < n; i++) {
                const struct field *f = &fields[i];
                char *p = (char *) base + f->offset;
                const char *s;
                int b, r;

                if (!streq(key, f->key))
                        continue;
                switch (f->type) {
                case 'b':
                        r = sd_bus_message_read(m, "v", "b", &b);
                        *(bool *) p = r >= 0 && b;
                        break;
                case 's':
                        r = sd_bus_message_read(m, "v", "s", &s);
                        snprintf(p, f->size, "%s", r >= 0 && s ? s : "");
                        break;
                case 't':
                        r = sd_bus_message_read(m, "v", "t", (uint64_t *) p);
                        break;
                default:
                        r = sd_bus_message_read(m, "v", "u", (uint32_t *) p);
                        break;
                }
                return r < 0 ? r : 1;
        }
        return 0;
}

static int kind_field(sd_bus_message *m, const char *key, void *userdata)
{
        return read_field(m, key, kind_fields, ELEMENTSOF(kind_fields), userdata);
}

/* "breaks": a{sa{sv}}, one dictionary per kind. */
static int read_breaks(sd_bus_message *m, struct status *st)
{
        int r = sd_bus_message_enter_container(m, 'v', "a{sa{sv}}");

        if (r >= 0)
                r = sd_bus_message_enter_container(m, 'a', "{sa{sv}}");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(m, 'e', "sa{sv}")) > 0) {
                struct kind_status *k;
                const char *name;

                r = sd_bus_message_read(m, "s", &name);
                if (r < 0)
                        return r;
                if (st->n_kinds >= (int) ELEMENTSOF(st->kinds))
                        return -E2BIG;
                k = &st->kinds[st->n_kinds++];
                snprintf(k->kind, sizeof(k->kind), "%s", name);
                r = sdbus_read_dict(m, kind_field, k);
                if (r < 0)
                        return r;
                r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
        }
        if (r >= 0)
                r = sd_bus_message_exit_container(m);
        if (r >= 0)
                r = sd_bus_message_exit_container(m);
        return r < 0 ? r : 1;
}

static int status_field(sd_bus_message *m, const char *key, void *userdata)
{
        if (streq(key, "breaks"))
                return read_breaks(m, userdata);
        return read_field(m, key, status_fields, ELEMENTSOF(status_fields), userdata);
}

int parse_status(sd_bus_message *m, struct status *st)
{
        *st = (struct status) { .in_work_hours = true, .flare_scale = 100 };
        return sdbus_read_dict(m, status_field, st);
}

int client_status(sd_bus **bus, struct status *ret)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        int r;

        r = client_call(bus, "GetStatus", &reply, NULL);
        if (r < 0)
                return r;
        r = parse_status(reply, ret);
        if (r < 0) {
                cli_error(_("cannot read limberd's status: %s"), strerror(-r));
                return -EXIT_FAIL;
        }
        return 0;
}

uint64_t kind_due_in(const struct status *st, const struct kind_status *k)
{
        if (streq(k->state, "due") || streq(k->state, "on-break"))
                return 0;
        if (streq(k->state, "snoozed"))
                return k->snoozed_until > st->now ? k->snoozed_until - st->now : 0;
        return k->interval > k->worked ? k->interval - k->worked : 0;
}
