/* SPDX-License-Identifier: MIT */
#include "exercises.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "i18n.h"
#include "policy.h"
#include "util.h"
#include "value.h"

/*
 * The format follows the Desktop Entry rules rather than inih's: a value runs
 * to the end of its line (so "Arrêtez ; reposez-vous" keeps its second half,
 * where inih would cut it as an inline comment) and may be longer than the
 * 198 bytes inih's Debian build allows on a line; comments stand on lines of
 * their own. The reader is ours, and small.
 */

#ifndef LIMBER_EXERCISES_DIR
#define LIMBER_EXERCISES_DIR "/usr/local/share/limber/exercises"
#endif
#ifndef LIMBER_EMPLOYER_EXERCISES_DIR
#define LIMBER_EMPLOYER_EXERCISES_DIR "/etc/limber/exercises.d"
#endif

const char exercise_shipped_dir[] = LIMBER_EXERCISES_DIR;
const char exercise_employer_dir[] = LIMBER_EMPLOYER_EXERCISES_DIR;

#define SUFFIX ".exercise"

const char *exercise_layer_name(enum exercise_layer layer)
{
        static const char *const names[N_EXERCISE_LAYERS] = { "shipped", "employer", "user" };
        return names[layer];
}

uint64_t exercise_step_duration(const struct exercise_step *s)
{
        return s->count ? s->count * s->each : s->hold;
}

uint64_t exercise_duration(const struct exercise *e)
{
        uint64_t total = 0;

        for (size_t i = 0; i < e->n_steps; i++)
                total += exercise_step_duration(&e->steps[i]);
        return total;
}

static void text_finish(struct exercise_text *t)
{
        free(t->text);
        for (size_t i = 0; i < t->n_tr; i++) {
                free(t->tr[i].lang);
                free(t->tr[i].text);
        }
        free(t->tr);
}

void exercise_free(struct exercise *e)
{
        if (!e)
                return;
        free(e->id);
        text_finish(&e->title);
        text_finish(&e->note);
        free(e->picture);
        free(e->picture_path);
        for (size_t i = 0; i < e->n_steps; i++)
                text_finish(&e->steps[i].what);
        free(e->steps);
        free(e->path);
        free(e);
}

/* ---- one file ----------------------------------------------------------- */

enum section {
        SECTION_NONE, /* no header yet */
        SECTION_EXERCISE,
        SECTION_STEP,
        SECTION_SKIP, /* a broken or unknown header, or a second [exercise]: reported there */
};

/* What a key is, where it may stand, and whether it has translations. */
enum key {
        K_ID,
        K_TITLE,
        K_KINDS,
        K_PICTURE,
        K_NOTE,
        K_DO,
        K_HOLD,
        K_COUNT,
        K_EACH,
};

static const struct {
        const char *name;
        enum section section;
        bool translatable;
} keys[] = {
        [K_ID] = { "id", SECTION_EXERCISE, false },       [K_TITLE] = { "title", SECTION_EXERCISE, true },
        [K_KINDS] = { "kinds", SECTION_EXERCISE, false }, [K_PICTURE] = { "picture", SECTION_EXERCISE, false },
        [K_NOTE] = { "note", SECTION_EXERCISE, true },    [K_DO] = { "do", SECTION_STEP, true },
        [K_HOLD] = { "hold", SECTION_STEP, false },       [K_COUNT] = { "count", SECTION_STEP, false },
        [K_EACH] = { "each", SECTION_STEP, false },
};

/* The lines of the keys of one step, to check it when it ends. */
struct step_lines {
        unsigned header, what, hold, count, each;
        char each_text[32];
};

struct parser {
        const char *path;
        struct diags *d;
        unsigned line;
        size_t errors;

        enum section section;
        unsigned exercise_line; /* of [exercise], 0 until seen */
        unsigned id_line;
        bool written[K_EACH + 1]; /* the keys of [exercise] written, valid or not */
        bool too_many_steps;
        struct step_lines sl;

        /* Every key of the current section with its line, for duplicates. */
        struct seen {
                char *key;
                unsigned line;
        } * seen;
        size_t n_seen;

        struct exercise *e;
};

static void error(struct parser *ps, unsigned line, const char *fmt, ...) _printf_(3, 4);
static void error(struct parser *ps, unsigned line, const char *fmt, ...)
{
        _cleanup_(freep) char *msg = NULL;
        va_list ap;

        va_start(ap, fmt);
        msg = xvasprintf(fmt, ap);
        va_end(ap);
        diags_add(ps->d, SEV_ERROR, ps->path, line, "%s", msg);
        ps->errors++;
}

