/* SPDX-License-Identifier: MIT */
/*
 * ext-idle-notify-v1 (wayland-protocols staging): KWin ≥ 5.27, sway ≥ 1.9,
 * wlroots ≥ 0.17, Hyprland, labwc. Version 2's input-only notification
 * (which ignores video inhibitors) is used when both the compositor and the
 * protocol headers we were built with offer it.
 */
#include <wayland-client.h>

#include "ext-idle-notify-v1-client-protocol.h"
#include "idle-wayland.h"

#ifdef EXT_IDLE_NOTIFIER_V1_GET_INPUT_IDLE_NOTIFICATION_SINCE_VERSION
#define SUPPORTED_VERSION EXT_IDLE_NOTIFIER_V1_GET_INPUT_IDLE_NOTIFICATION_SINCE_VERSION
#else
#define SUPPORTED_VERSION 1
#endif

static void on_idled(void *data, struct ext_idle_notification_v1 *obj)
{
        idle_note_idled(data);
}

static void on_resumed(void *data, struct ext_idle_notification_v1 *obj)
{
        idle_note_resumed(data);
}

static const struct ext_idle_notification_v1_listener listener = {
        .idled = on_idled,
        .resumed = on_resumed,
};

static bool input_only(uint32_t version)
{
        return version >= 2;
}

static struct wl_proxy *get(struct wl_proxy *manager, uint32_t version, struct wl_seat *seat, uint32_t ms,
                            struct idle_note *n)
{
        struct ext_idle_notifier_v1 *notifier = (struct ext_idle_notifier_v1 *) manager;
        struct ext_idle_notification_v1 *obj;

#ifdef EXT_IDLE_NOTIFIER_V1_GET_INPUT_IDLE_NOTIFICATION_SINCE_VERSION
        if (input_only(version))
                obj = ext_idle_notifier_v1_get_input_idle_notification(notifier, ms, seat);
        else
#endif
                obj = ext_idle_notifier_v1_get_idle_notification(notifier, ms, seat);
        ext_idle_notification_v1_add_listener(obj, &listener, n);
        return (struct wl_proxy *) obj;
}

static void destroy(struct wl_proxy *timeout)
{
        ext_idle_notification_v1_destroy((struct ext_idle_notification_v1 *) timeout);
}

static void destroy_manager(struct wl_proxy *manager)
{
        ext_idle_notifier_v1_destroy((struct ext_idle_notifier_v1 *) manager);
}

const struct idle_protocol idle_protocol_ext = {
        .name = "ext_idle_notifier_v1",
        .interface = &ext_idle_notifier_v1_interface,
        .max_version = SUPPORTED_VERSION,
        .get = get,
        .destroy = destroy,
        .destroy_manager = destroy_manager,
        .input_only = input_only,
};
