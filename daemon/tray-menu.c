/* SPDX-License-Identifier: MIT */
/*
 * com.canonical.dbusmenu (tray-menu.h), as libdbusmenu, KDE and the
 * AppIndicator extension read it: a root (id 0) whose children are the rows
 * below, each a leaf. Hidden rows stay in the layout with visible = false,
 * so ids never move; a separator shows only between two groups that both
 * show something.
 */
#include "tray-menu.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "util.h"

#define MENU_IFACE "com.canonical.dbusmenu"

/* A row: an entry (id = its enum menu_entry) or, without a label, a separator. */
static const struct row {
        int id;
        const char *label;
} rows[] = {
        { MENU_TAKE_POSTURE, N_("Take a posture break") },
        { MENU_TAKE_MOVEMENT, N_("Take a movement break") },
        { 101, NULL },
        { MENU_SNOOZE, N_("Snooze") },
        { 102, NULL },
        { MENU_PAUSE_30M, N_("Pause for 30 minutes") },
        { MENU_PAUSE_1H, N_("Pause for 1 hour") },
        { MENU_PAUSE_TOMORROW, N_("Pause until tomorrow") },
        { MENU_RESUME, N_("Resume") },
        { 103, NULL },
        { MENU_FLARE, N_("Flare mode") },
};

#define N_ROWS ELEMENTSOF(rows)

struct tray_menu {
        sd_bus *bus;
        sd_bus_slot *slot;
        const struct tray_menu_callbacks *cb;
        void *userdata;
        uint32_t revision;
        struct menu_state shown; /* as last announced */
};

static const struct row *find_row(int id)
{
        for (size_t i = 0; i < N_ROWS; i++)
                if (rows[i].id == id)
                        return &rows[i];
        return NULL;
}

/* Does an entry of the group that begins at row `from` show? */
static bool group_shows(const struct menu_state *st, size_t from)
{
        for (size_t i = from; i < N_ROWS && rows[i].label; i++)
                if (st->e[rows[i].id].visible)
                        return true;
        return false;
}

static bool row_visible(const struct menu_state *st, const struct row *row)
{
        size_t at = (size_t) (row - rows);
        bool before = false;

        if (row->label)
                return st->e[row->id].visible;
        /* A separator: something shows before it, and in the group after it. */
        for (size_t i = 0; i < at && !before; i++)
                before = rows[i].label && st->e[rows[i].id].visible;
        return before && group_shows(st, at + 1);
}

static bool wanted(char **names, const char *name)
{
        if (!names || !names[0])
                return true;
        for (char **n = names; *n; n++)
                if (streq(*n, name))
                        return true;
        return false;
}

/* One property of an item: a string, a boolean or an int32. */
struct prop {
        const char *name;
        char type;
        const char *s;
        int i;
};

#define MAX_PROPS 5

/* The properties of a row (NULL: the root). */
static size_t row_props(const struct row *row, const struct menu_state *st, struct prop p[static MAX_PROPS])
{
        size_t n = 0;

        if (!row) {
                p[n++] = (struct prop){ "children-display", 's', "submenu", 0 };
                return n;
        }
        if (row->label)
                p[n++] = (struct prop){ "label", 's', _(row->label), 0 };
        else
                p[n++] = (struct prop){ "type", 's', "separator", 0 };
        p[n++] = (struct prop){ "visible", 'b', NULL, row_visible(st, row) };
        if (row->label)
                p[n++] = (struct prop){ "enabled", 'b', NULL, st->e[row->id].enabled };
        if (row->id == MENU_FLARE) {
                p[n++] = (struct prop){ "toggle-type", 's', "checkmark", 0 };
                p[n++] = (struct prop){ "toggle-state", 'i', NULL, st->e[row->id].checked ? 1 : 0 };
        }
        return n;
}

static int append_value(sd_bus_message *m, const struct prop *p)
{
        char type[2] = { p->type, 0 };
        int r;

        r = sd_bus_message_open_container(m, 'v', type);
        if (r < 0)
                return r;
        if (p->type == 's')
                r = sd_bus_message_append_basic(m, 's', p->s);
        else
                r = sd_bus_message_append_basic(m, p->type, &p->i);
        return r < 0 ? r : sd_bus_message_close_container(m);
}

