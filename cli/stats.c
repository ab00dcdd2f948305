/* SPDX-License-Identifier: MIT */
/*
 * limber stats [--days N] [--json | --csv] [--history FILE] [--root DIR]
 *
 * Reads the histories limberd keeps in $XDG_STATE_HOME/limber (every
 * machine's, where a home directory is shared; they stay in the user's
 * account) and shows, per day: active time, the longest unbroken active
 * stretch, and per break kind how many were due, taken, natural, snoozed and
 * skipped (the machine formats add compliance, taken per due). The days
 * come from the reader
 * behind limber report too (activity.h).
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "activity.h"
#include "args.h"
#include "human.h"
#include "diag.h"
#include "i18n.h"
#include "limber.h"
#include "localtime.h"
#include "policy.h"
#include "util.h"
#include "value.h"

#define MAX_DAYS 3660

static unsigned compliance(const struct break_counts *c)
{
        return c->due ? (c->taken >= c->due ? 100 : c->taken * 100 / c->due) : 0;
}

static void date_label(char buf[static TIME_BUF], const struct activity *s, int64_t idx)
{
        activity_day_label(s, idx, buf);
}

static void print_human(const struct activity *s, int64_t from, int64_t to, const bool enabled[N_KINDS])
{
        char date[TIME_BUF], a[HUMAN_BUF], b[HUMAN_BUF];
        uint64_t max = 1;
        bool chart = use_color() || isatty(1);

        for (int64_t i = from; i <= to; i++) {
                const struct activity_day *d = &s->days[i - s->first_day];
                date_label(date, s, i);
                /* The day, then what happened on it. */
                printf("%s  ", date);
                if (!d->seen) {
                        printf("%s\n", _("no activity recorded"));
                        continue;
                }
                /* TRANSLATORS: a day in limber stats: its active time and its longest stretch without a
                   break, as durations ("2h 50m"). */
                printf(_("active %s, longest unbroken stretch %s"), human_duration(a, d->active),
                       human_duration(b, d->longest));
                putchar('\n');
                if (d->active_off) {
                        fputs("  ", stdout);
                        /* TRANSLATORS: how much of the day's active time was outside working hours. */
                        printf(_("of it outside working hours %s"), human_duration(a, d->active_off));
                        putchar('\n');
                }
                for (int k = 0; k < N_KINDS; k++) {
                        const struct break_counts *c = &d->k[k];
                        if (!enabled[k] && !c->due && !c->taken && !c->natural)
                                continue;
                        /* What happened, not a score: "taken 1 of 2" (breaks taken by
                         * hand may outnumber those that came due). The kind is the
                         * policy's name for it, as one types it: not translated. */
                        printf("  %-9s ", kind_names[k]);
                        if (c->taken <= c->due && !c->dropped)
                                /* TRANSLATORS: one kind of break on a day in limber stats, as counts:
                                   breaks taken of those that came due, snoozed, skipped, and natural
                                   breaks (the person was away long enough anyway). */
                                printf(_("taken %u of %u, snoozed %u, skipped %u, natural breaks %u"), c->taken, c->due,
                                       c->snoozed, c->skipped, c->natural);
                        else if (c->taken <= c->due)
                                /* TRANSLATORS: as above, and how many came due too late in the working
                                   day and were dropped when it ended. */
                                printf(_("taken %u of %u, snoozed %u, skipped %u, natural breaks %u, dropped at "
                                         "the end of working hours %u"),
                                       c->taken, c->due, c->snoozed, c->skipped, c->natural, c->dropped);
                        else if (!c->dropped)
                                /* TRANSLATORS: as above, when more breaks were taken (by hand) than came
                                   due: taken, and how many came due. */
                                printf(_("taken %u (%u due), snoozed %u, skipped %u, natural breaks %u"), c->taken,
                                       c->due, c->snoozed, c->skipped, c->natural);
                        else
                                printf(_("taken %u (%u due), snoozed %u, skipped %u, natural breaks %u, dropped at "
                                         "the end of working hours %u"),
                                       c->taken, c->due, c->snoozed, c->skipped, c->natural, c->dropped);
                        putchar('\n');
                }
                if (d->active > max)
                        max = d->active;
        }
        if (!chart)
                return;
        /* A bar chart of active time, in eighths of a block. */
        /* TRANSLATORS: the heading of limber stats' bar chart of active time per day. */
        printf("\n%s\n", _("Active time"));
        for (int64_t i = from; i <= to; i++) {
                static const char *const eighths[] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
                const struct activity_day *d = &s->days[i - s->first_day];
                unsigned width = (unsigned) (d->active * 40 * 8 / max);

                date_label(date, s, i);
                printf("  %s ", date + 5);
                for (unsigned j = 0; j < width / 8; j++)
                        fputs("█", stdout);
                fputs(eighths[width % 8], stdout);
                printf(" %s\n", human_duration(a, d->active));
        }
}

