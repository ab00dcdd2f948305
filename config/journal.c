/* SPDX-License-Identifier: MIT */
#include "journal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "localtime.h"
#include "userstate.h"
#include "util.h"
#include "value.h"

#define MAX_LINE 4096

static const char *const source_names[N_SOURCES] = { "cli", "prompt", "check-in" };

const char *journal_source_name(enum journal_source s)
{
        return (unsigned) s < N_SOURCES ? source_names[s] : "?";
}

void checkins_free(struct checkin *v, size_t n)
{
        for (size_t i = 0; i < n; i++)
                free(v[i].note);
        free(v);
}

/* The length of the UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
        size_t len;
        uint32_t c;

        if (s[0] < 0x80)
                return 1;
        if (s[0] >= 0xc2 && s[0] <= 0xdf)
                len = 2, c = s[0] & 0x1f;
        else if (s[0] >= 0xe0 && s[0] <= 0xef)
                len = 3, c = s[0] & 0x0f;
        else if (s[0] >= 0xf0 && s[0] <= 0xf4)
                len = 4, c = s[0] & 0x07;
        else
                return 0;
        if (len > n)
                return 0;
        for (size_t i = 1; i < len; i++) {
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
                c = c << 6 | (s[i] & 0x3f);
        }
        /* No overlong forms, no surrogates, nothing past U+10FFFF. */
        if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff))
                return 0;
        return len;
}

const char *journal_note_problem(const char *note)
{
        const unsigned char *s = (const unsigned char *) note;
        size_t n = strlen(note);

        if (n > JOURNAL_NOTE_MAX)
                return "the note is too long (at most 1000 bytes)";
        for (size_t i = 0; i < n;) {
                size_t len = utf8_len(s + i, n - i);
                if (!len)
                        return "the note is not valid UTF-8";
                if (s[i] < 0x20 || s[i] == 0x7f)
                        return "the note contains a control character";
                i += len;
        }
        return NULL;
}

char *journal_format(const struct checkin *c)
{
        struct strbuf b = { 0 };
        char t[ISO_BUF];

        strbuf_printf(&b, "%s", format_iso_local(t, (uint64_t) c->instant));
        if (c->pain != JOURNAL_SCORE_NONE)
                strbuf_printf(&b, " pain=%d", c->pain);
        if (c->fatigue != JOURNAL_SCORE_NONE)
                strbuf_printf(&b, " fatigue=%d", c->fatigue);
        strbuf_printf(&b, " source=%s", journal_source_name(c->source));
        if (c->note) {
                strbuf_append(&b, " note=\"", 7);
                for (const char *p = c->note; *p; p++) {
                        if (*p == '"' || *p == '\\')
                                strbuf_append(&b, "\\", 1);
                        strbuf_append(&b, p, 1);
                }
                strbuf_append(&b, "\"", 1);
        }
        strbuf_append(&b, "\n", 1);
        return b.s;
}

int journal_append(const char *path, const char *machine, const struct checkin *c)
{
        _cleanup_(freep) char *line = journal_format(c), *text = NULL;
        _cleanup_(closep) int fd = -1;
        char host[256] = "";
        bool created = false;
        size_t len;
        ssize_t w;

        fd = state_file_open_append(path, &created);
        if (fd < 0)
                return fd;
        if (created) {
                (void) gethostname(host, sizeof(host) - 1);
                text = xasprintf("# limber journal of machine %s (%s)\n%s", machine && *machine ? machine : "?",
                                 host[0] ? host : "?", line);
        }
        len = strlen(text ? text : line);
        /* One write(2): with O_APPEND, another writer's line never lands inside it. */
        w = write(fd, text ? text : line, len);
        if (w < 0)
                return -errno;
        if ((size_t) w != len)
                return -EIO;
        if (fsync(fd) < 0)
                return -errno;
        return 0;
}

/* ---- reading ------------------------------------------------------------------ */

struct parser {
        const char *path;
        unsigned line;
        char *err;
        size_t errsize;
};

static int fail(struct parser *p, const char *fmt, ...) _printf_(2, 3);
static int fail(struct parser *p, const char *fmt, ...)
{
        char msg[512];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        snprintf(p->err, p->errsize, "%s:%u: %s", p->path, p->line, msg);
        return -EINVAL;
}