static void forget_seen(struct parser *ps)
{
        for (size_t i = 0; i < ps->n_seen; i++)
                free(ps->seen[i].key);
        ps->n_seen = 0;
}

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
static bool utf8_valid(const char *str, size_t n)
{
        const unsigned char *s = (const unsigned char *) str;

        for (size_t i = 0; i < n;) {
                unsigned char c = s[i];
                size_t len;
                uint32_t cp;

                if (c < 0x80) {
                        i++;
                        continue;
                }
                if (c >= 0xc2 && c <= 0xdf) {
                        len = 2;
                        cp = c & 0x1f;
                } else if (c >= 0xe0 && c <= 0xef) {
                        len = 3;
                        cp = c & 0x0f;
                } else if (c >= 0xf0 && c <= 0xf4) {
                        len = 4;
                        cp = c & 0x07;
                } else {
                        return false;
                }
                if (n - i < len)
                        return false;
                for (size_t k = 1; k < len; k++) {
                        if ((s[i + k] & 0xc0) != 0x80)
                                return false;
                        cp = (cp << 6) | (s[i + k] & 0x3f);
                }
                if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
                    (cp >= 0xd800 && cp <= 0xdfff))
                        return false;
                i += len;
        }
        return true;
}

/* A language tag as .desktop files write it: ll or lll, then optionally
 * _CC (or _DDD, as es_419), then optionally @modifier. */
