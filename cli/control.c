/* SPDX-License-Identifier: MIT */
/* limber snooze | skip | break | pause | resume | reload | flare: actions over D-Bus. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "client.h"
#include "human.h"
#include "limber.h"
#include "localtime.h"
#include "schema.h"
#include "util.h"
#include "value.h"

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

/* "posture" -> "Posture", "posture and movement" -> "Posture and movement",
 * to begin a sentence. */
static const char *kind_title(const char *kind)
{
        static char buf[64];

        snprintf(buf, sizeof(buf), "%s", kind);
        if (buf[0] >= 'a' && buf[0] <= 'z')
                buf[0] = (char) (buf[0] - 'a' + 'A');
        return buf;
}

static const struct cli_command snooze_cmd = {
        .name = "snooze",
        .synopsis = "[DURATION] [KIND]",
        .summary = "Delay the due break by DURATION, or by the policy's snooze.",
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
                        return usage_error("snooze: '%s' is neither a duration (like 10m) nor a kind (posture, "
                                           "movement, pacing)",
                                           a.pos[i]);
        }
        if (span > USEC_PER_DAY)
                return usage_error("snooze: at most 1d");
        r = client_call(&bus, "Snooze", NULL, "su", kind, (uint32_t) (span / USEC_PER_SEC));
        if (r < 0)
                return -r;
        if (daemon_status(&bus, &st)) {
                for (int i = 0; i < st.n_kinds; i++) {
                        const struct kind_status *k = &st.kinds[i];
                        char t[HUMAN_BUF];
                        if (streq(k->state, "snoozed") && (!*kind || streq(kind, k->kind)))
                                printf("%s break snoozed until %s (%u snooze%s left)\n", kind_title(k->kind),
                                       human_when(t, k->snoozed_until, st.now), k->snoozes_left,
                                       k->snoozes_left == 1 ? "" : "s");
                }
        }
        return EXIT_OK;
}

/* The kind named by the one optional word of skip and break, or "". */
static int optional_kind(const struct args *a, const char **ret)
{
        *ret = "";
        if (a->n_pos > 1)
                return usage_error("%s: too many arguments", a->cmd->name);
        if (a->n_pos == 1) {
                if (kind_from_name(a->pos[0]) < 0)
                        return usage_error("%s: unknown kind '%s' (use posture, movement or pacing)", a->cmd->name,
                                           a->pos[0]);
                *ret = a->pos[0];
        }
        return EXIT_OK;
}

static const struct cli_command skip_cmd = {
        .name = "skip",
        .synopsis = "[KIND]",
        .summary = "Skip the due break (without KIND: the longest), where the policy allows.",
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
                printf("%s break skipped\n", kind_title(kind));
                return EXIT_OK;
        }
        {
                /* Every due break: say which they were. */
                struct status before;
                bool known = daemon_status(&bus, &before);
                char names[64] = "";

                r = client_call(&bus, "Skip", NULL, "s", "");
                if (r < 0)
                        return -r;
                for (int i = 0; known && i < before.n_kinds; i++)
                        if (streq(before.kinds[i].state, "due") || streq(before.kinds[i].state, "snoozed"))
                                snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
                                         *names ? " and " : "", before.kinds[i].kind);
                printf("%s break%s skipped\n", *names ? kind_title(names) : "The due", strstr(names, " and ") ? "s" : "");
        }
        return EXIT_OK;
}

static const struct cli_command break_cmd = {
        .name = "break",
        .synopsis = "[KIND]",
        .summary = "Start a break now (without KIND: the longest due break).",
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
                                         *others ? ", " : " (with ", st.kinds[i].kind);
                if (*others)
                        snprintf(others + strlen(others), sizeof(others) - strlen(others), ")");
                if (best >= 0)
                        printf("%s break started%s: step away for %s; it counts down while you are away\n",
                               kind_title(st.kinds[best].kind), others, human_duration(d, st.kinds[best].break_left));
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
        { 'u', "until", 0, "HH:MM", "a time of day (HH:MM)", "pause until this local time, today or tomorrow" },
        {},
};

