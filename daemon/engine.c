/* SPDX-License-Identifier: MIT */
/*
 * The engine: the pure scheduler wired to the world. It owns the one
 * scheduler timer, converts clocks, records history, saves state, and after
 * every change brings the bus properties, the notification and systemd's
 * status line up to date (engine_sync).
 *
 * Invariant: the timer is armed at sched_next_deadline() after every call
 * into the scheduler, and at no other time; nothing ticks.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <systemd/sd-daemon.h>

#include "clock.h"
#include "diag.h"
#include "history.h"
#include "limberd.h"
#include "log.h"
#include "notifier.h"
#include "presence.h"
#include "state.h"
#include "tips.h"
#include "util.h"
#include "value.h"

#define NEVER UINT64_MAX
#define TIMER_ACCURACY (50 * 1000)        /* µs */
#define SAVE_DEBOUNCE (1 * USEC_PER_SEC)  /* after a change */
#define SAVE_CHECKPOINT (5 * USEC_PER_SEC) /* while active time counts: a crash loses at most this */
#define SLEEP_JUMP (5 * USEC_PER_SEC)     /* a larger unannounced jump of boottime is a suspend */

/* The fault tests shorten both (LIMBER_CHECKPOINT_INTERVAL=20ms) to kill
 * limberd while it writes; nothing else should set it. */
static uint64_t save_debounce = SAVE_DEBOUNCE, save_checkpoint = SAVE_CHECKPOINT;

uint64_t engine_now(void)
{
        return sched_from_boottime(boottime_now());
}

/* Whole seconds, as the history's readers (trace.c) expect. */
static char *secs(char buf[static DURATION_BUF], uint64_t usec)
{
        return format_duration(buf, (usec + USEC_PER_SEC / 2) / USEC_PER_SEC * USEC_PER_SEC);
}

static const char *kind_label(int kind)
{
        return kind >= 0 && kind < N_KINDS ? kind_names[kind] : "all";
}

/* ---- events from the scheduler ------------------------------------------- */

static void on_sched_event(void *userdata, const struct sched_event *ev)
{
        struct limberd *d = userdata;
        uint64_t rt = realtime_from_boottime(boottime_from_sched(ev->at));
        const char *name = sched_event_name(ev->type), *kind = ev->kind >= 0 ? kind_names[ev->kind] : NULL;
        char a[DURATION_BUF], b[DURATION_BUF];

        switch (ev->type) {
        case EV_DUE:
                history_write(d->history, rt, "due %s worked=%s", kind, secs(a, ev->worked));
                log_info("%s break due after %s of activity", kind, a);
                bus_emit_break_due(d, ev->kind, 1);
                break;
        case EV_REPROMPT:
                history_write(d->history, rt, "reprompt %s count=%u%s", kind, ev->count, ev->limit ? " limit=1" : "");
                if (!ev->limit)
                        bus_emit_break_due(d, ev->kind, ev->count);
                else
                        d->limit_prompts = ev->count; /* shown again, more urgent from the third */
                break;
        case EV_TAKEN:
        case EV_NATURAL:
        case EV_SKIPPED:
                history_write(d->history, rt, "%s %s worked=%s overdue=%s", name, kind,
                              secs(a, ev->worked), secs(b, ev->overdue));
                log_info("%s break %s", kind, name);
                bus_emit_break_ended(d, ev->kind, name, ev->overdue);
                break;
        case EV_SNOOZED:
                history_write(d->history, rt, "snoozed %s span=%s count=%u", kind, secs(a, ev->span),
                              ev->count);
                break;
        case EV_REFUSED:
                history_write(d->history, rt, "refused %s action=%s reason=%s", kind ? kind : "all", ev->action,
                              sched_refusal_name(ev->reason));
                break;
        case EV_PAUSED:
                history_write(d->history, rt, "paused span=%s", secs(a, ev->span));
                break;
        case EV_LIMIT:
                d->limit_prompts = 1;
                __attribute__((fallthrough));
        case EV_DAY:
                history_write(d->history, rt, "%s%s%s active=%s", name, kind ? " " : "", kind ? kind : "",
                              secs(a, ev->active_today));
                if (ev->type == EV_DAY)
                        d->day_end_rt = 0; /* recompute the next boundary */
                break;
        case EV_FLARE:
                history_write(d->history, rt, "flare %s on=%d", kind, ev->on);
                break;
        default:
                history_write(d->history, rt, "%s%s%s", name, kind ? " " : "", kind ? kind : "");
                break;
        }
}