/* The a{sv} of a row (NULL: the root), only the names asked for (none: all). */
static int append_props(sd_bus_message *m, const struct row *row, const struct menu_state *st, char **names)
{
        struct prop p[MAX_PROPS];
        size_t n = row_props(row, st, p);
        int r = sd_bus_message_open_container(m, 'a', "{sv}");

        for (size_t i = 0; r >= 0 && i < n; i++) {
                if (!wanted(names, p[i].name))
                        continue;
                r = sd_bus_message_open_container(m, 'e', "sv");
                if (r >= 0)
                        r = sd_bus_message_append(m, "s", p[i].name);
                if (r >= 0)
                        r = append_value(m, &p[i]);
                if (r >= 0)
                        r = sd_bus_message_close_container(m);
        }
        return r < 0 ? r : sd_bus_message_close_container(m);
}

/* An (ia{sv}av) with its children when depth allows (-1: all). */
static int append_layout(sd_bus_message *m, const struct row *row, const struct menu_state *st, int depth, char **names)
{
        int r = sd_bus_message_open_container(m, 'r', "ia{sv}av");

        if (r >= 0)
                r = sd_bus_message_append(m, "i", row ? row->id : 0);
        if (r >= 0)
                r = append_props(m, row, st, names);
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "v");
        for (size_t i = 0; r >= 0 && !row && depth != 0 && i < N_ROWS; i++) {
                r = sd_bus_message_open_container(m, 'v', "(ia{sv}av)");
                if (r >= 0)
                        r = append_layout(m, &rows[i], st, 0, names);
                if (r >= 0)
                        r = sd_bus_message_close_container(m);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        return r < 0 ? r : sd_bus_message_close_container(m);
}

static void free_strv(char **v)
{
        for (char **p = v; p && *p; p++)
                free(*p);
        free(v);
}

static void free_strvp(char ***v)
{
        free_strv(*v);
}

static int unknown_item(sd_bus_error *error, int id)
{
        return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS, "no menu item %d", id);
}

/* ---- methods --------------------------------------------------------------------- */

static int method_get_layout(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(free_strvp) char **names = NULL;
        struct tray_menu *menu = userdata;
        const struct row *row = NULL;
        int32_t parent, depth;
        int r;

        r = sd_bus_message_read(m, "ii", &parent, &depth);
        if (r >= 0)
                r = sd_bus_message_read_strv(m, &names);
        if (r < 0)
                return r;
        if (parent != 0 && !(row = find_row(parent)))
                return unknown_item(error, parent);
        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = sd_bus_message_append(reply, "u", menu->revision);
        if (r >= 0)
                r = append_layout(reply, row, &menu->shown, depth, names);
        if (r < 0)
                return r;
        return sd_bus_send(NULL, reply, NULL);
}

static int method_get_group_properties(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(free_strvp) char **names = NULL;
        struct tray_menu *menu = userdata;
        const int32_t *ids;
        size_t size, n;
        int r;

        r = sd_bus_message_read_array(m, 'i', (const void **) &ids, &size);
        if (r >= 0)
                r = sd_bus_message_read_strv(m, &names);
        if (r < 0)
                return r;
        n = size / sizeof(int32_t);
        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "(ia{sv})");
        /* No ids: every item. */
        for (size_t i = 0; r >= 0 && i < (n ? n : N_ROWS); i++) {
                const struct row *row = n ? find_row(ids[i]) : &rows[i];
                if (!row)
                        continue;
                r = sd_bus_message_open_container(reply, 'r', "ia{sv}");
                if (r >= 0)
                        r = sd_bus_message_append(reply, "i", row->id);
                if (r >= 0)
                        r = append_props(reply, row, &menu->shown, names);
                if (r >= 0)
                        r = sd_bus_message_close_container(reply);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        if (r < 0)
                return r;
        return sd_bus_send(NULL, reply, NULL);
}

static int method_get_property(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        struct tray_menu *menu = userdata;
        const struct row *row = NULL;
        struct prop p[MAX_PROPS];
        const char *name;
        int32_t id;
        size_t n;
        int r;

        r = sd_bus_message_read(m, "is", &id, &name);
        if (r < 0)
                return r;
        if (id != 0 && !(row = find_row(id)))
                return unknown_item(error, id);
        n = row_props(row, &menu->shown, p);
        for (size_t i = 0; i < n; i++) {
                if (!streq(p[i].name, name))
                        continue;
                r = sd_bus_message_new_method_return(m, &reply);
                if (r >= 0)
                        r = append_value(reply, &p[i]);
                if (r < 0)
                        return r;
                return sd_bus_send(NULL, reply, NULL);
        }
        return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS, "menu item %d has no property '%.40s'", id, name);
}

