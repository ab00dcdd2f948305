/* SPDX-License-Identifier: MIT */
#include "idle-backend.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "clock.h"
#include "dbus-util.h"
#include "util.h"

void backend_probed(struct idle_backend *b, bool available, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(b->why, sizeof(b->why), fmt, ap);
        va_end(ap);
        b->cb->probed(b->userdata, b, available);
}

void backend_gone(struct idle_backend *b, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(b->why, sizeof(b->why), fmt, ap);
        va_end(ap);
        b->cb->gone(b->userdata, b);
}

void backend_report(struct idle_backend *b, bool idle, uint64_t since)
{
        uint64_t now = boottime_now();

        if (!b->started)
                return;
        b->cb->report(b->userdata, b, idle, since < now ? since : now);
}

struct name_watch {
        struct idle_backend *b;
        void (*changed)(struct idle_backend *b, const char *new_owner);
};

static void on_owner(void *userdata, const char *name, const char *new_owner)
{
        struct name_watch *w = userdata;

        w->changed(w->b, new_owner);
}

int backend_watch_name(struct idle_backend *b, const char *name, sd_bus_slot **slot,
                       void (*changed)(struct idle_backend *b, const char *new_owner))
{
        struct name_watch *w = xcalloc(1, sizeof(*w));
        int r;

        *w = (struct name_watch){ b, changed };
        r = sdbus_watch_name(b->bus, name, slot, on_owner, w, free);
        if (r < 0)
                free(w);
        return r;
}
