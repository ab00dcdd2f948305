/* SPDX-License-Identifier: MIT */
#include "status.h"

#include <stdio.h>

#include "bus-dict.h"
#include "clock.h"
#include "i18n.h"
#include "policy.h"
#include "schema.h"
#include "value.h"

void daemon_status_fill(struct daemon_status *ds, const struct sched_status *st, const struct moment *m,
                        const char *backend, const char *quiet_source)
{
        *ds = (struct daemon_status){
                .now = m->rt,
                .bt = m->bt,
                .presence = st->presence,
                .presence_since = moment_wall(m, st->presence_since),
                .backend = backend ? backend : "none",
                .quiet_source = st->quiet ? quiet_source : NULL,
                .paused = st->paused,
                .paused_until = moment_wall(m, st->paused_until),
                .flare = st->flare,
                .flare_day = st->flare_day,
                .flare_days = st->flare_days,
                .flare_recovery = st->flare_recovery,
                .flare_scale = st->flare_scale,
                .quiet = st->quiet,
                .counting = st->counting,
                .limit_reached = st->limit_reached,
                .active_today = st->active_today,
                .daily_limit = st->daily_limit,
                .in_hours = st->in_hours,
                .hours_change = moment_wall(m, st->hours_change),
                .prompt = st->prompt,
        };
        for (int k = 0; k < N_KINDS; k++) {
                const struct sched_kind_status *ks = &st->kinds[k];
                bool running = ks->state == BREAK_ON_BREAK && st->presence != PRESENCE_ACTIVE;

                ds->kinds[k] = (struct shown_kind){
                        .enabled = ks->enabled,
                        .state = ks->state,
                        .worked = ks->worked,
                        .interval = ks->interval,
                        .duration = ks->duration,
                        .break_left = ks->break_left,
                        .due_at = ks->state == BREAK_WAITING ? moment_wall(m, ks->due_at) : 0,
                        .due_since = moment_wall(m, ks->due_since),
                        .snoozed_until = moment_wall(m, ks->snoozed_until),
                        .break_ends = running ? m->rt + ks->break_left : 0,
                        .snoozes_left = ks->snoozes_left,
                        .prompts = ks->prompts,
                };
        }
}

/* Published instants closer than this are the same instant. */
#define WALL_SLACK (500 * 1000)

bool status_instants_differ(uint64_t a, uint64_t b)
{
        return (a > b ? a - b : b - a) > WALL_SLACK;
}

void daemon_status_line(const struct daemon_status *ds, char *text, size_t size)
{
        char part[64], dd[DURATION_BUF];
        size_t n = 0;

        if (ds->paused) {
                n = (size_t) snprintf(text, size, "paused");
        } else {
                for (int k = 0; k < N_KINDS && n < size; k++) {
                        const struct shown_kind *ks = &ds->kinds[k];
                        if (!ks->enabled)
                                continue;
                        if (ks->state == BREAK_WAITING) {
                                uint64_t left = ks->interval > ks->worked ? ks->interval - ks->worked : 0;
                                snprintf(part, sizeof(part), "%s in %s", kind_names[k],
                                         format_duration(dd, (left + USEC_PER_MIN - 1) / USEC_PER_MIN * USEC_PER_MIN));
                        } else {
                                snprintf(part, sizeof(part), "%s %s", kind_names[k], break_state_name(ks->state));
                        }
                        n += (size_t) snprintf(text + n, size - n, "%s%s", n ? ", " : "", part);
                }
        }
        if (n < size)
                snprintf(text + n, size - n, "; %s, backend %s", presence_name(ds->presence), ds->backend);
}

/* A setting, named with its value's origin: "locked by FILE:LINE", "built-in". */
static const char *origin_of(const struct policy *p, enum key_id key, char buf[static ORIGIN_BUF])
{
        const struct setting *st = &p->s[key];
        char ob[ORIGIN_BUF];

        snprintf(buf, ORIGIN_BUF, "%s%s", st->locked ? "locked by " : "",
                 origin_format(ob, st->locked ? &st->lock_origin : &st->origin));
        return buf;
}

/* The refusals' sentences, per kind so that each reads whole in every
 * language; the key and its origin follow in parentheses, untranslated. */
static const char *const not_due[N_KINDS] = { N_("the posture break is not due"), N_("the movement break is not due"),
                                              N_("the pacing rest is not due") };
