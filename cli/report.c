/* SPDX-License-Identifier: MIT */
/*
 * limber report [--weeks N] [--until DATE] [--html FILE | --markdown]
 *
 * One printable page for a clinician, from the user's own records: active
 * time and the longest unbroken stretch per day, breaks due, taken, snoozed
 * and skipped, flare and recovery days, pain and fatigue over time, and a
 * plain lagged comparison (pain on the day after the most active days
 * against the day after the least active ones), with no causal claim.
 *
 * The HTML is self-contained: inline SVG charts and CSS, no scripts, no
 * fonts or anything else fetched, laid out for one A4 page. Without --html,
 * the same in plain text (or Markdown) on standard output.
 */
#include <errno.h>
#include <langinfo.h>
#include <stdarg.h>
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
#include "userstate.h"
#include "util.h"
#include "value.h"
#include "words.h"

#define MAX_WEEKS 12
#define LAG_MIN_PAIRS 6
#define MAX_NOTES 6

/* Notes that still fit on the page next to a week table this long. */
static size_t notes_room(unsigned weeks)
{
        return weeks <= 4 ? MAX_NOTES : weeks < 10 ? 10 - weeks : 0;
}

/* Buffers for a line of text a translation may make longer. */
#define TEXT_BUF 256

struct rday {
        int64_t idx;
        const struct activity_day *a;
        unsigned due, taken, snoozed, skipped;
        int pain_sum, pain_n, fatigue_sum, fatigue_n;
};

/* The lagged comparison: pain the day after the most and the least active days. */
struct lag {
        size_t pairs, group;              /* days with a pain check-in the day after; days per group */
        double high_pain, low_pain;       /* mean pain the day after */
        uint64_t high_from, high_to;      /* active time of the most active group */
        uint64_t low_from, low_to;        /* …of the least active */
};

struct report {
        int64_t from, until;
        size_t n;
        struct rday *d;
        struct activity a;
        struct journal j;
        unsigned weeks;
        uint64_t quota, daily_limit; /* the policy now; 0: pacing off / no limit */
        /* summary */
        size_t days_active, flare_days, recovery_days, checkins, pain_days;
        size_t days_due, days_kept; /* days with breaks due; of them, days with every one taken */
        uint64_t active_sum, longest_max;
        unsigned due, taken, snoozed, skipped;
        double pain_mean, fatigue_mean;
        uint64_t longest_median;
        struct lag lag;
        char hosts[256];
};

/* ---- numbers ------------------------------------------------------------------------ */

