/* SPDX-License-Identifier: MIT */
#include "scheduler.h"

#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "util.h"
#include "value.h"

#define NEVER SCHED_NEVER

/* A started break counts down in steps this fine. */
#define ON_BREAK_IDLE_THRESHOLD (2 * USEC_PER_SEC)

struct kstate {
        struct kind_policy pol;
        uint64_t worked;
        uint64_t reset_at; /* last satisfied: no credit before it can be backed out */

        bool due;
        uint64_t due_at;
        bool announced; /* EV_DUE was emitted for this break */
        bool prompting; /* a prompt is on screen */
        unsigned prompts;
        uint64_t next_prompt;   /* NEVER: none scheduled */
        uint64_t snoozed_until; /* 0: not snoozed */
        uint64_t defer_until;   /* 0: not held back */
        unsigned snoozes;

        bool on_break; /* started: away time adds up in break_idle */
        uint64_t break_idle;

        bool nat_done; /* already satisfied by the current away spell */

        bool off;          /* outside working hours: neither counts nor prompts */
        uint64_t off_since;
        uint64_t lull_until; /* a prompt waiting for a pause in typing, at most until then; 0: none */
};

struct sched {
        sched_emit_fn emit;
        void *userdata;
        uint64_t last; /* everything is accounted up to here */

        uint64_t idle_after, max_defer;
        uint64_t wait_for_lull, lull; /* general.wait-for-lull (0: prompt at once), general.lull */
        bool lull_sensed;             /* an idle source sees pauses that short */
        bool allow_pause;
        bool pacing_hours; /* pacing follows working hours too */
        bool in_hours;
        uint64_t hours_until; /* when working hours begin or end next (NEVER: not until told) */
        uint64_t daily_limit; /* 0: none */
        unsigned flare_scale, flare_days_default, flare_recovery_default;
        struct kstate k[N_KINDS];

        enum presence presence;
        uint64_t presence_since;
        bool away;
        uint64_t away_since;
        uint64_t back_at;     /* the last return from away (the start of the active spell) */
        bool committed;       /* the away spell reached idle-after: it adds nothing */
        uint64_t credit_from; /* start of the current stretch of counted time */

        bool paused;
        uint64_t pause_until; /* NEVER: until resumed */
        uint64_t resumed_at;

        bool quiet;

        /* The flare plan: flare_days days of flare (0: no plan), then
         * flare_recovery days back to 100 %; today is its day flare_day. */
        unsigned flare_day, flare_days, flare_recovery;

        uint64_t active_today;
        uint64_t day_start, day_end;
        uint64_t check_in; /* the next daily check-in; NEVER: none */
        bool limit_reached;
        uint64_t limit_next; /* active_today at which to remind again */
        unsigned limit_prompts;

        struct sched_refused refused; /* the last action's refusal */
        bool restoring; /* replaying the time limberd was not running: nobody to prompt */
};

static uint64_t min_u64(uint64_t a, uint64_t b)
{
        return a < b ? a : b;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
        return a > b ? a : b;
}

static void emit(struct sched *s, const struct sched_event *ev)
{
        if (s->emit)
                s->emit(s->userdata, ev);
}

static void emit_simple(struct sched *s, enum sched_event_type type, int kind, uint64_t at)
{
        emit(s, &(struct sched_event) { .type = type, .at = at, .kind = kind });
}

static bool in_flare(const struct sched *s)
{
        return s->flare_days && s->flare_day <= s->flare_days;
}

/* The percent pacing is scaled by today: flare-scale on a flare day, equal
 * steps back to 100 over the recovery days. */
static unsigned flare_scale_now(const struct sched *s)
{
        unsigned r;

        if (!s->flare_days)
                return 100;
        if (in_flare(s))
                return s->flare_scale;
        r = s->flare_day - s->flare_days; /* 1 … flare_recovery */
        return s->flare_scale + (100 - s->flare_scale) * r / (s->flare_recovery + 1);
}

static uint64_t scaled(const struct sched *s, uint64_t v)
{
        unsigned pct = flare_scale_now(s);
        return pct < 100 ? max_u64(v * pct / 100, USEC_PER_SEC) : v;
}

/* The interval in force: pacing's quota shrinks in a flare. */
static uint64_t kind_interval(const struct sched *s, int k)
{
        uint64_t v = s->k[k].pol.interval;

        return k == KIND_PACING ? scaled(s, v) : v;
}

static uint64_t daily_limit(const struct sched *s)
{
        if (!s->k[KIND_PACING].pol.enabled || !s->daily_limit)
                return 0;
        return scaled(s, s->daily_limit);
}

static void emit_flare(struct sched *s, uint64_t t)
{
        bool on = s->flare_days > 0;

        emit(s, &(struct sched_event) { .type = EV_FLARE,
                                        .at = t,
                                        .kind = KIND_PACING,
                                        .on = on,
                                        .day = on ? s->flare_day : 0,
                                        .days = s->flare_days,
                                        .recovery = on ? s->flare_recovery : 0,
                                        .scale = flare_scale_now(s) });
}

/* Does kind k keep working hours? Posture and movement do; pacing only
 * when the user says so. */
static bool follows_hours(const struct sched *s, int k)
{
        return k != KIND_PACING || s->pacing_hours;
}

/* Is active time being counted right now? */
static bool counting(const struct sched *s)
{
        return !s->paused && (!s->away || !s->committed);
}

/* Away long enough that the time does not count: reminders wait. */
static bool away_for_good(const struct sched *s)
{
        return s->away && s->committed;
}

/* Natural breaks count away time from here (a pause freezes them). */
static uint64_t spell_start(const struct sched *s)
{
        return max_u64(s->away_since, s->resumed_at);
}

