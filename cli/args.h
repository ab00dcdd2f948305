/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "i18n.h"

/*
 * The command line of one subcommand, as git and systemctl read theirs:
 * options anywhere among the other words, "--" ends them, a long option may
 * be shortened while that is unambiguous, and takes its value as
 * "--root DIR" or "--root=DIR". Each subcommand describes its options in a
 * table; --help and -h come with every table and print it.
 */

struct cli_option {
        int id;           /* what args_next() returns: the letter of a short option, or a value above 255 */
        const char *name; /* the long name, without "--" */
        char letter;      /* the short option, or 0 */
        const char *arg;  /* the value's name in --help ("DIR"); NULL: the option takes no value */
        const char *noun; /* with arg: what is missing, as in "option '--root' needs a directory" */
        const char *help; /* one line for --help */
};

struct cli_command {
        const char *name;                 /* the words after "limber": "policy show" */
        const char *synopsis;             /* what follows the name in the usage: "[--origin] [--json]" */
        const char *summary;              /* one line on what it does */
        const struct cli_option *options; /* ends with an entry whose name is NULL; may be NULL */
};

struct args {
        const struct cli_command *cmd;
        int argc, next;
        char **argv;
        const char *word;    /* the word of short options being read, as "-hf" */
        const char *cluster; /* the rest of it, as "f" */
        bool no_more_options;
        const char *value; /* the value of the option args_next() returned, or NULL */
        int exit;          /* after ARGS_EXIT: the exit code */
        char **pos;        /* after ARGS_END: the other words, in order */
        int n_pos;
};

enum {
        ARGS_END = 0,   /* every word is read: see pos and n_pos */
        ARGS_EXIT = -1, /* --help was printed, or a usage error: return exit */
};

/* --root DIR, for the subcommands that read the policy files. */
#define ARGS_ROOT_OPTION(id) \
        { (id), "root", 0, "DIR", N_("a directory"), N_("read the vendor and employer policy directories inside DIR") }

/* argv[0] is the subcommand's own word. The words that are not options are
 * moved, in order, to the front of argv[1..]; pos points at them. */
void args_init(struct args *a, const struct cli_command *cmd, int argc, char **argv);

/* The next option's id (its value in a->value), ARGS_END, or ARGS_EXIT after
 * printing the help on stdout (exit 0) or a usage error on stderr (exit 2). */
int args_next(struct args *a);

/* Prints "Usage: limber NAME SYNOPSIS", the summary and the options. */
void args_help(const struct cli_command *cmd, FILE *f);