/* A score: a whole number 0–10, no sign, no leading zeros. */
static int parse_score(const char *s, size_t len, int *ret)
{
        if (len == 0 || len > 2 || (len == 2 && s[0] == '0'))
                return -EINVAL;
        for (size_t i = 0; i < len; i++)
                if (s[i] < '0' || s[i] > '9')
                        return -EINVAL;
        *ret = len == 1 ? s[0] - '0' : (s[0] - '0') * 10 + s[1] - '0';
        return *ret <= JOURNAL_SCORE_MAX ? 0 : -ERANGE;
}

/* The quoted note at *pos (just after note=), unescaped into *ret. */
static int parse_note(struct parser *p, const char **pos, const char *end, char **ret)
{
        const char *s = *pos;
        struct strbuf b = { 0 };

        if (s >= end || *s != '"')
                return fail(p, "a note is quoted: note=\"...\"");
        for (s++;; s++) {
                if (s >= end) {
                        free(b.s);
                        return fail(p, "the note has no closing quote");
                }
                if (*s == '"')
                        break;
                if (*s == '\\') {
                        if (s + 1 >= end || (s[1] != '"' && s[1] != '\\')) {
                                free(b.s);
                                return fail(p, "unknown escape in the note (use \\\" or \\\\): '\\%.1s'",
                                            s + 1 < end ? s + 1 : "");
                        }
                        s++;
                }
                strbuf_append(&b, s, 1);
        }
        *pos = s + 1;
        if (!b.s)
                b.s = xstrdup("");
        {
                const char *why = journal_note_problem(b.s);
                if (why) {
                        free(b.s);
                        return fail(p, "%s", why);
                }
        }
        *ret = b.s;
        return 0;
}

/* One record's fields, after the time. */
static int parse_fields(struct parser *p, const char *s, const char *end, struct checkin *c)
{
        bool seen[4] = { false };
        static const char *const keys[] = { "pain", "fatigue", "source", "note" };

        while (s < end) {
                const char *key = s, *eq, *value, *vend;
                int k = -1, r;

                while (key < end && *key == ' ')
                        key++;
                if (key >= end)
                        break;
                eq = memchr(key, '=', (size_t) (end - key));
                vend = memchr(key, ' ', (size_t) (end - key));
                if (!vend)
                        vend = end;
                if (!eq || eq > vend)
                        return fail(p, "expected key=value: '%.*s'", (int) (vend - key), key);
                for (size_t i = 0; i < ELEMENTSOF(keys); i++)
                        if ((size_t) (eq - key) == strlen(keys[i]) && memcmp(key, keys[i], strlen(keys[i])) == 0)
                                k = (int) i;
                if (k < 0)
                        return fail(p, "unknown field (use pain, fatigue, source, note): '%.*s'", (int) (eq - key),
                                    key);
                if (seen[k])
                        return fail(p, "%s is given twice", keys[k]);
                seen[k] = true;
                value = eq + 1;
                switch (k) {
                case 0:
                case 1:
                        r = parse_score(value, (size_t) (vend - value), k == 0 ? &c->pain : &c->fatigue);
                        if (r < 0)
                                return fail(p, "%s is a whole number from 0 to 10: '%.*s'", keys[k],
                                            (int) (vend - value), value);
                        s = vend;
                        break;
                case 2: {
                        int src = -1;
                        for (int i = 0; i < N_SOURCES; i++)
                                if ((size_t) (vend - value) == strlen(source_names[i]) &&
                                    memcmp(value, source_names[i], strlen(source_names[i])) == 0)
                                        src = i;
                        if (src < 0)
                                return fail(p, "unknown source (use cli, prompt or check-in): '%.*s'",
                                            (int) (vend - value), value);
                        c->source = (enum journal_source) src;
                        s = vend;
                        break;
                }
                default:
                        s = value;
                        r = parse_note(p, &s, end, &c->note);
                        if (r < 0)
                                return r;
                        if (s < end && *s != ' ')
                                return fail(p, "text after the note's closing quote: '%.*s'", (int) (end - s), s);
                        break;
                }
        }
        if (c->pain == JOURNAL_SCORE_NONE && c->fatigue == JOURNAL_SCORE_NONE && !c->note)
                return fail(p, "a check-in needs pain, fatigue or a note");
        return 0;
}

