/* SPDX-License-Identifier: MIT */
/*
 * The engine: a dispatcher. Each event runs begin() (read the clocks once;
 * a suspend nobody announced; the day boundary), feeds the scheduler, and
 * finish(): re-arm the one timer, take the status once, and fan it out.
 *
 * Invariant: the timer is armed at sched_next_deadline() at the end of every
 * event, and at no other time; nothing ticks. State is saved at the end of
 * every event (transitions, actions, deadlines), never in between: a restart
 * reconstructs the rest (state.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-event.h>

#include "bus.h"
#include "calendar.h"
#include "checkin.h"
#include "clock.h"
#include "engine.h"
#include "history.h"
#include "human.h"
#include "log.h"
#include "policy.h"
#include "presence.h"
#include "prompt.h"
#include "scheduler.h"
#include "state.h"
#include "status.h"
#include "tray.h"
#include "util.h"
#include "value.h"

#define TIMER_ACCURACY (50 * 1000)        /* µs */
#define SLEEP_JUMP     (5 * USEC_PER_SEC) /* a larger unannounced jump of boottime is a suspend */

struct engine {
        sd_event *event;
        struct policy *policy;
        struct sched *sched;
        sd_event_source *timer;
        struct history *history;
        struct state_store *state;
        struct prompter *prompter;
        struct presence_tracker *presence; /* attached */
        struct bus_service *bus;           /* attached */
        struct tray *tray;                 /* attached */
        struct checkin_prompts *checkin;   /* attached */

        struct moment now; /* of the event being dispatched */
        enum presence presence_now;
        const char *quiet_source;
        uint64_t suspended; /* suspended_total() when last checked */
        struct calendar calendar;
        char status_line[256];
};

static void on_sched_event(void *userdata, const struct sched_event *ev)
{
        struct engine *e = userdata;
        const char *name = sched_event_name(ev->type);

        history_event(e->history, moment_wall(&e->now, ev->at), ev);
        switch (ev->type) {
        case EV_DUE:
        case EV_REPROMPT:
                if (!ev->limit)
                        bus_break_due(e->bus, ev->kind, ev->type == EV_DUE ? 1 : ev->count);
                if (ev->type == EV_DUE)
                        log_info("%s break due", kind_names[ev->kind]);
                break;
        case EV_TAKEN:
        case EV_NATURAL:
        case EV_SKIPPED:
        case EV_DROPPED:
                log_info("%s break %s", kind_names[ev->kind], name);
                bus_break_ended(e->bus, ev->kind, name, ev->overdue);
                prompter_break_ended(e->prompter, ev->kind, ev->type != EV_SKIPPED);
                /* A rest taken now (not one found while restoring): the quick check-in. */
                if (ev->type == EV_TAKEN && ev->kind == KIND_PACING && ev->at + USEC_PER_MIN > e->now.sched)
                        checkin_prompts_after_rest(e->checkin, ev->worked, e->policy);
                break;
        case EV_CHECK_IN:
                checkin_prompts_daily(e->checkin);
                break;
        case EV_DAY:
                e->calendar.day_end_rt = 0; /* recompute the next boundary */
                break;
        default:
                break;
        }
}

/* ---- time ---------------------------------------------------------------------- */

/* A suspend nobody announced (no logind, or a missed signal): boottime ran
 * ahead of the monotonic clock. Fed as time asleep; after it, the user is
 * where the sources said last. */
static void check_unannounced_sleep(struct engine *e)
{
        uint64_t s = suspended_total(), jump = s > e->suspended ? s - e->suspended : 0;
        char jb[HUMAN_BUF];

        e->suspended = s;
        if (jump < SLEEP_JUMP)
                return;
        log_info("the machine was suspended for %s", human_duration(jb, jump));
        history_presence(e->history, e->now.rt - jump, PRESENCE_ASLEEP);
        history_presence(e->history, e->now.rt, e->presence_now);
        sched_presence(e->sched, PRESENCE_ASLEEP, e->now.sched - jump, e->now.sched);
        sched_presence(e->sched, e->presence_now, e->now.sched, e->now.sched);
}

