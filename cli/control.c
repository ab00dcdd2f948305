/* SPDX-License-Identifier: MIT */
/* limber snooze | skip | break | pause | resume | reload | flare: actions over D-Bus. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "client.h"
#include "human.h"
#include "i18n.h"
#include "limber.h"
#include "localtime.h"
#include "schema.h"
#include "util.h"
#include "value.h"
#include "words.h"

/* A subcommand's words, read by its table; ARGS_EXIT: return a.exit. */
static int parse(struct args *a, const struct cli_command *cmd, int argc, char **argv)
{
        int c;

        args_init(a, cmd, argc, argv);
        while ((c = args_next(a)) > 0)
                ; /* none of these has options of its own but --help */
        return c;
}

/* limberd's status, to say what an action did or will do; failure is not fatal. */
static bool daemon_status(sd_bus **bus, struct status *st)
{
        return client_status(bus, st) == 0;
}

/* What an action did to a break, one message per kind, so that each reads
 * as a whole sentence in every language. */
enum said {
        SAID_SNOOZED, /* %s: until when */
        SAID_SKIPPED,
        SAID_STARTED,      /* %s: the break's duration */
        SAID_STARTED_WITH, /* %s: the kinds started with it, %s: the duration */
        N_SAID,
};

static const char *const said[N_SAID][N_KINDS] = {
        [SAID_SNOOZED] = { N_("Posture break snoozed until %s"), N_("Movement break snoozed until %s"),
                           N_("Pacing rest snoozed until %s") },
        [SAID_SKIPPED] = { N_("Posture break skipped"), N_("Movement break skipped"), N_("Pacing rest skipped") },
        [SAID_STARTED] = { N_("Posture break started: step away for %s; it counts down while you are away"),
                           N_("Movement break started: step away for %s; it counts down while you are away"),
                           N_("Pacing rest started: rest for %s; it counts down while you are away") },
        /* TRANSLATORS: the first %s lists the other kinds of break started with it ("posture"). */
        [SAID_STARTED_WITH] = { N_("Posture break started (with %s): step away for %s; it counts down while you are away"),
                                N_("Movement break started (with %s): step away for %s; it counts down while you "
                                   "are away"),
                                N_("Pacing rest started (with %s): rest for %s; it counts down while you are away") },
};

/* What was said about kind, to print as text (its sentences without
 * conversions); a kind this limber does not know (a newer limberd's) is
 * said by its name. */
static const char *said_of(enum said what, const char *kind)
{
        int k = kind_from_name(kind);
        return k >= 0 ? _(said[what][k]) : kind;
}

/* Prints what was said about kind, its conversions filled in. The table's
 * formats are fixed above (their translations are checked by msgfmt
 * --check-format), so the compiler's check of a literal is not missed. An
 * unknown kind's name comes from limberd and is printed as plain text,
 * never used as a format. */
static void say(enum said what, const char *kind, ...)
{
        int k = kind_from_name(kind);
        va_list ap;

        if (k < 0) {
                fputs(kind, stdout);
                return;
        }
        va_start(ap, kind);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        vprintf(_(said[what][k]), ap);
#pragma GCC diagnostic pop
        va_end(ap);
}

static const struct cli_command snooze_cmd = {
        .name = "snooze",
        .synopsis = "[DURATION] [KIND]",
        .summary = N_("Delay the due break by DURATION, or by the policy's snooze."),
};

