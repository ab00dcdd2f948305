/* SPDX-License-Identifier: MIT */
#include "tips.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "localtime.h"
#include "i18n.h"
#include "log.h"
#include "util.h"

#ifndef LIMBER_TIPS_DIR
#define LIMBER_TIPS_DIR "/usr/local/share/limber"
#endif

#define TIPS_MAX_SIZE (256 * 1024)
#define TIPS_MAX_PER_KIND 256

static const char *const fallback[N_KINDS] = {
        N_("Sit back, let your shoulders drop and look at something far away for a moment."),
        N_("Stand up and walk for a few minutes; a glass of water on the way."),
        N_("You have reached your activity quota: rest now, even if you feel fine."),
};

struct tips {
        char **v[N_KINDS];
        size_t n[N_KINDS];
        size_t next[N_KINDS];
};

struct tips *tips_new(void)
{
        return xcalloc(1, sizeof(struct tips));
}

void tips_free(struct tips *t)
{
        if (!t)
                return;
        for (int k = 0; k < N_KINDS; k++) {
                for (size_t i = 0; i < t->n[k]; i++)
                        free(t->v[k][i]);
                free(t->v[k]);
        }
        free(t);
}

int tips_parse(struct tips *t, const char *buf, size_t size)
{
        const char *p = buf, *end = buf + size;
        int kind = -1, count = 0;

        while (p < end) {
                const char *nl = memchr(p, '\n', (size_t) (end - p));
                size_t len = nl ? (size_t) (nl - p) : (size_t) (end - p);
                _cleanup_(freep) char *line = xstrndup(p, len);
                char *s = line, *e;

                p = nl ? nl + 1 : end;
                while (*s == ' ' || *s == '\t')
                        s++;
                e = s + strlen(s);
                while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
                        *--e = '\0';
                if (!*s || *s == '#')
                        continue;
                if (*s == '[') {
                        char *close = strchr(s, ']');
                        if (close)
                                *close = '\0';
                        kind = kind_from_name(s + 1);
                        continue;
                }
                if (kind < 0 || t->n[kind] >= TIPS_MAX_PER_KIND)
                        continue;
                t->v[kind] = xreallocarray(t->v[kind], t->n[kind] + 1, sizeof(char *));
                t->v[kind][t->n[kind]++] = xstrdup(s);
                count++;
        }
        return count;
}

struct tips *tips_load(void)
{
        const char *env = getenv("LIMBER_TIPS");
        _cleanup_(freep) char *path = env && *env ? xstrdup(env) : xasprintf("%s/tips", LIMBER_TIPS_DIR);
        _cleanup_(freep) char *buf = NULL;
        struct tips *t = tips_new();
        unsigned seed;
        size_t size;
        int r;

        r = read_file(path, TIPS_MAX_SIZE, &buf, &size);
        if (r < 0)
                log_debug_errno(r, "cannot read the tip catalogue %s, using the built-in tips", path);
        else if (tips_parse(t, buf, size) == 0)
                log_warning("%s holds no tips, using the built-in ones", path);
        /* Rotate from a different place each start. */
        seed = (unsigned) (now_usec(CLOCK_REALTIME) ^ (uint64_t) getpid());
        for (int k = 0; k < N_KINDS; k++)
                t->next[k] = t->n[k] ? (size_t) rand_r(&seed) % t->n[k] : 0;
        return t;
}

const char *tips_next(struct tips *t, enum kind kind)
{
        const char *s;

        if (!t || !t->n[kind])
                return _(fallback[kind]);
        s = t->v[kind][t->next[kind] % t->n[kind]];
        t->next[kind]++;
        /* A shipped tip is a message of the catalogues (po/); one of an
         * employer's or user's own file comes back as it is. */
        return _(s);
}
