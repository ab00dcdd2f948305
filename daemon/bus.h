/* SPDX-License-Identifier: MIT */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#include "events.h"

struct daemon_status;
struct diags;
struct policy;
struct sched_refused;

/*
 * The org.limber.Limber1 interface on /org/limber/Limber1, as described in
 * org.limber.Limber1.xml. Properties are computed when read; changes are
 * announced by bus_changed() after every event, for the properties whose
 * published value differs from the last announcement, so nothing is sent
 * while time merely passes. Methods go to the callbacks.
 */

struct bus_service;

struct bus_callbacks {
        void (*status)(void *userdata, struct daemon_status *ret);
        /* 0, or -enum sched_refusal with *why. */
        int (*act)(void *userdata, const struct action *a, struct sched_refused *why);
        /* 0, or -EINVAL with the errors in diags. */
        int (*reload)(void *userdata, struct diags *diags);
        const struct policy *(*policy)(void *userdata);
        size_t (*backends)(void *userdata, const char *names[], const char *states[], const char *why[], size_t max);
};

int bus_service_new(sd_bus *bus, const struct bus_callbacks *cb, void *userdata, struct bus_service **ret);
void bus_service_free(struct bus_service *s);

/* After an event: PropertiesChanged for what it changed. NULL-safe. */
void bus_changed(struct bus_service *s, const struct daemon_status *ds);
/* The BreakDue and BreakEnded signals. NULL-safe. */
void bus_break_due(struct bus_service *s, int kind, unsigned count);
void bus_break_ended(struct bus_service *s, int kind, const char *outcome, uint64_t overdue);
