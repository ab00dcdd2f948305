/* SPDX-License-Identifier: MIT */
/*
 * The prompts on screen. A due break's prompt names the exercises to come;
 * a started one is guided step by step, in place.
 *
 * Invariant: while a started break counts down (the user is away) the step
 * timer is armed at the end of the step on screen, and at no other time; it
 * is off while the user is at the keyboard, before Start and after the end.
 * The scheduler's countdown is the clock: a sync re-anchors the steps to its
 * break_left, so a hold pauses exactly when the countdown does. The last
 * step needs no timer: the break's end is the scheduler's own deadline.
 */
#include "prompt.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include "clock.h"
#include "diag.h"
#include "exercises.h"
#include "guide.h"
#include "human.h"
#include "i18n.h"
#include "log.h"
#include "notifier.h"
#include "policy.h"
#include "scheduler.h"
#include "tips.h"
#include "util.h"
#include "value.h"

#define STEP_ACCURACY  (50 * 1000) /* µs */
#define NOTICE_TIMEOUT 10000       /* ms: "Break over" goes by itself */

/* Freedesktop sound-theme names (the sound naming specification): a short
 * chime for something that wants a look soon, and the one for a task done. */
#define SOUND_DUE  "message-new-instant"
#define SOUND_OVER "complete"

/* What a person reads is translated when the prompt is written (i18n.h). */
static const char *const due_titles[N_KINDS] = { N_("Time for a posture break"), N_("Time for a movement break"),
                                                 N_("Time to rest") };
/* The closing step after the last exercise, for the time left. */
static const char *const closing[N_KINDS] = { N_("Breathe slowly"), N_("Keep moving gently"), N_("Rest") };
/* The notice at the end of a break taken: with the exercises done (%s), or without. */
static const char *const done_with[N_KINDS] = { N_("Your posture break is done: %s."),
                                                N_("Your movement break is done: %s."), N_("Your rest is done: %s.") };
static const char *const done_plain[N_KINDS] = { N_("Your posture break is done."), N_("Your movement break is done."),
                                                 N_("Your rest is done.") };

/* One step as the notification shows it, written when the plan is made:
 * the plan outlives a reload of the catalogue. */
struct view {
        char *title, *body;
        char *image;         /* the pictogram, or NULL */
        uint64_t start, end; /* µs of away time into the break */
};

struct plan {
        int kind; /* -1: none */
        uint64_t duration;
        struct view *v;
        uint64_t *ends; /* v[i].end, for guide_step_at() */
        size_t n;
        char *names; /* the exercises' titles, "A, B, C"; NULL: unguided */
};

struct prompter {
        const struct prompter_callbacks *cb;
        void *userdata;
        struct notifier *notifier;
        struct tips *tips;

        /* The exercises. */
        struct exercise_opts opts; /* its strings owned */
        struct exercise_catalogue *catalogue;
        char **langs;
        size_t next[N_KINDS]; /* where each kind's next plan starts looking */

        /* What is on screen. */
        int kind; /* -1: no prompt */
        unsigned count;
        bool started, running; /* running: started, and counting down (the user is away) */
        bool skippable, snoozable, sounds;
        const char *tip; /* owned by tips */
        unsigned limit;  /* the daily-limit reminder's count; 0: none */

        /* The guided break: prompted or started, from its prompt to its end. */
        struct plan plan;
        size_t at;              /* the step on screen */
        uint64_t anchor;        /* CLOCK_BOOTTIME µs at which the away time was 0, while running */
        sd_event_source *timer; /* the end of the step on screen */
};

/* ---- the catalogue --------------------------------------------------------------- */

static void load_catalogue(struct prompter *p, const struct policy *pol)
{
        struct exercise_catalogue *c = NULL;
        struct diags d;

        diags_init(&d);
        (void) exercise_catalogue_load(&p->opts, &c, &d);
        if (pol)
                (void) exercise_catalogue_check_policy(c, pol, &d);
        diags_log(&d);
        diags_finish(&d);
        log_debug("%zu exercises in the catalogue", c->n);
        exercise_catalogue_free(p->catalogue);
        p->catalogue = c;
}

/* ---- the plan -------------------------------------------------------------------- */

