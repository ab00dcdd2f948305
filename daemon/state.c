/* SPDX-License-Identifier: MIT */
#include "state.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <dirent.h>
#include <unistd.h>

#include "clock.h"
#include "human.h"
#include "log.h"
#include "util.h"
#include "value.h"

#define STATE_VERSION  2
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
        if (streq(key, "boot")) {
                if (strlen(value) != BOOT_ID_BUF - 1 || strspn(value, "0123456789abcdef") != BOOT_ID_BUF - 1)
                        return -EINVAL;
                memcpy(st->boot_id, value, BOOT_ID_BUF);
                return 0;
        }
        if (streq(key, "presence")) {
                int p = presence_from_name(value);
                if (p < 0)
                        return -EINVAL;
                st->presence = (enum presence) p;
                return 0;
        }
        r = parse_u64(value, &v);
        if (r < 0)
                return r;

#define FIELD(name, dest, max)                                                                                         \
        if (streq(key, name)) {                                                                                        \
                if (v > (max))                                                                                         \
                        return -ERANGE;                                                                                \
                dest = v;                                                                                              \
                return 0;                                                                                              \
        }
        if (streq(key, "version"))
                return v >= 1 && v <= STATE_VERSION ? 0 : -ERANGE;
        FIELD("saved", st->saved_at, UINT64_MAX);
        FIELD("paused", st->paused, 1);
        FIELD("pause-until", st->pause_until, UINT64_MAX);
        FIELD("flare", st->flare, 1);
        FIELD("flare-day", st->flare_day, 1000);
        FIELD("flare-days", st->flare_days, 1000);
        FIELD("flare-recovery", st->flare_recovery, 1000);
        FIELD("limit-reached", st->limit_reached, 1);
        FIELD("active-today", st->active_today, UINT64_MAX);
        FIELD("limit-prompts", st->limit_prompts, 1000000);
        FIELD("uptime", st->uptime, UINT64_MAX);
        FIELD("suspended", st->suspended, UINT64_MAX);
        FIELD("clean", st->clean, 1);
        FIELD("away-for", st->away_for, UINT64_MAX);
        FIELD("next-in", st->next_in, UINT64_MAX);
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
        /* Version 1 files knew no boot: their downtime is time away. */
        struct saved_state st = { .clean = true, .next_in = UINT64_MAX };
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
        if (st->boot_id[0])
                strbuf_printf(&b, "boot=%s\n", st->boot_id);
        strbuf_printf(&b, "uptime=%llu\nsuspended=%llu\nclean=%d\n", (unsigned long long) st->uptime,
                      (unsigned long long) st->suspended, st->clean);
        if (st->day[0])
                strbuf_printf(&b, "day=%s\n", st->day);
        strbuf_printf(&b, "active-today=%llu\n", (unsigned long long) st->active_today);
        strbuf_printf(&b, "paused=%d\npause-until=%llu\n", st->paused, (unsigned long long) st->pause_until);
        strbuf_printf(&b, "flare=%d\nlimit-reached=%d\nlimit-prompts=%u\n", st->flare, st->limit_reached,
                      st->limit_prompts);
        strbuf_printf(&b, "flare-day=%u\nflare-days=%u\nflare-recovery=%u\n", st->flare_day, st->flare_days,
                      st->flare_recovery);
        strbuf_printf(&b, "presence=%s\naway-for=%llu\nnext-in=%llu\n", presence_name(st->presence),
                      (unsigned long long) st->away_for, (unsigned long long) st->next_in);
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

void state_from_sched(struct saved_state *st, const struct sched_saved *sv, const struct moment *m, const char *boot_id,
                      unsigned day_starts, bool clean)
{
        *st = (struct saved_state){
                .saved_at = m->rt,
                .uptime = m->bt,
                .suspended = suspended_total(),
                .clean = clean,
                .paused = sv->paused,
                .pause_until = sv->paused && sv->pause_left ? m->rt + sv->pause_left : 0,
                .flare = sv->flare,
                .flare_day = sv->flare_day,
                .flare_days = sv->flare_days,
                .flare_recovery = sv->flare_recovery,
                .limit_reached = sv->limit_reached,
                .limit_prompts = sv->limit_prompts,
                .active_today = sv->active_today,
                .presence = sv->presence,
                .away_for = sv->away_for,
                .next_in = sv->next_in,
        };
        snprintf(st->boot_id, sizeof(st->boot_id), "%s", boot_id ? boot_id : "");
        day_label(st->day, m->rt, day_starts);
        for (int k = 0; k < N_KINDS; k++)
                st->kinds[k] = (struct saved_kind){
                        .worked = sv->worked[k],
                        .due = sv->due[k],
                        .due_for = sv->due_for[k],
                        .snoozed_until = sv->snoozed_for[k] ? m->rt + sv->snoozed_for[k] : 0,
                        .snoozes = sv->snoozes[k],
                        .prompts = sv->prompts[k],
                };
}

