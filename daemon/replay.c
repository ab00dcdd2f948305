/* SPDX-License-Identifier: MIT */
#include "replay.h"

#include <errno.h>
#include <json-c/json.h>
#include <string.h>

#include "human.h"
#include "localtime.h"
#include "schedule.h"
#include "policy.h"
#include "scheduler.h"
#include "trace.h"
#include "util.h"
#include "value.h"

/* The scheduler's clock starts here so that back-dated times stay positive. */
#define REPLAY_BASE ((uint64_t) 10 * 365 * USEC_PER_DAY)

#define MAX_DAYS 4096
#define TRACE_MAX_SIZE ((size_t) 1 << 30)

struct day {
        int64_t start; /* the instant (µs) of a moment in the day: its start, or the trace's */
        uint64_t active;
};

/* The scheduler runs on the trace's instants, from REPLAY_BASE at the first
 * line: real durations, whatever clock changes the trace spans. Times are
 * shown, and days begin, in this machine's local time. */
struct replay {
        FILE *out;
        bool json;
        int64_t t0; /* the first line's instant */
        unsigned day_starts;
        struct break_counts kinds[N_KINDS];
        unsigned paused, limits;
        struct day *days;
        size_t n_days;
        int64_t day_start; /* of the current day */
};

static int64_t instant_of(const struct replay *rp, uint64_t at)
{
        return rp->t0 + (int64_t) (at - REPLAY_BASE);
}

static uint64_t sched_time(const struct replay *rp, int64_t instant)
{
        return REPLAY_BASE + (uint64_t) (instant - rp->t0);
}

static void secs(json_object *o, const char *key, uint64_t usec)
{
        json_object_object_add(o, key, json_object_new_int64((int64_t) (usec / USEC_PER_SEC)));
}

