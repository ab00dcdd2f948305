/* SPDX-License-Identifier: MIT */
#include "calendar.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "policy.h"
#include "schedule.h"
#include "scheduler.h"
#include "util.h"

static unsigned day_starts(const struct policy *p)
{
        return (unsigned) policy_get(p, KEY_DAY_STARTS);
}

/* Working hours at the wall-clock time rt, and when they change next:
 * into the scheduler, whose clock reads `at` then. */
static void set_hours(struct calendar *c, struct sched *s, uint64_t rt, uint64_t at)
{
        int64_t next;
        bool in = schedule_at_instant(c->hours, (int64_t) rt, &next);

        c->hours_next_rt = next == INT64_MAX ? UINT64_MAX : (uint64_t) next;
        sched_set_hours(s, in, next == INT64_MAX ? SCHED_NEVER : at + ((uint64_t) next - rt), at);
}

/* The policy's working hours, parsed when they change; true if they did. */
static bool load_hours(struct calendar *c, const struct policy *p)
{
        const char *text = policy_get_text(p, KEY_WORK_HOURS);

        if (c->hours && streq(text, c->hours_text))
                return false;
        free(c->hours_text);
        c->hours_text = xstrdup(text);
        if (!c->hours)
                c->hours = xmalloc(sizeof(*c->hours));
        if (schedule_parse(text, c->hours, NULL, 0, NULL, 0) < 0) /* the policy checked it */
                memset(c->hours->bits, 0xff, sizeof(c->hours->bits));
        return true;
}

void calendar_start(struct calendar *c, struct sched *s, const struct policy *p, uint64_t at, uint64_t saved_rt)
{
        c->day_end_rt = next_day_start(saved_rt, day_starts(p));
        sched_set_day_end(s, at + (c->day_end_rt - saved_rt), at);
        local_zone_changed();
        load_hours(c, p);
        set_hours(c, s, saved_rt, at);
}

void calendar_update(struct calendar *c, struct sched *s, const struct policy *p, const struct moment *m)
{
        uint64_t rt;

        /* Past the boundary we aimed at: the scheduler usually reached it too
         * (its day event clears day_end_rt); if not, the wall clock jumped
         * over it, and that day is over now. */
        if (c->day_end_rt && m->rt >= c->day_end_rt) {
                sched_advance(s, m->sched);
                if (c->day_end_rt) {
                        log_info("the wall clock moved past the day boundary");
                        c->day_end_rt = 0;
                        sched_set_day_end(s, m->sched, m->sched);
                }
        }
        rt = next_day_start(m->rt, day_starts(p)); /* re-reads the time zone */
        if (load_hours(c, p) || rt != c->day_end_rt || c->clock_was_set || m->rt >= c->hours_next_rt) {
                /* The zone may have changed with the boundary; the hours are local too. */
                local_zone_changed();
                set_hours(c, s, m->rt, m->sched);
        }
        if (rt == c->day_end_rt && !c->clock_was_set)
                return;
        c->clock_was_set = false;
        c->day_end_rt = rt;
        sched_set_day_end(s, m->sched + (rt - m->rt), m->sched);
}

static int on_clock_set(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
        struct calendar *c = userdata;

        (void) clock_changed_ack(fd);
        log_info("the wall clock was set; the day boundary is recomputed, breaks are unaffected");
        c->clock_was_set = true; /* the update also notices a boundary the jump crossed */
        c->clock_set(c->userdata);
        return 0;
}

int calendar_watch(struct calendar *c, sd_event *event, void (*clock_set)(void *userdata), void *userdata)
{
        int fd = clock_change_fd(), r;

        if (fd < 0)
                return fd;
        c->clock_set = clock_set;
        c->userdata = userdata;
        r = sd_event_add_io(event, &c->clock_watch, fd, EPOLLIN, on_clock_set, c);
        if (r < 0) {
                close(fd);
                return r;
        }
        (void) sd_event_source_set_io_fd_own(c->clock_watch, true);
        return 0;
}

void calendar_finish(struct calendar *c)
{
        c->clock_watch = sd_event_source_disable_unref(c->clock_watch);
        free(c->hours_text);
        free(c->hours);
}
