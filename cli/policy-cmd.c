/* SPDX-License-Identifier: MIT */
/* limber policy show | check | paths: offline, from the policy files. */
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>

#include "diag.h"
#include "limber.h"
#include "policy.h"
#include "util.h"

static void show_ini(const struct policy *p)
{
        const char *section = NULL;
        char vb[VALUE_BUF];

        for (int i = 0; i < N_KEYS; i++) {
                if (!streq(section, key_defs[i].section)) {
                        section = key_defs[i].section;
                        printf("%s[%s]\n", i ? "\n" : "", section);
                }
                printf("%s = %s\n", key_defs[i].name, setting_text(vb, (enum key_id) i, &p->s[i]));
        }
}

/* "locked (PATH:LINE)", "min 5m (PATH:LINE)", … for one setting. */
static void constraints_text(const struct setting *st, enum key_id id, struct strbuf *b)
{
        char vb[VALUE_BUF], ob[ORIGIN_BUF];

        if (st->locked)
                strbuf_printf(b, "  locked (%s)", origin_format(ob, &st->lock_origin));
        if (st->has_min)
                strbuf_printf(b, "  min %s (%s)", key_format(vb, id, st->min), origin_format(ob, &st->min_origin));
        if (st->has_max)
                strbuf_printf(b, "  max %s (%s)", key_format(vb, id, st->max), origin_format(ob, &st->max_origin));
        if (st->clamped)
                strbuf_printf(b, "  clamped");
}

static void show_origin(const struct policy *p)
{
        char kn[KEY_NAME_BUF], vb[VALUE_BUF], ob[ORIGIN_BUF];

        for (int i = 0; i < N_KEYS; i++) {
                const struct setting *st = &p->s[i];
                struct strbuf b = { 0 };

                constraints_text(st, (enum key_id) i, &b);
                printf("%-22s %-8s %-9s %s%s\n", key_full_name(kn, (enum key_id) i),
                       setting_text(vb, (enum key_id) i, st), scope_name(st->origin.scope),
                       origin_format(ob, &st->origin), b.s ? b.s : "");
                free(b.s);
        }
}

