/* SPDX-License-Identifier: MIT */
/*
 * limber stats [--days N] [--json | --csv] [--history FILE] [--root DIR]
 *
 * Reads the history limberd keeps in $XDG_STATE_HOME/limber/history (it stays
 * on this machine, in the user's account) and shows, per day: active time,
 * the longest unbroken active stretch, and per break kind how many were due,
 * taken, natural, snoozed and skipped, with compliance (taken per due).
 * Active time follows limberd's rule: a pause shorter than general.idle-after
 * still counts as active.
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "diag.h"
#include "limber.h"
#include "localtime.h"
#include "policy.h"
#include "trace.h"
#include "util.h"
#include "value.h"

#define DAY ((int64_t) USEC_PER_DAY)
#define MAX_DAYS 3660

struct day_stats {
        uint64_t active, longest;
        struct break_counts k[N_KINDS];
        bool seen;
};

/* Durations are measured on instants (µs since the epoch), so a clock change
 * neither adds nor removes an hour; days are local, from day-starts. */
struct stats {
        int64_t first_day; /* index of days[0] */
        struct day_stats days[MAX_DAYS];
        int64_t day_off;   /* day-starts, µs after midnight */
        unsigned day_starts; /* the same, minutes */
        uint64_t idle_after;
        int64_t stretch_day;
        uint64_t stretch;
};

static int64_t day_index(const struct stats *s, int64_t t)
{
        int64_t x = t - s->day_off;
        return x >= 0 ? x / DAY : (x - DAY + 1) / DAY;
}

/* The day index of an instant. */
static int64_t day_index_at(const struct stats *s, int64_t instant)
{
        return day_index(s, local_naive(instant));
}

static struct day_stats *day_of(struct stats *s, int64_t idx)
{
        int64_t i = idx - s->first_day;
        return i >= 0 && i < MAX_DAYS ? &s->days[i] : NULL;
}

static void close_stretch(struct stats *s)
{
        struct day_stats *d = day_of(s, s->stretch_day);

        if (d && s->stretch > d->longest)
                d->longest = s->stretch;
        s->stretch = 0;
}

/* Active time [a, b) (instants), split at day boundaries; the stretch goes on. */
static void add_active(struct stats *s, int64_t a, int64_t b)
{
        while (a < b) {
                int64_t idx = day_index_at(s, a), end = (int64_t) next_day_start((uint64_t) a, s->day_starts),
                        upto = b < end ? b : end;
                struct day_stats *d = day_of(s, idx);

                if (idx != s->stretch_day) {
                        close_stretch(s);
                        s->stretch_day = idx;
                }
                if (d) {
                        d->active += (uint64_t) (upto - a);
                        d->seen = true;
                }
                s->stretch += (uint64_t) (upto - a);
                a = upto;
        }
}

static int collect(struct stats *s, const char *path, const char *buf, size_t size, int64_t now)
{
        struct trace_reader tr;
        struct trace_event ev;
        bool have = false, active = false;
        int64_t since = 0;
        char err[512];
        int r;

        trace_reader_init(&tr, path, buf, size);
        while ((r = trace_next(&tr, &ev, err, sizeof(err))) > 0) {
                struct day_stats *d = day_of(s, day_index_at(s, ev.instant));

                if (ev.type == TRACE_RECORD && ev.kind >= 0 && d) {
                        break_counts_add(&d->k[ev.kind], ev.record);
                        d->seen = true;
                        continue;
                }
                if (ev.type != TRACE_PRESENCE)
                        continue;
                if (!have) {
                        have = true;
                        active = ev.presence == PRESENCE_ACTIVE;
                        since = ev.instant;
                } else if (active && ev.presence != PRESENCE_ACTIVE) {
                        add_active(s, since, ev.instant); /* an away spell begins */
                        active = false;
                        since = ev.instant;
                } else if (!active && ev.presence == PRESENCE_ACTIVE) {
                        if ((uint64_t) (ev.instant - since) < s->idle_after)
                                add_active(s, since, ev.instant); /* a short pause counts as active */
                        else
                                close_stretch(s);
                        active = true;
                        since = ev.instant;
                }
                /* idle -> locked: the same away spell goes on */
        }
        if (r < 0) {
                fprintf(stderr, "limber: %s\n", err);
                return -EINVAL;
        }
        if (have && active && now > since)
                add_active(s, since, now);
        close_stretch(s);
        return 0;
}

