/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "schema.h"

struct diags;
struct policy;

/*
 * The exercise catalogue: what a started break guides the user through.
 *
 * One exercise per file, ID.exercise, in three layers, lowest first:
 * shipped ($(datadir)/limber/exercises), employer (/etc/limber/exercises.d)
 * and user ($XDG_CONFIG_HOME/limber/exercises.d). A file in a higher layer
 * replaces the one of the same name below it; a symlink to /dev/null masks
 * it. The format is described in limber.exercise(5):
 *
 *   [exercise]
 *   id = neck-side-bend
 *   title = Neck side bend
 *   title[de] = Kopf seitlich neigen
 *   kinds = posture, movement
 *   picture = neck-side-bend.svg
 *   note = Stop if it hurts.
 *
 *   [step]
 *   do = Let your right ear sink towards your right shoulder.
 *   hold = 25s
 *
 *   [step]
 *   do = Roll your shoulders slowly up, back and down.
 *   count = 5
 *   each = 4s
 *
 * Parsing is strict: every problem is an error naming the file, the line
 * and the value, and a file with an error is left out of the catalogue.
 */

/* Hard limits of the format. */
#define EXERCISE_FILE_MAX     (64 * 1024)
#define EXERCISE_LINE_MAX     1000 /* bytes, after indentation */
#define EXERCISE_STEPS_MAX    20
#define EXERCISE_HOLD_MIN     ((uint64_t) 1000000)       /* µs: 1s */
#define EXERCISE_HOLD_MAX     ((uint64_t) 600 * 1000000) /* µs: 10m, also a step's longest */
#define EXERCISE_COUNT_MAX    100
#define EXERCISE_EACH_MIN     ((uint64_t) 1000000)      /* µs: 1s */
#define EXERCISE_EACH_MAX     ((uint64_t) 60 * 1000000) /* µs: 1m */
#define EXERCISE_EACH_DEFAULT ((uint64_t) 4 * 1000000)

/* A text with its translations (title[de] = …, as in .desktop files). */
struct exercise_translation {
        char *lang; /* as written: de, pt_BR, sr@latin */
        char *text;
};

struct exercise_text {
        char *text; /* untranslated; NULL when the (optional) key is absent */
        struct exercise_translation *tr;
        size_t n_tr;
};

struct exercise_step {
        struct exercise_text what; /* the instruction ("do") */
        uint64_t hold;             /* µs, for a held step; 0 for a counted one */
        unsigned count;            /* repetitions, for a counted step; 0 for a held one */
        uint64_t each;             /* µs per repetition of a counted step (default 4s); 0 when held */
        unsigned line;             /* of its [step] header */
};

enum exercise_layer {
        EXERCISE_SHIPPED,
        EXERCISE_EMPLOYER,
        EXERCISE_USER,
        N_EXERCISE_LAYERS,
};

/* "shipped", "employer", "user" */
const char *exercise_layer_name(enum exercise_layer layer);

#define EXERCISE_KIND(k) (1u << (k))

struct exercise {
        char *id;
        struct exercise_text title;
        struct exercise_text note; /* note.text NULL: none */
        unsigned kinds;            /* EXERCISE_KIND(KIND_POSTURE) | …: the breaks it suits */
        char *picture;             /* the file name as written, or NULL */
        char *picture_path;        /* where it was found (absolute when the file's is), or NULL */
        unsigned picture_line;     /* of "picture = ", for messages */
        struct exercise_step *steps;
        size_t n_steps;
        char *path; /* the file it came from */
        enum exercise_layer layer;
};

static inline bool exercise_suits(const struct exercise *e, enum kind kind)
{
        return e->kinds & EXERCISE_KIND(kind);
}

/* How long a step takes: its hold, or count × each. µs. */
uint64_t exercise_step_duration(const struct exercise_step *s);

/* The whole exercise: the sum of its steps. µs. */
uint64_t exercise_duration(const struct exercise *e);

