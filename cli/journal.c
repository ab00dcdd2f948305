/* SPDX-License-Identifier: MIT */
/*
 * limber log [pain N] [fatigue N] [NOTE...] [--at TIME]
 * limber journal [--days N] [--until DATE] [--json | --csv]
 *
 * The journal of check-ins (config/journal.h), written and read offline: it
 * stays in the user's state directory, one file per machine, and limber
 * journal lists every machine's.
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "diag.h"
#include "i18n.h"
#include "journal.h"
#include "limber.h"
#include "localtime.h"
#include "policy.h"
#include "userstate.h"
#include "util.h"
#include "value.h"

/* ---- limber log ------------------------------------------------------------------- */

/* Does the word look like a number, meant as a score (7, 7.5, -1, 11)? */
static bool numeric(const char *s)
{
        if (*s == '-' || *s == '+')
                s++;
        if (*s < '0' || *s > '9')
                return false;
        return strspn(s, "0123456789.,") == strlen(s);
}

static int score_error(const char *what, const char *value)
{
        /* TRANSLATORS: limber log's usage error: the command ("log"), the score's name as one
           types it ("pain" or "fatigue", not translated), and the value given. */
        return usage_error(_("%s: %s takes a whole number from 0 to 10, not '%s'"), "log", what, value);
}

static int parse_score(const char *what, const char *s, int *ret)
{
        uint64_t v;

        if (parse_count(s, &v) < 0 || v > JOURNAL_SCORE_MAX)
                return score_error(what, s);
        *ret = (int) v;
        return 0;
}

/* --at: HH:MM today, or a date and a time, in local time. */
static int parse_at(const char *s, int64_t now, int64_t *ret)
{
        char buf[32];
        unsigned minutes;
        int64_t t;

        if (parse_time_of_day(s, &minutes) == 0) {
                time_t tt = (time_t) (now / (int64_t) USEC_PER_SEC);
                struct tm tm;

                localtime_r(&tt, &tm);
                tm.tm_hour = (int) (minutes / 60);
                tm.tm_min = (int) (minutes % 60);
                tm.tm_sec = 0;
                tm.tm_isdst = -1;
                *ret = (int64_t) mktime(&tm) * (int64_t) USEC_PER_SEC;
                return 0;
        }
        /* "YYYY-MM-DD HH:MM", "YYYY-MM-DDTHH:MM", "YYYY-MM-DDTHH:MM:SS" */
        if (strlen(s) == 16 && (s[10] == ' ' || s[10] == 'T'))
                snprintf(buf, sizeof(buf), "%.10sT%.5s:00", s, s + 11);
        else
                snprintf(buf, sizeof(buf), "%s", s);
        if (strlen(buf) != 19 || parse_trace_time(buf, &t) != 0)
                return -EINVAL;
        *ret = t;
        return 0;
}

enum {
        OPT_AT = 256,
        OPT_DAYS,
        OPT_UNTIL,
        OPT_JSON,
        OPT_CSV,
};

static const struct cli_option log_options[] = {
        { OPT_AT, "at", 0, "TIME", N_("a time"), N_("when it was: HH:MM today, or YYYY-MM-DD HH:MM") },
        {},
};

static const struct cli_command log_cmd = {
        .name = "log",
        .synopsis = "[pain N] [fatigue N] [NOTE...] [--at TIME]",
        /* TRANSLATORS: limber log's summary in its --help. */
        .summary = N_("Record how you are: pain, fatigue (0 to 10), a note ('--' before one beginning with '-')."),
        .options = log_options,
};

/* "Check-in recorded for 2026-11-20 10:00: pain 3/10, fatigue 4/10 and a note.", one whole
 * message for each of what the check-in holds. */
