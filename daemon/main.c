/* SPDX-License-Identifier: MIT */
/* limberd: the break scheduler daemon, and its --replay mode. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "diag.h"
#include "limberd.h"
#include "log.h"
#include "policy.h"
#include "policy-watch.h"
#include "presence.h"
#include "quiet.h"
#include "replay.h"
#include "clock.h"
#include "util.h"
#include "value.h"

#define BUS_NAME "org.limber.Limber1"

#ifndef LIMBER_VERSION
#define LIMBER_VERSION "0"
#endif

static void help(FILE *f)
{
        fputs("Usage: limberd [OPTIONS]\n"
              "       limberd --replay TRACE [--json] [--policy FILE] [--root DIR]\n"
              "\n"
              "The limber break scheduler. Without --replay, runs in the foreground in the\n"
              "user's session (systemd starts it as limberd.service).\n"
              "\n"
              "  --replay TRACE   run the scheduler over a presence trace, print the timeline\n"
              "  --json           with --replay: one JSON object per line\n"
              "  --policy FILE    add FILE as the top policy layer\n"
              "  --root DIR       read the system policy directories inside DIR\n"
              "  --list-backends  probe every idle backend, say which would be used and why\n"
              "  -h, --help       show this help\n"
              "  -V, --version    show the version\n"
              "\n"
              "See limberd(8).\n",
              f);
}

struct options {
        const char *replay;
        bool json;
        bool list_backends;
        struct policy_opts policy;
};

/* 0 to go on, or an exit status + 1. */
static int parse_args(int argc, char **argv, struct options *o)
{
        static const struct option opts[] = {
                { "replay", required_argument, NULL, 'r' }, { "json", no_argument, NULL, 'j' },
                { "policy", required_argument, NULL, 'p' }, { "root", required_argument, NULL, 'R' },
                { "help", no_argument, NULL, 'h' },         { "version", no_argument, NULL, 'V' },
                { "list-backends", no_argument, NULL, 'L' }, {},
        };
        int c;

        opterr = 0;
        while ((c = getopt_long(argc, argv, "hV", opts, NULL)) >= 0) {
                switch (c) {
                case 'r':
                        o->replay = optarg;
                        break;
                case 'j':
                        o->json = true;
                        break;
                case 'p':
                        o->policy.extra_file = optarg;
                        break;
                case 'R':
                        o->policy.root = optarg;
                        break;
                case 'L':
                        o->list_backends = true;
                        break;
                case 'h':
                        help(stdout);
                        return 1;
                case 'V':
                        printf("limberd %s\n", LIMBER_VERSION);
                        return 1;
                default:
                        fprintf(stderr, "limberd: unknown option '%s'\nTry 'limberd --help'.\n", argv[optind - 1]);
                        return 3;
                }
        }
        if (optind < argc) {
                fprintf(stderr, "limberd: unexpected argument '%s'\nTry 'limberd --help'.\n", argv[optind]);
                return 3;
        }
        if (o->json && !o->replay) {
                fprintf(stderr, "limberd: --json goes with --replay\n");
                return 3;
        }
        return 0;
}

static int run_replay(const struct options *o)
{
        struct policy *p = NULL;
        struct diags d;
        int r;

        diags_init(&d);
        r = policy_load(&o->policy, &p, &d);
        diags_print(&d, stderr, 0);
        diags_finish(&d);
        if (r != 0) {
                fprintf(stderr, "limberd: the policy has errors; fix them first (limber policy check)\n");
                policy_free(p);
                return 1;
        }
        r = replay_run(o->replay, p, o->json, stdout, stderr);
        policy_free(p);
        return r;
}

/* Probes every idle backend as the daemon would, without becoming the daemon
 * (no bus name, no state, no history), and says what each answered. */
static int run_list_backends(const struct options *o)
{
        struct limberd d = { .policy_opts = o->policy };
        const char *names[16], *states[16], *why[16];
        struct diags diags;
        uint64_t deadline;
        size_t n = 0;
        int r;

        d.shown.kind = -1;
        r = sd_event_default(&d.event);
        if (r >= 0)
                r = sd_bus_open_user(&d.bus);
        if (r >= 0)
                r = sd_bus_attach_event(d.bus, d.event, SD_EVENT_PRIORITY_NORMAL);
        if (r < 0) {
                log_error_errno(r, "cannot connect to the session bus");
                return EXIT_FAILURE;
        }
        diags_init(&diags);
        (void) policy_load(&d.policy_opts, &d.policy, &diags);
        diags_finish(&diags);
        d.sched = sched_new(d.policy, engine_now(), NULL, NULL);
        r = presence_new(&d, &d.presence);
        /* Every probe answers (or times out) within a few seconds. */
        deadline = now_usec(CLOCK_MONOTONIC) + 5 * USEC_PER_SEC;
        while (r >= 0 && now_usec(CLOCK_MONOTONIC) < deadline) {
                bool pending = false;
                n = presence_list(d.presence, names, states, why, 16);
                for (size_t i = 0; i < n; i++)
                        pending = pending || streq(states[i], "probing");
                if (!pending)
                        break;
                (void) sd_event_run(d.event, 100 * 1000);
        }
        n = presence_list(d.presence, names, states, why, 16);
        for (size_t i = 0; i < n; i++)
                printf("%-12s %-10s %s\n", names[i], states[i], why[i]);
        printf("in use: %s\n", presence_backend(d.presence));
        presence_free(d.presence);
        sched_free(d.sched);
        policy_free(d.policy);
        sd_bus_flush_close_unref(d.bus);
        sd_event_unref(d.event);
        return EXIT_SUCCESS;
}