/* Where kind k's time away began: the user's away spell, or the end of
 * working hours (time outside them counts as time away); NEVER if neither. */
static uint64_t kind_spell_start(const struct sched *s, int k)
{
        uint64_t t = s->away ? spell_start(s) : NEVER;

        if (s->k[k].off)
                t = min_u64(t, max_u64(s->k[k].off_since, s->resumed_at));
        return t;
}

/* A due kind whose prompt is covered by a longer break that is due (or
 * started) and not snoozed: only the longest is prompted. */
static bool covered(const struct sched *s, int k)
{
        for (int j = 0; j < N_KINDS; j++) {
                const struct kstate *o = &s->k[j];
                if (j == k || !o->pol.enabled || !(o->due || o->on_break) || o->snoozed_until)
                        continue;
                if (o->pol.duration > s->k[k].pol.duration || (o->pol.duration == s->k[k].pol.duration && j > k))
                        return true;
        }
        return false;
}

/* ---- accounting ---------------------------------------------------------- */

/* Counts time from s->last up to t under the current presence. */
static void credit(struct sched *s, uint64_t t)
{
        uint64_t d;

        if (t <= s->last)
                return;
        d = t - s->last;
        if (counting(s)) {
                for (int k = 0; k < N_KINDS; k++)
                        if (s->k[k].pol.enabled && !s->k[k].off)
                                s->k[k].worked += d;
                s->active_today += d;
        }
        if (!s->paused && s->away)
                for (int k = 0; k < N_KINDS; k++)
                        if (s->k[k].on_break)
                                s->k[k].break_idle += d;
        s->last = t;
}

static void reset_kind(struct kstate *ks, uint64_t t)
{
        ks->worked = 0;
        ks->reset_at = t;
        ks->due = false;
        ks->due_at = 0;
        ks->announced = false;
        ks->prompting = false;
        ks->prompts = 0;
        ks->next_prompt = NEVER;
        ks->snoozed_until = 0;
        ks->defer_until = 0;
        ks->snoozes = 0;
        ks->on_break = false;
        ks->break_idle = 0;
        ks->lull_until = 0;
}

/* The break of kind k ends: taken if it was prompted (its due event went
 * out; a snooze since does not change that) or started, natural otherwise:
 * never prompted, or due but covered by a longer break or held back while
 * quiet. So taken never exceeds due. A natural break after less than
 * idle-after of activity is not worth a record: the counter returns to 0. */
static void satisfy(struct sched *s, int k, uint64_t t)
{
        struct kstate *ks = &s->k[k];
        bool taken = ks->on_break || (ks->due && ks->announced);

        if (!taken && ks->worked < s->idle_after) {
                reset_kind(ks, t);
                return;
        }
        emit(s, &(struct sched_event) {
                        .type = taken ? EV_TAKEN : EV_NATURAL,
                        .at = t,
                        .kind = k,
                        .worked = ks->worked,
                        .overdue = ks->due ? t - ks->due_at : 0,
                });
        reset_kind(ks, t);
}

/* Every kind, shortest duration first. */
static void sort_by_duration(const struct sched *s, int order[N_KINDS])
{
        for (int i = 0; i < N_KINDS; i++)
                order[i] = i;
        for (int i = 1; i < N_KINDS; i++)
                for (int j = i; j > 0 && s->k[order[j]].pol.duration < s->k[order[j - 1]].pol.duration; j--) {
                        int tmp = order[j];
                        order[j] = order[j - 1];
                        order[j - 1] = tmp;
                }
}

/* Kind k and the shorter breaks its prompt covers, in ascending duration
 * order, filtered by want(). */
static int group(const struct sched *s, int k, int out[N_KINDS], bool (*want)(const struct kstate *))
{
        int order[N_KINDS], n = 0;

        sort_by_duration(s, order);
        for (int i = 0; i < N_KINDS; i++) {
                int j = order[i];
                const struct kstate *o = &s->k[j];
                if (j != k && (!o->pol.enabled || o->pol.duration > s->k[k].pol.duration || !want(o)))
                        continue;
                out[n++] = j;
        }
        return n;
}

static bool want_due(const struct kstate *o)
{
        return o->due;
}

static bool want_open(const struct kstate *o)
{
        return o->due || o->on_break || o->worked > 0;
}

/* Brings prompts up to date at time t. */
static void update_prompts(struct sched *s, uint64_t t)
{
        if (s->paused || s->restoring)
                return;
        /* Snoozes that ended first: they decide which prompt covers which. */
        for (int k = 0; k < N_KINDS; k++) {
                struct kstate *ks = &s->k[k];
                if (ks->snoozed_until && t >= ks->snoozed_until) {
                        ks->snoozed_until = 0;
                        ks->next_prompt = t;
                }
        }
        for (int k = 0; k < N_KINDS; k++) {
                struct kstate *ks = &s->k[k];

                if (!ks->pol.enabled || !ks->due)
                        continue;
                if (ks->on_break) {
                        ks->prompting = true; /* the countdown */
                        ks->next_prompt = NEVER;
                        continue;
                }
                if (ks->snoozed_until)
                        continue;
                if (away_for_good(s))
                        continue; /* nobody to remind: prompt again on return */
                if (covered(s, k)) {
                        ks->prompting = false;
                        if (ks->next_prompt <= t)
                                ks->next_prompt = NEVER;
                        continue;
                }
                if (ks->next_prompt == NEVER)
                        ks->next_prompt = t; /* no longer covered */
                if (ks->lull_until && s->away) /* a pause began: it may be the moment */
                        ks->next_prompt = min_u64(ks->next_prompt, max_u64(t, s->away_since + s->lull));
                if (ks->next_prompt > t)
                        continue;

                if (s->quiet && s->max_defer > 0 && (!ks->defer_until || t < ks->defer_until)) {
                        if (!ks->defer_until) {
                                ks->defer_until = t + s->max_defer;
                                emit_simple(s, EV_DEFERRED, k, t);
                        }
                        ks->next_prompt = ks->defer_until;
                        continue;
                }
                /* Wait for a pause in typing: the user's away spell reaching
                 * lull (it began at the last input), at most wait-for-lull. */
                if (s->wait_for_lull && s->lull_sensed && !(s->away && t >= s->away_since + s->lull)) {
                        if (!ks->lull_until)
                                ks->lull_until = t + s->wait_for_lull;
                        if (t < ks->lull_until) {
                                ks->next_prompt = min_u64(ks->lull_until, s->away ? s->away_since + s->lull : NEVER);
                                continue;
                        }
                }
                ks->defer_until = 0;
                ks->lull_until = 0;
                ks->prompts++;
                ks->prompting = true;
                ks->next_prompt = t + ks->pol.reprompt;
                if (!ks->announced) {
                        ks->announced = true;
                        emit(s, &(struct sched_event) {
                                        .type = EV_DUE, .at = t, .kind = k, .worked = ks->worked, .count = 1 });
                } else {
                        emit(s, &(struct sched_event) {
                                        .type = EV_REPROMPT, .at = t, .kind = k, .count = ks->prompts });
                }
        }
}

