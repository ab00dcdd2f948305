/* SPDX-License-Identifier: MIT */
/*
 * The tray icon (tray.h): the StatusNotifierItem, following the watcher,
 * and what the menu's entries do.
 *
 * Hosts (waybar, KDE, the AppIndicator extension) read the properties when
 * the item registers and again after a New* signal, so the signals say when
 * what the properties show has changed: the icon and status with the state,
 * the tooltip with anything it names apart from time passing (it says
 * "posture break in 12m, at 14:32": the clock time stays true while the
 * minutes are read afresh when asked).
 */
#include "tray.h"

#include <stdarg.h>
#include <stdlib.h>

#include "dbus-util.h"
#include "human.h"
#include "i18n.h"
#include "localtime.h"
#include "log.h"
#include "policy.h"
#include "status.h"
#include "tray-menu.h"
#include "util.h"
#include "value.h"

#define WATCHER_NAME  "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH  "/StatusNotifierWatcher"
#define WATCHER_IFACE "org.kde.StatusNotifierWatcher"
#define ITEM_PATH     "/StatusNotifierItem"
#define ITEM_IFACE    "org.kde.StatusNotifierItem"

enum look {
        LOOK_NORMAL,
        LOOK_DUE,
        LOOK_BREAK,
        LOOK_PAUSED,
        LOOK_FLARE,
};

static const char *const icon_names[] = { "limber", "limber-due", "limber-break", "limber-paused", "limber-flare" };

/* What the item's signals last announced: the icon, and what the tooltip says
 * apart from time passing. */
struct shown {
        enum look look; /* LOOK_PAUSED: paused */
        bool flare, counting, in_hours;
        unsigned flare_day, flare_days, flare_scale;
        uint64_t paused_until, daily_limit, hours_change;
        struct {
                bool enabled;
                enum break_state state;
                uint64_t due_at, snoozed_until;
        } k[N_KINDS];
};

struct tray {
        sd_bus *bus;
        const struct tray_callbacks *cb;
        void *userdata;
        enum tray_choice mode;

        sd_bus_slot *follow;        /* NameOwnerChanged of the watcher's name, unless mode is no */
        sd_bus_slot *probe;         /* GetNameOwner in flight */
        sd_bus_slot *register_call; /* RegisterStatusNotifierItem in flight */
        char *watcher;              /* its unique name; NULL: none */

        sd_bus_slot *item; /* exported while there is a watcher */
        struct tray_menu *menu;
        struct shown shown;
};

/* ---- what the item shows ------------------------------------------------------------- */

static bool pacing_on(const struct daemon_status *ds)
{
        return ds->kinds[KIND_PACING].enabled;
}

static enum look look_of(const struct daemon_status *ds)
{
        bool due = false, on_break = false;

        if (ds->paused)
                return LOOK_PAUSED;
        for (int k = 0; k < N_KINDS; k++) {
                due = due || ds->kinds[k].state == BREAK_DUE;
                on_break = on_break || ds->kinds[k].state == BREAK_ON_BREAK;
        }
        if (on_break)
                return LOOK_BREAK;
        if (due)
                return LOOK_DUE;
        return ds->flare && pacing_on(ds) ? LOOK_FLARE : LOOK_NORMAL;
}

static const char *status_of(enum look look)
{
        return look == LOOK_DUE ? "NeedsAttention" : "Active";
}

static void shown_of(const struct daemon_status *ds, struct shown *ret)
{
        *ret = (struct shown){
                .look = look_of(ds),
                .flare = ds->flare,
                .counting = ds->counting,
                .in_hours = ds->in_hours,
                .flare_day = ds->flare_day,
                .flare_days = ds->flare_days,
                .flare_scale = ds->flare_scale,
                .paused_until = ds->paused_until,
                .daily_limit = ds->daily_limit,
                .hours_change = ds->hours_change,
        };
        for (int k = 0; k < N_KINDS; k++) {
                ret->k[k].enabled = ds->kinds[k].enabled;
                ret->k[k].state = ds->kinds[k].state;
                ret->k[k].due_at = ds->kinds[k].due_at;
                ret->k[k].snoozed_until = ds->kinds[k].snoozed_until;
        }
}