static void print_json(struct replay *rp, const struct sched_event *ev, const char *time)
{
        json_object *o = json_object_new_object();

        json_object_object_add(o, "time", json_object_new_string(time));
        json_object_object_add(o, "event", json_object_new_string(sched_event_name(ev->type)));
        if (ev->kind >= 0)
                json_object_object_add(o, "kind", json_object_new_string(kind_names[ev->kind]));
        switch (ev->type) {
        case EV_DUE:
        case EV_NATURAL:
                secs(o, "worked", ev->worked);
                break;
        case EV_TAKEN:
        case EV_SKIPPED:
        case EV_DROPPED:
                secs(o, "worked", ev->worked);
                secs(o, "overdue", ev->overdue);
                break;
        case EV_REPROMPT:
                json_object_object_add(o, "count", json_object_new_int((int) ev->count));
                if (ev->limit)
                        json_object_object_add(o, "limit", json_object_new_boolean(true));
                break;
        case EV_SNOOZED:
                secs(o, "span", ev->span);
                json_object_object_add(o, "count", json_object_new_int((int) ev->count));
                break;
        case EV_PAUSED:
                secs(o, "span", ev->span);
                break;
        case EV_REFUSED:
                json_object_object_add(o, "action", json_object_new_string(action_name(ev->action)));
                json_object_object_add(o, "reason", json_object_new_string(sched_refusal_name(ev->reason)));
                break;
        case EV_LIMIT:
        case EV_DAY:
                secs(o, "active", ev->active_today);
                break;
        case EV_HOURS:
                json_object_object_add(o, "on", json_object_new_boolean(ev->on));
                break;
        case EV_FLARE:
                json_object_object_add(o, "on", json_object_new_boolean(ev->on));
                if (ev->on) {
                        json_object_object_add(o, "day", json_object_new_int((int) ev->day));
                        json_object_object_add(o, "days", json_object_new_int((int) ev->days));
                        json_object_object_add(o, "recovery", json_object_new_int((int) ev->recovery));
                }
                json_object_object_add(o, "scale", json_object_new_int((int) ev->scale));
                break;
        default:
                break;
        }
        fprintf(rp->out, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
        json_object_put(o);
}

static void print_text(struct replay *rp, const struct sched_event *ev, const char *time)
{
        char a[HUMAN_BUF], line[256];
        struct strbuf b = { 0 };
        size_t n;

        strbuf_printf(&b, "%s  %-9s %-9s", time, sched_event_name(ev->type), ev->kind >= 0 ? kind_names[ev->kind] : "");
        switch (ev->type) {
        case EV_DUE:
        case EV_NATURAL:
                strbuf_printf(&b, " after %s active", human_duration(a, ev->worked));
                break;
        case EV_TAKEN:
        case EV_SKIPPED:
        case EV_DROPPED:
                if (ev->overdue)
                        strbuf_printf(&b, " %s overdue", human_duration(a, ev->overdue));
                break;
        case EV_HOURS:
                strbuf_printf(&b, " %s", ev->on ? "working hours" : "outside working hours");
                break;
        case EV_REPROMPT:
                strbuf_printf(&b, " %s #%u", ev->limit ? "daily limit reached, reminder" : "prompt", ev->count);
                break;
        case EV_SNOOZED:
                strbuf_printf(&b, " for %s (snooze %u)", human_duration(a, ev->span), ev->count);
                break;
        case EV_PAUSED:
                if (ev->span)
                        strbuf_printf(&b, " for %s", human_duration(a, ev->span));
                else
                        strbuf_printf(&b, " until resumed");
                break;
        case EV_REFUSED:
                strbuf_printf(&b, " %s: %s", action_name(ev->action), sched_refusal_name(ev->reason));
                break;
        case EV_LIMIT:
                strbuf_printf(&b, " daily limit reached after %s active", human_duration(a, ev->active_today));
                break;
        case EV_DAY:
                strbuf_printf(&b, " the day ended with %s active", human_duration(a, ev->active_today));
                break;
        case EV_FLARE:
                if (!ev->on)
                        strbuf_printf(&b, " off: quota and daily limit back to 100%%");
                else if (ev->day <= ev->days)
                        strbuf_printf(&b, " flare day %u of %u: quota and daily limit at %u%%", ev->day, ev->days,
                                      ev->scale);
                else
                        strbuf_printf(&b, " recovering, day %u of %u: quota and daily limit at %u%%",
                                      ev->day - ev->days, ev->recovery, ev->scale);
                break;
        default:
                break;
        }
        n = b.len;
        while (n > 0 && b.s[n - 1] == ' ')
                n--;
        snprintf(line, sizeof(line), "%.*s", (int) n, b.s);
        fprintf(rp->out, "%s\n", line);
        free(b.s);
}

static void on_event(void *userdata, const struct sched_event *ev)
{
        struct replay *rp = userdata;
        char time[TIME_BUF];

        format_naive(time, local_naive(instant_of(rp, ev->at)));
        if (rp->json)
                print_json(rp, ev, time);
        else
                print_text(rp, ev, time);

        if (ev->kind >= 0)
                break_counts_add(&rp->kinds[ev->kind], ev->type);
        switch (ev->type) {
        case EV_PAUSED:
                rp->paused++;
                break;
        case EV_LIMIT:
                rp->limits++;
                break;
        case EV_DAY:
                if (rp->n_days < MAX_DAYS) {
                        rp->days = xreallocarray(rp->days, rp->n_days + 1, sizeof(*rp->days));
                        rp->days[rp->n_days++] = (struct day) { rp->day_start, ev->active_today };
                }
                rp->day_start = instant_of(rp, ev->at);
                break;
        default:
                break;
        }
}

static void date_of(const struct replay *rp, char buf[static TIME_BUF], int64_t day_start)
{
        day_label(buf, (uint64_t) day_start, rp->day_starts);
}

static void print_summary(struct replay *rp, int64_t end, uint64_t active_now)
{
        char time[TIME_BUF], date[TIME_BUF], a[HUMAN_BUF];
        uint64_t total = active_now;

        for (size_t i = 0; i < rp->n_days; i++)
                total += rp->days[i].active;
        format_naive(time, local_naive(end));

        if (rp->json) {
                json_object *o = json_object_new_object(), *days = json_object_new_array(),
                            *breaks = json_object_new_object();

                json_object_object_add(o, "time", json_object_new_string(time));
                json_object_object_add(o, "event", json_object_new_string("summary"));
                for (size_t i = 0; i <= rp->n_days; i++) {
                        json_object *d = json_object_new_object();
                        date_of(rp, date, i < rp->n_days ? rp->days[i].start : rp->day_start);
                        json_object_object_add(d, "date", json_object_new_string(date));
                        secs(d, "active", i < rp->n_days ? rp->days[i].active : active_now);
                        json_object_array_add(days, d);
                }
                json_object_object_add(o, "days", days);
                for (int k = 0; k < N_KINDS; k++) {
                        json_object *b = json_object_new_object();
                        const struct break_counts *c = &rp->kinds[k];
                        json_object_object_add(b, "due", json_object_new_int((int) c->due));
                        json_object_object_add(b, "taken", json_object_new_int((int) c->taken));
                        json_object_object_add(b, "natural", json_object_new_int((int) c->natural));
                        json_object_object_add(b, "snoozed", json_object_new_int((int) c->snoozed));
                        json_object_object_add(b, "skipped", json_object_new_int((int) c->skipped));
                        json_object_object_add(b, "refused", json_object_new_int((int) c->refused));
                        json_object_object_add(b, "reprompts", json_object_new_int((int) c->reprompts));
                        json_object_object_add(b, "deferred", json_object_new_int((int) c->deferred));
                        json_object_object_add(b, "dropped", json_object_new_int((int) c->dropped));
                        json_object_object_add(breaks, kind_names[k], b);
                }
                json_object_object_add(o, "breaks", breaks);
                json_object_object_add(o, "pauses", json_object_new_int((int) rp->paused));
                json_object_object_add(o, "limits", json_object_new_int((int) rp->limits));
                secs(o, "active", total);
                fprintf(rp->out, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
                json_object_put(o);
                return;
        }

        fprintf(rp->out, "\nSummary (to %s)\n", time);
        for (size_t i = 0; i <= rp->n_days; i++) {
                date_of(rp, date, i < rp->n_days ? rp->days[i].start : rp->day_start);
                fprintf(rp->out, "  %s  active %s\n", date,
                        human_duration(a, i < rp->n_days ? rp->days[i].active : active_now));
        }
        fprintf(rp->out, "  %-9s %5s %6s %8s %8s %8s %8s %8s\n", "", "due", "taken", "natural", "snoozed", "skipped",
                "refused", "dropped");
        for (int k = 0; k < N_KINDS; k++) {
                const struct break_counts *c = &rp->kinds[k];
                fprintf(rp->out, "  %-9s %5u %6u %8u %8u %8u %8u %8u\n", kind_names[k], c->due, c->taken, c->natural,
                        c->snoozed, c->skipped, c->refused, c->dropped);
        }
        fprintf(rp->out, "  active in all: %s\n", human_duration(a, total));
}

bool replay_apply(struct sched *s, const struct trace_event *e, uint64_t now)
{
        struct action a;

        switch (e->type) {
        case TRACE_PRESENCE:
                sched_presence(s, e->presence, now, now);
                break;
        case TRACE_ACTION:
                a = trace_action(e);
                (void) sched_act(s, &a, now, NULL);
                break;
        case TRACE_DND:
                sched_set_quiet(s, e->on, now);
                break;
        case TRACE_RECORD:
                break;
        case TRACE_END:
                return false;
        }
        return true;
}

int replay_run(const char *path, const struct policy *p, bool json, FILE *out, FILE *err)
{
        _cleanup_(freep) char *buf = NULL;
        struct replay rp = { .out = out, .json = json, .day_starts = (unsigned) policy_get(p, KEY_DAY_STARTS) };
        struct trace_reader tr;
        struct trace_event ev, *events = NULL;
        size_t n_events = 0, cap = 0;
        struct sched *s = NULL;
        struct sched_status st;
        char msg[1024];
        uint64_t now = REPLAY_BASE;
        int64_t day_end, hours_next;
        struct schedule hours;
        bool in_hours;
        size_t size;
        int r;

        r = read_file(path, TRACE_MAX_SIZE, &buf, &size);
        if (r < 0) {
                fprintf(err, "%s: cannot read: %s\n", path, strerror(-r));
                return 1;
        }

        /* Read the whole trace first: a bad line fails before any output. */
        trace_reader_init(&tr, path, buf, size);
        while ((r = trace_next(&tr, &ev, msg, sizeof(msg))) > 0) {
                if (n_events == cap) {
                        cap = cap ? cap * 2 : 1024;
                        events = xreallocarray(events, cap, sizeof(*events));
                }
                events[n_events++] = ev;
        }
        if (r < 0) {
                fprintf(err, "%s\n", msg);
                free(events);
                return 1;
        }
        if (n_events == 0) {
                fprintf(err, "%s: the trace has no events\n", path);
                return 1;
        }

        rp.t0 = events[0].instant;
        rp.day_start = rp.t0;
        day_end = (int64_t) next_day_start((uint64_t) rp.t0, rp.day_starts);
        if (schedule_parse(policy_get_text(p, KEY_WORK_HOURS), &hours, NULL, 0, NULL, 0) < 0)
                memset(hours.bits, 0xff, sizeof(hours.bits));
        in_hours = schedule_at_instant(&hours, rp.t0, &hours_next);
        s = sched_new(p, REPLAY_BASE, on_event, &rp);
        sched_set_lull_sensed(s, true, REPLAY_BASE); /* a trace's idle lines are exact */
        sched_set_day_end(s, sched_time(&rp, day_end), REPLAY_BASE);
        sched_set_hours(s, in_hours, hours_next == INT64_MAX ? SCHED_NEVER : sched_time(&rp, hours_next), REPLAY_BASE);

        for (size_t i = 0; i < n_events; i++) {
                const struct trace_event *e = &events[i];

                /* Each day ends at its local day-starts, 23 or 25 hours
                 * after the last on the days the clocks change; working
                 * hours change at their local times likewise. */
                while (day_end <= e->instant || hours_next <= e->instant) {
                        int64_t b = day_end < hours_next ? day_end : hours_next;

                        sched_advance(s, sched_time(&rp, b)); /* the rollover or the change */
                        if (b == day_end) {
                                day_end = (int64_t) next_day_start((uint64_t) b, rp.day_starts);
                                sched_set_day_end(s, sched_time(&rp, day_end), sched_time(&rp, b));
                        }
                        if (b == hours_next) {
                                in_hours = schedule_at_instant(&hours, b, &hours_next);
                                sched_set_hours(s, in_hours,
                                                hours_next == INT64_MAX ? SCHED_NEVER : sched_time(&rp, hours_next),
                                                sched_time(&rp, b));
                        }
                }
                now = sched_time(&rp, e->instant);
                if (!replay_apply(s, e, now))
                        break;
        }
        sched_advance(s, now);
        sched_get_status(s, now, &st);
        print_summary(&rp, instant_of(&rp, now), st.active_today);
        sched_free(s);
        free(rp.days);
        free(events);
        return 0;
}