static void show_json(const struct policy *p)
{
        json_object *arr = json_object_new_array();
        char kn[KEY_NAME_BUF], vb[VALUE_BUF], ob[ORIGIN_BUF];

        for (int i = 0; i < N_KEYS; i++) {
                const struct setting *st = &p->s[i];
                json_object *o = json_object_new_object();

                json_object_object_add(o, "key", json_object_new_string(key_full_name(kn, (enum key_id) i)));
                json_object_object_add(o, "value", json_object_new_string(setting_text(vb, (enum key_id) i, st)));
                json_object_object_add(o, "scope", json_object_new_string(scope_name(st->origin.scope)));
                json_object_object_add(o, "origin", json_object_new_string(origin_format(ob, &st->origin)));
                json_object_object_add(o, "locked", json_object_new_boolean(st->locked));
                if (st->has_min)
                        json_object_object_add(o, "min",
                                               json_object_new_string(key_format(vb, (enum key_id) i, st->min)));
                if (st->has_max)
                        json_object_object_add(o, "max",
                                               json_object_new_string(key_format(vb, (enum key_id) i, st->max)));
                /* Exactly these fields: admins' tooling reads them. Who
                 * locked a key and what was clamped is in --origin. */
                json_object_array_add(arr, o);
        }
        puts(json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(arr);
}

static int policy_show(int argc, char **argv)
{
        static const struct option opts[] = {
                { "origin", no_argument, NULL, 'o' },
                { "json", no_argument, NULL, 'j' },
                { "root", required_argument, NULL, 'r' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        struct policy_opts po = { 0 };
        struct policy *p = NULL;
        struct diags d;
        bool origin = false, json = false;
        int c;

        optind = 0;
        opterr = 0;
        while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) >= 0) {
                switch (c) {
                case 'o':
                        origin = true;
                        break;
                case 'j':
                        json = true;
                        break;
                case 'r':
                        po.root = optarg;
                        break;
                case 'h':
                        puts("Usage: limber policy show [--origin] [--json] [--root DIR]");
                        return EXIT_OK;
                case ':':
                        return usage_error("policy show: option '%s' needs a directory", argv[optind - 1]);
                default:
                        return usage_error("policy show: unknown option '%s'", argv[optind - 1]);
                }
        }
        if (optind < argc)
                return usage_error("policy show: unexpected argument '%s'", argv[optind]);

        diags_init(&d);
        if (policy_load(&po, &p, &d) < 0) {
                diags_print(&d, stderr, 0);
                diags_finish(&d);
                return EXIT_FAIL;
        }
        diags_print(&d, stderr, 0);
        if (json)
                show_json(p);
        else if (origin)
                show_origin(p);
        else
                show_ini(p);
        policy_free(p);
        diags_finish(&d);
        /* The effective policy was shown; bad lines in it were skipped. */
        return EXIT_OK;
}

static int policy_check(int argc, char **argv)
{
        size_t errors = 0;
        int first = 1;

        /* Options first; "--" ends them, for a file named "-x.ini". */
        for (; first < argc && argv[first][0] == '-' && argv[first][1]; first++) {
                if (streq(argv[first], "--")) {
                        first++;
                        break;
                }
                if (streq(argv[first], "--help") || streq(argv[first], "-h")) {
                        puts("Usage: limber policy check [--] FILE...");
                        return EXIT_OK;
                }
                return usage_error("policy check: unknown option '%s'", argv[first]);
        }
        if (first >= argc)
                return usage_error("policy check: which files? (limber policy check FILE...)");

        for (int i = first; i < argc; i++) {
                struct policy *p = policy_new();
                struct diags d;
                size_t e;

                diags_init(&d);
                policy_apply_file(p, argv[i], SCOPE_EMPLOYER, &d);
                policy_finish_layers(p, &d);
                diags_print(&d, stderr, 0);
                e = diags_count(&d, SEV_ERROR);
                if (!e)
                        printf("%s: ok\n", argv[i]);
                errors += e;
                diags_finish(&d);
                policy_free(p);
        }
        return errors ? EXIT_FAIL : EXIT_OK;
}

static int policy_paths(int argc, char **argv)
{
        const char *root = "";
        _cleanup_(freep) char *user = NULL;

        if (argc == 2 && (streq(argv[1], "--help") || streq(argv[1], "-h"))) {
                puts("Usage: limber policy paths [--root DIR]");
                return EXIT_OK;
        }
        if (argc == 3 && streq(argv[1], "--root"))
                root = argv[2];
        else if (argc != 1)
                return usage_error("usage: limber policy paths [--root DIR]");
        printf("vendor\t%s%s/*.ini\n", root, policy_vendor_dir);
        printf("employer\t%s%s/*.ini\n", root, policy_employer_dir);
        user = policy_user_file(NULL);
        printf("user\t%s\n", user ? user : "(no HOME or XDG_CONFIG_HOME)");
        return EXIT_OK;
}

/* For the shell completions: every key, the kind of value it takes, its help. */
static int policy_keys(int argc, char **argv)
{
        char kn[KEY_NAME_BUF];

        if (argc == 2 && (streq(argv[1], "--help") || streq(argv[1], "-h"))) {
                puts("Usage: limber policy keys");
                return EXIT_OK;
        }
        if (argc != 1)
                return usage_error("usage: limber policy keys");
        for (int i = 0; i < N_KEYS; i++)
                printf("%s\t%s\t%s\n", key_full_name(kn, (enum key_id) i), type_name(&key_defs[i]), key_defs[i].help);
        return EXIT_OK;
}

int cmd_policy(int argc, char **argv)
{
        if (argc == 2 && (streq(argv[1], "--help") || streq(argv[1], "-h"))) {
                puts("Usage: limber policy show [--origin] [--json] [--root DIR]\n"
                     "       limber policy check [--] FILE...\n"
                     "       limber policy paths [--root DIR]\n"
                     "       limber policy keys");
                return EXIT_OK;
        }
        if (argc < 2)
                return usage_error("policy: which action? (show, check, paths, keys)");
        if (streq(argv[1], "show"))
                return policy_show(argc - 1, argv + 1);
        if (streq(argv[1], "check"))
                return policy_check(argc - 1, argv + 1);
        if (streq(argv[1], "paths"))
                return policy_paths(argc - 1, argv + 1);
        if (streq(argv[1], "keys"))
                return policy_keys(argc - 1, argv + 1);
        return usage_error("policy: unknown action '%s'", argv[1]);
}