/* ---- time ------------------------------------------------------------------ */

/* A suspend nobody announced (no logind, or a missed signal): boottime ran
 * ahead of the monotonic clock. Feed it as time asleep. */
static void check_unannounced_sleep(struct limberd *d)
{
        uint64_t s = suspended_total(), now_bt = boottime_now(), jump;
        enum presence after;

        if (s <= d->suspended) {
                d->suspended = s;
                return;
        }
        jump = s - d->suspended;
        d->suspended = s;
        if (jump < SLEEP_JUMP)
                return;
        log_info("the machine was suspended for %llu s", (unsigned long long) (jump / USEC_PER_SEC));
        /* After it, whatever the sources said last: a user idle or locked
         * before the suspend is away until a source says otherwise. */
        after = presence_current(d->presence);
        history_write(d->history, realtime_from_boottime(now_bt - jump), "asleep");
        history_write(d->history, realtime_from_boottime(now_bt), "%s", presence_name(after));
        sched_presence(d->sched, PRESENCE_ASLEEP, sched_from_boottime(now_bt - jump), engine_now());
        sched_presence(d->sched, after, sched_from_boottime(now_bt), engine_now());
}

static void update_day_end(struct limberd *d)
{
        uint64_t now_rt = realtime_now(), rt, bt;

        /* Past the boundary we aimed at. Usually the scheduler reached it
         * too (its rollover clears day_end_rt); if not, the wall clock
         * jumped over it, and that day is over now. */
        if (d->day_end_rt && now_rt >= d->day_end_rt) {
                sched_advance(d->sched, engine_now());
                if (d->day_end_rt) {
                        log_info("the wall clock moved past the day boundary");
                        d->day_end_rt = 0;
                        sched_set_day_end(d->sched, engine_now(), engine_now());
                }
        }
        rt = next_day_start(now_rt, (unsigned) policy_get(d->policy, KEY_DAY_STARTS));
        if (rt == d->day_end_rt && !d->clock_was_set)
                return;
        d->clock_was_set = false;
        d->day_end_rt = rt;
        bt = boottime_now() + (rt - now_rt);
        sched_set_day_end(d->sched, sched_from_boottime(bt), engine_now());
}

static int on_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
        struct limberd *d = userdata;

        check_unannounced_sleep(d);
        sched_advance(d->sched, engine_now());
        engine_sync(d);
        return 0;
}

static int on_clock_set(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
        struct limberd *d = userdata;

        (void) clock_changed_ack(fd);
        log_info("the wall clock was set; the day boundary is recomputed, breaks are unaffected");
        /* The boundary's wall-clock time is the same; its distance is not.
         * update_day_end() also notices a boundary the jump crossed. */
        d->clock_was_set = true;
        engine_sync(d);
        return 0;
}

/* ---- state ----------------------------------------------------------------- */

static void fill_saved(struct limberd *d, struct saved_state *st)
{
        struct sched_saved sv;
        uint64_t now = engine_now(), now_rt = realtime_now();

        sched_save(d->sched, now, &sv);
        *st = (struct saved_state) {
                .saved_at = now_rt,
                .paused = sv.paused,
                .pause_until = sv.paused && sv.pause_left ? now_rt + sv.pause_left : 0,
                .flare = sv.flare,
                .limit_reached = sv.limit_reached,
                .active_today = sv.active_today,
        };
        day_label(st->day, now_rt, (unsigned) policy_get(d->policy, KEY_DAY_STARTS));
        for (int k = 0; k < N_KINDS; k++)
                st->kinds[k] = (struct saved_kind) {
                        .worked = sv.worked[k],
                        .due = sv.due[k],
                        .due_for = sv.due_for[k],
                        .snoozed_until = sv.snoozed_for[k] ? now_rt + sv.snoozed_for[k] : 0,
                        .snoozes = sv.snoozes[k],
                        .prompts = sv.prompts[k],
                };
}

