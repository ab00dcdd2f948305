/* SPDX-License-Identifier: MIT */
#include "log.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int max_level = LOG_LVL_INFO;
static bool journal;
static const char *prefix;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void log_setup(const char *program)
{
        const char *js = getenv("JOURNAL_STREAM"), *lvl = getenv("LIMBER_LOG_LEVEL");
        unsigned long dev, ino;
        struct stat st;

        prefix = program;
        if (js && sscanf(js, "%lu:%lu", &dev, &ino) == 2 && fstat(STDERR_FILENO, &st) == 0 &&
            st.st_dev == (dev_t) dev && st.st_ino == (ino_t) ino)
                journal = true;
        if (lvl && strcmp(lvl, "debug") == 0)
                max_level = LOG_LVL_DEBUG;
}

void log_set_max_level(int level)
{
        max_level = level;
}

int log_get_max_level(void)
{
        return max_level;
}

int log_full(int level, int r, const char *fmt, ...)
{
        char msg[2048];
        va_list ap;

        if (level > max_level)
                return r < 0 ? r : -abs(r);

        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);

        pthread_mutex_lock(&lock);
        if (journal)
                fprintf(stderr, "<%d>", level);
        else if (prefix)
                fprintf(stderr, "%s: ", prefix);
        if (r)
                fprintf(stderr, "%s: %s\n", msg, strerror(abs(r)));
        else
                fprintf(stderr, "%s\n", msg);
        fflush(stderr);
        pthread_mutex_unlock(&lock);
        return r < 0 ? r : -abs(r);
}
