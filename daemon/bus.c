/* SPDX-License-Identifier: MIT */
/*
 * org.limber.Limber1 on the session bus (bus.h). What a change announces is
 * judged on the values as published: wall-clock instants, compared with a
 * little slack because two readings of two clocks never agree to the µs,
 * while a step of the wall clock moves them all.
 */
#include "bus.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bus-dict.h"
#include "diag.h"
#include "i18n.h"
#include "log.h"
#include "policy.h"
#include "scheduler.h"
#include "status.h"
#include "util.h"
#include "value.h"

#define MAX_SNOOZE (24 * USEC_PER_HOUR)
#define MAX_PAUSE  (30 * USEC_PER_DAY)

/* What the properties last announced. */
struct snapshot {
        bool valid;
        enum presence presence;
        uint64_t presence_since;
        const char *backend;
        bool paused, flare, quiet, counting, limit_reached;
        unsigned flare_day, flare_days, flare_recovery, flare_scale;
        uint64_t paused_until;
        uint64_t today_anchor; /* bt - active_today while counting; active_today otherwise */
        uint64_t daily_limit;
        bool in_hours;
        uint64_t hours_change;
        struct shown_kind kinds[N_KINDS]; /* worked and break_left zeroed: they move with time */
};

struct bus_service {
        sd_bus *bus;
        sd_bus_slot *slot;
        const struct bus_callbacks *cb;
        void *userdata;
        struct snapshot snap;
};

static void current(struct bus_service *s, struct daemon_status *ds)
{
        s->cb->status(s->userdata, ds);
}

static int append_kind(sd_bus_message *m, const struct daemon_status *ds, int k)
{
        const struct shown_kind *ks = &ds->kinds[k];
        int r;

        r = sd_bus_message_open_container(m, 'e', "sa{sv}");
        if (r < 0)
                return r;
        r = sd_bus_message_append(m, "s", kind_names[k]);
        if (r < 0)
                return r;
        r = sd_bus_message_append(m, "a{sv}", 12, "enabled", "b", ks->enabled, "state", "s",
                                  break_state_name(ks->state), "worked", "t", ks->worked, "interval", "t", ks->interval,
                                  "duration", "t", ks->duration, "due_at", "t", ks->due_at, "due_since", "t",
                                  ks->due_since, "snoozed_until", "t", ks->snoozed_until, "snoozes_left", "u",
                                  ks->snoozes_left, "prompts", "u", ks->prompts, "break_left", "t", ks->break_left,
                                  "break_ends", "t", ks->break_ends);
        if (r < 0)
                return r;
        return sd_bus_message_close_container(m);
}

static int append_breaks(sd_bus_message *m, const struct daemon_status *ds)
{
        int r = sd_bus_message_open_container(m, 'a', "{sa{sv}}");

        for (int k = 0; r >= 0 && k < N_KINDS; k++)
                r = append_kind(m, ds, k);
        return r < 0 ? r : sd_bus_message_close_container(m);
}

/* ---- properties --------------------------------------------------------------- */

#define PROPERTY(fn, type, expr)                                                                                       \
        static int fn(sd_bus *bus, const char *path, const char *interface, const char *property,                      \
                      sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)                                  \
        {                                                                                                              \
                struct daemon_status ds;                                                                               \
                current(userdata, &ds);                                                                                \
                return sd_bus_message_append(reply, type, expr);                                                       \
        }

static int prop_version(sd_bus *bus, const char *path, const char *interface, const char *property,
                        sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        return sd_bus_message_append(reply, "s", LIMBER_VERSION);
}

PROPERTY(prop_presence, "s", presence_name(ds.presence))
PROPERTY(prop_presence_since, "t", ds.presence_since)
PROPERTY(prop_backend, "s", ds.backend)
PROPERTY(prop_paused, "b", ds.paused)
PROPERTY(prop_paused_until, "t", ds.paused_until)
PROPERTY(prop_flare, "b", ds.flare)
PROPERTY(prop_flare_day, "u", ds.flare_day)
PROPERTY(prop_flare_days, "u", ds.flare_days)
PROPERTY(prop_flare_recovery, "u", ds.flare_recovery)
PROPERTY(prop_flare_scale, "u", ds.flare_scale)
PROPERTY(prop_quiet, "b", ds.quiet)
PROPERTY(prop_counting, "b", ds.counting)
PROPERTY(prop_active_today, "t", ds.active_today)
PROPERTY(prop_daily_limit, "t", ds.daily_limit)
PROPERTY(prop_limit_reached, "b", ds.limit_reached)
PROPERTY(prop_in_work_hours, "b", ds.in_hours)
PROPERTY(prop_work_hours_change, "t", ds.hours_change)