/* Saves the state if it changed; a checkpoint skips the fsyncs. */
static void save(struct limberd *d, bool checkpoint)
{
        struct saved_state st;
        _cleanup_(freep) char *text = NULL;
        char *cmp;
        int r;

        if (!d->state_path || !d->sched)
                return;
        fill_saved(d, &st);
        text = state_format(&st);
        /* Compare without the "saved=" time: nothing new, nothing to write. */
        cmp = strstr(text, "\nday=");
        if (d->saved_text && cmp && streq(strstr(d->saved_text, "\nday=") ?: "", cmp))
                return;
        for (int attempt = 0; attempt < 2; attempt++) {
                r = checkpoint ? write_file_atomic_nosync(d->state_path, text, strlen(text), 0600)
                               : write_file_atomic(d->state_path, text, strlen(text), 0600, false);
                if (r != -ENOENT)
                        break;
                /* The directory went missing: make it again, once. */
                r = mkdir_parents(d->state_dir, 0700);
                if (r < 0)
                        break;
        }
        if (r < 0) {
                if (!d->state_warned)
                        log_warning_errno(r, "cannot save the state to %s; scheduling goes on", d->state_path);
                d->state_warned = true;
                return;
        }
        d->state_warned = false;
        free(d->saved_text);
        d->saved_text = text;
        text = NULL;
}

void engine_save(struct limberd *d)
{
        save(d, false);
}

static int on_save_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
        struct limberd *d = userdata;
        struct sched_status st;
        bool transition;

        /* A change of state is written durably; the checkpoints that only
         * move counters forward are not fsynced. */
        transition = d->save_pending;
        d->save_pending = false;
        save(d, !transition);
        /* While active time counts, keep a checkpoint every few seconds. */
        sched_get_status(d->sched, engine_now(), &st);
        if (st.counting && !st.paused) {
                (void) sd_event_source_set_time(s, boottime_now() + save_checkpoint);
                (void) sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
        }
        return 0;
}

static void schedule_save(struct limberd *d)
{
        int enabled = SD_EVENT_OFF;
        uint64_t when = 0, soon = boottime_now() + save_debounce;

        if (!d->save_timer)
                return;
        d->save_pending = true;
        (void) sd_event_source_get_enabled(d->save_timer, &enabled);
        (void) sd_event_source_get_time(d->save_timer, &when);
        if (enabled != SD_EVENT_OFF && when <= soon)
                return;
        (void) sd_event_source_set_time(d->save_timer, soon);
        (void) sd_event_source_set_enabled(d->save_timer, SD_EVENT_ONESHOT);
}

/* Restores the state file; the time limberd was not running counts as idle. */
static void restore_state(struct limberd *d)
{
        struct saved_state st;
        struct sched_saved sv;
        uint64_t now = engine_now(), now_rt = realtime_now(), down;
        char err[256], today[11];
        int r;

        r = state_load(d->state_path, &st, err, sizeof(err));
        if (r == -ENOENT)
                return;
        if (r < 0) {
                log_warning("%s: %s; starting with fresh counters", d->state_path, err);
                return;
        }
        d->saved_text = state_format(&st);

        day_label(today, now_rt, (unsigned) policy_get(d->policy, KEY_DAY_STARTS));
        down = state_to_sched(&st, now_rt, today, SCHED_CLOCK_BASE / 2, &sv);
        log_info("restored the state of %s; limberd was not running for %llu s", st.day[0] ? st.day : "an earlier day",
                 (unsigned long long) (down / USEC_PER_SEC));
        /* The time limberd was not running counts as idle. */
        if (down > 0)
                history_write(d->history, st.saved_at, "idle");
        sched_restore(d->sched, &sv, down, now);
}

/* ---- the notification ------------------------------------------------------ */

