/* SPDX-License-Identifier: MIT */
/*
 * LD_PRELOAD shim for the fault tests: moves CLOCK_REALTIME by an offset
 * (µs, a native int64_t) that the test writes into the file named by
 * $CLOCKSHIFT_FILE, so limberd sees the wall clock jump without the
 * machine's clock being touched. CLOCK_BOOTTIME and CLOCK_MONOTONIC are
 * left alone, as a real clock change leaves them.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static int (*real_clock_gettime)(clockid_t, struct timespec *);
static const volatile int64_t *offset;

__attribute__((constructor)) static void init(void)
{
        const char *path = getenv("CLOCKSHIFT_FILE");
        void *p;
        int fd;

        real_clock_gettime = dlsym(RTLD_NEXT, "clock_gettime");
        if (!path || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
                return;
        p = mmap(NULL, sizeof(int64_t), PROT_READ, MAP_SHARED, fd, 0);
        close(fd);
        if (p != MAP_FAILED)
                offset = p;
}

int clock_gettime(clockid_t clock, struct timespec *ts)
{
        int r;

        if (!real_clock_gettime)
                real_clock_gettime = dlsym(RTLD_NEXT, "clock_gettime");
        r = real_clock_gettime(clock, ts);
        if (r == 0 && offset && (clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE)) {
                int64_t ns = (int64_t) ts->tv_nsec + (*offset % 1000000) * 1000;
                ts->tv_sec += (time_t) (*offset / 1000000);
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
        return r;
}
