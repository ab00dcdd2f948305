/* SPDX-License-Identifier: MIT */
#include "policy.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

/* Debian's libinih is built with INI_HANDLER_LINENO=1 and always passes the
 * line number; declare the handler to match. We count lines ourselves. */
#define INI_HANDLER_LINENO 1
#include <ini.h>

#include "diag.h"
#include "i18n.h"
#include "schedule.h"
#include "util.h"
#include "value.h"

#ifndef LIMBER_VENDOR_DIR
#define LIMBER_VENDOR_DIR "/usr/local/lib/limber/policy.d"
#endif
#ifndef LIMBER_EMPLOYER_DIR
#define LIMBER_EMPLOYER_DIR "/etc/limber/policy.d"
#endif

const char policy_vendor_dir[] = LIMBER_VENDOR_DIR;
const char policy_employer_dir[] = LIMBER_EMPLOYER_DIR;

#define POLICY_FILE_MAX (1024 * 1024)

enum suffix {
        SUFFIX_NONE,
        SUFFIX_LOCKED,
        SUFFIX_MIN,
        SUFFIX_MAX,
        N_SUFFIXES,
};

static const char *const suffix_names[N_SUFFIXES] = { "", ".locked", ".min", ".max" };

const char *scope_name(enum scope scope)
{
        static const char *const names[] = { "built-in", "vendor", "employer", "user" };
        return names[scope];
}

static bool scope_is_system(enum scope scope)
{
        return scope == SCOPE_VENDOR || scope == SCOPE_EMPLOYER;
}

/* The canonical text of a value of a type with text (checked already). */
static char *canonical_text(enum key_id id, const char *text)
{
        struct schedule sc;
        char *ret = NULL;
        size_t n;

        if (key_defs[id].type == TYPE_SCHEDULE) {
                if (schedule_parse(text, &sc, NULL, 0, NULL, 0) < 0)
                        abort();
                return schedule_format(&sc);
        }
        /* Only allocation can fail. */
        if ((key_defs[id].type == TYPE_ID_LIST ? parse_id_list : parse_name_list)(text, &ret, &n, NULL) < 0 || !ret)
                abort();
        return ret;
}

struct policy *policy_new(void)
{
        struct policy *p = xcalloc(1, sizeof(*p));

        for (int i = 0; i < N_KEYS; i++) {
                /* The defaults are checked by a unit test; a bad one is a bug. */
                if (key_parse((enum key_id) i, key_defs[i].def, &p->s[i].value, NULL) < 0)
                        abort();
                if (type_has_text(key_defs[i].type))
                        p->s[i].text = canonical_text((enum key_id) i, key_defs[i].def);
                p->s[i].origin.scope = SCOPE_BUILTIN;
        }
        return p;
}

void policy_free(struct policy *p)
{
        if (!p)
                return;
        for (int k = 0; k < N_KEYS; k++) {
                free(p->s[k].text);
                free(p->s[k].min_text);
                free(p->s[k].max_text);
        }
        for (size_t i = 0; i < p->n_files; i++)
                free(p->files[i].path);
        free(p->files);
        free(p);
}

struct policy *policy_dup(const struct policy *p)
{
        struct policy *c = xmalloc(sizeof(*c));

        *c = *p;
        c->files = xcalloc(p->n_files, sizeof(*c->files));
        for (size_t i = 0; i < p->n_files; i++) {
                c->files[i] = p->files[i];
                c->files[i].path = xstrdup(p->files[i].path);
        }
        for (int k = 0; k < N_KEYS; k++) {
                c->s[k].text = p->s[k].text ? xstrdup(p->s[k].text) : NULL;
                c->s[k].min_text = p->s[k].min_text ? xstrdup(p->s[k].min_text) : NULL;
                c->s[k].max_text = p->s[k].max_text ? xstrdup(p->s[k].max_text) : NULL;
        }
        /* Origins point at the file paths: re-point them at the copies. */
        for (int k = 0; k < N_KEYS; k++) {
                struct origin *os[] = { &c->s[k].origin, &c->s[k].lock_origin, &c->s[k].min_origin,
                                        &c->s[k].max_origin };
                for (size_t j = 0; j < ELEMENTSOF(os); j++)
                        for (size_t i = 0; os[j]->path && i < p->n_files; i++)
                                if (os[j]->path == p->files[i].path) {
                                        os[j]->path = c->files[i].path;
                                        break;
                                }
        }
        return c;
}

