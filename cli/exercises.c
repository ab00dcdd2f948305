/* SPDX-License-Identifier: MIT */
/* limber exercises list | show | check | paths: offline, from the exercise files. */
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>

#include "diag.h"
#include "exercises.h"
#include "limber.h"
#include "policy.h"
#include "util.h"
#include "value.h"

struct options {
        bool origin, json;
        const char *root;
};

/* Parses the options of list and show; returns -1 to go on, else an exit code. */
static int parse_options(int argc, char **argv, const char *usage, bool allow_origin, struct options *o)
{
        static const struct option opts[] = {
                { "origin", no_argument, NULL, 'o' },
                { "json", no_argument, NULL, 'j' },
                { "root", required_argument, NULL, 'r' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        int c;

        optind = 0;
        opterr = 0;
        while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) >= 0) {
                switch (c) {
                case 'o':
                        if (!allow_origin)
                                return usage_error("exercises %s: unknown option '--origin'", argv[0]);
                        o->origin = true;
                        break;
                case 'j':
                        o->json = true;
                        break;
                case 'r':
                        o->root = optarg;
                        break;
                case 'h':
                        puts(usage);
                        return EXIT_OK;
                case ':':
                        return usage_error("exercises %s: option '%s' needs a directory", argv[0], argv[optind - 1]);
                default:
                        return usage_error("exercises %s: unknown option '%s'", argv[0], argv[optind - 1]);
                }
        }
        if (o->origin && o->json)
                return usage_error("exercises %s: --origin and --json refuse each other (--json has the origin)",
                                   argv[0]);
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

/* The members list and show share. */
static json_object *exercise_json(const struct exercise *e, const char *const *langs)
{
        json_object *o = json_object_new_object();

        json_object_object_add(o, "id", json_object_new_string(e->id));
        json_object_object_add(o, "title", json_object_new_string(exercise_text_get(&e->title, langs)));
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
        char **langs;
        int r;

        r = parse_options(argc, argv, "Usage: limber exercises list [--origin] [--json] [--root DIR]", true, &o);
        if (r >= 0)
                return r;
        if (optind < argc)
                return usage_error("exercises list: unexpected argument '%s'", argv[optind]);

        c = load(&o);
        langs = exercise_languages();
        if (o.json) {
                json_object *a = json_object_new_array();
                for (size_t i = 0; i < c->n; i++)
                        json_object_array_add(a, exercise_json(c->v[i], (const char *const *) langs));
                print_json(a);
        }
        for (size_t i = 0; !o.json && i < c->n; i++) {
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
        char a[DURATION_BUF], b[DURATION_BUF];

        if (s->count)
                snprintf(buf, size, "%u times, %s each", s->count, format_duration(b, s->each));
        else
                snprintf(buf, size, "hold %s", format_duration(a, s->hold));
}

static json_object *text_json(const struct exercise_text *t)
{
        json_object *o = json_object_new_object();

        for (size_t i = 0; i < t->n_tr; i++)
                json_object_object_add(o, t->tr[i].lang, json_object_new_string(t->tr[i].text));
        return o;
}

static int exercises_show(int argc, char **argv)
{
        struct options o = { 0 };
        struct exercise_catalogue *c;
        const struct exercise *e;
        const char *const *langs;
        char **lv, d[DURATION_BUF], how[64];
        int r;

        r = parse_options(argc, argv, "Usage: limber exercises show [--json] [--root DIR] ID", false, &o);
        if (r >= 0)
                return r;
        if (optind >= argc)
                return usage_error("exercises show: which exercise? (limber exercises show ID)");
        if (optind + 1 < argc)
                return usage_error("exercises show: unexpected argument '%s'", argv[optind + 1]);

        c = load(&o);
        e = exercise_catalogue_find(c, argv[optind]);
        if (!e) {
                fprintf(stderr, "limber: no exercise '%s' (see 'limber exercises list')\n", argv[optind]);
                exercise_catalogue_free(c);
                return EXIT_FAIL;
        }
        lv = exercise_languages();
        langs = (const char *const *) lv;
        if (o.json) {
                json_object *obj = exercise_json(e, langs), *steps = json_object_new_array();

                json_object_object_add(obj, "note", string_or_null(exercise_text_get(&e->note, langs)));
                json_object_object_add(obj, "translations", json_object_new_object());
                json_object_object_add(json_object_object_get(obj, "translations"), "title", text_json(&e->title));
                json_object_object_add(json_object_object_get(obj, "translations"), "note", text_json(&e->note));
                json_object_object_del(obj, "steps");
                for (size_t i = 0; i < e->n_steps; i++) {
                        const struct exercise_step *s = &e->steps[i];
                        json_object *so = json_object_new_object();

                        json_object_object_add(so, "do", json_object_new_string(exercise_text_get(&s->what, langs)));
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
                struct strbuf k = { 0 };

                kinds_text(e, &k);
                printf("%s\n\n", exercise_text_get(&e->title, langs));
                printf("id        %s\n", e->id);
                printf("kinds     %s\n", k.s);
                printf("duration  %s\n", format_duration(d, exercise_duration(e)));
                printf("picture   %s\n", e->picture_path ? e->picture_path : e->picture ? "(not found)" : "none");
                printf("file      %s (%s)\n\n", e->path, exercise_layer_name(e->layer));
                for (size_t i = 0; i < e->n_steps; i++) {
                        step_text(&e->steps[i], how, sizeof(how));
                        printf("%zu. %s (%s)\n", i + 1, exercise_text_get(&e->steps[i].what, langs), how);
                }
                if (e->note.text)
                        printf("\n%s\n", exercise_text_get(&e->note, langs));
                free(k.s);
        }
        exercise_languages_free(lv);
        exercise_catalogue_free(c);
        return EXIT_OK;
}

static int exercises_check(int argc, char **argv)
{
        struct exercise_opts eo = { .user_dir = "" };
        char *dirs[N_EXERCISE_LAYERS];
        _cleanup_(freep) char *pictures = NULL;
        size_t errors = 0;
        int first = 1;

        /* Options first; "--" ends them, for a file named "-x.exercise". */
        for (; first < argc && argv[first][0] == '-' && argv[first][1]; first++) {
                if (streq(argv[first], "--")) {
                        first++;
                        break;
                }
                if (streq(argv[first], "--help") || streq(argv[first], "-h")) {
                        puts("Usage: limber exercises check [--] FILE...");
                        return EXIT_OK;
                }
                return usage_error("exercises check: unknown option '%s'", argv[first]);
        }
        if (first >= argc)
                return usage_error("exercises check: which files? (limber exercises check FILE...)");

        /* A picture may also come from the shipped directory. */
        exercise_dirs(&eo, dirs);
        pictures = dirs[EXERCISE_SHIPPED];
        free(dirs[EXERCISE_EMPLOYER]);
        free(dirs[EXERCISE_USER]);

        for (int i = first; i < argc; i++) {
                struct exercise *e = NULL;
                struct diags d;
                size_t n;

                diags_init(&d);
                (void) exercise_load(argv[i], EXERCISE_USER, pictures, &e, &d);
                diags_print(&d, stderr, 0);
                n = diags_count(&d, SEV_ERROR);
                if (!n)
                        printf("%s: ok\n", argv[i]);
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
        int r;

        r = parse_options(argc, argv, "Usage: limber exercises paths [--root DIR]", false, &o);
        if (r >= 0)
                return r;
        if (o.json)
                return usage_error("exercises paths: unknown option '--json'");
        if (optind < argc)
                return usage_error("exercises paths: unexpected argument '%s'", argv[optind]);
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
        if (argc == 2 && (streq(argv[1], "--help") || streq(argv[1], "-h"))) {
                puts("Usage: limber exercises list [--origin] [--json] [--root DIR]\n"
                     "       limber exercises show [--json] [--root DIR] ID\n"
                     "       limber exercises check [--] FILE...\n"
                     "       limber exercises paths [--root DIR]");
                return EXIT_OK;
        }
        if (argc < 2)
                return usage_error("exercises: which action? (list, show, check, paths)");
        if (streq(argv[1], "list"))
                return exercises_list(argc - 1, argv + 1);
        if (streq(argv[1], "show"))
                return exercises_show(argc - 1, argv + 1);
        if (streq(argv[1], "check"))
                return exercises_check(argc - 1, argv + 1);
        if (streq(argv[1], "paths"))
                return exercises_paths(argc - 1, argv + 1);
        return usage_error("exercises: unknown action '%s'", argv[1]);
}
