/* SPDX-License-Identifier: MIT */
/* limber exercises list | show | check | paths: offline, from the exercise files. */
#include <errno.h>
#include <limits.h>
#include <json-c/json.h>
#include <stdio.h>

#include "args.h"
#include "diag.h"
#include "exercises.h"
#include "human.h"
#include "i18n.h"
#include "limber.h"
#include "policy.h"
#include "util.h"
#include "words.h"
#include "value.h"

struct options {
        bool origin, json;
        const char *root;
};

enum {
        OPT_ORIGIN = 256,
        OPT_JSON,
        OPT_ROOT,
};

static const struct cli_option list_options[] = {
        { OPT_ORIGIN, "origin", 0, NULL, NULL, N_("the layer and the file of each exercise") },
        { OPT_JSON, "json", 0, NULL, NULL, N_("print a JSON array") },
        { OPT_ROOT, "root", 0, "DIR", N_("a directory"), N_("read the shipped and employer directories inside DIR") },
        {},
};
static const struct cli_option show_options[] = {
        { OPT_JSON, "json", 0, NULL, NULL, N_("print a JSON object") },
        { OPT_ROOT, "root", 0, "DIR", N_("a directory"), N_("read the shipped and employer directories inside DIR") },
        {},
};
static const struct cli_option paths_options[] = {
        { OPT_ROOT, "root", 0, "DIR", N_("a directory"), N_("the directories inside DIR") },
        {},
};

static const struct cli_command list_cmd = {
        .name = "exercises list",
        .synopsis = "[--origin] [--json] [--root DIR]",
        .summary = N_("Every exercise guided breaks draw from: id, the kinds it suits, its title."),
        .options = list_options,
};
static const struct cli_command show_cmd = {
        .name = "exercises show",
        .synopsis = "[--json] [--root DIR] ID",
        .summary = N_("One exercise, step by step."),
        .options = show_options,
};
static const struct cli_command check_cmd = {
        .name = "exercises check",
        .synopsis = "[--] FILE...",
        .summary = N_("Validate exercise files ('--' first when a name begins with '-')."),
};
static const struct cli_command paths_cmd = {
        .name = "exercises paths",
        .synopsis = "[--root DIR]",
        .summary = N_("The directories read, lowest layer first."),
        .options = paths_options,
};

/* Reads the options; -1 to go on (with the other words in a), else an exit code. */
static int parse_options(struct args *a, const struct cli_command *cmd, int argc, char **argv, struct options *o)
{
        int c;

        args_init(a, cmd, argc, argv);
        while ((c = args_next(a)) > 0) {
                switch (c) {
                case OPT_ORIGIN:
                        o->origin = true;
                        break;
                case OPT_JSON:
                        o->json = true;
                        break;
                case OPT_ROOT:
                        o->root = a->value;
                        break;
                }
        }
        if (c == ARGS_EXIT)
                return a->exit;
        if (o->origin && o->json)
                return usage_error(_("%s: --origin and --json refuse each other (--json has the origin)"), cmd->name);
        return -1;
}

/* The catalogue and the policy as limberd would load them, with every
 * problem printed on stderr. */
static struct exercise_catalogue *load(const struct options *o)
{
        struct exercise_opts eo = { .root = o->root };
        struct policy_opts po = { .root = o->root };
        struct exercise_catalogue *c = NULL;
        struct policy *p = NULL;
        struct diags d;

        diags_init(&d);
        (void) exercise_catalogue_load(&eo, &c, &d);
        if (policy_load(&po, &p, &d) >= 0)
                (void) exercise_catalogue_check_policy(c, p, &d);
        diags_print(&d, stderr, 0);
        diags_finish(&d);
        policy_free(p);
        return c;
}

static void kinds_text(const struct exercise *e, struct strbuf *b)
{
        for (int k = 0; k < N_KINDS; k++)
                if (exercise_suits(e, (enum kind) k))
                        strbuf_printf(b, "%s%s", b->len ? "," : "", kind_names[k]);
}

static json_object *kinds_json(const struct exercise *e)
{
        json_object *a = json_object_new_array();

        for (int k = 0; k < N_KINDS; k++)
                if (exercise_suits(e, (enum kind) k))
                        json_object_array_add(a, json_object_new_string(kind_names[k]));
        return a;
}

static json_object *string_or_null(const char *s)
{
        return s ? json_object_new_string(s) : NULL;
}

static json_object *seconds_or_null(uint64_t usec, bool present)
{
        return present ? json_object_new_int64((int64_t) (usec / USEC_PER_SEC)) : NULL;
}

/* The members list and show share. JSON is the same in every language: the
 * texts as written (.text), their translations apart ("translations"). */
