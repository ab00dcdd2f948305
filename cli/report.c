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

#define MAX_WEEKS 12
#define LAG_MIN_PAIRS 6
#define MAX_NOTES 6

/* Notes that still fit on the page next to a week table this long. */
static size_t notes_room(unsigned weeks)
{
        return weeks <= 4 ? MAX_NOTES : weeks < 10 ? 10 - weeks : 0;
}

static const char *const weekdays[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

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

static void period(const struct report *r, char *buf, size_t size)
{
        char a[11], b[11];

        local_day_label(r->from, a);
        local_day_label(r->until, b);
        snprintf(buf, size, "%s to %s (%u week%s)", a, b, r->weeks, r->weeks == 1 ? "" : "s");
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
        char a1[DURATION_BUF], a2[DURATION_BUF], a3[DURATION_BUF], a4[DURATION_BUF];

        if (r->lag.pairs < LAG_MIN_PAIRS) {
                strbuf_printf(b,
                              "Only %zu day%s with activity had a pain check-in the next day; at least %d are needed "
                              "for this comparison.",
                              r->lag.pairs, r->lag.pairs == 1 ? "" : "s", LAG_MIN_PAIRS);
                return;
        }
        strbuf_printf(b,
                      "On the day after the %zu most active days (%s to %s active), pain averaged %.1f; on the day "
                      "after the %zu least active days (%s to %s), %.1f (%zu days had a pain check-in the day "
                      "after). This sets days side by side; it does not show what causes what.",
                      r->lag.group, hm(a1, r->lag.high_from), hm(a2, r->lag.high_to), r->lag.high_pain, r->lag.group,
                      hm(a3, r->lag.low_from), hm(a4, r->lag.low_to), r->lag.low_pain, r->lag.pairs);
}

static void taken_text(const struct report *r, struct strbuf *b)
{
        if (!r->due) {
                strbuf_printf(b, "No break or rest came due.");
                return;
        }
        strbuf_printf(b,
                      "%u of %u breaks and rests taken when due (%u%%); %u snoozed, %u skipped. All taken on %zu "
                      "of the %zu days with breaks due: stopping on time, also on a good day, is the skill pacing "
                      "builds.",
                      r->taken, r->due, r->taken * 100 / r->due, r->snoozed, r->skipped, r->days_kept, r->days_due);
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
                if (i == j)
                        strbuf_printf(b, "%s%s", n++ ? ", " : "", a);
                else
                        strbuf_printf(b, "%s%s to %s", n++ ? ", " : "", a, c);
                i = j;
        }
        if (!n)
                strbuf_printf(b, "none");
}

/* ---- plain text and Markdown -------------------------------------------------------------- */

