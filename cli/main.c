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
        { "status", cmd_status }, { "snooze", cmd_snooze }, { "skip", cmd_skip },   { "break", cmd_break },
        { "pause", cmd_pause },   { "resume", cmd_resume }, { "reload", cmd_reload }, { "flare", cmd_flare },
        { "stats", cmd_stats },   { "policy", cmd_policy }, { "set", cmd_set },       { "unset", cmd_unset },
        { "edit", cmd_edit },     { "exercises", cmd_exercises },
        { "log", cmd_log },       { "journal", cmd_journal }, { "pacing", cmd_pacing },
        { "forget", cmd_forget }, { "report", cmd_report },
};

static void help(FILE *f)
{
        fputs("Usage: limber COMMAND [ARGS...]\n"
              "\n"
              "Breaks (talks to limberd):\n"
              "  status [--json]                 what is due when, presence, active time today\n"
              "  status --follow [--json | --format waybar]\n"
              "                                  one line per change, for status bars\n"
              "  snooze [DURATION] [KIND]        delay the due break (default: the policy's snooze)\n"
              "  skip [KIND]                     skip the due break, where the policy allows\n"
              "  break [KIND]                    start a break now\n"
              "  pause [DURATION | --until HH:MM]  pause all breaks (default: until resume)\n"
              "  resume                          resume after a pause\n"
              "  reload                          make limberd read the policy again\n"
              "  flare on [--days N] | off       a flare plan: pacing scaled down for days, then back\n"
              "\n"
              "History and journal (offline):\n"
              "  stats [--days N] [--json | --csv]  active time and breaks per day\n"
              "  log [pain N] [fatigue N] [NOTE...] [--at TIME]   record how you are (0 to 10)\n"
              "  journal [--days N] [--json | --csv]             your check-ins\n"
              "  pacing baseline [--days N]      a quota from your own calm days (applies nothing)\n"
              "  report [--weeks N] [--html FILE | --markdown]   one page for your clinician\n"
              "  forget --before DATE | --all    delete history and journal, every machine's\n"
              "\n"
              "Your policy (~/.config/limber/limber.ini):\n"
              "  set KEY VALUE                   change one setting, within your employer's limits\n"
              "  unset KEY                       go back to the employer's or built-in value\n"
              "  edit                            edit the file; it is checked before it is saved\n"
              "\n"
              "Policy (offline):\n"
              "  policy show [--origin] [--json] [--root DIR]   the effective policy\n"
              "  policy check FILE...                            validate policy files\n"
              "  policy paths [--root DIR]                       the files read, lowest layer first\n"
              "  policy keys                                     every key and the kind of value it takes\n"
              "\n"
              "Exercises of a started break (offline):\n"
              "  exercises list [--origin] [--json] [--root DIR]  id, kinds and title of each\n"
              "  exercises show [--json] [--root DIR] ID         one exercise, step by step\n"
              "  exercises check FILE...                         validate exercise files\n"
              "\n"
              "Options:\n"
              "  -h, --help       show this help\n"
              "  -V, --version    show the version\n"
              "\n"
              "See limber(1).\n",
              f);
}

static const char *usage_command;

void usage_for(const char *command)
{
        usage_command = command;
}

int usage_error(const char *fmt, ...)
{
        va_list ap;

        fputs("limber: ", stderr);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        if (usage_command)
                fprintf(stderr, "\nTry 'limber %s --help'.\n", usage_command);
        else
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