static bool lang_valid(const char *s, size_t n)
{
        size_t i = 0, k;

        for (k = 0; i < n && s[i] >= 'a' && s[i] <= 'z'; i++)
                k++;
        if (k < 2 || k > 3)
                return false;
        if (i < n && s[i] == '_') {
                i++;
                for (k = 0; i < n && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')); i++)
                        k++;
                if (k < 2 || k > 3)
                        return false;
        }
        if (i < n && s[i] == '@') {
                i++;
                for (k = 0; i < n && s[i] >= 'a' && s[i] <= 'z'; i++)
                        k++;
                if (k < 1 || k > 16)
                        return false;
        }
        return i == n;
}

static void text_set(struct exercise_text *t, const char *lang, const char *value)
{
        if (!lang) {
                t->text = xstrdup(value);
                return;
        }
        t->tr = xreallocarray(t->tr, t->n_tr + 1, sizeof(*t->tr));
        t->tr[t->n_tr++] = (struct exercise_translation){ .lang = xstrdup(lang), .text = xstrdup(value) };
}

static struct exercise_step *current_step(struct parser *ps)
{
        return &ps->e->steps[ps->e->n_steps - 1];
}

static int parse_span(struct parser *ps, const char *key, const char *value, uint64_t min, uint64_t max, uint64_t *ret)
{
        char q[QUOTE_BUF], a[DURATION_BUF], b[DURATION_BUF];
        uint64_t v;
        int r;

        r = parse_duration(value, &v);
        if (r == -EINVAL) {
                error(ps, ps->line, D_("invalid duration for %s (use e.g. 25s or 1m30s): '%s'"), key,
                      diag_quote(q, value));
                return r;
        }
        if (r < 0 || v < min || v > max) {
                error(ps, ps->line, D_("%s out of range (%s..%s): '%s'"), key, format_duration(a, min),
                      format_duration(b, max), diag_quote(q, value));
                return -ERANGE;
        }
        *ret = v;
        return 0;
}

static void parse_kinds(struct parser *ps, const char *value)
{
        _cleanup_(freep) char *copy = xstrdup(value);
        char q[QUOTE_BUF], *save = NULL;
        unsigned kinds = 0;

        for (char *w = strtok_r(copy, ", \t", &save); w; w = strtok_r(NULL, ", \t", &save)) {
                int k = kind_from_name(w);
                if (k < 0) {
                        error(ps, ps->line, D_("unknown break kind (posture, movement or pacing): '%s'"),
                              diag_quote(q, w));
                        return;
                }
                if (kinds & EXERCISE_KIND(k)) {
                        error(ps, ps->line, D_("break kind listed twice: '%s'"), diag_quote(q, w));
                        return;
                }
                kinds |= EXERCISE_KIND(k);
        }
        if (!kinds) {
                error(ps, ps->line, D_("no break kind (posture, movement or pacing): '%s'"), diag_quote(q, value));
                return;
        }
        ps->e->kinds = kinds;
}

static bool picture_name_valid(const char *s)
{
        size_t n = strlen(s);

        if (strchr(s, '/') || s[0] == '.' || n < 5)
                return false;
        return streq(s + n - 4, ".svg") || streq(s + n - 4, ".png");
}

static void handle_key(struct parser *ps, enum key k, const char *lang, const char *value)
{
        struct exercise *e = ps->e;
        char q[QUOTE_BUF];
        uint64_t v;

        switch (k) {
        case K_ID:
                if (streq(value, "all")) {
                        error(ps, ps->line, D_("'all' is reserved and cannot be an id: '%s'"), value);
                        return;
                }
                if (!id_valid(value, strlen(value))) {
                        error(ps, ps->line,
                              D_("invalid id (lower-case letters, digits and single '-', at most %d): '%s'"), ID_MAX,
                              diag_quote(q, value));
                        return;
                }
                e->id = xstrdup(value);
                return;
        case K_TITLE:
                text_set(&e->title, lang, value);
                return;
        case K_NOTE:
                text_set(&e->note, lang, value);
                return;
        case K_KINDS:
                parse_kinds(ps, value);
                return;
        case K_PICTURE:
                if (!picture_name_valid(value)) {
                        error(ps, ps->line,
                              D_("picture must be a file name ending in .svg or .png, next to the exercise or shipped "
                                 "with limber: '%s'"),
                              diag_quote(q, value));
                        return;
                }
                e->picture = xstrdup(value);
                e->picture_line = ps->line;
                return;
        case K_DO:
                text_set(&current_step(ps)->what, lang, value);
                return;
        case K_HOLD:
                if (parse_span(ps, "hold", value, EXERCISE_HOLD_MIN, EXERCISE_HOLD_MAX, &v) == 0)
                        current_step(ps)->hold = v;
                return;
        case K_COUNT:
                if (parse_count(value, &v) < 0) {
                        error(ps, ps->line, D_("invalid count (a whole number of repetitions): '%s'"),
                              diag_quote(q, value));
                        return;
                }
                if (v < 1 || v > EXERCISE_COUNT_MAX) {
                        error(ps, ps->line, D_("count out of range (1..%d): '%s'"), EXERCISE_COUNT_MAX,
                              diag_quote(q, value));
                        return;
                }
                current_step(ps)->count = (unsigned) v;
                return;
        case K_EACH:
                ps->sl.each = ps->line;
                snprintf(ps->sl.each_text, sizeof(ps->sl.each_text), "%s", value);
                if (parse_span(ps, "each", value, EXERCISE_EACH_MIN, EXERCISE_EACH_MAX, &v) == 0)
                        current_step(ps)->each = v;
                return;
        }
}

/* Checks the step that just ended. */
static void finish_step(struct parser *ps)
{
        struct exercise_step *s;
        char q[QUOTE_BUF], a[DURATION_BUF], b[DURATION_BUF];
        size_t n = ps->e->n_steps;

        if (ps->section != SECTION_STEP)
                return;
        s = current_step(ps);
        if (!ps->sl.what)
                error(ps, ps->sl.header, D_("step %zu has no instruction ('do = ...'): '[step]'"), n);
        if (!ps->sl.hold && !ps->sl.count)
                error(ps, ps->sl.header,
                      D_("step %zu has neither a hold ('hold = 25s') nor a count ('count = 5'): '[step]'"), n);
        if (ps->sl.each && !ps->sl.count)
                error(ps, ps->sl.each, D_("'each' goes with a count of repetitions, not with a hold: '%s'"),
                      diag_quote(q, ps->sl.each_text));
        if (s->count) {
                if (!ps->sl.each)
                        s->each = EXERCISE_EACH_DEFAULT;
                if (s->each && exercise_step_duration(s) > EXERCISE_HOLD_MAX)
                        error(ps, ps->sl.count, D_("a counted step lasts at most %s (count x each = %s): '%u'"),
                              format_duration(a, EXERCISE_HOLD_MAX), format_duration(b, exercise_step_duration(s)),
                              s->count);
        } else {
                s->each = 0;
        }
}

static void header(struct parser *ps, const char *t)
{
        const char *close = strchr(t, ']');
        char q[QUOTE_BUF];
        _cleanup_(freep) char *name = NULL;

        finish_step(ps);
        forget_seen(ps);
        ps->section = SECTION_SKIP;
        if (!close) {
                error(ps, ps->line, D_("missing ']' in section header: '%s'"), diag_quote(q, t));
                return;
        }
        if (close[1]) {
                error(ps, ps->line, D_("unexpected text after section header: '%s'"), diag_quote(q, t));
                return;
        }
        name = xstrndup(t + 1, (size_t) (close - t - 1));
        if (streq(name, "exercise")) {
                if (ps->exercise_line) {
                        error(ps, ps->line, D_("a second [exercise] section (the first is on line %u): '%s'"),
                              ps->exercise_line, diag_quote(q, t));
                        return;
                }
                ps->exercise_line = ps->line;
                ps->section = SECTION_EXERCISE;
                return;
        }
        if (streq(name, "step")) {
                if (ps->e->n_steps == EXERCISE_STEPS_MAX) {
                        if (!ps->too_many_steps)
                                error(ps, ps->line, D_("too many steps (at most %d): '%s'"), EXERCISE_STEPS_MAX,
                                      diag_quote(q, t));
                        ps->too_many_steps = true;
                        return;
                }
                ps->e->steps = xreallocarray(ps->e->steps, ps->e->n_steps + 1, sizeof(*ps->e->steps));
                ps->e->steps[ps->e->n_steps++] = (struct exercise_step){ .line = ps->line };
                ps->sl = (struct step_lines){ .header = ps->line };
                ps->section = SECTION_STEP;
                return;
        }
        error(ps, ps->line, D_("unknown section (use [exercise] and [step]): '%s'"), diag_quote(q, t));
}

static void setting(struct parser *ps, char *t)
{
        char *eq = strchr(t, '='), *name_end, *value, *bracket;
        _cleanup_(freep) char *name = NULL, *lang = NULL;
        char q[QUOTE_BUF];
        size_t k;

        if (!eq) {
                error(ps, ps->line, D_("expected 'key = value': '%s'"), diag_quote(q, t));
                return;
        }
        name_end = eq;
        while (name_end > t && (name_end[-1] == ' ' || name_end[-1] == '\t'))
                name_end--;
        *name_end = '\0'; /* t is now the key as written, as title[de] */
        value = eq + 1;
        while (*value == ' ' || *value == '\t')
                value++;

        if (ps->section == SECTION_SKIP)
                return; /* reported at its header */
        if (ps->section == SECTION_NONE) {
                error(ps, ps->line, D_("setting outside of a section (start with [exercise]): '%s'"), diag_quote(q, t));
                return;
        }

        bracket = strchr(t, '[');
        if (bracket) {
                size_t n = strlen(bracket);
                if (n < 3 || bracket[n - 1] != ']' || !lang_valid(bracket + 1, n - 2)) {
                        error(ps, ps->line, D_("invalid language in key (use e.g. title[de] or do[pt_BR]): '%s'"),
                              diag_quote(q, t));
                        return;
                }
                lang = xstrndup(bracket + 1, n - 2);
                name = xstrndup(t, (size_t) (bracket - t));
        } else {
                name = xstrdup(t);
        }
        for (k = 0; k < ELEMENTSOF(keys); k++)
                if (streq(keys[k].name, name) && keys[k].section == ps->section)
                        break;
        if (k == ELEMENTSOF(keys)) {
                error(ps, ps->line, D_("unknown key in [%s]: '%s'"), ps->section == SECTION_STEP ? "step" : "exercise",
                      diag_quote(q, t));
                return;
        }
        if (lang && !keys[k].translatable) {
                error(ps, ps->line, D_("'%s' cannot be translated: '%s'"), name, diag_quote(q, t));
                return;
        }
        for (size_t i = 0; i < ps->n_seen; i++)
                if (streq(ps->seen[i].key, t)) {
                        error(ps, ps->line, D_("duplicate key (first on line %u): '%s'"), ps->seen[i].line,
                              diag_quote(q, t));
                        return;
                }
        ps->seen = xreallocarray(ps->seen, ps->n_seen + 1, sizeof(*ps->seen));
        ps->seen[ps->n_seen++] = (struct seen){ xstrdup(t), ps->line };
        /* Written, if not valid: a bad value is one error, not also a missing key. */
        if (!lang) {
                ps->written[k] = true;
                if (k == K_ID)
                        ps->id_line = ps->line;
                else if (k == K_DO)
                        ps->sl.what = ps->line;
        }
        if (k == K_HOLD || k == K_COUNT) {
                if (ps->sl.hold || ps->sl.count) {
                        error(ps, ps->line, D_("a step has either a hold or a count, not both: '%s'"),
                              diag_quote(q, value));
                        return;
                }
                *(k == K_HOLD ? &ps->sl.hold : &ps->sl.count) = ps->line;
        }

        if (!*value) {
                error(ps, ps->line, D_("empty value for %s: ''"), t);
                return;
        }
        if (!utf8_valid(value, strlen(value))) {
                error(ps, ps->line, D_("not valid UTF-8: '%s'"), diag_quote(q, value));
                return;
        }
        for (const char *c = value; *c; c++)
                if ((unsigned char) *c < 0x20 || *c == 0x7f) {
                        error(ps, ps->line, D_("control character in value: '%s'"), diag_quote(q, value));
                        return;
                }
        handle_key(ps, (enum key) k, lang, value);
}

static void parse_line(struct parser *ps, const char *s, size_t len)
{
        _cleanup_(freep) char *line = NULL;
        char *t;

        if (memchr(s, '\0', len)) {
                error(ps, ps->line, D_("line contains a NUL byte"));
                return;
        }
        while (len > 0 && (*s == ' ' || *s == '\t')) {
                s++;
                len--;
        }
        while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
                len--;
        if (len > EXERCISE_LINE_MAX) {
                error(ps, ps->line, D_("line too long (%zu characters; at most %d)"), len, EXERCISE_LINE_MAX);
                return;
        }
        line = xstrndup(s, len);
        t = line;
        if (!*t || *t == '#' || *t == ';')
                return;
        if (*t == '[')
                header(ps, t);
        else
                setting(ps, t);
}

static bool file_name_matches(const char *path, const char *id)
{
        const char *base = strrchr(path, '/');
        size_t n;

        base = base ? base + 1 : path;
        n = strlen(base);
        if (n <= strlen(SUFFIX) || !streq(base + n - strlen(SUFFIX), SUFFIX))
                return true; /* not a catalogue file name: nothing to match */
        return strlen(id) == n - strlen(SUFFIX) && strncmp(base, id, strlen(id)) == 0;
}

int exercise_parse(const char *path, const char *buf, size_t size, struct exercise **ret, struct diags *d)
{
        struct parser ps = { .path = path, .d = d };
        const char *p = buf, *end = buf + size;
        const char *base;
        char q[QUOTE_BUF];

        *ret = NULL;
        ps.e = xcalloc(1, sizeof(*ps.e));
        ps.e->path = xstrdup(path);
        ps.e->layer = EXERCISE_USER;

        if (size >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
                p += 3; /* a UTF-8 byte order mark */
        while (p < end) {
                const char *nl = memchr(p, '\n', (size_t) (end - p));
                size_t len = nl ? (size_t) (nl - p) : (size_t) (end - p);

                ps.line++;
                parse_line(&ps, p, len);
                p = nl ? nl + 1 : end;
        }
        finish_step(&ps);
        forget_seen(&ps);
        free(ps.seen);

        if (!ps.exercise_line) {
                error(&ps, 0, D_("no [exercise] section: an exercise file starts with [exercise], its id and title"));
        } else {
                if (!ps.written[K_ID])
                        error(&ps, ps.exercise_line, D_("[exercise] has no id ('id = ...'): '[exercise]'"));
                if (!ps.written[K_TITLE])
                        error(&ps, ps.exercise_line, D_("[exercise] has no title ('title = ...'): '[exercise]'"));
                if (!ps.written[K_KINDS])
                        error(&ps, ps.exercise_line,
                              D_("[exercise] has no kinds ('kinds = posture, movement or pacing'): '[exercise]'"));
        }
        if (ps.e->id && !file_name_matches(path, ps.e->id)) {
                base = strrchr(path, '/');
                error(&ps, ps.id_line, D_("id does not match the file name %s: '%s'"), base ? base + 1 : path,
                      diag_quote(q, ps.e->id));
        }
        if (ps.e->n_steps == 0 && !ps.too_many_steps)
                error(&ps, 0, D_("no [step]: an exercise has at least one step"));

        if (ps.errors) {
                exercise_free(ps.e);
                return -EINVAL;
        }
        *ret = ps.e;
        return 0;
}

static bool is_file(const char *path)
{
        struct stat st;
        return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int exercise_load(const char *path, enum exercise_layer layer, const char *pictures_dir, struct exercise **ret,
                  struct diags *d)
{
        _cleanup_(freep) char *buf = NULL, *dir = NULL;
        struct exercise *e;
        char q[QUOTE_BUF];
        size_t size;
        int r;

        *ret = NULL;
        r = read_file(path, EXERCISE_FILE_MAX, &buf, &size);
        if (r == -EISDIR)
                diags_add(d, SEV_ERROR, path, 0, D_("is a directory, not an exercise file"));
        else if (r == -EBADF)
                diags_add(d, SEV_ERROR, path, 0, D_("not a regular file"));
        else if (r == -EFBIG)
                diags_add(d, SEV_ERROR, path, 0, D_("too large for an exercise file (more than %d bytes)"),
                          EXERCISE_FILE_MAX);
        else if (r < 0)
                diags_add(d, SEV_ERROR, path, 0, D_("cannot read: %s"), strerror(-r));
        if (r < 0)
                return r;

        r = exercise_parse(path, buf, size, &e, d);
        if (r < 0)
                return r;
        e->layer = layer;
        if (e->picture) {
                const char *slash = strrchr(path, '/');
                _cleanup_(freep) char *here = NULL, *shipped = NULL;

                dir = slash ? xstrndup(path, (size_t) (slash - path)) : xstrdup(".");
                here = xasprintf("%s/%s", dir, e->picture);
                if (pictures_dir && !streq(pictures_dir, dir))
                        shipped = xasprintf("%s/%s", pictures_dir, e->picture);
                if (is_file(here))
                        e->picture_path = xstrdup(here);
                else if (shipped && is_file(shipped))
                        e->picture_path = xstrdup(shipped);
                else if (shipped)
                        /* TRANSLATORS: the exercise's directory, then the shipped pictures' one. */
                        diags_add(d, SEV_WARNING, path, e->picture_line, D_("picture not found in %s or %s: '%s'"), dir,
                                  pictures_dir, diag_quote(q, e->picture));
                else
                        diags_add(d, SEV_WARNING, path, e->picture_line, D_("picture not found in %s: '%s'"), dir,
                                  diag_quote(q, e->picture));
        }
        *ret = e;
        return 0;
}

/* ---- languages ------------------------------------------------------------ */

/* As gettext: only C and POSIX make it ignore LANGUAGE (C.UTF-8 does not). */
static bool is_c_locale(const char *s)
{
        return streq(s, "C") || streq(s, "POSIX");
}

static const char *find_tr(const struct exercise_text *t, const char *lang, size_t n)
{
        for (size_t i = 0; i < t->n_tr; i++)
                if (strlen(t->tr[i].lang) == n && strncmp(t->tr[i].lang, lang, n) == 0)
                        return t->tr[i].text;
        return NULL;
}

const char *exercise_text_get(const struct exercise_text *t, const char *const *langs)
{
        for (size_t i = 0; langs && langs[i]; i++) {
                const char *l = langs[i];
                size_t lang_len = strcspn(l, "_.@"), country_end = lang_len, mod_len = 0;
                const char *at = strchr(l, '@'), *found;
                char buf[128];

                if (is_c_locale(l))
                        break;
                if (!*l || strlen(l) >= sizeof(buf) / 2)
                        continue;
                if (l[lang_len] == '_')
                        country_end = lang_len + 1 + strcspn(l + lang_len + 1, ".@");
                if (at)
                        mod_len = strlen(at);
                /* lang_COUNTRY@MODIFIER, lang_COUNTRY, lang@MODIFIER, lang */
                if (country_end > lang_len && mod_len) {
                        snprintf(buf, sizeof(buf), "%.*s%s", (int) country_end, l, at);
                        if ((found = find_tr(t, buf, strlen(buf))))
                                return found;
                }
                if (country_end > lang_len && (found = find_tr(t, l, country_end)))
                        return found;
                if (mod_len) {
                        snprintf(buf, sizeof(buf), "%.*s%s", (int) lang_len, l, at);
                        if ((found = find_tr(t, buf, strlen(buf))))
                                return found;
                }
                if ((found = find_tr(t, l, lang_len)))
                        return found;
        }
        return t->text;
}

static void strv_push(char ***v, size_t *n, const char *s, size_t len)
{
        *v = xreallocarray(*v, *n + 2, sizeof(**v));
        (*v)[(*n)++] = xstrndup(s, len);
        (*v)[*n] = NULL;
}

char **exercise_languages(void)
{
        static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
        const char *locale = NULL, *language = getenv("LANGUAGE");
        char **v = xcalloc(1, sizeof(*v));
        size_t n = 0;

        for (size_t i = 0; i < ELEMENTSOF(vars) && !locale; i++) {
                const char *s = getenv(vars[i]);
                if (s && *s)
                        locale = s;
        }
        if (!locale || is_c_locale(locale))
                return v; /* gettext ignores LANGUAGE in the C locale */
        for (const char *p = language; p && *p;) {
                size_t len = strcspn(p, ":");
                if (len)
                        strv_push(&v, &n, p, len);
                p += len + (p[len] == ':');
        }
        strv_push(&v, &n, locale, strlen(locale));
        return v;
}

void exercise_languages_free(char **langs)
{
        for (size_t i = 0; langs && langs[i]; i++)
                free(langs[i]);
        free(langs);
}

/* ---- the catalogue -------------------------------------------------------- */

struct found {
        char *name;
        enum exercise_layer layer;
};

static int cmp_found(const void *a, const void *b)
{
        const struct found *x = a, *y = b;
        int c = strcmp(x->name, y->name);
        return c ? c : (int) x->layer - (int) y->layer;
}

static int cmp_exercise(const void *a, const void *b)
{
        return strcmp((*(struct exercise *const *) a)->id, (*(struct exercise *const *) b)->id);
}

/* Adds the *.exercise names in dir; a missing directory has none. */
static void list_dir(const char *dir, enum exercise_layer layer, struct found **v, size_t *n, struct diags *d)
{
        DIR *dp = opendir(dir);
        struct dirent *de;

        if (!dp) {
                if (errno != ENOENT && errno != ENOTDIR)
                        diags_add(d, SEV_ERROR, dir, 0, D_("cannot read directory: %s"), strerror(errno));
                return;
        }
        while ((de = readdir(dp))) {
                size_t len = strlen(de->d_name);
                if (de->d_name[0] == '.' || len <= strlen(SUFFIX) || !streq(de->d_name + len - strlen(SUFFIX), SUFFIX))
                        continue;
                *v = xreallocarray(*v, *n + 1, sizeof(**v));
                (*v)[(*n)++] = (struct found){ xstrdup(de->d_name), layer };
        }
        closedir(dp);
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

void exercise_dirs(const struct exercise_opts *opts, char *ret[static N_EXERCISE_LAYERS])
{
        static const struct exercise_opts none = { 0 };
        const char *root, *env = getenv("LIMBER_EXERCISES");

        if (!opts)
                opts = &none;
        root = opts->root ? opts->root : "";
        if (opts->shipped_dir)
                ret[EXERCISE_SHIPPED] = xstrdup(opts->shipped_dir);
        else if (env && *env)
                ret[EXERCISE_SHIPPED] = xstrdup(env);
        else
                ret[EXERCISE_SHIPPED] = xasprintf("%s%s", root, exercise_shipped_dir);
        ret[EXERCISE_EMPLOYER] = xasprintf("%s%s", root, exercise_employer_dir);
        if (opts->user_dir) {
                ret[EXERCISE_USER] = opts->user_dir[0] ? xstrdup(opts->user_dir) : NULL;
        } else {
                _cleanup_(freep) char *cfg = xdg_dir("XDG_CONFIG_HOME", ".config");
                ret[EXERCISE_USER] = cfg ? xasprintf("%s/limber/exercises.d", cfg) : NULL;
        }
}

int exercise_catalogue_load(const struct exercise_opts *opts, struct exercise_catalogue **ret, struct diags *d)
{
        struct exercise_catalogue *c = xcalloc(1, sizeof(*c));
        size_t errors_before = diags_count(d, SEV_ERROR), n = 0;
        struct found *v = NULL;

        exercise_dirs(opts, c->dirs);
        for (int l = 0; l < N_EXERCISE_LAYERS; l++)
                if (c->dirs[l])
                        list_dir(c->dirs[l], (enum exercise_layer) l, &v, &n, d);
        if (n > 1)
                qsort(v, n, sizeof(*v), cmp_found);

        c->files = xcalloc(n, sizeof(*c->files));
        for (size_t i = 0; i < n; i++) {
                struct exercise_file *f = &c->files[c->n_files++];
                bool top = i + 1 == n || !streq(v[i].name, v[i + 1].name);
                struct exercise *e;

                f->path = xasprintf("%s/%s", c->dirs[v[i].layer], v[i].name);
                f->layer = v[i].layer;
                f->masked = is_masked(f->path);
                f->overridden = !top;
                if (!top || f->masked)
                        continue;
                if (exercise_load(f->path, f->layer, c->dirs[EXERCISE_SHIPPED], &e, d) < 0)
                        continue;
                c->v = xreallocarray(c->v, c->n + 1, sizeof(*c->v));
                c->v[c->n++] = e;
        }
        for (size_t i = 0; i < n; i++)
                free(v[i].name);
        free(v);
        if (c->n > 1)
                qsort(c->v, c->n, sizeof(*c->v), cmp_exercise);
        *ret = c;
        return (int) (diags_count(d, SEV_ERROR) - errors_before);
}

void exercise_catalogue_free(struct exercise_catalogue *c)
{
        if (!c)
                return;
        for (size_t i = 0; i < c->n; i++)
                exercise_free(c->v[i]);
        free(c->v);
        for (size_t i = 0; i < c->n_files; i++)
                free(c->files[i].path);
        free(c->files);
        for (int l = 0; l < N_EXERCISE_LAYERS; l++)
                free(c->dirs[l]);
        free(c);
}

const struct exercise *exercise_catalogue_find(const struct exercise_catalogue *c, const char *id)
{
        size_t lo = 0, hi = c ? c->n : 0;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                int r = strcmp(id, c->v[mid]->id);
                if (r == 0)
                        return c->v[mid];
                if (r < 0)
                        hi = mid;
                else
                        lo = mid + 1;
        }
        return NULL;
}

/* The policy key that lists a kind's exercises, or -1 (pacing has none). */
static int list_key(enum kind kind)
{
        switch (kind) {
        case KIND_POSTURE:
                return KEY_POSTURE_EXERCISES;
        case KIND_MOVEMENT:
                return KEY_MOVEMENT_EXERCISES;
        default:
                return -1;
        }
}

/* Calls fn for each id of a canonical list ("a, b"); stops when it returns false. */
static void each_id(const char *list, bool (*fn)(void *userdata, const char *id), void *userdata)
{
        _cleanup_(freep) char *copy = xstrdup(list);
        char *save = NULL;

        for (char *w = strtok_r(copy, ", ", &save); w; w = strtok_r(NULL, ", ", &save))
                if (!fn(userdata, w))
                        return;
}

struct selection {
        const struct exercise_catalogue *c;
        const struct exercise **v;
        size_t n;
};

static bool select_id(void *userdata, const char *id)
{
        struct selection *s = userdata;
        const struct exercise *e = exercise_catalogue_find(s->c, id);

        if (e)
                s->v[s->n++] = e;
        return true;
}

size_t exercise_catalogue_select(const struct exercise_catalogue *c, const struct policy *p, enum kind kind,
                                 const struct exercise ***ret)
{
        int key = list_key(kind);
        const char *list = p && key >= 0 ? policy_get_text(p, (enum key_id) key) : NULL;
        struct selection s = { .c = c, .v = xcalloc(c->n + ID_LIST_MAX, sizeof(*s.v)) };

        if (!list || streq(list, "all")) {
                for (size_t i = 0; i < c->n; i++)
                        if (exercise_suits(c->v[i], kind))
                                s.v[s.n++] = c->v[i];
        } else {
                each_id(list, select_id, &s);
        }
        *ret = s.v;
        return s.n;
}

struct missing {
        const struct exercise_catalogue *c;
        const struct setting *st;
        enum key_id key;
        struct diags *d;
        size_t warnings;
};

static bool warn_missing(void *userdata, const char *id)
{
        struct missing *m = userdata;
        char kn[KEY_NAME_BUF], q[QUOTE_BUF];

        if (!exercise_catalogue_find(m->c, id)) {
                diags_add(m->d, SEV_WARNING, m->st->origin.path, m->st->origin.line,
                          D_("%s names no exercise (see limber exercises list): '%s'"), key_full_name(kn, m->key),
                          diag_quote(q, id));
                m->warnings++;
        }
        return true;
}

size_t exercise_catalogue_check_policy(const struct exercise_catalogue *c, const struct policy *p, struct diags *d)
{
        static const enum kind kinds[] = { KIND_POSTURE, KIND_MOVEMENT };
        size_t warnings = 0;

        for (size_t i = 0; i < ELEMENTSOF(kinds); i++) {
                enum key_id key = (enum key_id) list_key(kinds[i]);
                const struct setting *st = &p->s[key];
                struct missing m = { .c = c, .st = st, .key = key, .d = d };
                const struct exercise **sel = NULL;
                size_t n;

                if (st->text && !streq(st->text, "all"))
                        each_id(st->text, warn_missing, &m);
                warnings += m.warnings;
                n = exercise_catalogue_select(c, p, kinds[i], &sel);
                free(sel);
                if (n == 0 && policy_get(p, kind_key(kinds[i], FIELD_ENABLED))) {
                        diags_add(d, SEV_WARNING, st->origin.path, st->origin.line,
                                  D_("no exercise for %s breaks: a started one is not guided"), kind_names[kinds[i]]);
                        warnings++;
                }
        }
        return warnings;
}
