/* SPDX-License-Identifier: MIT */
#pragma once

#include <systemd/sd-bus.h>

/*
 * limber's names on D-Bus, and reading the a{sv} dictionaries that
 * org.limber.Limber1, logind and PropertiesChanged answer with.
 */

#define LIMBER_BUS_NAME        "org.limber.Limber1"
#define LIMBER_BUS_PATH        "/org/limber/Limber1"
#define LIMBER_BUS_IFACE       "org.limber.Limber1"
#define LIMBER_BUS_ERROR(name) "org.limber.Limber1.Error." name

/* Reads the a{sv} at m's position. For each entry, field() is called with
 * the key and m at the variant: it reads the variant and returns 1, returns
 * 0 to have it skipped, or a negative errno to stop. Returns 0 or the first
 * negative errno. */
int sdbus_read_dict(sd_bus_message *m, int (*field)(sd_bus_message *m, const char *key, void *userdata),
                    void *userdata);