static const char *policy_add_file(struct policy *p, const char *path, enum scope scope, bool masked)
{
        p->files = xreallocarray(p->files, p->n_files + 1, sizeof(*p->files));
        p->files[p->n_files] = (struct policy_file){ .path = xstrdup(path), .scope = scope, .masked = masked };
        return p->files[p->n_files++].path;
}

const char *setting_text(char buf[static VALUE_BUF], enum key_id id, const struct setting *st)
{
        if (type_has_text(key_defs[id].type) && st->text)
                return st->text;
        return key_format(buf, id, st->value);
}

char *origin_format(char buf[static ORIGIN_BUF], const struct origin *o)
{
        if (o->scope == SCOPE_BUILTIN || !o->path)
                snprintf(buf, ORIGIN_BUF, "built-in");
        else
                snprintf(buf, ORIGIN_BUF, "%s:%u", o->path, o->line);
        return buf;
}

/* A value as it may be shown inside quotes: control bytes escaped, long
 * values shortened. */
static char *quote(char buf[static 96], const char *s)
{
        size_t n = 0;

        for (; *s && n < 80; s++) {
                unsigned char c = (unsigned char) *s;
                if (c < 0x20 || c == 0x7f || c == '\'')
                        n += (size_t) snprintf(buf + n, 96 - n, "\\x%02x", c);
                else
                        buf[n++] = (char) c;
        }
        if (*s)
                n += (size_t) snprintf(buf + n, 96 - n, "...");
        buf[n] = '\0';
        return buf;
}

/* ---- one file ----------------------------------------------------------- */

struct parse_ctx {
        struct policy *p;
        struct diags *d;
        const char *path; /* owned by p */
        enum scope scope;
        bool constraints_ok; /* may this file lock and bound keys? */

        const char *pos, *end;
        unsigned line;

        enum {
                SECTION_NONE, /* no header yet */
                SECTION_KNOWN,
                SECTION_SKIP, /* unknown or broken header, already reported */
        } section;
        unsigned seen[N_KEYS][N_SUFFIXES]; /* line of each key in this file, for duplicates */
};

static void report(struct parse_ctx *c, enum severity sev, const char *fmt, ...) _printf_(3, 4);
static void report(struct parse_ctx *c, enum severity sev, const char *fmt, ...)
{
        _cleanup_(freep) char *msg = NULL;
        va_list ap;

        va_start(ap, fmt);
        msg = xvasprintf(fmt, ap);
        va_end(ap);
        diags_add(c->d, sev, c->path, c->line, "%s", msg);
}

/* Unknown names are errors in system files and warnings in the user's. */
static enum severity unknown_severity(const struct parse_ctx *c)
{
        return scope_is_system(c->scope) ? SEV_ERROR : SEV_WARNING;
}

static bool known_section(const char *name)
{
        for (size_t i = 0; section_names[i]; i++)
                if (streq(section_names[i], name))
                        return true;
        return false;
}

/* Checks one raw line (without its newline) before inih sees it. Returns
 * false when the line is malformed; it has then been reported. */
static bool check_line(struct parse_ctx *c, const char *s, size_t len)
{
        char q[96];
        _cleanup_(freep) char *line = xstrndup(s, len);
        char *t = line, *close;

        while (*t == ' ' || *t == '\t')
                t++;
        if (!*t || *t == ';' || *t == '#' || streq(t, "\r"))
                return true;

        if (*t == '[') {
                close = strchr(t, ']');
                if (!close) {
                        report(c, SEV_ERROR, D_("missing ']' in section header: '%s'"), quote(q, t));
                        c->section = SECTION_SKIP;
                        return false;
                }
                for (char *r = close + 1; *r; r++) {
                        if (*r == ';' || *r == '#')
                                break;
                        if (!isspace((unsigned char) *r)) {
                                report(c, SEV_ERROR, D_("unexpected text after section header: '%s'"), quote(q, t));
                                c->section = SECTION_SKIP;
                                return false;
                        }
                }
                *close = '\0';
                c->section = known_section(t + 1) ? SECTION_KNOWN : SECTION_SKIP;
                if (c->section == SECTION_SKIP)
                        report(c, unknown_severity(c), D_("unknown section: '[%s]'"), quote(q, t + 1));
                return true;
        }

        if (!strpbrk(t, "=:")) {
                report(c, SEV_ERROR, D_("expected 'key = value': '%s'"), quote(q, t));
                return false;
        }
        return true;
}

