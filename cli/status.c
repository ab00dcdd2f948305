/* SPDX-License-Identifier: MIT */
/* limber status [--json] [--follow [--json | --format waybar]] */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "client.h"
#include "human.h"
#include "i18n.h"
#include "limber.h"
#include "localtime.h"
#include "util.h"
#include "value.h"
#include "words.h"

enum format {
        FORMAT_HUMAN,
        FORMAT_JSON,
        FORMAT_WAYBAR,
};

/* ---- text helpers ------------------------------------------------------------- */

/* The waybar format's durations, as they have always been: "12m", "1h5m",
 * "45s" (minutes once past a minute, so lines change rarely). Human output
 * uses human.h. */
static char *span(char buf[static DURATION_BUF], uint64_t usec)
{
        if (usec >= USEC_PER_MIN)
                usec = (usec + USEC_PER_MIN / 2) / USEC_PER_MIN * USEC_PER_MIN;
        else
                usec = (usec + USEC_PER_SEC / 2) / USEC_PER_SEC * USEC_PER_SEC;
        return format_duration(buf, usec);
}

static const char *color(const char *state)
{
        if (!use_color())
                return "";
        if (streq(state, "due"))
                return "\033[1;33m";
        if (streq(state, "on-break"))
                return "\033[1;32m";
        if (streq(state, "snoozed"))
                return "\033[36m";
        if (streq(state, "paused") || streq(state, "disabled"))
                return "\033[2m";
        return "";
}

static const char *reset(const char *c)
{
        return *c ? "\033[0m" : "";
}

/* The break to show first: one that is due, or the next to come. */
static const struct kind_status *next_break(const struct status *st)
{
        const struct kind_status *best = NULL;

        for (int i = 0; i < st->n_kinds; i++) {
                const struct kind_status *k = &st->kinds[i];
                if (!k->enabled || streq(k->state, "off-hours"))
                        continue;
                if (!best || kind_due_in(st, k) < kind_due_in(st, best))
                        best = k;
        }
        return best;
}

/* What a break is doing, for a person; waybar keeps its own older forms of
 * durations and times (waybar = true). */
static void kind_text(const struct status *st, const struct kind_status *k, char *buf, size_t size, bool waybar)
{
        char a[HUMAN_BUF], t[HUMAN_BUF];

#define DUR(usec) (waybar ? span(a, usec) : human_duration(a, usec))
#define WHEN(rt) (waybar ? format_clock(t, rt) : human_when(t, rt, st->now))
        /* The waybar format's tooltip is the same in every language. */
        if (!k->enabled)
                snprintf(buf, size, "%s", waybar ? "off" : C_("break state", "off"));
        else if (streq(k->state, "due"))
                snprintf(buf, size, "%s", waybar ? "due now" : _("due now"));
        else if (streq(k->state, "on-break") && k->break_ends)
                snprintf(buf, size, waybar ? "on a break, %s to go" : _("on a break, %s to go"), DUR(k->break_left));
        else if (streq(k->state, "on-break"))
                snprintf(buf, size, waybar ? "on a break, %s to go (paused while you type)"
                                           : _("on a break, %s to go (paused while you type)"),
                         DUR(k->break_left));
        else if (streq(k->state, "snoozed"))
                snprintf(buf, size, waybar ? "snoozed until %s" : _("snoozed until %s"), WHEN(k->snoozed_until));
        else if (streq(k->state, "paused"))
                snprintf(buf, size, "%s", waybar ? "paused" : C_("break state", "paused"));
        else if (streq(k->state, "off-hours"))
                snprintf(buf, size, "%s", waybar ? "off hours" : _("off hours"));
        else if (k->due_at)
                /* TRANSLATORS: a break is due in a duration ("20m"), at a time ("10:42"). */
                snprintf(buf, size, waybar ? "in %s (at %s)" : _("in %s (at %s)"), DUR(kind_due_in(st, k)),
                         WHEN(k->due_at));
        else
                snprintf(buf, size, waybar ? "in %s of activity" : _("in %s of activity"), DUR(kind_due_in(st, k)));
#undef DUR
#undef WHEN
}

/* ---- human ---------------------------------------------------------------------- */