static bool tooltip_differs(const struct shown *a, const struct shown *b)
{
        if (a->look != b->look || a->flare != b->flare || a->counting != b->counting || a->in_hours != b->in_hours ||
            a->flare_day != b->flare_day || a->flare_days != b->flare_days || a->flare_scale != b->flare_scale ||
            status_instants_differ(a->paused_until, b->paused_until) || a->daily_limit != b->daily_limit ||
            status_instants_differ(a->hours_change, b->hours_change))
                return true;
        for (int k = 0; k < N_KINDS; k++)
                if (a->k[k].enabled != b->k[k].enabled || a->k[k].state != b->k[k].state ||
                    status_instants_differ(a->k[k].due_at, b->k[k].due_at) ||
                    status_instants_differ(a->k[k].snoozed_until, b->k[k].snoozed_until))
                        return true;
        return false;
}

/* The tooltip's lines per kind, whole sentences so that each reads well in
 * every language. */
static const char *const due_now[N_KINDS] = { N_("Posture break due now"), N_("Movement break due now"),
                                              N_("Pacing rest due now") };
/* TRANSLATORS: %s is how long is left, as "4m 30s". */
static const char *const on_break[N_KINDS] = { N_("On a posture break: %s away from the screen to go"),
                                               N_("On a movement break: %s away from the screen to go"),
                                               N_("Resting: %s away from the screen to go") };
/* TRANSLATORS: %s is a time of day, as "14:05". */
static const char *const snoozed[N_KINDS] = { N_("Posture break snoozed until %s"),
                                              N_("Movement break snoozed until %s"),
                                              N_("Pacing rest snoozed until %s") };
/* TRANSLATORS: how long until the break, as "20m", and the time of day it comes, as "14:05". */
static const char *const due_in[N_KINDS] = { N_("Posture break in %s, at %s"), N_("Movement break in %s, at %s"),
                                             N_("Pacing rest in %s, at %s") };
/* TRANSLATORS: the active time left before the break, as "20m"; time away does not count. */
static const char *const due_after[N_KINDS] = { N_("Posture break after %s more at the screen"),
                                                N_("Movement break after %s more at the screen"),
                                                N_("Pacing rest after %s more at the screen") };

/* snprintf with a translated format, from the tables above. */
static void say(char *line, size_t size, const char *format, ...)
{
        va_list ap;

        va_start(ap, format);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        vsnprintf(line, size, _(format), ap);
#pragma GCC diagnostic pop
        va_end(ap);
}

/* One line about a kind; its place in time order goes to *when (0: now). */
static bool describe_kind(const struct daemon_status *ds, int k, char *line, size_t size, uint64_t *when)
{
        const struct shown_kind *ks = &ds->kinds[k];
        uint64_t left = ks->interval > ks->worked ? ks->interval - ks->worked : 0;
        char d[HUMAN_BUF], c[HUMAN_BUF];

        *when = 0;
        switch (ks->state) {
        case BREAK_DUE:
                say(line, size, due_now[k]);
                return true;
        case BREAK_ON_BREAK:
                say(line, size, on_break[k], human_duration(d, ks->break_left));
                return true;
        case BREAK_SNOOZED:
                *when = ks->snoozed_until;
                say(line, size, snoozed[k], human_clock(c, ks->snoozed_until));
                return true;
        case BREAK_WAITING:
                *when = ks->due_at ? ks->due_at : ds->now + left;
                if (ks->due_at)
                        say(line, size, due_in[k], human_duration(d, left), human_clock(c, ks->due_at));
                else
                        say(line, size, due_after[k], human_duration(d, left));
                return true;
        default:
                return false;
        }
}