/* inih's fgets-style reader over our buffer: counts lines, rejects lines
 * inih would split or misread, and strips indentation so that inih never
 * treats a line as the continuation of the previous value. */
static char *reader(char *str, int num, void *stream)
{
        struct parse_ctx *c = stream;

        for (;;) {
                const char *s = c->pos, *nl;
                size_t len, max = num > 2 ? (size_t) num - 2 : 0;

                if (s >= c->end)
                        return NULL;
                nl = memchr(s, '\n', (size_t) (c->end - s));
                len = nl ? (size_t) (nl - s) : (size_t) (c->end - s);
                c->pos = nl ? nl + 1 : c->end;
                c->line++;

                if (c->line == 1 && len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
                        s += 3; /* a UTF-8 byte order mark */
                        len -= 3;
                }
                while (len > 0 && (*s == ' ' || *s == '\t')) {
                        s++;
                        len--;
                }
                if (memchr(s, '\0', len)) {
                        report(c, SEV_ERROR, D_("line contains a NUL byte"));
                        continue;
                }
                if (len > max) {
                        report(c, SEV_ERROR, D_("line too long (%zu characters; at most %zu)"), len, max);
                        continue;
                }
                if (!check_line(c, s, len))
                        continue;
                memcpy(str, s, len);
                str[len] = '\n';
                str[len + 1] = '\0';
                return str;
        }
}

static void apply_value(struct parse_ctx *c, enum key_id id, uint64_t v, const char *text)
{
        struct setting *st = &c->p->s[id];
        char kn[KEY_NAME_BUF], vb[VALUE_BUF], ob[ORIGIN_BUF], q[96];

        if (c->scope == SCOPE_USER && st->locked) {
                report(c, SEV_WARNING, D_("%s = %s ignored: locked to %s by %s"), key_full_name(kn, id), quote(q, text),
                       setting_text(vb, id, st), origin_format(ob, &st->lock_origin));
                return;
        }
        if (type_has_text(key_defs[id].type)) {
                free(st->text);
                st->text = canonical_text(id, text); /* checked by key_parse() already */
        }
        st->value = v;
        st->clamped = false;
        st->origin = (struct origin){ c->scope, c->path, c->line };
}

static void apply_constraint(struct parse_ctx *c, enum key_id id, enum suffix suf, const char *text)
{
        const struct key_def *def = &key_defs[id];
        struct setting *st = &c->p->s[id];
        char kn[KEY_NAME_BUF], q[96];
        const char *why;
        uint64_t v;
        bool b;

        key_full_name(kn, id);
        if (!c->constraints_ok) {
                report(c, SEV_WARNING,
                       D_("%s%s ignored: only vendor and employer policy files (owned by root, not writable "
                          "by others) may lock or bound settings"),
                       kn, suffix_names[suf]);
                return;
        }
        if (!def->lockable) {
                report(c, SEV_WARNING,
                       D_("%s%s ignored: pacing settings belong to the user and cannot be locked or bounded"), kn,
                       suffix_names[suf]);
                return;
        }

        if (suf == SUFFIX_LOCKED) {
                if (parse_bool(text, &b) < 0) {
                        report(c, SEV_ERROR, D_("invalid boolean for %s.locked (%s): '%s'"), kn,
                               strpbrk(text, "#;") ? D_("comments go on their own line") : D_("use yes or no"),
                               quote(q, text));
                        return;
                }
                st->locked = b;
                st->lock_origin = (struct origin){ c->scope, c->path, c->line };
                return;
        }

        if (def->type == TYPE_ID_LIST) {
                report(c, SEV_ERROR,
                       D_("%s%s: a list of exercises cannot be bounded (lock it with %s.locked = yes): "
                          "'%s'"),
                       kn, suffix_names[suf], kn, quote(q, text));
                return;
        }
        if (def->type == TYPE_NAME_LIST) {
                report(c, SEV_ERROR, D_("%s%s: a list of names cannot be bounded (lock it with %s.locked = yes): '%s'"),
                       kn, suffix_names[suf], kn, quote(q, text));
                return;
        }
        if (def->type == TYPE_SCHEDULE) {
                /* .min: hours that must be working time; .max: the only hours that may be. */
                struct schedule sc;
                char what[96], token[80];

                if (schedule_parse(text, &sc, what, sizeof(what), token, sizeof(token)) < 0) {
                        report(c, SEV_ERROR, D_("invalid working hours for %s%s (%s): '%s'"), kn, suffix_names[suf],
                               what, quote(q, token));
                        return;
                }
                if (suf == SUFFIX_MIN) {
                        free(st->min_text);
                        st->min_text = schedule_format(&sc);
                        st->has_min = true;
                        st->min_origin = (struct origin){ c->scope, c->path, c->line };
                } else {
                        free(st->max_text);
                        st->max_text = schedule_format(&sc);
                        st->has_max = true;
                        st->max_origin = (struct origin){ c->scope, c->path, c->line };
                }
                return;
        }
        if (!type_is_ordered(def->type)) {
                report(c, SEV_ERROR, D_("%s%s: only durations, counts and percentages can be bounded: '%s'"), kn,
                       suffix_names[suf], quote(q, text));
                return;
        }
        if (key_parse(id, text, &v, &why) < 0) {
                report(c, SEV_ERROR, D_("%s for %s%s (%s): '%s'"), why, kn, suffix_names[suf],
                       strpbrk(text, "#;") ? D_("comments go on their own line") : type_hint(def), quote(q, text));
                return;
        }
        if (suf == SUFFIX_MIN) {
                st->has_min = true;
                st->min = v;
                st->min_origin = (struct origin){ c->scope, c->path, c->line };
        } else {
                st->has_max = true;
                st->max = v;
                st->max_origin = (struct origin){ c->scope, c->path, c->line };
        }
        if (st->has_min && st->has_max && st->min > st->max) {
                char a[VALUE_BUF], bb[VALUE_BUF];
                report(c, SEV_ERROR, D_("%s.min (%s) is above %s.max (%s): '%s'"), kn, key_format(a, id, st->min), kn,
                       key_format(bb, id, st->max), quote(q, text));
                if (suf == SUFFIX_MIN)
                        st->has_min = false;
                else
                        st->has_max = false;
        }
}

