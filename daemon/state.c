/* SPDX-License-Identifier: MIT */
#include "state.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

#define STATE_VERSION 1
#define STATE_MAX_SIZE 65536

static int parse_u64(const char *s, uint64_t *ret)
{
        uint64_t v = 0;

        if (!*s)
                return -EINVAL;
        for (; *s; s++) {
                if (*s < '0' || *s > '9')
                        return -EINVAL;
                if (v > (UINT64_MAX - (uint64_t) (*s - '0')) / 10)
                        return -ERANGE;
                v = v * 10 + (uint64_t) (*s - '0');
        }
        *ret = v;
        return 0;
}

static bool valid_day(const char *s)
{
        if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
                return false;
        for (int i = 0; i < 10; i++)
                if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
                        return false;
        return true;
}

/* Sets the field named key; -ENOKEY when unknown (ignored, for newer files). */
static int set_field(struct saved_state *st, const char *key, const char *value)
{
        uint64_t v;
        int r;

        if (streq(key, "day")) {
                if (!valid_day(value))
                        return -EINVAL;
                memcpy(st->day, value, 11);
                return 0;
        }
        r = parse_u64(value, &v);
        if (r < 0)
                return r;

#define FIELD(name, dest, max)                        \
        if (streq(key, name)) {                       \
                if (v > (max))                        \
                        return -ERANGE;               \
                dest = v;                             \
                return 0;                             \
        }
        if (streq(key, "version"))
                return v >= 1 && v <= STATE_VERSION ? 0 : -ERANGE;
        FIELD("saved", st->saved_at, UINT64_MAX);
        FIELD("paused", st->paused, 1);
        FIELD("pause-until", st->pause_until, UINT64_MAX);
        FIELD("flare", st->flare, 1);
        FIELD("limit-reached", st->limit_reached, 1);
        FIELD("active-today", st->active_today, UINT64_MAX);
        for (int k = 0; k < N_KINDS; k++) {
                const char *n = kind_names[k];
                size_t len = strlen(n);
                struct saved_kind *sk = &st->kinds[k];

                if (strncmp(key, n, len) != 0 || key[len] != '.')
                        continue;
                key += len + 1;
                FIELD("worked", sk->worked, UINT64_MAX);
                FIELD("due", sk->due, 1);
                FIELD("due-for", sk->due_for, UINT64_MAX);
                FIELD("snoozed-until", sk->snoozed_until, UINT64_MAX);
                FIELD("snoozes", sk->snoozes, 1000);
                FIELD("prompts", sk->prompts, 1000000);
                return -ENOKEY;
        }
#undef FIELD
        return -ENOKEY;
}

int state_parse(const char *buf, size_t size, struct saved_state *ret, char *err, size_t errsize)
{
        struct saved_state st = { 0 };
        const char *p = buf, *end = buf + size;
        bool have_version = false, have_end = false;
        unsigned line = 0;

        while (p < end) {
                const char *nl = memchr(p, '\n', (size_t) (end - p));
                char text[256], *eq;
                size_t len;
                int r;

                line++;
                if (!nl) {
                        snprintf(err, errsize, "line %u: truncated (no newline)", line);
                        return -EINVAL;
                }
                len = (size_t) (nl - p);
                if (len >= sizeof(text) || memchr(p, '\0', len)) {
                        snprintf(err, errsize, "line %u: malformed", line);
                        return -EINVAL;
                }
                memcpy(text, p, len);
                text[len] = '\0';
                p = nl + 1;

                if (have_end) {
                        snprintf(err, errsize, "line %u: text after the end", line);
                        return -EINVAL;
                }
                if (!text[0] || text[0] == '#')
                        continue;
                if (streq(text, "end")) {
                        have_end = true;
                        continue;
                }
                eq = strchr(text, '=');
                if (!eq) {
                        snprintf(err, errsize, "line %u: expected key=value", line);
                        return -EINVAL;
                }
                *eq = '\0';
                if (!have_version && !streq(text, "version")) {
                        snprintf(err, errsize, "line %u: the file does not start with version=", line);
                        return -EINVAL;
                }
                r = set_field(&st, text, eq + 1);
                if (r == -ENOKEY)
                        continue;
                if (r < 0) {
                        snprintf(err, errsize, "line %u: bad value for %s: '%.40s'", line, text, eq + 1);
                        return -EINVAL;
                }
                if (streq(text, "version"))
                        have_version = true;
        }
        if (!have_version) {
                snprintf(err, errsize, "empty or not a state file");
                return -EINVAL;
        }
        if (!have_end) {
                snprintf(err, errsize, "truncated (no end line)");
                return -EINVAL;
        }
        *ret = st;
        return 0;
}

