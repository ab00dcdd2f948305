/* SPDX-License-Identifier: MIT */
/*
 * A test's simulated user for KWin: injects input through
 * org_kde_kwin_fake_input (shown by KWin only with
 * KWIN_WAYLAND_NO_PERMISSION_CHECKS=1). Reads commands from stdin, one per
 * line, and answers "ok" once the compositor has processed each:
 *
 *   pointer   a small relative pointer motion
 *   key       a press and release of left shift
 *   quit
 */
#include <stdio.h>
#include <string.h>
#include <wayland-client.h>

#include "fake-input-client-protocol.h"

static struct org_kde_kwin_fake_input *fake;

static void on_global(void *data, struct wl_registry *registry, uint32_t name, const char *iface, uint32_t version)
{
        if (strcmp(iface, org_kde_kwin_fake_input_interface.name) == 0)
                fake = wl_registry_bind(registry, name, &org_kde_kwin_fake_input_interface, version < 4 ? version : 4);
}

static void on_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener listener = { on_global, on_global_remove };

int main(void)
{
        struct wl_display *display = wl_display_connect(NULL);
        char line[64];
        int sign = 1;

        if (!display) {
                fprintf(stderr, "fake-input: cannot connect to WAYLAND_DISPLAY\n");
                return 1;
        }
        wl_registry_add_listener(wl_display_get_registry(display), &listener, NULL);
        wl_display_roundtrip(display);
        if (!fake) {
                fprintf(stderr, "fake-input: the compositor offers no org_kde_kwin_fake_input\n");
                return 1;
        }
        org_kde_kwin_fake_input_authenticate(fake, "limber-tests", "simulated user input for tests");
        wl_display_roundtrip(display);
        printf("ready\n");
        fflush(stdout);

        while (fgets(line, sizeof(line), stdin)) {
                if (strncmp(line, "pointer", 7) == 0) {
                        org_kde_kwin_fake_input_pointer_motion(fake, wl_fixed_from_int(5 * sign),
                                                               wl_fixed_from_int(3 * sign));
                        sign = -sign;
                } else if (strncmp(line, "key", 3) == 0) {
                        org_kde_kwin_fake_input_keyboard_key(fake, 42, 1);
                        org_kde_kwin_fake_input_keyboard_key(fake, 42, 0);
                } else if (strncmp(line, "quit", 4) == 0) {
                        break;
                } else {
                        fprintf(stderr, "fake-input: unknown command %s", line);
                        continue;
                }
                if (wl_display_roundtrip(display) < 0) {
                        fprintf(stderr, "fake-input: the compositor went away\n");
                        return 1;
                }
                printf("ok\n");
                fflush(stdout);
        }
        wl_display_disconnect(display);
        return 0;
}
