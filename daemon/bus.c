/* SPDX-License-Identifier: MIT */
/*
 * The org.limber.Limber1 interface on /org/limber/Limber1, as described in
 * org.limber.Limber1.xml. Properties are computed when read; changes are
 * announced after every engine_sync() for the properties whose transition
 * key differs from the last announcement (bus_emit_changes), so nothing is
 * sent while time merely passes.
 */
#include <errno.h>
#include <string.h>

#include "clock.h"
#include "diag.h"
#include "limberd.h"
#include "log.h"
#include "presence.h"
#include "quiet.h"
#include "util.h"
#include "value.h"

#define OBJECT_PATH "/org/limber/Limber1"
#define INTERFACE "org.limber.Limber1"
#define ERR(name) "org.limber.Limber1.Error." name

#define NEVER UINT64_MAX
#define MAX_SNOOZE (24 * USEC_PER_HOUR)
#define MAX_PAUSE (30 * USEC_PER_DAY)

static void current(struct limberd *d, struct sched_status *st)
{
        sched_get_status(d->sched, engine_now(), st);
}

/* A scheduler-clock instant as wall-clock µs; 0 for none. */
static uint64_t wall(uint64_t sched_time)
{
        if (!sched_time || sched_time == NEVER)
                return 0;
        return realtime_from_boottime(boottime_from_sched(sched_time));
}

static uint64_t break_ends(const struct sched_status *st, int k)
{
        const struct sched_kind_status *ks = &st->kinds[k];

        if (ks->state != BREAK_ON_BREAK || st->presence == PRESENCE_ACTIVE)
                return 0;
        return engine_now() + ks->break_left;
}

static int append_kind(sd_bus_message *m, const struct sched_status *st, int k)
{
        const struct sched_kind_status *ks = &st->kinds[k];
        int r;

        r = sd_bus_message_open_container(m, 'e', "sa{sv}");
        if (r < 0)
                return r;
        r = sd_bus_message_append(m, "s", kind_names[k]);
        if (r < 0)
                return r;
        r = sd_bus_message_append(
                m, "a{sv}", 12, "enabled", "b", ks->enabled, "state", "s", break_state_name(ks->state), "worked", "t",
                ks->worked, "interval", "t", ks->interval, "duration", "t", ks->duration, "due_at", "t",
                ks->state == BREAK_WAITING ? wall(ks->due_at) : (uint64_t) 0, "due_since", "t", wall(ks->due_since),
                "snoozed_until", "t", wall(ks->snoozed_until), "snoozes_left", "u", ks->snoozes_left, "prompts", "u",
                ks->prompts, "break_left", "t", ks->break_left, "break_ends", "t", wall(break_ends(st, k)));
        if (r < 0)
                return r;
        return sd_bus_message_close_container(m);
}

static int append_breaks(sd_bus_message *m, const struct sched_status *st)
{
        int r = sd_bus_message_open_container(m, 'a', "{sa{sv}}");

        for (int k = 0; r >= 0 && k < N_KINDS; k++)
                r = append_kind(m, st, k);
        return r < 0 ? r : sd_bus_message_close_container(m);
}

/* ---- properties --------------------------------------------------------------- */

#define PROPERTY(fn, type, expr)                                                                          \
        static int fn(sd_bus *bus, const char *path, const char *interface, const char *property,        \
                      sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)                    \
        {                                                                                                 \
                struct limberd *d = userdata;                                                             \
                struct sched_status st;                                                                   \
                current(d, &st);                                                                          \
                (void) st;                                                                                \
                return sd_bus_message_append(reply, type, expr);                                          \
        }