/* The status in words: a first line (what comes next) and the rest. */
static void describe(const struct daemon_status *ds, char *first, size_t first_size, struct strbuf *rest)
{
        char lines[N_KINDS][128], d[HUMAN_BUF], l[HUMAN_BUF], c[HUMAN_BUF];
        uint64_t when[N_KINDS];
        int order[N_KINDS], n = 0;

        for (int k = 0; k < N_KINDS && !ds->paused; k++) {
                uint64_t w;
                int i;
                if (!describe_kind(ds, k, lines[k], sizeof(lines[k]), &w))
                        continue;
                when[k] = w;
                for (i = n; i > 0 && when[order[i - 1]] > w; i--)
                        order[i] = order[i - 1];
                order[i] = k;
                n++;
        }
        if (!ds->paused && !ds->in_hours && ds->hours_change)
                /* TRANSLATORS: a time, as "17:30" or "Mon 08:30". */
                snprintf(first, first_size, _("Outside working hours until %s"),
                         human_when(c, ds->hours_change, ds->now));
        else if (!ds->paused && !ds->in_hours)
                snprintf(first, first_size, "%s", _("Outside working hours"));
        else if (ds->paused && ds->paused_until)
                snprintf(first, first_size, _("Breaks paused until %s"), human_when(c, ds->paused_until, ds->now));
        else if (ds->paused)
                snprintf(first, first_size, "%s", _("Breaks paused until you resume"));
        else if (n)
                snprintf(first, first_size, "%s%s", ds->kinds[order[0]].state == BREAK_WAITING ? _("Next: ") : "",
                         lines[order[0]]);
        else
                snprintf(first, first_size, "%s", _("No breaks are on"));
        /* Outside working hours the first line says so; pacing may still count. */
        for (int i = !ds->paused && !ds->in_hours ? 0 : 1; i < n; i++)
                strbuf_printf(rest, "%s\n", lines[order[i]]);
        if (ds->active_today < USEC_PER_MIN)
                strbuf_printf(rest, "%s", _("Active today: under a minute"));
        else
                strbuf_printf(rest, _("Active today: %s"), human_duration(d, ds->active_today));
        if (ds->daily_limit)
                /* TRANSLATORS: follows "Active today: 2h 10m". */
                strbuf_printf(rest, _(" of a daily limit of %s"), human_duration(l, ds->daily_limit));
        if (ds->flare && pacing_on(ds) && ds->flare_day && ds->flare_day <= ds->flare_days) {
                strbuf_printf(rest, "\n");
                /* TRANSLATORS: the day of a flare plan, its days, and the share of the usual pacing quota. */
                strbuf_printf(rest, _("Flare day %u of %u: pacing at %u%%"), ds->flare_day, ds->flare_days,
                              ds->flare_scale);
        } else if (ds->flare && pacing_on(ds) && ds->flare_day) {
                strbuf_printf(rest, "\n");
                strbuf_printf(rest, _("Recovering after a flare: pacing at %u%% today"), ds->flare_scale);
        }
}

/* ---- the item's properties and methods ----------------------------------------------- */

#define CONST_PROPERTY(fn, type, value)                                                                                \
        static int fn(sd_bus *bus, const char *path, const char *interface, const char *property,                      \
                      sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)                                  \
        {                                                                                                              \
                return sd_bus_message_append(reply, type, value);                                                      \
        }

CONST_PROPERTY(prop_category, "s", "ApplicationStatus")
CONST_PROPERTY(prop_id, "s", "limber")
CONST_PROPERTY(prop_title, "s", "limber")
CONST_PROPERTY(prop_window_id, "i", 0)
CONST_PROPERTY(prop_empty_string, "s", "")
CONST_PROPERTY(prop_no_pixmap, "a(iiay)", 0)
CONST_PROPERTY(prop_attention_icon, "s", "limber-due")
CONST_PROPERTY(prop_item_is_menu, "b", 0)
CONST_PROPERTY(prop_menu, "o", TRAY_MENU_PATH)