static int prop_breaks(sd_bus *bus, const char *path, const char *interface, const char *property,
                       sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        struct daemon_status ds;

        current(userdata, &ds);
        return append_breaks(reply, &ds);
}

/* ---- methods -------------------------------------------------------------------- */

static int parse_kind(const char *s, int *ret, sd_bus_error *error)
{
        if (streq(s, "")) {
                *ret = -1;
                return 0;
        }
        *ret = kind_from_name(s);
        if (*ret < 0)
                return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
                                         _("unknown break kind '%.40s' (use posture, movement or pacing)"), s);
        return 0;
}

/* A refusal as its named error, about the break the scheduler named. */
static int refused(struct bus_service *s, const struct action *a, const struct sched_refused *why, sd_bus_error *error)
{
        char text[REFUSAL_BUF];
        const char *name = daemon_refusal(s->cb->policy(s->userdata), a, why, text);

        return sd_bus_error_setf(error, name, "%s", text);
}

/* Runs an action and answers the call. */
static int act(sd_bus_message *m, struct bus_service *s, const struct action *a, sd_bus_error *error)
{
        struct sched_refused why;

        if (s->cb->act(s->userdata, a, &why) < 0)
                return refused(s, a, &why, error);
        return sd_bus_reply_method_return(m, NULL);
}

static int method_get_status(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        struct daemon_status ds;
        int r;

        current(userdata, &ds);
        r = sd_bus_message_new_method_return(m, &reply);
        if (r < 0)
                return r;
        r = sd_bus_message_open_container(reply, 'a', "{sv}");
        if (r < 0)
                return r;
        r = sd_bus_message_append(reply, "{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}", "now", "t", ds.now,
                                  "presence", "s", presence_name(ds.presence), "presence_since", "t", ds.presence_since,
                                  "backend", "s", ds.backend, "paused", "b", ds.paused, "paused_until", "t",
                                  ds.paused_until, "flare", "b", ds.flare, "quiet", "b", ds.quiet, "counting", "b",
                                  ds.counting, "active_today", "t", ds.active_today, "daily_limit", "t", ds.daily_limit,
                                  "limit_reached", "b", ds.limit_reached);
        if (r >= 0)
                r = sd_bus_message_append(reply, "{sv}{sv}", "in_work_hours", "b", ds.in_hours, "work_hours_change", "t",
                                          ds.hours_change);
        if (r >= 0)
                r = sd_bus_message_append(reply, "{sv}{sv}{sv}{sv}", "flare_day", "u", ds.flare_day, "flare_days", "u",
                                          ds.flare_days, "flare_recovery", "u", ds.flare_recovery, "flare_scale", "u",
                                          ds.flare_scale);
        if (r >= 0 && ds.quiet_source)
                r = sd_bus_message_append(reply, "{sv}", "quiet_source", "s", ds.quiet_source);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'e', "sv");
        if (r >= 0)
                r = sd_bus_message_append(reply, "s", "breaks");
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'v', "a{sa{sv}}");
        if (r >= 0)
                r = append_breaks(reply, &ds);
        for (int i = 0; r >= 0 && i < 3; i++)
                r = sd_bus_message_close_container(reply);
        if (r < 0)
                return r;
        return sd_bus_send(NULL, reply, NULL);
}

static int method_snooze(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        struct action a = { .type = ACTION_SNOOZE };
        const char *kind;
        uint32_t secs;
        int r;

        r = sd_bus_message_read(m, "su", &kind, &secs);
        if (r < 0)
                return r;
        r = parse_kind(kind, &a.kind, error);
        if (r < 0)
                return r;
        if ((uint64_t) secs * USEC_PER_SEC > MAX_SNOOZE)
                return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS, _("a snooze lasts at most 1 day, not %u s"),
                                         secs);
        a.span = (uint64_t) secs * USEC_PER_SEC;
        return act(m, userdata, &a, error);
}