int cmd_snooze(int argc, char **argv)
{
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        const char *kind = "";
        uint64_t span = 0;
        struct status st;
        struct args a;
        int r;

        if (parse(&a, &snooze_cmd, argc, argv) == ARGS_EXIT)
                return a.exit;
        for (int i = 0; i < a.n_pos; i++) {
                if (kind_from_name(a.pos[i]) >= 0 && !*kind)
                        kind = a.pos[i];
                else if (!span && parse_duration(a.pos[i], &span) == 0 && span >= USEC_PER_SEC)
                        continue;
                else
                        return usage_error(_("snooze: '%s' is neither a duration (like 10m) nor a kind (posture, "
                                             "movement, pacing)"),
                                           a.pos[i]);
        }
        if (span > USEC_PER_DAY)
                return usage_error(_("snooze: at most 1d"));
        r = client_call(&bus, "Snooze", NULL, "su", kind, (uint32_t) (span / USEC_PER_SEC));
        if (r < 0)
                return -r;
        if (daemon_status(&bus, &st)) {
                for (int i = 0; i < st.n_kinds; i++) {
                        const struct kind_status *k = &st.kinds[i];
                        char t[HUMAN_BUF];
                        if (!streq(k->state, "snoozed") || (*kind && !streq(kind, k->kind)))
                                continue;
                        say(SAID_SNOOZED, k->kind, human_when(t, k->snoozed_until, st.now));
                        putchar(' ');
                        printf(ngettext("(%u snooze left)", "(%u snoozes left)", k->snoozes_left), k->snoozes_left);
                        putchar('\n');
                }
        }
        return EXIT_OK;
}

/* The kind named by the one optional word of skip and break, or "". */
static int optional_kind(const struct args *a, const char **ret)
{
        *ret = "";
        if (a->n_pos > 1)
                return usage_error(_("%s: too many arguments"), a->cmd->name);
        if (a->n_pos == 1) {
                if (kind_from_name(a->pos[0]) < 0)
                        return usage_error(_("%s: unknown kind '%s' (use posture, movement or pacing)"), a->cmd->name,
                                           a->pos[0]);
                *ret = a->pos[0];
        }
        return EXIT_OK;
}

static const struct cli_command skip_cmd = {
        .name = "skip",
        .synopsis = "[KIND]",
        .summary = N_("Skip the due break (without KIND: the longest), where the policy allows."),
};

int cmd_skip(int argc, char **argv)
{
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        const char *kind;
        struct args a;
        int r;

        if (parse(&a, &skip_cmd, argc, argv) == ARGS_EXIT)
                return a.exit;
        r = optional_kind(&a, &kind);
        if (r != EXIT_OK)
                return r;
        if (*kind) {
                r = client_call(&bus, "Skip", NULL, "s", kind);
                if (r < 0)
                        return -r;
                printf("%s\n", said_of(SAID_SKIPPED, kind));
                return EXIT_OK;
        }
        {
                /* Every due break: say which they were. */
                struct status before;
                bool known = daemon_status(&bus, &before), any = false;

                r = client_call(&bus, "Skip", NULL, "s", "");
                if (r < 0)
                        return -r;
                for (int i = 0; known && i < before.n_kinds; i++)
                        if (streq(before.kinds[i].state, "due") || streq(before.kinds[i].state, "snoozed")) {
                                printf("%s\n", said_of(SAID_SKIPPED, before.kinds[i].kind));
                                any = true;
                        }
                if (!any)
                        printf("%s\n", _("The due break skipped"));
        }
        return EXIT_OK;
}

static const struct cli_command break_cmd = {
        .name = "break",
        .synopsis = "[KIND]",
        .summary = N_("Start a break now (without KIND: the longest due break)."),
};

int cmd_break(int argc, char **argv)
{
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        const char *kind;
        struct status st;
        struct args a;
        int r;

        if (parse(&a, &break_cmd, argc, argv) == ARGS_EXIT)
                return a.exit;
        r = optional_kind(&a, &kind);
        if (r != EXIT_OK)
                return r;
        r = client_call(&bus, "TakeBreak", NULL, "s", kind);
        if (r < 0)
                return -r;
        if (daemon_status(&bus, &st)) {
                /* The kind asked for; without one, the longest break started,
                 * which covers the shorter ones started with it. */
                int best = -1;
                char d[HUMAN_BUF], others[64] = "";

                for (int i = 0; i < st.n_kinds; i++) {
                        if (!streq(st.kinds[i].state, "on-break"))
                                continue;
                        if (*kind ? streq(st.kinds[i].kind, kind)
                                  : best < 0 || st.kinds[i].break_left > st.kinds[best].break_left)
                                best = i;
                }
                for (int i = 0; i < st.n_kinds && !*kind; i++)
                        if (i != best && streq(st.kinds[i].state, "on-break"))
                                snprintf(others + strlen(others), sizeof(others) - strlen(others), "%s%s",
                                         *others ? ", " : "", kind_label(st.kinds[i].kind));
                if (best >= 0) {
                        human_duration(d, st.kinds[best].break_left);
                        if (*others)
                                say(SAID_STARTED_WITH, st.kinds[best].kind, others, d);
                        else
                                say(SAID_STARTED, st.kinds[best].kind, d);
                        putchar('\n');
                }
        }
        return EXIT_OK;
}