static char *picture(const struct exercise *e)
{
        char *abs;

        if (!e->picture_path)
                return NULL;
        /* The server reads it, from another working directory. */
        abs = realpath(e->picture_path, NULL);
        return abs ? abs : xstrdup(e->picture_path);
}

static void plan_clear(struct plan *pl)
{
        for (size_t i = 0; i < pl->n; i++) {
                free(pl->v[i].title);
                free(pl->v[i].body);
                free(pl->v[i].image);
        }
        free(pl->v);
        free(pl->ends);
        free(pl->names);
        *pl = (struct plan){ .kind = -1 };
}

/* "2/3 · Chest stretch in a doorway — hold 25 s" (exercise 2 of 3; a
 * step of an exercise of several: "2/3 · Calf stretch (1/2) — hold 25 s"),
 * the instruction and the exercise's note, and its picture. */
static void view_step(struct view *v, const struct exercise *e, size_t step, size_t number, size_t total,
                      const char *const *langs)
{
        const struct exercise_step *st = &e->steps[step];
        const char *title = exercise_text_get(&e->title, langs);
        const char *note = exercise_text_get(&e->note, langs);
        char span[HUMAN_BUF], part[32] = "", what[64];

        if (e->n_steps > 1)
                snprintf(part, sizeof(part), " (%zu/%zu)", step + 1, e->n_steps);
        if (st->hold && st->hold < 60 * USEC_PER_SEC)
                /* TRANSLATORS: a stretch held for a duration ("hold 25s"). */
                snprintf(what, sizeof(what), _("hold %s"), human_duration(span, st->hold));
        else if (st->hold)
                snprintf(what, sizeof(what), "%s", human_duration(span, st->hold));
        else
                snprintf(what, sizeof(what), ngettext("%u time", "%u times", st->count), st->count);
        v->title = xasprintf("%zu/%zu · %s%s — %s", number, total, title, part, what);
        v->body = xasprintf("%s%s%s", exercise_text_get(&st->what, langs), note ? "\n" : "", note ? note : "");
        v->image = picture(e);
}

/* The exercises of this kind's next break, laid out over its duration. */
static void plan_make(struct prompter *p, enum kind kind, uint64_t duration, const struct policy *pol)
{
        const char *const *langs = (const char *const *) p->langs;
        struct guide_slot slots[GUIDE_SLOTS_MAX];
        const struct exercise **pool = NULL;
        struct strbuf names = { 0 };
        size_t n = 0, n_slots, total = 0, number = 0;
        unsigned want = kind == KIND_MOVEMENT ? (unsigned) policy_get(pol, KEY_MOVEMENT_EXERCISES_PER_BREAK) : 1;
        char span[HUMAN_BUF];

        plan_clear(&p->plan);
        if (p->catalogue)
                n = exercise_catalogue_select(p->catalogue, pol, kind, &pool);
        n_slots = guide_layout(pool, n, p->next[kind], want, duration, slots, ELEMENTSOF(slots), &p->next[kind]);
        free(pool);

        p->plan.kind = (int) kind;
        p->plan.duration = duration;
        p->plan.v = xcalloc(n_slots, sizeof(*p->plan.v));
        p->plan.ends = xcalloc(n_slots, sizeof(*p->plan.ends));
        p->plan.n = n_slots;
        for (size_t i = 0; i < n_slots; i++)
                total += slots[i].ex && slots[i].step == 0;
        for (size_t i = 0; i < n_slots; i++) {
                const struct guide_slot *sl = &slots[i];
                struct view *v = &p->plan.v[i];

                v->start = sl->start;
                v->end = p->plan.ends[i] = sl->end;
                if (sl->ex) {
                        if (sl->step == 0) {
                                number++;
                                strbuf_printf(&names, "%s%s", names.len ? ", " : "",
                                              exercise_text_get(&sl->ex->title, langs));
                        }
                        view_step(v, sl->ex, sl->step, number, total, langs);
                } else {
                        /* TRANSLATORS: "Breathe slowly — 1m to go": what to do, and the time left. */
                        v->title = xasprintf(_("%s — %s to go"), _(closing[kind]),
                                             human_duration(span, sl->end - sl->start));
                        v->body = xstrdup(p->tip ? p->tip : "");
                }
        }
        p->plan.names = names.s;
}