static void print_text(const struct report *r, bool md)
{
        char per[96], a1[DURATION_BUF], a2[DURATION_BUF], a3[DURATION_BUF], p[8], f[8], date[11];
        struct strbuf b = { 0 }, fl = { 0 }, rc = { 0 };

        period(r, per, sizeof(per));
        printf(md ? "# Activity and symptoms, %s\n\n" : "Activity and symptoms, %s\n\n", per);
        printf("From limber's records of computer activity%s%s%s and the check-ins logged.\n\n",
               r->hosts[0] ? " (" : "", r->hosts, r->hosts[0] ? ")" : "");
        if (md)
                printf("## Summary\n\n");
        printf("%sActivity recorded on %zu of %zu days, %s a day on average; longest unbroken stretch: median %s, "
               "at most %s.\n",
               md ? "- " : "", r->days_active, r->n, hm(a1, r->days_active ? r->active_sum / r->days_active : 0),
               hm(a2, r->longest_median), hm(a3, r->longest_max));
        taken_text(r, &b);
        printf("%s%s\n", md ? "- " : "", b.s);
        runs(r, false, &fl);
        runs(r, true, &rc);
        printf("%sFlare days: %s; recovery days: %s.\n", md ? "- " : "", fl.s, rc.s);
        score(p, r->pain_mean);
        score(f, r->fatigue_mean);
        printf("%s%zu check-in%s on %zu day%s; average pain %s, fatigue %s (0 to 10).\n\n", md ? "- " : "",
               r->checkins, r->checkins == 1 ? "" : "s", r->pain_days, r->pain_days == 1 ? "" : "s", p, f);

        if (md)
                printf("## Day by day\n\n| day | active | longest stretch | due | taken | snoozed | skipped | flare | "
                       "pain | fatigue |\n|---|---:|---:|---:|---:|---:|---:|---|---:|---:|\n");
        else
                printf("%-14s %7s %8s %4s %6s %8s %8s %-9s %5s %8s\n", "day", "active", "longest", "due", "taken",
                       "snoozed", "skipped", "flare", "pain", "fatigue");
        for (size_t i = 0; i < r->n; i++) {
                const struct rday *d = &r->d[i];
                const char *flare = d->a->flare ? "flare" : d->a->recovery ? "recovery" : "";
                char label[20];

                local_day_label(d->idx, date);
                snprintf(label, sizeof(label), "%s %s", weekdays[weekday(d->idx)], date + 5);
                score(p, pain_of(d));
                score(f, fatigue_of(d));
                if (md)
                        printf("| %s | %s | %s | %u | %u | %u | %u | %s | %s | %s |\n", label,
                               d->a->active ? hm(a1, d->a->active) : "-", d->a->active ? hm(a2, d->a->longest) : "-",
                               d->due, d->taken, d->snoozed, d->skipped, flare, p, f);
                else
                        printf("%-14s %7s %8s %4u %6u %8u %8u %-9s %5s %8s\n", label,
                               d->a->active ? hm(a1, d->a->active) : "-", d->a->active ? hm(a2, d->a->longest) : "-",
                               d->due, d->taken, d->snoozed, d->skipped, flare, p, f);
        }
        free(b.s);
        b = (struct strbuf){ 0 };
        lag_text(r, &b);
        printf(md ? "\n## Activity and pain the next day\n\n%s\n" : "\nActivity and pain the next day: %s\n", b.s);
        {
                size_t shown = 0;
                for (size_t i = r->j.n; i-- > 0 && shown < MAX_NOTES;) {
                        const struct checkin *c = &r->j.v[i];
                        int64_t idx = local_day_index(c->instant, r->a.day_starts);
                        if (!c->note || idx < r->from || idx > r->until)
                                continue;
                        if (!shown++)
                                printf(md ? "\n## Notes\n\n" : "\nNotes:\n");
                        local_day_label(idx, date);
                        printf(md ? "- %s: %s\n" : "  %s  %s\n", date, c->note);
                }
        }
        printf(md ? "\n---\n\n*%s*\n" : "\n%s\n",
               "A summary of what limber recorded, to talk over with your clinician. It is not a diagnosis.");
        free(b.s);
        free(fl.s);
        free(rc.s);
}

/* ---- HTML ------------------------------------------------------------------------------ */

static void esc(FILE *out, const char *s)
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
                        fputs("&quot;", out);
                        break;
                case '\'':
                        fputs("&#39;", out);
                        break;
                default:
                        fputc(*s, out);
                }
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
                int month, mday;
                double x = X0 + w * ((double) i + 0.5);

                if (r->n <= 31 || weekday(r->d[i].idx) == 0)
                        fprintf(out, "<text class=\"wd\" x=\"%.1f\" y=\"%d\">%c</text>\n", x, bottom + 11,
                                weekdays[weekday(r->d[i].idx)][0]);
                if (weekday(r->d[i].idx) != 0 && i != 0)
                        continue;
                day_parts(r->d[i].idx, &month, &mday);
                fprintf(out, "<text class=\"date\" x=\"%.1f\" y=\"%d\">%d %s</text>\n", x, bottom + 23, mday,
                        months[month - 1]);
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

        fprintf(out, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"Active time per day, and "
                     "the longest unbroken stretch\">\n",
                CW, bottom + 28);
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
                fprintf(out, "<rect class=\"active\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">"
                             "<title>%s: %s active</title></rect>\n",
                        x, bottom - ha, bw, ha, date, hm(a1, a->active));
                fprintf(out, "<rect class=\"longest\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n",
                        x + bw * 0.2, bottom - hl, bw * 0.6, hl);
        }
        if (r->daily_limit) {
                double y = bottom - (double) (bottom - top) * (double) r->daily_limit / (double) max;
                fprintf(out, "<line class=\"limit\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>\n", X0, X1, y, y);
                fprintf(out, "<text class=\"limitlabel\" x=\"%d\" y=\"%.1f\">daily limit %s</text>\n", X1, y - 3,
                        hm(a1, r->daily_limit));
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

        fprintf(out, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"Pain and fatigue, 0 to "
                     "10, per day\">\n",
                CW, bottom + 28);
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
        char a1[DURATION_BUF], a2[DURATION_BUF], p[8], f[8], date[11];

        fprintf(out, "<table%s>\n", r->weeks > 8 ? " class=\"dense\"" : "");
        fputs("<tr><th>Week</th><th>Days active</th><th>Active a day</th><th>Longest stretch</th>"
              "<th>Breaks due</th><th>Taken</th><th>Snoozed</th><th>Skipped</th><th>Flare days</th><th>Pain</th>"
              "<th>Fatigue</th></tr>\n",
              out);
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
                {
                        int m1, d1, m2, d2;
                        day_parts(r->d[w * 7].idx, &m1, &d1);
                        day_parts(r->d[w * 7 + 6].idx, &m2, &d2);
                        snprintf(date, sizeof(date), "%d %s", d1, months[m1 - 1]);
                        fprintf(out, "<tr><td>%s &ndash; %d %s</td>", date, d2, months[m2 - 1]);
                }
                fprintf(out,
                        "<td>%u</td><td>%s</td><td>%s</td><td>%u</td><td>%u</td><td>%u</td>"
                        "<td>%u</td><td>%u</td><td>%s</td><td>%s</td></tr>\n",
                        days, days ? hm(a1, active / days) : "-", longest ? hm(a2, longest) : "-", due, taken,
                        snoozed, skipped, flare, p, f);
        }
        fputs("</table>\n", out);
}

