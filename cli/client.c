/* SPDX-License-Identifier: MIT */
#include "client.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "limber.h"
#include "util.h"

static const struct {
        const char *name;
        int code;
} named_errors[] = {
        { "org.limber.Limber1.Error.NotDue", EXIT_NOT_DUE },
        { "org.limber.Limber1.Error.SnoozeLimit", EXIT_SNOOZE_LIMIT },
        { "org.limber.Limber1.Error.NotSkippable", EXIT_NOT_SKIPPABLE },
        { "org.limber.Limber1.Error.Locked", EXIT_LOCKED },
        { "org.limber.Limber1.Error.BadPolicy", EXIT_BAD_POLICY },
        { "org.limber.Limber1.Error.Disabled", EXIT_DISABLED },
};

static const char not_running[] =
        "limber: limberd is not running. Start it with 'systemctl --user start limberd' "
        "(or run 'limberd' in your graphical session).\n";

int client_open(sd_bus **ret)
{
        int r = sd_bus_open_user(ret);

        if (r < 0) {
                fprintf(stderr, "limber: cannot reach the session bus (%s).\n%s", strerror(-r), not_running);
                return -EXIT_NO_DAEMON;
        }
        return 0;
}

int client_error(const sd_bus_error *e, int r)
{
        if (e && sd_bus_error_is_set(e)) {
                for (size_t i = 0; i < ELEMENTSOF(named_errors); i++)
                        if (streq(e->name, named_errors[i].name)) {
                                fprintf(stderr, "limber: %s\n", e->message ? e->message : e->name);
                                return named_errors[i].code;
                        }
                if (sd_bus_error_has_names(e, SD_BUS_ERROR_SERVICE_UNKNOWN, SD_BUS_ERROR_NAME_HAS_NO_OWNER,
                                           "org.freedesktop.DBus.Error.Spawn.ChildExited",
                                           "org.freedesktop.DBus.Error.Spawn.ExecFailed",
                                           "org.freedesktop.systemd1.NoSuchUnit", SD_BUS_ERROR_DISCONNECTED) ||
                    startswith(e->name, "org.freedesktop.DBus.Error.Spawn.")) {
                        fputs(not_running, stderr);
                        return EXIT_NO_DAEMON;
                }
                if (streq(e->name, SD_BUS_ERROR_INVALID_ARGS)) {
                        fprintf(stderr, "limber: %s\n", e->message);
                        return EXIT_FAIL;
                }
                fprintf(stderr, "limber: %s (%s)\n", e->message ? e->message : "the call failed", e->name);
                return EXIT_FAIL;
        }
        if (r == -ECONNREFUSED || r == -ENOENT || r == -ENOTCONN || r == -ECONNRESET) {
                fputs(not_running, stderr);
                return EXIT_NO_DAEMON;
        }
        fprintf(stderr, "limber: the call to limberd failed: %s\n", strerror(r < 0 ? -r : r));
        return EXIT_FAIL;
}

int client_call(sd_bus *bus, const char *method, sd_bus_message **reply, const char *types, ...)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        sd_bus_error e = SD_BUS_ERROR_NULL;
        va_list ap;
        int r;

        r = sd_bus_message_new_method_call(bus, &m, LIMBER_BUS_NAME, LIMBER_BUS_PATH, LIMBER_BUS_IFACE, method);
        if (r >= 0 && types && *types) {
                va_start(ap, types);
                r = sd_bus_message_appendv(m, types, ap);
                va_end(ap);
        }
        if (r >= 0)
                r = sd_bus_call(bus, m, 0, &e, reply);
        if (r < 0) {
                r = -client_error(&e, r);
                sd_bus_error_free(&e);
                return r;
        }
        return 0;
}

static void copy_str(char *dst, size_t size, const char *src)
{
        snprintf(dst, size, "%s", src ? src : "");
}