static void day_rollover(struct sched *s, uint64_t t)
{
        emit(s, &(struct sched_event) { .type = EV_DAY, .at = t, .kind = -1, .active_today = s->active_today });
        s->active_today = 0;
        s->day_start = t;
        s->day_end = s->day_end + USEC_PER_DAY;
        s->limit_reached = false;
        s->limit_prompts = 0;
        for (int k = 0; k < N_KINDS; k++)
                s->k[k].snoozes = 0;
        if (s->flare_days) {
                /* The plan's next day, or its end. */
                if (++s->flare_day > s->flare_days + s->flare_recovery)
                        s->flare_day = s->flare_days = s->flare_recovery = 0;
                emit_flare(s, t);
        }
}

static void check_in(struct sched *s, uint64_t t)
{
        s->check_in = s->check_in <= NEVER - USEC_PER_DAY ? s->check_in + USEC_PER_DAY : NEVER;
        if (!s->paused && !s->restoring)
                emit_simple(s, EV_CHECK_IN, KIND_PACING, t);
}

static void do_resume(struct sched *s, uint64_t t)
{
        s->paused = false;
        s->pause_until = NEVER;
        s->resumed_at = t;
        s->credit_from = t;
        if (s->away) {
                /* Time away before the pause does not join time away after it. */
                s->away_since = t;
                s->committed = false;
                for (int k = 0; k < N_KINDS; k++)
                        s->k[k].nat_done = false;
        }
        emit_simple(s, EV_RESUMED, -1, t);
        for (int k = 0; k < N_KINDS; k++)
                if (s->k[k].due && !s->k[k].snoozed_until)
                        s->k[k].next_prompt = t; /* remind at once */
}

/* The away spell reached idle-after: none of it counts, from its start. */
/* Takes back the active time credited from `from` to t. */
static void retract(struct sched *s, uint64_t from, uint64_t t)
{
        from = max_u64(from, s->credit_from);
        for (int k = 0; k < N_KINDS; k++) {
                struct kstate *ks = &s->k[k];
                uint64_t f = max_u64(from, ks->reset_at);
                if (ks->pol.enabled && t > f)
                        ks->worked -= min_u64(ks->worked, t - f);
        }
        from = max_u64(from, s->day_start);
        if (t > from)
                s->active_today -= min_u64(s->active_today, t - from);
}

static void commit_away(struct sched *s, uint64_t t)
{
        retract(s, s->away_since, t);
        s->committed = true;
}

/* Working hours begin (in) or end at t. At their end a due or started
 * break is dropped, not carried into the evening; the time outside counts
 * as time away for the kinds that keep them. */
static void sync_off(struct sched *s, uint64_t t)
{
        for (int k = 0; k < N_KINDS; k++) {
                struct kstate *ks = &s->k[k];
                bool off = follows_hours(s, k) && !s->in_hours;

                if (off == ks->off)
                        continue;
                if (!off) {
                        ks->off = false;
                        ks->reset_at = max_u64(ks->reset_at, t); /* it counts from here */
                        if (!s->away)
                                ks->nat_done = false;
                        continue;
                }
                if (ks->pol.enabled && (ks->due || ks->on_break)) {
                        emit(s, &(struct sched_event) {
                                        .type = EV_DROPPED, .at = t, .kind = k, .worked = ks->worked,
                                        .overdue = ks->due ? t - ks->due_at : 0 });
                        reset_kind(ks, t);
                }
                ks->off = true;
                ks->off_since = t;
                if (!s->away)
                        ks->nat_done = false;
        }
}

static void set_hours(struct sched *s, bool in, uint64_t t)
{
        s->in_hours = in;
        emit(s, &(struct sched_event) { .type = EV_HOURS, .at = t, .kind = -1, .on = in });
        sync_off(s, t);
}

