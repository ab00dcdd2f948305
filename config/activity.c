/* SPDX-License-Identifier: MIT */
#include "activity.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "localtime.h"
#include "userstate.h"
#include "util.h"
#include "value.h"

#define MAX_BYTES ((size_t) 1 << 30)

/* An active spell [from, to), instants. */
struct activity_span {
        int64_t from, to;
};

void activity_init(struct activity *a, int64_t first_day, size_t n_days, unsigned day_starts, uint64_t idle_after)
{
        *a = (struct activity){ .first_day = first_day,
                                .n_days = n_days,
                                .days = xcalloc(n_days, sizeof(struct activity_day)),
                                .day_starts = day_starts,
                                .idle_after = idle_after };
        for (size_t i = 0; i < n_days; i++)
                a->days[i].scale = 100;
}

void activity_free(struct activity *a)
{
        free(a->days);
        free(a->spans);
        *a = (struct activity){ 0 };
}

int64_t activity_day_index(const struct activity *a, int64_t instant)
{
        return local_day_index(instant, a->day_starts);
}

void activity_day_label(const struct activity *a, int64_t idx, char buf[static 11])
{
        local_day_label(idx, buf);
}

struct activity_day *activity_day(struct activity *a, int64_t idx)
{
        int64_t i = idx - a->first_day;
        return i >= 0 && (size_t) i < a->n_days ? &a->days[i] : NULL;
}

static void add_span(struct activity *a, int64_t from, int64_t to)
{
        if (to <= from)
                return;
        a->spans = xreallocarray(a->spans, a->n_spans + 1, sizeof(*a->spans));
        a->spans[a->n_spans++] = (struct activity_span){ from, to };
}

/* A flare record: the day it was made on is a flare or a recovery day. */
static void add_flare(struct activity *a, const struct trace_event *ev)
{
        struct activity_day *d = activity_day(a, activity_day_index(a, ev->instant));

        if (!d || !ev->on)
                return;
        d->seen = true;
        /* Records from before plans say on=1 alone: a one-day flare. */
        if (!ev->days || ev->day <= ev->days)
                d->flare = true;
        else
                d->recovery = true;
        if (ev->scale && ev->scale < d->scale)
                d->scale = ev->scale;
}

int activity_add(struct activity *a, const char *path, const char *buf, size_t size, int64_t open_until, char *err,
                 size_t errsize)
{
        struct trace_reader tr;
        struct trace_event ev;
        bool have = false, active = false;
        int64_t since = 0, last = 0;
        int r;

        trace_reader_init(&tr, path, buf, size);
        while ((r = trace_next(&tr, &ev, err, errsize)) > 0) {
                struct activity_day *d = activity_day(a, activity_day_index(a, ev.instant));

                last = ev.instant;
                if (ev.type == TRACE_RECORD && ev.record == EV_FLARE) {
                        add_flare(a, &ev);
                        continue;
                }
                if (ev.type == TRACE_RECORD && ev.record == EV_CHECK_IN)
                        continue; /* a question asked, not activity */
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
                        add_span(a, since, ev.instant); /* an away spell begins */
                        active = false;
                } else if (!active && ev.presence == PRESENCE_ACTIVE) {
                        active = true;
                        since = ev.instant;
                }
                /* idle -> locked: the same away spell goes on */
        }
        if (r < 0)
                return -EINVAL;
        if (have && active)
                add_span(a, since, open_until > last ? open_until : last);
        return 0;
}

int activity_add_dir(struct activity *a, const char *dir, int64_t now, char *err, size_t errsize)
{
        struct state_file *files;
        size_t n;
        int r;

        r = state_files_list(dir, "history", &files, &n);
        if (r < 0) {
                snprintf(err, errsize, "%s: cannot list: %s", dir, strerror(-r));
                return r;
        }
        for (size_t i = 0; i < n && r >= 0; i++) {
                _cleanup_(freep) char *buf = NULL;
                size_t size;

                r = read_file(files[i].path, MAX_BYTES, &buf, &size);
                if (r == -ENOENT) { /* removed since the listing */
                        r = 0;
                        continue;
                }
                if (r < 0) {
                        snprintf(err, errsize, "%s: cannot read: %s", files[i].path, strerror(-r));
                        break;
                }
                r = activity_add(a, files[i].path, buf, size, files[i].this_machine ? now : 0, err, errsize);
        }
        state_files_free(files, n);
        return r;
}

static int compare_spans(const void *x, const void *y)
{
        const struct activity_span *a = x, *b = y;
        return a->from < b->from ? -1 : a->from > b->from;
}

/* A stretch of activity [from, to): its time per day, and per day its
 * longest part. */
static void add_stretch(struct activity *a, int64_t from, int64_t to)
{
        while (from < to) {
                int64_t idx = activity_day_index(a, from),
                        end = (int64_t) next_day_start((uint64_t) from, a->day_starts), upto = to < end ? to : end;
                struct activity_day *d = activity_day(a, idx);

                if (upto <= from) /* never: a day boundary after from */
                        break;
                if (d) {
                        d->active += (uint64_t) (upto - from);
                        if ((uint64_t) (upto - from) > d->longest)
                                d->longest = (uint64_t) (upto - from);
                        d->seen = true;
                }
                from = upto;
        }
}

void activity_finish(struct activity *a)
{
        int64_t from = 0, to = 0;
        bool open = false;

        if (a->n_spans)
                qsort(a->spans, a->n_spans, sizeof(*a->spans), compare_spans);
        /* Overlapping spells (two machines) are one; a gap shorter than
         * idle-after joins two spells, and counts as active. */
        for (size_t i = 0; i < a->n_spans; i++) {
                const struct activity_span *s = &a->spans[i];

                if (open && s->from - to < (int64_t) a->idle_after) {
                        if (s->to > to)
                                to = s->to;
                        continue;
                }
                if (open)
                        add_stretch(a, from, to);
                from = s->from;
                to = s->to;
                open = true;
        }
        if (open)
                add_stretch(a, from, to);
        free(a->spans);
        a->spans = NULL;
        a->n_spans = 0;
}