static int weekday(int64_t idx)
{
        return (int) (((idx + 3) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
}

static void day_parts(int64_t idx, int *month, int *mday)
{
        char d[11];

        local_day_label(idx, d);
        *month = atoi(d + 5);
        *mday = atoi(d + 8);
}

/* The abbreviated names of a weekday (0: Monday) and of a month (1: January)
 * in the user's language (LC_TIME): "Mon" and "Nov" in the C locale. */
static const char *weekday_name(int wd)
{
        return nl_langinfo(ABDAY_1 + (wd + 1) % 7);
}

static const char *month_name(int month)
{
        return nl_langinfo(ABMON_1 + month - 1);
}

/* "16 Nov", in the order of the user's language. */
static char *day_month(char buf[static TEXT_BUF], int64_t idx)
{
        int month, mday;

        day_parts(idx, &month, &mday);
        /* TRANSLATORS: a day of the month and the abbreviated name of its month, as "16 Nov", on
           the report's charts and in its week table. Put them in your language's order
           ("%2$s %1$d" gives "Nov 16"). */
        snprintf(buf, TEXT_BUF, _("%d %s"), mday, month_name(month));
        return buf;
}

static double pain_of(const struct rday *d)
{
        return d->pain_n ? (double) d->pain_sum / d->pain_n : -1;
}

static double fatigue_of(const struct rday *d)
{
        return d->fatigue_n ? (double) d->fatigue_sum / d->fatigue_n : -1;
}

/* "3h5m", whole minutes. */
static char *hm(char buf[static DURATION_BUF], uint64_t usec)
{
        return format_duration(buf, (usec + USEC_PER_MIN / 2) / USEC_PER_MIN * USEC_PER_MIN);
}

static int compare_u64(const void *x, const void *y)
{
        uint64_t a = *(const uint64_t *) x, b = *(const uint64_t *) y;
        return a < b ? -1 : a > b;
}

struct pair {
        uint64_t active;
        double pain_next;
        int64_t idx;
};

static int compare_pairs(const void *x, const void *y)
{
        const struct pair *a = x, *b = y;

        if (a->active != b->active)
                return a->active < b->active ? -1 : 1;
        return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static void compute_lag(struct report *r)
{
        _cleanup_(freep) struct pair *p = xcalloc(r->n, sizeof(*p));
        size_t n = 0, g;
        double hi = 0, lo = 0;

        for (size_t i = 0; i + 1 < r->n; i++)
                if (r->d[i].a->active > 0 && r->d[i + 1].pain_n)
                        p[n++] = (struct pair){ r->d[i].a->active, pain_of(&r->d[i + 1]), r->d[i].idx };
        r->lag.pairs = n;
        if (n < LAG_MIN_PAIRS)
                return;
        qsort(p, n, sizeof(*p), compare_pairs);
        g = n / 3;
        for (size_t i = 0; i < g; i++) {
                lo += p[i].pain_next;
                hi += p[n - 1 - i].pain_next;
        }
        r->lag.group = g;
        r->lag.low_pain = lo / (double) g;
        r->lag.high_pain = hi / (double) g;
        r->lag.low_from = p[0].active;
        r->lag.low_to = p[g - 1].active;
        r->lag.high_from = p[n - g].active;
        r->lag.high_to = p[n - 1].active;
}

static void compute(struct report *r)
{
        _cleanup_(freep) uint64_t *longest = xcalloc(r->n, sizeof(*longest));
        double pain = 0, fatigue = 0;
        size_t np = 0, nf = 0;

        for (size_t i = 0; i < r->j.n; i++) {
                const struct checkin *c = &r->j.v[i];
                int64_t idx = local_day_index(c->instant, r->a.day_starts);
                struct rday *d;

                if (idx < r->from || idx > r->until)
                        continue;
                d = &r->d[idx - r->from];
                r->checkins++;
                if (c->pain != JOURNAL_SCORE_NONE) {
                        d->pain_sum += c->pain;
                        d->pain_n++;
                }
                if (c->fatigue != JOURNAL_SCORE_NONE) {
                        d->fatigue_sum += c->fatigue;
                        d->fatigue_n++;
                }
        }
        for (size_t i = 0; i < r->n; i++) {
                struct rday *d = &r->d[i];

                for (int k = 0; k < N_KINDS; k++) {
                        d->due += d->a->k[k].due;
                        d->taken += d->a->k[k].taken;
                        d->snoozed += d->a->k[k].snoozed;
                        d->skipped += d->a->k[k].skipped;
                }
                if (d->due) {
                        r->days_due++;
                        r->days_kept += d->taken >= d->due && !d->skipped;
                }
                r->due += d->due;
                r->taken += d->taken;
                r->snoozed += d->snoozed;
                r->skipped += d->skipped;
                r->flare_days += d->a->flare;
                r->recovery_days += d->a->recovery && !d->a->flare;
                if (d->a->active) {
                        longest[r->days_active++] = d->a->longest;
                        r->active_sum += d->a->active;
                        if (d->a->longest > r->longest_max)
                                r->longest_max = d->a->longest;
                }
                if (d->pain_n) {
                        pain += pain_of(d);
                        np++;
                }
                if (d->fatigue_n) {
                        fatigue += fatigue_of(d);
                        nf++;
                }
        }
        r->pain_days = np;
        r->pain_mean = np ? pain / (double) np : -1;
        r->fatigue_mean = nf ? fatigue / (double) nf : -1;
        if (r->days_active) {
                qsort(longest, r->days_active, sizeof(*longest), compare_u64);
                r->longest_median = r->days_active % 2 ? longest[r->days_active / 2]
                                                       : (longest[r->days_active / 2 - 1] +
                                                          longest[r->days_active / 2]) / 2;
        }
        compute_lag(r);
}

/* ---- shared text ---------------------------------------------------------------------- */

static void period(const struct report *r, char buf[static TEXT_BUF])
{
        char a[11], b[11];

        local_day_label(r->from, a);
        local_day_label(r->until, b);
        /* TRANSLATORS: the report's period: its first and last day, and how many weeks. */
        snprintf(buf, TEXT_BUF, ngettext("%s to %s (%u week)", "%s to %s (%u weeks)", r->weeks), a, b, r->weeks);
}

static void score(char buf[static 8], double v)
{
        if (v < 0)
                snprintf(buf, 8, "-");
        else
                snprintf(buf, 8, "%.1f", v);
}

/* The comparison in words; esc() escapes for the output format. */
static void lag_text(const struct report *r, struct strbuf *b)
{
        char a1[DURATION_BUF], a2[DURATION_BUF], a3[DURATION_BUF], a4[DURATION_BUF], pairs[TEXT_BUF];

        if (r->lag.pairs < LAG_MIN_PAIRS) {
                /* TRANSLATORS: the report's comparison of activity and the next day's pain, when too
                   few days have a pain check-in the day after: how many do, and how many it needs (6). */
                strbuf_printf(b,
                              ngettext("Only %zu day with activity had a pain check-in the next day; at least %d "
                                       "are needed for this comparison.",
                                       "Only %zu days with activity had a pain check-in the next day; at least %d "
                                       "are needed for this comparison.",
                                       r->lag.pairs),
                              r->lag.pairs, LAG_MIN_PAIRS);
                return;
        }
        /* TRANSLATORS: the days the report's comparison rests on (6 or more), in "(23 days had a pain
           check-in the day after)". */
        snprintf(pairs, sizeof(pairs),
                 ngettext("%zu day had a pain check-in the day after", "%zu days had a pain check-in the day after",
                          r->lag.pairs),
                 r->lag.pairs);
        /* TRANSLATORS: the report's comparison: the number of days in each group (2 or more); the
           least and most active time of the most active days; their next days' mean pain (0 to 10);
           the same for the least active days; then "23 days had a pain check-in the day after". */
        strbuf_printf(b,
                      ngettext("On the day after the %zu most active day (%s to %s active), pain averaged %.1f; on "
                               "the day after the %zu least active day (%s to %s), %.1f (%s). This sets days side "
                               "by side; it does not show what causes what.",
                               "On the day after the %zu most active days (%s to %s active), pain averaged %.1f; on "
                               "the day after the %zu least active days (%s to %s), %.1f (%s). This sets days side "
                               "by side; it does not show what causes what.",
                               r->lag.group),
                      r->lag.group, hm(a1, r->lag.high_from), hm(a2, r->lag.high_to), r->lag.high_pain, r->lag.group,
                      hm(a3, r->lag.low_from), hm(a4, r->lag.low_to), r->lag.low_pain, pairs);
}

static void taken_text(const struct report *r, struct strbuf *b)
{
        if (!r->due) {
                strbuf_printf(b, "%s", _("No break or rest came due."));
                return;
        }
        /* TRANSLATORS: breaks taken of those that came due (the English says "breaks" for any
           number), the percentage, how many were snoozed and skipped. */
        strbuf_printf(b,
                      ngettext("%u of %u breaks and rests taken when due (%u%%); %u snoozed, %u skipped.",
                               "%u of %u breaks and rests taken when due (%u%%); %u snoozed, %u skipped.", r->due),
                      r->taken, r->due, r->taken * 100 / r->due, r->snoozed, r->skipped);
        strbuf_printf(b, " ");
        /* TRANSLATORS: the days on which every break that came due was taken, of the days with breaks
           due (the English says "days" for any number). */
        strbuf_printf(b,
                      ngettext("All taken on %zu of the %zu days with breaks due: stopping on time, also on a good "
                               "day, is the skill pacing builds.",
                               "All taken on %zu of the %zu days with breaks due: stopping on time, also on a good "
                               "day, is the skill pacing builds.",
                               r->days_due),
                      r->days_kept, r->days_due);
}

/* Flare and recovery days as runs: "2026-11-16 to 2026-11-18". */
static void runs(const struct report *r, bool recovery, struct strbuf *b)
{
        size_t n = 0;

        for (size_t i = 0; i < r->n; i++) {
                bool in = recovery ? r->d[i].a->recovery && !r->d[i].a->flare : r->d[i].a->flare;
                size_t j = i;
                char a[11], c[11];

                if (!in)
                        continue;
                while (j + 1 < r->n &&
                       (recovery ? r->d[j + 1].a->recovery && !r->d[j + 1].a->flare : r->d[j + 1].a->flare))
                        j++;
                local_day_label(r->d[i].idx, a);
                local_day_label(r->d[j].idx, c);
                strbuf_printf(b, "%s", n++ ? ", " : "");
                if (i == j)
                        strbuf_printf(b, "%s", a);
                else
                        /* TRANSLATORS: a run of days, its first and its last day: "2026-11-16 to 2026-11-18". */
                        strbuf_printf(b, _("%s to %s"), a, c);
                i = j;
        }
        if (!n)
                /* TRANSLATORS: no flare days, or no recovery days, in "Flare days: none; recovery days: none." */
                strbuf_printf(b, "%s", C_("days", "none"));
}

/* ---- plain text and Markdown -------------------------------------------------------------- */

enum { N_COLUMNS = 10 };

/* One row of the day by day table: Markdown, or plain text in columns width wide. */
static void print_row(const char *const cell[N_COLUMNS], const int width[N_COLUMNS], bool md)
{
        if (md) {
                putchar('|');
                for (int i = 0; i < N_COLUMNS; i++)
                        printf(" %s |", cell[i]);
                putchar('\n');
                return;
        }
        for (int i = 0; i < N_COLUMNS; i++) {
                if (i)
                        putchar(' ');
                /* Text on the left (the day and the flare columns), numbers on the right. */
                print_cell(stdout, cell[i], width[i], i != 0 && i != 7);
        }
        putchar('\n');
}

/* The day by day table: plain text with its columns as wide as their
 * headings and cells in display columns, or Markdown. */
static void print_days(const struct report *r, bool md)
{
        static const int min_width[N_COLUMNS] = { 14, 7, 8, 4, 6, 8, 8, 9, 5, 8 };
        const char *head[N_COLUMNS], *flare_day, *recovery_day;
        int width[N_COLUMNS] = { 0 };

        /* TRANSLATORS: a column of the report's day by day table: the weekday and the date. */
        head[0] = C_("column", "day");
        /* TRANSLATORS: a column: the day's active time. */
        head[1] = C_("column", "active");
        /* TRANSLATORS: a column of the report's plain-text table: the day's longest stretch of
           activity without a break. Keep it short (up to 8 characters) if you can. */
        head[2] = md ? C_("column", "longest stretch") : C_("column", "longest");
        /* TRANSLATORS: a column: how many breaks came due that day. */
        head[3] = C_("column", "due");
        /* TRANSLATORS: a column: how many breaks were taken that day. */
        head[4] = C_("column", "taken");
        /* TRANSLATORS: a column: how many breaks were snoozed that day. */
        head[5] = C_("column", "snoozed");
        /* TRANSLATORS: a column: how many breaks were skipped that day. */
        head[6] = C_("column", "skipped");
        /* TRANSLATORS: a column: whether the day was a flare day or a day of recovery after one. */
        head[7] = C_("column", "flare");
        /* TRANSLATORS: a column: the day's pain score (0 to 10). */
        head[8] = C_("column", "pain");
        /* TRANSLATORS: a column: the day's fatigue score (0 to 10). */
        head[9] = C_("column", "fatigue");
        /* TRANSLATORS: in the report's "flare" column: a flare day. */
        flare_day = C_("report day", "flare");
        /* TRANSLATORS: in the report's "flare" column: a day of recovery after a flare. */
        recovery_day = C_("report day", "recovery");

        if (!md) {
                for (int i = 0; i < N_COLUMNS; i++)
                        width[i] = column_width(min_width[i], head[i]);
                for (int wd = 0; wd < 7; wd++) { /* the day: "Mon 11-16" */
                        char day[TEXT_BUF + 8];

                        snprintf(day, sizeof(day), "%s 11-16", weekday_name(wd));
                        width[0] = column_width(width[0], day);
                }
                width[7] = column_width(column_width(width[7], flare_day), recovery_day);
        }
        print_row(head, width, md);
        if (md)
                printf("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|\n");
        for (size_t i = 0; i < r->n; i++) {
                const struct rday *d = &r->d[i];
                char label[TEXT_BUF], date[11], a1[DURATION_BUF], a2[DURATION_BUF], p[8], f[8];
                char due[16], taken[16], snoozed[16], skipped[16];
                const char *cell[N_COLUMNS];

                local_day_label(d->idx, date);
                snprintf(label, sizeof(label), "%s %s", weekday_name(weekday(d->idx)), date + 5);
                score(p, pain_of(d));
                score(f, fatigue_of(d));
                snprintf(due, sizeof(due), "%u", d->due);
                snprintf(taken, sizeof(taken), "%u", d->taken);
                snprintf(snoozed, sizeof(snoozed), "%u", d->snoozed);
                snprintf(skipped, sizeof(skipped), "%u", d->skipped);
                cell[0] = label;
                cell[1] = d->a->active ? hm(a1, d->a->active) : "-";
                cell[2] = d->a->active ? hm(a2, d->a->longest) : "-";
                cell[3] = due;
                cell[4] = taken;
                cell[5] = snoozed;
                cell[6] = skipped;
                cell[7] = d->a->flare ? flare_day : d->a->recovery ? recovery_day : "";
                cell[8] = p;
                cell[9] = f;
                print_row(cell, width, md);
        }
}

static void print_text(const struct report *r, bool md)
{
        char per[TEXT_BUF], a1[DURATION_BUF], a2[DURATION_BUF], a3[DURATION_BUF], p[8], f[8], date[11], days[TEXT_BUF];
        struct strbuf b = { 0 }, fl = { 0 }, rc = { 0 };
        const char *item = md ? "- " : "";

        period(r, per);
        fputs(md ? "# " : "", stdout);
        /* TRANSLATORS: the report's title; %s is its period ("2026-11-02 to 2026-11-29 (4 weeks)"). */
        printf(_("Activity and symptoms, %s"), per);
        fputs("\n\n", stdout);
        if (r->hosts[0])
                /* TRANSLATORS: under the report's title; %s names the computers ("desk, laptop"). */
                printf(_("From limber's records of computer activity (%s) and the check-ins logged."), r->hosts);
        else
                fputs(_("From limber's records of computer activity and the check-ins logged."), stdout);
        fputs("\n\n", stdout);
        if (md)
                /* TRANSLATORS: a heading of the report. */
                printf("## %s\n\n", _("Summary"));
        fputs(item, stdout);
        /* TRANSLATORS: the report's summary: the days with activity of all the days, the mean
           active time of those days, and the median and the longest of their longest stretches
           without a break. */
        printf(ngettext("Activity recorded on %zu of %zu day, %s a day on average; longest unbroken stretch: median "
                        "%s, at most %s.",
                        "Activity recorded on %zu of %zu days, %s a day on average; longest unbroken stretch: median "
                        "%s, at most %s.",
                        r->n),
               r->days_active, r->n, hm(a1, r->days_active ? r->active_sum / r->days_active : 0),
               hm(a2, r->longest_median), hm(a3, r->longest_max));
        putchar('\n');
        taken_text(r, &b);
        printf("%s%s\n", item, b.s);
        runs(r, false, &fl);
        runs(r, true, &rc);
        fputs(item, stdout);
        /* TRANSLATORS: the flare days and the recovery days, as dates and runs of dates, or "none". */
        printf(_("Flare days: %s; recovery days: %s."), fl.s, rc.s);
        putchar('\n');
        score(p, r->pain_mean);
        score(f, r->fatigue_mean);
        /* TRANSLATORS: the days with check-ins, in "30 check-ins on 27 days". */
        snprintf(days, sizeof(days), ngettext("%zu day", "%zu days", r->pain_days), r->pain_days);
        fputs(item, stdout);
        /* TRANSLATORS: the report's summary: the number of check-ins, on how many days ("27 days"),
           the mean pain and the mean fatigue (scores from 0 to 10, or "-"). */
        printf(ngettext("%zu check-in on %s; average pain %s, fatigue %s (0 to 10).",
                        "%zu check-ins on %s; average pain %s, fatigue %s (0 to 10).", r->checkins),
               r->checkins, days, p, f);
        fputs("\n\n", stdout);

        if (md)
                /* TRANSLATORS: a heading of the report: the table of the days. */
                printf("## %s\n\n", _("Day by day"));
        print_days(r, md);
        free(b.s);
        b = (struct strbuf){ 0 };
        lag_text(r, &b);
        if (md) {
                /* TRANSLATORS: a heading of the report: a comparison of active days and the next day's pain. */
                printf("\n## %s\n\n%s\n", _("Activity and pain the next day"), b.s);
        } else {
                putchar('\n');
                /* TRANSLATORS: the comparison of active days and the next day's pain, after its heading. */
                printf(_("Activity and pain the next day: %s"), b.s);
                putchar('\n');
        }
        {
                size_t shown = 0;
                for (size_t i = r->j.n; i-- > 0 && shown < MAX_NOTES;) {
                        const struct checkin *c = &r->j.v[i];
                        int64_t idx = local_day_index(c->instant, r->a.day_starts);
                        if (!c->note || idx < r->from || idx > r->until)
                                continue;
                        if (!shown++) {
                                if (md)
                                        /* TRANSLATORS: a heading of the report: the notes of the check-ins. */
                                        printf("\n## %s\n\n", _("Notes"));
                                else
                                        /* TRANSLATORS: the heading of the notes of the check-ins, in plain text. */
                                        printf("\n%s\n", _("Notes:"));
                        }
                        local_day_label(idx, date);
                        printf(md ? "- %s: %s\n" : "  %s  %s\n", date, c->note);
                }
        }
        /* TRANSLATORS: the end of the report in plain text and Markdown. */
        printf(md ? "\n---\n\n*%s*\n" : "\n%s\n",
               _("A summary of what limber recorded, to talk over with your clinician. It is not a diagnosis."));
        free(b.s);
        free(fl.s);
        free(rc.s);
}

/* ---- HTML ------------------------------------------------------------------------------ */

/* s escaped for an attribute's value, or for the text of an element (where
 * quotes stay as they are). */
static void esc_in(FILE *out, const char *s, bool attribute)
{
        for (; *s; s++)
                switch (*s) {
                case '&':
                        fputs("&amp;", out);
                        break;
                case '<':
                        fputs("&lt;", out);
                        break;
                case '>':
                        fputs("&gt;", out);
                        break;
                case '"':
                        fputs(attribute ? "&quot;" : "\"", out);
                        break;
                case '\'':
                        fputs(attribute ? "&#39;" : "'", out);
                        break;
                default:
                        fputc(*s, out);
                }
}

/* Text from the records (notes, host names), escaped for anywhere. */
static void esc(FILE *out, const char *s)
{
        esc_in(out, s, true);
}

/* Text of limber's own (and its translation), in an element. */
static void esc_text(FILE *out, const char *s)
{
        esc_in(out, s, false);
}

/* Formats, then escapes for the text of an element. */
_printf_(2, 3) static void escf(FILE *out, const char *fmt, ...)
{
        _cleanup_(freep) char *s = NULL;
        va_list ap;

        va_start(ap, fmt);
        s = xvasprintf(fmt, ap);
        va_end(ap);
        esc_text(out, s);
}

/* The first character of s (of however many bytes), escaped. */
static void esc_initial(FILE *out, const char *s)
{
        char c[8] = "";
        int n = mblen(s, MB_CUR_MAX);

        if (n < 1 || n >= (int) sizeof(c))
                n = *s ? 1 : 0;
        memcpy(c, s, (size_t) n);
        esc_text(out, c);
}

/* The plot area of both charts, in the SVG's own units. */
#define CW 720
#define X0 44
#define X1 712

static double slot(const struct report *r)
{
        return (double) (X1 - X0) / (double) r->n;
}

/* Flare and recovery days behind a chart, and the day labels under it. */
static void chart_days(FILE *out, const struct report *r, int top, int bottom, bool labels)
{
        double w = slot(r);

        /* One band per run of days, so that no seam shows between them. */
        for (size_t i = 0; i < r->n; i++) {
                const struct activity_day *a = r->d[i].a;
                size_t j = i;

                if (!a->flare && !a->recovery)
                        continue;
                while (j + 1 < r->n && r->d[j + 1].a->flare == a->flare && r->d[j + 1].a->recovery == a->recovery)
                        j++;
                fprintf(out, "<rect class=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"/>\n",
                        a->flare ? "flare" : "recovery", X0 + w * (double) i, top, w * (double) (j - i + 1),
                        bottom - top);
                i = j;
        }
        if (!labels)
                return;
        for (size_t i = 0; i < r->n; i++) {
                char date[TEXT_BUF];
                double x = X0 + w * ((double) i + 0.5);

                /* Each day's initial ("M" for Monday), and the date of each Monday. */
                if (r->n <= 31 || weekday(r->d[i].idx) == 0) {
                        fprintf(out, "<text class=\"wd\" x=\"%.1f\" y=\"%d\">", x, bottom + 11);
                        esc_initial(out, weekday_name(weekday(r->d[i].idx)));
                        fputs("</text>\n", out);
                }
                if (weekday(r->d[i].idx) != 0 && i != 0)
                        continue;
                fprintf(out, "<text class=\"date\" x=\"%.1f\" y=\"%d\">", x, bottom + 23);
                esc_text(out, day_month(date, r->d[i].idx));
                fputs("</text>\n", out);
        }
}

static void chart_active(FILE *out, const struct report *r)
{
        const int top = 10, bottom = 128;
        uint64_t max = USEC_PER_HOUR, step;
        double w = slot(r), bw = w * 0.72;
        char a1[DURATION_BUF];

        for (size_t i = 0; i < r->n; i++)
                if (r->d[i].a->active > max)
                        max = r->d[i].a->active;
        if (r->daily_limit > max)
                max = r->daily_limit;
        step = max > 6 * USEC_PER_HOUR ? 2 * USEC_PER_HOUR : USEC_PER_HOUR;
        max = (max + step - 1) / step * step;

        fprintf(out, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", CW, bottom + 28);
        /* TRANSLATORS: what the report's first chart shows, for screen readers. */
        esc(out, _("Active time per day, and the longest unbroken stretch"));
        fputs("\">\n", out);
        chart_days(out, r, top, bottom, true);
        for (uint64_t v = 0; v <= max; v += step) {
                double y = bottom - (double) (bottom - top) * (double) v / (double) max;
                fprintf(out, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>\n", X0, X1, y, y);
                fprintf(out, "<text class=\"axis\" x=\"%d\" y=\"%.1f\">%lluh</text>\n", X0 - 6, y + 3.5,
                        (unsigned long long) (v / USEC_PER_HOUR));
        }
        for (size_t i = 0; i < r->n; i++) {
                const struct activity_day *a = r->d[i].a;
                double x = X0 + w * (double) i + (w - bw) / 2,
                       ha = (double) (bottom - top) * (double) a->active / (double) max,
                       hl = (double) (bottom - top) * (double) a->longest / (double) max;
                char date[11];

                if (!a->active)
                        continue;
                local_day_label(r->d[i].idx, date);
                fprintf(out, "<rect class=\"active\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>", x,
                        bottom - ha, bw, ha);
                /* TRANSLATORS: the tooltip of a day's bar on the report's chart: the date and the
                   day's active time. */
                escf(out, _("%s: %s active"), date, hm(a1, a->active));
                fputs("</title></rect>\n", out);
                fprintf(out, "<rect class=\"longest\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n",
                        x + bw * 0.2, bottom - hl, bw * 0.6, hl);
        }
        if (r->daily_limit) {
                double y = bottom - (double) (bottom - top) * (double) r->daily_limit / (double) max;
                fprintf(out, "<line class=\"limit\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>\n", X0, X1, y, y);
                fprintf(out, "<text class=\"limitlabel\" x=\"%d\" y=\"%.1f\">", X1, y - 3);
                /* TRANSLATORS: the label of the pacing daily limit's line on the report's chart; %s is
                   a duration ("4h"). */
                escf(out, _("daily limit %s"), hm(a1, r->daily_limit));
                fputs("</text>\n", out);
        }
        fprintf(out, "<line class=\"base\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>\n</svg>\n", X0, X1, bottom,
                bottom);
}

static void series(FILE *out, const struct report *r, bool fatigue, int top, int bottom)
{
        double w = slot(r);
        bool open = false;

        for (size_t i = 0; i < r->n; i++) {
                double v = fatigue ? fatigue_of(&r->d[i]) : pain_of(&r->d[i]);
                double x = X0 + w * ((double) i + 0.5), y = bottom - (bottom - top) * v / 10.0;

                if (v < 0) {
                        if (open)
                                fputs("\"/>\n", out);
                        open = false;
                        continue;
                }
                if (!open)
                        fprintf(out, "<polyline class=\"%s\" points=\"", fatigue ? "fatigue" : "pain");
                fprintf(out, "%s%.1f,%.1f", open ? " " : "", x, y);
                open = true;
        }
        if (open)
                fputs("\"/>\n", out);
        for (size_t i = 0; i < r->n; i++) {
                double v = fatigue ? fatigue_of(&r->d[i]) : pain_of(&r->d[i]);
                double x = X0 + w * ((double) i + 0.5), y = bottom - (bottom - top) * v / 10.0;

                if (v < 0)
                        continue;
                if (fatigue)
                        fprintf(out, "<rect class=\"fatigue-pt\" x=\"%.1f\" y=\"%.1f\" width=\"5\" height=\"5\"/>\n",
                                x - 2.5, y - 2.5);
                else
                        fprintf(out, "<circle class=\"pain-pt\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.8\"/>\n", x, y);
        }
}

static void chart_symptoms(FILE *out, const struct report *r)
{
        const int top = 8, bottom = 96;

        fprintf(out, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", CW, bottom + 28);
        /* TRANSLATORS: what the report's second chart shows, for screen readers. */
        esc(out, _("Pain and fatigue, 0 to 10, per day"));
        fputs("\">\n", out);
        chart_days(out, r, top, bottom, true);
        for (int v = 0; v <= 10; v += 2) {
                double y = bottom - (bottom - top) * v / 10.0;
                fprintf(out, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>\n", X0, X1, y, y);
                fprintf(out, "<text class=\"axis\" x=\"%d\" y=\"%.1f\">%d</text>\n", X0 - 6, y + 3.5, v);
        }
        series(out, r, true, top, bottom);
        series(out, r, false, top, bottom);
        fprintf(out, "<line class=\"base\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>\n</svg>\n", X0, X1, bottom,
                bottom);
}

static const char css[] =
        "@page { size: A4; margin: 11mm 12mm; }\n"
        "* { box-sizing: border-box; }\n"
        "html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }\n"
        "body { margin: 0; color: #1d1d1b; background: #fff;\n"
        "  font: 9pt/1.38 \"DejaVu Sans\", \"Liberation Sans\", Arial, Helvetica, sans-serif; }\n"
        "@media screen { body { width: 186mm; margin: 10mm auto; } }\n"
        "header { border-bottom: 1.5pt solid #1f4e79; padding-bottom: 2mm; margin-bottom: 3mm; }\n"
        "h1 { font-size: 15pt; margin: 0; color: #1f4e79; }\n"
        "h2 { font-size: 10.5pt; margin: 3.2mm 0 1mm; color: #1f4e79; }\n"
        ".sub { color: #555; margin: 0.6mm 0 0; }\n"
        ".figures { display: flex; gap: 2.5mm; margin: 0; }\n"
        ".figure { flex: 1; border: 0.6pt solid #c9d3dd; border-radius: 1.5mm; padding: 1.6mm 2.2mm;"
        " background: #f5f8fb; }\n"
        ".figure b { display: block; font-size: 12.5pt; color: #1f4e79; }\n"
        ".figure span { color: #444; font-size: 8pt; }\n"
        ".chart { width: 100%; height: auto; display: block; }\n"
        ".chart text { font-family: inherit; }\n"
        ".grid { stroke: #dde3e8; stroke-width: 0.8; }\n"
        ".base { stroke: #777; stroke-width: 1; }\n"
        ".axis { font-size: 9px; fill: #555; text-anchor: end; }\n"
        ".wd { font-size: 8px; fill: #777; text-anchor: middle; }\n"
        ".date { font-size: 9px; fill: #333; text-anchor: middle; }\n"
        ".active { fill: #8fb3d3; }\n"
        ".longest { fill: #1f4e79; }\n"
        ".flare { fill: #f4d3c9; }\n"
        ".recovery { fill: #fbedcf; }\n"
        ".limit { stroke: #555; stroke-width: 1; stroke-dasharray: 5 3; }\n"
        ".limitlabel { font-size: 9px; fill: #555; text-anchor: end; }\n"
        ".pain { fill: none; stroke: #b03a2e; stroke-width: 1.6; }\n"
        ".pain-pt { fill: #b03a2e; }\n"
        ".fatigue { fill: none; stroke: #6c4f9e; stroke-width: 1.4; stroke-dasharray: 4 2.5; }\n"
        ".fatigue-pt { fill: #fff; stroke: #6c4f9e; stroke-width: 1.2; }\n"
        ".legend { display: flex; flex-wrap: wrap; gap: 1mm 5mm; font-size: 8pt; color: #333;"
        " margin: 0.5mm 0 0 7mm; }\n"
        ".key { display: inline-block; width: 3.2mm; height: 3.2mm; vertical-align: -0.5mm; margin-right: 1.2mm;"
        " border: 0.4pt solid #999; }\n"
        ".line { display: inline-block; width: 6mm; height: 0; vertical-align: 0.8mm; margin-right: 1.2mm; }\n"
        "table { border-collapse: collapse; width: 100%; font-size: 8.3pt; }\n"
        "th, td { padding: 0.55mm 1.4mm; border-bottom: 0.5pt solid #d5dbe1; text-align: right;"
        " white-space: nowrap; }\n"
        "th { white-space: normal; vertical-align: bottom; }\n"
        "table.dense { font-size: 7.6pt; }\n"
        "table.dense td { padding-top: 0.2mm; padding-bottom: 0.2mm; }\n"
        "th:first-child, td:first-child { text-align: left; }\n"
        "th { color: #1f4e79; font-weight: bold; border-bottom: 1pt solid #1f4e79; }\n"
        "p { margin: 1mm 0; }\n"
        ".notes { margin: 0; padding-left: 4.5mm; }\n"
        ".notes li { margin: 0.3mm 0; }\n"
        "footer { margin-top: 3mm; padding-top: 1.2mm; border-top: 0.6pt solid #c9d3dd; color: #555;"
        " font-size: 7.8pt; }\n";

static void html_figure(FILE *out, const char *value, const char *what)
{
        fputs("<div class=\"figure\"><b>", out);
        esc(out, value);
        fputs("</b><span>", out);
        esc(out, what);
        fputs("</span></div>\n", out);
}

static void print_weeks(FILE *out, const struct report *r)
{
        char a1[DURATION_BUF], a2[DURATION_BUF], p[8], f[8], date[TEXT_BUF];
        const char *head[] = {
                /* TRANSLATORS: a column of the report's week table: the week's first and last day. */
                C_("column", "Week"),
                /* TRANSLATORS: a column of the report's week table: the days with activity. */
                C_("column", "Days active"),
                /* TRANSLATORS: a column of the report's week table: the mean active time of those days. */
                C_("column", "Active a day"),
                /* TRANSLATORS: a column of the report's week table: the week's longest stretch of activity
                   without a break. */
                C_("column", "Longest stretch"),
                /* TRANSLATORS: a column of the report's week table: how many breaks came due. */
                C_("column", "Breaks due"),
                /* TRANSLATORS: a column of the report's week table: how many breaks were taken. */
                C_("column", "Taken"),
                /* TRANSLATORS: a column of the report's week table: how many breaks were snoozed. */
                C_("column", "Snoozed"),
                /* TRANSLATORS: a column of the report's week table: how many breaks were skipped. */
                C_("column", "Skipped"),
                /* TRANSLATORS: a column of the report's week table: how many days were flare days. */
                C_("column", "Flare days"),
                /* TRANSLATORS: a column of the report's week table: the mean pain score (0 to 10). */
                C_("column", "Pain"),
                /* TRANSLATORS: a column of the report's week table: the mean fatigue score (0 to 10). */
                C_("column", "Fatigue"),
        };

        fprintf(out, "<table%s>\n", r->weeks > 8 ? " class=\"dense\"" : "");
        fputs("<tr>", out);
        for (size_t i = 0; i < ELEMENTSOF(head); i++) {
                fputs("<th>", out);
                esc_text(out, head[i]);
                fputs("</th>", out);
        }
        fputs("</tr>\n", out);
        for (size_t w = 0; w < r->weeks; w++) {
                unsigned due = 0, taken = 0, snoozed = 0, skipped = 0, flare = 0, days = 0;
                uint64_t active = 0, longest = 0;
                double pain = 0, fatigue = 0;
                int np = 0, nf = 0;

                for (size_t i = w * 7; i < (w + 1) * 7 && i < r->n; i++) {
                        const struct rday *d = &r->d[i];
                        due += d->due;
                        taken += d->taken;
                        snoozed += d->snoozed;
                        skipped += d->skipped;
                        flare += d->a->flare;
                        if (d->a->active) {
                                days++;
                                active += d->a->active;
                        }
                        if (d->a->longest > longest)
                                longest = d->a->longest;
                        if (d->pain_n) {
                                pain += pain_of(d);
                                np++;
                        }
                        if (d->fatigue_n) {
                                fatigue += fatigue_of(d);
                                nf++;
                        }
                }
                score(p, np ? pain / np : -1);
                score(f, nf ? fatigue / nf : -1);
                fputs("<tr><td>", out);
                esc_text(out, day_month(date, r->d[w * 7].idx));
                fputs(" &ndash; ", out);
                esc_text(out, day_month(date, r->d[w * 7 + 6].idx));
                fputs("</td>", out);
                fprintf(out,
                        "<td>%u</td><td>%s</td><td>%s</td><td>%u</td><td>%u</td><td>%u</td>"
                        "<td>%u</td><td>%u</td><td>%s</td><td>%s</td></tr>\n",
                        days, days ? hm(a1, active / days) : "-", longest ? hm(a2, longest) : "-", due, taken,
                        snoozed, skipped, flare, p, f);
        }
        fputs("</table>\n", out);
}

/* "<h2>heading</h2>" */
static void html_heading(FILE *out, const char *heading)
{
        fputs("<h2>", out);
        esc_text(out, heading);
        fputs("</h2>\n", out);
}

/* A key of a chart's legend: the swatch or line (markup), then its words. */
static void html_key(FILE *out, const char *swatch, const char *words)
{
        fprintf(out, "<span>%s", swatch);
        esc_text(out, words);
        fputs("</span>", out);
}

static void print_html(FILE *out, const struct report *r)
{
        char per[TEXT_BUF], a1[DURATION_BUF], a2[DURATION_BUF], v[64], what[TEXT_BUF], p[8], f[8], date[11], today[11];
        struct strbuf b = { 0 }, fl = { 0 }, rc = { 0 };
        size_t shown = 0;

        period(r, per);
        local_day_label(local_day_index((int64_t) realtime_now(), r->a.day_starts), today);
        fputs("<!DOCTYPE html>\n<html lang=\"", out);
        /* TRANSLATORS: the language of your translation as an HTML lang attribute ("de", "pt-BR"),
           for the report's page. */
        esc(out, C_("html lang", "en"));
        fputs("\">\n<head>\n<meta charset=\"utf-8\">\n", out);
        fputs("<meta name=\"color-scheme\" content=\"light\">\n<title>", out);
        escf(out, _("Activity and symptoms, %s"), per);
        fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", css);

        fputs("<header>\n<h1>", out);
        /* TRANSLATORS: the report's title on its page (the period follows under it). */
        esc_text(out, _("Activity and symptoms"));
        fputs("</h1>\n<p class=\"sub\">", out);
        if (r->hosts[0])
                /* TRANSLATORS: under the report's title: its period ("2026-11-02 to 2026-11-29 (4 weeks)"),
                   the computers ("desk, laptop"), and the day it was made. */
                escf(out,
                     _("%s. From limber's records of computer activity (%s) and the check-ins logged; made on "
                       "%s."),
                     per, r->hosts, today);
        else
                /* TRANSLATORS: under the report's title: its period ("2026-11-02 to 2026-11-29 (4 weeks)"),
                   and the day it was made. */
                escf(out, _("%s. From limber's records of computer activity and the check-ins logged; made on %s."),
                     per, today);
        if (r->quota && r->daily_limit) {
                fputs(" ", out);
                /* TRANSLATORS: the pacing policy now: a quota of activity before a rest and a daily
                   limit, as durations ("40m", "4h"). */
                escf(out, _("Pacing now: %s of activity, then a rest; at most %s a day."), hm(a1, r->quota),
                     hm(a2, r->daily_limit));
        } else if (r->quota) {
                fputs(" ", out);
                /* TRANSLATORS: the pacing policy now: a quota of activity before a rest, as a duration ("40m"). */
                escf(out, _("Pacing now: %s of activity, then a rest."), hm(a1, r->quota));
        }
        fputs("</p>\n</header>\n", out);

        fputs("<div class=\"figures\">\n", out);
        /* TRANSLATORS: under a duration, the mean active time of the days with activity: how many
           days had activity, of how many. */
        snprintf(what, sizeof(what),
                 ngettext("active a day, on the %zu of %zu day with activity",
                          "active a day, on the %zu of %zu days with activity", r->n),
                 r->days_active, r->n);
        html_figure(out, hm(a1, r->days_active ? r->active_sum / r->days_active : 0), what);
        /* TRANSLATORS: under a duration: the median of the longest stretches without a break, of the
           days with activity. */
        html_figure(out, hm(a1, r->longest_median), _("longest unbroken stretch, median of those days"));
        if (r->due)
                snprintf(v, sizeof(v), "%u%%", r->taken * 100 / r->due);
        else
                snprintf(v, sizeof(v), "-");
        /* TRANSLATORS: under a percentage: of how many breaks that came due were taken (the English
           says "breaks" for any number). */
        snprintf(what, sizeof(what),
                 ngettext("of %u breaks and rests taken when due", "of %u breaks and rests taken when due", r->due),
                 r->due);
        html_figure(out, v, what);
        snprintf(v, sizeof(v), "%zu + %zu", r->flare_days, r->recovery_days);
        /* TRANSLATORS: under "2 + 3": the number of flare days and of recovery days. */
        html_figure(out, v, _("flare days + recovery days"));
        score(p, r->pain_mean);
        score(f, r->fatigue_mean);
        snprintf(v, sizeof(v), "%s / %s", p, f);
        /* TRANSLATORS: under "4.5 / 5.1": the mean pain and fatigue scores, and the number of
           check-ins (the English says "check-ins" for any number). */
        snprintf(what, sizeof(what),
                 ngettext("average pain / fatigue (0 to 10), %zu check-ins",
                          "average pain / fatigue (0 to 10), %zu check-ins", r->checkins),
                 r->checkins);
        html_figure(out, v, what);
        fputs("</div>\n", out);

        /* TRANSLATORS: a heading of the report's page, over a chart. */
        html_heading(out, _("Active time per day"));
        chart_active(out, r);
        fputs("<div class=\"legend\">", out);
        /* TRANSLATORS: the keys of the report's chart of active time: the bars, the bars inside
           them, and the bands behind flare and recovery days. */
        html_key(out, "<i class=\"key\" style=\"background:#8fb3d3\"></i>", _("active time"));
        html_key(out, "<i class=\"key\" style=\"background:#1f4e79\"></i>", _("longest unbroken stretch"));
        html_key(out, "<i class=\"key\" style=\"background:#f4d3c9\"></i>", _("flare day"));
        html_key(out, "<i class=\"key\" style=\"background:#fbedcf\"></i>", _("recovery day"));
        fputs("</div>\n", out);

        /* TRANSLATORS: a heading of the report's page, over a chart. */
        html_heading(out, _("Pain and fatigue"));
        chart_symptoms(out, r);
        fputs("<div class=\"legend\">", out);
        /* TRANSLATORS: the keys of the report's chart of pain and fatigue: its two lines, and what
           the scores mean. */
        html_key(out, "<i class=\"line\" style=\"border-top:1.6pt solid #b03a2e\"></i>",
                 _("pain (average of the day's check-ins)"));
        html_key(out, "<i class=\"line\" style=\"border-top:1.4pt dashed #6c4f9e\"></i>", _("fatigue"));
        html_key(out, "", _("0 none, 10 the worst imaginable"));
        fputs("</div>\n", out);

        /* TRANSLATORS: a heading of the report's page, over the week table. */
        html_heading(out, _("Week by week"));
        print_weeks(out, r);
        taken_text(r, &b);
        runs(r, false, &fl);
        runs(r, true, &rc);
        fputs("<p>", out);
        esc(out, b.s);
        fputs(" ", out);
        escf(out, _("Flare days: %s; recovery days: %s."), fl.s, rc.s);
        fputs("</p>\n", out);

        free(b.s);
        b = (struct strbuf){ 0 };
        lag_text(r, &b);
        html_heading(out, _("Activity and pain the next day"));
        fputs("<p>", out);
        esc(out, b.s);
        fputs("</p>\n", out);

        for (size_t i = r->j.n; i-- > 0 && shown < notes_room(r->weeks);) {
                const struct checkin *c = &r->j.v[i];
                int64_t idx = local_day_index(c->instant, r->a.day_starts);
                if (!c->note || idx < r->from || idx > r->until)
                        continue;
                if (!shown++) {
                        /* TRANSLATORS: a heading of the report's page: the notes of the check-ins. */
                        html_heading(out, _("Notes from the journal"));
                        fputs("<ul class=\"notes\">\n", out);
                }
                local_day_label(idx, date);
                fprintf(out, "<li><b>%s</b> ", date);
                esc(out, c->note);
                fputs("</li>\n", out);
        }
        if (shown)
                fputs("</ul>\n", out);

        fputs("<footer>", out);
        /* TRANSLATORS: the end of the report's page. */
        esc_text(out, _("A summary of what limber recorded at the computer and of the check-ins logged, to talk "
                        "over with a clinician. limber counts time at the keyboard and mouse; it does not measure "
                        "other activity, and this page is not a diagnosis."));
        fputs("</footer>\n</body>\n</html>\n", out);
        free(b.s);
        free(fl.s);
        free(rc.s);
}

/* ---- the command -------------------------------------------------------------------------- */

static void add_host(struct report *r, const char *host)
{
        size_t len = strlen(r->hosts);

        if (!host[0] || strlen(host) + len + 3 >= sizeof(r->hosts))
                return;
        for (const char *p = r->hosts; (p = strstr(p, host)); p++)
                if ((p == r->hosts || p[-1] == ' ') && (p[strlen(host)] == ',' || !p[strlen(host)]))
                        return;
        snprintf(r->hosts + len, sizeof(r->hosts) - len, "%s%s", len ? ", " : "", host);
}

/* "limber: cannot write FILE: why", after a failed call that set errno. */
static void cannot_write(const char *path)
{
        int e = errno;

        /* TRANSLATORS: a file, and why it could not be written. */
        cli_error(_("cannot write %s: %s"), path, strerror(e));
}

enum {
        OPT_WEEKS = 256,
        OPT_UNTIL,
        OPT_HTML,
        OPT_MARKDOWN,
};

static const struct cli_option report_options[] = {
        { OPT_WEEKS, "weeks", 0, "N", N_("a number of weeks"),
          N_("the last N weeks, up to --until (default 4, at most 12)") },
        { OPT_UNTIL, "until", 0, "DATE", N_("a date"), N_("the last day, as 2026-11-30 (default today)") },
        { OPT_HTML, "html", 0, "FILE", N_("a file"), N_("write a self-contained A4 HTML page to FILE (-: stdout)") },
        { OPT_MARKDOWN, "markdown", 0, NULL, NULL, N_("print Markdown instead of plain text") },
        {},
};

static const struct cli_command report_cmd = {
        .name = "report",
        .synopsis = "[--weeks N] [--until DATE] [--html FILE | --markdown]",
        .summary = N_("One page for your clinician, from your history and journal."),
        .options = report_options,
};

int cmd_report(int argc, char **argv)
{
        _cleanup_(freep) char *dir = NULL;
        struct report r = { .weeks = 4 };
        struct policy *p = NULL;
        struct diags d;
        struct args a;
        const char *html = NULL;
        bool markdown = false;
        int64_t until = INT64_MIN, now = (int64_t) realtime_now();
        uint64_t weeks = 4;
        char err[1024];
        int opt, rc;

        args_init(&a, &report_cmd, argc, argv);
        while ((opt = args_next(&a)) > 0) {
                switch (opt) {
                case OPT_WEEKS:
                        if (parse_count(a.value, &weeks) < 0 || weeks < 1 || weeks > MAX_WEEKS)
                                /* TRANSLATORS: %s is the command ("report"), then the most weeks it
                                   takes (12) and the value given to --weeks. */
                                return usage_error(_("%s: --weeks takes a number from 1 to %d, not '%s'"), "report",
                                                   MAX_WEEKS, a.value);
                        break;
                case OPT_UNTIL:
                        if (parse_date(a.value, &until) < 0)
                                return usage_error(_("%s: --until takes a date like 2026-11-30, not '%s'"), "report",
                                                   a.value);
                        break;
                case OPT_HTML:
                        html = a.value;
                        break;
                case OPT_MARKDOWN:
                        markdown = true;
                        break;
                }
        }
        if (opt == ARGS_EXIT)
                return a.exit;
        if (a.n_pos > 0)
                return usage_error(_("%s: unexpected argument '%s'"), "report", a.pos[0]);
        if (html && markdown)
                /* TRANSLATORS: %s is the command ("report"); --html and --markdown are options. */
                return usage_error(_("%s: --html or --markdown, not both"), "report");

        dir = cli_state_dir();
        if (!dir)
                return EXIT_FAIL;
        diags_init(&d);
        (void) policy_load(NULL, &p, &d);
        diags_finish(&d);
        if (until == INT64_MIN)
                until = local_day_index(now, (unsigned) policy_get(p, KEY_DAY_STARTS));
        r.weeks = (unsigned) weeks;
        r.until = until;
        r.n = (size_t) weeks * 7;
        r.from = until - (int64_t) r.n + 1;
        if (policy_get(p, KEY_PACING_ENABLED)) {
                r.quota = policy_get(p, KEY_PACING_QUOTA);
                r.daily_limit = policy_get(p, KEY_PACING_DAILY_LIMIT);
        }
        activity_init(&r.a, r.from, r.n, (unsigned) policy_get(p, KEY_DAY_STARTS), policy_get(p, KEY_IDLE_AFTER));
        policy_free(p);

        rc = activity_add_dir(&r.a, dir, now, err, sizeof(err));
        if (rc >= 0) {
                activity_finish(&r.a);
                rc = journal_read_dir(dir, &r.j, err, sizeof(err));
        }
        if (rc < 0) {
                cli_error("%s", err);
                activity_free(&r.a);
                return EXIT_FAIL;
        }
        /* The machines, by the names their histories and journals give. */
        {
                struct state_file *files;
                size_t n = 0;

                if (state_files_list(dir, "history", &files, &n) >= 0) {
                        for (size_t i = 0; i < n; i++) {
                                char line[256] = "", host[64];
                                FILE *f = fopen(files[i].path, "re");

                                if (!f)
                                        continue;
                                if (!fgets(line, sizeof(line), f))
                                        line[0] = '\0';
                                fclose(f);
                                state_file_host(line, strlen(line), host, sizeof(host));
                                add_host(&r, host);
                        }
                        state_files_free(files, n);
                }
                for (size_t i = 0; i < r.j.n_files; i++)
                        add_host(&r, r.j.files[i].host);
        }
        r.d = xcalloc(r.n, sizeof(*r.d));
        for (size_t i = 0; i < r.n; i++)
                r.d[i] = (struct rday){ .idx = r.from + (int64_t) i, .a = &r.a.days[i] };
        compute(&r);

        rc = EXIT_OK;
        if (html) {
                FILE *out = streq(html, "-") ? stdout : fopen(html, "we");

                if (!out) {
                        cannot_write(html);
                        rc = EXIT_FAIL;
                } else {
                        print_html(out, &r);
                        if (out != stdout && fclose(out) != 0) {
                                cannot_write(html);
                                rc = EXIT_FAIL;
                        } else if (out != stdout) {
                                /* TRANSLATORS: %s is the file limber report wrote. */
                                printf(_("The report is in %s: one A4 page, to print or to open in a browser."), html);
                                putchar('\n');
                        }
                }
        } else {
                print_text(&r, markdown);
        }
        free(r.d);
        journal_free(&r.j);
        activity_free(&r.a);
        return rc;
}