/* Everything that happens at t (== s->last). */
static void fire(struct sched *s, uint64_t t)
{
        uint64_t limit;

        if (s->day_end <= t)
                day_rollover(s, t);
        if (s->hours_until <= t) {
                s->hours_until = NEVER; /* until the caller says when next */
                set_hours(s, !s->in_hours, t);
        }
        if (s->check_in <= t)
                check_in(s, t);
        if (s->paused && s->pause_until <= t)
                do_resume(s, t);
        if (s->paused)
                return;

        if (s->away && !s->committed && t >= s->away_since + s->idle_after)
                commit_away(s, t);

        {
                int order[N_KINDS];

                /* Natural breaks, shortest first: time away, or outside working hours. */
                sort_by_duration(s, order);
                for (int i = 0; i < N_KINDS; i++) {
                        int k = order[i];
                        struct kstate *ks = &s->k[k];
                        uint64_t from = kind_spell_start(s, k);
                        if (!ks->pol.enabled || ks->nat_done || from == NEVER || t < from + ks->pol.duration)
                                continue;
                        ks->nat_done = true;
                        if (want_open(ks))
                                satisfy(s, k, t);
                }
                /* Started breaks, counted down over away time. */
                for (int i = N_KINDS - 1; i >= 0 && s->away; i--) {
                        int k = order[i], g[N_KINDS], m;
                        if (!s->k[k].on_break || s->k[k].break_idle < s->k[k].pol.duration)
                                continue;
                        m = group(s, k, g, want_open);
                        for (int j = 0; j < m; j++)
                                satisfy(s, g[j], t);
                }
        }

        if (counting(s)) {
                for (int k = 0; k < N_KINDS; k++) {
                        struct kstate *ks = &s->k[k];
                        if (ks->pol.enabled && !ks->off && !ks->due && ks->worked >= kind_interval(s, k)) {
                                ks->due = true;
                                ks->due_at = t;
                                ks->announced = false;
                                ks->prompts = 0;
                                ks->next_prompt = t;
                        }
                }
                limit = daily_limit(s);
                if (s->limit_reached && (!limit || s->active_today < limit))
                        s->limit_reached = false; /* flare ended, or the limit was raised */
                if (limit && !s->limit_reached && s->active_today >= limit) {
                        s->limit_reached = true;
                        s->limit_prompts = 1;
                        s->limit_next = s->active_today + s->k[KIND_PACING].pol.reprompt;
                        emit(s, &(struct sched_event) { .type = EV_LIMIT,
                                                        .at = t,
                                                        .kind = KIND_PACING,
                                                        .count = 1,
                                                        .active_today = s->active_today });
                } else if (limit && s->limit_reached && s->active_today >= s->limit_next) {
                        s->limit_prompts++;
                        s->limit_next = s->active_today + s->k[KIND_PACING].pol.reprompt;
                        emit(s, &(struct sched_event) { .type = EV_REPROMPT,
                                                        .at = t,
                                                        .kind = KIND_PACING,
                                                        .count = s->limit_prompts,
                                                        .limit = true });
                }
        }

        update_prompts(s, t);
}

/* The next moment fire() has work, judged at s->last. */
static uint64_t next_internal(const struct sched *s)
{
        uint64_t t = min_u64(min_u64(s->day_end, s->hours_until), s->check_in), limit;

        if (s->paused)
                return min_u64(t, s->pause_until);

        if (s->away && !s->committed)
                t = min_u64(t, s->away_since + s->idle_after);

        for (int k = 0; k < N_KINDS; k++) {
                const struct kstate *ks = &s->k[k];

                if (!ks->pol.enabled)
                        continue;
                if ((s->away || ks->off) && !ks->nat_done && want_open(ks))
                        t = min_u64(t, kind_spell_start(s, k) + ks->pol.duration);
                if (s->away && ks->on_break)
                        t = min_u64(t, s->last + (ks->pol.duration - min_u64(ks->break_idle, ks->pol.duration)));
                if (!ks->due && !ks->off && counting(s)) {
                        uint64_t iv = kind_interval(s, k);
                        t = min_u64(t, s->last + (iv - min_u64(ks->worked, iv)));
                }
                /* While snoozed, the next prompt is at the snooze's end,
                 * whatever next_prompt says. */
                if (ks->due && !ks->on_break && !away_for_good(s) && !s->restoring)
                        t = min_u64(t, ks->snoozed_until ? ks->snoozed_until : ks->next_prompt);
        }

        limit = daily_limit(s);
        if (limit && counting(s)) {
                uint64_t target = s->limit_reached ? s->limit_next : limit;
                t = min_u64(t, s->last + (target - min_u64(s->active_today, target)));
        }
        return t;
}

void sched_advance(struct sched *s, uint64_t now)
{
        for (;;) {
                uint64_t t = next_internal(s);
                if (t > now)
                        break;
                t = max_u64(t, s->last);
                credit(s, t);
                fire(s, t);
        }
        credit(s, now);
}

uint64_t sched_next_deadline(const struct sched *s, uint64_t now)
{
        uint64_t t = next_internal(s);

        if (t == NEVER)
                return NEVER;
        /* Relative deadlines are measured from s->last. */
        return max_u64(t, now);
}

uint64_t sched_idle_threshold(const struct sched *s)
{
        for (int k = 0; k < N_KINDS; k++)
                if (s->k[k].on_break)
                        return min_u64(ON_BREAK_IDLE_THRESHOLD, s->idle_after);
        return s->idle_after;
}

size_t sched_idle_thresholds(const struct sched *s, uint64_t ret[static SCHED_MAX_THRESHOLDS])
{
        size_t n = 0;

        ret[n++] = sched_idle_threshold(s);
        for (int k = 0; k < N_KINDS; k++)
                if (s->k[k].pol.enabled)
                        ret[n++] = s->k[k].pol.duration;
        /* Only while a prompt waits for a pause in typing. */
        for (int k = 0; k < N_KINDS; k++)
                if (s->k[k].lull_until) {
                        ret[n++] = s->lull;
                        break;
                }
        return n;
}

/* ---- setup ---------------------------------------------------------------- */