/* Seconds from now until the next local HH:MM. */
static int until_seconds(const char *hhmm, uint32_t *ret)
{
        unsigned minutes;
        time_t now = time(NULL), target;
        struct tm tm;

        if (parse_time_of_day(hhmm, &minutes) < 0)
                return -EINVAL;
        localtime_r(&now, &tm);
        tm.tm_hour = (int) (minutes / 60);
        tm.tm_min = (int) (minutes % 60);
        tm.tm_sec = 0;
        tm.tm_isdst = -1;
        target = mktime(&tm);
        if (target <= now) {
                tm.tm_mday++;
                tm.tm_isdst = -1;
                target = mktime(&tm);
        }
        *ret = (uint32_t) (target - now);
        return 0;
}

static const struct cli_option pause_options[] = {
        { 'u', "until", 0, "HH:MM", N_("a time of day (HH:MM)"), N_("pause until this local time, today or tomorrow") },
        {},
};

static const struct cli_command pause_cmd = {
        .name = "pause",
        .synopsis = "[DURATION | --until HH:MM]",
        .summary = N_("Pause all breaks, for DURATION, until HH:MM, or until 'limber resume'."),
        .options = pause_options,
};

int cmd_pause(int argc, char **argv)
{
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        const char *until = NULL;
        uint32_t secs = 0;
        uint64_t span;
        struct status st;
        struct args a;
        char t[HUMAN_BUF];
        int c, r;

        args_init(&a, &pause_cmd, argc, argv);
        while ((c = args_next(&a)) > 0)
                if (c == 'u')
                        until = a.value;
        if (c == ARGS_EXIT)
                return a.exit;
        if (until && a.n_pos == 0) {
                if (until_seconds(until, &secs) < 0)
                        return usage_error(_("pause: --until takes a time of day like 14:30, not '%s'"), until);
        } else if (!until && a.n_pos == 1) {
                if (parse_duration(a.pos[0], &span) < 0 || span < USEC_PER_SEC)
                        return usage_error(_("pause: '%s' is not a duration (like 30m or 1h30m)"), a.pos[0]);
                if (span > 30 * USEC_PER_DAY)
                        return usage_error(_("pause: at most 30 days"));
                secs = (uint32_t) (span / USEC_PER_SEC);
        } else if (until || a.n_pos != 0) {
                return usage_error(_("pause: a duration or --until HH:MM, not both (and one duration at most)"));
        }
        r = client_call(&bus, "Pause", NULL, "u", secs);
        if (r < 0)
                return -r;
        if (secs && daemon_status(&bus, &st) && st.paused_until)
                printf(_("Breaks paused until %s"), human_when(t, st.paused_until, st.now));
        else
                fputs(_("Breaks paused until you run 'limber resume'"), stdout);
        putchar('\n');
        return EXIT_OK;
}

static const struct cli_command resume_cmd = {
        .name = "resume",
        .synopsis = "",
        .summary = N_("Resume breaks after a pause."),
};

int cmd_resume(int argc, char **argv)
{
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        struct status st;
        struct args a;
        bool was_paused;
        int r;

        if (parse(&a, &resume_cmd, argc, argv) == ARGS_EXIT)
                return a.exit;
        if (a.n_pos != 0)
                return usage_error(_("resume: no arguments expected"));
        /* Resume does nothing when not paused: say which it was. */
        was_paused = !daemon_status(&bus, &st) || st.paused;
        r = client_call(&bus, "Resume", NULL, NULL);
        if (r < 0)
                return -r;
        printf("%s\n", was_paused ? _("Breaks resumed") : _("Breaks were not paused; nothing changed"));
        return EXIT_OK;
}