/* Restarts reach back at most this far: the scheduler's clock starts half
 * its base before boot. */
#define MAX_GAP (SCHED_CLOCK_BASE / 2)

void state_to_sched(const struct saved_state *st, const struct moment *m, const char *boot_id, uint64_t suspended_now,
                    struct sched_saved *ret, uint64_t *gap, uint64_t *known)
{
        bool same_boot = st->boot_id[0] && streq(st->boot_id, boot_id) && m->bt >= st->uptime;
        uint64_t g, asleep;

        *ret = (struct sched_saved){
                .flare = st->flare,
                .flare_day = st->flare_day,
                .flare_days = st->flare_days,
                .flare_recovery = st->flare_recovery,
                .limit_reached = st->limit_reached,
                .limit_prompts = st->limit_prompts,
                .active_today = st->active_today,
                .presence = st->presence,
                .away_for = st->away_for,
                .next_in = st->next_in,
        };
        for (int k = 0; k < N_KINDS; k++) {
                const struct saved_kind *sk = &st->kinds[k];
                ret->worked[k] = sk->worked;
                ret->due[k] = sk->due;
                ret->due_for[k] = sk->due_for;
                ret->snoozed_for[k] = sk->snoozed_until > st->saved_at ? sk->snoozed_until - st->saved_at : 0;
                ret->snoozes[k] = sk->snoozes;
                ret->prompts[k] = sk->prompts;
        }
        if (st->paused) {
                ret->paused = true;
                ret->pause_left = !st->pause_until                 ? 0
                                  : st->pause_until > st->saved_at ? st->pause_until - st->saved_at
                                                                   : 1; /* ends at once */
        }
        /* The same boot measures the gap on its own clock, immune to wall-clock steps. */
        g = same_boot ? m->bt - st->uptime : m->rt > st->saved_at ? m->rt - st->saved_at : 0;
        *gap = g < MAX_GAP ? g : MAX_GAP;
        *known = 0;
        if (same_boot && !st->clean && st->presence == PRESENCE_ACTIVE) {
                asleep = suspended_now > st->suspended ? suspended_now - st->suspended : 0;
                *known = *gap > asleep ? *gap - asleep : 0;
                if (*known > st->next_in)
                        *known = st->next_in;
        }
}

/* ---- the file ---------------------------------------------------------------------- */

struct state_store {
        char *dir, *path;
        char boot_id[BOOT_ID_BUF];
        char machine_id[BOOT_ID_BUF];
        char *saved_text; /* what the file holds now */
        bool warned;
};

/* "saved=", "uptime=" and "suspended=" change with every save; the rest is news. */
static bool same_but_time(const char *a, const char *b)
{
        const char *x = strstr(a, "\nclean="), *y = strstr(b, "\nclean=");
        return x && y && streq(x, y);
}

/* A 128-bit id (the boot's, the machine's) as 32 hex digits, "" when unknown. */
static void read_id(const char *path, char buf[static BOOT_ID_BUF])
{
        _cleanup_(freep) char *text = NULL;
        size_t n = 0, len;

        buf[0] = '\0';
        if (read_file(path, 64, &text, &len) < 0)
                return;
        for (size_t i = 0; i < len && n < BOOT_ID_BUF - 1; i++)
                if ((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'a' && text[i] <= 'f'))
                        buf[n++] = text[i];
        buf[n == BOOT_ID_BUF - 1 ? n : 0] = '\0';
}

/* A state file being written when limberd was killed stays behind as
 * state.MACHINE-ID.tmp.XXXXXX; only this machine's limberd (which owns the
 * bus name) writes those. */
static void remove_stale_temporaries(struct state_store *s)
{
        _cleanup_(freep) char *prefix = xasprintf("state%s%s.tmp.", s->machine_id[0] ? "." : "", s->machine_id);
        DIR *dp = opendir(s->dir);
        struct dirent *de;

        if (!dp)
                return;
        while ((de = readdir(dp)))
                if (startswith(de->d_name, prefix) && unlinkat(dirfd(dp), de->d_name, 0) == 0)
                        log_debug("removed %s/%s, left by an interrupted write", s->dir, de->d_name);
        closedir(dp);
}