static void say_recorded(const struct checkin *c)
{
        bool pain = c->pain != JOURNAL_SCORE_NONE, fatigue = c->fatigue != JOURNAL_SCORE_NONE;
        char iso[ISO_BUF], when[ISO_BUF];

        format_iso_local(iso, (uint64_t) c->instant);
        snprintf(when, sizeof(when), "%.10s %.5s", iso, iso + 11);
        if (pain && fatigue && c->note)
                /* TRANSLATORS: limber log's confirmation. %s is the date and time of the check-in
                   ("2026-11-20 10:00"); the numbers are scores out of 10. */
                printf(_("Check-in recorded for %s: pain %d/10, fatigue %d/10 and a note."), when, c->pain, c->fatigue);
        else if (pain && fatigue)
                printf(_("Check-in recorded for %s: pain %d/10, fatigue %d/10."), when, c->pain, c->fatigue);
        else if (pain && c->note)
                printf(_("Check-in recorded for %s: pain %d/10 and a note."), when, c->pain);
        else if (fatigue && c->note)
                printf(_("Check-in recorded for %s: fatigue %d/10 and a note."), when, c->fatigue);
        else if (pain)
                printf(_("Check-in recorded for %s: pain %d/10."), when, c->pain);
        else if (fatigue)
                printf(_("Check-in recorded for %s: fatigue %d/10."), when, c->fatigue);
        else
                printf(_("Check-in recorded for %s: a note."), when);
        putchar('\n');
}

int cmd_log(int argc, char **argv)
{
        struct checkin c = { .pain = JOURNAL_SCORE_NONE, .fatigue = JOURNAL_SCORE_NONE, .source = SOURCE_CLI };
        _cleanup_(freep) char *dir = NULL, *path = NULL, *note = NULL;
        int64_t now = (int64_t) realtime_now();
        const char *at = NULL, *why;
        char id[MACHINE_ID_BUF];
        struct strbuf b = { 0 };
        struct args a;
        int opt, r, i;

        /* "pain -1" is a score out of range, not an option. */
        for (i = 1; i + 1 < argc && !streq(argv[i], "--"); i++)
                if ((streq(argv[i], "pain") || streq(argv[i], "fatigue")) && argv[i + 1][0] == '-' &&
                    numeric(argv[i + 1]))
                        return score_error(argv[i], argv[i + 1]);

        args_init(&a, &log_cmd, argc, argv);
        while ((opt = args_next(&a)) > 0)
                if (opt == OPT_AT)
                        at = a.value;
        if (opt == ARGS_EXIT)
                return a.exit;
        c.instant = now;
        if (at && parse_at(at, now, &c.instant) < 0)
                /* TRANSLATORS: %s is the command ("log"), then the value given to --at. HH:MM and
                   YYYY-MM-DD HH:MM are the forms the value takes; keep them as they are. */
                return usage_error(_("%s: --at takes HH:MM or YYYY-MM-DD HH:MM, not '%s'"), "log", at);
        if (c.instant > now + (int64_t) USEC_PER_MIN)
                /* TRANSLATORS: %s is the command ("log"), then the time given to --at. */
                return usage_error(_("%s: %s is in the future"), "log", at);

        /* pain N and fatigue N, each at most once, then the note. */
        for (i = 0; i < a.n_pos; i++) {
                bool is_pain = streq(a.pos[i], "pain"), is_fatigue = streq(a.pos[i], "fatigue");
                int *score = is_pain ? &c.pain : &c.fatigue;

                if (!(is_pain || is_fatigue) || *score != JOURNAL_SCORE_NONE || i + 1 >= a.n_pos ||
                    !numeric(a.pos[i + 1]))
                        break;
                if (parse_score(a.pos[i], a.pos[i + 1], score) < 0)
                        return EXIT_USAGE;
                i++;
        }
        for (; i < a.n_pos; i++)
                strbuf_printf(&b, "%s%s", b.len ? " " : "", a.pos[i]);
        note = b.s;
        if (note) {
                /* A note is one line: line breaks and tabs become spaces. */
                for (char *p = note; *p; p++)
                        if (*p == '\n' || *p == '\r' || *p == '\t')
                                *p = ' ';
                if ((why = journal_note_problem(note)))
                        return usage_error("log: %s", why);
                c.note = note;
        }
        if (c.pain == JOURNAL_SCORE_NONE && c.fatigue == JOURNAL_SCORE_NONE && !c.note)
                /* TRANSLATORS: %s is the command ("log"). "pain N" and "fatigue N" are what one types
                   (keep "pain" and "fatigue" as they are); N is a score. */
                return usage_error(_("%s: say how you are: pain N, fatigue N (0 to 10) and/or a note"), "log");

        dir = cli_state_dir();
        if (!dir)
                return EXIT_FAIL;
        r = mkdir_parents(dir, 0700);
        if (r >= 0) {
                machine_id(id);
                path = state_file_path(dir, "journal");
                r = journal_append(path, id, &c);
        }
        if (r < 0) {
                /* TRANSLATORS: the journal's file (or its directory), and why it could not be written. */
                cli_error(_("cannot write the journal %s: %s"), path ? path : dir, strerror(-r));
                return EXIT_FAIL;
        }
        say_recorded(&c);
        return EXIT_OK;
}

