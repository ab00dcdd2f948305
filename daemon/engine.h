/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "events.h"

typedef struct sd_event sd_event;
struct bus_service;
struct checkin_prompts;
struct daemon_status;
struct exercise_opts;
struct policy;
struct presence_tracker;
struct sched_refused;
struct tray;

/*
 * The engine: limberd's dispatcher. For each event it reads the clocks
 * once, feeds the scheduler, re-arms the one scheduler timer, and fans the
 * result out to the prompts, the bus, the idle thresholds, history and state.
 * It owns the policy in force, the scheduler, history, state and the
 * prompts; the other parts report to it through callbacks that main() wires
 * to the engine_* inputs below.
 */

struct engine;

/* The event loop's exit status when the scheduler timer cannot be armed. */
#define ENGINE_EXIT_TIMER 2

/* Takes the policy, restores the state, opens the history, starts the prompts
 * (with the exercises found as exercises says). */
int engine_new(sd_event *event, struct policy *policy, const struct exercise_opts *exercises, struct engine **ret);
/* Saves the state as a clean exit. */
void engine_free(struct engine *e);

/* The parts the engine fans out to, once they exist (either may be NULL). */
void engine_attach(struct engine *e, struct presence_tracker *presence, struct bus_service *bus);
/* The tray icon, fanned out to like the bus (NULL: none). */
void engine_attach_tray(struct engine *e, struct tray *tray);
/* The check-ins from the desktop (or NULL): their daily deadline, the questions. */
void engine_attach_checkin(struct engine *e, struct checkin_prompts *checkin);

/* Inputs; each is one event. since is CLOCK_BOOTTIME µs. */
void engine_presence(struct engine *e, enum presence p, uint64_t since);
/* Do-not-disturb or an idle inhibitor: the source holding prompts, or NULL. */
void engine_quiet(struct engine *e, const char *source);
/* 0, or -enum sched_refusal with *why saying which break refused and why. */
int engine_act(struct engine *e, const struct action *a, struct sched_refused *why);
/* A new policy (taken) is in force from now on. */
void engine_set_policy(struct engine *e, struct policy *p);
/* Something the status shows changed outside the scheduler (the backend). */
void engine_sync(struct engine *e);

/* What limberd shows now. */
void engine_status(struct engine *e, struct daemon_status *ret);
const struct policy *engine_policy(const struct engine *e);
/* systemd's STATUS= line, as last sent. */
const char *engine_status_line(const struct engine *e);