static const struct cli_command reload_cmd = {
        .name = "reload",
        .synopsis = "",
        .summary = N_("Make limberd read the policy files again, and print their warnings."),
};

int cmd_reload(int argc, char **argv)
{
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        struct args a;
        const char *w;
        int r;

        if (parse(&a, &reload_cmd, argc, argv) == ARGS_EXIT)
                return a.exit;
        if (a.n_pos != 0)
                return usage_error(_("reload: no arguments expected"));
        r = client_call(&bus, "Reload", &reply, NULL);
        if (r < 0)
                return -r;
        if (sd_bus_message_enter_container(reply, 'a', "s") >= 0)
                while (sd_bus_message_read(reply, "s", &w) > 0)
                        fprintf(stderr, "%s\n", w);
        printf("%s\n", _("Policy reloaded"));
        return EXIT_OK;
}

static const struct cli_option flare_options[] = {
        { 'd', "days", 0, "N", N_("a number of days"), N_("the plan's flare days, today included (default pacing.flare-days)") },
        { 0 },
};

static const struct cli_command flare_cmd = {
        .name = "flare",
        .synopsis = "on [--days N] | off",
        .summary = N_("Start a flare plan (pacing scaled down for days, then back) or end it."),
        .options = flare_options,
};

int cmd_flare(int argc, char **argv)
{
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        const char *days_arg = NULL;
        uint64_t days = 0;
        struct status st;
        struct args a;
        bool on, was_on;
        int c, r;

        args_init(&a, &flare_cmd, argc, argv);
        while ((c = args_next(&a)) > 0)
                if (c == 'd')
                        days_arg = a.value;
        if (c == ARGS_EXIT)
                return a.exit;
        if (a.n_pos != 1 || (!streq(a.pos[0], "on") && !streq(a.pos[0], "off")))
                return usage_error(_("flare: say on or off"));
        on = streq(a.pos[0], "on");
        if (days_arg && !on)
                return usage_error(_("flare: --days goes with on"));
        if (days_arg && (parse_count(days_arg, &days) < 0 || days < 1 || days > key_defs[KEY_PACING_FLARE_DAYS].max))
                return usage_error(_("flare: --days takes a number from 1 to %llu, not '%s'"),
                                   (unsigned long long) key_defs[KEY_PACING_FLARE_DAYS].max, days_arg);
        /* Ending nothing is no news: say so. */
        was_on = on || !daemon_status(&bus, &st) || st.flare_day;
        r = days ? client_call(&bus, "SetFlarePlan", NULL, "u", (uint32_t) days)
                 : client_call(&bus, "SetFlare", NULL, "b", (int) on);
        if (r < 0)
                return -r;
        if (!on) {
                printf("%s\n", was_on ? _("Flare plan ended: pacing quota and daily limit back to 100%")
                                      : _("No flare plan was on; nothing changed"));
                return EXIT_OK;
        }
        if (!daemon_status(&bus, &st) || !st.flare_day) {
                printf("%s\n", _("Flare plan on"));
                return EXIT_OK;
        }
        if (st.flare_recovery) {
                char back[64];
                /* TRANSLATORS: the recovery days of a flare plan, in "then 2 days back to 100%". */
                snprintf(back, sizeof(back), ngettext("%u day", "%u days", st.flare_recovery), st.flare_recovery);
                /* TRANSLATORS: %s is the recovery days, as "2 days". */
                printf(ngettext("Flare plan: %u day at %u%% of your pacing quota and daily limit, today included, "
                                "then %s back to 100%%.",
                                "Flare plan: %u days at %u%% of your pacing quota and daily limit, today included, "
                                "then %s back to 100%%.",
                                st.flare_days),
                       st.flare_days, st.flare_scale, back);
        } else {
                printf(ngettext("Flare plan: %u day at %u%% of your pacing quota and daily limit, today included.",
                                "Flare plan: %u days at %u%% of your pacing quota and daily limit, today included.",
                                st.flare_days),
                       st.flare_days, st.flare_scale);
        }
        printf("\n%s\n", _("Resting early is part of the plan; 'limber flare off' ends it."));
        return EXIT_OK;
}