/* The icon and status change only at events, when tray_changed() says so:
 * they are what was announced. */
static int prop_status(sd_bus *bus, const char *path, const char *interface, const char *property,
                       sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        struct tray *t = userdata;

        return sd_bus_message_append(reply, "s", status_of(t->shown.look));
}

static int prop_icon_name(sd_bus *bus, const char *path, const char *interface, const char *property,
                          sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        struct tray *t = userdata;

        return sd_bus_message_append(reply, "s", icon_names[t->shown.look]);
}

#define TOOLTIP_FIRST 160

/* The tooltip names minutes left, so it is worded afresh when asked. */
static void tooltip_now(struct tray *t, char first[static TOOLTIP_FIRST], struct strbuf *rest)
{
        struct daemon_status ds;

        t->cb->status(t->userdata, &ds);
        describe(&ds, first, TOOLTIP_FIRST, rest);
}

static int prop_tooltip(sd_bus *bus, const char *path, const char *interface, const char *property,
                        sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        struct tray *t = userdata;
        struct strbuf rest = { 0 };
        char first[TOOLTIP_FIRST];
        int r;

        tooltip_now(t, first, &rest);
        /* (icon name, icon pixmaps, title, description) */
        r = sd_bus_message_append(reply, "(sa(iiay)ss)", "", 0, first, rest.s ? rest.s : "");
        free(rest.s);
        return r;
}

static int method_activate(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        struct tray *t = userdata;
        struct strbuf rest = { 0 };
        char first[TOOLTIP_FIRST];
        int32_t x, y;
        int r;

        r = sd_bus_message_read(m, "ii", &x, &y);
        if (r < 0)
                return r;
        tooltip_now(t, first, &rest);
        t->cb->notify(t->userdata, first, rest.s ? rest.s : "");
        free(rest.s);
        return sd_bus_reply_method_return(m, NULL);
}

/* ContextMenu, SecondaryActivate, Scroll: the menu is a dbusmenu, and a
 * middle click or the wheel does nothing. */
static int method_nothing(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return sd_bus_reply_method_return(m, NULL);
}

/* ---- the menu ------------------------------------------------------------------------ */

static void entry(struct menu_state *ms, enum menu_entry e, bool visible, bool enabled, bool checked)
{
        ms->e[e].visible = visible;
        ms->e[e].enabled = enabled;
        ms->e[e].checked = checked;
}

static void fill_menu_state(struct tray *t, const struct daemon_status *ds, struct menu_state *ms)
{
        const struct policy *p = t->cb->policy(t->userdata);
        bool can_pause = policy_get(p, KEY_ALLOW_PAUSE), can_snooze = false;

        for (int k = 0; k < N_KINDS; k++)
                can_snooze = can_snooze || (ds->kinds[k].state == BREAK_DUE && ds->kinds[k].snoozes_left > 0);
        *ms = (struct menu_state){ 0 };
        entry(ms, MENU_TAKE_POSTURE, ds->kinds[KIND_POSTURE].enabled, ds->kinds[KIND_POSTURE].state != BREAK_ON_BREAK,
              false);
        entry(ms, MENU_TAKE_MOVEMENT, ds->kinds[KIND_MOVEMENT].enabled,
              ds->kinds[KIND_MOVEMENT].state != BREAK_ON_BREAK, false);
        entry(ms, MENU_SNOOZE, true, can_snooze, false);
        entry(ms, MENU_PAUSE_30M, can_pause, true, false);
        entry(ms, MENU_PAUSE_1H, can_pause, true, false);
        entry(ms, MENU_PAUSE_TOMORROW, can_pause, true, false);
        entry(ms, MENU_RESUME, true, ds->paused, false);
        entry(ms, MENU_FLARE, pacing_on(ds), true, ds->flare);
}

