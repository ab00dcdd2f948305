/* SPDX-License-Identifier: MIT */
#include "schema.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "schedule.h"
#include "value.h"

#define S USEC_PER_SEC

#define H   USEC_PER_HOUR
#define MIN USEC_PER_MIN

static const char *const backend_values[] = {
        "auto", "mutter", "muffin", "wayland", "x11", "screensaver", "logind", "none", NULL,
};
static const char *const tray_values[] = { "auto", "yes", "no", NULL };

const char *const section_names[] = { "general", "posture", "movement", "pacing", NULL };
const char *const kind_names[N_KINDS] = { "posture", "movement", "pacing" };

/* clang-format off */

/* The per-kind block of keys, shared by [posture] and [movement]. */
#define KIND_KEYS(sec, interval, duration, snooze, max_snoozes, reprompt, what)                        \
        { sec, "enabled", TYPE_BOOL, "yes", 0, 1, true, false, NULL, "prompt " what " breaks" },      \
        { sec, "interval", TYPE_DURATION, interval, 1 * S, 24 * H, true, false, NULL,                  \
          "active time between " what " breaks" },                                                     \
        { sec, "duration", TYPE_DURATION, duration, 1 * S, 4 * H, true, false, NULL,                   \
          "how long a " what " break lasts; an idle spell this long counts as one" },                  \
        { sec, "snooze", TYPE_DURATION, snooze, 1 * S, 24 * H, true, false, NULL,                      \
          "how long Snooze delays the prompt" },                                                       \
        { sec, "max-snoozes", TYPE_COUNT, max_snoozes, 0, 100, true, false, NULL,                      \
          "how many times one break may be snoozed" },                                                 \
        { sec, "skippable", TYPE_BOOL, "yes", 0, 1, true, false, NULL, "offer Skip on the prompt" },   \
        { sec, "reprompt", TYPE_DURATION, reprompt, 1 * S, 24 * H, true, false, NULL,                  \
          "remind again this often while a due break is ignored" }

/* section, key, type, default, hard min, hard max, lockable, allow "off", enum values, help */
const struct key_def key_defs[N_KEYS] = {
        { "general", "day-starts", TYPE_TIME_OF_DAY, "04:00", 0, 24 * 60 - 1, true, false, NULL,
          "local time at which daily counters reset" },
        { "general", "idle-after", TYPE_DURATION, "30s", 1 * S, 1 * H, true, false, NULL,
          "input pauses shorter than this count as active time" },
        { "general", "max-defer", TYPE_DURATION, "10m", 0, 24 * H, true, false, NULL,
          "longest a prompt waits for do-not-disturb or an idle inhibitor to end" },
        { "general", "allow-pause", TYPE_BOOL, "yes", 0, 1, true, false, NULL,
          "allow the user to pause all breaks" },
        { "general", "backend", TYPE_ENUM, "auto", 0, 7, true, false, backend_values,
          "idle source: auto picks the first that answers" },
        { "general", "work-hours", TYPE_SCHEDULE, "always", 0, 1, true, false, NULL,
          "when posture and movement breaks apply, e.g. Mon-Fri 08:30-12:30 13:30-17:30" },
        { "general", "wait-for-lull", TYPE_DURATION, "30s", 0, 1 * H, true, false, NULL,
          "a due prompt waits this long at most for a pause in typing (0s: prompt at once)" },
        { "general", "lull", TYPE_DURATION, "2s", 1 * S, 1 * MIN, true, false, NULL,
          "the pause in input a waiting prompt takes as its moment" },
        { "general", "sounds", TYPE_BOOL, "no", 0, 1, true, false, NULL,
          "play a sound when a break is due and when a started break is over" },
        { "general", "dnd-modes", TYPE_NAME_LIST, "do-not-disturb, dnd", 1, ID_LIST_MAX, true, false, NULL,
          "mako modes that mean do-not-disturb: prompts wait while one of them is on" },
        { "general", "tray", TYPE_ENUM, "auto", 0, 2, true, false, tray_values,
          "a tray icon where the panel has a tray (StatusNotifierItem): auto, yes or no" },

        KIND_KEYS("posture", "20m", "30s", "3m", "3", "2m", "posture"),
        { "posture", "exercises", TYPE_ID_LIST, "all", 0, ID_LIST_MAX, true, false, NULL,
          "the exercises a started posture break guides through: all that suit it, or a list of ids" },
        KIND_KEYS("movement", "50m", "5m", "5m", "3", "5m", "movement"),
        { "movement", "exercises", TYPE_ID_LIST, "all", 0, ID_LIST_MAX, true, false, NULL,
          "the exercises a started movement break draws from: all that suit it, or a list of ids" },
        { "movement", "exercises-per-break", TYPE_COUNT, "3", 1, 10, true, false, NULL,
          "how many exercises one started movement break guides through" },

        /* Pacing belongs to the user: none of its keys can be locked or bounded. */
        { "pacing", "enabled", TYPE_BOOL, "no", 0, 1, false, false, NULL,
          "pace activity: a quota of active time, then a rest" },
        { "pacing", "quota", TYPE_DURATION, "45m", 1 * S, 24 * H, false, false, NULL,
          "active time per block before a rest" },
        { "pacing", "rest", TYPE_DURATION, "10m", 1 * S, 4 * H, false, false, NULL,
          "rest after each block; an idle spell this long ends the block" },
        { "pacing", "snooze", TYPE_DURATION, "5m", 1 * S, 24 * H, false, false, NULL,
          "how long Snooze delays a rest prompt" },
        { "pacing", "max-snoozes", TYPE_COUNT, "1", 0, 100, false, false, NULL,
          "how many times one rest may be snoozed" },
        { "pacing", "skippable", TYPE_BOOL, "yes", 0, 1, false, false, NULL, "offer Skip on the rest prompt" },
        { "pacing", "reprompt", TYPE_DURATION, "3m", 1 * S, 24 * H, false, false, NULL,
          "remind again this often while a due rest is ignored" },
        { "pacing", "daily-limit", TYPE_DURATION, "off", 1 * S, 24 * H, false, true, NULL,
          "active time per day after which to stop, or off" },
        { "pacing", "flare-scale", TYPE_PERCENT, "50%", 1, 100, false, false, NULL,
          "in a flare, quota and daily limit are scaled by this" },
        { "pacing", "follow-work-hours", TYPE_BOOL, "no", 0, 1, false, false, NULL,
          "pacing counts only within general.work-hours (by default it follows your whole day)" },
        { "pacing", "flare-days", TYPE_COUNT, "1", 1, 30, false, false, NULL,
          "how many days 'limber flare on' lasts, the day it is turned on included" },
        { "pacing", "flare-recovery", TYPE_COUNT, "0", 0, 30, false, false, NULL,
          "days after a flare that ramp quota and daily limit back to 100% in equal steps" },
        { "pacing", "check-in", TYPE_TIME_OF_DAY, "off", 0, TIME_OFF, false, true, NULL,
          "a daily check-in notification (pain, fatigue) at this time, or off" },
        { "pacing", "rest-check-in", TYPE_BOOL, "no", 0, 1, false, false, NULL,
          "after a rest you took, offer a quick pain check-in" },
};

