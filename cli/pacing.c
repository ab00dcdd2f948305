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
#include "journal.h"
#include "limber.h"
#include "localtime.h"
#include "policy.h"
#include "userstate.h"
#include "util.h"
#include "value.h"

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
        { OPT_DAYS, "days", 0, "N", "a number of days", "the last N days, up to --until (default 14, at most 366)" },
        { OPT_UNTIL, "until", 0, "DATE", "a date", "the last day, as 2026-11-30 (default yesterday)" },
        {},
};

static const struct cli_command baseline_cmd = {
        .name = "pacing baseline",
        .synopsis = "[--days N] [--until DATE]",
        .summary = "Propose a pacing quota from your own calm days; it applies nothing.",
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
        char err[1024], date[11], a1[DURATION_BUF], a2[DURATION_BUF], t1[16];

        args_init(&args, &baseline_cmd, argc, argv);
        while ((opt = args_next(&args)) > 0) {
                switch (opt) {
                case OPT_DAYS:
                        if (parse_count(args.value, &ndays) < 0 || ndays < 1 || ndays > 366)
                                return usage_error("pacing baseline: --days takes a number from 1 to 366, not '%s'",
                                                   args.value);
                        break;
                case OPT_UNTIL:
                        if (parse_date(args.value, &until) < 0)
                                return usage_error("pacing baseline: --until takes a date like 2026-11-30, not '%s'",
                                                   args.value);
                        break;
                }
        }
        if (opt == ARGS_EXIT)
                return args.exit;
        if (args.n_pos > 0)
                return usage_error("pacing baseline: unexpected argument '%s'", args.pos[0]);

        dir = user_state_dir();
        if (!dir) {
                fprintf(stderr, "limber: neither XDG_STATE_HOME nor HOME is set\n");
                return EXIT_FAIL;
        }
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
                fprintf(stderr, "limber: %s\n", err);
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
        printf("Your days from %s", date);
        local_day_label(until, date);
        printf(" to %s", date);
        if (median_pain >= 0)
                printf(" (your median pain: %s)", tenths(t1, median_pain));
        printf(":\n\n  %-10s  %8s  %-16s  %s\n", "day", "active", "longest stretch", "pain");

        stretch = xcalloc((size_t) ndays, sizeof(*stretch));
        active = xcalloc((size_t) ndays, sizeof(*active));
        for (int64_t idx = from; idx <= until; idx++) {
                const struct activity_day *day = activity_day(&a, idx);
                int mp = mean_tenths(&pain[idx - from]);
                const char *why = NULL;

                if (day->active < BASELINE_MIN_ACTIVE)
                        why = day->active ? "not used: under 10 minutes active" : "not used: no activity recorded";
                else if (day->flare)
                        why = "not used: a flare day";
                else if (day->recovery)
                        why = "not used: recovering from a flare";
                else if (mp > median_pain)
                        why = "not used: pain above your median";
                local_day_label(idx, date);
                if (day->active)
                        printf("  %-10s  %8s  %-16s  %-5s  %s\n", date,
                               format_duration(a1, minutes_down(day->active)),
                               format_duration(a2, minutes_down(day->longest)), mp >= 0 ? tenths(t1, mp) : "-",
                               why ? why : "used");
                else
                        printf("  %-10s  %8s  %-16s  %-5s  %s\n", date, "-", "-", mp >= 0 ? tenths(t1, mp) : "-",
                               why);
                if (!why) {
                        stretch[n_used] = day->longest;
                        active[n_used] = day->active;
                        n_used++;
                }
        }
        activity_free(&a);
        putchar('\n');

        if (n_used < BASELINE_MIN_DAYS) {
                printf("%zu calm day%s with activity: limber needs at least %d to propose a baseline, so it proposes "
                       "nothing yet.\nKeep using limber (and 'limber log' how you are); try again in a few days.\n",
                       n_used, n_used == 1 ? "" : "s", BASELINE_MIN_DAYS);
                return EXIT_OK;
        }
        quota = minutes_down(median_u64(stretch, n_used) * BASELINE_PERCENT / 100);
        if (quota < MIN_QUOTA)
                quota = MIN_QUOTA;
        if (limit_now)
                limit = minutes_down(median_u64(active, n_used) * BASELINE_PERCENT / 100);
        printf("On your %zu calm days the median longest stretch was %s", n_used,
               format_duration(a1, minutes_down(median_u64(stretch, n_used))));
        if (limit_now)
                printf(" and the median active time %s", format_duration(a2, minutes_down(median_u64(active, n_used))));
        printf(".\nStarting at %d%% of that keeps you below what you manage on a calm day:\n\n", BASELINE_PERCENT);
        printf("  limber set pacing.quota %s\n", format_duration(a1, quota));
        if (limit_now)
                printf("  limber set pacing.daily-limit %s\n", format_duration(a1, limit));
        printf("\nNow: quota %s, ", format_duration(a2, quota_now));
        if (limit_now)
                printf("daily limit %s", format_duration(a1, limit_now));
        else
                printf("no daily limit");
        printf(". Nothing was changed; run the line%s above to apply %s.\n", limit_now ? "s" : "",
               limit_now ? "them" : "it");
        printf("Keep to the quota on good days too: stopping on time, every day, is the heart of pacing.\n");
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
                for (size_t i = 0; i < ELEMENTSOF(actions); i++)
                        printf("%s limber %s%s%s\n", i ? "      " : "Usage:", actions[i].cmd->name,
                               *actions[i].cmd->synopsis ? " " : "", actions[i].cmd->synopsis);
                puts("\nEach action's options: limber pacing ACTION --help");
                return EXIT_OK;
        }
        for (size_t i = 0; argc >= 2 && i < ELEMENTSOF(actions); i++)
                if (streq(argv[1], actions[i].cmd->name + strlen("pacing ")))
                        return actions[i].run(argc - 1, argv + 1);
        return usage_error("pacing: %s", argc < 2 ? "say what: baseline" : "unknown subcommand (use baseline)");
}
