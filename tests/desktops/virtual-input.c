/* SPDX-License-Identifier: MIT */
/*
 * A test's simulated user for wlroots compositors (sway): injects input
 * through zwlr_virtual_pointer_manager_v1 and
 * zwp_virtual_keyboard_manager_v1. Reads commands from stdin, one per
 * line, and answers "ok" once the compositor has processed each:
 *
 *   pointer         a small relative pointer motion
 *   key             a press and release of left shift
 *   click X Y W H   a left click at (X, Y) of an output W×H pixels
 *   quit
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <wayland-client.h>

#include "virtual-keyboard-client-protocol.h"
#include "virtual-pointer-client-protocol.h"

#define KEY_LEFTSHIFT 42
#define BTN_LEFT      0x110
#define KEYMAP_XKB_V1 1

/* Resolved by the compositor's own xkbcommon from the system's XKB data. */
static const char keymap[] = "xkb_keymap {\n"
                             "  xkb_keycodes { include \"evdev+aliases(qwerty)\" };\n"
                             "  xkb_types { include \"complete\" };\n"
                             "  xkb_compat { include \"complete\" };\n"
                             "  xkb_symbols { include \"pc+us+inet(evdev)\" };\n"
                             "};\n";

static struct wl_seat *seat;
static struct zwlr_virtual_pointer_manager_v1 *pointers;
static struct zwp_virtual_keyboard_manager_v1 *keyboards;

static void on_global(void *data, struct wl_registry *registry, uint32_t name, const char *iface, uint32_t version)
{
        if (strcmp(iface, wl_seat_interface.name) == 0 && !seat)
                seat = wl_registry_bind(registry, name, &wl_seat_interface, 1);
        else if (strcmp(iface, zwlr_virtual_pointer_manager_v1_interface.name) == 0)
                pointers = wl_registry_bind(registry, name, &zwlr_virtual_pointer_manager_v1_interface, 1);
        else if (strcmp(iface, zwp_virtual_keyboard_manager_v1_interface.name) == 0)
                keyboards = wl_registry_bind(registry, name, &zwp_virtual_keyboard_manager_v1_interface, 1);
}

static void on_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener listener = { on_global, on_global_remove };

static uint32_t now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint32_t) (ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static int give_keymap(struct zwp_virtual_keyboard_v1 *kb)
{
        int fd = memfd_create("limber-test-keymap", MFD_CLOEXEC);

        if (fd < 0 || write(fd, keymap, sizeof(keymap)) != (ssize_t) sizeof(keymap)) {
                perror("virtual-input: keymap");
                return -1;
        }
        zwp_virtual_keyboard_v1_keymap(kb, KEYMAP_XKB_V1, fd, sizeof(keymap));
        close(fd);
        return 0;
}

int main(void)
{
        struct wl_display *display = wl_display_connect(NULL);
        struct zwlr_virtual_pointer_v1 *pointer;
        struct zwp_virtual_keyboard_v1 *kb;
        unsigned x, y, w, h;
        char line[128];
        int sign = 1;

        if (!display) {
                fprintf(stderr, "virtual-input: cannot connect to WAYLAND_DISPLAY\n");
                return 1;
        }
        wl_registry_add_listener(wl_display_get_registry(display), &listener, NULL);
        wl_display_roundtrip(display);
        if (!seat || !pointers || !keyboards) {
                fprintf(stderr, "virtual-input: the compositor offers no %s\n",
                        !seat       ? "seat"
                        : !pointers ? "zwlr_virtual_pointer_manager_v1"
                                    : "zwp_virtual_keyboard_manager_v1");
                return 1;
        }
        pointer = zwlr_virtual_pointer_manager_v1_create_virtual_pointer(pointers, seat);
        kb = zwp_virtual_keyboard_manager_v1_create_virtual_keyboard(keyboards, seat);
        if (give_keymap(kb) < 0 || wl_display_roundtrip(display) < 0) {
                fprintf(stderr, "virtual-input: the compositor refused the devices\n");
                return 1;
        }
        printf("ready\n");
        fflush(stdout);

        while (fgets(line, sizeof(line), stdin)) {
                if (strncmp(line, "pointer", 7) == 0) {
                        zwlr_virtual_pointer_v1_motion(pointer, now_ms(), wl_fixed_from_int(5 * sign),
                                                       wl_fixed_from_int(3 * sign));
                        zwlr_virtual_pointer_v1_frame(pointer);
                        sign = -sign;
                } else if (strncmp(line, "key", 3) == 0) {
                        zwp_virtual_keyboard_v1_key(kb, now_ms(), KEY_LEFTSHIFT, WL_KEYBOARD_KEY_STATE_PRESSED);
                        zwp_virtual_keyboard_v1_key(kb, now_ms(), KEY_LEFTSHIFT, WL_KEYBOARD_KEY_STATE_RELEASED);
                } else if (sscanf(line, "click %u %u %u %u", &x, &y, &w, &h) == 4) {
                        zwlr_virtual_pointer_v1_motion_absolute(pointer, now_ms(), x, y, w, h);
                        zwlr_virtual_pointer_v1_frame(pointer);
                        zwlr_virtual_pointer_v1_button(pointer, now_ms(), BTN_LEFT, WL_POINTER_BUTTON_STATE_PRESSED);
                        zwlr_virtual_pointer_v1_frame(pointer);
                        zwlr_virtual_pointer_v1_button(pointer, now_ms(), BTN_LEFT, WL_POINTER_BUTTON_STATE_RELEASED);
                        zwlr_virtual_pointer_v1_frame(pointer);
                } else if (strncmp(line, "quit", 4) == 0) {
                        break;
                } else {
                        fprintf(stderr, "virtual-input: unknown command %s", line);
                        continue;
                }
                if (wl_display_roundtrip(display) < 0) {
                        fprintf(stderr, "virtual-input: the compositor went away\n");
                        return 1;
                }
                printf("ok\n");
                fflush(stdout);
        }
        wl_display_disconnect(display);
        return 0;
}