char *state_format(const struct saved_state *st)
{
        struct strbuf b = { 0 };

        strbuf_printf(&b, "version=%d\n# limberd's state; it is rewritten whole, do not edit\n", STATE_VERSION);
        strbuf_printf(&b, "saved=%llu\n", (unsigned long long) st->saved_at);
        if (st->day[0])
                strbuf_printf(&b, "day=%s\n", st->day);
        strbuf_printf(&b, "active-today=%llu\n", (unsigned long long) st->active_today);
        strbuf_printf(&b, "paused=%d\npause-until=%llu\n", st->paused, (unsigned long long) st->pause_until);
        strbuf_printf(&b, "flare=%d\nlimit-reached=%d\n", st->flare, st->limit_reached);
        for (int k = 0; k < N_KINDS; k++) {
                const struct saved_kind *sk = &st->kinds[k];
                const char *n = kind_names[k];
                strbuf_printf(&b, "%s.worked=%llu\n%s.due=%d\n%s.due-for=%llu\n%s.snoozed-until=%llu\n", n,
                              (unsigned long long) sk->worked, n, sk->due, n, (unsigned long long) sk->due_for, n,
                              (unsigned long long) sk->snoozed_until);
                strbuf_printf(&b, "%s.snoozes=%u\n%s.prompts=%u\n", n, sk->snoozes, n, sk->prompts);
        }
        strbuf_printf(&b, "end\n");
        return b.s;
}

int state_load(const char *path, struct saved_state *ret, char *err, size_t errsize)
{
        _cleanup_(freep) char *buf = NULL;
        size_t size;
        int r;

        r = read_file(path, STATE_MAX_SIZE, &buf, &size);
        if (r == -ENOENT)
                return r;
        if (r < 0) {
                snprintf(err, errsize, "cannot read: %s", strerror(-r));
                return r;
        }
        return state_parse(buf, size, ret, err, errsize);
}

int state_save(const char *path, const struct saved_state *st)
{
        _cleanup_(freep) char *text = state_format(st);
        return write_file_atomic(path, text, strlen(text), 0600, false);
}

uint64_t state_to_sched(const struct saved_state *st, uint64_t now_rt, const char *today, uint64_t max_down,
                        struct sched_saved *ret)
{
        bool same_day = streq(st->day, today);
        uint64_t down;

        *ret = (struct sched_saved) { 0 };
        for (int k = 0; k < N_KINDS; k++) {
                const struct saved_kind *sk = &st->kinds[k];
                ret->worked[k] = sk->worked;
                ret->due[k] = sk->due;
                ret->due_for[k] = sk->due_for;
                ret->snoozed_for[k] = sk->snoozed_until > now_rt ? sk->snoozed_until - now_rt : 0;
                ret->snoozes[k] = same_day ? sk->snoozes : 0;
                ret->prompts[k] = sk->prompts;
        }
        if (same_day) {
                ret->active_today = st->active_today;
                ret->flare = st->flare;
                ret->limit_reached = st->limit_reached;
        }
        if (st->paused && (!st->pause_until || st->pause_until > now_rt)) {
                ret->paused = true;
                ret->pause_left = st->pause_until ? st->pause_until - now_rt : 0;
        }
        down = now_rt > st->saved_at ? now_rt - st->saved_at : 0;
        return down < max_down ? down : max_down;
}