static void sync_notifier(struct limberd *d, const struct sched_status *st)
{
        int want = -1;

        if (!d->notifier)
                return;
        for (int k = 0; k < N_KINDS; k++)
                if (st->kinds[k].prompting)
                        want = k;

        if (want < 0) {
                if (d->shown.kind >= 0)
                        notifier_close(d->notifier);
                d->shown.kind = -1;
        } else {
                const struct sched_kind_status *ks = &st->kinds[want];
                bool started = ks->state == BREAK_ON_BREAK;
                bool counting_down = started && st->presence != PRESENCE_ACTIVE;
                uint64_t ends = counting_down ? boottime_now() + ks->break_left : 0;

                /* Show again on a new prompt, a reminder, or a change of the countdown. */
                if (d->shown.kind != want || d->shown.count != ks->prompts || d->shown.started != started ||
                    d->shown.counting_down != counting_down) {
                        struct kind_policy kp;
                        struct prompt p;

                        policy_kind(d->policy, (enum kind) want, &kp);
                        p = (struct prompt) {
                                .kind = want,
                                .count = ks->prompts,
                                .skippable = kp.skippable,
                                .snoozable = ks->snoozes_left > 0,
                                .started = started,
                                .counting_down = counting_down,
                                .left = ks->break_left,
                                .duration = ks->duration,
                        };
                        /* A new tip for a new prompt; the same one while it is reminded or counts down. */
                        if (d->shown.kind != want || !d->shown.tip || (ks->prompts <= 1 && !started))
                                d->shown.tip = tips_next(d->tips, (enum kind) want);
                        p.tip = d->shown.tip;
                        notifier_show(d->notifier, &p);
                        d->shown.kind = want;
                        d->shown.count = ks->prompts;
                        d->shown.started = started;
                        d->shown.counting_down = counting_down;
                        d->shown.ends = ends;
                }
        }

        {
                unsigned limit = st->limit_reached && !st->paused ? (d->limit_prompts ? d->limit_prompts : 1) : 0;
                if (limit != d->shown.limit)
                        notifier_limit(d->notifier, limit, st->active_today);
                d->shown.limit = limit;
        }
}

static void on_notification_action(void *userdata, int kind, const char *action)
{
        struct limberd *d = userdata;
        int r = 0;

        if (kind < 0 || kind >= N_KINDS)
                return;
        log_info("notification action %s on the %s break", action, kind_names[kind]);
        if (streq(action, "start"))
                r = engine_take(d, kind);
        else if (streq(action, "snooze"))
                r = engine_snooze(d, kind, 0);
        else if (streq(action, "skip"))
                r = engine_skip(d, kind);
        if (r < 0)
                log_info("the %s action was refused: %s", action, sched_refusal_name((enum sched_refusal) -r));
        /* The notification was closed by the action: show the prompt again if it stands. */
        d->shown.kind = -1;
        engine_sync(d);
}

/* ---- sync ------------------------------------------------------------------ */

static void sync_status(struct limberd *d, const struct sched_status *st)
{
        char text[256], part[64], dd[DURATION_BUF];
        size_t n = 0;

        if (st->paused) {
                n = (size_t) snprintf(text, sizeof(text), "paused");
        } else {
                for (int k = 0; k < N_KINDS && n < sizeof(text); k++) {
                        const struct sched_kind_status *ks = &st->kinds[k];
                        if (!ks->enabled)
                                continue;
                        if (ks->state == BREAK_WAITING) {
                                uint64_t left = ks->interval > ks->worked ? ks->interval - ks->worked : 0;
                                /* whole minutes: the line changes on transitions, not every second */
                                snprintf(part, sizeof(part), "%s in %s", kind_names[k],
                                         format_duration(dd, (left + USEC_PER_MIN - 1) / USEC_PER_MIN * USEC_PER_MIN));
                        } else {
                                snprintf(part, sizeof(part), "%s %s", kind_names[k], break_state_name(ks->state));
                        }
                        n += (size_t) snprintf(text + n, sizeof(text) - n, "%s%s", n ? ", " : "", part);
                }
        }
        if (n < sizeof(text))
                snprintf(text + n, sizeof(text) - n, "; %s, backend %s", presence_name(st->presence),
                         d->presence ? presence_backend(d->presence) : "none");
        if (streq(text, d->status))
                return;
        snprintf(d->status, sizeof(d->status), "%s", text);
        (void) sd_notifyf(false, "STATUS=%s", text);
}

static void sync_thresholds(struct limberd *d)
{
        uint64_t t[N_KINDS + 1];
        size_t n = 0;

        if (!d->presence)
                return;
        t[n++] = sched_idle_threshold(d->sched);
        for (int k = 0; k < N_KINDS; k++) {
                struct kind_policy kp;
                policy_kind(d->policy, (enum kind) k, &kp);
                if (kp.enabled)
                        t[n++] = kp.duration;
        }
        presence_set_thresholds(d->presence, t, n);
}