/* What holds prompts back, by the daemon's name for the source. */
static const char *quiet_text(const char *source)
{
        static const struct {
                const char *id, *text;
        } sources[] = {
                { "inhibitor", N_("an application inhibits idle (a video, a presentation)") },
                { "kde", N_("do-not-disturb is on (KDE)") },
                { "dunst", N_("dunst is paused") },
                { "swaync", N_("do-not-disturb is on (SwayNotificationCenter)") },
                { "mako", N_("a do-not-disturb mode of mako is on (general.dnd-modes)") },
                { "xfce", N_("do-not-disturb is on (Xfce)") },
                { "gnome", N_("do-not-disturb is on (GNOME)") },
        };

        for (size_t i = 0; i < ELEMENTSOF(sources); i++)
                if (streq(source, sources[i].id))
                        return _(sources[i].text);
        return _("do-not-disturb or an idle inhibitor is on");
}

/* The daemon maps its monotonic deadlines to the wall clock, a few microseconds
 * either side: 08:29:59.999998 means 08:30:00. */
static uint64_t nearest_second(uint64_t rt)
{
        return (rt + USEC_PER_SEC / 2) / USEC_PER_SEC * USEC_PER_SEC;
}

static void print_human(const struct status *st)
{
        char a[HUMAN_BUF], t[HUMAN_BUF], text[128];

        human_duration(a, st->active_today);
        /* TRANSLATORS: the idle backend's name ("mutter"), then active time today ("2h 5m"). */
        if (streq(st->presence, "active"))
                printf(_("Active (idle backend: %s), %s active today\n"), st->backend, a);
        else if (streq(st->presence, "idle"))
                printf(_("Idle (idle backend: %s), %s active today\n"), st->backend, a);
        else if (streq(st->presence, "locked"))
                printf(_("Locked (idle backend: %s), %s active today\n"), st->backend, a);
        else if (streq(st->presence, "asleep"))
                printf(_("Asleep (idle backend: %s), %s active today\n"), st->backend, a);
        else
                printf("%s (idle backend: %s), %s active today\n", st->presence, st->backend, a);
        if (!st->in_work_hours) {
                if (st->work_hours_change)
                        printf(_("Off hours until %s: posture and movement breaks wait\n"),
                               human_when(t, st->work_hours_change, st->now));
                else
                        printf("%s\n", _("Off hours: posture and movement breaks wait"));
        }
        if (st->paused) {
                if (st->paused_until)
                        printf(_("Paused until %s; resume with 'limber resume'\n"), human_when(t, st->paused_until, st->now));
                else
                        printf("%s\n", _("Paused; resume with 'limber resume'"));
        }
        for (int i = 0; i < st->n_kinds; i++) {
                const struct kind_status *k = &st->kinds[i];
                const char *c = color(k->enabled ? k->state : "disabled");

                kind_text(st, k, text, sizeof(text), false);
                fputs("  ", stdout);
                print_cell(stdout, kind_label(k->kind), 9, false);
                printf(" %s%s%s", c, text, reset(c));
                if (k->enabled) {
                        fputs("   ", stdout);
                        /* TRANSLATORS: "every 20m, 3 snoozes left": the break's interval, snoozes left. */
                        printf(ngettext("every %s, %u snooze left", "every %s, %u snoozes left", k->snoozes_left),
                               human_duration(a, k->interval), k->snoozes_left);
                }
                putchar('\n');
        }
        if (st->flare_day && st->flare_day <= st->flare_days)
                printf(_("Flare day %u of %u: pacing quota and daily limit at %u%%\n"), st->flare_day, st->flare_days,
                       st->flare_scale);
        else if (st->flare_day)
                printf(_("Recovering after a flare: pacing at %u%% today (day %u of %u back to 100%%)\n"),
                       st->flare_scale, st->flare_day - st->flare_days, st->flare_recovery);
        if (st->daily_limit && st->limit_reached)
                printf(_("Daily limit %s: reached\n"), human_duration(a, st->daily_limit));
        else if (st->daily_limit)
                printf(_("Daily limit %s\n"), human_duration(a, st->daily_limit));
        if (st->quiet)
                printf(_("Prompts wait: %s\n"), quiet_text(st->quiet_source));
}

/* ---- JSON ------------------------------------------------------------------------- */

static json_object *iso_or_null(uint64_t rt)
{
        char buf[ISO_BUF];
        return rt ? json_object_new_string(format_iso_local(buf, nearest_second(rt))) : NULL;
}