/* ---- dispatch -------------------------------------------------------------------- */

static void begin(struct engine *e)
{
        e->now = moment_now();
        check_unannounced_sleep(e);
        calendar_update(&e->calendar, e->sched, e->policy, &e->now);
        sched_set_lull_sensed(e->sched, presence_senses_pauses(e->presence), e->now.sched);
        checkin_prompts_update(e->checkin, e->sched, e->policy, &e->now);
}

static void save(struct engine *e, bool clean)
{
        if (e->state)
                state_store_save_sched(e->state, e->sched, &e->now, (unsigned) policy_get(e->policy, KEY_DAY_STARTS),
                                       clean);
}

static void finish(struct engine *e)
{
        uint64_t t[SCHED_MAX_THRESHOLDS], next;
        struct daemon_status ds;
        struct sched_status st;
        int r;

        sched_advance(e->sched, e->now.sched);
        next = sched_next_deadline(e->sched, e->now.sched);
        r = sd_event_source_set_time(e->timer, next == SCHED_NEVER ? UINT64_MAX : boottime_from_sched(next));
        if (r >= 0)
                r = sd_event_source_set_enabled(e->timer, next == SCHED_NEVER ? SD_EVENT_OFF : SD_EVENT_ONESHOT);
        if (r < 0) {
                /* Without its timer nothing would ever come due: let systemd start afresh. */
                log_error_errno(r, "cannot arm the scheduler timer; exiting");
                (void) sd_event_exit(e->event, ENGINE_EXIT_TIMER);
        }

        sched_get_status(e->sched, e->now.sched, &st);
        daemon_status_fill(&ds, &st, &e->now, presence_backend(e->presence), e->quiet_source);
        presence_set_thresholds(e->presence, t, sched_idle_thresholds(e->sched, t));
        prompter_sync(e->prompter, &st, e->policy);
        bus_changed(e->bus, &ds);
        tray_changed(e->tray, &ds);
        daemon_status_line(&ds, e->status_line, sizeof(e->status_line));
        (void) sd_notifyf(false, "STATUS=%s", e->status_line);
        save(e, false);
}

static int on_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
        struct engine *e = userdata;

        begin(e);
        finish(e);
        return 0;
}

/* ---- inputs ---------------------------------------------------------------------- */

void engine_presence(struct engine *e, enum presence p, uint64_t since)
{
        begin(e);
        since = since < e->now.bt ? since : e->now.bt;
        e->presence_now = p;
        history_presence(e->history, moment_wall_bt(&e->now, since), p);
        sched_presence(e->sched, p, sched_from_boottime(since), e->now.sched);
        finish(e);
}

void engine_quiet(struct engine *e, const char *source)
{
        begin(e);
        e->quiet_source = source;
        history_quiet(e->history, e->now.rt, source != NULL);
        sched_set_quiet(e->sched, source != NULL, e->now.sched);
        finish(e);
}

int engine_act(struct engine *e, const struct action *a, struct sched_refused *why)
{
        int r;

        begin(e);
        history_action(e->history, e->now.rt, a);
        r = sched_act(e->sched, a, e->now.sched, why);
        finish(e);
        return r;
}

void engine_sync(struct engine *e)
{
        begin(e);
        finish(e);
}

void engine_set_policy(struct engine *e, struct policy *p)
{
        begin(e);
        policy_free(e->policy);
        e->policy = p;
        sched_set_policy(e->sched, e->policy, e->now.sched);
        prompter_set_policy(e->prompter, e->policy);
        finish(e);
        /* Backends it now allows report as they start: events of their own. */
        presence_set_choice(e->presence, (unsigned) policy_get(e->policy, KEY_BACKEND));
}

void engine_status(struct engine *e, struct daemon_status *ret)
{
        struct moment m = moment_now();
        struct sched_status st;

        sched_get_status(e->sched, m.sched, &st);
        daemon_status_fill(ret, &st, &m, presence_backend(e->presence), e->quiet_source);
}

