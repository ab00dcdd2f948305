/* SPDX-License-Identifier: MIT */
#include "ini-edit.h"

#include <string.h>

#include "util.h"

struct line {
        const char *start; /* into the text */
        size_t len;        /* without the line ending */
        size_t full;       /* with it */
};

struct lines {
        struct line *v;
        size_t n;
        const char *eol; /* the file's line ending: "\n" or "\r\n" */
};

static void split(const char *text, struct lines *ls)
{
        const char *p = text ? text : "";

        *ls = (struct lines) { .eol = "\n" };
        while (*p) {
                const char *nl = strchr(p, '\n');
                size_t full = nl ? (size_t) (nl - p) + 1 : strlen(p);
                size_t len = nl ? (size_t) (nl - p) : full;

                if (nl && len > 0 && p[len - 1] == '\r') {
                        len--;
                        if (ls->n == 0)
                                ls->eol = "\r\n";
                }
                ls->v = xreallocarray(ls->v, ls->n + 1, sizeof(*ls->v));
                ls->v[ls->n++] = (struct line) { p, len, full };
                p += full;
        }
}

static const char *skip_space(const char *s, const char *end)
{
        while (s < end && (*s == ' ' || *s == '\t'))
                s++;
        return s;
}

/* The section a header line names, or NULL when it is not a header. */
static bool header(const struct line *l, const char *section, bool *is_header)
{
        const char *s = skip_space(l->start, l->start + l->len), *end = l->start + l->len, *close;

        *is_header = false;
        if (s >= end || *s != '[')
                return false;
        close = memchr(s, ']', (size_t) (end - s));
        if (!close)
                return false;
        *is_header = true;
        return (size_t) (close - s - 1) == strlen(section) && memcmp(s + 1, section, strlen(section)) == 0;
}

/* Is this line "key = …" or "key: …" (indentation and spaces around allowed)? */
static bool key_line(const struct line *l, const char *key)
{
        const char *s = skip_space(l->start, l->start + l->len), *end = l->start + l->len, *sep, *e;

        if (s >= end || *s == '#' || *s == ';' || *s == '[')
                return false;
        for (sep = s; sep < end && *sep != '=' && *sep != ':'; sep++)
                ;
        if (sep >= end)
                return false;
        e = sep;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
                e--;
        return (size_t) (e - s) == strlen(key) && memcmp(s, key, strlen(key)) == 0;
}

static bool blank_or_comment(const struct line *l)
{
        const char *s = skip_space(l->start, l->start + l->len);
        return s >= l->start + l->len || *s == '#' || *s == ';';
}

static void append_line(struct strbuf *b, const struct line *l)
{
        strbuf_append(b, l->start, l->full);
}

char *ini_set(const char *text, const char *section, const char *key, const char *value)
{
        struct lines ls;
        struct strbuf b = { 0 };
        _cleanup_(freep) char *newline = NULL;
        ssize_t replace = -1, insert_after = -1;
        bool in_section = false, h;

        split(text, &ls);
        newline = xasprintf("%s = %s%s", key, value, ls.eol);

        /* The last occurrence wins, as in the loader. */
        for (size_t i = 0; i < ls.n; i++) {
                if (header(&ls.v[i], section, &h)) {
                        in_section = true;
                        insert_after = (ssize_t) i;
                        continue;
                }
                if (h) {
                        in_section = false;
                        continue;
                }
                if (!in_section)
                        continue;
                if (key_line(&ls.v[i], key))
                        replace = (ssize_t) i;
                if (!blank_or_comment(&ls.v[i]))
                        insert_after = (ssize_t) i;
        }

        for (size_t i = 0; i < ls.n; i++) {
                if ((ssize_t) i == replace) {
                        strbuf_printf(&b, "%s", newline);
                        continue;
                }
                append_line(&b, &ls.v[i]);
                if (replace < 0 && (ssize_t) i == insert_after) {
                        if (ls.v[i].full == ls.v[i].len) /* the last line had no ending */
                                strbuf_printf(&b, "%s", ls.eol);
                        strbuf_printf(&b, "%s", newline);
                }
        }
        if (replace < 0 && insert_after < 0) {
                if (ls.n && ls.v[ls.n - 1].full == ls.v[ls.n - 1].len)
                        strbuf_printf(&b, "%s", ls.eol);
                if (ls.n && !blank_or_comment(&ls.v[ls.n - 1]))
                        strbuf_printf(&b, "%s", ls.eol);
                strbuf_printf(&b, "[%s]%s%s", section, ls.eol, newline);
        }
        free(ls.v);
        return b.s ? b.s : xstrdup("");
}

char *ini_unset(const char *text, const char *section, const char *key, unsigned *removed)
{
        struct lines ls;
        struct strbuf b = { 0 };
        bool in_section = false, h;

        *removed = 0;
        split(text, &ls);
        for (size_t i = 0; i < ls.n; i++) {
                if (header(&ls.v[i], section, &h))
                        in_section = true;
                else if (h)
                        in_section = false;
                else if (in_section && key_line(&ls.v[i], key)) {
                        (*removed)++;
                        continue;
                }
                append_line(&b, &ls.v[i]);
        }
        free(ls.v);
        return b.s ? b.s : xstrdup("");
}