static const char *const no_snoozes[N_KINDS] = { N_("no snoozes left for the posture break"),
                                                 N_("no snoozes left for the movement break"),
                                                 N_("no snoozes left for the pacing rest") };
static const char *const not_skippable[N_KINDS] = { N_("the posture break cannot be skipped"),
                                                    N_("the movement break cannot be skipped"),
                                                    N_("the pacing rest cannot be skipped") };
static const char *const turned_off[N_KINDS] = { N_("posture breaks are turned off"),
                                                 N_("movement breaks are turned off"),
                                                 N_("pacing rests are turned off") };

/* What a refused action could not do, after "…is not due". */
static const char *nothing_to(const struct action *a)
{
        /* TRANSLATORS: follows "no break is due" or "the posture break is not due". */
        return a->type == ACTION_SNOOZE ? _(", so there is nothing to snooze")
               : a->type == ACTION_SKIP ? _(", so there is nothing to skip")
                                        : "";
}

const char *daemon_refusal(const struct policy *p, const struct action *a, const struct sched_refused *why,
                           char buf[static REFUSAL_BUF])
{
        enum kind k = (enum kind)(why->kind >= 0 ? why->kind : 0);
        char ob[ORIGIN_BUF], kn[KEY_NAME_BUF];

        switch (why->reason) {
        case REFUSED_NOT_DUE:
                if (why->kind < 0 && a->type == ACTION_TAKE)
                        snprintf(buf, REFUSAL_BUF, "%s", _("no break is due; name one to take (limber break posture)"));
                else
                        snprintf(buf, REFUSAL_BUF, "%s%s", why->kind < 0 ? _("no break is due") : _(not_due[k]),
                                 nothing_to(a));
                return LIMBER_BUS_ERROR("NotDue");
        case REFUSED_SNOOZE_LIMIT:
                snprintf(buf, REFUSAL_BUF, "%s (%s = %llu, %s)", _(no_snoozes[k]),
                         key_full_name(kn, kind_key(k, FIELD_MAX_SNOOZES)),
                         (unsigned long long) p->s[kind_key(k, FIELD_MAX_SNOOZES)].value,
                         origin_format(ob, &p->s[kind_key(k, FIELD_MAX_SNOOZES)].origin));
                return LIMBER_BUS_ERROR("SnoozeLimit");
        case REFUSED_NOT_SKIPPABLE:
                snprintf(buf, REFUSAL_BUF, "%s (%s = no, %s)", _(not_skippable[k]),
                         key_full_name(kn, kind_key(k, FIELD_SKIPPABLE)),
                         origin_of(p, kind_key(k, FIELD_SKIPPABLE), ob));
                return LIMBER_BUS_ERROR("NotSkippable");
        case REFUSED_DISABLED:
                origin_of(p, kind_key(k, FIELD_ENABLED), ob);
                key_full_name(kn, kind_key(k, FIELD_ENABLED));
                if (a->type == ACTION_FLARE)
                        snprintf(buf, REFUSAL_BUF, "%s (%s = no, %s); %s 'limber set %s yes'",
                                 _("pacing is off, so a flare plan would change nothing"), kn, ob,
                                 /* TRANSLATORS: followed by a command, 'limber set pacing.enabled yes'. */
                                 _("turn pacing on with"), kn);
                else if (p->s[kind_key(k, FIELD_ENABLED)].locked)
                        snprintf(buf, REFUSAL_BUF, "%s (%s = no, %s)", _(turned_off[k]), kn, ob);
                else
                        snprintf(buf, REFUSAL_BUF, "%s (%s = no, %s); %s 'limber set %s yes'", _(turned_off[k]), kn, ob,
                                 /* TRANSLATORS: followed by a command, 'limber set posture.enabled yes'. */
                                 _("turn them on with"), kn);
                return LIMBER_BUS_ERROR("Disabled");
        case REFUSED_PAUSE_LOCKED:
                snprintf(buf, REFUSAL_BUF, "%s (%s)", _("pausing is turned off by general.allow-pause = no"),
                         origin_of(p, KEY_ALLOW_PAUSE, ob));
                return LIMBER_BUS_ERROR("Locked");
        default:
                snprintf(buf, REFUSAL_BUF, "%s", _("refused"));
                return SD_BUS_ERROR_FAILED;
        }
}