/* ---- limber journal ------------------------------------------------------------------ */

static json_object *score_json(int v)
{
        return v == JOURNAL_SCORE_NONE ? NULL : json_object_new_int(v);
}

static void csv_field(const char *s)
{
        if (!s || !*s)
                return;
        if (!strpbrk(s, ",\"\n")) {
                fputs(s, stdout);
                return;
        }
        putchar('"');
        for (; *s; s++) {
                if (*s == '"')
                        putchar('"');
                putchar(*s);
        }
        putchar('"');
}

static const struct cli_option journal_options[] = {
        { OPT_DAYS, "days", 0, "N", N_("a number of days"),
          N_("the last N days, up to --until (default 14, at most 3650)") },
        { OPT_UNTIL, "until", 0, "DATE", N_("a date"), N_("the last day, as 2026-11-30 (default today)") },
        { OPT_JSON, "json", 0, NULL, NULL, N_("print JSON") },
        { OPT_CSV, "csv", 0, NULL, NULL, N_("print CSV") },
        {},
};

static const struct cli_command journal_cmd = {
        .name = "journal",
        .synopsis = "[--days N] [--until DATE] [--json | --csv]",
        .summary = N_("Your check-ins, oldest first, from every machine's journal."),
        .options = journal_options,
};

int cmd_journal(int argc, char **argv)
{
        _cleanup_(freep) char *dir = NULL;
        struct policy *p = NULL;
        struct journal j;
        struct diags d;
        struct args a;
        bool json = false, csv = false, any = false;
        uint64_t ndays = 14;
        int64_t until = INT64_MIN, from;
        unsigned day_starts;
        char err[1024], date[11], last_date[11] = "", t[ISO_BUF];
        int opt, r;

        args_init(&a, &journal_cmd, argc, argv);
        while ((opt = args_next(&a)) > 0) {
                switch (opt) {
                case OPT_DAYS:
                        if (parse_count(a.value, &ndays) < 0 || ndays < 1 || ndays > 3650)
                                return usage_error(_("%s: --days takes a number from 1 to 3650, not '%s'"), "journal",
                                                   a.value);
                        break;
                case OPT_UNTIL:
                        if (parse_date(a.value, &until) < 0)
                                /* TRANSLATORS: %s is the command (as "journal"), then the value given to
                                   --until, which takes a date written as 2026-11-30. */
                                return usage_error(_("%s: --until takes a date like 2026-11-30, not '%s'"), "journal",
                                                   a.value);
                        break;
                case OPT_JSON:
                        json = true;
                        break;
                case OPT_CSV:
                        csv = true;
                        break;
                }
        }
        if (opt == ARGS_EXIT)
                return a.exit;
        if (a.n_pos > 0)
                return usage_error(_("%s: unexpected argument '%s'"), "journal", a.pos[0]);
        if (json && csv)
                return usage_error(_("%s: --json or --csv, not both"), "journal");

        diags_init(&d);
        (void) policy_load(NULL, &p, &d);
        diags_finish(&d);
        day_starts = (unsigned) policy_get(p, KEY_DAY_STARTS);
        policy_free(p);
        if (until == INT64_MIN)
                until = local_day_index((int64_t) realtime_now(), day_starts);
        from = until - (int64_t) ndays + 1;

        dir = cli_state_dir();
        if (!dir)
                return EXIT_FAIL;
        r = journal_read_dir(dir, &j, err, sizeof(err));
        if (r < 0) {
                cli_error("%s", err);
                return EXIT_FAIL;
        }

        if (json) {
                json_object *root = json_object_new_object(), *arr = json_object_new_array();

                for (size_t i = 0; i < j.n; i++) {
                        const struct checkin *c = &j.v[i];
                        const struct journal_file *f = &j.files[c->file];
                        int64_t idx = local_day_index(c->instant, day_starts);
                        json_object *o;

                        if (idx < from || idx > until)
                                continue;
                        o = json_object_new_object();
                        local_day_label(idx, date);
                        json_object_object_add(o, "time", json_object_new_string(format_iso_local(t, (uint64_t) c->instant)));
                        json_object_object_add(o, "date", json_object_new_string(date));
                        json_object_object_add(o, "pain", score_json(c->pain));
                        json_object_object_add(o, "fatigue", score_json(c->fatigue));
                        json_object_object_add(o, "note", c->note ? json_object_new_string(c->note) : NULL);
                        json_object_object_add(o, "source", json_object_new_string(journal_source_name(c->source)));
                        json_object_object_add(o, "machine", f->machine[0] ? json_object_new_string(f->machine) : NULL);
                        json_object_object_add(o, "host", f->host[0] ? json_object_new_string(f->host) : NULL);
                        json_object_array_add(arr, o);
                }
                json_object_object_add(root, "checkins", arr);
                puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
                json_object_put(root);
                journal_free(&j);
                return EXIT_OK;
        }
        if (csv)
                puts("time,date,pain,fatigue,source,machine,host,note");
        for (size_t i = 0; i < j.n; i++) {
                const struct checkin *c = &j.v[i];
                const struct journal_file *f = &j.files[c->file];
                int64_t idx = local_day_index(c->instant, day_starts);
                char ps[8] = "", fs[8] = "";

                if (idx < from || idx > until)
                        continue;
                any = true;
                local_day_label(idx, date);
                format_iso_local(t, (uint64_t) c->instant);
                if (c->pain != JOURNAL_SCORE_NONE)
                        snprintf(ps, sizeof(ps), "%d", c->pain);
                if (c->fatigue != JOURNAL_SCORE_NONE)
                        snprintf(fs, sizeof(fs), "%d", c->fatigue);
                if (csv) {
                        printf("%s,%s,%s,%s,%s,", t, date, ps, fs, journal_source_name(c->source));
                        csv_field(f->machine);
                        putchar(',');
                        csv_field(f->host);
                        putchar(',');
                        csv_field(c->note);
                        putchar('\n');
                        continue;
                }
                {
                        struct strbuf line = { 0 };

                        /* The date (on the first of its check-ins), the time, the scores. Every line
                         * has the same words, so the columns stay aligned in any language. */
                        strbuf_printf(&line, "%-10s  %.5s  ", streq(date, last_date) ? "" : date, t + 11);
                        /* TRANSLATORS: a check-in in limber journal: the pain and fatigue scores (0 to
                           10, or "-"). Keep the %-2s as they are: they pad each score to two columns. */
                        strbuf_printf(&line, _("pain %-2s  fatigue %-2s"), *ps ? ps : "-", *fs ? fs : "-");
                        if (c->note)
                                strbuf_printf(&line, "  %s", c->note);
                        if (c->source != SOURCE_CLI)
                                /* TRANSLATORS: where a check-in came from, after it in limber journal:
                                   asked after a rest, or the daily check-in (not limber log). */
                                strbuf_printf(&line, "  (%s)",
                                              c->source == SOURCE_PROMPT ? _("after a rest") : _("daily check-in"));
                        while (line.len > 0 && line.s[line.len - 1] == ' ')
                                line.s[--line.len] = '\0';
                        puts(line.s);
                        free(line.s);
                }
                memcpy(last_date, date, sizeof(date));
        }
        if (!csv && !any) {
                local_day_label(from, date);
                /* TRANSLATORS: the first %s is a date, the second a command to type (not translated). */
                printf(_("No check-ins from %s on. Record how you are with '%s'."), date,
                       "limber log pain N fatigue N [note]");
                putchar('\n');
        }
        journal_free(&j);
        return EXIT_OK;
}
