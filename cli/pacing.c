/* SPDX-License-Identifier: MIT */
/*
 * limber pacing baseline [--days N] [--until DATE]
 *
 * Proposes a pacing quota (and, where a daily limit is used, a daily limit)
 * from the person's own calm days: 80 % of the median, the clinical recipe
 * for starting below what one can manage. A calm day is one with recorded
 * activity (at least BASELINE_MIN_ACTIVE), no flare or recovery, and, where
 * check-ins exist, pain at or below the person's own median pain over the
 * same days. The quota comes from each day's longest unbroken stretch, the
 * daily limit from each day's active time. It prints the days it used and
 * the `limber set` lines that would apply it, and never applies anything.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "args.h"
#include "diag.h"
#include "i18n.h"
#include "journal.h"
#include "limber.h"
#include "localtime.h"
#include "policy.h"
#include "util.h"
#include "value.h"
#include "words.h"

#define BASELINE_MIN_DAYS   4
#define BASELINE_MIN_ACTIVE (10 * USEC_PER_MIN)
#define BASELINE_PERCENT    80
#define MIN_QUOTA           (10 * USEC_PER_MIN)

/* A day's mean pain in tenths (so that 3.5 stays 35), -1 without check-ins. */
struct day_pain {
        int sum, n;
};

static int mean_tenths(const struct day_pain *p)
{
        return p->n ? (p->sum * 10 + p->n / 2) / p->n : -1;
}

static int compare_u64(const void *x, const void *y)
{
        uint64_t a = *(const uint64_t *) x, b = *(const uint64_t *) y;
        return a < b ? -1 : a > b;
}

static int compare_int(const void *x, const void *y)
{
        int a = *(const int *) x, b = *(const int *) y;
        return a < b ? -1 : a > b;
}

/* The median of n values (sorted here), the mean of the middle two for an
 * even n. */
