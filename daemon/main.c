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

#include "bus.h"
#include "bus-dict.h"
#include "checkin.h"
#include "clock.h"
#include "diag.h"
#include "engine.h"
#include "exercises.h"
#include "i18n.h"
#include "log.h"
#include "notice.h"
#include "policy.h"
#include "policy-watch.h"
#include "presence.h"
#include "quiet.h"
#include "replay.h"
#include "tray.h"
#include "util.h"
#include "value.h"

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
                { "replay", required_argument, NULL, 'r' },  { "json", no_argument, NULL, 'j' },
                { "policy", required_argument, NULL, 'p' },  { "root", required_argument, NULL, 'R' },
                { "help", no_argument, NULL, 'h' },          { "version", no_argument, NULL, 'V' },
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
 * (no bus name, no scheduler, no state, no history), and says what each
 * answered. */
static int run_list_backends(const struct options *o)
{
        _cleanup_(sd_event_unrefp) sd_event *event = NULL;
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        struct presence_tracker *presence = NULL;
        struct quiet *quiet = NULL;
        const char *names[16], *states[16], *why[16], *holding, *what = NULL;
        struct policy *policy = NULL;
        struct diags diags;
        uint64_t deadline;
        size_t n;
        int r;

        r = sd_event_default(&event);
        if (r >= 0)
                r = sd_bus_open_user(&bus);
        if (r >= 0)
                r = sd_bus_attach_event(bus, event, SD_EVENT_PRIORITY_NORMAL);
        if (r < 0) {
                log_error_errno(r, "cannot connect to the session bus");
                return EXIT_FAILURE;
        }
        diags_init(&diags);
        (void) policy_load(&o->policy, &policy, &diags);
        diags_finish(&diags);
        r = presence_new(event, bus, (unsigned) policy_get(policy, KEY_BACKEND), NULL, NULL, &presence);
        if (r >= 0)
                r = quiet_new(event, bus, &(struct quiet_options){ policy_get_text(policy, KEY_DND_MODES), true },
                              NULL, NULL, &quiet);
        /* Every probe answers (or times out) within a few seconds. */
        deadline = now_usec(CLOCK_MONOTONIC) + 5 * USEC_PER_SEC;
        while (r >= 0 && (presence_probing(presence) || quiet_probing(quiet)) &&
               now_usec(CLOCK_MONOTONIC) < deadline)
                (void) sd_event_run(event, 100 * 1000);
        n = presence_list(presence, names, states, why, 16);
        for (size_t i = 0; i < n; i++)
                printf("%-12s %-10s %s\n", names[i], states[i], why[i]);
        printf("in use: %s\n", presence_backend(presence));
        holding = quiet_holding(quiet, &what);
        if (holding)
                printf("do-not-disturb: %s, %s\n", holding, what);
        else
                printf("do-not-disturb: off\n");
        quiet_free(quiet);
        presence_free(presence);
        policy_free(policy);
        return EXIT_SUCCESS;
}

/* ---- the daemon: the parts, wired to the engine ---------------------------------- */

struct daemon {
        const struct policy_opts *opts;
        sd_event *event;
        sd_bus *bus;
        struct engine *engine;
        struct bus_service *service;
        struct presence_tracker *presence;
        struct quiet *quiet;
        struct policy_watch *watch;
        struct checkin_prompts *checkin;
        struct tray *tray;
        struct notice *notice;
};

/* The policy at start: its errors are logged, and skipped; only a file
 * that cannot be read at all is fatal. */
static int load_policy(const struct policy_opts *opts, struct policy **ret)
{
        struct diags diags;
        int r;

        diags_init(&diags);
        r = policy_load(opts, ret, &diags);
        diags_log(&diags);
        diags_finish(&diags);
        if (r > 0)
                log_error("the policy has %d error%s: those lines are skipped (check with 'limber policy check')", r,
                          r == 1 ? "" : "s");
        return r < 0 ? r : 0;
}

/* 0 and the new policy in force, or -EINVAL with the errors in diags and
 * the old policy still running. */
static int reload_policy(struct daemon *d, struct diags *diags)
{
        struct policy *p = NULL;
        int r;

        (void) sd_notifyf(false, "RELOADING=1\nMONOTONIC_USEC=%llu", (unsigned long long) now_usec(CLOCK_MONOTONIC));
        r = policy_load(d->opts, &p, diags);
        if (r != 0) {
                policy_free(p);
                log_warning("the new policy has %d error%s; keeping the one in force", r < 0 ? 1 : r,
                            r == 1 || r < 0 ? "" : "s");
        } else {
                engine_set_policy(d->engine, p);
                quiet_set_dnd_modes(d->quiet, policy_get_text(p, KEY_DND_MODES));
                log_info("policy reloaded");
        }
        (void) sd_notify(false, "READY=1");
        return r != 0 ? -EINVAL : 0;
}

static void reload(struct daemon *d)
{
        struct diags diags;

        diags_init(&diags);
        if (reload_policy(d, &diags) < 0)
                diags_log(&diags);
        diags_finish(&diags);
}

static void on_presence(void *userdata, enum presence p, uint64_t since)
{
        engine_presence(((struct daemon *) userdata)->engine, p, since);
}

static void on_backend_changed(void *userdata)
{
        engine_sync(((struct daemon *) userdata)->engine);
}

static void on_quiet(void *userdata, const char *source)
{
        engine_quiet(((struct daemon *) userdata)->engine, source);
}

static void on_inhibited(void *userdata, bool inhibited)
{
        presence_idle_inhibited(((struct daemon *) userdata)->presence, inhibited);
}

static void on_policy_changed(void *userdata)
{
        reload(userdata);
}