/* Skip and TakeBreak: one kind argument. */
static int method_kind(sd_bus_message *m, void *userdata, sd_bus_error *error, enum action_type type)
{
        struct action a = { .type = type };
        const char *kind;
        int r;

        r = sd_bus_message_read(m, "s", &kind);
        if (r < 0)
                return r;
        r = parse_kind(kind, &a.kind, error);
        if (r < 0)
                return r;
        return act(m, userdata, &a, error);
}

static int method_skip(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return method_kind(m, userdata, error, ACTION_SKIP);
}

static int method_take_break(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return method_kind(m, userdata, error, ACTION_TAKE);
}

static int method_pause(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        struct action a = { .type = ACTION_PAUSE };
        uint32_t secs;
        int r;

        r = sd_bus_message_read(m, "u", &secs);
        if (r < 0)
                return r;
        if ((uint64_t) secs * USEC_PER_SEC > MAX_PAUSE)
                return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS, _("a pause lasts at most 30 days, not %u s"),
                                         secs);
        a.span = (uint64_t) secs * USEC_PER_SEC;
        return act(m, userdata, &a, error);
}

static int method_resume(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return act(m, userdata, &(struct action){ .type = ACTION_RESUME, .kind = -1 }, error);
}

static int method_set_flare(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        int on, r;

        r = sd_bus_message_read(m, "b", &on);
        if (r < 0)
                return r;
        return act(m, userdata, &(struct action){ .type = ACTION_FLARE, .kind = -1, .on = on }, error);
}

static int method_set_flare_plan(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        uint32_t days;
        int r;

        r = sd_bus_message_read(m, "u", &days);
        if (r < 0)
                return r;
        if (days > key_defs[KEY_PACING_FLARE_DAYS].max)
                return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS, _("a flare plan lasts at most %llu days, not %u"),
                                         (unsigned long long) key_defs[KEY_PACING_FLARE_DAYS].max, days);
        return act(m, userdata, &(struct action){ .type = ACTION_FLARE, .kind = -1, .on = days > 0, .days = days },
                   error);
}

static int method_reload(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        struct bus_service *s = userdata;
        struct strbuf errors = { 0 };
        struct diags diags;
        char buf[1024];
        int r;

        diags_init(&diags);
        r = s->cb->reload(s->userdata, &diags);
        if (r < 0) {
                for (size_t i = 0; i < diags.n; i++)
                        if (diags.v[i].severity == SEV_ERROR)
                                strbuf_printf(&errors, "%s%s", errors.len ? "\n" : "",
                                              diag_format(&diags.v[i], buf, sizeof(buf)));
                r = sd_bus_error_setf(error, LIMBER_BUS_ERROR("BadPolicy"), "%s",
                                      errors.s ? errors.s : _("the policy has errors"));
                free(errors.s);
                diags_finish(&diags);
                return r;
        }
        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "s");
        for (size_t i = 0; r >= 0 && i < diags.n; i++)
                r = sd_bus_message_append(reply, "s", diag_format(&diags.v[i], buf, sizeof(buf)));
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        diags_finish(&diags);
        if (r < 0)
                return r;
        return sd_bus_send(NULL, reply, NULL);
}

static int method_get_policy(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        struct bus_service *s = userdata;
        const struct policy *p = s->cb->policy(s->userdata);
        int r;

        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "(ssssb)");
        for (int i = 0; r >= 0 && i < N_KEYS; i++) {
                const struct setting *st = &p->s[i];
                char kn[KEY_NAME_BUF], vb[VALUE_BUF], ob[ORIGIN_BUF];
                r = sd_bus_message_append(reply, "(ssssb)", key_full_name(kn, (enum key_id) i),
                                          setting_text(vb, (enum key_id) i, st), scope_name(st->origin.scope),
                                          origin_format(ob, &st->origin), st->locked);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        if (r < 0)
                return r;
        return sd_bus_send(NULL, reply, NULL);
}

static int method_get_backends(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        struct bus_service *s = userdata;
        const char *names[16], *states[16], *why[16];
        size_t n = s->cb->backends(s->userdata, names, states, why, 16);
        int r;

        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "(sss)");
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = sd_bus_message_append(reply, "(sss)", names[i], states[i], why[i]);
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        if (r < 0)
                return r;
        return sd_bus_send(NULL, reply, NULL);
}

/* ---- signals and changes ---------------------------------------------------------- */

void bus_break_due(struct bus_service *s, int kind, unsigned count)
{
        if (s && kind >= 0 && kind < N_KINDS)
                (void) sd_bus_emit_signal(s->bus, LIMBER_BUS_PATH, LIMBER_BUS_IFACE, "BreakDue", "su", kind_names[kind],
                                          count);
}