static void print_html(FILE *out, const struct report *r)
{
        char per[96], a1[DURATION_BUF], v[64], what[96], p[8], f[8], date[11], today[11];
        struct strbuf b = { 0 }, fl = { 0 }, rc = { 0 };
        size_t shown = 0;

        period(r, per, sizeof(per));
        local_day_label(local_day_index((int64_t) realtime_now(), r->a.day_starts), today);
        fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", out);
        fputs("<meta name=\"color-scheme\" content=\"light\">\n<title>Activity and symptoms, ", out);
        esc(out, per);
        fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", css);

        fputs("<header>\n<h1>Activity and symptoms</h1>\n<p class=\"sub\">", out);
        esc(out, per);
        fputs(". From limber's records of computer activity", out);
        if (r->hosts[0]) {
                fputs(" (", out);
                esc(out, r->hosts);
                fputs(")", out);
        }
        fprintf(out, " and the check-ins logged; made on %s.", today);
        if (r->quota) {
                fprintf(out, " Pacing now: %s of activity, then a rest", hm(a1, r->quota));
                if (r->daily_limit)
                        fprintf(out, "; at most %s a day", hm(a1, r->daily_limit));
                fputs(".", out);
        }
        fputs("</p>\n</header>\n", out);

        fputs("<div class=\"figures\">\n", out);
        snprintf(what, sizeof(what), "active a day, on the %zu of %zu days with activity", r->days_active, r->n);
        html_figure(out, hm(a1, r->days_active ? r->active_sum / r->days_active : 0), what);
        html_figure(out, hm(a1, r->longest_median), "longest unbroken stretch, median of those days");
        if (r->due)
                snprintf(v, sizeof(v), "%u%%", r->taken * 100 / r->due);
        else
                snprintf(v, sizeof(v), "-");
        snprintf(what, sizeof(what), "of %u breaks and rests taken when due", r->due);
        html_figure(out, v, what);
        snprintf(v, sizeof(v), "%zu + %zu", r->flare_days, r->recovery_days);
        html_figure(out, v, "flare days + recovery days");
        score(p, r->pain_mean);
        score(f, r->fatigue_mean);
        snprintf(v, sizeof(v), "%s / %s", p, f);
        snprintf(what, sizeof(what), "average pain / fatigue (0 to 10), %zu check-ins", r->checkins);
        html_figure(out, v, what);
        fputs("</div>\n", out);

        fputs("<h2>Active time per day</h2>\n", out);
        chart_active(out, r);
        fputs("<div class=\"legend\"><span><i class=\"key\" style=\"background:#8fb3d3\"></i>active time</span>"
              "<span><i class=\"key\" style=\"background:#1f4e79\"></i>longest unbroken stretch</span>"
              "<span><i class=\"key\" style=\"background:#f4d3c9\"></i>flare day</span>"
              "<span><i class=\"key\" style=\"background:#fbedcf\"></i>recovery day</span></div>\n",
              out);

        fputs("<h2>Pain and fatigue</h2>\n", out);
        chart_symptoms(out, r);
        fputs("<div class=\"legend\"><span><i class=\"line\" style=\"border-top:1.6pt solid #b03a2e\"></i>pain "
              "(average of the day's check-ins)</span><span><i class=\"line\" style=\"border-top:1.4pt dashed "
              "#6c4f9e\"></i>fatigue</span><span>0 none, 10 the worst imaginable</span></div>\n",
              out);

        fputs("<h2>Week by week</h2>\n", out);
        print_weeks(out, r);
        taken_text(r, &b);
        runs(r, false, &fl);
        runs(r, true, &rc);
        fputs("<p>", out);
        esc(out, b.s);
        fputs(" Flare days: ", out);
        esc(out, fl.s);
        fputs("; recovery days: ", out);
        esc(out, rc.s);
        fputs(".</p>\n", out);

        free(b.s);
        b = (struct strbuf){ 0 };
        lag_text(r, &b);
        fputs("<h2>Activity and pain the next day</h2>\n<p>", out);
        esc(out, b.s);
        fputs("</p>\n", out);

        for (size_t i = r->j.n; i-- > 0 && shown < notes_room(r->weeks);) {
                const struct checkin *c = &r->j.v[i];
                int64_t idx = local_day_index(c->instant, r->a.day_starts);
                if (!c->note || idx < r->from || idx > r->until)
                        continue;
                if (!shown++)
                        fputs("<h2>Notes from the journal</h2>\n<ul class=\"notes\">\n", out);
                local_day_label(idx, date);
                fprintf(out, "<li><b>%s</b> ", date);
                esc(out, c->note);
                fputs("</li>\n", out);
        }
        if (shown)
                fputs("</ul>\n", out);

        fputs("<footer>A summary of what limber recorded at the computer and of the check-ins logged, to talk over "
              "with a clinician. limber counts time at the keyboard and mouse; it does not measure other "
              "activity, and this page is not a diagnosis.</footer>\n</body>\n</html>\n",
              out);
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

enum {
        OPT_WEEKS = 256,
        OPT_UNTIL,
        OPT_HTML,
        OPT_MARKDOWN,
};

static const struct cli_option report_options[] = {
        { OPT_WEEKS, "weeks", 0, "N", "a number of weeks", "the last N weeks, up to --until (default 4, at most 12)" },
        { OPT_UNTIL, "until", 0, "DATE", "a date", "the last day, as 2026-11-30 (default today)" },
        { OPT_HTML, "html", 0, "FILE", "a file", "write a self-contained A4 HTML page to FILE (-: stdout)" },
        { OPT_MARKDOWN, "markdown", 0, NULL, NULL, "print Markdown instead of plain text" },
        {},
};

static const struct cli_command report_cmd = {
        .name = "report",
        .synopsis = "[--weeks N] [--until DATE] [--html FILE | --markdown]",
        .summary = "One page for your clinician, from your history and journal.",
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
                                return usage_error("report: --weeks takes a number from 1 to %d, not '%s'", MAX_WEEKS,
                                                   a.value);
                        break;
                case OPT_UNTIL:
                        if (parse_date(a.value, &until) < 0)
                                return usage_error("report: --until takes a date like 2026-11-30, not '%s'", a.value);
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
                return usage_error("report: unexpected argument '%s'", a.pos[0]);
        if (html && markdown)
                return usage_error("report: --html or --markdown, not both");

        dir = user_state_dir();
        if (!dir) {
                fprintf(stderr, "limber: neither XDG_STATE_HOME nor HOME is set\n");
                return EXIT_FAIL;
        }
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
                fprintf(stderr, "limber: %s\n", err);
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
                        fprintf(stderr, "limber: cannot write %s: %s\n", html, strerror(errno));
                        rc = EXIT_FAIL;
                } else {
                        print_html(out, &r);
                        if (out != stdout && fclose(out) != 0) {
                                fprintf(stderr, "limber: cannot write %s: %s\n", html, strerror(errno));
                                rc = EXIT_FAIL;
                        } else if (out != stdout) {
                                printf("The report is in %s: one A4 page, to print or to open in a browser.\n",
                                       html);
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