void engine_sync(struct limberd *d)
{
        struct sched_status st;
        uint64_t now = engine_now(), next;

        /* Before anything is credited: a suspend nobody announced is time
         * away. (Resuming also sets off on_clock_set.) */
        check_unannounced_sleep(d);
        update_day_end(d);
        sched_advance(d->sched, now);

        next = sched_next_deadline(d->sched, now);
        if (d->timer && next == NEVER) {
                (void) sd_event_source_set_enabled(d->timer, SD_EVENT_OFF);
        } else if (d->timer) {
                (void) sd_event_source_set_time(d->timer, boottime_from_sched(next));
                (void) sd_event_source_set_enabled(d->timer, SD_EVENT_ONESHOT);
        }

        sched_get_status(d->sched, now, &st);
        sync_thresholds(d);
        sync_notifier(d, &st);
        bus_emit_changes(d);
        sync_status(d, &st);
        schedule_save(d);
}

/* ---- inputs ---------------------------------------------------------------- */

void engine_presence(struct limberd *d, enum presence p, uint64_t since)
{
        uint64_t now_bt = boottime_now();

        if (since > now_bt)
                since = now_bt;
        check_unannounced_sleep(d);
        history_write(d->history, realtime_from_boottime(since), "%s", presence_name(p));
        sched_presence(d->sched, p, sched_from_boottime(since), engine_now());
        engine_sync(d);
}

void engine_quiet(struct limberd *d, bool quiet)
{
        history_write(d->history, realtime_now(), "dnd %s", quiet ? "on" : "off");
        sched_set_quiet(d->sched, quiet, engine_now());
        engine_sync(d);
}

int engine_snooze(struct limberd *d, int kind, uint64_t span)
{
        char a[DURATION_BUF];
        int r;

        if (span)
                history_write(d->history, realtime_now(), "snooze %s %s", kind_label(kind), secs(a, span));
        else
                history_write(d->history, realtime_now(), "snooze %s", kind_label(kind));
        r = sched_snooze(d->sched, kind, span, engine_now());
        engine_sync(d);
        return r;
}

int engine_skip(struct limberd *d, int kind)
{
        int r;

        history_write(d->history, realtime_now(), "skip %s", kind_label(kind));
        r = sched_skip(d->sched, kind, engine_now());
        engine_sync(d);
        return r;
}

int engine_take(struct limberd *d, int kind)
{
        int r;

        history_write(d->history, realtime_now(), "take %s", kind_label(kind));
        r = sched_take(d->sched, kind, engine_now());
        engine_sync(d);
        return r;
}

int engine_pause(struct limberd *d, uint64_t span)
{
        char a[DURATION_BUF];
        int r;

        if (span)
                history_write(d->history, realtime_now(), "pause %s", secs(a, span));
        else
                history_write(d->history, realtime_now(), "pause");
        r = sched_pause(d->sched, span, engine_now());
        engine_sync(d);
        return r;
}

void engine_resume(struct limberd *d)
{
        history_write(d->history, realtime_now(), "resume");
        sched_resume(d->sched, engine_now());
        engine_sync(d);
}

void engine_flare(struct limberd *d, bool on)
{
        history_write(d->history, realtime_now(), "flare %s", on ? "on" : "off");
        sched_set_flare(d->sched, on, engine_now());
        engine_sync(d);
}

int engine_reload(struct limberd *d, struct diags *diags)
{
        struct policy *p = NULL;
        int r;

        (void) sd_notifyf(false, "RELOADING=1\nMONOTONIC_USEC=%llu", (unsigned long long) now_usec(CLOCK_MONOTONIC));
        r = policy_load(&d->policy_opts, &p, diags);
        if (r != 0) {
                policy_free(p);
                log_warning("the new policy has %d error(s); keeping the one in force", r < 0 ? 1 : r);
                (void) sd_notify(false, "READY=1");
                return -EINVAL;
        }
        policy_free(d->policy);
        d->policy = p;
        sched_set_policy(d->sched, d->policy, engine_now());
        presence_set_choice(d->presence, (unsigned) policy_get(d->policy, KEY_BACKEND));
        log_info("policy reloaded");
        (void) sd_notify(false, "READY=1");
        engine_sync(d);
        return 0;
}

/* ---- setup ----------------------------------------------------------------- */

/* "20ms" from the environment, in µs; 0 when unset or malformed. */
static uint64_t env_msec(const char *name)
{
        const char *s = getenv(name);
        unsigned long ms;
        char *end;

        if (!s || *s < '0' || *s > '9') /* strtoul would take spaces and signs */
                return 0;
        errno = 0;
        ms = strtoul(s, &end, 10);
        if (errno || !streq(end, "ms") || ms > 24 * 3600 * 1000UL)
                return 0;
        return (uint64_t) ms * 1000;
}

