/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdint.h>
#include <systemd/sd-bus.h>

/* Small sd-bus helpers for limberd's parts. */

/* sd_bus_call_async() whose slot belongs to the bus; userdata is freed with
 * free_userdata once the reply is handled (or the call dropped). */
int sdbus_call_floating(sd_bus *bus, sd_bus_message *m, sd_bus_message_handler_t callback, void *userdata,
                        void (*free_userdata)(void *), uint64_t timeout_usec);

/* Describes a D-Bus error for why-strings: "org.freedesktop.DBus.Error.ServiceUnknown". */
const char *sdbus_error_name(const sd_bus_error *e, int r);

/* Follows the owner of a bus name (NameOwnerChanged): changed() gets the
 * new owner, "" when it vanished. The slot owns userdata (freed with
 * free_userdata, which may be NULL). */
int sdbus_watch_name(sd_bus *bus, const char *name, sd_bus_slot **slot,
                     void (*changed)(void *userdata, const char *name, const char *new_owner), void *userdata,
                     void (*free_userdata)(void *));

/* Calls a method asynchronously without ever starting a service for it
 * (the slot, when given, cancels the call when unreferenced); types and
 * the arguments after it as sd_bus_message_append() takes them. */
int sdbus_ask(sd_bus *bus, sd_bus_slot **slot, const char *dest, const char *path, const char *iface,
              const char *member, sd_bus_message_handler_t callback, void *userdata, uint64_t timeout_usec,
              const char *types, ...);
