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

/* What one history is being read into. */
struct reading {
        size_t machine;   /* index into machines[], or ACTIVITY_MAX_MACHINES: not counted per machine */
        bool off;         /* its last "hours" record said working hours ended */
        int64_t last_end; /* the end of its last active spell, 0: none yet */
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
        for (size_t i = 0; i < a->n_machines; i++)
                free(a->machines[i].path);
        free(a->days);
        free(a->spans);
        free(a->off_spans);
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

static void push_span(struct activity_span **v, size_t *n, int64_t from, int64_t to)
{
        *v = xreallocarray(*v, *n + 1, sizeof(**v));
        (*v)[(*n)++] = (struct activity_span){ from, to };
}

/* Calls fn for each part of [from, to) within one day. */
static void split_days(struct activity *a, int64_t from, int64_t to,
                       void (*fn)(struct activity_day *d, uint64_t span, void *userdata), void *userdata)
{
        while (from < to) {
                int64_t end = (int64_t) next_day_start((uint64_t) from, a->day_starts), upto = to < end ? to : end;
                struct activity_day *d = activity_day(a, activity_day_index(a, from));

                if (upto <= from) /* never: a day boundary after from */
                        break;
                if (d)
                        fn(d, (uint64_t) (upto - from), userdata);
                from = upto;
        }
}

static void credit_machine(struct activity_day *d, uint64_t span, void *userdata)
{
        d->by_machine[*(size_t *) userdata] += span;
}

/* One machine's active spell [from, to): the person's spells combine in
 * activity_finish(); the machine's own time is counted here, by the same
 * rule (a gap shorter than idle-after after its previous spell counts). */
static void add_span(struct activity *a, struct reading *rd, int64_t from, int64_t to)
{
        if (to <= from)
                return;
        push_span(&a->spans, &a->n_spans, from, to);
        if (rd->off)
                push_span(&a->off_spans, &a->n_off_spans, from, to);
        if (rd->machine < ACTIVITY_MAX_MACHINES) {
                int64_t start = rd->last_end && from - rd->last_end < (int64_t) a->idle_after ? rd->last_end : from;
                split_days(a, start, to, credit_machine, &rd->machine);
        }
        rd->last_end = to;
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

/* A new entry in machines[] for a history; ACTIVITY_MAX_MACHINES when full. */
static size_t add_machine(struct activity *a, const char *path, const char *buf, size_t size, const char *id)
{
        struct activity_machine *m;

        if (a->n_machines >= ACTIVITY_MAX_MACHINES)
                return ACTIVITY_MAX_MACHINES;
        m = &a->machines[a->n_machines];
        snprintf(m->id, sizeof(m->id), "%s", id);
        state_file_host(buf, size, m->host, sizeof(m->host));
        m->path = xstrdup(path);
        return a->n_machines++;
}

static int add_history(struct activity *a, const char *path, const char *buf, size_t size, int64_t open_until,
                       const char *id, char *err, size_t errsize)
{
        struct reading rd = { .machine = add_machine(a, path, buf, size, id) };
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
                if (ev.type == TRACE_RECORD && ev.record == EV_HOURS) {
                        /* Active time up to here belongs to the hours before. */
                        if (have && active) {
                                add_span(a, &rd, since, ev.instant);
                                since = ev.instant;
                        }
                        rd.off = !ev.on;
                        continue;
                }
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
                        add_span(a, &rd, since, ev.instant); /* an away spell begins */
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
                add_span(a, &rd, since, open_until > last ? open_until : last);
        return 0;
}

int activity_add(struct activity *a, const char *path, const char *buf, size_t size, int64_t open_until, char *err,
                 size_t errsize)
{
        return add_history(a, path, buf, size, open_until, "", err, errsize);
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
                r = add_history(a, files[i].path, buf, size, files[i].this_machine ? now : 0, files[i].machine, err,
                                errsize);
        }
        state_files_free(files, n);
        return r;
}

static int compare_spans(const void *x, const void *y)
{
        const struct activity_span *a = x, *b = y;
        return a->from < b->from ? -1 : a->from > b->from;
}

/* A stretch of activity: its time per day, and per day its longest part. */
static void add_stretch(struct activity_day *d, uint64_t span, void *userdata)
{
        (void) userdata;
        d->active += span;
        if (span > d->longest)
                d->longest = span;
        d->seen = true;
}

static void add_off(struct activity_day *d, uint64_t span, void *userdata)
{
        (void) userdata;
        d->active_off += span;
}

/* Combines spells: overlapping ones (two machines) are one, and a gap
 * shorter than idle-after joins two and counts as active. */
static void combine(struct activity *a, struct activity_span *v, size_t n,
                    void (*fn)(struct activity_day *d, uint64_t span, void *userdata))
{
        int64_t from = 0, to = 0;
        bool open = false;

        if (n)
                qsort(v, n, sizeof(*v), compare_spans);
        for (size_t i = 0; i < n; i++) {
                if (open && v[i].from - to < (int64_t) a->idle_after) {
                        if (v[i].to > to)
                                to = v[i].to;
                        continue;
                }
                if (open)
                        split_days(a, from, to, fn, NULL);
                from = v[i].from;
                to = v[i].to;
                open = true;
        }
        if (open)
                split_days(a, from, to, fn, NULL);
}

void activity_finish(struct activity *a)
{
        combine(a, a->spans, a->n_spans, add_stretch);
        combine(a, a->off_spans, a->n_off_spans, add_off);
        free(a->spans);
        free(a->off_spans);
        a->spans = a->off_spans = NULL;
        a->n_spans = a->n_off_spans = 0;
}