static uint64_t median_u64(uint64_t *v, size_t n)
{
        qsort(v, n, sizeof(*v), compare_u64);
        return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int median_int(int *v, size_t n)
{
        qsort(v, n, sizeof(*v), compare_int);
        return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static char *tenths(char buf[static 16], int t)
{
        if (t % 10)
                snprintf(buf, 16, "%d.%d", t / 10, t % 10);
        else
                snprintf(buf, 16, "%d", t / 10);
        return buf;
}

/* Whole minutes, rounded down: a proposal stays below what was measured. */
static uint64_t minutes_down(uint64_t usec)
{
        return usec / USEC_PER_MIN * USEC_PER_MIN;
}

enum {
        OPT_DAYS = 256,
        OPT_UNTIL,
};

static const struct cli_option baseline_options[] = {
        { OPT_DAYS, "days", 0, "N", N_("a number of days"),
          N_("the last N days, up to --until (default 14, at most 366)") },
        { OPT_UNTIL, "until", 0, "DATE", N_("a date"), N_("the last day, as 2026-11-30 (default yesterday)") },
        {},
};

static const struct cli_command baseline_cmd = {
        .name = "pacing baseline",
        .synopsis = "[--days N] [--until DATE]",
        .summary = N_("Propose a pacing quota from your own calm days; it applies nothing."),
        .options = baseline_options,
};

static int baseline(int argc, char **argv)
{
        _cleanup_(freep) char *dir = NULL;
        _cleanup_(freep) struct day_pain *pain = NULL;
        _cleanup_(freep) uint64_t *stretch = NULL, *active = NULL;
        _cleanup_(freep) int *pains = NULL;
        struct activity a;
        struct journal j;
        struct policy *p = NULL;
        struct diags d;
        struct args args;
        uint64_t ndays = 14, quota_now, limit_now, quota, limit = 0;
        int64_t until = INT64_MIN, from, now = (int64_t) realtime_now();
        size_t n_used = 0, n_pains = 0;
        int opt, r, median_pain = -1;
        char err[1024], date[11], date2[11], a1[DURATION_BUF], a2[DURATION_BUF], t1[16];
        const char *head[4];
        int w_day, w_active, w_longest, w_pain;

        args_init(&args, &baseline_cmd, argc, argv);
        while ((opt = args_next(&args)) > 0) {
                switch (opt) {
                case OPT_DAYS:
                        if (parse_count(args.value, &ndays) < 0 || ndays < 1 || ndays > 366)
                                /* TRANSLATORS: %s is the command ("pacing baseline"), then the value
                                   given to --days. */
                                return usage_error(_("%s: --days takes a number from 1 to 366, not '%s'"),
                                                   "pacing baseline", args.value);
                        break;
                case OPT_UNTIL:
                        if (parse_date(args.value, &until) < 0)
                                return usage_error(_("%s: --until takes a date like 2026-11-30, not '%s'"),
                                                   "pacing baseline", args.value);
                        break;
                }
        }
        if (opt == ARGS_EXIT)
                return args.exit;
        if (args.n_pos > 0)
                return usage_error(_("%s: unexpected argument '%s'"), "pacing baseline", args.pos[0]);

        dir = cli_state_dir();
        if (!dir)
                return EXIT_FAIL;
        diags_init(&d);
        (void) policy_load(NULL, &p, &d);
        diags_finish(&d);
        quota_now = policy_get(p, KEY_PACING_QUOTA);
        limit_now = policy_get(p, KEY_PACING_DAILY_LIMIT);
        /* Today is not over: the days before it, unless told which. */
        if (until == INT64_MIN)
                until = local_day_index(now, (unsigned) policy_get(p, KEY_DAY_STARTS)) - 1;
        from = until - (int64_t) ndays + 1;
        activity_init(&a, from, (size_t) ndays, (unsigned) policy_get(p, KEY_DAY_STARTS), policy_get(p, KEY_IDLE_AFTER));
        policy_free(p);

        r = activity_add_dir(&a, dir, now, err, sizeof(err));
        if (r >= 0) {
                activity_finish(&a);
                r = journal_read_dir(dir, &j, err, sizeof(err));
        }
        if (r < 0) {
                cli_error("%s", err);
                activity_free(&a);
                return EXIT_FAIL;
        }

        /* The person's own median pain over these days. */
        pain = xcalloc((size_t) ndays, sizeof(*pain));
        for (size_t i = 0; i < j.n; i++) {
                int64_t idx = local_day_index(j.v[i].instant, a.day_starts);
                if (idx >= from && idx <= until && j.v[i].pain != JOURNAL_SCORE_NONE) {
                        pain[idx - from].sum += j.v[i].pain;
                        pain[idx - from].n++;
                }
        }
        journal_free(&j);
        pains = xcalloc((size_t) ndays, sizeof(*pains));
        for (size_t i = 0; i < ndays; i++)
                if (pain[i].n)
                        pains[n_pains++] = mean_tenths(&pain[i]);
        if (n_pains)
                median_pain = median_int(pains, n_pains);

        local_day_label(from, date);
        local_day_label(until, date2);
        if (median_pain >= 0)
                /* TRANSLATORS: limber pacing baseline's first line: the first and the last day, and
                   the median of the person's pain scores (0 to 10) over those days. */
                printf(_("Your days from %s to %s (your median pain: %s):"), date, date2, tenths(t1, median_pain));
        else
                printf(_("Your days from %s to %s:"), date, date2);
        fputs("\n\n", stdout);

        /* The table: its columns as wide as their headings, in any language. */
        /* TRANSLATORS: a column of limber pacing baseline's table: the date. */
        head[0] = C_("column", "day");
        /* TRANSLATORS: a column: the day's active time. */
        head[1] = C_("column", "active");
        /* TRANSLATORS: a column: the day's longest stretch of activity without a break. */
        head[2] = C_("column", "longest stretch");
        /* TRANSLATORS: a column: the day's pain score (0 to 10). */
        head[3] = C_("column", "pain");
        w_day = column_width(10, head[0]);
        w_active = column_width(8, head[1]);
        w_longest = column_width(16, head[2]);
        w_pain = column_width(5, head[3]);
        fputs("  ", stdout);
        print_cell(stdout, head[0], w_day, false);
        fputs("  ", stdout);
        print_cell(stdout, head[1], w_active, true);
        fputs("  ", stdout);
        print_cell(stdout, head[2], w_longest, false);
        printf("  %s\n", head[3]);

        stretch = xcalloc((size_t) ndays, sizeof(*stretch));
        active = xcalloc((size_t) ndays, sizeof(*active));
        for (int64_t idx = from; idx <= until; idx++) {
                const struct activity_day *day = activity_day(&a, idx);
                int mp = mean_tenths(&pain[idx - from]);
                const char *why = NULL;

                if (day->active < BASELINE_MIN_ACTIVE)
                        /* TRANSLATORS: after a day in limber pacing baseline's table: why the day was
                           not used for the proposal (a calm day has activity, no flare, and pain at
                           or below the person's own median). */
                        why = day->active ? _("not used: under 10 minutes active")
                                          : _("not used: no activity recorded");
                else if (day->flare)
                        why = _("not used: a flare day");
                else if (day->recovery)
                        why = _("not used: recovering from a flare");
                else if (mp > median_pain)
                        why = _("not used: pain above your median");
                local_day_label(idx, date);
                /* Dates, durations and scores are ASCII: printf's padding is right for them. */
                if (day->active)
                        printf("  %-*s  %*s  %-*s  %-*s  %s\n", w_day, date, w_active,
                               format_duration(a1, minutes_down(day->active)), w_longest,
                               format_duration(a2, minutes_down(day->longest)), w_pain, mp >= 0 ? tenths(t1, mp) : "-",
                               /* TRANSLATORS: after a day in limber pacing baseline's table: the day
                                  is one of the calm days the proposal comes from. */
                               why ? why : C_("baseline day", "used"));
                else
                        printf("  %-*s  %*s  %-*s  %-*s  %s\n", w_day, date, w_active, "-", w_longest, "-", w_pain,
                               mp >= 0 ? tenths(t1, mp) : "-", why);
                if (!why) {
                        stretch[n_used] = day->longest;
                        active[n_used] = day->active;
                        n_used++;
                }
        }
        activity_free(&a);
        putchar('\n');

        if (n_used < BASELINE_MIN_DAYS) {
                /* TRANSLATORS: too few calm days for limber pacing baseline: how many there were, and
                   how many it needs (4). */
                printf(ngettext("%zu calm day with activity: limber needs at least %d to propose a baseline, so it "
                                "proposes nothing yet.",
                                "%zu calm days with activity: limber needs at least %d to propose a baseline, so it "
                                "proposes nothing yet.",
                                n_used),
                       n_used, BASELINE_MIN_DAYS);
                putchar('\n');
                /* TRANSLATORS: 'limber log' is a command (not translated): "log how you are with limber log". */
                puts(_("Keep using limber (and 'limber log' how you are); try again in a few days."));
                return EXIT_OK;
        }
        quota = minutes_down(median_u64(stretch, n_used) * BASELINE_PERCENT / 100);
        if (quota < MIN_QUOTA)
                quota = MIN_QUOTA;
        if (limit_now)
                limit = minutes_down(median_u64(active, n_used) * BASELINE_PERCENT / 100);
        format_duration(a1, minutes_down(median_u64(stretch, n_used)));
        if (limit_now)
                /* TRANSLATORS: limber pacing baseline: the number of calm days (4 or more), the median
                   of their longest stretches without a break, and of their active time. */
                printf(ngettext("On your %zu calm day the median longest stretch was %s and the median active time "
                                "%s.",
                                "On your %zu calm days the median longest stretch was %s and the median active time "
                                "%s.",
                                n_used),
                       n_used, a1, format_duration(a2, minutes_down(median_u64(active, n_used))));
        else
                /* TRANSLATORS: limber pacing baseline: the number of calm days (4 or more), and the median
                   of their longest stretches without a break. */
                printf(ngettext("On your %zu calm day the median longest stretch was %s.",
                                "On your %zu calm days the median longest stretch was %s.", n_used),
                       n_used, a1);
        putchar('\n');
        /* TRANSLATORS: %d%% is a percentage (80%); the 'limber set' lines that apply it follow. */
        printf(_("Starting at %d%% of that keeps you below what you manage on a calm day:"), BASELINE_PERCENT);
        fputs("\n\n", stdout);
        printf("  limber set pacing.quota %s\n", format_duration(a1, quota));
        if (limit_now)
                printf("  limber set pacing.daily-limit %s\n", format_duration(a1, limit));
        putchar('\n');
        if (limit_now)
                /* TRANSLATORS: limber pacing baseline: the pacing quota and daily limit in effect now
                   (durations); "the lines above" are the 'limber set' commands it printed. */
                printf(_("Now: quota %s, daily limit %s. Nothing was changed; run the lines above to apply them."),
                       format_duration(a2, quota_now), format_duration(a1, limit_now));
        else
                /* TRANSLATORS: limber pacing baseline: the pacing quota in effect now (a duration); "the
                   line above" is the 'limber set' command it printed. */
                printf(_("Now: quota %s, no daily limit. Nothing was changed; run the line above to apply it."),
                       format_duration(a2, quota_now));
        putchar('\n');
        puts(_("Keep to the quota on good days too: stopping on time, every day, is the heart of pacing."));
        return EXIT_OK;
}

int cmd_pacing(int argc, char **argv)
{
        static const struct {
                const struct cli_command *cmd;
                int (*run)(int argc, char **argv);
        } actions[] = {
                { &baseline_cmd, baseline },
        };

        if (argc >= 2 && (streq(argv[1], "--help") || streq(argv[1], "-h"))) {
                /* "Usage: limber pacing baseline ...", the other actions under it. */
                const char *usage = _("Usage: limber");

                for (size_t i = 0; i < ELEMENTSOF(actions); i++) {
                        print_cell(stdout, i ? "" : usage, text_columns(usage), false);
                        printf(" %s%s%s\n", actions[i].cmd->name, *actions[i].cmd->synopsis ? " " : "",
                               actions[i].cmd->synopsis);
                }
                putchar('\n');
                /* TRANSLATORS: %s is a command to type (not translated). */
                printf(_("Each action's options: %s"), "limber pacing ACTION --help");
                putchar('\n');
                return EXIT_OK;
        }
        for (size_t i = 0; argc >= 2 && i < ELEMENTSOF(actions); i++)
                if (streq(argv[1], actions[i].cmd->name + strlen("pacing ")))
                        return actions[i].run(argc - 1, argv + 1);
        if (argc < 2)
                /* TRANSLATORS: limber pacing without an action: %s is the command ("pacing"), then the
                   actions it takes (not translated). */
                return usage_error(_("%s: say what: %s"), "pacing", "baseline");
        /* TRANSLATORS: %s is the command ("pacing"), then the actions it takes (not translated). */
        return usage_error(_("%s: unknown subcommand (use %s)"), "pacing", "baseline");
}