int journal_parse(const char *path, const char *buf, size_t size, struct checkin **v, size_t *n, char *err,
                  size_t errsize)
{
        struct parser p = { .path = path, .err = err, .errsize = errsize };
        const char *pos = buf, *end = buf + size;

        if (size >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
                pos += 3; /* a byte-order mark an editor left */
        while (pos < end) {
                const char *nl = memchr(pos, '\n', (size_t) (end - pos)), *line = pos, *lend, *sp;
                struct checkin c = { .pain = JOURNAL_SCORE_NONE, .fatigue = JOURNAL_SCORE_NONE };
                char t[ISO_BUF];
                int64_t instant;
                int r;

                lend = nl ? nl : end;
                pos = nl ? nl + 1 : end;
                p.line++;
                if (lend > line && lend[-1] == '\r')
                        lend--;
                if ((size_t) (lend - line) > MAX_LINE)
                        return fail(&p, "line too long (%zu bytes; at most %d)", (size_t) (lend - line), MAX_LINE);
                if (memchr(line, '\0', (size_t) (lend - line)))
                        return fail(&p, "line contains a NUL byte");
                while (line < lend && (*line == ' ' || *line == '\t'))
                        line++;
                if (line == lend || *line == '#')
                        continue;

                sp = memchr(line, ' ', (size_t) (lend - line));
                if (!sp)
                        sp = lend;
                if ((size_t) (sp - line) >= sizeof(t))
                        return fail(&p, "invalid time (use YYYY-MM-DDTHH:MM:SS+HH:MM): '%.*s'", (int) (sp - line),
                                    line);
                memcpy(t, line, (size_t) (sp - line));
                t[sp - line] = '\0';
                r = parse_iso_instant(t, &instant);
                if (r == -ERANGE)
                        return fail(&p, "no such time: '%s'", t);
                if (r < 0 || instant < 0 || instant > MAX_TRACE_TIME)
                        return fail(&p, "invalid time (use YYYY-MM-DDTHH:MM:SS+HH:MM): '%s'", t);
                c.instant = instant;
                c.line = p.line;
                r = parse_fields(&p, sp, lend, &c);
                if (r < 0) {
                        free(c.note);
                        return r;
                }
                *v = xreallocarray(*v, *n + 1, sizeof(**v));
                (*v)[(*n)++] = c;
        }
        return 0;
}

/* ---- every machine's journal ------------------------------------------------------ */

#define MAX_BYTES ((size_t) 1 << 28)

void journal_free(struct journal *j)
{
        checkins_free(j->v, j->n);
        for (size_t i = 0; i < j->n_files; i++)
                free(j->files[i].path);
        free(j->files);
        *j = (struct journal){ 0 };
}

static int compare_checkins(const void *x, const void *y)
{
        const struct checkin *a = x, *b = y;

        if (a->instant != b->instant)
                return a->instant < b->instant ? -1 : 1;
        if (a->file != b->file)
                return a->file < b->file ? -1 : 1;
        return a->line < b->line ? -1 : a->line > b->line;
}

int journal_read_dir(const char *dir, struct journal *j, char *err, size_t errsize)
{
        struct state_file *files;
        size_t n;
        int r;

        *j = (struct journal){ 0 };
        r = state_files_list(dir, "journal", &files, &n);
        if (r < 0) {
                snprintf(err, errsize, "%s: cannot list: %s", dir, strerror(-r));
                return r;
        }
        for (size_t i = 0; i < n && r >= 0; i++) {
                _cleanup_(freep) char *buf = NULL;
                struct journal_file *f;
                size_t size, before = j->n;

                r = read_file(files[i].path, MAX_BYTES, &buf, &size);
                if (r == -ENOENT) {
                        r = 0;
                        continue;
                }
                if (r < 0) {
                        snprintf(err, errsize, "%s: cannot read: %s", files[i].path, strerror(-r));
                        break;
                }
                j->files = xreallocarray(j->files, j->n_files + 1, sizeof(*j->files));
                f = &j->files[j->n_files];
                *f = (struct journal_file){ .path = xstrdup(files[i].path) };
                memcpy(f->machine, files[i].machine, sizeof(f->machine));
                state_file_host(buf, size, f->host, sizeof(f->host));
                r = journal_parse(files[i].path, buf, size, &j->v, &j->n, err, errsize);
                for (size_t k = before; k < j->n; k++)
                        j->v[k].file = (unsigned) j->n_files;
                j->n_files++;
        }
        state_files_free(files, n);
        if (r < 0) {
                journal_free(j);
                return r;
        }
        if (j->n)
                qsort(j->v, j->n, sizeof(*j->v), compare_checkins);
        return 0;
}