const struct policy *engine_policy(const struct engine *e)
{
        return e->policy;
}

const char *engine_status_line(const struct engine *e)
{
        return e->status_line;
}

/* ---- setup ----------------------------------------------------------------------- */

static void on_prompt_action(void *userdata, const struct action *a)
{
        struct sched_refused why;

        if (engine_act(userdata, a, &why) < 0)
                log_info("the %s action was refused: %s", action_name(a->type), sched_refusal_name(why.reason));
}

static const struct prompter_callbacks prompter_callbacks = { .action = on_prompt_action };

static void on_clock_set(void *userdata)
{
        engine_sync(userdata);
}

/* The scheduler, picking up from the state file when there is one: it
 * starts at the moment the state was saved and replays the time since. */
static void start_scheduler(struct engine *e)
{
        uint64_t at = e->now.sched, known = at;
        struct sched_saved sv;
        bool resume = e->state && state_store_resume(e->state, &e->now, e->suspended, &sv, &at, &known) == 0;

        if (resume && known < e->now.sched && sv.presence == PRESENCE_ACTIVE)
                history_presence(e->history, moment_wall(&e->now, known), PRESENCE_IDLE);
        e->sched = sched_new(e->policy, at, on_sched_event, e);
        if (!resume)
                return;
        calendar_start(&e->calendar, e->sched, e->policy, at, moment_wall(&e->now, at));
        sched_restore(e->sched, &sv, at, known, e->now.sched);
}

int engine_new(sd_event *event, struct policy *policy, const struct exercise_opts *exercises, struct engine **ret)
{
        _cleanup_(freep) char *state_home = xdg_dir("XDG_STATE_HOME", ".local/state");
        struct engine *e = xcalloc(1, sizeof(*e));
        int r;

        *ret = e;
        e->event = sd_event_ref(event);
        e->policy = policy;

        if (state_home) {
                _cleanup_(freep) char *dir = xasprintf("%s/limber", state_home);
                e->state = state_store_new(dir);
                _cleanup_(freep) char *hist = state_store_file(e->state, "history");
                e->history = history_open(hist, state_store_machine_id(e->state));
        } else {
                log_warning("neither XDG_STATE_HOME nor HOME is set: state and history will not be kept");
        }

        e->now = moment_now();
        e->suspended = suspended_total();
        start_scheduler(e);
        calendar_update(&e->calendar, e->sched, e->policy, &e->now);
        history_presence(e->history, e->now.rt, PRESENCE_ACTIVE);

        r = sd_event_add_time(event, &e->timer, CLOCK_BOOTTIME, UINT64_MAX, TIMER_ACCURACY, on_timer, e);
        if (r < 0)
                return log_error_errno(r, "cannot create the scheduler timer");
        (void) sd_event_source_set_description(e->timer, "scheduler");
        if (calendar_watch(&e->calendar, event, on_clock_set, e) < 0)
                log_warning("cannot watch the wall clock: a change of it shows at the next event");
        r = prompter_new(event, exercises, e->policy, &prompter_callbacks, e, &e->prompter);
        if (r < 0)
                log_warning_errno(r, "cannot start the notifier; prompts go to the log");
        return 0;
}

void engine_attach(struct engine *e, struct presence_tracker *presence, struct bus_service *bus)
{
        e->presence = presence;
        e->bus = bus;
}

void engine_attach_tray(struct engine *e, struct tray *tray)
{
        e->tray = tray;
}

void engine_attach_checkin(struct engine *e, struct checkin_prompts *checkin)
{
        e->checkin = checkin;
}

void engine_free(struct engine *e)
{
        if (!e)
                return;
        if (e->sched && e->state) {
                e->now = moment_now();
                sched_advance(e->sched, e->now.sched);
                save(e, true);
        }
        prompter_free(e->prompter);
        e->timer = sd_event_source_disable_unref(e->timer);
        calendar_finish(&e->calendar);
        history_close(e->history);
        state_store_free(e->state);
        sched_free(e->sched);
        policy_free(e->policy);
        sd_event_unref(e->event);
        free(e);
}