/* clang-format on */

enum key_id kind_key(enum kind kind, enum kind_field field)
{
        static const enum key_id first[N_KINDS] = {
                KEY_POSTURE_ENABLED,
                KEY_MOVEMENT_ENABLED,
                KEY_PACING_ENABLED,
        };
        return (enum key_id)(first[kind] + field);
}

int kind_from_name(const char *name)
{
        for (int k = 0; k < N_KINDS; k++)
                if (name && strcmp(name, kind_names[k]) == 0)
                        return k;
        return -1;
}

int key_lookup(const char *section, const char *name)
{
        for (int i = 0; i < N_KEYS; i++)
                if (strcmp(key_defs[i].section, section) == 0 && strcmp(key_defs[i].name, name) == 0)
                        return i;
        return -1;
}

int key_lookup_full(const char *full)
{
        const char *dot = strchr(full, '.');
        char section[32];

        if (!dot || (size_t) (dot - full) >= sizeof(section))
                return -1;
        memcpy(section, full, (size_t) (dot - full));
        section[dot - full] = '\0';
        return key_lookup(section, dot + 1);
}

char *key_full_name(char buf[static KEY_NAME_BUF], enum key_id id)
{
        snprintf(buf, KEY_NAME_BUF, "%s.%s", key_defs[id].section, key_defs[id].name);
        return buf;
}

int key_parse(enum key_id id, const char *text, uint64_t *ret, const char **why)
{
        const struct key_def *def = &key_defs[id];
        const char *dummy;
        uint64_t v = 0;
        unsigned u;
        bool b = false;
        int r = -EINVAL;

        if (!why)
                why = &dummy;
        if (!text || !*text) {
                *why = D_("empty value");
                return -EINVAL;
        }

        switch (def->type) {
        case TYPE_BOOL:
                r = parse_bool(text, &b);
                v = b;
                *why = D_("invalid boolean");
                break;
        case TYPE_COUNT:
                r = parse_count(text, &v);
                *why = D_("invalid count");
                break;
        case TYPE_DURATION:
                if (def->allow_off && strcmp(text, "off") == 0) {
                        *ret = 0;
                        return 0;
                }
                r = parse_duration(text, &v);
                *why = D_("invalid duration");
                break;
        case TYPE_TIME_OF_DAY:
                if (def->allow_off && strcmp(text, "off") == 0) {
                        *ret = TIME_OFF;
                        return 0;
                }
                r = parse_time_of_day(text, &u);
                v = u;
                *why = D_("invalid time of day");
                break;
        case TYPE_PERCENT:
                r = parse_percent(text, &u);
                v = u;
                *why = D_("invalid percentage");
                break;
        case TYPE_ID_LIST:
        case TYPE_NAME_LIST: {
                size_t n;
                r = (def->type == TYPE_ID_LIST ? parse_id_list : parse_name_list)(text, NULL, &n, why);
                if (r == -ERANGE)
                        return r;
                v = n;
                break;
        }
        case TYPE_SCHEDULE: {
                struct schedule sc;
                r = schedule_parse(text, &sc, NULL, 0, NULL, 0);
                v = r == 0 && schedule_always(&sc);
                *why = D_("invalid working hours");
                break;
        }
        case TYPE_ENUM:
                for (size_t i = 0; def->enum_values[i]; i++)
                        if (strcmp(def->enum_values[i], text) == 0) {
                                *ret = i;
                                return 0;
                        }
                *why = D_("unknown value");
                return -EINVAL;
        }
        if (r == -ERANGE) {
                *why = D_("value too large");
                return r;
        }
        if (r < 0)
                return r;
        if (v < def->min || v > def->max) {
                *why = D_("out of range");
                return -EDOM;
        }
        *ret = v;
        return 0;
}

