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

static int parse_score(const char *what, const char *s, int *ret)
{
        uint64_t v;

        if (parse_count(s, &v) < 0 || v > JOURNAL_SCORE_MAX)
                return usage_error("log: %s takes a whole number from 0 to 10, not '%s'", what, s);
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
        { OPT_AT, "at", 0, "TIME", "a time", "when it was: HH:MM today, or YYYY-MM-DD HH:MM" },
        {},
};

static const struct cli_command log_cmd = {
        .name = "log",
        .synopsis = "[pain N] [fatigue N] [NOTE...] [--at TIME]",
        .summary = "Record how you are: pain, fatigue (0 to 10), a note ('--' before one beginning with '-').",
        .options = log_options,
};

int cmd_log(int argc, char **argv)
{
        struct checkin c = { .pain = JOURNAL_SCORE_NONE, .fatigue = JOURNAL_SCORE_NONE, .source = SOURCE_CLI };
        _cleanup_(freep) char *dir = NULL, *path = NULL, *note = NULL;
        int64_t now = (int64_t) realtime_now();
        const char *at = NULL, *why;
        char id[MACHINE_ID_BUF], when[ISO_BUF];
        struct strbuf b = { 0 };
        struct args a;
        int opt, r, i;

        /* "pain -1" is a score out of range, not an option. */
        for (i = 1; i + 1 < argc && !streq(argv[i], "--"); i++)
                if ((streq(argv[i], "pain") || streq(argv[i], "fatigue")) && argv[i + 1][0] == '-' &&
                    numeric(argv[i + 1]))
                        return usage_error("log: %s takes a whole number from 0 to 10, not '%s'", argv[i], argv[i + 1]);

        args_init(&a, &log_cmd, argc, argv);
        while ((opt = args_next(&a)) > 0)
                if (opt == OPT_AT)
                        at = a.value;
        if (opt == ARGS_EXIT)
                return a.exit;
        c.instant = now;
        if (at && parse_at(at, now, &c.instant) < 0)
                return usage_error("log: --at takes HH:MM or YYYY-MM-DD HH:MM, not '%s'", at);
        if (c.instant > now + (int64_t) USEC_PER_MIN)
                return usage_error("log: %s is in the future", at);

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
                return usage_error("log: say how you are: pain N, fatigue N (0 to 10) and/or a note");

        dir = user_state_dir();
        if (!dir) {
                fprintf(stderr, "limber: neither XDG_STATE_HOME nor HOME is set\n");
                return EXIT_FAIL;
        }
        r = mkdir_parents(dir, 0700);
        if (r >= 0) {
                machine_id(id);
                path = state_file_path(dir, "journal");
                r = journal_append(path, id, &c);
        }
        if (r < 0) {
                fprintf(stderr, "limber: cannot write the journal %s: %s\n", path ? path : dir, strerror(-r));
                return EXIT_FAIL;
        }
        format_iso_local(when, (uint64_t) c.instant);
        printf("Check-in recorded for %.10s %.5s:", when, when + 11);
        if (c.pain != JOURNAL_SCORE_NONE)
                printf(" pain %d/10", c.pain);
        if (c.fatigue != JOURNAL_SCORE_NONE)
                printf("%s fatigue %d/10", c.pain != JOURNAL_SCORE_NONE ? "," : "", c.fatigue);
        if (c.note)
                printf("%s a note", c.pain != JOURNAL_SCORE_NONE || c.fatigue != JOURNAL_SCORE_NONE ? " and" : "");
        printf(".\n");
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
        { OPT_DAYS, "days", 0, "N", "a number of days", "the last N days, up to --until (default 14, at most 3650)" },
        { OPT_UNTIL, "until", 0, "DATE", "a date", "the last day, as 2026-11-30 (default today)" },
        { OPT_JSON, "json", 0, NULL, NULL, "print JSON" },
        { OPT_CSV, "csv", 0, NULL, NULL, "print CSV" },
        {},
};

static const struct cli_command journal_cmd = {
        .name = "journal",
        .synopsis = "[--days N] [--until DATE] [--json | --csv]",
        .summary = "Your check-ins, oldest first, from every machine's journal.",
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
                                return usage_error("journal: --days takes a number from 1 to 3650, not '%s'", a.value);
                        break;
                case OPT_UNTIL:
                        if (parse_date(a.value, &until) < 0)
                                return usage_error("journal: --until takes a date like 2026-11-30, not '%s'", a.value);
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
                return usage_error("journal: unexpected argument '%s'", a.pos[0]);
        if (json && csv)
                return usage_error("journal: --json or --csv, not both");

        diags_init(&d);
        (void) policy_load(NULL, &p, &d);
        diags_finish(&d);
        day_starts = (unsigned) policy_get(p, KEY_DAY_STARTS);
        policy_free(p);
        if (until == INT64_MIN)
                until = local_day_index((int64_t) realtime_now(), day_starts);
        from = until - (int64_t) ndays + 1;

        dir = user_state_dir();
        if (!dir) {
                fprintf(stderr, "limber: neither XDG_STATE_HOME nor HOME is set\n");
                return EXIT_FAIL;
        }
        r = journal_read_dir(dir, &j, err, sizeof(err));
        if (r < 0) {
                fprintf(stderr, "limber: %s\n", err);
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

                        strbuf_printf(&line, "%-10s  %.5s  pain %-2s  fatigue %-2s", streq(date, last_date) ? "" : date,
                                      t + 11, *ps ? ps : "-", *fs ? fs : "-");
                        if (c->note)
                                strbuf_printf(&line, "  %s", c->note);
                        if (c->source != SOURCE_CLI)
                                strbuf_printf(&line, "  (%s)",
                                              c->source == SOURCE_PROMPT ? "after a rest" : "daily check-in");
                        while (line.len > 0 && line.s[line.len - 1] == ' ')
                                line.s[--line.len] = '\0';
                        puts(line.s);
                        free(line.s);
                }
                memcpy(last_date, date, sizeof(date));
        }
        if (!csv && !any) {
                local_day_label(from, date);
                printf("No check-ins from %s on. Record how you are with 'limber log pain N fatigue N [note]'.\n",
                       date);
        }
        journal_free(&j);
        return EXIT_OK;
}