static int parse_kind(sd_bus_message *m, struct kind_status *k)
{
        int r = sd_bus_message_enter_container(m, 'a', "{sv}");

        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
                const char *key, *s;
                uint64_t t;
                uint32_t u;
                int b;

                r = sd_bus_message_read(m, "s", &key);
                if (r < 0)
                        return r;
#define T(name, field) else if (streq(key, name)) r = sd_bus_message_read(m, "v", "t", &t), k->field = t
#define U(name, field) else if (streq(key, name)) r = sd_bus_message_read(m, "v", "u", &u), k->field = u
                if (streq(key, "enabled"))
                        r = sd_bus_message_read(m, "v", "b", &b), k->enabled = b;
                else if (streq(key, "state"))
                        r = sd_bus_message_read(m, "v", "s", &s), copy_str(k->state, sizeof(k->state), s);
                T("worked", worked);
                T("interval", interval);
                T("duration", duration);
                T("due_at", due_at);
                T("due_since", due_since);
                T("snoozed_until", snoozed_until);
                T("break_ends", break_ends);
                T("break_left", break_left);
                U("snoozes_left", snoozes_left);
                U("prompts", prompts);
                else r = sd_bus_message_skip(m, "v");
#undef T
#undef U
                if (r < 0)
                        return r;
                r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(m);
}

static int parse_breaks(sd_bus_message *m, struct status *st)
{
        int r = sd_bus_message_enter_container(m, 'a', "{sa{sv}}");

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
                copy_str(k->kind, sizeof(k->kind), name);
                r = parse_kind(m, k);
                if (r < 0)
                        return r;
                r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(m);
}

int parse_status(sd_bus_message *m, struct status *st)
{
        int r;

        *st = (struct status) { .flare_scale = 100 };
        r = sd_bus_message_enter_container(m, 'a', "{sv}");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
                const char *key, *s;
                uint64_t t;
                uint32_t u;
                int b;

                r = sd_bus_message_read(m, "s", &key);
                if (r < 0)
                        return r;
#define T(name, field) else if (streq(key, name)) r = sd_bus_message_read(m, "v", "t", &t), st->field = t
#define U(name, field) else if (streq(key, name)) r = sd_bus_message_read(m, "v", "u", &u), st->field = u
#define B(name, field) else if (streq(key, name)) r = sd_bus_message_read(m, "v", "b", &b), st->field = b
                if (streq(key, "presence"))
                        r = sd_bus_message_read(m, "v", "s", &s), copy_str(st->presence, sizeof(st->presence), s);
                else if (streq(key, "backend"))
                        r = sd_bus_message_read(m, "v", "s", &s), copy_str(st->backend, sizeof(st->backend), s);
                else if (streq(key, "breaks")) {
                        r = sd_bus_message_enter_container(m, 'v', "a{sa{sv}}");
                        if (r >= 0)
                                r = parse_breaks(m, st);
                        if (r >= 0)
                                r = sd_bus_message_exit_container(m);
                }
                T("now", now);
                T("presence_since", presence_since);
                T("paused_until", paused_until);
                T("active_today", active_today);
                T("daily_limit", daily_limit);
                B("paused", paused);
                B("flare", flare);
                B("quiet", quiet);
                B("counting", counting);
                B("limit_reached", limit_reached);
                U("flare_day", flare_day);
                U("flare_days", flare_days);
                U("flare_recovery", flare_recovery);
                U("flare_scale", flare_scale);
                else r = sd_bus_message_skip(m, "v");
#undef T
#undef U
#undef B
                if (r < 0)
                        return r;
                r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(m);
}

int client_status(sd_bus *bus, struct status *ret)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        int r;

        r = client_call(bus, "GetStatus", &reply, NULL);
        if (r < 0)
                return r;
        r = parse_status(reply, ret);
        if (r < 0) {
                fprintf(stderr, "limber: cannot read limberd's status: %s\n", strerror(-r));
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
