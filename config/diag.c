/* SPDX-License-Identifier: MIT */
#include "diag.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "log.h"
#include "util.h"

void diags_init(struct diags *d)
{
        *d = (struct diags){ 0 };
}

void diags_finish(struct diags *d)
{
        if (!d)
                return;
        for (size_t i = 0; i < d->n; i++) {
                free(d->v[i].path);
                free(d->v[i].message);
        }
        free(d->v);
        diags_init(d);
}

void diags_add(struct diags *d, enum severity sev, const char *path, unsigned line, const char *fmt, ...)
{
        va_list ap;

        if (d->n == d->cap) {
                d->cap = d->cap ? d->cap * 2 : 8;
                d->v = xreallocarray(d->v, d->cap, sizeof(*d->v));
        }
        va_start(ap, fmt);
        d->v[d->n++] = (struct diag){
                .severity = sev,
                .path = path ? xstrdup(path) : NULL,
                .line = line,
                .message = xvasprintf(fmt, ap),
        };
        va_end(ap);
}

size_t diags_count(const struct diags *d, enum severity sev)
{
        size_t n = 0;

        for (size_t i = 0; i < d->n; i++)
                n += d->v[i].severity == sev;
        return n;
}

char *diag_format(const struct diag *dg, char *buf, size_t size)
{
        const char *sev = dg->severity == SEV_WARNING ? D_("warning: ") : "";

        if (dg->path && dg->line)
                snprintf(buf, size, "%s:%u: %s%s", dg->path, dg->line, sev, dg->message);
        else if (dg->path)
                snprintf(buf, size, "%s: %s%s", dg->path, sev, dg->message);
        else
                snprintf(buf, size, "%s%s", sev, dg->message);
        return buf;
}

void diags_print(const struct diags *d, FILE *f, int only_errors)
{
        char buf[1024];

        for (size_t i = 0; i < d->n; i++) {
                if (only_errors && d->v[i].severity != SEV_ERROR)
                        continue;
                fprintf(f, "%s\n", diag_format(&d->v[i], buf, sizeof(buf)));
        }
}

void diags_move(struct diags *d, struct diags *other)
{
        for (size_t i = 0; i < other->n; i++) {
                if (d->n == d->cap) {
                        d->cap = d->cap ? d->cap * 2 : 8;
                        d->v = xreallocarray(d->v, d->cap, sizeof(*d->v));
                }
                d->v[d->n++] = other->v[i];
        }
        free(other->v);
        diags_init(other);
}

void diags_log(const struct diags *d)
{
        char buf[1024];

        for (size_t i = 0; i < d->n; i++) {
                if (d->v[i].severity == SEV_ERROR)
                        log_error("%s", diag_format(&d->v[i], buf, sizeof(buf)));
                else
                        log_warning("%s", diag_format(&d->v[i], buf, sizeof(buf)));
        }
}

char *diag_quote(char buf[static QUOTE_BUF], const char *s)
{
        size_t n = 0;

        for (; *s && n < 80; s++) {
                unsigned char c = (unsigned char) *s;
                if (c < 0x20 || c == 0x7f || c == '\'')
                        n += (size_t) snprintf(buf + n, QUOTE_BUF - n, "\\x%02x", c);
                else
                        buf[n++] = (char) c;
        }
        if (*s)
                n += (size_t) snprintf(buf + n, QUOTE_BUF - n, "...");
        buf[n] = '\0';
        return buf;
}
