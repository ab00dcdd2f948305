/* SPDX-License-Identifier: MIT */
/*
 * org_kde_kwin_idle (plasma-wayland-protocols' idle.xml), the older
 * protocol of the same shape: the only idle source of compositors on
 * wlroots ≤ 0.16 (sway 1.7 on Debian 12 and Ubuntu 22.04, wayfire 0.7) and
 * of KWin before 5.27. Its timeouts respect idle inhibitors, as
 * ext-idle-notify-v1 version 1 does.
 */
#include <wayland-client.h>

#include "kde-idle-client-protocol.h"
#include "idle-wayland.h"

static void on_idle(void *data, struct org_kde_kwin_idle_timeout *obj)
{
        idle_note_idled(data);
}

static void on_resumed(void *data, struct org_kde_kwin_idle_timeout *obj)
{
        idle_note_resumed(data);
}

static const struct org_kde_kwin_idle_timeout_listener listener = {
        .idle = on_idle,
        .resumed = on_resumed,
};

static bool input_only(uint32_t version)
{
        return false;
}

static struct wl_proxy *get(struct wl_proxy *manager, uint32_t version, struct wl_seat *seat, uint32_t ms,
                            struct idle_note *n)
{
        struct org_kde_kwin_idle_timeout *obj =
                org_kde_kwin_idle_get_idle_timeout((struct org_kde_kwin_idle *) manager, seat, ms);

        org_kde_kwin_idle_timeout_add_listener(obj, &listener, n);
        return (struct wl_proxy *) obj;
}

static void destroy(struct wl_proxy *timeout)
{
        org_kde_kwin_idle_timeout_release((struct org_kde_kwin_idle_timeout *) timeout);
}

static void destroy_manager(struct wl_proxy *manager)
{
        org_kde_kwin_idle_destroy((struct org_kde_kwin_idle *) manager);
}

const struct idle_protocol idle_protocol_kde = {
        .name = "org_kde_kwin_idle",
        .interface = &org_kde_kwin_idle_interface,
        .max_version = 1,
        .get = get,
        .destroy = destroy,
        .destroy_manager = destroy_manager,
        .input_only = input_only,
};