static void load_policy(struct sched *s, const struct policy *p, uint64_t now)
{
        s->idle_after = policy_get(p, KEY_IDLE_AFTER);
        s->max_defer = policy_get(p, KEY_MAX_DEFER);
        s->wait_for_lull = policy_get(p, KEY_WAIT_FOR_LULL);
        s->lull = policy_get(p, KEY_LULL);
        s->allow_pause = policy_get(p, KEY_ALLOW_PAUSE);
        s->daily_limit = policy_get(p, KEY_PACING_DAILY_LIMIT);
        s->flare_scale = (unsigned) policy_get(p, KEY_PACING_FLARE_SCALE);
        s->pacing_hours = policy_get(p, KEY_PACING_FOLLOW_WORK_HOURS);
        s->flare_days_default = (unsigned) policy_get(p, KEY_PACING_FLARE_DAYS);
        s->flare_recovery_default = (unsigned) policy_get(p, KEY_PACING_FLARE_RECOVERY);
        for (int k = 0; k < N_KINDS; k++) {
                struct kstate *ks = &s->k[k];
                bool was = ks->pol.enabled;

                policy_kind(p, (enum kind) k, &ks->pol);
                /* The schema's minimum already; fire() would never move on without it. */
                ks->pol.reprompt = ks->pol.reprompt ? ks->pol.reprompt : USEC_PER_SEC;
                if (!ks->pol.enabled || !was)
                        reset_kind(ks, now); /* a disabled kind keeps nothing */
                if (ks->due && ks->next_prompt != NEVER && !ks->snoozed_until)
                        ks->next_prompt = min_u64(ks->next_prompt, now + ks->pol.reprompt);
        }
        sync_off(s, now); /* pacing may follow working hours now, or no longer */
}

struct sched *sched_new(const struct policy *p, uint64_t now, sched_emit_fn emit_fn, void *userdata)
{
        struct sched *s = xcalloc(1, sizeof(*s));

        s->emit = emit_fn;
        s->userdata = userdata;
        s->last = now;
        s->presence = PRESENCE_ACTIVE;
        s->presence_since = now;
        s->back_at = now;
        s->credit_from = now;
        s->pause_until = NEVER;
        s->day_start = now;
        s->day_end = NEVER;
        s->in_hours = true;
        s->hours_until = NEVER;
        s->check_in = NEVER;
        load_policy(s, p, now);
        return s;
}

void sched_free(struct sched *s)
{
        free(s);
}

void sched_set_policy(struct sched *s, const struct policy *p, uint64_t now)
{
        sched_advance(s, now);
        load_policy(s, p, now);
        sched_advance(s, now);
        fire(s, now);
}

void sched_set_hours(struct sched *s, bool in_hours, uint64_t until, uint64_t now)
{
        sched_advance(s, now);
        if (in_hours != s->in_hours)
                set_hours(s, in_hours, now);
        s->hours_until = until;
        sched_advance(s, now);
        fire(s, now);
}

void sched_set_lull_sensed(struct sched *s, bool sensed, uint64_t now)
{
        if (s->lull_sensed == sensed)
                return;
        sched_advance(s, now);
        s->lull_sensed = sensed;
        if (!sensed)
                for (int k = 0; k < N_KINDS; k++)
                        if (s->k[k].lull_until) {
                                s->k[k].lull_until = 0;
                                s->k[k].next_prompt = now; /* nothing will see a pause: prompt now */
                        }
        sched_advance(s, now);
        fire(s, now);
}

void sched_set_day_end(struct sched *s, uint64_t at, uint64_t now)
{
        sched_advance(s, now);
        s->day_end = at;
        sched_advance(s, now);
}

void sched_set_check_in(struct sched *s, uint64_t at, uint64_t now)
{
        sched_advance(s, now);
        s->check_in = at;
        sched_advance(s, now);
}

void sched_presence(struct sched *s, enum presence p, uint64_t since, uint64_t now)
{
        if (since > now)
                since = now;
        /* The change happened at `since`: account up to then under the old presence. */
        if (since > s->last)
                sched_advance(s, since);
        else
                sched_advance(s, s->last);
        /* No change goes back before the one before it; an away spell may be
         * found to have begun earlier, but not before the user came back. */
        if (since < (p != PRESENCE_ACTIVE && s->away ? s->back_at : s->presence_since))
                since = p != PRESENCE_ACTIVE && s->away ? s->back_at : s->presence_since;

        if (p == PRESENCE_ACTIVE) {
                if (s->away) {
                        s->away = false;
                        s->back_at = since;
                        if (s->committed)
                                s->credit_from = s->last;
                        s->committed = false;
                }
        } else if (!s->away) {
                s->away = true;
                s->away_since = since;
                s->committed = false;
                for (int k = 0; k < N_KINDS; k++)
                        if (!s->k[k].off) /* its spell outside working hours goes on */
                                s->k[k].nat_done = false;
        } else if (since < s->away_since) {
                /* A better source, or a report dated further back: the spell
                 * began earlier, and none of it counts once it is long enough. */
                if (s->committed)
                        retract(s, since, s->away_since);
                s->away_since = since;
        }
        s->presence = p;
        s->presence_since = since;

        sched_advance(s, now);
        fire(s, now);
}

/* ---- actions -------------------------------------------------------------- */

static int refuse(struct sched *s, enum action_type action, int kind, enum sched_refusal why, uint64_t now)
{
        s->refused = (struct sched_refused) { why, kind };
        emit(s, &(struct sched_event) { .type = EV_REFUSED, .at = now, .kind = kind, .action = action, .reason = why });
        return -(int) why;
}