static void on_menu_clicked(void *userdata, enum menu_entry entry)
{
        struct tray *t = userdata;
        const struct policy *p = t->cb->policy(t->userdata);
        struct action a = { .kind = -1 };
        struct sched_refused why;
        char text[REFUSAL_BUF];
        const char *what, *title;
        uint64_t now;

        switch (entry) {
        case MENU_TAKE_POSTURE:
        case MENU_TAKE_MOVEMENT:
                a = (struct action){ .type = ACTION_TAKE,
                                     .kind = entry == MENU_TAKE_POSTURE ? KIND_POSTURE : KIND_MOVEMENT };
                what = entry == MENU_TAKE_POSTURE ? "take a posture break" : "take a movement break";
                title = entry == MENU_TAKE_POSTURE ? N_("Cannot take a posture break")
                                                   : N_("Cannot take a movement break");
                break;
        case MENU_SNOOZE:
                a.type = ACTION_SNOOZE;
                what = "snooze";
                title = N_("Cannot snooze");
                break;
        case MENU_PAUSE_30M:
        case MENU_PAUSE_1H:
                a.type = ACTION_PAUSE;
                a.span = entry == MENU_PAUSE_30M ? 30 * USEC_PER_MIN : USEC_PER_HOUR;
                what = "pause";
                title = N_("Cannot pause");
                break;
        case MENU_PAUSE_TOMORROW:
                /* Until the day starts again (general.day-starts, local time). */
                now = realtime_now();
                a.type = ACTION_PAUSE;
                a.span = next_day_start(now, (unsigned) policy_get(p, KEY_DAY_STARTS)) - now;
                what = "pause";
                title = N_("Cannot pause");
                break;
        case MENU_RESUME:
                a.type = ACTION_RESUME;
                what = "resume";
                title = N_("Cannot resume");
                break;
        case MENU_FLARE:
                a = (struct action){ .type = ACTION_FLARE, .kind = -1, .on = !t->shown.flare };
                what = a.on ? "turn flare mode on" : "turn flare mode off";
                title = a.on ? N_("Cannot turn flare mode on") : N_("Cannot turn flare mode off");
                break;
        default:
                return;
        }
        log_info("tray menu: %s", what);
        if (t->cb->act(t->userdata, &a, &why) >= 0)
                return;
        daemon_refusal(p, &a, &why, text);
        log_info("the tray's %s was refused: %s", what, text);
        /* Shown as the D-Bus error says it, as a sentence. */
        if (text[0] >= 'a' && text[0] <= 'z')
                text[0] = (char) (text[0] - 'a' + 'A');
        t->cb->notify(t->userdata, _(title), text);
}

static const struct tray_menu_callbacks menu_callbacks = {
        .clicked = on_menu_clicked,
};

/* ---- signals ------------------------------------------------------------------------- */

static void emit(struct tray *t, const char *member, const char *status)
{
        if (status)
                (void) sd_bus_emit_signal(t->bus, ITEM_PATH, ITEM_IFACE, member, "s", status);
        else
                (void) sd_bus_emit_signal(t->bus, ITEM_PATH, ITEM_IFACE, member, NULL);
}

/* ---- the vtable ---------------------------------------------------------------------- */

#define CONST SD_BUS_VTABLE_PROPERTY_CONST

