/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdarg.h>

/*
 * Logging to stderr. When stderr is connected to the journal (systemd sets
 * JOURNAL_STREAM), each line starts with a <N> syslog priority prefix so the
 * journal keeps the level; on a terminal or a file the text is plain.
 * The _errno variants append ": strerror(-r)" and return r (negative).
 */

enum {
        LOG_LVL_ERR = 3,
        LOG_LVL_WARNING = 4,
        LOG_LVL_NOTICE = 5,
        LOG_LVL_INFO = 6,
        LOG_LVL_DEBUG = 7,
};

void log_setup(const char *program);
void log_set_max_level(int level);
int log_get_max_level(void);

__attribute__((format(printf, 3, 4))) int log_full(int level, int r, const char *fmt, ...);

#define log_error(...)            log_full(LOG_LVL_ERR, 0, __VA_ARGS__)
#define log_warning(...)          log_full(LOG_LVL_WARNING, 0, __VA_ARGS__)
#define log_notice(...)           log_full(LOG_LVL_NOTICE, 0, __VA_ARGS__)
#define log_info(...)             log_full(LOG_LVL_INFO, 0, __VA_ARGS__)
#define log_debug(...)            log_full(LOG_LVL_DEBUG, 0, __VA_ARGS__)
#define log_error_errno(r, ...)   log_full(LOG_LVL_ERR, (r), __VA_ARGS__)
#define log_warning_errno(r, ...) log_full(LOG_LVL_WARNING, (r), __VA_ARGS__)
#define log_debug_errno(r, ...)   log_full(LOG_LVL_DEBUG, (r), __VA_ARGS__)