void bus_break_ended(struct bus_service *s, int kind, const char *outcome, uint64_t overdue)
{
        if (s && kind >= 0 && kind < N_KINDS)
                (void) sd_bus_emit_signal(s->bus, LIMBER_BUS_PATH, LIMBER_BUS_IFACE, "BreakEnded", "sst",
                                          kind_names[kind], outcome, overdue);
}

static void snapshot(const struct daemon_status *ds, struct snapshot *s)
{
        *s = (struct snapshot){
                .valid = true,
                .presence = ds->presence,
                .presence_since = ds->presence_since,
                .backend = ds->backend,
                .paused = ds->paused,
                .paused_until = ds->paused_until,
                .flare = ds->flare,
                .flare_day = ds->flare_day,
                .flare_days = ds->flare_days,
                .flare_recovery = ds->flare_recovery,
                .flare_scale = ds->flare_scale,
                .quiet = ds->quiet,
                .counting = ds->counting,
                .limit_reached = ds->limit_reached,
                .daily_limit = ds->daily_limit,
                .in_hours = ds->in_hours,
                .hours_change = ds->hours_change,
                /* Invariant while counting: bt - active_today. */
                .today_anchor = ds->counting ? ds->bt - ds->active_today : ds->active_today,
        };
        memcpy(s->kinds, ds->kinds, sizeof(s->kinds));
        for (int k = 0; k < N_KINDS; k++)
                s->kinds[k].worked = s->kinds[k].break_left = 0;
}

static bool kind_differs(const struct shown_kind *a, const struct shown_kind *b)
{
        return a->enabled != b->enabled || a->state != b->state || a->interval != b->interval ||
               a->duration != b->duration || a->snoozes_left != b->snoozes_left || a->prompts != b->prompts ||
               status_instants_differ(a->due_at, b->due_at) || status_instants_differ(a->due_since, b->due_since) ||
               status_instants_differ(a->snoozed_until, b->snoozed_until) ||
               status_instants_differ(a->break_ends, b->break_ends);
}

void bus_changed(struct bus_service *s, const struct daemon_status *ds)
{
        struct snapshot now, *was;
        const char *names[24];
        size_t n = 0;

        if (!s)
                return;
        was = &s->snap;
        snapshot(ds, &now);
        if (!was->valid) {
                *was = now;
                return;
        }
#define CHANGED(test, name)                                                                                            \
        if (test)                                                                                                      \
                names[n++] = name;
        CHANGED(now.presence != was->presence, "Presence");
        CHANGED(status_instants_differ(now.presence_since, was->presence_since), "PresenceSince");
        CHANGED(!streq(now.backend, was->backend), "Backend");
        CHANGED(now.paused != was->paused, "Paused");
        CHANGED(status_instants_differ(now.paused_until, was->paused_until), "PausedUntil");
        CHANGED(now.flare != was->flare, "Flare");
        CHANGED(now.flare_day != was->flare_day, "FlareDay");
        CHANGED(now.flare_days != was->flare_days, "FlareDays");
        CHANGED(now.flare_recovery != was->flare_recovery, "FlareRecoveryDays");
        CHANGED(now.flare_scale != was->flare_scale, "FlareScale");
        CHANGED(now.quiet != was->quiet, "Quiet");
        CHANGED(now.counting != was->counting, "Counting");
        CHANGED(now.counting != was->counting || status_instants_differ(now.today_anchor, was->today_anchor),
                "ActiveToday");
        CHANGED(now.daily_limit != was->daily_limit, "DailyLimit");
        CHANGED(now.limit_reached != was->limit_reached, "LimitReached");
        CHANGED(now.in_hours != was->in_hours, "InWorkHours");
        CHANGED(status_instants_differ(now.hours_change, was->hours_change), "WorkHoursChange");
#undef CHANGED
        for (int k = 0; k < N_KINDS; k++)
                if (kind_differs(&now.kinds[k], &was->kinds[k])) {
                        names[n++] = "Breaks";
                        break;
                }
        *was = now;
        if (!n)
                return;
        names[n] = NULL;
        (void) sd_bus_emit_properties_changed_strv(s->bus, LIMBER_BUS_PATH, LIMBER_BUS_IFACE, (char **) names);
}

