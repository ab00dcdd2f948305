/* SPDX-License-Identifier: MIT */
/*
 * Replay throughput of the scheduler core: a synthetic year of workdays,
 * fed straight into the scheduler (no parsing, no output), best of several
 * runs. Prints presence changes, scheduler events, events/s and peak RSS.
 *
 *   bench-scheduler [DAYS] [--trace FILE]   (--trace also writes the year as a trace)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "policy.h"
#include "scheduler.h"
#include "localtime.h"
#include "trace.h"
#include "util.h"
#include "value.h"

#define BASE ((uint64_t) 10 * 365 * USEC_PER_DAY)

struct input {
        uint64_t at;
        int what; /* 0 active, 1 idle, 2 locked, 3 asleep, 4 snooze, 5 skip, 6 take */
        int kind;
};

static uint64_t rng = 0x2545F4914F6CDD1DULL;

static uint64_t next_rand(uint64_t n)
{
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        return rng % n;
}

static size_t generate(unsigned days, struct input **ret)
{
        size_t n = 0, cap = (size_t) days * 1500 + 16;
        struct input *v = xcalloc(cap, sizeof(*v));

        for (unsigned d = 0; d < days; d++) {
                /* Monday to Friday only: skip two days in seven. */
                uint64_t day = BASE + (uint64_t) (d + d / 5 * 2) * USEC_PER_DAY;
                uint64_t t = day + 8 * USEC_PER_HOUR + next_rand(60) * USEC_PER_MIN;
                uint64_t end = day + 17 * USEC_PER_HOUR + next_rand(90) * USEC_PER_MIN;
                bool lunch = false;

                while (t < end && n + 8 < cap) {
                        v[n++] = (struct input) { t, 0, -1 };
                        t += (10 + next_rand(110)) * USEC_PER_SEC; /* active for 10 s to 2 min */
                        if (!lunch && t > day + 12 * USEC_PER_HOUR) {
                                lunch = true;
                                v[n++] = (struct input) { t, 2, -1 };
                                t += (30 + next_rand(30)) * USEC_PER_MIN;
                                continue;
                        }
                        switch (next_rand(40)) {
                        case 0:
                                v[n++] = (struct input) { t, 4, -1 };
                                break;
                        case 1:
                                v[n++] = (struct input) { t, 5, -1 };
                                break;
                        case 2:
                                v[n++] = (struct input) { t, 6, (int) next_rand(2) };
                                break;
                        }
                        v[n++] = (struct input) { t, 1, -1 };
                        t += (5 + next_rand(next_rand(10) == 0 ? 900 : 60)) * USEC_PER_SEC;
                }
                v[n++] = (struct input) { t > end ? t : end, 3, -1 }; /* suspended for the night */
        }
        *ret = v;
        return n;
}

static unsigned long emitted;

static void count(void *userdata, const struct sched_event *ev)
{
        (void) userdata;
        (void) ev;
        emitted++;
}

static double run_once(const struct policy *p, const struct input *in, size_t n)
{
        struct timespec a, b;
        struct sched *s;

        emitted = 0;
        clock_gettime(CLOCK_MONOTONIC, &a);
        s = sched_new(p, BASE, count, NULL);
        sched_set_day_end(s, BASE + 4 * USEC_PER_HOUR, BASE);
        for (size_t i = 0; i < n; i++) {
                const struct input *e = &in[i];
                switch (e->what) {
                case 0:
                case 1:
                case 2:
                case 3:
                        sched_presence(s, (enum presence) e->what, e->at, e->at);
                        break;
                case 4:
                        (void) sched_snooze(s, -1, 0, e->at);
                        break;
                case 5:
                        (void) sched_skip(s, -1, e->at);
                        break;
                case 6:
                        (void) sched_take(s, e->kind, e->at);
                        break;
                }
        }
        sched_advance(s, in[n - 1].at + USEC_PER_DAY);
        sched_free(s);
        clock_gettime(CLOCK_MONOTONIC, &b);
        return (double) (b.tv_sec - a.tv_sec) + (double) (b.tv_nsec - a.tv_nsec) / 1e9;
}

static void write_trace(const char *path, const struct input *in, size_t n)
{
        static const char *const what[] = { "active", "idle", "locked", "asleep", "snooze all", "skip all", "take" };
        FILE *f = fopen(path, "w");
        char t[TIME_BUF];

        if (!f) {
                perror(path);
                exit(1);
        }
        /* naive local time: 2027-01-04 (a Monday) is day 0 */
        for (size_t i = 0; i < n; i++)
                fprintf(f, "%s %s%s%s\n",
                        format_naive(t, (int64_t) (in[i].at - BASE) + (int64_t) 1798934400 * (int64_t) USEC_PER_SEC),
                        what[in[i].what], in[i].what == 6 ? " " : "", in[i].what == 6 ? kind_names[in[i].kind] : "");
        fclose(f);
}

int main(int argc, char **argv)
{
        unsigned days = 250;
        const char *trace = NULL;
        struct policy *p = policy_new();
        struct input *in;
        struct rusage ru;
        size_t n, presence = 0;
        double best = 1e9;

        for (int i = 1; i < argc; i++) {
                if (streq(argv[i], "--trace") && i + 1 < argc)
                        trace = argv[++i];
                else
                        days = (unsigned) atoi(argv[i]);
        }
        n = generate(days, &in);
        for (size_t i = 0; i < n; i++)
                presence += in[i].what <= 3;
        if (trace)
                write_trace(trace, in, n);

        for (int r = 0; r < 7; r++) {
                double t = run_once(p, in, n);
                if (t < best)
                        best = t;
        }
        getrusage(RUSAGE_SELF, &ru);
        printf("scheduler core: %u workdays, %zu inputs (%zu presence changes), %lu events emitted\n", days, n,
               presence, emitted);
        printf("scheduler core: %.1f ms best of 7, %.0f inputs/s, peak RSS %ld KiB\n", best * 1e3,
               (double) n / best, ru.ru_maxrss);
        policy_free(p);
        free(in);
        return 0;
}