static const sd_bus_vtable vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("Category", "s", prop_category, 0, CONST),
        SD_BUS_PROPERTY("Id", "s", prop_id, 0, CONST),
        SD_BUS_PROPERTY("Title", "s", prop_title, 0, CONST),
        SD_BUS_PROPERTY("Status", "s", prop_status, 0, 0),
        SD_BUS_PROPERTY("WindowId", "i", prop_window_id, 0, CONST),
        SD_BUS_PROPERTY("IconThemePath", "s", prop_empty_string, 0, CONST),
        SD_BUS_PROPERTY("IconName", "s", prop_icon_name, 0, 0),
        SD_BUS_PROPERTY("IconPixmap", "a(iiay)", prop_no_pixmap, 0, CONST),
        SD_BUS_PROPERTY("OverlayIconName", "s", prop_empty_string, 0, CONST),
        SD_BUS_PROPERTY("OverlayIconPixmap", "a(iiay)", prop_no_pixmap, 0, CONST),
        SD_BUS_PROPERTY("AttentionIconName", "s", prop_attention_icon, 0, CONST),
        SD_BUS_PROPERTY("AttentionIconPixmap", "a(iiay)", prop_no_pixmap, 0, CONST),
        SD_BUS_PROPERTY("AttentionMovieName", "s", prop_empty_string, 0, CONST),
        SD_BUS_PROPERTY("ToolTip", "(sa(iiay)ss)", prop_tooltip, 0, 0),
        SD_BUS_PROPERTY("ItemIsMenu", "b", prop_item_is_menu, 0, CONST),
        SD_BUS_PROPERTY("Menu", "o", prop_menu, 0, CONST),
        SD_BUS_METHOD_WITH_ARGS("ContextMenu", SD_BUS_ARGS("i", x, "i", y), SD_BUS_NO_RESULT, method_nothing,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Activate", SD_BUS_ARGS("i", x, "i", y), SD_BUS_NO_RESULT, method_activate,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("SecondaryActivate", SD_BUS_ARGS("i", x, "i", y), SD_BUS_NO_RESULT, method_nothing,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Scroll", SD_BUS_ARGS("i", delta, "s", orientation), SD_BUS_NO_RESULT, method_nothing,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_SIGNAL("NewTitle", NULL, 0),
        SD_BUS_SIGNAL("NewIcon", NULL, 0),
        SD_BUS_SIGNAL("NewAttentionIcon", NULL, 0),
        SD_BUS_SIGNAL("NewOverlayIcon", NULL, 0),
        SD_BUS_SIGNAL("NewToolTip", NULL, 0),
        SD_BUS_SIGNAL_WITH_ARGS("NewStatus", SD_BUS_ARGS("s", status), 0),
        SD_BUS_VTABLE_END,
};

/* ---- offering the item to the watcher -------------------------------------------------- */

static void withdraw(struct tray *t)
{
        t->register_call = sd_bus_slot_unref(t->register_call);
        tray_menu_free(t->menu);
        t->menu = NULL;
        t->item = sd_bus_slot_unref(t->item);
}

static int export(struct tray *t)
{
        struct daemon_status ds;
        struct menu_state ms;
        int r;

        if (t->item)
                return 0;
        t->cb->status(t->userdata, &ds);
        fill_menu_state(t, &ds, &ms);
        r = sd_bus_add_object_vtable(t->bus, &t->item, ITEM_PATH, ITEM_IFACE, vtable, t);
        if (r >= 0)
                r = tray_menu_new(t->bus, &menu_callbacks, t, &ms, &t->menu);
        if (r < 0) {
                withdraw(t);
                return r;
        }
        shown_of(&ds, &t->shown);
        return 0;
}

static int on_registered(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        struct tray *t = userdata;
        const sd_bus_error *e = sd_bus_message_get_error(m);

        t->register_call = sd_bus_slot_unref(t->register_call);
        if (e)
                log_warning("the tray (%s) did not take the icon: %s", WATCHER_NAME, e->message ? e->message : e->name);
        else
                log_info("tray icon registered with %s (%s)", WATCHER_NAME, t->watcher);
        return 0;
}

