/* SPDX-License-Identifier: MIT */
/* limberd: the break scheduler daemon, and its --replay mode. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "log.h"
#include "policy.h"
#include "replay.h"
#include "util.h"

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
              "  -h, --help       show this help\n"
              "  -V, --version    show the version\n"
              "\n"
              "See limberd(8).\n",
              f);
}

struct options {
        const char *replay;
        bool json;
        struct policy_opts policy;
};

/* 0 to go on, or an exit status + 1. */
static int parse_args(int argc, char **argv, struct options *o)
{
        static const struct option opts[] = {
                { "replay", required_argument, NULL, 'r' }, { "json", no_argument, NULL, 'j' },
                { "policy", required_argument, NULL, 'p' }, { "root", required_argument, NULL, 'R' },
                { "help", no_argument, NULL, 'h' },         { "version", no_argument, NULL, 'V' },
                {},
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

int main(int argc, char **argv)
{
        struct options o = { 0 };
        int r;

        log_setup("limberd");
        r = parse_args(argc, argv, &o);
        if (r)
                return r - 1;
        if (o.replay)
                return run_replay(&o);

        log_error("the daemon mode is not built yet; use --replay");
        return 1;
}
