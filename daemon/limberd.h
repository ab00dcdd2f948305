/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "policy.h"
#include "scheduler.h"

struct diags;
struct history;
struct notifier;
struct tracker;
struct quiet;
struct tips;

/* What the D-Bus properties last announced, to emit PropertiesChanged on
 * transitions only. */
struct bus_snapshot {
        bool valid;
        enum presence presence;
        uint64_t presence_since;
        char backend[32];
        bool paused, flare, quiet, counting, limit_reached;
        uint64_t paused_until;
        uint64_t today_anchor; /* now - active_today while counting; active_today otherwise */
        uint64_t daily_limit;
        struct {
                bool enabled;
                enum break_state state;
                uint64_t interval, duration, due_at, due_since, snoozed_until, break_ends;
                unsigned snoozes_left, prompts;
        } kinds[N_KINDS];
};

/* The daemon: one of these, owned by main(). */
struct limberd {
        sd_event *event;
        sd_bus *bus; /* the session bus */
        bool bus_ready; /* the name is owned: signals may go out */

        struct policy_opts policy_opts;
        struct policy *policy;
        struct sched *sched;

        sd_event_source *timer;       /* the scheduler's one timer */
        sd_event_source *save_timer;  /* state file: debounce, and a checkpoint while counting */
        sd_event_source *clock_watch; /* the wall clock was set */

        struct tracker *presence;
        struct quiet *quiet;
        struct notifier *notifier;
        struct tips *tips;
        struct history *history;

        char *state_dir, *state_path;
        char *saved_text; /* what the state file holds now */
        bool state_warned;
        bool save_pending; /* a transition awaits the debounced save */

        uint64_t suspended; /* suspended_total() when last checked */
        uint64_t day_end_rt;
        bool clock_was_set; /* the day boundary's place on the scheduler's clock moved */
        unsigned limit_prompts; /* the daily-limit reminder's count: 1, then each reprompt */

        /* What the notifier shows. */
        struct {
                int kind;
                unsigned count;
                bool started, counting_down;
                uint64_t ends;
                const char *tip; /* owned by tips */
                unsigned limit;
        } shown;
        struct bus_snapshot snap;
        char status[256];
};

/* ---- engine.c: the scheduler wired to clocks, timer, state, history ---- */

int engine_init(struct limberd *d);
void engine_finish(struct limberd *d);

/* The scheduler's clock, now. */
uint64_t engine_now(void);

/* Inputs. since is CLOCK_BOOTTIME µs. */
void engine_presence(struct limberd *d, enum presence p, uint64_t since);
void engine_quiet(struct limberd *d, bool quiet);
int engine_snooze(struct limberd *d, int kind, uint64_t span);
int engine_skip(struct limberd *d, int kind);
int engine_take(struct limberd *d, int kind);
int engine_pause(struct limberd *d, uint64_t span);
void engine_resume(struct limberd *d);
void engine_flare(struct limberd *d, bool on);

/* Reloads the policy: 0 and the new policy in force, or -EINVAL with the
 * errors in diags and the old policy still running. */
int engine_reload(struct limberd *d, struct diags *diags);

/* After any change: re-arm the timer, tell the bus, the notifier, systemd. */
void engine_sync(struct limberd *d);

/* Saves the state file now (at exit). */
void engine_save(struct limberd *d);

/* ---- bus.c: org.limber.Limber1 ---- */

int bus_service_init(struct limberd *d);
void bus_emit_changes(struct limberd *d);
void bus_emit_break_due(struct limberd *d, int kind, unsigned count);
void bus_emit_break_ended(struct limberd *d, int kind, const char *outcome, uint64_t overdue);