static int handler(void *user, const char *section, const char *name, const char *value, int lineno)
{
        struct parse_ctx *c = user;
        _cleanup_(freep) char *key = xstrdup(name);
        enum suffix suf = SUFFIX_NONE;
        char kn[KEY_NAME_BUF], q[96], lb[32];
        const char *why;
        char *dot;
        uint64_t v;
        int id, r;

        (void) lineno; /* counted by the reader */

        if (c->section == SECTION_SKIP)
                return 1; /* reported at the header */
        if (c->section == SECTION_NONE) {
                report(c, unknown_severity(c), D_("setting outside of a section: '%s'"), quote(q, name));
                return 1;
        }

        dot = strrchr(key, '.');
        if (dot) {
                for (int s = SUFFIX_LOCKED; s < N_SUFFIXES; s++)
                        if (streq(dot, suffix_names[s])) {
                                suf = (enum suffix) s;
                                *dot = '\0';
                        }
        }
        id = key_lookup(section, key);
        if (id < 0) {
                report(c, unknown_severity(c), D_("unknown key in [%s]: '%s'"), section, quote(q, name));
                return 1;
        }
        key_full_name(kn, (enum key_id) id);

        if (c->seen[id][suf]) {
                snprintf(lb, sizeof(lb), "%u", c->seen[id][suf]);
                report(c, SEV_WARNING, D_("%s%s set again (first on line %s); the last value wins"), kn,
                       suffix_names[suf], lb);
        }
        c->seen[id][suf] = c->line;

        if (suf != SUFFIX_NONE) {
                apply_constraint(c, (enum key_id) id, suf, value);
                return 1;
        }
        if (key_defs[id].type == TYPE_SCHEDULE && key_parse((enum key_id) id, value, &v, &why) < 0) {
                char what[96], token[80];
                (void) schedule_parse(value, &(struct schedule){ 0 }, what, sizeof(what), token, sizeof(token));
                report(c, SEV_ERROR, D_("invalid working hours for %s (%s): '%s'"), kn, what, quote(q, token));
                return 1;
        }
        r = key_parse((enum key_id) id, value, &v, &why);
        if (r < 0) {
                if (r == -EDOM) {
                        char a[VALUE_BUF], b[VALUE_BUF];
                        report(c, SEV_ERROR, D_("out of range for %s (%s..%s): '%s'"), kn,
                               key_format(a, (enum key_id) id, key_defs[id].min),
                               key_format(b, (enum key_id) id, key_defs[id].max), quote(q, value));
                } else if (strpbrk(value, "#;")) {
                        report(c, SEV_ERROR, D_("%s for %s (comments go on their own line): '%s'"), why, kn,
                               quote(q, value));
                } else {
                        report(c, SEV_ERROR, D_("%s for %s (%s): '%s'"), why, kn, type_hint(&key_defs[id]),
                               quote(q, value));
                }
                return 1;
        }
        apply_value(c, (enum key_id) id, v, value);
        return 1;
}