/* ---- the notification ------------------------------------------------------------ */

static void show(struct prompter *p, bool popup)
{
        struct prompt pr = {
                .kind = p->kind,
                .count = p->count,
                .snooze = p->snoozable,
                .skip = p->skippable,
                .value = -1,
        };
        _cleanup_(freep) char *body = NULL;
        char d[HUMAN_BUF];

        if (!p->started) {
                pr.start = true;
                _cleanup_(freep) char *next = NULL, *length = NULL;

                pr.title = _(due_titles[p->kind]);
                /* TRANSLATORS: the exercises of the break to come, "Chest stretch, Calf stretch". */
                next = p->plan.names ? xasprintf(_("Next: %s"), p->plan.names) : xstrdup("");
                /* TRANSLATORS: how long the break is, "(a 5m break)"; for pacing, "(a 10m rest)". */
                length = p->kind == KIND_PACING ? xasprintf(_("(a %s rest)"), human_duration(d, p->plan.duration))
                                                : xasprintf(_("(a %s break)"), human_duration(d, p->plan.duration));
                body = xasprintf("%s%s%s\n%s", p->tip ? p->tip : "", *next ? "\n" : "", next, length);
                pr.image = p->plan.n ? p->plan.v[0].image : NULL;
                /* One sound as the prompt comes up, none for a reminder in place. */
                pr.sound = p->sounds && popup ? SOUND_DUE : NULL;
        } else {
                const struct view *v = &p->plan.v[p->at];
                pr.title = v->title;
                body = xasprintf("%s%s%s", v->body, p->running ? "" : "\n",
                                 p->running ? "" : _("Paused while you are at the keyboard: step away to let it run."));
                pr.image = v->image;
                pr.value = (int) (v->start * 100 / (p->plan.duration ? p->plan.duration : 1));
        }
        pr.body = body;
        notifier_show(p->notifier, &pr);
}

/* Arms the step timer at the end of the step on screen while the break runs;
 * off otherwise, and for the last step (the break's end is the scheduler's). */
static void arm(struct prompter *p)
{
        bool on = p->kind >= 0 && p->started && p->running && p->at + 1 < p->plan.n;
        int r;

        r = sd_event_source_set_enabled(p->timer, SD_EVENT_OFF);
        if (r >= 0 && on)
                r = sd_event_source_set_time(p->timer, p->anchor + p->plan.v[p->at].end);
        if (r >= 0 && on)
                r = sd_event_source_set_enabled(p->timer, SD_EVENT_ONESHOT);
        if (r < 0)
                log_warning_errno(r, "cannot arm the step timer; the steps follow the next event");
}

/* The step on screen for this much away time into the break. */
static void step_to(struct prompter *p, uint64_t elapsed)
{
        p->at = guide_step_at(p->plan.ends, p->plan.n, elapsed);
}

static int on_step(sd_event_source *s, uint64_t usec, void *userdata)
{
        struct prompter *p = userdata;
        uint64_t now = boottime_now();
        size_t was = p->at;

        /* Never early: the timer fires at or after the step's end. */
        step_to(p, (now > usec ? now : usec) - p->anchor);
        if (p->at != was)
                show(p, false);
        arm(p);
        return 0;
}

/* Nothing on screen, nothing planned, no timer. */
static void stop(struct prompter *p)
{
        p->kind = -1;
        p->started = p->running = false;
        plan_clear(&p->plan);
        arm(p);
}