/* A state file being written when limberd was killed stays behind as
 * state.tmp.XXXXXX; only limberd (which owns the bus name) writes there. */
static void remove_stale_temporaries(const char *dir)
{
        DIR *dp = opendir(dir);
        struct dirent *de;

        if (!dp)
                return;
        while ((de = readdir(dp)))
                if (startswith(de->d_name, "state.tmp.") && unlinkat(dirfd(dp), de->d_name, 0) == 0)
                        log_debug("removed %s/%s, left by an interrupted write", dir, de->d_name);
        closedir(dp);
}

int engine_init(struct limberd *d)
{
        _cleanup_(freep) char *state_home = NULL;
        struct diags diags;
        uint64_t v;
        int r, fd;

        if ((v = env_msec("LIMBER_CHECKPOINT_INTERVAL")))
                save_debounce = save_checkpoint = v;

        diags_init(&diags);
        r = policy_load(&d->policy_opts, &d->policy, &diags);
        for (size_t i = 0; i < diags.n; i++) {
                char buf[1024];
                if (diags.v[i].severity == SEV_ERROR)
                        log_error("%s", diag_format(&diags.v[i], buf, sizeof(buf)));
                else
                        log_warning("%s", diag_format(&diags.v[i], buf, sizeof(buf)));
        }
        if (r > 0)
                log_error("the policy has %d error(s): those lines are skipped (check with 'limber policy check')", r);
        diags_finish(&diags);
        if (r < 0)
                return r;

        state_home = xdg_dir("XDG_STATE_HOME", ".local/state");
        if (state_home) {
                d->state_dir = xasprintf("%s/limber", state_home);
                d->state_path = xasprintf("%s/state", d->state_dir);
                if (mkdir_parents(d->state_dir, 0700) < 0)
                        log_warning("cannot create %s; state and history will not be kept", d->state_dir);
                remove_stale_temporaries(d->state_dir);
                _cleanup_(freep) char *hist = xasprintf("%s/history", d->state_dir);
                d->history = history_open(hist);
        } else {
                log_warning("neither XDG_STATE_HOME nor HOME is set: state and history will not be kept");
        }

        d->shown.kind = -1;
        d->suspended = suspended_total();
        d->tips = tips_load();
        d->sched = sched_new(d->policy, engine_now(), on_sched_event, d);
        update_day_end(d);
        if (d->state_path)
                restore_state(d);
        history_write(d->history, realtime_now(), "active");

        r = sd_event_add_time(d->event, &d->timer, CLOCK_BOOTTIME, NEVER, TIMER_ACCURACY, on_timer, d);
        if (r < 0)
                return log_error_errno(r, "cannot create the scheduler timer");
        r = sd_event_add_time(d->event, &d->save_timer, CLOCK_BOOTTIME, NEVER, 100 * 1000, on_save_timer, d);
        if (r < 0)
                return log_error_errno(r, "cannot create the state timer");
        (void) sd_event_source_set_enabled(d->save_timer, SD_EVENT_OFF);

        fd = clock_change_fd();
        if (fd >= 0) {
                r = sd_event_add_io(d->event, &d->clock_watch, fd, EPOLLIN, on_clock_set, d);
                if (r >= 0)
                        (void) sd_event_source_set_io_fd_own(d->clock_watch, true);
                else
                        close(fd);
        }

        r = notifier_new(d->event, on_notification_action, d, &d->notifier);
        if (r < 0)
                log_warning_errno(r, "cannot start the notifier; prompts go to the log");
        return 0;
}

void engine_finish(struct limberd *d)
{
        if (d->sched)
                engine_save(d);
        notifier_free(d->notifier);
        d->notifier = NULL;
        d->timer = sd_event_source_disable_unref(d->timer);
        d->save_timer = sd_event_source_disable_unref(d->save_timer);
        d->clock_watch = sd_event_source_disable_unref(d->clock_watch);
        history_close(d->history);
        d->history = NULL;
        tips_free(d->tips);
        sched_free(d->sched);
        d->sched = NULL;
        policy_free(d->policy);
        free(d->state_dir);
        free(d->state_path);
        free(d->saved_text);
}