/* How far to trust a system file's ownership before honouring its locks and
 * bounds. */
enum trust {
        TRUST_CHECK_OWNER, /* installed: owned by root, not writable by others */
        TRUST_CHECK_MODE,  /* under --root: not writable by others */
        TRUST_CONTENT,     /* `limber policy check`: only the text matters */
};

/* Is root this file's owner? In a user namespace that does not map root (a
 * user service with PrivateUsers=, which the example hardening drop-in
 * implies), root's files show as owned by the overflow uid; only root can
 * make a file that shows so. */
static bool owned_by_root(uid_t uid)
{
        _cleanup_(freep) char *map = NULL, *overflow = NULL;
        unsigned long inside, outside, count;
        size_t size;

        if (uid == 0)
                return true;
        if (read_file("/proc/sys/kernel/overflowuid", 32, &overflow, &size) < 0 ||
            strtoul(overflow, NULL, 10) != (unsigned long) uid ||
            read_file("/proc/self/uid_map", 65536, &map, &size) < 0)
                return false;
        for (const char *l = map; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
                if (sscanf(l, "%lu %lu %lu", &inside, &outside, &count) == 3 && outside == 0 && count > 0)
                        return false; /* root is mapped: this is someone else's file */
        return true;
}

/* System files may constrain the user only when nobody else can write them. */
static bool file_may_constrain(const char *path, enum scope scope, enum trust trust, struct diags *d)
{
        struct stat st;

        if (!scope_is_system(scope))
                return false;
        if (trust == TRUST_CONTENT || stat(path, &st) < 0)
                return true;
        if ((st.st_mode & (S_IWGRP | S_IWOTH)) || (trust == TRUST_CHECK_OWNER && !owned_by_root(st.st_uid))) {
                diags_add(d, SEV_WARNING, path, 0,
                          D_("not owned by root or writable by others: its locks and bounds are ignored"));
                return false;
        }
        return true;
}

static void apply_buffer(struct policy *p, const char *path, const char *buf, size_t size, enum scope scope,
                         bool constraints_ok, struct diags *d)
{
        struct parse_ctx *c = xcalloc(1, sizeof(*c));
        size_t errors_before = diags_count(d, SEV_ERROR);
        int r;

        c->p = p;
        c->d = d;
        c->path = policy_add_file(p, path, scope, false);
        c->scope = scope;
        c->constraints_ok = constraints_ok;
        c->pos = buf;
        c->end = buf + size;

        r = ini_parse_stream(reader, c, handler, c);
        if (r > 0 && diags_count(d, SEV_ERROR) == errors_before)
                diags_add(d, SEV_ERROR, c->path, (unsigned) r, D_("syntax error"));
        else if (r < 0)
                diags_add(d, SEV_ERROR, c->path, 0, D_("cannot parse: %s"), strerror(ENOMEM));
        free(c);
}

void policy_apply_buffer(struct policy *p, const char *path, const char *buf, size_t size, enum scope scope,
                         struct diags *d)
{
        apply_buffer(p, path, buf, size, scope, scope_is_system(scope), d);
}

static void apply_file(struct policy *p, const char *path, enum scope scope, enum trust trust, struct diags *d)
{
        _cleanup_(freep) char *buf = NULL;
        size_t size;
        int r;

        r = read_file(path, POLICY_FILE_MAX, &buf, &size);
        if (r == -EISDIR) {
                diags_add(d, SEV_ERROR, path, 0, D_("is a directory, not a policy file"));
                return;
        }
        if (r == -EBADF) {
                diags_add(d, SEV_ERROR, path, 0, D_("not a regular file"));
                return;
        }
        if (r == -EFBIG) {
                diags_add(d, SEV_ERROR, path, 0, D_("too large for a policy file (more than %d bytes)"),
                          POLICY_FILE_MAX);
                return;
        }
        if (r < 0) {
                diags_add(d, SEV_ERROR, path, 0, D_("cannot read: %s"), strerror(-r));
                return;
        }
        apply_buffer(p, path, buf, size, scope, file_may_constrain(path, scope, trust, d), d);
}

void policy_apply_file(struct policy *p, const char *path, enum scope scope, struct diags *d)
{
        /* Checking a file's content: who owns it matters only once installed. */
        apply_file(p, path, scope, TRUST_CONTENT, d);
}

/* ---- layers ------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The *.ini names in dir, sorted; missing directory = none. */
static int list_ini(const char *dir, char ***ret, size_t *ret_n, struct diags *d)
{
        DIR *dp = opendir(dir);
        struct dirent *de;
        char **v = NULL;
        size_t n = 0;

        *ret = NULL;
        *ret_n = 0;
        if (!dp) {
                if (errno == ENOENT || errno == ENOTDIR)
                        return 0;
                diags_add(d, SEV_ERROR, dir, 0, D_("cannot read directory: %s"), strerror(errno));
                return -errno;
        }
        while ((de = readdir(dp))) {
                size_t len = strlen(de->d_name);
                if (de->d_name[0] == '.' || len < 5 || !streq(de->d_name + len - 4, ".ini"))
                        continue;
                v = xreallocarray(v, n + 1, sizeof(*v));
                v[n++] = xstrdup(de->d_name);
        }
        closedir(dp);
        if (n > 1)
                qsort(v, n, sizeof(*v), cmp_str);
        *ret = v;
        *ret_n = n;
        return 0;
}

static void free_strv(char **v, size_t n)
{
        for (size_t i = 0; i < n; i++)
                free(v[i]);
        free(v);
}

static bool strv_contains(char **v, size_t n, const char *s)
{
        for (size_t i = 0; i < n; i++)
                if (streq(v[i], s))
                        return true;
        return false;
}

static bool is_masked(const char *path)
{
        char target[64];
        ssize_t n = readlink(path, target, sizeof(target) - 1);

        if (n < 0)
                return false;
        target[n] = '\0';
        return streq(target, "/dev/null");
}

static void apply_dir(struct policy *p, const char *dir, char **names, size_t n, enum scope scope, char **skip,
                      size_t n_skip, enum trust trust, struct diags *d)
{
        for (size_t i = 0; i < n; i++) {
                _cleanup_(freep) char *path = xasprintf("%s/%s", dir, names[i]);

                if (strv_contains(skip, n_skip, names[i]))
                        continue; /* replaced or masked by an employer file */
                if (is_masked(path)) {
                        policy_add_file(p, path, scope, true);
                        continue;
                }
                apply_file(p, path, scope, trust, d);
        }
}

char *policy_user_file(const struct policy_opts *opts)
{
        _cleanup_(freep) char *cfg = NULL;

        if (opts && opts->user_file)
                return opts->user_file[0] ? xstrdup(opts->user_file) : NULL;
        cfg = xdg_dir("XDG_CONFIG_HOME", ".config");
        return cfg ? xasprintf("%s/limber/limber.ini", cfg) : NULL;
}

int policy_load(const struct policy_opts *opts, struct policy **ret, struct diags *d)
{
        static const struct policy_opts none = { 0 };
        const char *root = opts && opts->root && opts->root[0] ? opts->root : "";
        _cleanup_(freep) char *vdir = NULL, *edir = NULL, *user = NULL;
        char **vnames = NULL, **enames = NULL;
        size_t nv = 0, ne = 0, errors_before = diags_count(d, SEV_ERROR);
        enum trust trust = root[0] ? TRUST_CHECK_MODE : TRUST_CHECK_OWNER;
        struct policy *p;
        struct stat st;

        if (!opts)
                opts = &none;
        p = policy_new();
        vdir = xasprintf("%s%s", root, policy_vendor_dir);
        edir = xasprintf("%s%s", root, policy_employer_dir);

        (void) list_ini(vdir, &vnames, &nv, d);
        (void) list_ini(edir, &enames, &ne, d);
        apply_dir(p, vdir, vnames, nv, SCOPE_VENDOR, enames, ne, trust, d);
        apply_dir(p, edir, enames, ne, SCOPE_EMPLOYER, NULL, 0, trust, d);
        free_strv(vnames, nv);
        free_strv(enames, ne);

        user = policy_user_file(opts);
        if (user && (stat(user, &st) == 0 || errno != ENOENT))
                apply_file(p, user, SCOPE_USER, trust, d);
        if (opts->extra_file)
                apply_file(p, opts->extra_file, SCOPE_USER, trust, d);

        policy_finish_layers(p, d);
        *ret = p;
        return (int) (diags_count(d, SEV_ERROR) - errors_before);
}

/* Working hours within their bounds: at least .min, at most .max. */
static void clamp_schedule(struct policy *p, enum key_id id, struct diags *d)
{
        struct setting *st = &p->s[id];
        struct schedule v, was, min, max;
        char kn[KEY_NAME_BUF], ob[ORIGIN_BUF];
        const struct origin *bound;
        char *text;

        if (!st->text || schedule_parse(st->text, &v, NULL, 0, NULL, 0) < 0)
                return;
        was = v;
        if (st->has_min && schedule_parse(st->min_text, &min, NULL, 0, NULL, 0) == 0)
                schedule_union(&v, &min);
        if (st->has_max && schedule_parse(st->max_text, &max, NULL, 0, NULL, 0) == 0)
                schedule_intersect(&v, &max);
        if (schedule_equal(&v, &was))
                return;
        bound = st->has_max && !schedule_within(&was, &max) ? &st->max_origin : &st->min_origin;
        text = schedule_format(&v);
        diags_add(d, SEV_WARNING, st->origin.path ? st->origin.path : bound->path,
                  st->origin.path ? st->origin.line : bound->line,
                  D_("%s = %s is outside the working hours set by %s; using %s"), key_full_name(kn, id), st->text,
                  origin_format(ob, bound), text);
        free(st->text);
        st->text = text;
        st->value = schedule_always(&v);
        st->clamped = true;
}

void policy_finish_layers(struct policy *p, struct diags *d)
{
        for (int i = 0; i < N_KEYS; i++) {
                struct setting *st = &p->s[i];
                char kn[KEY_NAME_BUF], a[VALUE_BUF], b[VALUE_BUF], ob[ORIGIN_BUF];
                const struct origin *bound = NULL;
                bool above = false;
                uint64_t to = 0;

                if (key_defs[i].type == TYPE_SCHEDULE) {
                        clamp_schedule(p, (enum key_id) i, d);
                        continue;
                }
                if (st->has_min && st->value < st->min) {
                        bound = &st->min_origin;
                        to = st->min;
                } else if (st->has_max && st->value > st->max) {
                        bound = &st->max_origin;
                        above = true;
                        to = st->max;
                }
                if (!bound)
                        continue;
                key_full_name(kn, (enum key_id) i);
                key_format(a, (enum key_id) i, st->value);
                key_format(b, (enum key_id) i, to);
                /* "off" (0) for an optional duration means "none", which a bound rules out. */
                /* A built-in value has no file: the warning goes to the bound's. */
                if (st->origin.path)
                        diags_add(d, SEV_WARNING, st->origin.path, st->origin.line,
                                  above ? D_("%s = %s is above the maximum %s set by %s; using %s")
                                        : D_("%s = %s is below the minimum %s set by %s; using %s"),
                                  kn, a, b, origin_format(ob, bound), b);
                else
                        diags_add(d, SEV_WARNING, bound->path, bound->line,
                                  above ? D_("the built-in %s = %s is above the maximum %s set here; using %s")
                                        : D_("the built-in %s = %s is below the minimum %s set here; using %s"),
                                  kn, a, b, b);
                st->value = to;
                st->clamped = true;
        }
}

void policy_kind(const struct policy *p, enum kind kind, struct kind_policy *ret)
{
        *ret = (struct kind_policy){
                .enabled = policy_get(p, kind_key(kind, FIELD_ENABLED)),
                .interval = policy_get(p, kind_key(kind, FIELD_INTERVAL)),
                .duration = policy_get(p, kind_key(kind, FIELD_DURATION)),
                .snooze = policy_get(p, kind_key(kind, FIELD_SNOOZE)),
                .reprompt = policy_get(p, kind_key(kind, FIELD_REPROMPT)),
                .max_snoozes = (unsigned) policy_get(p, kind_key(kind, FIELD_MAX_SNOOZES)),
                .skippable = policy_get(p, kind_key(kind, FIELD_SKIPPABLE)),
        };
}