static void print_json(const struct activity *s, int64_t from, int64_t to)
{
        json_object *root = json_object_new_object(), *days = json_object_new_array(), *machines;
        char date[TIME_BUF];

        for (int64_t i = from; i <= to; i++) {
                const struct activity_day *d = &s->days[i - s->first_day];
                json_object *o = json_object_new_object(), *br = json_object_new_object();

                date_label(date, s, i);
                json_object_object_add(o, "date", json_object_new_string(date));
                json_object_object_add(o, "active", json_object_new_int64((int64_t) (d->active / USEC_PER_SEC)));
                json_object_object_add(o, "longest", json_object_new_int64((int64_t) (d->longest / USEC_PER_SEC)));
                json_object_object_add(o, "active_outside_hours",
                                       json_object_new_int64((int64_t) (d->active_off / USEC_PER_SEC)));
                machines = json_object_new_object();
                for (size_t m = 0; m < s->n_machines; m++)
                        json_object_object_add(machines, s->machines[m].id[0] ? s->machines[m].id : "unknown",
                                               json_object_new_int64((int64_t) (d->by_machine[m] / USEC_PER_SEC)));
                json_object_object_add(o, "active_by_machine", machines);
                for (int k = 0; k < N_KINDS; k++) {
                        const struct break_counts *c = &d->k[k];
                        json_object *ko = json_object_new_object();
                        json_object_object_add(ko, "due", json_object_new_int((int) c->due));
                        json_object_object_add(ko, "taken", json_object_new_int((int) c->taken));
                        json_object_object_add(ko, "natural", json_object_new_int((int) c->natural));
                        json_object_object_add(ko, "snoozed", json_object_new_int((int) c->snoozed));
                        json_object_object_add(ko, "skipped", json_object_new_int((int) c->skipped));
                        json_object_object_add(ko, "dropped", json_object_new_int((int) c->dropped));
                        json_object_object_add(ko, "compliance",
                                               c->due ? json_object_new_int((int) compliance(c)) : NULL);
                        json_object_object_add(br, kind_names[k], ko);
                }
                json_object_object_add(o, "breaks", br);
                json_object_array_add(days, o);
        }
        json_object_object_add(root, "days", days);
        machines = json_object_new_array();
        for (size_t m = 0; m < s->n_machines; m++) {
                const struct activity_machine *mc = &s->machines[m];
                json_object *o = json_object_new_object();
                json_object_object_add(o, "id", mc->id[0] ? json_object_new_string(mc->id) : NULL);
                json_object_object_add(o, "host", mc->host[0] ? json_object_new_string(mc->host) : NULL);
                json_object_object_add(o, "history", json_object_new_string(mc->path));
                json_object_array_add(machines, o);
        }
        json_object_object_add(root, "machines", machines);
        puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY));
        json_object_put(root);
}

static void print_csv(const struct activity *s, int64_t from, int64_t to)
{
        char date[TIME_BUF];

        puts("date,active_seconds,longest_seconds,kind,due,taken,natural,snoozed,skipped,compliance_percent,dropped,"
             "active_outside_hours_seconds");
        for (int64_t i = from; i <= to; i++) {
                const struct activity_day *d = &s->days[i - s->first_day];
                date_label(date, s, i);
                for (int k = 0; k < N_KINDS; k++) {
                        const struct break_counts *c = &d->k[k];
                        printf("%s,%llu,%llu,%s,%u,%u,%u,%u,%u,", date, (unsigned long long) (d->active / USEC_PER_SEC),
                               (unsigned long long) (d->longest / USEC_PER_SEC), kind_names[k], c->due, c->taken,
                               c->natural, c->snoozed, c->skipped);
                        if (c->due)
                                printf("%u", compliance(c));
                        printf(",%u,%llu\n", c->dropped, (unsigned long long) (d->active_off / USEC_PER_SEC));
                }
        }
}

enum {
        OPT_DAYS = 256,
        OPT_JSON,
        OPT_CSV,
        OPT_HISTORY,
        OPT_ROOT,
};