static json_object *exercise_json(const struct exercise *e)
{
        json_object *o = json_object_new_object();

        json_object_object_add(o, "id", json_object_new_string(e->id));
        json_object_object_add(o, "title", json_object_new_string(e->title.text));
        json_object_object_add(o, "kinds", kinds_json(e));
        json_object_object_add(o, "duration", seconds_or_null(exercise_duration(e), true));
        json_object_object_add(o, "steps", json_object_new_int((int) e->n_steps));
        json_object_object_add(o, "picture", string_or_null(e->picture_path));
        json_object_object_add(o, "layer", json_object_new_string(exercise_layer_name(e->layer)));
        json_object_object_add(o, "path", json_object_new_string(e->path));
        return o;
}

static void print_json(json_object *o)
{
        puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(o);
}

static int exercises_list(int argc, char **argv)
{
        struct options o = { 0 };
        struct exercise_catalogue *c;
        struct args a;
        char **langs;
        int r;

        r = parse_options(&a, &list_cmd, argc, argv, &o);
        if (r >= 0)
                return r;
        if (a.n_pos > 0)
                return usage_error(_("exercises list: unexpected argument '%s'"), a.pos[0]);

        c = load(&o);
        if (o.json) {
                json_object *all = json_object_new_array();
                for (size_t i = 0; i < c->n; i++)
                        json_object_array_add(all, exercise_json(c->v[i]));
                print_json(all);
                exercise_catalogue_free(c);
                return EXIT_OK;
        }
        langs = exercise_languages();
        for (size_t i = 0; i < c->n; i++) {
                const struct exercise *e = c->v[i];
                struct strbuf k = { 0 };

                kinds_text(e, &k);
                if (o.origin)
                        printf("%-28s %-24s %-8s %s  %s\n", e->id, k.s, exercise_layer_name(e->layer), e->path,
                               exercise_text_get(&e->title, (const char *const *) langs));
                else
                        printf("%-28s %-24s %s\n", e->id, k.s,
                               exercise_text_get(&e->title, (const char *const *) langs));
                free(k.s);
        }
        exercise_languages_free(langs);
        exercise_catalogue_free(c);
        return EXIT_OK;
}

static void step_text(const struct exercise_step *s, char *buf, size_t size)
{
        char a[HUMAN_BUF];

        if (s->count)
                /* TRANSLATORS: "5 times, 5s each". */
                snprintf(buf, size, ngettext("%u time, %s each", "%u times, %s each", s->count), s->count,
                         human_duration(a, s->each));
        else
                snprintf(buf, size, _("hold %s"), human_duration(a, s->hold));
}

static json_object *text_json(const struct exercise_text *t)
{
        json_object *o = json_object_new_object();

        for (size_t i = 0; i < t->n_tr; i++)
                json_object_object_add(o, t->tr[i].lang, json_object_new_string(t->tr[i].text));
        return o;
}

/* "id        hip-flexor": a label, padded to its column, and a value. */
static void field(const char *label, const char *value)
{
        print_cell(stdout, label, 9, false);
        printf(" %s\n", value);
}

static int exercises_show(int argc, char **argv)
{
        struct options o = { 0 };
        struct exercise_catalogue *c;
        const struct exercise *e;
        char d[HUMAN_BUF], how[64], line[PATH_MAX + 32];
        struct args a;
        int r;

        r = parse_options(&a, &show_cmd, argc, argv, &o);
        if (r >= 0)
                return r;
        if (a.n_pos == 0)
                return usage_error(_("exercises show: which exercise? (limber exercises show ID)"));
        if (a.n_pos > 1)
                return usage_error(_("exercises show: unexpected argument '%s'"), a.pos[1]);

        c = load(&o);
        e = exercise_catalogue_find(c, a.pos[0]);
        if (!e) {
                cli_error(_("no exercise '%s' (see 'limber exercises list')"), a.pos[0]);
                exercise_catalogue_free(c);
                return EXIT_FAIL;
        }
        if (o.json) {
                json_object *obj = exercise_json(e), *steps = json_object_new_array();

                json_object_object_add(obj, "note", string_or_null(e->note.text));
                json_object_object_add(obj, "translations", json_object_new_object());
                json_object_object_add(json_object_object_get(obj, "translations"), "title", text_json(&e->title));
                json_object_object_add(json_object_object_get(obj, "translations"), "note", text_json(&e->note));
                json_object_object_del(obj, "steps");
                for (size_t i = 0; i < e->n_steps; i++) {
                        const struct exercise_step *s = &e->steps[i];
                        json_object *so = json_object_new_object();

                        json_object_object_add(so, "do", json_object_new_string(s->what.text));
                        json_object_object_add(so, "hold", seconds_or_null(s->hold, !s->count));
                        json_object_object_add(so, "count", s->count ? json_object_new_int((int) s->count) : NULL);
                        json_object_object_add(so, "each", seconds_or_null(s->each, s->count));
                        json_object_object_add(so, "duration", seconds_or_null(exercise_step_duration(s), true));
                        json_object_object_add(so, "translations", text_json(&s->what));
                        json_object_array_add(steps, so);
                }
                json_object_object_add(obj, "steps", steps);
                print_json(obj);
        } else {
                char **lv = exercise_languages();
                const char *const *langs = (const char *const *) lv;
                struct strbuf k = { 0 };

                kinds_text(e, &k);
                printf("%s\n\n", exercise_text_get(&e->title, langs));
                field(C_("exercise field", "id"), e->id);
                field(C_("exercise field", "kinds"), k.s);
                field(C_("exercise field", "duration"), human_duration(d, exercise_duration(e)));
                field(C_("exercise field", "picture"), e->picture_path ? e->picture_path
                                                       : e->picture    ? _("(not found)")
                                                                       : C_("picture", "none"));
                snprintf(line, sizeof(line), "%s (%s)", e->path, exercise_layer_name(e->layer));
                field(C_("exercise field", "file"), line);
                putchar('\n');
                for (size_t i = 0; i < e->n_steps; i++) {
                        step_text(&e->steps[i], how, sizeof(how));
                        printf("%zu. %s (%s)\n", i + 1, exercise_text_get(&e->steps[i].what, langs), how);
                }
                if (e->note.text)
                        printf("\n%s\n", exercise_text_get(&e->note, langs));
                free(k.s);
                exercise_languages_free(lv);
        }
        exercise_catalogue_free(c);
        return EXIT_OK;
}