/* The watcher is now owner ("" or NULL: none). */
static void watcher_is(struct tray *t, const char *owner)
{
        const char *self = NULL;
        int r;

        if (!owner || !owner[0]) {
                if (t->watcher)
                        log_info("the tray (%s) went away", WATCHER_NAME);
                free(t->watcher);
                t->watcher = NULL;
                withdraw(t);
                return;
        }
        if (streq(owner, t->watcher))
                return;
        free(t->watcher);
        t->watcher = xstrdup(owner);
        r = export(t);
        if (r >= 0)
                r = sd_bus_get_unique_name(t->bus, &self);
        if (r >= 0) {
                t->register_call = sd_bus_slot_unref(t->register_call);
                r = sd_bus_call_method_async(t->bus, &t->register_call, owner, WATCHER_PATH, WATCHER_IFACE,
                                             "RegisterStatusNotifierItem", on_registered, t, "s", self);
        }
        if (r < 0)
                log_warning_errno(r, "cannot offer the tray icon, ignoring");
}

static void on_owner_changed(void *userdata, const char *name, const char *owner)
{
        watcher_is(userdata, owner);
}

static int on_probed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        struct tray *t = userdata;
        const char *owner = NULL;

        t->probe = sd_bus_slot_unref(t->probe);
        if (sd_bus_message_is_method_error(m, NULL) || sd_bus_message_read(m, "s", &owner) < 0) {
                if (t->mode == TRAY_YES)
                        log_notice("general.tray = yes, but no panel offers a tray (%s is not on the session bus); "
                                   "the icon appears when one starts",
                                   WATCHER_NAME);
                return 0;
        }
        watcher_is(t, owner);
        return 0;
}

static void set_mode(struct tray *t, enum tray_choice mode)
{
        int r;

        if (mode == t->mode)
                return;
        t->mode = mode;
        if (mode == TRAY_NO) {
                /* Hosts hide a passive item; then it goes. */
                if (t->item)
                        emit(t, "NewStatus", "Passive");
                withdraw(t);
                t->probe = sd_bus_slot_unref(t->probe);
                t->follow = sd_bus_slot_unref(t->follow);
                free(t->watcher);
                t->watcher = NULL;
                return;
        }
        if (t->follow)
                return;
        r = sdbus_watch_name(t->bus, WATCHER_NAME, &t->follow, on_owner_changed, t, NULL);
        if (r >= 0)
                r = sd_bus_call_method_async(t->bus, &t->probe, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                             "org.freedesktop.DBus", "GetNameOwner", on_probed, t, "s", WATCHER_NAME);
        if (r < 0)
                log_warning_errno(r, "cannot follow the tray (%s); no tray icon", WATCHER_NAME);
}

/* ---- changes ----------------------------------------------------------------------- */

void tray_changed(struct tray *t, const struct daemon_status *ds)
{
        struct menu_state ms;
        struct shown now;

        if (!t)
                return;
        set_mode(t, (enum tray_choice) policy_get(t->cb->policy(t->userdata), KEY_TRAY));
        if (!t->item)
                return;
        shown_of(ds, &now);
        if (now.look != t->shown.look)
                emit(t, "NewIcon", NULL);
        if (!streq(status_of(now.look), status_of(t->shown.look)))
                emit(t, "NewStatus", status_of(now.look));
        if (tooltip_differs(&now, &t->shown))
                emit(t, "NewToolTip", NULL);
        t->shown = now;
        fill_menu_state(t, ds, &ms);
        tray_menu_changed(t->menu, &ms);
}

int tray_new(sd_bus *bus, const struct tray_callbacks *cb, void *userdata, struct tray **ret)
{
        struct tray *t = xcalloc(1, sizeof(*t));

        t->bus = sd_bus_ref(bus);
        t->cb = cb;
        t->userdata = userdata;
        t->mode = TRAY_NO;
        set_mode(t, (enum tray_choice) policy_get(cb->policy(userdata), KEY_TRAY));
        *ret = t;
        return 0;
}

void tray_free(struct tray *t)
{
        if (!t)
                return;
        withdraw(t);
        sd_bus_slot_unref(t->probe);
        sd_bus_slot_unref(t->follow);
        sd_bus_unref(t->bus);
        free(t->watcher);
        free(t);
}