static int snooze_one(struct sched *s, int k, uint64_t span, uint64_t now)
{
        struct kstate *ks = &s->k[k];
        int g[N_KINDS], n;

        if (!ks->pol.enabled)
                return refuse(s, ACTION_SNOOZE, k, REFUSED_DISABLED, now);
        if (!ks->due)
                return refuse(s, ACTION_SNOOZE, k, REFUSED_NOT_DUE, now);
        if (ks->snoozes >= ks->pol.max_snoozes)
                return refuse(s, ACTION_SNOOZE, k, REFUSED_SNOOZE_LIMIT, now);
        if (!span)
                span = ks->pol.snooze;

        n = group(s, k, g, want_due);
        for (int i = 0; i < n; i++) {
                struct kstate *o = &s->k[g[i]];
                if (o->snoozes < o->pol.max_snoozes || g[i] == k)
                        o->snoozes++;
                o->snoozed_until = now + span;
                o->prompting = false;
                o->on_break = false;
                o->break_idle = 0;
                o->defer_until = 0;
                o->next_prompt = NEVER;
                emit(s, &(struct sched_event) {
                                .type = EV_SNOOZED, .at = now, .kind = g[i], .span = span, .count = o->snoozes });
        }
        return 0;
}

/* The prompted break, which an action without a kind is about: the longest
 * that is due and not snoozed (and not started, with not_started); -1: none. */
static int prompted_kind(const struct sched *s, bool not_started)
{
        int longest = -1;

        for (int k = 0; k < N_KINDS; k++)
                if (s->k[k].pol.enabled && s->k[k].due && !s->k[k].snoozed_until &&
                    !(not_started && s->k[k].on_break) &&
                    (longest < 0 || s->k[k].pol.duration > s->k[longest].pol.duration))
                        longest = k;
        return longest;
}

int sched_snooze(struct sched *s, int kind, uint64_t span, uint64_t now)
{
        int r;

        sched_advance(s, now);
        if (kind >= 0) {
                r = snooze_one(s, kind, span, now);
        } else {
                /* The whole prompt: the longest due break and those it covers. */
                int longest = prompted_kind(s, false);
                struct sched_refused why;

                if (longest >= 0)
                        r = snooze_one(s, longest, span, now);
                else
                        r = refuse(s, ACTION_SNOOZE, -1, REFUSED_NOT_DUE, now);
                why = s->refused;
                for (int k = 0; k < N_KINDS; k++) /* any left due and not snoozed */
                        if (s->k[k].pol.enabled && s->k[k].due && !s->k[k].snoozed_until && k != longest)
                                (void) snooze_one(s, k, span, now);
                s->refused = why; /* the answer is about the prompt's break */
        }
        update_prompts(s, now);
        return r;
}

static int skip_one(struct sched *s, int k, uint64_t now)
{
        struct kstate *ks = &s->k[k];
        int g[N_KINDS], n;

        if (!ks->pol.enabled)
                return refuse(s, ACTION_SKIP, k, REFUSED_DISABLED, now);
        if (!ks->due && !ks->on_break)
                return refuse(s, ACTION_SKIP, k, REFUSED_NOT_DUE, now);
        if (!ks->pol.skippable)
                return refuse(s, ACTION_SKIP, k, REFUSED_NOT_SKIPPABLE, now);

        n = group(s, k, g, want_due);
        for (int i = 0; i < n; i++) {
                struct kstate *o = &s->k[g[i]];
                if (g[i] != k && !o->pol.skippable)
                        continue; /* it will be prompted on its own */
                emit(s, &(struct sched_event) { .type = EV_SKIPPED,
                                                .at = now,
                                                .kind = g[i],
                                                .worked = o->worked,
                                                .overdue = o->due ? now - o->due_at : 0 });
                reset_kind(o, now);
        }
        return 0;
}

int sched_skip(struct sched *s, int kind, uint64_t now)
{
        int r;

        sched_advance(s, now);
        if (kind >= 0) {
                r = skip_one(s, kind, now);
        } else {
                int longest = -1;
                for (int k = 0; k < N_KINDS; k++)
                        if (s->k[k].pol.enabled && (s->k[k].due || s->k[k].on_break) &&
                            (longest < 0 || s->k[k].pol.duration > s->k[longest].pol.duration))
                                longest = k;
                r = longest >= 0 ? skip_one(s, longest, now) : refuse(s, ACTION_SKIP, -1, REFUSED_NOT_DUE, now);
        }
        update_prompts(s, now);
        return r;
}

int sched_take(struct sched *s, int kind, uint64_t now)
{
        struct kstate *ks;
        int g[N_KINDS], n;

        sched_advance(s, now);
        if (kind < 0) {
                kind = prompted_kind(s, true);
                if (kind < 0)
                        return refuse(s, ACTION_TAKE, -1, REFUSED_NOT_DUE, now);
        }
        if (kind >= N_KINDS)
                return refuse(s, ACTION_TAKE, kind, REFUSED_DISABLED, now);
        ks = &s->k[kind];
        if (!ks->pol.enabled)
                return refuse(s, ACTION_TAKE, kind, REFUSED_DISABLED, now);

        n = group(s, kind, g, want_due);
        for (int i = 0; i < n; i++) {
                struct kstate *o = &s->k[g[i]];
                if (o->on_break)
                        continue;
                o->on_break = true;
                o->break_idle = 0;
                o->snoozed_until = 0;
                o->defer_until = 0;
                o->prompting = true;
                emit_simple(s, EV_STARTED, g[i], now);
        }
        update_prompts(s, now);
        return 0;
}

int sched_pause(struct sched *s, uint64_t span, uint64_t now)
{
        sched_advance(s, now);
        if (!s->allow_pause)
                return refuse(s, ACTION_PAUSE, -1, REFUSED_PAUSE_LOCKED, now);
        s->paused = true;
        s->pause_until = span ? now + span : NEVER;
        for (int k = 0; k < N_KINDS; k++)
                s->k[k].prompting = false;
        emit(s, &(struct sched_event) { .type = EV_PAUSED, .at = now, .kind = -1, .span = span });
        return 0;
}