static json_object *status_json(const struct status *st)
{
        json_object *o = json_object_new_object(), *breaks = json_object_new_array();

        json_object_object_add(o, "presence", json_object_new_string(st->presence));
        json_object_object_add(o, "presence_since", iso_or_null(st->presence_since));
        json_object_object_add(o, "backend", json_object_new_string(st->backend));
        json_object_object_add(o, "paused", json_object_new_boolean(st->paused));
        json_object_object_add(o, "paused_until", iso_or_null(st->paused_until));
        json_object_object_add(o, "active_today", json_object_new_int64((int64_t) (st->active_today / USEC_PER_SEC)));
        json_object_object_add(o, "flare", json_object_new_boolean(st->flare));
        json_object_object_add(o, "flare_day", st->flare_day ? json_object_new_int((int) st->flare_day) : NULL);
        json_object_object_add(o, "flare_days", json_object_new_int((int) st->flare_days));
        json_object_object_add(o, "flare_recovery", json_object_new_int((int) st->flare_recovery));
        json_object_object_add(o, "flare_scale", json_object_new_int((int) st->flare_scale));
        json_object_object_add(o, "quiet", json_object_new_boolean(st->quiet));
        json_object_object_add(o, "daily_limit",
                               st->daily_limit ? json_object_new_int64((int64_t) (st->daily_limit / USEC_PER_SEC)) : NULL);
        json_object_object_add(o, "limit_reached", json_object_new_boolean(st->limit_reached));
        json_object_object_add(o, "in_work_hours", json_object_new_boolean(st->in_work_hours));
        json_object_object_add(o, "work_hours_change", iso_or_null(st->work_hours_change));
        json_object_object_add(o, "quiet_source", st->quiet_source[0] ? json_object_new_string(st->quiet_source) : NULL);
        for (int i = 0; i < st->n_kinds; i++) {
                const struct kind_status *k = &st->kinds[i];
                json_object *b = json_object_new_object();

                json_object_object_add(b, "kind", json_object_new_string(k->kind));
                json_object_object_add(b, "state", json_object_new_string(k->enabled ? k->state : "disabled"));
                json_object_object_add(b, "worked", json_object_new_int64((int64_t) (k->worked / USEC_PER_SEC)));
                json_object_object_add(b, "interval", json_object_new_int64((int64_t) (k->interval / USEC_PER_SEC)));
                json_object_object_add(b, "duration", json_object_new_int64((int64_t) (k->duration / USEC_PER_SEC)));
                json_object_object_add(b, "due_in", k->enabled ? json_object_new_int64((int64_t) (kind_due_in(st, k) / USEC_PER_SEC)) : NULL);
                json_object_object_add(b, "due_at", iso_or_null(k->due_at));
                json_object_object_add(b, "snoozes_left", json_object_new_int((int) k->snoozes_left));
                json_object_object_add(b, "snoozed_until", iso_or_null(k->snoozed_until));
                json_object_array_add(breaks, b);
        }
        json_object_object_add(o, "breaks", breaks);
        return o;
}

/* waybar's custom module: {"text", "tooltip", "class", "percentage"}. Times
 * are absolute, so the line stays true until the next change. */
