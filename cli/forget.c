/* SPDX-License-Identifier: MIT */
/*
 * limber forget --before DATE | --all
 *
 * Deletes history and journal records, every machine's, and says what it
 * deleted. --all removes the files; --before keeps the records from DATE
 * (the start of that day: general.day-starts) on, rewriting each file whole
 * (a temporary file, fsync, rename). Every file is read and checked before
 * any is changed: a line limber cannot read stops it with nothing deleted.
 *
 * limberd may be appending to this machine's history meanwhile: each file
 * is held under an exclusive flock(2) from before it is read until it is
 * replaced or removed, and limberd writes under a shared one to the file
 * the path names then (userstate.h), so no line is lost in between.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "diag.h"
#include "i18n.h"
#include "journal.h"
#include "limber.h"
#include "localtime.h"
#include "policy.h"
#include "trace.h"
#include "userstate.h"
#include "util.h"
#include "value.h"

#define MAX_BYTES ((size_t) 1 << 30)

struct target {
        struct state_file *f;
        bool journal;
        int fd;
        char *buf;
        size_t size;
        struct strbuf keep; /* the text that stays (--before) */
        bool keeps_records;
};

/* What was deleted, of one kind of file. */
struct tally {
        unsigned lines, machines;
        int64_t *days; /* distinct day indices */
        size_t n_days;
        int64_t first, last;
        unsigned kept;
};

static void tally_day(struct tally *t, int64_t day)
{
        for (size_t i = 0; i < t->n_days; i++)
                if (t->days[i] == day)
                        return;
        t->days = xreallocarray(t->days, t->n_days + 1, sizeof(*t->days));
        t->days[t->n_days++] = day;
        if (t->n_days == 1 || day < t->first)
                t->first = day;
        if (t->n_days == 1 || day > t->last)
                t->last = day;
}

/* The instant of each line of a file that holds a record, by line number
 * (0 for comments and blank lines). */
static int line_instants(struct target *t, int64_t **ret, unsigned *n_lines, char *err, size_t errsize)
{
        unsigned lines = 1;
        int64_t *at;
        int r = 0;

        for (size_t i = 0; i < t->size; i++)
                lines += t->buf[i] == '\n';
        at = xcalloc(lines + 1, sizeof(*at));
        if (t->journal) {
                struct checkin *v = NULL;
                size_t n = 0;

                r = journal_parse(t->f->path, t->buf, t->size, &v, &n, err, errsize);
                for (size_t i = 0; i < n; i++)
                        at[v[i].line] = v[i].instant ? v[i].instant : 1;
                checkins_free(v, n);
        } else {
                struct trace_reader tr;
                struct trace_event ev;

                trace_reader_init(&tr, t->f->path, t->buf, t->size);
                while ((r = trace_next(&tr, &ev, err, errsize)) > 0)
                        at[ev.line] = ev.instant ? ev.instant : 1;
        }
        if (r < 0) {
                free(at);
                return -EINVAL;
        }
        *ret = at;
        *n_lines = lines;
        return 0;
}

/* Splits a file at cutoff (INT64_MAX: everything goes), counting. */
static int split(struct target *t, int64_t cutoff, unsigned day_starts, struct tally *gone, struct tally *kept,
                 char *err, size_t errsize)
{
        _cleanup_(freep) int64_t *at = NULL;
        const char *p = t->buf, *end = t->buf + t->size;
        bool deleted = false, kept_one = false;
        unsigned lines, line = 0;
        int r;

        r = line_instants(t, &at, &lines, err, errsize);
        if (r < 0)
                return r;
        while (p < end) {
                const char *nl = memchr(p, '\n', (size_t) (end - p));
                size_t len = nl ? (size_t) (nl - p) + 1 : (size_t) (end - p);
                int64_t instant = at[++line];

                if (instant && instant < cutoff) {
                        gone->lines++;
                        tally_day(gone, local_day_index(instant, day_starts));
                        deleted = true;
                } else if (instant) {
                        if (!t->journal && !kept_one && *p == '+') {
                                /* TRANSLATORS: a line of a history file, whose time is relative to
                                   the line before it ("+5m"), would be the first line kept. */
                                snprintf(err, errsize, "%s:%u: %s", t->f->path, line,
                                         _("a line with a relative time cannot begin what is kept"));
                                return -EINVAL;
                        }
                        kept->lines++;
                        kept_one = true;
                        strbuf_append(&t->keep, p, len);
                } else if (line == 1 || (kept_one && !t->journal)) {
                        /* The header naming the machine, and the comments among what is kept. */
                        strbuf_append(&t->keep, p, len);
                }
                p += len;
        }
        if (t->keep.len && t->keep.s[t->keep.len - 1] != '\n')
                strbuf_append(&t->keep, "\n", 1);
        t->keeps_records = kept_one;
        if (deleted)
                gone->machines++;
        return 0;
}