static const struct cli_command pause_cmd = {
        .name = "pause",
        .synopsis = "[DURATION | --until HH:MM]",
        .summary = "Pause all breaks, for DURATION, until HH:MM, or until 'limber resume'.",
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
                        return usage_error("pause: --until takes a time of day like 14:30, not '%s'", until);
        } else if (!until && a.n_pos == 1) {
                if (parse_duration(a.pos[0], &span) < 0 || span < USEC_PER_SEC)
                        return usage_error("pause: '%s' is not a duration (like 30m or 1h30m)", a.pos[0]);
                if (span > 30 * USEC_PER_DAY)
                        return usage_error("pause: at most 30 days");
                secs = (uint32_t) (span / USEC_PER_SEC);
        } else if (until || a.n_pos != 0) {
                return usage_error("pause: a duration or --until HH:MM, not both (and one duration at most)");
        }
        r = client_call(&bus, "Pause", NULL, "u", secs);
        if (r < 0)
                return -r;
        if (secs && daemon_status(&bus, &st) && st.paused_until)
                printf("Breaks paused until %s\n", human_when(t, st.paused_until, st.now));
        else
                printf("Breaks paused until you run 'limber resume'\n");
        return EXIT_OK;
}

static const struct cli_command resume_cmd = {
        .name = "resume",
        .synopsis = "",
        .summary = "Resume breaks after a pause.",
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
                return usage_error("resume: no arguments expected");
        /* Resume does nothing when not paused: say which it was. */
        was_paused = !daemon_status(&bus, &st) || st.paused;
        r = client_call(&bus, "Resume", NULL, NULL);
        if (r < 0)
                return -r;
        printf(was_paused ? "Breaks resumed\n" : "Breaks were not paused; nothing changed\n");
        return EXIT_OK;
}

static const struct cli_command reload_cmd = {
        .name = "reload",
        .synopsis = "",
        .summary = "Make limberd read the policy files again, and print their warnings.",
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
                return usage_error("reload: no arguments expected");
        r = client_call(&bus, "Reload", &reply, NULL);
        if (r < 0)
                return -r;
        if (sd_bus_message_enter_container(reply, 'a', "s") >= 0)
                while (sd_bus_message_read(reply, "s", &w) > 0)
                        fprintf(stderr, "%s\n", w);
        printf("Policy reloaded\n");
        return EXIT_OK;
}

static const struct cli_option flare_options[] = {
        { 'd', "days", 0, "N", "a number of days", "the plan's flare days, today included (default pacing.flare-days)" },
        { 0 },
};

static const struct cli_command flare_cmd = {
        .name = "flare",
        .synopsis = "on [--days N] | off",
        .summary = "Start a flare plan (pacing scaled down for days, then back) or end it.",
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
                return usage_error("flare: say on or off");
        on = streq(a.pos[0], "on");
        if (days_arg && !on)
                return usage_error("flare: --days goes with on");
        if (days_arg && (parse_count(days_arg, &days) < 0 || days < 1 || days > key_defs[KEY_PACING_FLARE_DAYS].max))
                return usage_error("flare: --days takes a number from 1 to %llu, not '%s'",
                                   (unsigned long long) key_defs[KEY_PACING_FLARE_DAYS].max, days_arg);
        /* Ending nothing is no news: say so. */
        was_on = on || !daemon_status(&bus, &st) || st.flare_day;
        r = days ? client_call(&bus, "SetFlarePlan", NULL, "u", (uint32_t) days)
                 : client_call(&bus, "SetFlare", NULL, "b", (int) on);
        if (r < 0)
                return -r;
        if (!on) {
                printf(was_on ? "Flare plan ended: pacing quota and daily limit back to 100%%\n"
                              : "No flare plan was on; nothing changed\n");
                return EXIT_OK;
        }
        if (!daemon_status(&bus, &st) || !st.flare_day) {
                printf("Flare plan on\n");
                return EXIT_OK;
        }
        printf("Flare plan: %u day%s at %u%% of your pacing quota and daily limit, today included", st.flare_days,
               st.flare_days == 1 ? "" : "s", st.flare_scale);
        if (st.flare_recovery)
                printf(", then %u day%s back to 100%%", st.flare_recovery, st.flare_recovery == 1 ? "" : "s");
        printf(".\nResting early is part of the plan; 'limber flare off' ends it.\n");
        return EXIT_OK;
}