void sched_resume(struct sched *s, uint64_t now)
{
        sched_advance(s, now);
        if (!s->paused)
                return;
        do_resume(s, now);
        sched_advance(s, now);
        fire(s, now);
}

void sched_set_flare(struct sched *s, bool on, unsigned days, uint64_t now)
{
        unsigned recovery = on ? s->flare_recovery_default : 0;

        sched_advance(s, now);
        days = !on ? 0 : days ? days : s->flare_days_default;
        /* A new plan starts over at day 1; the same plan on its first day
         * (asked twice) and no plan at all are no news. */
        if (days == s->flare_days && recovery == s->flare_recovery && s->flare_day <= 1)
                return;
        s->flare_days = days;
        s->flare_recovery = recovery;
        s->flare_day = days ? 1 : 0;
        emit_flare(s, now);
        sched_advance(s, now);
        fire(s, now);
}

void sched_set_quiet(struct sched *s, bool quiet, uint64_t now)
{
        sched_advance(s, now);
        if (s->quiet == quiet)
                return;
        s->quiet = quiet;
        if (!quiet)
                for (int k = 0; k < N_KINDS; k++)
                        if (s->k[k].defer_until) {
                                s->k[k].defer_until = 0;
                                s->k[k].next_prompt = now; /* show what waited */
                        }
        update_prompts(s, now);
}

int sched_act(struct sched *s, const struct action *a, uint64_t now, struct sched_refused *why)
{
        int r = 0;

        s->refused = (struct sched_refused) { REFUSED_NONE, -1 };
        switch (a->type) {
        case ACTION_SNOOZE:
                r = sched_snooze(s, a->kind, a->span, now);
                break;
        case ACTION_SKIP:
                r = sched_skip(s, a->kind, now);
                break;
        case ACTION_TAKE:
                r = sched_take(s, a->kind, now);
                break;
        case ACTION_PAUSE:
                r = sched_pause(s, a->span, now);
                break;
        case ACTION_RESUME:
                sched_resume(s, now);
                break;
        case ACTION_FLARE:
                /* A flare scales pacing: with pacing off it would change
                 * nothing, so say so rather than start a plan. Ending one
                 * is always allowed. */
                if (a->on && !s->k[KIND_PACING].pol.enabled)
                        r = refuse(s, ACTION_FLARE, KIND_PACING, REFUSED_DISABLED, now);
                else
                        sched_set_flare(s, a->on, a->days, now);
                break;
        default:
                break;
        }
        if (why)
                *why = r < 0 ? s->refused : (struct sched_refused) { REFUSED_NONE, -1 };
        return r;
}

/* ---- status --------------------------------------------------------------- */

void sched_get_status(const struct sched *s, uint64_t now, struct sched_status *ret)
{
        uint64_t extra = now > s->last && counting(s) ? now - s->last : 0;

        *ret = (struct sched_status) {
                .presence = s->presence,
                .presence_since = s->presence_since,
                .counting = counting(s),
                .paused = s->paused,
                .paused_until = s->paused && s->pause_until != NEVER ? s->pause_until : 0,
                .flare = in_flare(s),
                .flare_day = s->flare_day,
                .flare_days = s->flare_days,
                .flare_recovery = s->flare_recovery,
                .flare_scale = flare_scale_now(s),
                .quiet = s->quiet,
                .limit_reached = s->limit_reached,
                .active_today = s->active_today + extra,
                .daily_limit = daily_limit(s),
                .limit_prompts = s->limit_reached && !s->paused ? max_u64(s->limit_prompts, 1) : 0,
                .prompt = -1,
                .in_hours = s->in_hours,
                .hours_change = s->hours_until,
        };
        for (int k = 0; k < N_KINDS; k++) {
                const struct kstate *ks = &s->k[k];
                struct sched_kind_status *st = &ret->kinds[k];
                uint64_t iv = kind_interval(s, k);

                st->enabled = ks->pol.enabled;
                st->interval = iv;
                st->duration = ks->pol.duration;
                st->worked = !ks->pol.enabled ? 0 : ks->off ? ks->worked : ks->worked + extra;
                st->due_since = ks->due ? ks->due_at : 0;
                st->snoozed_until = ks->snoozed_until;
                st->snoozes_left = ks->snoozes < ks->pol.max_snoozes ? ks->pol.max_snoozes - ks->snoozes : 0;
                st->prompts = ks->prompts;
                st->prompting = ks->prompting && !s->paused;
                /* Only the longest prompting break is shown (it covers the others). */
                if (st->prompting && (ret->prompt < 0 || ks->pol.duration >= ret->kinds[ret->prompt].duration))
                        ret->prompt = k;
                if (ks->on_break) {
                        /* Away time since s->last counts too: a countdown is exact at any now. */
                        uint64_t away = s->away && !s->paused && now > s->last ? now - s->last : 0;
                        st->break_left = ks->pol.duration - min_u64(ks->break_idle + away, ks->pol.duration);
                } else {
                        st->break_left = 0;
                }
                /* Invariant while counting: s->last + iv - ks->worked. */
                st->due_at = ks->pol.enabled && !ks->off && counting(s) && !ks->due
                                     ? s->last + (iv - min_u64(ks->worked, iv))
                                     : NEVER;
                if (!ks->pol.enabled)
                        st->state = BREAK_DISABLED;
                else if (ks->off)
                        st->state = BREAK_OFF_HOURS;
                else if (s->paused)
                        st->state = BREAK_PAUSED;
                else if (ks->on_break)
                        st->state = BREAK_ON_BREAK;
                else if (ks->snoozed_until)
                        st->state = BREAK_SNOOZED;
                else if (ks->due)
                        st->state = BREAK_DUE;
                else
                        st->state = BREAK_WAITING;
        }
}