/* Parses one exercise file's text; path names it in diagnostics, and when
 * its name ends in ".exercise" the id must be the rest of that name.
 * Returns 0 and a new exercise (layer EXERCISE_USER, no picture_path), or
 * -EINVAL after adding every problem to d. Pure: no I/O. */
int exercise_parse(const char *path, const char *buf, size_t size, struct exercise **ret, struct diags *d);

/* Reads and parses a file, then looks for its picture next to it and then
 * in pictures_dir (may be NULL); a picture found nowhere is a warning.
 * Returns 0, -EINVAL (problems in d) or a negative errno (reported in d). */
int exercise_load(const char *path, enum exercise_layer layer, const char *pictures_dir, struct exercise **ret,
                  struct diags *d);

void exercise_free(struct exercise *e);

/* The text in the first language of langs that has it, else the
 * untranslated one. langs is NULL-terminated, in order of preference, as
 * locale names (de_AT.UTF-8, de, sr@latin) or g_get_language_names(); each
 * is matched as the Desktop Entry spec says: lang_COUNTRY@MODIFIER, then
 * lang_COUNTRY, lang@MODIFIER, lang. "C" and "POSIX" stop the search.
 * langs NULL: untranslated. */
const char *exercise_text_get(const struct exercise_text *t, const char *const *langs);

/* The user's languages from the environment, as gettext finds them:
 * LANGUAGE (unless the locale is C), then LC_ALL, LC_MESSAGES or LANG.
 * NULL-terminated; free with exercise_languages_free(). */
char **exercise_languages(void);
void exercise_languages_free(char **langs);

/* ---- the catalogue -------------------------------------------------------- */

struct exercise_file {
        char *path;
        enum exercise_layer layer;
        bool masked;     /* a symlink to /dev/null */
        bool overridden; /* a higher layer has a file of the same name */
};

struct exercise_catalogue {
        struct exercise **v; /* sorted by id */
        size_t n;
        struct exercise_file *files; /* every *.exercise file seen, layer by layer */
        size_t n_files;
        char *dirs[N_EXERCISE_LAYERS]; /* the directories read (user: NULL when there is none) */
};

struct exercise_opts {
        const char *root;        /* resolve the system directories inside this (NULL: /) */
        const char *shipped_dir; /* NULL: $LIMBER_EXERCISES, else the compiled-in one inside root */
        const char *user_dir;    /* NULL: $XDG_CONFIG_HOME/limber/exercises.d; "": none */
};

/* The directories compiled in. */
extern const char exercise_shipped_dir[];  /* $(datadir)/limber/exercises */
extern const char exercise_employer_dir[]; /* /etc/limber/exercises.d */

/* The directory of each layer as opts resolve it (user: NULL when neither
 * XDG_CONFIG_HOME nor HOME is set, or opts->user_dir is ""). Caller frees each. */
void exercise_dirs(const struct exercise_opts *opts, char *ret[static N_EXERCISE_LAYERS]);

/* Loads every layer. Always returns a catalogue: a file with errors is left
 * out, and every problem is added to d. Returns the number of errors. */
int exercise_catalogue_load(const struct exercise_opts *opts, struct exercise_catalogue **ret, struct diags *d);
void exercise_catalogue_free(struct exercise_catalogue *c);

const struct exercise *exercise_catalogue_find(const struct exercise_catalogue *c, const char *id);

/* The exercises a started break of this kind guides through, as the policy
 * says: for posture.exercises and movement.exercises = all, every exercise
 * that suits the kind, by id; for a list, the listed ones that exist, in its
 * order. Pacing, which has no such key, takes every one that suits it.
 * Returns how many; *ret (caller frees the array, not the exercises) points
 * into c. */
size_t exercise_catalogue_select(const struct exercise_catalogue *c, const struct policy *p, enum kind kind,
                                 const struct exercise ***ret);

/* Warns, at the policy line that names it, about each id in
 * posture.exercises and movement.exercises that names no exercise, and
 * about a kind left with none. Returns the number of warnings. */
size_t exercise_catalogue_check_policy(const struct exercise_catalogue *c, const struct policy *p, struct diags *d);