static json_object *waybar_json(const struct status *st, bool running)
{
        json_object *o = json_object_new_object();
        const struct kind_status *k = running ? next_break(st) : NULL;
        char text[96], tip[512], line[128], t[CLOCK_BUF], a[DURATION_BUF];
        const char *cls;
        int pct = 0;
        size_t n = 0;

        if (!running) {
                snprintf(text, sizeof(text), "limber off");
                snprintf(tip, sizeof(tip), "limberd is not running");
                cls = "stopped";
        } else if (st->paused) {
                snprintf(text, sizeof(text), "paused");
                cls = "paused";
        } else if (!k && !st->in_work_hours) {
                snprintf(text, sizeof(text), "off hours");
                cls = "off-hours";
        } else if (!k) {
                snprintf(text, sizeof(text), "no breaks");
                cls = "disabled";
        } else {
                cls = k->state;
                if (streq(k->state, "waiting") && k->due_at)
                        snprintf(text, sizeof(text), "%s %s", k->kind, format_clock(t, k->due_at));
                else if (streq(k->state, "waiting"))
                        snprintf(text, sizeof(text), "%s in %s", k->kind, span(a, kind_due_in(st, k)));
                else if (streq(k->state, "snoozed"))
                        snprintf(text, sizeof(text), "%s snoozed %s", k->kind, format_clock(t, k->snoozed_until));
                else
                        snprintf(text, sizeof(text), "%s %s", k->kind, k->state);
                if (k->interval)
                        pct = (int) (k->worked >= k->interval ? 100 : k->worked * 100 / k->interval);
        }
        if (running) {
                if (st->presence[0] != 'a')
                        cls = st->presence;
                tip[0] = '\0';
                for (int i = 0; i < st->n_kinds; i++) {
                        if (!st->kinds[i].enabled)
                                continue;
                        kind_text(st, &st->kinds[i], line, sizeof(line), true);
                        n += (size_t) snprintf(tip + n, sizeof(tip) - n, "%s%s: %s", n ? "\n" : "", st->kinds[i].kind,
                                               line);
                        if (n >= sizeof(tip))
                                n = sizeof(tip) - 1;
                }
                snprintf(tip + n, sizeof(tip) - n, "%s%s active today (%s)", n ? "\n" : "",
                         span(a, st->active_today), st->presence);
        }
        json_object_object_add(o, "text", json_object_new_string(text));
        json_object_object_add(o, "tooltip", json_object_new_string(tip));
        json_object_object_add(o, "class", json_object_new_string(cls));
        json_object_object_add(o, "percentage", json_object_new_int(pct));
        return o;
}

