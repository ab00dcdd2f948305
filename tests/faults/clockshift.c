/* SPDX-License-Identifier: MIT */
/*
 * LD_PRELOAD shim for the fault tests. The file named by $CLOCKSHIFT_FILE
 * holds two offsets (µs, native int64_t) the test writes while limberd runs:
 *
 *  - the first moves CLOCK_REALTIME, so limberd sees the wall clock jump
 *    without the machine's clock being touched (CLOCK_BOOTTIME and
 *    CLOCK_MONOTONIC are left alone, as a real clock change leaves them);
 *  - the second moves CLOCK_BOOTTIME ahead of CLOCK_MONOTONIC, as a suspend
 *    does: time asleep. Absolute timers on CLOCK_BOOTTIME are moved back by
 *    as much, so they still fire at the moments they were meant for.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_FDS 1024

static int (*real_clock_gettime)(clockid_t, struct timespec *);
static int (*real_timerfd_create)(int, int);
static int (*real_timerfd_settime)(int, int, const struct itimerspec *, struct itimerspec *);
static const volatile int64_t *offset; /* [0] realtime, [1] boottime */
static char boottime_fd[MAX_FDS];     /* timerfds on CLOCK_BOOTTIME */

__attribute__((constructor)) static void init(void)
{
        const char *path = getenv("CLOCKSHIFT_FILE");
        void *p;
        int fd;

        real_clock_gettime = dlsym(RTLD_NEXT, "clock_gettime");
        real_timerfd_create = dlsym(RTLD_NEXT, "timerfd_create");
        real_timerfd_settime = dlsym(RTLD_NEXT, "timerfd_settime");
        if (!path || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
                return;
        p = mmap(NULL, 2 * sizeof(int64_t), PROT_READ, MAP_SHARED, fd, 0);
        close(fd);
        if (p != MAP_FAILED)
                offset = p;
}

static void shift(struct timespec *ts, int64_t usec)
{
        int64_t ns = (int64_t) ts->tv_nsec + (usec % 1000000) * 1000;

        ts->tv_sec += (time_t) (usec / 1000000);
        while (ns < 0) {
                ns += 1000000000;
                ts->tv_sec--;
        }
        while (ns >= 1000000000) {
                ns -= 1000000000;
                ts->tv_sec++;
        }
        ts->tv_nsec = (long) ns;
}

static bool is_boottime(clockid_t clock)
{
        return clock == CLOCK_BOOTTIME || clock == CLOCK_BOOTTIME_ALARM;
}

int clock_gettime(clockid_t clock, struct timespec *ts)
{
        int r;

        if (!real_clock_gettime)
                real_clock_gettime = dlsym(RTLD_NEXT, "clock_gettime");
        r = real_clock_gettime(clock, ts);
        if (r == 0 && offset && (clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE) && offset[0])
                shift(ts, offset[0]);
        if (r == 0 && offset && is_boottime(clock) && offset[1])
                shift(ts, offset[1]);
        return r;
}

int timerfd_create(int clock, int flags)
{
        int fd;

        if (!real_timerfd_create)
                real_timerfd_create = dlsym(RTLD_NEXT, "timerfd_create");
        fd = real_timerfd_create(clock, flags);
        if (fd >= 0 && fd < MAX_FDS)
                boottime_fd[fd] = is_boottime(clock);
        return fd;
}

int timerfd_settime(int fd, int flags, const struct itimerspec *value, struct itimerspec *old)
{
        struct itimerspec v = *value;

        if (!real_timerfd_settime)
                real_timerfd_settime = dlsym(RTLD_NEXT, "timerfd_settime");
        /* An absolute time on the shifted clock: the same moment, unshifted. */
        if (offset && offset[1] && fd >= 0 && fd < MAX_FDS && boottime_fd[fd] && (flags & TFD_TIMER_ABSTIME) &&
            (v.it_value.tv_sec || v.it_value.tv_nsec)) {
                shift(&v.it_value, -offset[1]);
                if (v.it_value.tv_sec < 0 || (v.it_value.tv_sec == 0 && v.it_value.tv_nsec == 0))
                        v.it_value = (struct timespec) { 0, 1 }; /* already due: at once */
        }
        return real_timerfd_settime(fd, flags, &v, old);
}
