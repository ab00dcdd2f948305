/* SPDX-License-Identifier: MIT */
#include "clock.h"

#include <errno.h>
#include <sys/timerfd.h>
#include <unistd.h>

struct moment moment_now(void)
{
        struct moment m;

        m.bt = boottime_now();
        m.rt = realtime_now();
        m.sched = sched_from_boottime(m.bt);
        return m;
}

uint64_t moment_wall_bt(const struct moment *m, uint64_t bt)
{
        if (!bt)
                return 0;
        if (bt >= m->bt)
                return m->rt + (bt - m->bt);
        return m->rt > m->bt - bt ? m->rt - (m->bt - bt) : 0;
}

uint64_t moment_wall(const struct moment *m, uint64_t sched_time)
{
        if (!sched_time || sched_time == UINT64_MAX)
                return 0;
        return moment_wall_bt(m, boottime_from_sched(sched_time));
}

uint64_t suspended_total(void)
{
        uint64_t bt = boottime_now(), mt = now_usec(CLOCK_MONOTONIC);
        return bt > mt ? bt - mt : 0;
}

int clock_change_fd(void)
{
        int fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);

        if (fd < 0)
                return -errno;
        if (clock_changed_ack(fd) < 0) {
                int r = -errno;
                close(fd);
                return r;
        }
        return fd;
}

int clock_changed_ack(int fd)
{
        /* An alarm in the far future that the kernel cancels when the clock is set. */
        struct itimerspec its = { .it_value = { .tv_sec = (time_t) 1 << 40 } };
        uint64_t expirations;

        if (read(fd, &expirations, sizeof(expirations)) < 0 && errno != EAGAIN && errno != ECANCELED)
                return -errno;
        if (timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL) < 0)
                return -errno;
        return 0;
}