/* ---- the vtable ------------------------------------------------------------------- */

#define EMITS SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE

static const sd_bus_vtable vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD_WITH_ARGS("GetStatus", SD_BUS_NO_ARGS, SD_BUS_RESULT("a{sv}", status), method_get_status,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Snooze", SD_BUS_ARGS("s", kind, "u", seconds), SD_BUS_NO_RESULT, method_snooze,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Skip", SD_BUS_ARGS("s", kind), SD_BUS_NO_RESULT, method_skip,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("TakeBreak", SD_BUS_ARGS("s", kind), SD_BUS_NO_RESULT, method_take_break,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Pause", SD_BUS_ARGS("u", seconds), SD_BUS_NO_RESULT, method_pause,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Resume", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, method_resume, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Reload", SD_BUS_NO_ARGS, SD_BUS_RESULT("as", warnings), method_reload,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("SetFlare", SD_BUS_ARGS("b", on), SD_BUS_NO_RESULT, method_set_flare,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("SetFlarePlan", SD_BUS_ARGS("u", days), SD_BUS_NO_RESULT, method_set_flare_plan,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("GetPolicy", SD_BUS_NO_ARGS, SD_BUS_RESULT("a(ssssb)", policy), method_get_policy,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("GetBackends", SD_BUS_NO_ARGS, SD_BUS_RESULT("a(sss)", backends), method_get_backends,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_SIGNAL_WITH_ARGS("BreakDue", SD_BUS_ARGS("s", kind, "u", count), 0),
        SD_BUS_SIGNAL_WITH_ARGS("BreakEnded", SD_BUS_ARGS("s", kind, "s", outcome, "t", overdue), 0),
        SD_BUS_PROPERTY("Version", "s", prop_version, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Presence", "s", prop_presence, 0, EMITS),
        SD_BUS_PROPERTY("PresenceSince", "t", prop_presence_since, 0, EMITS),
        SD_BUS_PROPERTY("Backend", "s", prop_backend, 0, EMITS),
        SD_BUS_PROPERTY("Paused", "b", prop_paused, 0, EMITS),
        SD_BUS_PROPERTY("PausedUntil", "t", prop_paused_until, 0, EMITS),
        SD_BUS_PROPERTY("Flare", "b", prop_flare, 0, EMITS),
        SD_BUS_PROPERTY("FlareDay", "u", prop_flare_day, 0, EMITS),
        SD_BUS_PROPERTY("FlareDays", "u", prop_flare_days, 0, EMITS),
        SD_BUS_PROPERTY("FlareRecoveryDays", "u", prop_flare_recovery, 0, EMITS),
        SD_BUS_PROPERTY("FlareScale", "u", prop_flare_scale, 0, EMITS),
        SD_BUS_PROPERTY("Quiet", "b", prop_quiet, 0, EMITS),
        SD_BUS_PROPERTY("Counting", "b", prop_counting, 0, EMITS),
        SD_BUS_PROPERTY("ActiveToday", "t", prop_active_today, 0, EMITS),
        SD_BUS_PROPERTY("DailyLimit", "t", prop_daily_limit, 0, EMITS),
        SD_BUS_PROPERTY("LimitReached", "b", prop_limit_reached, 0, EMITS),
        SD_BUS_PROPERTY("InWorkHours", "b", prop_in_work_hours, 0, EMITS),
        SD_BUS_PROPERTY("WorkHoursChange", "t", prop_work_hours_change, 0, EMITS),
        SD_BUS_PROPERTY("Breaks", "a{sa{sv}}", prop_breaks, 0, EMITS),
        SD_BUS_VTABLE_END,
};

int bus_service_new(sd_bus *bus, const struct bus_callbacks *cb, void *userdata, struct bus_service **ret)
{
        struct bus_service *s = xcalloc(1, sizeof(*s));
        int r;

        s->bus = sd_bus_ref(bus);
        s->cb = cb;
        s->userdata = userdata;
        r = sd_bus_add_object_vtable(bus, &s->slot, LIMBER_BUS_PATH, LIMBER_BUS_IFACE, vtable, s);
        if (r < 0) {
                bus_service_free(s);
                return r;
        }
        *ret = s;
        return 0;
}

void bus_service_free(struct bus_service *s)
{
        if (!s)
                return;
        sd_bus_slot_unref(s->slot);
        sd_bus_unref(s->bus);
        free(s);
}
