/* SPDX-License-Identifier: MIT */
/* limber snooze | skip | break | pause | resume | reload | flare: actions over D-Bus. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "limber.h"
#include "schema.h"
#include "util.h"
#include "value.h"

static char *clock_time(char buf[static 8], uint64_t rt)
{
        time_t t = (time_t) (rt / USEC_PER_SEC);
        struct tm tm;

        if (!localtime_r(&t, &tm) || !strftime(buf, 8, "%H:%M", &tm))
                snprintf(buf, 8, "?");
        return buf;
}

static bool want_help(int argc, char **argv, const char *usage)
{
        for (int i = 1; i < argc; i++)
                if (streq(argv[i], "-h") || streq(argv[i], "--help")) {
                        printf("Usage: %s\n", usage);
                        return true;
                }
        return false;
}

/* Runs one method with a connection of its own; returns an exit code. */
static int call(const char *method, const char *types, ...)
{
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        sd_bus_error e = SD_BUS_ERROR_NULL;
        va_list ap;
        int r;

        r = client_open(&bus);
        if (r < 0)
                return -r;
        r = sd_bus_message_new_method_call(bus, &m, LIMBER_BUS_NAME, LIMBER_BUS_PATH, LIMBER_BUS_IFACE, method);
        if (r >= 0 && types && *types) {
                va_start(ap, types);
                r = sd_bus_message_appendv(m, types, ap);
                va_end(ap);
        }
        if (r >= 0)
                r = sd_bus_call(bus, m, 0, &e, &reply);
        if (r < 0) {
                r = client_error(&e, r);
                sd_bus_error_free(&e);
                return r;
        }
        return EXIT_OK;
}

/* limberd's status, to say what an action did or will do; failure is not fatal. */
static bool daemon_status(struct status *st)
{
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        return client_open(&bus) == 0 && client_status(bus, st) == 0;
}

int cmd_snooze(int argc, char **argv)
{
        const char *kind = "";
        uint64_t span = 0;
        struct status st;
        int r;

        if (want_help(argc, argv, "limber snooze [DURATION] [KIND]"))
                return EXIT_OK;
        for (int i = 1; i < argc; i++) {
                if (kind_from_name(argv[i]) >= 0 && !*kind)
                        kind = argv[i];
                else if (!span && parse_duration(argv[i], &span) == 0 && span >= USEC_PER_SEC)
                        continue;
                else
                        return usage_error("snooze: '%s' is neither a duration (like 10m) nor a kind (posture, "
                                           "movement, pacing)",
                                           argv[i]);
        }
        if (span > USEC_PER_DAY)
                return usage_error("snooze: at most 1d");
        r = call("Snooze", "su", kind, (uint32_t) (span / USEC_PER_SEC));
        if (r != EXIT_OK)
                return r;
        if (daemon_status(&st)) {
                for (int i = 0; i < st.n_kinds; i++) {
                        const struct kind_status *k = &st.kinds[i];
                        char t[8];
                        if (streq(k->state, "snoozed") && (!*kind || streq(kind, k->kind)))
                                printf("%s break snoozed until %s (%u snooze%s left)\n", k->kind,
                                       clock_time(t, k->snoozed_until), k->snoozes_left,
                                       k->snoozes_left == 1 ? "" : "s");
                }
        }
        return EXIT_OK;
}

int cmd_skip(int argc, char **argv)
{
        const char *kind = "";
        int r;

        if (want_help(argc, argv, "limber skip [KIND]"))
                return EXIT_OK;
        if (argc > 2)
                return usage_error("skip: too many arguments");
        if (argc == 2) {
                if (kind_from_name(argv[1]) < 0)
                        return usage_error("skip: unknown kind '%s' (use posture, movement or pacing)", argv[1]);
                kind = argv[1];
        }
        if (*kind) {
                r = call("Skip", "s", kind);
                if (r == EXIT_OK)
                        printf("%s break skipped\n", kind);
                return r;
        }
        {
                /* Every due break: say which they were. */
                struct status before;
                bool known = daemon_status(&before);
                char names[64] = "";

                r = call("Skip", "s", "");
                if (r != EXIT_OK)
                        return r;
                for (int i = 0; known && i < before.n_kinds; i++)
                        if (streq(before.kinds[i].state, "due") || streq(before.kinds[i].state, "snoozed"))
                                snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
                                         *names ? " and " : "", before.kinds[i].kind);
                printf("%s break%s skipped\n", *names ? names : "the due", strstr(names, " and ") ? "s" : "");
        }
        return r;
}