static int open_locked(struct target *t)
{
        struct stat st;
        int r;

        /* Read and write: NFS's emulation of flock wants it for LOCK_EX. */
        t->fd = open(t->f->path, O_RDWR | O_CLOEXEC | O_NOCTTY);
        if (t->fd < 0)
                return -errno;
        /* Without locks (a file system that has none), limberd's next line
         * may come too late for the copy; that is all. */
        while (flock(t->fd, LOCK_EX) < 0 && errno == EINTR)
                ;
        if (fstat(t->fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return -EBADF;
        if ((size_t) st.st_size > MAX_BYTES)
                return -EFBIG;
        t->buf = xmalloc((size_t) st.st_size + 1);
        t->size = 0;
        while (t->size < (size_t) st.st_size) {
                ssize_t n = read(t->fd, t->buf + t->size, (size_t) st.st_size - t->size);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                if (n == 0)
                        break;
                t->size += (size_t) n;
        }
        t->buf[t->size] = '\0';
        r = 0;
        return r;
}

/* "  history: 120 lines over 3 days (2026-11-01 to 2026-11-03), from 2 machines" */
static void say_tally(bool journal, const struct tally *t)
{
        char a[11], b[11], days[64], machines[64];

        local_day_label(t->first, a);
        local_day_label(t->last, b);
        /* TRANSLATORS: a number of days, in what limber forget deleted: "... over 3 days (...)". */
        snprintf(days, sizeof(days), ngettext("%zu day", "%zu days", t->n_days), t->n_days);
        /* TRANSLATORS: a number of computers, in what limber forget deleted: "..., from 2 machines". */
        snprintf(machines, sizeof(machines), ngettext("%u machine", "%u machines", t->machines), t->machines);
        fputs("  ", stdout);
        if (journal)
                /* TRANSLATORS: what limber forget deleted of the journal: the number of check-ins, the
                   number of days ("3 days"), the first and the last day, the number of machines
                   ("2 machines"). */
                printf(ngettext("journal: %u check-in over %s (%s to %s), from %s",
                                "journal: %u check-ins over %s (%s to %s), from %s", t->lines),
                       t->lines, days, a, b, machines);
        else
                /* TRANSLATORS: what limber forget deleted of the history (limberd's record of activity
                   and breaks): the number of its lines, the number of days ("3 days"), the first and
                   the last day, the number of machines ("2 machines"). */
                printf(ngettext("history: %u line over %s (%s to %s), from %s",
                                "history: %u lines over %s (%s to %s), from %s", t->lines),
                       t->lines, days, a, b, machines);
        putchar('\n');
}

enum {
        OPT_BEFORE = 256,
        OPT_ALL,
};

static const struct cli_option forget_options[] = {
        { OPT_BEFORE, "before", 0, "DATE", N_("a date"),
          N_("delete what came before DATE (2026-11-30), keep the rest") },
        { OPT_ALL, "all", 0, NULL, NULL, N_("delete every history and journal file") },
        {},
};

static const struct cli_command forget_cmd = {
        .name = "forget",
        .synopsis = "--before DATE | --all",
        .summary = N_("Delete history and journal records, every machine's, and say what was deleted."),
        .options = forget_options,
};

int cmd_forget(int argc, char **argv)
{
        _cleanup_(freep) char *dir = NULL;
        struct state_file *files[2] = { NULL, NULL };
        size_t n_files[2] = { 0, 0 }, n = 0;
        struct target *t = NULL;
        struct tally gone[2] = { { 0 } }, kept[2] = { { 0 } };
        struct policy *p = NULL;
        struct diags d;
        struct args a;
        int64_t day = INT64_MIN, cutoff = INT64_MAX;
        const char *before = NULL;
        bool all = false;
        unsigned day_starts;
        char err[1024] = "";
        int opt, r = 0, rc = EXIT_OK;

        args_init(&a, &forget_cmd, argc, argv);
        while ((opt = args_next(&a)) > 0) {
                switch (opt) {
                case OPT_BEFORE:
                        before = a.value;
                        if (parse_date(a.value, &day) < 0)
                                /* TRANSLATORS: %s is the command ("forget"), then the value given to
                                   --before, which takes a date written as 2026-11-30. */
                                return usage_error(_("%s: --before takes a date like 2026-11-30, not '%s'"), "forget",
                                                   a.value);
                        break;
                case OPT_ALL:
                        all = true;
                        break;
                }
        }
        if (opt == ARGS_EXIT)
                return a.exit;
        if (a.n_pos > 0)
                return usage_error(_("%s: unexpected argument '%s'"), "forget", a.pos[0]);
        if (all == (before != NULL))
                /* TRANSLATORS: %s is the command ("forget"); --before DATE and --all are what one types. */
                return usage_error(_("%s: say what to delete: --before DATE or --all"), "forget");

        diags_init(&d);
        (void) policy_load(NULL, &p, &d);
        diags_finish(&d);
        day_starts = (unsigned) policy_get(p, KEY_DAY_STARTS);
        policy_free(p);
        if (before)
                cutoff = naive_instant(day * 24 * 3600 + (int64_t) day_starts * 60) * (int64_t) USEC_PER_SEC;

        dir = cli_state_dir();
        if (!dir)
                return EXIT_FAIL;
        for (int k = 0; k < 2 && r >= 0; k++)
                r = state_files_list(dir, k ? "journal" : "history", &files[k], &n_files[k]);
        if (r < 0) {
                /* TRANSLATORS: a directory, and why its files could not be listed. */
                cli_error(_("%s: cannot list: %s"), dir, strerror(-r));
                rc = EXIT_FAIL;
                goto out;
        }
        t = xcalloc(n_files[0] + n_files[1] + 1, sizeof(*t));

        /* Read and check everything, under locks, before changing anything. */
        for (int k = 0; k < 2; k++)
                for (size_t i = 0; i < n_files[k]; i++) {
                        struct target *x = &t[n++];

                        *x = (struct target){ .f = &files[k][i], .journal = k == 1, .fd = -1 };
                        r = open_locked(x);
                        if (r == -ENOENT) { /* gone since the listing */
                                n--;
                                continue;
                        }
                        if (r < 0) {
                                /* TRANSLATORS: a file, and why it could not be read. */
                                cli_error(_("%s: cannot read: %s; nothing was deleted"), x->f->path, strerror(-r));
                                rc = EXIT_FAIL;
                                goto out;
                        }
                        r = split(x, cutoff, day_starts, &gone[k], &kept[k], err, sizeof(err));
                        if (r < 0) {
                                /* TRANSLATORS: %s is what is wrong, naming the file and line. */
                                cli_error(_("%s; nothing was deleted"), err);
                                rc = EXIT_FAIL;
                                goto out;
                        }
                }

        for (size_t i = 0; i < n; i++) {
                struct target *x = &t[i];

                if (x->keeps_records && x->keep.len == x->size)
                        continue; /* nothing of it goes */
                if (x->keeps_records)
                        r = write_file_atomic(x->f->path, x->keep.s, x->keep.len, 0600, true);
                else
                        r = unlink(x->f->path) < 0 ? -errno : 0;
                if (r < 0 && x->keeps_records)
                        /* TRANSLATORS: a file, and why it could not be replaced by what is kept of it. */
                        cli_error(_("%s: cannot rewrite: %s"), x->f->path, strerror(-r));
                else if (r < 0)
                        /* TRANSLATORS: a file, and why it could not be deleted. */
                        cli_error(_("%s: cannot remove: %s"), x->f->path, strerror(-r));
                if (r < 0)
                        rc = EXIT_FAIL;
        }
        if (rc != EXIT_OK)
                /* TRANSLATORS: %s is a command to type (not translated). */
                cli_error(_("some files were not changed; run %s again"), "limber forget");

        if (!gone[0].lines && !gone[1].lines) {
                if (before)
                        /* TRANSLATORS: %s is the date given to limber forget --before. */
                        printf(_("Nothing to delete: no history or journal records before %s."), before);
                else
                        fputs(_("Nothing to delete: limber keeps no history or journal here."), stdout);
                putchar('\n');
                goto out;
        }
        if (before)
                /* TRANSLATORS: %s is the date given to limber forget --before, then the time of day
                   at which days begin (general.day-starts), as hours and minutes. What was deleted
                   follows, a line for the history and one for the journal. */
                printf(_("Deleted everything recorded before %s (days begin at %02u:%02u):"), before, day_starts / 60,
                       day_starts % 60);
        else
                fputs(_("Deleted all of limber's history and journal:"), stdout);
        putchar('\n');
        if (gone[0].lines)
                say_tally(false, &gone[0]);
        if (gone[1].lines)
                say_tally(true, &gone[1]);
        if (before) {
                char lines[64], checkins[64];

                /* TRANSLATORS: what limber forget kept: "Kept from 2026-11-15 on: 120 history lines
                   and 4 check-ins." */
                snprintf(lines, sizeof(lines), ngettext("%u history line", "%u history lines", kept[0].lines),
                         kept[0].lines);
                /* TRANSLATORS: what limber forget kept: "Kept from 2026-11-15 on: 120 history lines
                   and 4 check-ins." */
                snprintf(checkins, sizeof(checkins), ngettext("%u check-in", "%u check-ins", kept[1].lines),
                         kept[1].lines);
                /* TRANSLATORS: what limber forget kept: the date given to --before, the number of
                   history lines ("120 history lines") and of check-ins ("4 check-ins"). */
                printf(_("Kept from %s on: %s and %s."), before, lines, checkins);
        } else {
                fputs(_("limberd's state (today's counters, a pause, a flare plan) is kept."), stdout);
        }
        putchar('\n');
out:
        for (size_t i = 0; t && i < n; i++) {
                if (t[i].fd >= 0)
                        close(t[i].fd); /* and with it the lock */
                free(t[i].buf);
                free(t[i].keep.s);
        }
        free(t);
        for (int k = 0; k < 2; k++) {
                state_files_free(files[k], n_files[k]);
                free(gone[k].days);
                free(kept[k].days);
        }
        return rc;
}