PROPERTY(prop_version, "s", LIMBER_VERSION)
PROPERTY(prop_presence, "s", presence_name(st.presence))
PROPERTY(prop_presence_since, "t", wall(st.presence_since))
PROPERTY(prop_backend, "s", presence_backend(d->presence))
PROPERTY(prop_paused, "b", st.paused)
PROPERTY(prop_paused_until, "t", wall(st.paused_until))
PROPERTY(prop_flare, "b", st.flare)
PROPERTY(prop_quiet, "b", st.quiet)
PROPERTY(prop_counting, "b", st.counting)
PROPERTY(prop_active_today, "t", st.active_today)
PROPERTY(prop_daily_limit, "t", st.daily_limit)
PROPERTY(prop_limit_reached, "b", st.limit_reached)

static int prop_breaks(sd_bus *bus, const char *path, const char *interface, const char *property,
                       sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        struct sched_status st;

        current(userdata, &st);
        return append_breaks(reply, &st);
}

/* ---- methods -------------------------------------------------------------------- */

static int parse_kind(const char *s, bool allow_all, int *ret, sd_bus_error *error)
{
        int k;

        if (allow_all && streq(s, "")) {
                *ret = -1;
                return 0;
        }
        k = kind_from_name(s);
        if (k < 0)
                return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
                                         "unknown break kind '%.40s' (use posture, movement or pacing)", s);
        *ret = k;
        return 0;
}

/* For a refusal of an action on every due break: the due kind that caused
 * it, one not skippable (not_skippable) or with no snoozes left; -1 if none. */
static int due_kind_where(struct limberd *d, bool not_skippable)
{
        struct sched_status ss;

        current(d, &ss);
        for (int k = 0; k < N_KINDS; k++) {
                if (ss.kinds[k].state != BREAK_DUE)
                        continue;
                if (not_skippable ? !policy_get(d->policy, kind_key((enum kind) k, FIELD_SKIPPABLE))
                                  : ss.kinds[k].snoozes_left == 0)
                        return k;
        }
        return -1;
}

/* Turns a refusal into its named error. */
static int refused(struct limberd *d, int r, int kind, sd_bus_error *error)
{
        enum sched_refusal why = (enum sched_refusal) - r;
        char ob[ORIGIN_BUF], kn[KEY_NAME_BUF];
        const struct setting *st;
        const char *what;
        enum kind k;

        /* An action on every due break: name the one that refused it. */
        if (kind < 0 && (why == REFUSED_SNOOZE_LIMIT || why == REFUSED_NOT_SKIPPABLE))
                kind = due_kind_where(d, why == REFUSED_NOT_SKIPPABLE);
        what = kind >= 0 ? kind_names[kind] : "due";
        k = (enum kind) (kind >= 0 ? kind : 0);

        switch (why) {
        case REFUSED_NOT_DUE:
                if (kind < 0)
                        return sd_bus_error_setf(error, ERR("NotDue"), "no break is due");
                return sd_bus_error_setf(error, ERR("NotDue"), "the %s break is not due", what);
        case REFUSED_SNOOZE_LIMIT:
                st = &d->policy->s[kind_key(k, FIELD_MAX_SNOOZES)];
                return sd_bus_error_setf(error, ERR("SnoozeLimit"),
                                         "no snoozes left for the %s break (%s = %llu, %s)", what,
                                         key_full_name(kn, kind_key(k, FIELD_MAX_SNOOZES)),
                                         (unsigned long long) st->value, origin_format(ob, &st->origin));
        case REFUSED_NOT_SKIPPABLE:
                st = &d->policy->s[kind_key(k, FIELD_SKIPPABLE)];
                return sd_bus_error_setf(error, ERR("NotSkippable"),
                                         "the %s break cannot be skipped (%s = no, %s%s)", what,
                                         key_full_name(kn, kind_key(k, FIELD_SKIPPABLE)),
                                         st->locked ? "locked by " : "",
                                         origin_format(ob, st->locked ? &st->lock_origin : &st->origin));
        case REFUSED_DISABLED:
                return sd_bus_error_setf(error, ERR("Disabled"), "%s breaks are turned off", what);
        case REFUSED_PAUSE_LOCKED:
                st = &d->policy->s[KEY_ALLOW_PAUSE];
                return sd_bus_error_setf(error, ERR("Locked"),
                                         "pausing is turned off by general.allow-pause = no (%s%s)",
                                         st->locked ? "locked by " : "",
                                         origin_format(ob, st->locked ? &st->lock_origin : &st->origin));
        default:
                return sd_bus_error_setf(error, SD_BUS_ERROR_FAILED, "refused");
        }
}