static unsigned compliance(const struct break_counts *c)
{
        return c->due ? (c->taken >= c->due ? 100 : c->taken * 100 / c->due) : 0;
}

static void date_label(char buf[static TIME_BUF], const struct stats *s, int64_t idx)
{
        format_naive(buf, idx * DAY + s->day_off);
        buf[10] = '\0';
}

static void print_human(const struct stats *s, int64_t from, int64_t to, const bool enabled[N_KINDS])
{
        char date[TIME_BUF], a[DURATION_BUF], b[DURATION_BUF];
        uint64_t max = 1;
        bool chart = use_color() || isatty(1);

        for (int64_t i = from; i <= to; i++) {
                const struct day_stats *d = &s->days[i - s->first_day];
                date_label(date, s, i);
                if (!d->seen) {
                        printf("%s  no activity recorded\n", date);
                        continue;
                }
                printf("%s  active %s, longest unbroken stretch %s\n", date, format_duration(a, d->active / USEC_PER_SEC * USEC_PER_SEC),
                       format_duration(b, d->longest / USEC_PER_SEC * USEC_PER_SEC));
                for (int k = 0; k < N_KINDS; k++) {
                        const struct break_counts *c = &d->k[k];
                        if (!enabled[k] && !c->due && !c->taken && !c->natural)
                                continue;
                        printf("  %-9s due %-3u taken %-3u natural %-3u snoozed %-3u skipped %u", kind_names[k],
                               c->due, c->taken, c->natural, c->snoozed, c->skipped);
                        if (c->due)
                                printf("%*s compliance %u%%", c->skipped < 10 ? 2 : c->skipped < 100 ? 1 : 0, "",
                                       compliance(c));
                        putchar('\n');
                }
                if (d->active > max)
                        max = d->active;
        }
        if (!chart)
                return;
        /* A bar chart of active time, in eighths of a block. */
        printf("\nActive time\n");
        for (int64_t i = from; i <= to; i++) {
                static const char *const eighths[] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
                const struct day_stats *d = &s->days[i - s->first_day];
                unsigned width = (unsigned) (d->active * 40 * 8 / max);

                date_label(date, s, i);
                printf("  %s ", date + 5);
                for (unsigned j = 0; j < width / 8; j++)
                        fputs("█", stdout);
                fputs(eighths[width % 8], stdout);
                printf(" %s\n", format_duration(a, d->active / USEC_PER_MIN * USEC_PER_MIN));
        }
}

static void print_json(const struct stats *s, int64_t from, int64_t to)
{
        json_object *root = json_object_new_object(), *days = json_object_new_array();
        char date[TIME_BUF];

        for (int64_t i = from; i <= to; i++) {
                const struct day_stats *d = &s->days[i - s->first_day];
                json_object *o = json_object_new_object(), *br = json_object_new_object();

                date_label(date, s, i);
                json_object_object_add(o, "date", json_object_new_string(date));
                json_object_object_add(o, "active", json_object_new_int64((int64_t) (d->active / USEC_PER_SEC)));
                json_object_object_add(o, "longest", json_object_new_int64((int64_t) (d->longest / USEC_PER_SEC)));
                for (int k = 0; k < N_KINDS; k++) {
                        const struct break_counts *c = &d->k[k];
                        json_object *ko = json_object_new_object();
                        json_object_object_add(ko, "due", json_object_new_int((int) c->due));
                        json_object_object_add(ko, "taken", json_object_new_int((int) c->taken));
                        json_object_object_add(ko, "natural", json_object_new_int((int) c->natural));
                        json_object_object_add(ko, "snoozed", json_object_new_int((int) c->snoozed));
                        json_object_object_add(ko, "skipped", json_object_new_int((int) c->skipped));
                        json_object_object_add(ko, "compliance",
                                               c->due ? json_object_new_int((int) compliance(c)) : NULL);
                        json_object_object_add(br, kind_names[k], ko);
                }
                json_object_object_add(o, "breaks", br);
                json_object_array_add(days, o);
        }
        json_object_object_add(root, "days", days);
        puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY));
        json_object_put(root);
}

