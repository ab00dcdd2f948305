/* SPDX-License-Identifier: MIT */
/*
 * LD_PRELOAD shim for the fault tests. The file named by $CLOCKSHIFT_FILE
 * holds four values (native int64_t) the test writes while limberd runs:
 *
 *  - [0] moves CLOCK_REALTIME, so limberd sees the wall clock jump without
 *    the machine's clock being touched (CLOCK_BOOTTIME and CLOCK_MONOTONIC
 *    are left alone, as a real clock change leaves them);
 *  - [1] moves CLOCK_BOOTTIME ahead of CLOCK_MONOTONIC, as a suspend does:
 *    time asleep;
 *  - [2] moves every clock at once: time passing (ten minutes of work with
 *    no event, in a moment);
 *  - [3], when not 0, makes sd_event_source_set_time() fail with -ENOMEM
 *    for the source described as "scheduler" (limberd's one timer).
 *
 * Absolute timers on the moved clocks are moved back by as much, so they
 * still fire at the moments they were meant for. Offsets are µs.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_FDS 1024

static int (*real_clock_gettime)(clockid_t, struct timespec *);
static int (*real_timerfd_create)(int, int);
static int (*real_timerfd_settime)(int, int, const struct itimerspec *, struct itimerspec *);
static const volatile int64_t *offset; /* [0] realtime, [1] boottime, [2] all, [3] fail */
static char timer_clock[MAX_FDS];     /* timerfds: 1 on CLOCK_BOOTTIME, 2 on CLOCK_MONOTONIC */

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
        p = mmap(NULL, 4 * sizeof(int64_t), PROT_READ, MAP_SHARED, fd, 0);
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
        if (r != 0 || !offset)
                return r;
        if ((clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE) && offset[0] + offset[2])
                shift(ts, offset[0] + offset[2]);
        if (is_boottime(clock) && offset[1] + offset[2])
                shift(ts, offset[1] + offset[2]);
        if ((clock == CLOCK_MONOTONIC || clock == CLOCK_MONOTONIC_COARSE || clock == CLOCK_MONOTONIC_RAW) && offset[2])
                shift(ts, offset[2]);
        return r;
}

int timerfd_create(int clock, int flags)
{
        int fd;

        if (!real_timerfd_create)
                real_timerfd_create = dlsym(RTLD_NEXT, "timerfd_create");
        fd = real_timerfd_create(clock, flags);
        if (fd >= 0 && fd < MAX_FDS)
                timer_clock[fd] = is_boottime(clock) ? 1 : clock == CLOCK_MONOTONIC ? 2 : 0;
        return fd;
}

int timerfd_settime(int fd, int flags, const struct itimerspec *value, struct itimerspec *old)
{
        struct itimerspec v = *value;

        if (!real_timerfd_settime)
                real_timerfd_settime = dlsym(RTLD_NEXT, "timerfd_settime");
        int64_t moved = !offset || fd < 0 || fd >= MAX_FDS ? 0
                        : timer_clock[fd] == 1                ? offset[1] + offset[2]
                        : timer_clock[fd] == 2                ? offset[2]
                                                              : 0;

        /* An absolute time on the shifted clock: the same moment, unshifted. */
        if (moved && (flags & TFD_TIMER_ABSTIME) && (v.it_value.tv_sec || v.it_value.tv_nsec)) {
                shift(&v.it_value, -moved);
                if (v.it_value.tv_sec < 0 || (v.it_value.tv_sec == 0 && v.it_value.tv_nsec == 0))
                        v.it_value = (struct timespec) { 0, 1 }; /* already due: at once */
        }
        return real_timerfd_settime(fd, flags, &v, old);
}

/* sd-event, on demand: a timer that cannot be armed. */
typedef struct sd_event_source sd_event_source;
int sd_event_source_set_time(sd_event_source *s, uint64_t usec);
int sd_event_source_set_time(sd_event_source *s, uint64_t usec)
{
        static int (*real)(sd_event_source *, uint64_t);
        static int (*describe)(sd_event_source *, const char **);
        const char *what = NULL;

        if (!real) {
                real = dlsym(RTLD_NEXT, "sd_event_source_set_time");
                describe = dlsym(RTLD_NEXT, "sd_event_source_get_description");
        }
        if (offset && offset[3] && describe && describe(s, &what) >= 0 && what && strcmp(what, "scheduler") == 0)
                return -ENOMEM;
        return real(s, usec);
}