static int method_get_status(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        struct limberd *d = userdata;
        struct sched_status st;
        int r;

        current(d, &st);
        r = sd_bus_message_new_method_return(m, &reply);
        if (r < 0)
                return r;
        r = sd_bus_message_open_container(reply, 'a', "{sv}");
        if (r < 0)
                return r;
        r = sd_bus_message_append(
                reply, "{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}", "now", "t", realtime_now(), "presence", "s",
                presence_name(st.presence), "presence_since", "t", wall(st.presence_since), "backend", "s",
                presence_backend(d->presence), "paused", "b", st.paused, "paused_until", "t", wall(st.paused_until),
                "flare", "b", st.flare, "quiet", "b", st.quiet, "counting", "b", st.counting, "active_today", "t",
                st.active_today, "daily_limit", "t", st.daily_limit, "limit_reached", "b", st.limit_reached);
        if (r < 0)
                return r;
        r = sd_bus_message_open_container(reply, 'e', "sv");
        if (r >= 0)
                r = sd_bus_message_append(reply, "s", "breaks");
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'v', "a{sa{sv}}");
        if (r >= 0)
                r = append_breaks(reply, &st);
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        if (r < 0)
                return r;
        return sd_bus_send(NULL, reply, NULL);
}

static int method_snooze(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        struct limberd *d = userdata;
        const char *kind;
        uint32_t secs;
        int k, r;

        r = sd_bus_message_read(m, "su", &kind, &secs);
        if (r < 0)
                return r;
        r = parse_kind(kind, true, &k, error);
        if (r < 0)
                return r;
        if ((uint64_t) secs * USEC_PER_SEC > MAX_SNOOZE)
                return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS, "a snooze lasts at most 1 day, not %u s",
                                         secs);
        r = engine_snooze(d, k, (uint64_t) secs * USEC_PER_SEC);
        if (r < 0)
                return refused(d, r, k, error);
        return sd_bus_reply_method_return(m, NULL);
}

static int method_skip(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        struct limberd *d = userdata;
        const char *kind;
        int k, r;

        r = sd_bus_message_read(m, "s", &kind);
        if (r < 0)
                return r;
        r = parse_kind(kind, true, &k, error);
        if (r < 0)
                return r;
        r = engine_skip(d, k);
        if (r < 0)
                return refused(d, r, k, error);
        return sd_bus_reply_method_return(m, NULL);
}

static int method_take_break(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        struct limberd *d = userdata;
        struct sched_status st;
        const char *kind;
        int k, r;

        r = sd_bus_message_read(m, "s", &kind);
        if (r < 0)
                return r;
        r = parse_kind(kind, true, &k, error);
        if (r < 0)
                return r;
        if (k < 0) {
                /* The prompted break: the longest that is due. */
                current(d, &st);
                for (int i = 0; i < N_KINDS; i++)
                        if (st.kinds[i].state == BREAK_DUE &&
                            (k < 0 || st.kinds[i].duration > st.kinds[k].duration))
                                k = i;
                if (k < 0)
                        return sd_bus_error_setf(error, ERR("NotDue"), "no break is due; name one to take");
        }
        r = engine_take(d, k);
        if (r < 0)
                return refused(d, r, k, error);
        return sd_bus_reply_method_return(m, NULL);
}

static int method_pause(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        struct limberd *d = userdata;
        uint32_t secs;
        int r;

        r = sd_bus_message_read(m, "u", &secs);
        if (r < 0)
                return r;
        if ((uint64_t) secs * USEC_PER_SEC > MAX_PAUSE)
                return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS, "a pause lasts at most 30 days, not %u s",
                                         secs);
        r = engine_pause(d, (uint64_t) secs * USEC_PER_SEC);
        if (r < 0)
                return refused(d, r, -1, error);
        return sd_bus_reply_method_return(m, NULL);
}

