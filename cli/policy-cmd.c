/* SPDX-License-Identifier: MIT */
/* limber policy show | check | paths: offline, from the policy files. */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>

#include "args.h"
#include "diag.h"
#include "i18n.h"
#include "limber.h"
#include "policy.h"
#include "util.h"
#include "words.h"

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

enum {
        OPT_ORIGIN = 256,
        OPT_JSON,
        OPT_ROOT,
};

static const struct cli_option show_options[] = {
        { OPT_ORIGIN, "origin", 0, NULL, NULL, N_("one line per key: value, scope, origin and constraints") },
        { OPT_JSON, "json", 0, NULL, NULL, N_("print a JSON array") },
        ARGS_ROOT_OPTION(OPT_ROOT),
        {},
};

static const struct cli_command show_cmd = {
        .name = "policy show",
        .synopsis = "[--origin] [--json] [--root DIR]",
        .summary = N_("The effective policy: every key with the value in force."),
        .options = show_options,
};

static int policy_show(int argc, char **argv)
{
        struct policy_opts po = { 0 };
        struct policy *p = NULL;
        struct diags d;
        struct args a;
        bool origin = false, json = false;
        int c;

        args_init(&a, &show_cmd, argc, argv);
        while ((c = args_next(&a)) > 0) {
                switch (c) {
                case OPT_ORIGIN:
                        origin = true;
                        break;
                case OPT_JSON:
                        json = true;
                        break;
                case OPT_ROOT:
                        po.root = a.value;
                        break;
                }
        }
        if (c == ARGS_EXIT)
                return a.exit;
        if (a.n_pos > 0)
                return usage_error(_("policy show: unexpected argument '%s'"), a.pos[0]);

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

static const struct cli_command check_cmd = {
        .name = "policy check",
        .synopsis = "[--] FILE...",
        .summary = N_("Validate each FILE as an employer policy file ('--' first when a name begins with '-')."),
};

static int policy_check(int argc, char **argv)
{
        struct args a;
        size_t errors = 0;

        args_init(&a, &check_cmd, argc, argv);
        if (args_next(&a) == ARGS_EXIT)
                return a.exit;
        if (a.n_pos == 0)
                return usage_error(_("policy check: which files? (limber policy check FILE...)"));

        for (int i = 0; i < a.n_pos; i++) {
                struct policy *p = policy_new();
                struct diags d;
                size_t e;

                diags_init(&d);
                policy_apply_file(p, a.pos[i], SCOPE_EMPLOYER, &d);
                policy_finish_layers(p, &d);
                diags_print(&d, stderr, 0);
                e = diags_count(&d, SEV_ERROR);
                if (!e)
                        /* TRANSLATORS: a file that passed the check. */
                        printf(_("%s: ok\n"), a.pos[i]);
                errors += e;
                diags_finish(&d);
                policy_free(p);
        }
        return errors ? EXIT_FAIL : EXIT_OK;
}

static const struct cli_option paths_options[] = {
        ARGS_ROOT_OPTION(OPT_ROOT),
        {},
};

static const struct cli_command paths_cmd = {
        .name = "policy paths",
        .synopsis = "[--root DIR]",
        .summary = N_("The files read, lowest layer first: scope, a tab, and the path."),
        .options = paths_options,
};

static int policy_paths(int argc, char **argv)
{
        const char *root = "";
        _cleanup_(freep) char *user = NULL;
        struct args a;
        int c;

        args_init(&a, &paths_cmd, argc, argv);
        while ((c = args_next(&a)) > 0)
                if (c == OPT_ROOT)
                        root = a.value;
        if (c == ARGS_EXIT)
                return a.exit;
        if (a.n_pos > 0)
                return usage_error(_("policy paths: no arguments expected"));
        printf("vendor\t%s%s/*.ini\n", root, policy_vendor_dir);
        printf("employer\t%s%s/*.ini\n", root, policy_employer_dir);
        user = policy_user_file(NULL);
        printf("user\t%s\n", user ? user : "(no HOME or XDG_CONFIG_HOME)");
        return EXIT_OK;
}

static const struct cli_command keys_cmd = {
        .name = "policy keys",
        .synopsis = "",
        .summary = N_("Every key, the kind of value it takes, and a short help, separated by tabs."),
};

/* For the shell completions: every key, the kind of value it takes, its help. */
static int policy_keys(int argc, char **argv)
{
        char kn[KEY_NAME_BUF];
        struct args a;

        args_init(&a, &keys_cmd, argc, argv);
        if (args_next(&a) == ARGS_EXIT)
                return a.exit;
        if (a.n_pos > 0)
                return usage_error(_("policy keys: no arguments expected"));
        for (int i = 0; i < N_KEYS; i++)
                /* English, like the keys and values it describes (limber.ini(5)). */
                printf("%s\t%s\t%s\n", key_full_name(kn, (enum key_id) i), type_name(&key_defs[i]), key_defs[i].help);
        return EXIT_OK;
}

int cmd_policy(int argc, char **argv)
{
        static const struct {
                const struct cli_command *cmd;
                int (*run)(int argc, char **argv);
        } actions[] = {
                { &show_cmd, policy_show },
                { &check_cmd, policy_check },
                { &paths_cmd, policy_paths },
                { &keys_cmd, policy_keys },
        };

        if (argc == 2 && (streq(argv[1], "--help") || streq(argv[1], "-h"))) {
                const char *usage = _("Usage:");
                for (size_t i = 0; i < ELEMENTSOF(actions); i++)
                        printf("%*s limber %s%s%s\n", i ? text_columns(usage) : 0, i ? "" : usage, actions[i].cmd->name,
                               *actions[i].cmd->synopsis ? " " : "", actions[i].cmd->synopsis);
                printf("\n%s\n", _("Each action's options: limber policy ACTION --help"));
                return EXIT_OK;
        }
        usage_for("policy");
        if (argc < 2)
                return usage_error(_("policy: which action? (show, check, paths, keys)"));
        for (size_t i = 0; i < ELEMENTSOF(actions); i++)
                if (streq(argv[1], actions[i].cmd->name + strlen("policy ")))
                        return actions[i].run(argc - 1, argv + 1);
        return usage_error(_("policy: unknown action '%s'"), argv[1]);
}