/* One event; -ENOENT for an unknown item. */
static int event(struct tray_menu *menu, int32_t id, const char *event_id)
{
        const struct row *row = find_row(id);

        if (id == 0)
                return 0;
        if (!row)
                return -ENOENT;
        if (!row->label || !streq(event_id, "clicked"))
                return 0; /* hovered, opened, closed: nothing to do */
        /* Even on an entry shown disabled (a host acting on a stale menu):
         * what the entry does decides, and says why it cannot. */
        menu->cb->clicked(menu->userdata, (enum menu_entry) id);
        return 0;
}

static int method_event(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        const char *event_id;
        int32_t id;
        int r;

        r = sd_bus_message_read(m, "is", &id, &event_id);
        if (r < 0)
                return r;
        if (event(userdata, id, event_id) < 0)
                return unknown_item(error, id);
        return sd_bus_reply_method_return(m, NULL);
}

static int method_event_group(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        int32_t bad[64];
        size_t n = 0, total = 0;
        int r;

        r = sd_bus_message_enter_container(m, 'a', "(isvu)");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(m, 'r', "isvu")) > 0) {
                const char *event_id;
                int32_t id;
                r = sd_bus_message_read(m, "is", &id, &event_id);
                if (r >= 0)
                        r = sd_bus_message_skip(m, "vu");
                if (r >= 0)
                        r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
                total++;
                if (event(userdata, id, event_id) < 0 && n < ELEMENTSOF(bad))
                        bad[n++] = id;
        }
        if (r < 0)
                return r;
        if (total && n == total)
                return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS, "no such menu items");
        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = sd_bus_message_append_array(reply, 'i', bad, n * sizeof(int32_t));
        if (r < 0)
                return r;
        return sd_bus_send(NULL, reply, NULL);
}

static int method_about_to_show(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        int32_t id;
        int r;

        r = sd_bus_message_read(m, "i", &id);
        if (r < 0)
                return r;
        if (id != 0 && !find_row(id))
                return unknown_item(error, id);
        /* The layout is always current: every change was announced. */
        return sd_bus_reply_method_return(m, "b", 0);
}

static int method_about_to_show_group(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        int32_t bad[64];
        const int32_t *ids;
        size_t size, n = 0;
        int r;

        r = sd_bus_message_read_array(m, 'i', (const void **) &ids, &size);
        if (r < 0)
                return r;
        for (size_t i = 0; i < size / sizeof(int32_t) && n < ELEMENTSOF(bad); i++)
                if (ids[i] != 0 && !find_row(ids[i]))
                        bad[n++] = ids[i];
        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = sd_bus_message_append(reply, "ai", 0);
        if (r >= 0)
                r = sd_bus_message_append_array(reply, 'i', bad, n * sizeof(int32_t));
        if (r < 0)
                return r;
        return sd_bus_send(NULL, reply, NULL);
}

/* ---- properties ------------------------------------------------------------------ */

static int prop_version(sd_bus *bus, const char *path, const char *interface, const char *property,
                        sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        return sd_bus_message_append(reply, "u", 3);
}

static int prop_text_direction(sd_bus *bus, const char *path, const char *interface, const char *property,
                               sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        return sd_bus_message_append(reply, "s", "ltr");
}

static int prop_status(sd_bus *bus, const char *path, const char *interface, const char *property,
                       sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        return sd_bus_message_append(reply, "s", "normal");
}

static int prop_icon_theme_path(sd_bus *bus, const char *path, const char *interface, const char *property,
                                sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        return sd_bus_message_append(reply, "as", 0);
}

/* ---- changes --------------------------------------------------------------------- */

static bool layout_differs(const struct menu_state *a, const struct menu_state *b)
{
        for (size_t i = 0; i < N_ROWS; i++)
                if (row_visible(a, &rows[i]) != row_visible(b, &rows[i]))
                        return true;
        return false;
}

static bool props_differ(const struct menu_state *a, const struct menu_state *b, int id)
{
        return a->e[id].enabled != b->e[id].enabled || a->e[id].checked != b->e[id].checked;
}