static int method_resume(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        engine_resume(userdata);
        return sd_bus_reply_method_return(m, NULL);
}

static int method_reload(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        struct limberd *d = userdata;
        struct strbuf errors = { 0 };
        struct diags diags;
        char buf[1024];
        int r;

        diags_init(&diags);
        r = engine_reload(d, &diags);
        if (r < 0) {
                for (size_t i = 0; i < diags.n; i++)
                        if (diags.v[i].severity == SEV_ERROR)
                                strbuf_printf(&errors, "%s%s", errors.len ? "\n" : "",
                                              diag_format(&diags.v[i], buf, sizeof(buf)));
                r = sd_bus_error_setf(error, ERR("BadPolicy"), "%s", errors.s ? errors.s : "the policy has errors");
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

static int method_set_flare(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        int on, r;

        r = sd_bus_message_read(m, "b", &on);
        if (r < 0)
                return r;
        engine_flare(userdata, on);
        return sd_bus_reply_method_return(m, NULL);
}

static int method_get_policy(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        struct limberd *d = userdata;
        int r;

        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "(ssssb)");
        for (int i = 0; r >= 0 && i < N_KEYS; i++) {
                const struct setting *st = &d->policy->s[i];
                char kn[KEY_NAME_BUF], vb[VALUE_BUF], ob[ORIGIN_BUF];
                r = sd_bus_message_append(reply, "(ssssb)", key_full_name(kn, (enum key_id) i),
                                          key_format(vb, (enum key_id) i, st->value), scope_name(st->origin.scope),
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
        struct limberd *d = userdata;
        const char *names[16], *states[16], *why[16];
        size_t n = d->presence ? presence_list(d->presence, names, states, why, 16) : 0;
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

void bus_emit_break_due(struct limberd *d, int kind, unsigned count)
{
        if (d->bus_ready)
                (void) sd_bus_emit_signal(d->bus, OBJECT_PATH, INTERFACE, "BreakDue", "su", kind_names[kind], count);
}

void bus_emit_break_ended(struct limberd *d, int kind, const char *outcome, uint64_t overdue)
{
        if (d->bus_ready)
                (void) sd_bus_emit_signal(d->bus, OBJECT_PATH, INTERFACE, "BreakEnded", "sst", kind_names[kind],
                                          outcome, overdue);
}

static void snapshot(struct limberd *d, struct bus_snapshot *s)
{
        struct sched_status st;
        uint64_t now = engine_now();

        sched_get_status(d->sched, now, &st);
        memset(s, 0, sizeof(*s));
        s->valid = true;
        s->presence = st.presence;
        s->presence_since = st.presence_since;
        snprintf(s->backend, sizeof(s->backend), "%s", presence_backend(d->presence));
        s->paused = st.paused;
        s->paused_until = st.paused_until;
        s->flare = st.flare;
        s->quiet = st.quiet;
        s->counting = st.counting;
        s->limit_reached = st.limit_reached;
        s->daily_limit = st.daily_limit;
        /* Invariant while counting: now - active_today. */
        s->today_anchor = st.counting ? now - st.active_today : st.active_today;
        for (int k = 0; k < N_KINDS; k++) {
                const struct sched_kind_status *ks = &st.kinds[k];
                s->kinds[k].enabled = ks->enabled;
                s->kinds[k].state = ks->state;
                s->kinds[k].interval = ks->interval;
                s->kinds[k].duration = ks->duration;
                s->kinds[k].due_at = ks->state == BREAK_WAITING ? ks->due_at : 0;
                s->kinds[k].due_since = ks->due_since;
                s->kinds[k].snoozed_until = ks->snoozed_until;
                s->kinds[k].break_ends = break_ends(&st, k);
                s->kinds[k].snoozes_left = ks->snoozes_left;
                s->kinds[k].prompts = ks->prompts;
        }
}

void bus_emit_changes(struct limberd *d)
{
        struct bus_snapshot now, *was = &d->snap;
        const char *names[16];
        size_t n = 0;

        snapshot(d, &now);
        if (!was->valid || !d->bus_ready) {
                *was = now;
                return;
        }
#define CHANGED(field, name)                  \
        if (now.field != was->field)          \
                names[n++] = name;
        CHANGED(presence, "Presence");
        CHANGED(presence_since, "PresenceSince");
        if (!streq(now.backend, was->backend))
                names[n++] = "Backend";
        CHANGED(paused, "Paused");
        CHANGED(paused_until, "PausedUntil");
        CHANGED(flare, "Flare");
        CHANGED(quiet, "Quiet");
        CHANGED(counting, "Counting");
        if (now.today_anchor != was->today_anchor || now.counting != was->counting)
                names[n++] = "ActiveToday";
        CHANGED(daily_limit, "DailyLimit");
        CHANGED(limit_reached, "LimitReached");
#undef CHANGED
        for (int k = 0; k < N_KINDS; k++) {
                struct bus_snapshot a = now, b = *was;
                if (memcmp(&a.kinds[k], &b.kinds[k], sizeof(a.kinds[k])) != 0) {
                        names[n++] = "Breaks";
                        break;
                }
        }
        *was = now;
        if (!n)
                return;
        names[n] = NULL;
        (void) sd_bus_emit_properties_changed_strv(d->bus, OBJECT_PATH, INTERFACE, (char **) names);
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
        SD_BUS_METHOD_WITH_ARGS("Resume", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, method_resume,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Reload", SD_BUS_NO_ARGS, SD_BUS_RESULT("as", warnings), method_reload,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("SetFlare", SD_BUS_ARGS("b", on), SD_BUS_NO_RESULT, method_set_flare,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("GetPolicy", SD_BUS_NO_ARGS, SD_BUS_RESULT("a(ssssb)", policy), method_get_policy,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("GetBackends", SD_BUS_NO_ARGS, SD_BUS_RESULT("a(sss)", backends),
                                method_get_backends, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_SIGNAL_WITH_ARGS("BreakDue", SD_BUS_ARGS("s", kind, "u", count), 0),
        SD_BUS_SIGNAL_WITH_ARGS("BreakEnded", SD_BUS_ARGS("s", kind, "s", outcome, "t", overdue), 0),
        SD_BUS_PROPERTY("Version", "s", prop_version, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Presence", "s", prop_presence, 0, EMITS),
        SD_BUS_PROPERTY("PresenceSince", "t", prop_presence_since, 0, EMITS),
        SD_BUS_PROPERTY("Backend", "s", prop_backend, 0, EMITS),
        SD_BUS_PROPERTY("Paused", "b", prop_paused, 0, EMITS),
        SD_BUS_PROPERTY("PausedUntil", "t", prop_paused_until, 0, EMITS),
        SD_BUS_PROPERTY("Flare", "b", prop_flare, 0, EMITS),
        SD_BUS_PROPERTY("Quiet", "b", prop_quiet, 0, EMITS),
        SD_BUS_PROPERTY("Counting", "b", prop_counting, 0, EMITS),
        SD_BUS_PROPERTY("ActiveToday", "t", prop_active_today, 0, EMITS),
        SD_BUS_PROPERTY("DailyLimit", "t", prop_daily_limit, 0, EMITS),
        SD_BUS_PROPERTY("LimitReached", "b", prop_limit_reached, 0, EMITS),
        SD_BUS_PROPERTY("Breaks", "a{sa{sv}}", prop_breaks, 0, EMITS),
        SD_BUS_VTABLE_END,
};

int bus_service_init(struct limberd *d)
{
        return sd_bus_add_object_vtable(d->bus, NULL, OBJECT_PATH, INTERFACE, vtable, d);
}