/* Files of a home directory shared by several machines (NFS) are kept per
 * machine: name.MACHINE-ID. One from before that (plain "name") is taken
 * over by the first machine to start. */
static char *machine_file(struct state_store *s, const char *name)
{
        _cleanup_(freep) char *old = xasprintf("%s/%s", s->dir, name);
        char *path;

        if (!s->machine_id[0])
                return xstrdup(old);
        path = xasprintf("%s/%s.%s", s->dir, name, s->machine_id);
        if (access(path, F_OK) < 0 && errno == ENOENT && rename(old, path) == 0)
                log_info("%s is now %s, this machine's own", old, path);
        return path;
}

struct state_store *state_store_new(const char *dir)
{
        struct state_store *s = xcalloc(1, sizeof(*s));

        s->dir = xstrdup(dir);
        read_id("/proc/sys/kernel/random/boot_id", s->boot_id);
        read_id("/etc/machine-id", s->machine_id);
        if (mkdir_parents(dir, 0700) < 0)
                log_warning("cannot create %s; state and history will not be kept", dir);
        remove_stale_temporaries(s);
        s->path = machine_file(s, "state");
        return s;
}

char *state_store_file(struct state_store *s, const char *name)
{
        return machine_file(s, name);
}

const char *state_store_machine_id(const struct state_store *s)
{
        return s->machine_id;
}

void state_store_free(struct state_store *s)
{
        if (!s)
                return;
        free(s->dir);
        free(s->path);
        free(s->saved_text);
        free(s);
}

const char *state_store_boot_id(const struct state_store *s)
{
        return s->boot_id;
}

int state_store_load(struct state_store *s, struct saved_state *ret)
{
        _cleanup_(freep) char *buf = NULL;
        char err[256];
        size_t size;
        int r;

        r = read_file(s->path, STATE_MAX_SIZE, &buf, &size);
        if (r == -ENOENT)
                return r;
        if (r < 0) {
                log_warning_errno(r, "cannot read %s; starting with fresh counters", s->path);
                return r;
        }
        r = state_parse(buf, size, ret, err, sizeof(err));
        if (r < 0) {
                log_warning("%s: %s; starting with fresh counters", s->path, err);
                return r;
        }
        free(s->saved_text);
        s->saved_text = state_format(ret);
        return 0;
}

int state_store_resume(struct state_store *s, const struct moment *m, uint64_t suspended_now, struct sched_saved *sv,
                       uint64_t *at, uint64_t *known_until)
{
        struct saved_state st;
        uint64_t gap, known;
        char gb[HUMAN_BUF];
        int r;

        r = state_store_load(s, &st);
        if (r < 0)
                return r;
        state_to_sched(&st, m, s->boot_id, suspended_now, sv, &gap, &known);
        log_info("restored the state of %s; limberd was not running for %s", st.day[0] ? st.day : "an earlier day",
                 human_duration(gb, gap));
        *at = m->sched - gap;
        *known_until = *at + known;
        return 0;
}

void state_store_save(struct state_store *s, const struct saved_state *st)
{
        _cleanup_(freep) char *text = state_format(st);
        int r;

        if (s->saved_text && same_but_time(s->saved_text, text))
                return;
        for (int attempt = 0; attempt < 2; attempt++) {
                r = write_file_atomic(s->path, text, strlen(text), 0600, false);
                if (r != -ENOENT)
                        break;
                /* The directory went missing: make it again, once. */
                r = mkdir_parents(s->dir, 0700);
                if (r < 0)
                        break;
        }
        if (r < 0) {
                if (!s->warned)
                        log_warning_errno(r, "cannot save the state to %s; scheduling goes on", s->path);
                s->warned = true;
                return;
        }
        s->warned = false;
        free(s->saved_text);
        s->saved_text = text;
        text = NULL;
}

void state_store_save_sched(struct state_store *s, const struct sched *sched, const struct moment *m,
                            unsigned day_starts, bool clean)
{
        struct saved_state st;
        struct sched_saved sv;

        sched_save(sched, m->sched, &sv);
        state_from_sched(&st, &sv, m, s->boot_id, day_starts, clean);
        state_store_save(s, &st);
}
