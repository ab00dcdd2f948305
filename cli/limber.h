/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>

/* Exit codes, documented in limber.1. */
enum {
        EXIT_OK = 0,
        EXIT_FAIL = 1,          /* invalid value, policy errors, other failures */
        EXIT_USAGE = 2,         /* bad command line */
        EXIT_NO_DAEMON = 3,     /* limberd is not running and could not be started */
        EXIT_LOCKED = 4,        /* refused: locked by the employer's policy */
        EXIT_OUT_OF_BOUNDS = 5, /* refused: outside the employer's bounds */
        EXIT_NOT_DUE = 6,       /* nothing to snooze or skip: the break is not due */
        EXIT_SNOOZE_LIMIT = 7,  /* no snoozes left for this break */
        EXIT_NOT_SKIPPABLE = 8, /* the policy does not allow skipping this break */
        EXIT_BAD_POLICY = 9,    /* the daemon rejected the policy on reload */
        EXIT_DISABLED = 10,     /* the break kind is turned off */
};

/* Each subcommand takes argv with argv[0] = its own name. */
int cmd_policy(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_snooze(int argc, char **argv);
int cmd_skip(int argc, char **argv);
int cmd_break(int argc, char **argv);
int cmd_pause(int argc, char **argv);
int cmd_resume(int argc, char **argv);
int cmd_reload(int argc, char **argv);
int cmd_flare(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_set(int argc, char **argv);
int cmd_unset(int argc, char **argv);
int cmd_edit(int argc, char **argv);
int cmd_exercises(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_journal(int argc, char **argv);
int cmd_pacing(int argc, char **argv);
int cmd_forget(int argc, char **argv);
int cmd_report(int argc, char **argv);

/* Prints "limber: <message>" to stderr, then where to find the usage
 * ("Try 'limber stats --help'."); returns EXIT_USAGE. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "limber: ", the message (already translated, without a final
 * newline, as the catalogues have it) and a newline to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* user_state_dir(), or NULL after saying on stderr that neither
 * XDG_STATE_HOME nor HOME is set. Free it. */
char *cli_state_dir(void);
/* The command whose --help usage_error() points at (args_init() sets it). */
void usage_for(const char *command);

/* Should output use colour (stdout is a terminal and NO_COLOR is unset)? */
bool use_color(void);
