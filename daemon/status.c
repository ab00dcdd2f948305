/* SPDX-License-Identifier: MIT */
#include "status.h"

#include <stdio.h>

#include "clock.h"
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
