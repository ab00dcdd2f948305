/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "schema.h"

struct diags;

/*
 * The effective policy: built-in defaults, then vendor files, then employer
 * files, then the user's file, each value remembering where it came from.
 *
 * Values cascade up (a later layer overrides); locks and bounds cascade down
 * (only vendor and employer files may set them, and the user cannot escape
 * them). A user value beyond a bound is clamped with a warning.
 */

enum scope {
        SCOPE_BUILTIN,
        SCOPE_VENDOR,
        SCOPE_EMPLOYER,
        SCOPE_USER,
};

const char *scope_name(enum scope scope); /* "built-in", "vendor", "employer", "user" */

struct origin {
        enum scope scope;
        const char *path; /* NULL for built-in; owned by the policy */
        unsigned line;
};

struct setting {
        uint64_t value;
        char *text; /* types with text (type_has_text): the canonical text; owned. NULL otherwise */
        struct origin origin;
        bool clamped; /* value was moved into [min, max] */

        bool locked;
        struct origin lock_origin;

        bool has_min, has_max;
        uint64_t min, max;
        char *min_text, *max_text; /* working hours: what must be, and what may be, working time; owned */
        struct origin min_origin, max_origin;
};

struct policy_file {
        char *path;
        enum scope scope;
        bool masked; /* a symlink to /dev/null */
};

struct policy {
        struct setting s[N_KEYS];
        struct policy_file *files; /* every file considered, in the order applied */
        size_t n_files;
};

struct policy_opts {
        const char *root;       /* resolve the system directories inside this (NULL: /) */
        const char *user_file;  /* NULL: $XDG_CONFIG_HOME/limber/limber.ini; "": none */
        const char *extra_file; /* an extra top layer with user scope (limberd --policy) */
};

/* The directories compiled in: vendor ($(libdir)/limber/policy.d) and employer
 * (/etc/limber/policy.d). */
extern const char policy_vendor_dir[];
extern const char policy_employer_dir[];

/* A policy holding the built-in defaults. */
struct policy *policy_new(void);
void policy_free(struct policy *p);
struct policy *policy_dup(const struct policy *p);

static inline uint64_t policy_get(const struct policy *p, enum key_id id)
{
        return p->s[id].value;
}

/* The canonical text of a list ("all" or "a, b"); NULL for other types. */
static inline const char *policy_get_text(const struct policy *p, enum key_id id)
{
        return p->s[id].text;
}

/* The text of a setting's value, as policy show prints it: the list itself
 * for a list (not bounded by VALUE_BUF), else key_format() into buf. */
const char *setting_text(char buf[static VALUE_BUF], enum key_id id, const struct setting *st);

/* Loads every layer. Always returns a policy (bad lines are skipped); every
 * problem is added to d. Returns the number of errors, or a negative errno
 * when the policy could not be built at all. */
int policy_load(const struct policy_opts *opts, struct policy **ret, struct diags *d);

/* The user file policy_load would read, or NULL (caller frees). */
char *policy_user_file(const struct policy_opts *opts);

/* Applies one file, or one buffer holding a file's text, as a layer of the
 * given scope. Bad lines are reported and skipped. */
void policy_apply_file(struct policy *p, const char *path, enum scope scope, struct diags *d);
void policy_apply_buffer(struct policy *p, const char *path, const char *buf, size_t size, enum scope scope,
                         struct diags *d);

/* After the last layer: clamps values into their bounds, with warnings. */
void policy_finish_layers(struct policy *p, struct diags *d);

/* Where a setting came from: "built-in" or "PATH:LINE". */
#define ORIGIN_BUF 4200
char *origin_format(char buf[static ORIGIN_BUF], const struct origin *o);

/* A value of a kind, with pacing's quota/rest in the interval/duration slots. */
struct kind_policy {
        bool enabled;
        uint64_t interval, duration, snooze, reprompt; /* µs */
        unsigned max_snoozes;
        bool skippable;
};
void policy_kind(const struct policy *p, enum kind kind, struct kind_policy *ret);