/* ---- sync ------------------------------------------------------------------------ */

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
        bool started, running, popup, changed;
        size_t at = 0;
        int want = st->prompt;

        if (want < 0) {
                if (p->kind >= 0)
                        notifier_close(p->notifier);
                stop(p);
                return;
        }
        ks = &st->kinds[want];
        started = ks->state == BREAK_ON_BREAK;
        running = started && st->presence != PRESENCE_ACTIVE;
        popup = p->kind != want;
        changed = popup || p->count != ks->prompts || p->started != started || p->running != running;
        /* A new tip and a new plan for a new prompt; the same while it is
         * reminded, and through the break once started. */
        if (changed && (popup || !p->tip || (ks->prompts <= 1 && !started))) {
                if (!started || p->plan.kind != want)
                        p->tip = tips_next(p->tips, (enum kind) want);
                if (!started)
                        plan_clear(&p->plan);
        }
        if (p->plan.kind != want || p->plan.duration != ks->duration) {
                plan_make(p, (enum kind) want, ks->duration, pol);
                changed = true;
        }
        if (started) {
                uint64_t elapsed = ks->duration - (ks->break_left < ks->duration ? ks->break_left : ks->duration);
                at = guide_step_at(p->plan.ends, p->plan.n, elapsed);
                /* The scheduler's countdown up to this event is the clock. */
                p->anchor = boottime_now() - elapsed;
        }
        p->sounds = policy_get(pol, KEY_SOUNDS);
        if (!changed && p->at == at) {
                arm(p);
                return;
        }
        policy_kind(pol, (enum kind) want, &kp);
        p->kind = want;
        p->count = ks->prompts;
        p->started = started;
        p->running = running;
        p->skippable = kp.skippable;
        p->snoozable = ks->snoozes_left > 0;
        p->at = at;
        show(p, popup);
        arm(p);
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

/* "Your movement break is done: Calf stretch, A short walk." */
static char *say_done(int kind, const char *names)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        return xasprintf(_(done_with[kind]), names);
#pragma GCC diagnostic pop
}

void prompter_break_ended(struct prompter *p, int kind, bool taken)
{
        char *body;

        if (!p || kind != p->kind || !p->started)
                return;
        if (taken) {
                body = p->plan.names ? say_done(kind, p->plan.names) : xstrdup(_(done_plain[kind]));
                notifier_notice(p->notifier,
                                &(struct prompt){ .kind = kind,
                                                  .title = _("Break over"),
                                                  .body = body,
                                                  .value = -1,
                                                  .sound = p->sounds ? SOUND_OVER : NULL },
                                NOTICE_TIMEOUT);
                free(body);
        } else {
                notifier_close(p->notifier);
        }
        stop(p);
}

void prompter_set_policy(struct prompter *p, const struct policy *pol)
{
        if (p)
                load_catalogue(p, pol);
}

int prompter_new(sd_event *event, const struct exercise_opts *exercises, const struct policy *pol,
                 const struct prompter_callbacks *cb, void *userdata, struct prompter **ret)
{
        struct prompter *p = xcalloc(1, sizeof(*p));
        unsigned seed;
        int r;

        p->cb = cb;
        p->userdata = userdata;
        p->kind = -1;
        p->plan.kind = -1;
        r = sd_event_add_time(event, &p->timer, CLOCK_BOOTTIME, UINT64_MAX, STEP_ACCURACY, on_step, p);
        if (r >= 0)
                r = sd_event_source_set_enabled(p->timer, SD_EVENT_OFF);
        if (r >= 0)
                (void) sd_event_source_set_description(p->timer, "guided-break step");
        if (r >= 0)
                r = notifier_new(event, on_action, p, &p->notifier);
        if (r < 0) {
                sd_event_source_disable_unref(p->timer);
                free(p);
                return r;
        }
        p->tips = tips_load();
        if (exercises) {
                p->opts.root = exercises->root ? xstrdup(exercises->root) : NULL;
                p->opts.shipped_dir = exercises->shipped_dir ? xstrdup(exercises->shipped_dir) : NULL;
                p->opts.user_dir = exercises->user_dir ? xstrdup(exercises->user_dir) : NULL;
        }
        p->langs = exercise_languages();
        load_catalogue(p, pol);
        /* Consecutive breaks differ, and each start begins somewhere else. */
        seed = (unsigned) (boottime_now() ^ (uint64_t) getpid());
        for (int k = 0; k < N_KINDS; k++)
                p->next[k] = (size_t) rand_r(&seed);
        *ret = p;
        return 0;
}

void prompter_free(struct prompter *p)
{
        if (!p)
                return;
        notifier_free(p->notifier);
        sd_event_source_disable_unref(p->timer);
        plan_clear(&p->plan);
        exercise_catalogue_free(p->catalogue);
        exercise_languages_free(p->langs);
        free((char *) p->opts.root);
        free((char *) p->opts.shipped_dir);
        free((char *) p->opts.user_dir);
        tips_free(p->tips);
        free(p);
}