int cmd_break(int argc, char **argv)
{
        const char *kind = "";
        struct status st;
        int r;

        if (want_help(argc, argv, "limber break [KIND]"))
                return EXIT_OK;
        if (argc > 2)
                return usage_error("break: too many arguments");
        if (argc == 2) {
                if (kind_from_name(argv[1]) < 0)
                        return usage_error("break: unknown kind '%s' (use posture, movement or pacing)", argv[1]);
                kind = argv[1];
        }
        r = call("TakeBreak", "s", kind);
        if (r != EXIT_OK)
                return r;
        if (daemon_status(&st)) {
                /* The kind asked for; without one, the longest break started,
                 * which covers the shorter ones started with it. */
                int best = -1;
                char d[DURATION_BUF], others[64] = "";

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
                               st.kinds[best].kind, others, format_duration(d, st.kinds[best].break_left));
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

int cmd_pause(int argc, char **argv)
{
        uint32_t secs = 0;
        uint64_t span;
        struct status st;
        char t[8];
        int r;

        if (want_help(argc, argv, "limber pause [DURATION | --until HH:MM]"))
                return EXIT_OK;
        if (argc == 3 && streq(argv[1], "--until")) {
                if (until_seconds(argv[2], &secs) < 0)
                        return usage_error("pause: --until takes a time of day like 14:30, not '%s'", argv[2]);
        } else if (argc == 2) {
                if (parse_duration(argv[1], &span) < 0 || span < USEC_PER_SEC)
                        return usage_error("pause: '%s' is not a duration (like 30m or 1h30m)", argv[1]);
                if (span > 30 * USEC_PER_DAY)
                        return usage_error("pause: at most 30 days");
                secs = (uint32_t) (span / USEC_PER_SEC);
        } else if (argc != 1) {
                return usage_error("usage: limber pause [DURATION | --until HH:MM]");
        }
        r = call("Pause", "u", secs);
        if (r != EXIT_OK)
                return r;
        if (secs && daemon_status(&st) && st.paused_until)
                printf("breaks paused until %s\n", clock_time(t, st.paused_until));
        else
                printf("breaks paused until 'limber resume'\n");
        return EXIT_OK;
}

int cmd_resume(int argc, char **argv)
{
        int r;

        if (want_help(argc, argv, "limber resume"))
                return EXIT_OK;
        if (argc != 1)
                return usage_error("resume: no arguments expected");
        {
                /* Resume does nothing when not paused: say which it was. */
                struct status st;
                bool was_paused = !daemon_status(&st) || st.paused;

                r = call("Resume", NULL);
                if (r == EXIT_OK)
                        printf(was_paused ? "breaks resumed\n" : "breaks were not paused\n");
        }
        return r;
}

int cmd_reload(int argc, char **argv)
{
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        const char *w;
        int r;

        if (want_help(argc, argv, "limber reload"))
                return EXIT_OK;
        if (argc != 1)
                return usage_error("reload: no arguments expected");
        r = client_open(&bus);
        if (r < 0)
                return -r;
        r = client_call(bus, "Reload", &reply, NULL);
        if (r < 0)
                return -r;
        if (sd_bus_message_enter_container(reply, 'a', "s") >= 0)
                while (sd_bus_message_read(reply, "s", &w) > 0)
                        fprintf(stderr, "%s\n", w);
        printf("policy reloaded\n");
        return EXIT_OK;
}

int cmd_flare(int argc, char **argv)
{
        uint64_t days = 0;
        struct status st;
        bool on;
        int r;

        if (want_help(argc, argv, "limber flare on [--days N] | off"))
                return EXIT_OK;
        if (argc == 4 && streq(argv[1], "on") && streq(argv[2], "--days")) {
                if (parse_count(argv[3], &days) < 0 || days < 1 || days > key_defs[KEY_PACING_FLARE_DAYS].max)
                        return usage_error("flare: --days takes a number from 1 to %llu, not '%s'",
                                           (unsigned long long) key_defs[KEY_PACING_FLARE_DAYS].max, argv[3]);
        } else if (argc != 2 || (!streq(argv[1], "on") && !streq(argv[1], "off"))) {
                return usage_error("usage: limber flare on [--days N] | off");
        }
        on = streq(argv[1], "on");
        r = days ? call("SetFlarePlan", "u", (uint32_t) days) : call("SetFlare", "b", (int) on);
        if (r != EXIT_OK)
                return r;
        if (!on) {
                printf("flare plan ended: pacing quota and daily limit back to 100%%\n");
                return EXIT_OK;
        }
        if (!daemon_status(&st) || !st.flare_day) {
                printf("flare plan on\n");
                return EXIT_OK;
        }
        printf("flare plan: %u day%s at %u%% of your pacing quota and daily limit, today included", st.flare_days,
               st.flare_days == 1 ? "" : "s", st.flare_scale);
        if (st.flare_recovery)
                printf(", then %u day%s back to 100%%", st.flare_recovery, st.flare_recovery == 1 ? "" : "s");
        printf(".\nResting early is part of the plan; 'limber flare off' ends it.\n");
        return EXIT_OK;
}