static void bus_status(void *userdata, struct daemon_status *ret)
{
        engine_status(((struct daemon *) userdata)->engine, ret);
}

static int bus_act(void *userdata, const struct action *a, struct sched_refused *why)
{
        return engine_act(((struct daemon *) userdata)->engine, a, why);
}

static int bus_reload(void *userdata, struct diags *diags)
{
        return reload_policy(userdata, diags);
}

static const struct policy *bus_policy(void *userdata)
{
        return engine_policy(((struct daemon *) userdata)->engine);
}

static size_t bus_backends(void *userdata, const char *names[], const char *states[], const char *why[], size_t max)
{
        struct daemon *d = userdata;
        return d->presence ? presence_list(d->presence, names, states, why, max) : 0;
}

static void tray_notify(void *userdata, const char *title, const char *body)
{
        notice_show(((struct daemon *) userdata)->notice, title, body);
}

static const struct presence_callbacks presence_callbacks = {
        .changed = on_presence,
        .backend_changed = on_backend_changed,
};
static const struct quiet_callbacks quiet_callbacks = {
        .changed = on_quiet,
        .inhibited = on_inhibited,
};
static const struct bus_callbacks bus_callbacks = {
        .status = bus_status,
        .act = bus_act,
        .reload = bus_reload,
        .policy = bus_policy,
        .backends = bus_backends,
};
/* The tray's entries go where the D-Bus methods go. */
static const struct tray_callbacks tray_callbacks = {
        .status = bus_status,
        .act = bus_act,
        .policy = bus_policy,
        .notify = tray_notify,
};

static int on_term(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
        log_info("received %s, exiting", strsignal((int) si->ssi_signo));
        return sd_event_exit(sd_event_source_get_event(s), 0);
}

static int on_hup(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
        log_info("received SIGHUP, reloading the policy");
        reload(userdata);
        return 0;
}

static int run_daemon(const struct options *o)
{
        struct daemon d = { .opts = &o->policy };
        struct policy *policy = NULL;
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
        r = sd_bus_request_name(d.bus, LIMBER_BUS_NAME, 0);
        if (r == -EEXIST) {
                log_error("limberd is already running (bus name %s is taken)", LIMBER_BUS_NAME);
                goto out;
        }
        if (r < 0) {
                log_error_errno(r, "cannot own the bus name %s", LIMBER_BUS_NAME);
                goto out;
        }
        r = sd_bus_attach_event(d.bus, d.event, SD_EVENT_PRIORITY_NORMAL);
        if (r < 0) {
                log_error_errno(r, "cannot attach the bus to the event loop");
                goto out;
        }

        r = load_policy(&o->policy, &policy);
        if (r < 0)
                goto out;
        /* The exercises' system directories are inside --root too. */
        r = engine_new(d.event, policy, &(struct exercise_opts){ .root = o->policy.root }, &d.engine);
        if (r < 0)
                goto out;
        r = bus_service_new(d.bus, &bus_callbacks, &d, &d.service);
        if (r < 0) {
                log_error_errno(r, "cannot register %s", LIMBER_BUS_PATH);
                goto out;
        }
        r = presence_new(d.event, d.bus, (unsigned) policy_get(engine_policy(d.engine), KEY_BACKEND),
                         &presence_callbacks, &d, &d.presence);
        if (r < 0)
                log_warning_errno(r, "cannot follow presence; breaks count as if always active");
        engine_attach(d.engine, d.presence, d.service);
        r = quiet_new(d.event, d.bus,
                      &(struct quiet_options){ policy_get_text(engine_policy(d.engine), KEY_DND_MODES), false },
                      &quiet_callbacks, &d, &d.quiet);
        if (r < 0)
                log_warning_errno(r, "cannot follow do-not-disturb; prompts never wait");
        r = policy_watch_new(d.event, &o->policy, on_policy_changed, &d, &d.watch);
        if (r < 0)
                log_warning_errno(r, "cannot watch the policy files; reload with 'limber reload'");
        if (checkin_prompts_new(d.bus, &d.checkin) >= 0)
                engine_attach_checkin(d.engine, d.checkin);
        (void) notice_new(d.bus, &d.notice);
        (void) tray_new(d.bus, &tray_callbacks, &d, &d.tray);
        engine_attach_tray(d.engine, d.tray);

        engine_sync(d.engine);
        (void) sd_notifyf(false, "READY=1\nSTATUS=%s", engine_status_line(d.engine));
        log_info("limberd %s ready (pid %d)", LIMBER_VERSION, (int) getpid());

        rc = sd_event_loop(d.event);
        if (rc == ENGINE_EXIT_TIMER)
                log_error("exiting: the scheduler timer cannot be armed");
        else if (rc != 0)
                log_error("exiting: the session bus went away");
        (void) sd_notify(false, "STOPPING=1\nSTATUS=exiting");
out:
        policy_watch_free(d.watch);
        quiet_free(d.quiet);
        if (d.engine) {
                engine_attach(d.engine, NULL, NULL);
                engine_attach_checkin(d.engine, NULL);
                engine_attach_tray(d.engine, NULL);
        }
        tray_free(d.tray);
        notice_free(d.notice);
        checkin_prompts_free(d.checkin);
        presence_free(d.presence);
        engine_free(d.engine);
        bus_service_free(d.service);
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
        /* Prompts and the bus's refusals in the user's language; the log
         * stays in English for administrators. */
        i18n_init_messages();
        r = parse_args(argc, argv, &o);
        if (r)
                return r - 1;
        if (o.replay)
                return run_replay(&o);
        if (o.list_backends)
                return run_list_backends(&o);
        return run_daemon(&o);
}