static int on_term(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
        log_info("received %s, exiting", strsignal((int) si->ssi_signo));
        return sd_event_exit(sd_event_source_get_event(s), 0);
}

static int on_hup(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
        struct limberd *d = userdata;
        struct diags diags;
        char buf[1024];

        log_info("received SIGHUP, reloading the policy");
        diags_init(&diags);
        if (engine_reload(d, &diags) < 0)
                for (size_t i = 0; i < diags.n; i++)
                        log_error("%s", diag_format(&diags.v[i], buf, sizeof(buf)));
        diags_finish(&diags);
        return 0;
}

static int run_daemon(const struct options *o)
{
        struct limberd d = { .policy_opts = o->policy };
        struct policy_watch *watch = NULL;
        int r, rc = EXIT_FAILURE;

        r = sd_event_default(&d.event);
        if (r < 0)
                return log_error_errno(r, "cannot create the event loop"), EXIT_FAILURE;
        (void) sd_event_add_signal(d.event, NULL, SIGTERM, on_term, &d);
        (void) sd_event_add_signal(d.event, NULL, SIGINT, on_term, &d);
        (void) sd_event_add_signal(d.event, NULL, SIGHUP, on_hup, &d);
        /* Feeds the watchdog when WATCHDOG_USEC is set, and only then. */
        (void) sd_event_set_watchdog(d.event, true);

        r = sd_bus_open_user(&d.bus);
        if (r < 0) {
                log_error_errno(r, "cannot connect to the session bus (is DBUS_SESSION_BUS_ADDRESS set?)");
                goto out;
        }
        /* When the session bus goes, we go: systemd restarts us, state is on disk. */
        (void) sd_bus_set_exit_on_disconnect(d.bus, true);
        r = sd_bus_request_name(d.bus, BUS_NAME, 0);
        if (r == -EEXIST) {
                log_error("limberd is already running (bus name %s is taken)", BUS_NAME);
                goto out;
        }
        if (r < 0) {
                log_error_errno(r, "cannot own the bus name %s", BUS_NAME);
                goto out;
        }
        r = sd_bus_attach_event(d.bus, d.event, SD_EVENT_PRIORITY_NORMAL);
        if (r < 0) {
                log_error_errno(r, "cannot attach the bus to the event loop");
                goto out;
        }

        r = engine_init(&d);
        if (r < 0)
                goto out;
        r = bus_service_init(&d);
        if (r < 0) {
                log_error_errno(r, "cannot register /org/limber/Limber1");
                goto out;
        }
        r = presence_new(&d, &d.presence);
        if (r < 0)
                log_warning_errno(r, "cannot follow presence; breaks count as if always active");
        r = quiet_new(&d, &d.quiet);
        if (r < 0)
                log_warning_errno(r, "cannot follow do-not-disturb; prompts never wait");
        r = policy_watch_new(&d, &watch);
        if (r < 0)
                log_warning_errno(r, "cannot watch the policy files; reload with 'limber reload'");

        d.bus_ready = true;
        engine_sync(&d);
        (void) sd_notifyf(false, "READY=1\nSTATUS=%s", d.status);
        log_info("limberd %s ready (pid %d)", LIMBER_VERSION, (int) getpid());

        rc = sd_event_loop(d.event);
        if (rc != 0)
                log_error("exiting: the session bus went away");
        (void) sd_notify(false, "STOPPING=1\nSTATUS=exiting");
out:
        policy_watch_free(watch);
        quiet_free(d.quiet);
        presence_free(d.presence);
        engine_finish(&d);
        if (d.bus) {
                sd_bus_flush(d.bus);
                sd_bus_close_unref(d.bus);
        }
        sd_event_unref(d.event);
        return rc < 0 ? EXIT_FAILURE : rc;
}

int main(int argc, char **argv)
{
        struct options o = { 0 };
        sigset_t ss;
        int r;

        /* Before any thread exists: GLib's threads inherit this mask, so these
         * signals reach only our signalfd. */
        sigemptyset(&ss);
        sigaddset(&ss, SIGTERM);
        sigaddset(&ss, SIGINT);
        sigaddset(&ss, SIGHUP);
        (void) sigprocmask(SIG_BLOCK, &ss, NULL);
        (void) signal(SIGPIPE, SIG_IGN);

        log_setup("limberd");
        r = parse_args(argc, argv, &o);
        if (r)
                return r - 1;
        if (o.replay)
                return run_replay(&o);
        if (o.list_backends)
                return run_list_backends(&o);
        return run_daemon(&o);
}