char *key_format(char buf[static VALUE_BUF], enum key_id id, uint64_t v)
{
        const struct key_def *def = &key_defs[id];

        switch (def->type) {
        case TYPE_BOOL:
                snprintf(buf, VALUE_BUF, "%s", v ? "yes" : "no");
                break;
        case TYPE_COUNT:
                snprintf(buf, VALUE_BUF, "%llu", (unsigned long long) v);
                break;
        case TYPE_DURATION:
                if (def->allow_off && v == 0)
                        snprintf(buf, VALUE_BUF, "off");
                else
                        format_duration(buf, v);
                break;
        case TYPE_TIME_OF_DAY:
                if (def->allow_off && v >= TIME_OFF)
                        snprintf(buf, VALUE_BUF, "off");
                else
                        format_time_of_day(buf, (unsigned) v);
                break;
        case TYPE_PERCENT:
                snprintf(buf, VALUE_BUF, "%llu%%", (unsigned long long) v);
                break;
        case TYPE_ID_LIST:
                if (v == 0)
                        snprintf(buf, VALUE_BUF, "all");
                else
                        snprintf(buf, VALUE_BUF, "%llu id%s", (unsigned long long) v, v == 1 ? "" : "s");
                break;
        case TYPE_NAME_LIST:
                snprintf(buf, VALUE_BUF, "%llu name%s", (unsigned long long) v, v == 1 ? "" : "s");
                break;
        case TYPE_SCHEDULE:
                snprintf(buf, VALUE_BUF, "%s", v ? "always" : "hours");
                break;
        case TYPE_ENUM: {
                size_t n = 0;
                while (def->enum_values[n])
                        n++;
                snprintf(buf, VALUE_BUF, "%s", v < n ? def->enum_values[v] : "?");
                break;
        }
        }
        return buf;
}

const char *type_hint(const struct key_def *def)
{
        switch (def->type) {
        case TYPE_BOOL:
                return D_("use yes or no");
        case TYPE_COUNT:
                return D_("use a whole number");
        case TYPE_DURATION:
                return def->allow_off ? D_("use e.g. 90s, 20m, 1h30m, or off") : D_("use e.g. 90s, 20m, 1h30m");
        case TYPE_TIME_OF_DAY:
                return def->allow_off ? D_("use HH:MM, or off") : D_("use HH:MM");
        case TYPE_ENUM:
                if (def->enum_values == tray_values)
                        return D_("use auto, yes or no");
                return D_("use auto, mutter, muffin, wayland, x11, screensaver, logind or none");
        case TYPE_PERCENT:
                return D_("use e.g. 50%");
        case TYPE_ID_LIST:
                return D_("use all, or exercise ids separated by commas");
        case TYPE_NAME_LIST:
                return D_("use names separated by commas");
        case TYPE_SCHEDULE:
                return D_("use always, or days and hours such as Mon-Fri 08:30-12:30 13:30-17:30");
        }
        return "";
}

const char *type_name(const struct key_def *def)
{
        switch (def->type) {
        case TYPE_BOOL:
                return "yes/no";
        case TYPE_COUNT:
                return "count";
        case TYPE_DURATION:
                return def->allow_off ? "duration or off" : "duration";
        case TYPE_TIME_OF_DAY:
                return def->allow_off ? "time of day or off" : "time of day";
        case TYPE_ENUM:
                /* The completions offer the backends for a "choice". */
                return def->enum_values == tray_values ? "auto/yes/no" : "choice";
        case TYPE_PERCENT:
                return "percentage";
        case TYPE_ID_LIST:
                return "exercise ids or all";
        case TYPE_NAME_LIST:
                return "names";
        case TYPE_SCHEDULE:
                return "working hours";
        }
        return "?";
}

bool type_has_text(enum value_type type)
{
        return type == TYPE_ID_LIST || type == TYPE_NAME_LIST || type == TYPE_SCHEDULE;
}

bool type_is_ordered(enum value_type type)
{
        return type == TYPE_COUNT || type == TYPE_DURATION || type == TYPE_PERCENT;
}
