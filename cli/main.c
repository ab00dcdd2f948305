/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "limber.h"
#include "log.h"
#include "userstate.h"
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

/* The overview --help prints: sections of commands, each with its usage
 * (not translated: it is what one types) and what it does. */
static const struct {
        const char *section; /* non-NULL: a heading before the entry */
        const char *usage, *summary;
} overview[] = {
        { N_("Breaks (talks to limberd):"), "status [--json]", N_("what is due when, presence, active time today") },
        { NULL, "status --follow [--json | --format waybar]", N_("one line per change, for status bars") },
        { NULL, "snooze [DURATION] [KIND]", N_("delay the due break (default: the policy's snooze)") },
        { NULL, "skip [KIND]", N_("skip the due break, where the policy allows") },
        { NULL, "break [KIND]", N_("start a break now") },
        { NULL, "pause [DURATION | --until HH:MM]", N_("pause all breaks (default: until resume)") },
        { NULL, "resume", N_("resume after a pause") },
        { NULL, "reload", N_("make limberd read the policy again") },
        { NULL, "flare on [--days N] | off", N_("a flare plan: pacing scaled down for days, then back") },
        { N_("History and journal (offline):"), "stats [--days N] [--json | --csv]",
          N_("active time and breaks per day") },
        { NULL, "log [pain N] [fatigue N] [NOTE...] [--at TIME]", N_("record how you are (0 to 10)") },
        { NULL, "journal [--days N] [--json | --csv]", N_("your check-ins") },
        { NULL, "pacing baseline [--days N]", N_("a quota from your own calm days (applies nothing)") },
        { NULL, "report [--weeks N] [--html FILE | --markdown]", N_("one page for your clinician") },
        { NULL, "forget --before DATE | --all", N_("delete history and journal, every machine's") },
        { N_("Your policy (~/.config/limber/limber.ini):"), "set KEY VALUE",
          N_("change one setting, within your employer's limits") },
        { NULL, "unset KEY", N_("go back to the employer's or built-in value") },
        { NULL, "edit", N_("edit the file; it is checked before it is saved") },
        { N_("Policy (offline):"), "policy show [--origin] [--json] [--root DIR]", N_("the effective policy") },
        { NULL, "policy check FILE...", N_("validate policy files") },
        { NULL, "policy paths [--root DIR]", N_("the files read, lowest layer first") },
        { NULL, "policy keys", N_("every key and the kind of value it takes") },
        { N_("Exercises of a started break (offline):"), "exercises list [--origin] [--json] [--root DIR]",
          N_("id, kinds and title of each") },
        { NULL, "exercises show [--json] [--root DIR] ID", N_("one exercise, step by step") },
        { NULL, "exercises check FILE...", N_("validate exercise files") },
        { N_("Options:"), "-h, --help", N_("show this help") },
        { NULL, "-V, --version", N_("show the version") },
};

static void help(FILE *f)
{
        fprintf(f, "%s COMMAND [ARGS...]\n", _("Usage: limber"));
        for (size_t i = 0; i < ELEMENTSOF(overview); i++) {
                int width = (int) strlen(overview[i].usage);

                if (overview[i].section)
                        fprintf(f, "\n%s\n", _(overview[i].section));
                /* A long usage gets its summary on a line of its own. */
                if (width > 32)
                        fprintf(f, "  %s\n  %-32s  %s\n", overview[i].usage, "", _(overview[i].summary));
                else
                        fprintf(f, "  %-32s  %s\n", overview[i].usage, _(overview[i].summary));
        }
        fprintf(f, "\n%s\n", _("See limber(1)."));
}

static const char *usage_command;

/* "Try 'limber stats --help'." */
static const char *usage_hint(const char *command)
{
        static char buf[128];
        char cmd[80];

        snprintf(cmd, sizeof(cmd), "limber%s%s --help", command ? " " : "", command ? command : "");
        /* TRANSLATORS: %s is a command to run, such as 'limber stats --help'. */
        snprintf(buf, sizeof(buf), _("Try '%s'."), cmd);
        return buf;
}

void usage_for(const char *command)
{
        usage_command = command;
}

/* "limber: message" on stderr, every error's start. */
_printf_(1, 0) static void cli_verror(const char *fmt, va_list ap)
{
        fputs("limber: ", stderr);
        vfprintf(stderr, fmt, ap);
}

void cli_error(const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        cli_verror(fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
}

int usage_error(const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        cli_verror(fmt, ap);
        va_end(ap);
        fprintf(stderr, "\n%s\n", usage_hint(usage_command));
        return EXIT_USAGE;
}

char *cli_state_dir(void)
{
        char *dir = user_state_dir();

        if (!dir)
                cli_error("%s", _("neither XDG_STATE_HOME nor HOME is set"));
        return dir;
}

bool use_color(void)
{
        const char *nc = getenv("NO_COLOR");
        return isatty(STDOUT_FILENO) && !(nc && *nc) && !streq(getenv("TERM"), "dumb");
}

int main(int argc, char **argv)
{
        log_setup("limber");
        i18n_init();
        i18n_diagnostics = true;

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
                return usage_error(_("unknown option '%s'"), argv[1]);

        for (size_t i = 0; i < ELEMENTSOF(commands); i++)
                if (streq(argv[1], commands[i].name))
                        return commands[i].run(argc - 1, argv + 1);
        return usage_error(_("unknown command '%s'"), argv[1]);
}
