/* SPDX-License-Identifier: MIT */
#include "prompt.h"

#include <stdlib.h>

#include "log.h"
#include "notifier.h"
#include "policy.h"
#include "scheduler.h"
#include "tips.h"
#include "util.h"

struct prompter {
        const struct prompter_callbacks *cb;
        void *userdata;
        struct notifier *notifier;
        struct tips *tips;

        /* What is on screen. */
        int kind; /* -1: no prompt */
        unsigned count;
        bool started, counting_down;
        const char *tip; /* owned by tips */
        unsigned limit;  /* the daily-limit reminder's count; 0: none */
};

static void on_action(void *userdata, int kind, const char *name)
{
        struct prompter *p = userdata;
        struct action a = { .kind = kind };

        if (kind < 0 || kind >= N_KINDS)
                return;
        if (streq(name, "start"))
                a.type = ACTION_TAKE;
        else if (streq(name, "snooze"))
                a.type = ACTION_SNOOZE;
        else if (streq(name, "skip"))
                a.type = ACTION_SKIP;
        else
                return;
        log_info("notification action %s on the %s break", name, kind_names[kind]);
        /* The action closed the notification: show the prompt again if it stands. */
        p->kind = -1;
        p->cb->action(p->userdata, &a);
}

static void sync_prompt(struct prompter *p, const struct sched_status *st, const struct policy *pol)
{
        const struct sched_kind_status *ks;
        struct kind_policy kp;
        bool started, counting_down;
        int want = st->prompt;

        if (want < 0) {
                if (p->kind >= 0)
                        notifier_close(p->notifier);
                p->kind = -1;
                return;
        }
        ks = &st->kinds[want];
        started = ks->state == BREAK_ON_BREAK;
        counting_down = started && st->presence != PRESENCE_ACTIVE;
        /* Shown again on a new prompt, a reminder, or a change of the countdown. */
        if (p->kind == want && p->count == ks->prompts && p->started == started && p->counting_down == counting_down)
                return;
        /* A new tip for a new prompt; the same one while it is reminded or counts down. */
        if (p->kind != want || !p->tip || (ks->prompts <= 1 && !started))
                p->tip = tips_next(p->tips, (enum kind) want);
        policy_kind(pol, (enum kind) want, &kp);
        notifier_show(p->notifier, &(struct prompt){
                                           .kind = want,
                                           .count = ks->prompts,
                                           .skippable = kp.skippable,
                                           .snoozable = ks->snoozes_left > 0,
                                           .started = started,
                                           .counting_down = counting_down,
                                           .left = ks->break_left,
                                           .duration = ks->duration,
                                           .tip = p->tip,
                                   });
        p->kind = want;
        p->count = ks->prompts;
        p->started = started;
        p->counting_down = counting_down;
}

void prompter_sync(struct prompter *p, const struct sched_status *st, const struct policy *pol)
{
        if (!p)
                return;
        sync_prompt(p, st, pol);
        if (st->limit_prompts != p->limit)
                notifier_limit(p->notifier, st->limit_prompts, st->active_today);
        p->limit = st->limit_prompts;
}

int prompter_new(sd_event *event, const struct prompter_callbacks *cb, void *userdata, struct prompter **ret)
{
        struct prompter *p = xcalloc(1, sizeof(*p));
        int r;

        p->cb = cb;
        p->userdata = userdata;
        p->kind = -1;
        r = notifier_new(event, on_action, p, &p->notifier);
        if (r < 0) {
                free(p);
                return r;
        }
        p->tips = tips_load();
        *ret = p;
        return 0;
}

void prompter_free(struct prompter *p)
{
        if (!p)
                return;
        notifier_free(p->notifier);
        tips_free(p->tips);
        free(p);
}