static const struct cli_option stats_options[] = {
        { OPT_DAYS, "days", 0, "N", N_("a number of days"),
          N_("the last N days, ending today (default 7, at most 3650)") },
        { OPT_JSON, "json", 0, NULL, NULL, N_("print JSON") },
        { OPT_CSV, "csv", 0, NULL, NULL, N_("print CSV") },
        { OPT_HISTORY, "history", 0, "FILE", N_("a file"), N_("read FILE instead of limberd's histories") },
        ARGS_ROOT_OPTION(OPT_ROOT),
        {},
};

static const struct cli_command stats_cmd = {
        .name = "stats",
        .synopsis = "[--days N] [--json | --csv] [--history FILE] [--root DIR]",
        .summary = N_("Active time and breaks per day, from limberd's history; days start at general.day-starts."),
        .options = stats_options,
};

int cmd_stats(int argc, char **argv)
{
        _cleanup_(freep) char *path = NULL, *dir = NULL, *buf = NULL;
        struct policy_opts po = { 0 };
        struct policy *p = NULL;
        struct activity s;
        struct diags d;
        struct args a;
        bool json = false, csv = false, enabled[N_KINDS];
        uint64_t ndays = 7;
        int64_t now, today, from;
        time_t tnow = time(NULL);
        char err[1024];
        size_t size = 0;
        int c, r;

        args_init(&a, &stats_cmd, argc, argv);
        while ((c = args_next(&a)) > 0) {
                switch (c) {
                case OPT_DAYS:
                        if (parse_count(a.value, &ndays) < 0 || ndays < 1 || ndays > 3650)
                                /* TRANSLATORS: the first %s is the command (as "stats"), the second the
                                   value given; the option (--days) is what one types, not translated. */
                                return usage_error(_("%s: --days takes a number from 1 to 3650, not '%s'"), "stats",
                                                   a.value);
                        break;
                case OPT_JSON:
                        json = true;
                        break;
                case OPT_CSV:
                        csv = true;
                        break;
                case OPT_HISTORY:
                        free(path);
                        path = xstrdup(a.value);
                        break;
                case OPT_ROOT:
                        po.root = a.value;
                        break;
                }
        }
        if (c == ARGS_EXIT)
                return a.exit;
        if (a.n_pos > 0)
                /* TRANSLATORS: %s is the command (as "stats"), then the argument it does not take. */
                return usage_error(_("%s: unexpected argument '%s'"), "stats", a.pos[0]);
        if (json && csv)
                /* TRANSLATORS: %s is the command (as "stats"); --json and --csv are options. */
                return usage_error(_("%s: --json or --csv, not both"), "stats");

        if (!path) {
                dir = cli_state_dir();
                if (!dir)
                        return EXIT_FAIL;
        } else {
                r = read_file(path, (size_t) 1 << 30, &buf, &size);
                if (r == -ENOENT) /* a missing history is empty */
                        r = 0, buf = xstrdup(""), size = 0;
                if (r < 0) {
                        /* TRANSLATORS: a file, and why it could not be read. */
                        cli_error(_("%s: cannot read: %s"), path, strerror(-r));
                        return EXIT_FAIL;
                }
        }

        /* Days and the idle rule come from the policy, as limberd reads it. */
        diags_init(&d);
        (void) policy_load(&po, &p, &d);
        diags_finish(&d);
        for (int k = 0; k < N_KINDS; k++)
                enabled[k] = policy_get(p, kind_key((enum kind) k, FIELD_ENABLED));

        now = (int64_t) tnow * (int64_t) USEC_PER_SEC;
        activity_init(&s, 0, 1, (unsigned) policy_get(p, KEY_DAY_STARTS), policy_get(p, KEY_IDLE_AFTER));
        today = activity_day_index(&s, now);
        from = today - (int64_t) ndays + 1;
        activity_free(&s);
        activity_init(&s, from, (size_t) ndays, (unsigned) policy_get(p, KEY_DAY_STARTS), policy_get(p, KEY_IDLE_AFTER));
        policy_free(p);

        /* One file given: it is this machine's. Otherwise every machine's. */
        r = path ? activity_add(&s, path, buf, size, now, err, sizeof(err)) : activity_add_dir(&s, dir, now, err, sizeof(err));
        if (r < 0) {
                cli_error("%s", err);
                activity_free(&s);
                return EXIT_FAIL;
        }
        activity_finish(&s);
        if (json)
                print_json(&s, from, today);
        else if (csv)
                print_csv(&s, from, today);
        else
                print_human(&s, from, today, enabled);
        activity_free(&s);
        return EXIT_OK;
}