static char *render(const struct status *st, enum format f, bool running, bool follow)
{
        json_object *o;
        char *s;

        if (f == FORMAT_HUMAN) {
                char a[HUMAN_BUF], text[128];
                struct strbuf b = { 0 };

                if (!running)
                        return xstrdup(_("limberd is not running"));
                strbuf_printf(&b, "%s", st->paused ? C_("break state", "paused") : presence_label(st->presence));
                for (int i = 0; i < st->n_kinds; i++)
                        if (st->kinds[i].enabled) {
                                kind_text(st, &st->kinds[i], text, sizeof(text), false);
                                strbuf_printf(&b, "; %s %s", kind_label(st->kinds[i].kind), text);
                        }
                strbuf_printf(&b, "; ");
                strbuf_printf(&b, _("%s active today"), human_duration(a, st->active_today));
                (void) follow;
                return b.s;
        }
        o = f == FORMAT_WAYBAR ? waybar_json(st, running) : running ? status_json(st) : json_object_new_null();
        if (!o) /* json null */
                return xstrdup("null");
        s = xstrdup(json_object_to_json_string_ext(
                o, (follow || f == FORMAT_WAYBAR ? JSON_C_TO_STRING_PLAIN : JSON_C_TO_STRING_PRETTY) |
                           JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(o);
        return s;
}

/* ---- --follow ------------------------------------------------------------------------ */

struct follow {
        sd_bus *bus;
        enum format format;
        char *last;
        bool changed;
        bool running;
        int failed;
};

static int on_change(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        struct follow *f = userdata;
        f->changed = true;
        return 0;
}

static int on_owner(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        struct follow *f = userdata;
        const char *name, *old, *new;

        if (sd_bus_message_read(m, "sss", &name, &old, &new) >= 0) {
                f->running = new && *new;
                f->changed = true;
        }
        return 0;
}

static void emit(struct follow *f)
{
        struct status st = { 0 };
        char *line;

        f->changed = false;
        if (f->running) {
                _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
                sd_bus_error e = SD_BUS_ERROR_NULL;
                sd_bus_message *m = NULL;
                int r;

                /* Never start the daemon from a status bar: ask only if it runs. */
                r = sd_bus_message_new_method_call(f->bus, &m, LIMBER_BUS_NAME, LIMBER_BUS_PATH, LIMBER_BUS_IFACE,
                                                   "GetStatus");
                if (r >= 0)
                        r = sd_bus_message_set_auto_start(m, false);
                if (r >= 0)
                        r = sd_bus_call(f->bus, m, 0, &e, &reply);
                sd_bus_message_unref(m);
                sd_bus_error_free(&e);
                if (r < 0 || parse_status(reply, &st) < 0)
                        f->running = false;
        }
        line = render(&st, f->format, f->running, true);
        if (!streq(line, f->last)) {
                puts(line);
                fflush(stdout);
                free(f->last);
                f->last = line;
        } else {
                free(line);
        }
}

static int follow(enum format format)
{
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        struct follow f = { .format = format };
        sd_bus_slot *slots[4] = { 0 };
        int r;

        r = client_open(&bus);
        if (r < 0)
                return -r;
        f.bus = bus;
        r = sd_bus_match_signal(bus, &slots[0], LIMBER_BUS_NAME, LIMBER_BUS_PATH, "org.freedesktop.DBus.Properties",
                                "PropertiesChanged", on_change, &f);
        if (r >= 0)
                r = sd_bus_match_signal(bus, &slots[1], LIMBER_BUS_NAME, LIMBER_BUS_PATH, LIMBER_BUS_IFACE, NULL,
                                        on_change, &f);
        if (r >= 0)
                r = sd_bus_add_match(bus, &slots[2],
                                     "type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged',"
                                     "arg0='" LIMBER_BUS_NAME "'",
                                     on_owner, &f);
        if (r < 0) {
                cli_error(_("cannot follow limberd: %s"), strerror(-r));
                return EXIT_FAIL;
        }
        {
                _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
                int has = 0;
                if (sd_bus_call_method(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "NameHasOwner", NULL, &reply, "s", LIMBER_BUS_NAME) >= 0)
                        (void) sd_bus_message_read(reply, "b", &has);
                f.running = has;
        }
        emit(&f);
        /* Driven by signals: sleep until the bus has something, never poll. */
        for (;;) {
                r = sd_bus_process(bus, NULL);
                if (r < 0) {
                        cli_error(_("lost the session bus: %s"), strerror(-r));
                        break;
                }
                if (r > 0)
                        continue;
                if (f.changed)
                        emit(&f);
                r = sd_bus_wait(bus, UINT64_MAX);
                if (r < 0 && r != -EINTR) {
                        cli_error(_("lost the session bus: %s"), strerror(-r));
                        break;
                }
        }
        for (size_t i = 0; i < ELEMENTSOF(slots); i++)
                sd_bus_slot_unref(slots[i]);
        free(f.last);
        return EXIT_FAIL;
}

/* ---- the command ----------------------------------------------------------------- */

enum {
        OPT_JSON = 256,
        OPT_FORMAT,
};

static const struct cli_option status_options[] = {
        { OPT_JSON, "json", 0, NULL, NULL, N_("print JSON") },
        { 'f', "follow", 'f', NULL, NULL, N_("print one line, then a line for each change, until interrupted") },
        { OPT_FORMAT, "format", 0, "FORMAT", N_("a format (waybar or json)"), N_("with --follow: waybar or json") },
        {},
};

static const struct cli_command status_cmd = {
        .name = "status",
        .synopsis = "[--json] [--follow [--json | --format waybar]]",
        .summary = N_("What is due when, presence, and active time today."),
        .options = status_options,
};

int cmd_status(int argc, char **argv)
{
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        enum format format = FORMAT_HUMAN;
        struct status st;
        struct args a;
        bool follow_mode = false;
        char *s;
        int c, r;

        args_init(&a, &status_cmd, argc, argv);
        while ((c = args_next(&a)) > 0) {
                switch (c) {
                case OPT_JSON:
                        if (format == FORMAT_WAYBAR)
                                return usage_error(_("status: --json or --format waybar, not both"));
                        format = FORMAT_JSON;
                        break;
                case 'f':
                        follow_mode = true;
                        break;
                case OPT_FORMAT:
                        if (streq(a.value, "waybar") && format == FORMAT_JSON)
                                return usage_error(_("status: --json or --format waybar, not both"));
                        if (streq(a.value, "waybar"))
                                format = FORMAT_WAYBAR;
                        else if (streq(a.value, "json"))
                                format = FORMAT_JSON;
                        else
                                return usage_error(_("status: unknown format '%s' (use waybar or json)"), a.value);
                        break;
                }
        }
        if (c == ARGS_EXIT)
                return a.exit;
        if (a.n_pos > 0)
                return usage_error(_("status: unexpected argument '%s'"), a.pos[0]);
        if (format == FORMAT_WAYBAR && !follow_mode)
                return usage_error(_("status: --format waybar goes with --follow"));
        if (follow_mode)
                return follow(format);

        r = client_status(&bus, &st);
        if (r < 0)
                return -r;
        if (format == FORMAT_HUMAN) {
                print_human(&st);
                return EXIT_OK;
        }
        s = render(&st, format, true, false);
        puts(s);
        free(s);
        return EXIT_OK;
}
