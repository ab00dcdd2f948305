/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The policy schema: one table that drives parsing, validation, defaults,
 * the shipped limber.ini, `limber policy show` and the completions.
 *
 * Every value is stored as a uint64_t in the unit of its type: bool 0/1,
 * count, duration in µs, time of day in minutes after midnight (TIME_OFF
 * for "off" where a key allows it), enum index, percent. A list (of ids or
 * names) also keeps its text (struct setting's text); its uint64_t is the
 * number of items, 0 for "all".
 */

enum value_type {
        TYPE_BOOL,
        TYPE_COUNT,
        TYPE_DURATION,
        TYPE_TIME_OF_DAY,
        TYPE_ENUM,
        TYPE_PERCENT,
        TYPE_ID_LIST,   /* "all" or exercise ids: see parse_id_list() */
        TYPE_NAME_LIST, /* names other programs chose: see parse_name_list() */
        TYPE_SCHEDULE,  /* working hours: see schedule.h; the value is 1 for always, else 0 */
};

enum key_id {
        KEY_DAY_STARTS,
        KEY_IDLE_AFTER,
        KEY_MAX_DEFER,
        KEY_ALLOW_PAUSE,
        KEY_BACKEND,
        KEY_WORK_HOURS,
        KEY_WAIT_FOR_LULL,
        KEY_LULL,
        KEY_SOUNDS,
        KEY_DND_MODES,
        KEY_TRAY,

        KEY_POSTURE_ENABLED,
        KEY_POSTURE_INTERVAL,
        KEY_POSTURE_DURATION,
        KEY_POSTURE_SNOOZE,
        KEY_POSTURE_MAX_SNOOZES,
        KEY_POSTURE_SKIPPABLE,
        KEY_POSTURE_REPROMPT,
        KEY_POSTURE_EXERCISES,

        KEY_MOVEMENT_ENABLED,
        KEY_MOVEMENT_INTERVAL,
        KEY_MOVEMENT_DURATION,
        KEY_MOVEMENT_SNOOZE,
        KEY_MOVEMENT_MAX_SNOOZES,
        KEY_MOVEMENT_SKIPPABLE,
        KEY_MOVEMENT_REPROMPT,
        KEY_MOVEMENT_EXERCISES,
        KEY_MOVEMENT_EXERCISES_PER_BREAK,

        KEY_PACING_ENABLED,
        KEY_PACING_QUOTA,
        KEY_PACING_REST,
        KEY_PACING_SNOOZE,
        KEY_PACING_MAX_SNOOZES,
        KEY_PACING_SKIPPABLE,
        KEY_PACING_REPROMPT,
        KEY_PACING_DAILY_LIMIT,
        KEY_PACING_FLARE_SCALE,
        KEY_PACING_FOLLOW_WORK_HOURS,
        KEY_PACING_FLARE_DAYS,
        KEY_PACING_FLARE_RECOVERY,
        KEY_PACING_CHECK_IN,
        KEY_PACING_REST_CHECK_IN,

        N_KEYS,
};

/* The three break kinds, in the order of the table above. */
enum kind {
        KIND_POSTURE,
        KIND_MOVEMENT,
        KIND_PACING,
        N_KINDS,
};

/* The per-kind keys, at the same offsets from each kind's first key (a
 * kind's own keys, such as posture.exercises, follow them). */
enum kind_field {
        FIELD_ENABLED,
        FIELD_INTERVAL, /* pacing: quota */
        FIELD_DURATION, /* pacing: rest */
        FIELD_SNOOZE,
        FIELD_MAX_SNOOZES,
        FIELD_SKIPPABLE,
        FIELD_REPROMPT,
        N_KIND_FIELDS,
};

/* Values of general.backend. */
enum backend_choice {
        BACKEND_AUTO,
        BACKEND_MUTTER,
        BACKEND_MUFFIN,
        BACKEND_WAYLAND,
        BACKEND_X11,
        BACKEND_SCREENSAVER,
        BACKEND_LOGIND,
        BACKEND_NONE,
};

/* A time of day that is "off" (keys with allow_off): past 23:59. */
#define TIME_OFF (24 * 60)

/* Values of general.tray. */
enum tray_choice {
        TRAY_AUTO,
        TRAY_YES,
        TRAY_NO,
};

struct key_def {
        const char *section;
        const char *name;
        enum value_type type;
        const char *def;                /* built-in default, as INI text */
        uint64_t min, max;              /* hard sanity bounds, in the value's unit */
        bool lockable;                  /* may vendor/employer files lock or bound it? */
        bool allow_off;                 /* duration (stored as 0) or time of day (TIME_OFF) that also takes "off" */
        const char *const *enum_values; /* NULL-terminated, for TYPE_ENUM */
        const char *help;               /* one line */
};

extern const struct key_def key_defs[N_KEYS];
extern const char *const section_names[]; /* NULL-terminated */
extern const char *const kind_names[N_KINDS];

/* The key of a kind's field, e.g. (KIND_PACING, FIELD_INTERVAL) -> KEY_PACING_QUOTA. */
enum key_id kind_key(enum kind kind, enum kind_field field);

/* "posture" -> KIND_POSTURE; -1 if unknown. */
int kind_from_name(const char *name);

/* Looks up "section" + "name"; -1 if unknown. */
int key_lookup(const char *section, const char *name);

/* Looks up "section.name" as one string; -1 if unknown. */
int key_lookup_full(const char *full);

/* "posture.interval" into buf; returns buf. */
#define KEY_NAME_BUF 64
char *key_full_name(char buf[static KEY_NAME_BUF], enum key_id id);

/* Parses text as the key's type and checks the hard bounds. On failure
 * returns -EINVAL/-ERANGE (not a value of the type), or -EDOM (outside the
 * key's hard bounds, key_defs[id].min..max), and, when why is given, a
 * static reason in words such as "invalid duration" or "out of range". */
int key_parse(enum key_id id, const char *text, uint64_t *ret, const char **why);

/* Does a value of this type keep its canonical text (struct setting.text)? */
bool type_has_text(enum value_type type);

/* Canonical INI text of a value of key id. For a list of ids or working
 * hours, which keep their text elsewhere, "all", "N ids", "always" or
 * "hours": use setting_text() (policy.h). */
#define VALUE_BUF 40
char *key_format(char buf[static VALUE_BUF], enum key_id id, uint64_t v);

/* "duration", "yes/no", … for help text and completions. */
const char *type_name(const struct key_def *def);

/* How to write a valid value, e.g. "use e.g. 90s, 20m, 1h30m". */
const char *type_hint(const struct key_def *def);

/* Can this type carry .min/.max? */
bool type_is_ordered(enum value_type type);