static void print_csv(const struct stats *s, int64_t from, int64_t to)
{
        char date[TIME_BUF];

        puts("date,active_seconds,longest_seconds,kind,due,taken,natural,snoozed,skipped,compliance_percent");
        for (int64_t i = from; i <= to; i++) {
                const struct day_stats *d = &s->days[i - s->first_day];
                date_label(date, s, i);
                for (int k = 0; k < N_KINDS; k++) {
                        const struct break_counts *c = &d->k[k];
                        printf("%s,%llu,%llu,%s,%u,%u,%u,%u,%u,", date, (unsigned long long) (d->active / USEC_PER_SEC),
                               (unsigned long long) (d->longest / USEC_PER_SEC), kind_names[k], c->due, c->taken,
                               c->natural, c->snoozed, c->skipped);
                        if (c->due)
                                printf("%u", compliance(c));
                        putchar('\n');
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
        { OPT_DAYS, "days", 0, "N", "a number of days", "the last N days, ending today (default 7, at most 3650)" },
        { OPT_JSON, "json", 0, NULL, NULL, "print JSON" },
        { OPT_CSV, "csv", 0, NULL, NULL, "print CSV" },
        { OPT_HISTORY, "history", 0, "FILE", "a file", "read FILE instead of limberd's history" },
        ARGS_ROOT_OPTION(OPT_ROOT),
        {},
};

static const struct cli_command stats_cmd = {
        .name = "stats",
        .synopsis = "[--days N] [--json | --csv] [--history FILE] [--root DIR]",
        .summary = "Active time and breaks per day, from limberd's history; days start at general.day-starts.",
        .options = stats_options,
};

int cmd_stats(int argc, char **argv)
{
        _cleanup_(freep) char *path = NULL, *state = NULL, *buf = NULL;
        struct policy_opts po = { 0 };
        struct policy *p = NULL;
        struct stats *s;
        struct diags d;
        struct args a;
        bool json = false, csv = false, enabled[N_KINDS];
        uint64_t ndays = 7;
        int64_t now, today, from;
        time_t tnow = time(NULL);
        size_t size = 0;
        int c, r;

        args_init(&a, &stats_cmd, argc, argv);
        while ((c = args_next(&a)) > 0) {
                switch (c) {
                case OPT_DAYS:
                        if (parse_count(a.value, &ndays) < 0 || ndays < 1 || ndays > 3650)
                                return usage_error("stats: --days takes a number from 1 to 3650, not '%s'", a.value);
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
                return usage_error("stats: unexpected argument '%s'", a.pos[0]);
        if (json && csv)
                return usage_error("stats: --json or --csv, not both");

        if (!path) {
                state = xdg_dir("XDG_STATE_HOME", ".local/state");
                if (!state) {
                        fprintf(stderr, "limber: neither XDG_STATE_HOME nor HOME is set\n");
                        return EXIT_FAIL;
                }
                path = xasprintf("%s/limber/history", state);
        }
        r = read_file(path, (size_t) 1 << 30, &buf, &size);
        if (r == -ENOENT) {
                buf = xstrdup("");
        } else if (r < 0) {
                fprintf(stderr, "limber: %s: cannot read: %s\n", path, strerror(-r));
                return EXIT_FAIL;
        }

        /* Days and the idle rule come from the policy, as limberd reads it. */
        diags_init(&d);
        (void) policy_load(&po, &p, &d);
        diags_finish(&d);

        s = xcalloc(1, sizeof(*s));
        s->day_starts = (unsigned) policy_get(p, KEY_DAY_STARTS);
        s->day_off = (int64_t) s->day_starts * (int64_t) USEC_PER_MIN;
        s->idle_after = policy_get(p, KEY_IDLE_AFTER);
        for (int k = 0; k < N_KINDS; k++)
                enabled[k] = policy_get(p, kind_key((enum kind) k, FIELD_ENABLED));
        policy_free(p);

        now = (int64_t) tnow * (int64_t) USEC_PER_SEC;
        today = day_index_at(s, now);
        from = today - (int64_t) ndays + 1;
        s->first_day = from;
        s->stretch_day = from;
        r = collect(s, path, buf, size, now);
        if (r < 0) {
                free(s);
                return EXIT_FAIL;
        }
        if (json)
                print_json(s, from, today);
        else if (csv)
                print_csv(s, from, today);
        else
                print_human(s, from, today, enabled);
        free(s);
        return EXIT_OK;
}
