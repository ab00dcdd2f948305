/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <systemd/sd-bus.h>

/*
 * The tray icon's menu: com.canonical.dbusmenu on its own object path, a
 * fixed list of entries with separators between groups. What each entry
 * shows (visible, enabled, checked) is what tray_menu_new() or the last
 * tray_menu_changed() was given: it changes only when limberd handles an
 * event, and tray_menu_changed() announces it (LayoutUpdated when entries
 * appear or disappear, ItemsPropertiesUpdated when they are enabled,
 * disabled, checked or unchecked). A click on an entry goes to the
 * callback; the menu knows nothing of what the entries do.
 */

#define TRAY_MENU_PATH "/MenuBar"

enum menu_entry {
        MENU_TAKE_POSTURE = 1, /* the dbusmenu ids; 0 is the root */
        MENU_TAKE_MOVEMENT,
        MENU_SNOOZE,
        MENU_PAUSE_30M,
        MENU_PAUSE_1H,
        MENU_PAUSE_TOMORROW,
        MENU_RESUME,
        MENU_FLARE, /* a checkbox */
        N_MENU_ENTRIES,
};

struct menu_state {
        struct {
                bool visible, enabled, checked;
        } e[N_MENU_ENTRIES];
};

struct tray_menu_callbacks {
        /* The user picked an entry (shown enabled, or a host's menu was stale). */
        void (*clicked)(void *userdata, enum menu_entry entry);
};

struct tray_menu;

/* Exports the menu on TRAY_MENU_PATH; st is what it shows now. */
int tray_menu_new(sd_bus *bus, const struct tray_menu_callbacks *cb, void *userdata, const struct menu_state *st,
                  struct tray_menu **ret);
/* Withdraws it. NULL-safe. */
void tray_menu_free(struct tray_menu *m);

/* The signals for what changed since the last call. NULL-safe. */
void tray_menu_changed(struct tray_menu *m, const struct menu_state *st);