void sched_save(const struct sched *s, uint64_t now, struct sched_saved *ret)
{
        struct sched_status st;
        uint64_t next = sched_next_deadline(s, now);

        sched_get_status(s, now, &st);
        *ret = (struct sched_saved) {
                .paused = s->paused,
                .pause_left = s->paused && s->pause_until != NEVER && s->pause_until > now ? s->pause_until - now
                                                                                           : 0,
                .flare = in_flare(s),
                .flare_day = s->flare_day,
                .flare_days = s->flare_days,
                .flare_recovery = s->flare_recovery,
                .limit_reached = s->limit_reached,
                .limit_prompts = s->limit_prompts,
                .active_today = st.active_today,
                .presence = s->away ? s->presence : PRESENCE_ACTIVE,
                .away_for = s->away && now > s->away_since ? now - s->away_since : 0,
                .next_in = next == NEVER ? NEVER : next - min_u64(next, now),
        };
        if (s->paused && s->pause_until != NEVER && s->pause_until <= now)
                ret->pause_left = 1; /* ends at once on restore */
        for (int k = 0; k < N_KINDS; k++) {
                const struct kstate *ks = &s->k[k];
                ret->worked[k] = st.kinds[k].worked;
                ret->due[k] = ks->due;
                ret->due_for[k] = ks->due && now > ks->due_at ? now - ks->due_at : 0;
                ret->snoozed_for[k] = ks->snoozed_until > now ? ks->snoozed_until - now : 0;
                ret->snoozes[k] = ks->snoozes;
                ret->prompts[k] = ks->prompts;
        }
}

/* Restored amounts beyond these come from a damaged file; clamped, they
 * cannot overflow the scheduler's sums. */
#define RESTORE_MAX (30 * USEC_PER_DAY)
#define RESTORE_MAX_TODAY (2 * USEC_PER_DAY)

/* The longest flare plan a file may restore: the schema's bounds, and then some. */
#define RESTORE_MAX_FLARE 366

/* The saved counters and settings, as of at. */
static void restore_counters(struct sched *s, const struct sched_saved *saved, uint64_t at)
{
        if (saved->flare_days && saved->flare_day >= 1) {
                s->flare_days = saved->flare_days < RESTORE_MAX_FLARE ? saved->flare_days : RESTORE_MAX_FLARE;
                s->flare_recovery = saved->flare_recovery < RESTORE_MAX_FLARE ? saved->flare_recovery
                                                                               : RESTORE_MAX_FLARE;
                s->flare_day = saved->flare_day;
                if (s->flare_day > s->flare_days + s->flare_recovery) /* a damaged file */
                        s->flare_day = s->flare_days = s->flare_recovery = 0;
        } else if (saved->flare) {
                /* A file from before flare plans: a flare until the day ends. */
                s->flare_day = s->flare_days = 1;
                s->flare_recovery = 0;
        }
        s->limit_reached = saved->limit_reached;
        s->limit_prompts = saved->limit_reached ? saved->limit_prompts : 0;
        s->active_today = min_u64(saved->active_today, RESTORE_MAX_TODAY);
        if (s->limit_reached)
                s->limit_next = s->active_today + s->k[KIND_PACING].pol.reprompt;
        for (int k = 0; k < N_KINDS; k++) {
                struct kstate *ks = &s->k[k];
                if (!ks->pol.enabled)
                        continue;
                ks->worked = min_u64(saved->worked[k], RESTORE_MAX);
                ks->snoozes = saved->snoozes[k];
                if (saved->due[k]) {
                        ks->due = true;
                        ks->announced = true; /* it was prompted before the restart */
                        ks->due_at = at - min_u64(min_u64(saved->due_for[k], RESTORE_MAX), at);
                        ks->prompts = saved->prompts[k];
                        ks->next_prompt = at;
                }
                if (saved->due[k] && saved->snoozed_for[k]) { /* a snooze without a due break means nothing */
                        ks->snoozed_until = at + min_u64(saved->snoozed_for[k], RESTORE_MAX);
                        ks->next_prompt = NEVER;
                }
        }
        if (saved->paused) {
                s->paused = true;
                s->pause_until = saved->pause_left ? at + min_u64(saved->pause_left, RESTORE_MAX) : NEVER;
        }
}

void sched_restore(struct sched *s, const struct sched_saved *saved, uint64_t at, uint64_t known_until,
                   uint64_t now)
{
        sched_advance(s, at);
        s->restoring = true;
        restore_counters(s, saved, at);
        if (saved->presence != PRESENCE_ACTIVE && (unsigned) saved->presence < N_PRESENCES) {
                /* The away spell in progress goes on from where it was; what
                 * it has already satisfied is not satisfied again. */
                uint64_t away_for = min_u64(min_u64(saved->away_for, RESTORE_MAX), at);
                s->presence = saved->presence;
                s->presence_since = at - away_for;
                s->away = true;
                s->away_since = at - away_for;
                s->back_at = s->away_since;
                s->credit_from = s->away_since;
                s->committed = away_for >= s->idle_after;
                for (int k = 0; k < N_KINDS; k++)
                        s->k[k].nat_done = away_for >= s->k[k].pol.duration;
        }
        fire(s, at);
        known_until = max_u64(at, min_u64(known_until, now));
        sched_advance(s, known_until);
        fire(s, known_until);
        if (known_until < now && !s->away)
                sched_presence(s, PRESENCE_IDLE, known_until, known_until);
        sched_advance(s, now);
        s->restoring = false; /* what is due is prompted now */
        sched_presence(s, PRESENCE_ACTIVE, now, now);
}