static int emit_items_changed(struct tray_menu *menu, const struct menu_state *st)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r;

        r = sd_bus_message_new_signal(menu->bus, &m, TRAY_MENU_PATH, MENU_IFACE, "ItemsPropertiesUpdated");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "(ia{sv})");
        for (size_t i = 0; r >= 0 && i < N_ROWS; i++) {
                if (!rows[i].label || !props_differ(st, &menu->shown, rows[i].id))
                        continue;
                r = sd_bus_message_open_container(m, 'r', "ia{sv}");
                if (r >= 0)
                        r = sd_bus_message_append(m, "i", rows[i].id);
                if (r >= 0)
                        r = append_props(m, &rows[i], st, NULL);
                if (r >= 0)
                        r = sd_bus_message_close_container(m);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_message_append(m, "a(ias)", 0);
        if (r < 0)
                return r;
        return sd_bus_send(menu->bus, m, NULL);
}

void tray_menu_changed(struct tray_menu *menu, const struct menu_state *st)
{
        bool props = false;

        if (!menu)
                return;
        for (int id = 1; id < N_MENU_ENTRIES; id++)
                props = props || props_differ(st, &menu->shown, id);
        if (props)
                (void) emit_items_changed(menu, st);
        /* Entries that appear or disappear: the layout is read again. */
        if (layout_differs(st, &menu->shown))
                (void) sd_bus_emit_signal(menu->bus, TRAY_MENU_PATH, MENU_IFACE, "LayoutUpdated", "ui",
                                          ++menu->revision, 0);
        menu->shown = *st;
}

/* ---- the vtable ------------------------------------------------------------------ */

static const sd_bus_vtable vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("Version", "u", prop_version, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("TextDirection", "s", prop_text_direction, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Status", "s", prop_status, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("IconThemePath", "as", prop_icon_theme_path, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_METHOD_WITH_ARGS("GetLayout", SD_BUS_ARGS("i", parentId, "i", recursionDepth, "as", propertyNames),
                                SD_BUS_RESULT("u", revision, "(ia{sv}av)", layout), method_get_layout,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("GetGroupProperties", SD_BUS_ARGS("ai", ids, "as", propertyNames),
                                SD_BUS_RESULT("a(ia{sv})", properties), method_get_group_properties,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("GetProperty", SD_BUS_ARGS("i", id, "s", name), SD_BUS_RESULT("v", value),
                                method_get_property, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Event", SD_BUS_ARGS("i", id, "s", eventId, "v", data, "u", timestamp),
                                SD_BUS_NO_RESULT, method_event, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("EventGroup", SD_BUS_ARGS("a(isvu)", events), SD_BUS_RESULT("ai", idErrors),
                                method_event_group, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AboutToShow", SD_BUS_ARGS("i", id), SD_BUS_RESULT("b", needUpdate),
                                method_about_to_show, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AboutToShowGroup", SD_BUS_ARGS("ai", ids),
                                SD_BUS_RESULT("ai", updatesNeeded, "ai", idErrors), method_about_to_show_group,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_SIGNAL_WITH_ARGS("ItemsPropertiesUpdated",
                                SD_BUS_ARGS("a(ia{sv})", updatedProps, "a(ias)", removedProps), 0),
        SD_BUS_SIGNAL_WITH_ARGS("LayoutUpdated", SD_BUS_ARGS("u", revision, "i", parent), 0),
        SD_BUS_SIGNAL_WITH_ARGS("ItemActivationRequested", SD_BUS_ARGS("i", id, "u", timestamp), 0),
        SD_BUS_VTABLE_END,
};

int tray_menu_new(sd_bus *bus, const struct tray_menu_callbacks *cb, void *userdata, const struct menu_state *st,
                  struct tray_menu **ret)
{
        struct tray_menu *menu = xcalloc(1, sizeof(*menu));
        int r;

        menu->bus = sd_bus_ref(bus);
        menu->cb = cb;
        menu->userdata = userdata;
        menu->revision = 1;
        menu->shown = *st;
        r = sd_bus_add_object_vtable(bus, &menu->slot, TRAY_MENU_PATH, MENU_IFACE, vtable, menu);
        if (r < 0) {
                tray_menu_free(menu);
                return r;
        }
        *ret = menu;
        return 0;
}

void tray_menu_free(struct tray_menu *menu)
{
        if (!menu)
                return;
        sd_bus_slot_unref(menu->slot);
        sd_bus_unref(menu->bus);
        free(menu);
}
