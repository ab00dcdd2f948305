/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "limber.h"
#include "log.h"
#include "util.h"

#ifndef LIMBER_VERSION
#define LIMBER_VERSION "0"
#endif

static const struct {
        const char *name;
        int (*run)(int argc, char **argv);
} commands[] = {
        { "policy", cmd_policy },
};

static void help(FILE *f)
{
        fputs("Usage: limber COMMAND [ARGS...]\n"
              "\n"
              "Policy (offline):\n"
              "  policy show [--origin] [--json] [--root DIR]   the effective policy\n"
              "  policy check FILE...                            validate policy files\n"
              "  policy paths [--root DIR]                       the files read, lowest layer first\n"
              "\n"
              "Options:\n"
              "  -h, --help       show this help\n"
              "  -V, --version    show the version\n"
              "\n"
              "See limber(1).\n",
              f);
}

int usage_error(const char *fmt, ...)
{
        va_list ap;

        fputs("limber: ", stderr);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputs("\nTry 'limber --help'.\n", stderr);
        return EXIT_USAGE;
}

bool use_color(void)
{
        const char *nc = getenv("NO_COLOR");
        return isatty(STDOUT_FILENO) && !(nc && *nc) && !streq(getenv("TERM"), "dumb");
}

int main(int argc, char **argv)
{
        log_setup("limber");

        if (argc < 2) {
                help(stderr);
                return EXIT_USAGE;
        }
        if (streq(argv[1], "-h") || streq(argv[1], "--help") || streq(argv[1], "help")) {
                help(stdout);
                return EXIT_OK;
        }
        if (streq(argv[1], "-V") || streq(argv[1], "--version")) {
                printf("limber %s\n", LIMBER_VERSION);
                return EXIT_OK;
        }
        if (argv[1][0] == '-')
                return usage_error("unknown option '%s'", argv[1]);

        for (size_t i = 0; i < ELEMENTSOF(commands); i++)
                if (streq(argv[1], commands[i].name))
                        return commands[i].run(argc - 1, argv + 1);
        return usage_error("unknown command '%s'", argv[1]);
}