static int exercises_check(int argc, char **argv)
{
        struct exercise_opts eo = { .user_dir = "" };
        char *dirs[N_EXERCISE_LAYERS];
        _cleanup_(freep) char *pictures = NULL;
        size_t errors = 0;
        struct args a;

        args_init(&a, &check_cmd, argc, argv);
        if (args_next(&a) == ARGS_EXIT)
                return a.exit;
        if (a.n_pos == 0)
                return usage_error(_("exercises check: which files? (limber exercises check FILE...)"));

        /* A picture may also come from the shipped directory. */
        exercise_dirs(&eo, dirs);
        pictures = dirs[EXERCISE_SHIPPED];
        free(dirs[EXERCISE_EMPLOYER]);
        free(dirs[EXERCISE_USER]);

        for (int i = 0; i < a.n_pos; i++) {
                struct exercise *e = NULL;
                struct diags d;
                size_t n;

                diags_init(&d);
                (void) exercise_load(a.pos[i], EXERCISE_USER, pictures, &e, &d);
                diags_print(&d, stderr, 0);
                n = diags_count(&d, SEV_ERROR);
                if (!n)
                        /* TRANSLATORS: a file that passed the check. */
                        printf(_("%s: ok\n"), a.pos[i]);
                errors += n;
                diags_finish(&d);
                exercise_free(e);
        }
        return errors ? EXIT_FAIL : EXIT_OK;
}

static int exercises_paths(int argc, char **argv)
{
        struct options o = { 0 };
        char *dirs[N_EXERCISE_LAYERS];
        struct args a;
        int r;

        r = parse_options(&a, &paths_cmd, argc, argv, &o);
        if (r >= 0)
                return r;
        if (a.n_pos > 0)
                return usage_error(_("exercises paths: unexpected argument '%s'"), a.pos[0]);
        exercise_dirs(&(struct exercise_opts){ .root = o.root }, dirs);
        for (int l = 0; l < N_EXERCISE_LAYERS; l++) {
                printf("%s\t%s\n", exercise_layer_name((enum exercise_layer) l),
                       dirs[l] ? dirs[l] : "(no HOME or XDG_CONFIG_HOME)");
                free(dirs[l]);
        }
        return EXIT_OK;
}

int cmd_exercises(int argc, char **argv)
{
        static const struct {
                const struct cli_command *cmd;
                int (*run)(int argc, char **argv);
        } actions[] = {
                { &list_cmd, exercises_list },
                { &show_cmd, exercises_show },
                { &check_cmd, exercises_check },
                { &paths_cmd, exercises_paths },
        };

        if (argc == 2 && (streq(argv[1], "--help") || streq(argv[1], "-h"))) {
                const char *usage = _("Usage:");
                for (size_t i = 0; i < ELEMENTSOF(actions); i++)
                        printf("%*s limber %s%s%s\n", i ? text_columns(usage) : 0, i ? "" : usage, actions[i].cmd->name,
                               *actions[i].cmd->synopsis ? " " : "", actions[i].cmd->synopsis);
                printf("\n%s\n", _("Each action's options: limber exercises ACTION --help"));
                return EXIT_OK;
        }
        usage_for("exercises");
        if (argc < 2)
                return usage_error(_("exercises: which action? (list, show, check, paths)"));
        for (size_t i = 0; i < ELEMENTSOF(actions); i++)
                if (streq(argv[1], actions[i].cmd->name + strlen("exercises ")))
                        return actions[i].run(argc - 1, argv + 1);
        return usage_error(_("exercises: unknown action '%s'"), argv[1]);
}
