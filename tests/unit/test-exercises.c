/* SPDX-License-Identifier: MIT */
/* The exercise format (config/exercises.h), its layers, and the shipped catalogue. */
#include <errno.h>
#include <strings.h>

#include "exercises.h"
#include "policy.h"
#include "testutil.h"
#include "value.h"

#define S USEC_PER_SEC

static const char full[] = "# a comment\n"
                           "[exercise]\n"
                           "id = neck-turn\n"
                           "title = Neck turn\n"
                           "title[de] = Kopf drehen\n"
                           "title[pt_BR] = Girar o pescoço\n"
                           "title[sr@latin] = Okret vrata\n"
                           "kinds = posture movement\n"
                           "picture = neck-turn.svg\n"
                           "note = Stop if it hurts; rest ; then # go on.\n"
                           "note[fr] = Arrêtez si ça fait mal ; reposez-vous.\n"
                           "\n"
                           "[step]\n"
                           "  do = Turn your head slowly to the right.\n"
                           "do[de] = Drehen Sie den Kopf langsam nach rechts.\n"
                           "hold = 25s\n"
                           "[step]\n"
                           "do=Roll your shoulders.\n"
                           "count = 5\n"
                           "each = 6s\n"
                           "[step]\n"
                           "do = Breathe.\n"
                           "count = 3\n";

static struct exercise *parse_ok(const char *path, const char *text)
{
        struct exercise *e = NULL;
        struct diags d;

        diags_init(&d);
        if (exercise_parse(path, text, strlen(text), &e, &d) < 0 || d.n) {
                diags_dump(&d);
                fail_msg("%s did not parse cleanly", path);
        }
        diags_finish(&d);
        return e;
}

static void test_parse_full(void **state)
{
        struct exercise *e = parse_ok("/x/neck-turn.exercise", full);

        assert_string_equal(e->id, "neck-turn");
        assert_string_equal(e->title.text, "Neck turn");
        assert_int_equal(e->title.n_tr, 3);
        assert_int_equal(e->kinds, EXERCISE_KIND(KIND_POSTURE) | EXERCISE_KIND(KIND_MOVEMENT));
        assert_true(exercise_suits(e, KIND_MOVEMENT));
        assert_false(exercise_suits(e, KIND_PACING));
        assert_string_equal(e->picture, "neck-turn.svg");
        assert_int_equal(e->picture_line, 9);
        assert_null(e->picture_path); /* parsing reads no files */
        /* A value runs to the end of its line: no inline comments. */
        assert_string_equal(e->note.text, "Stop if it hurts; rest ; then # go on.");
        assert_string_equal(e->note.tr[0].text, "Arrêtez si ça fait mal ; reposez-vous.");
        assert_string_equal(e->path, "/x/neck-turn.exercise");

        assert_int_equal(e->n_steps, 3);
        assert_string_equal(e->steps[0].what.text, "Turn your head slowly to the right.");
        assert_int_equal(e->steps[0].hold, 25 * S);
        assert_int_equal(e->steps[0].count, 0);
        assert_int_equal(e->steps[0].each, 0);
        assert_int_equal(e->steps[0].line, 13);
        assert_string_equal(e->steps[1].what.text, "Roll your shoulders.");
        assert_int_equal(e->steps[1].hold, 0);
        assert_int_equal(e->steps[1].count, 5);
        assert_int_equal(e->steps[1].each, 6 * S);
        assert_int_equal(exercise_step_duration(&e->steps[1]), 30 * S);
        assert_int_equal(e->steps[2].each, EXERCISE_EACH_DEFAULT);
        assert_int_equal(exercise_duration(e), 25 * S + 30 * S + 3 * EXERCISE_EACH_DEFAULT);
        exercise_free(e);
        exercise_free(NULL);
}

static void test_bom_crlf_and_other_names(void **state)
{
        struct exercise *e;

        /* A byte order mark, CRLF line ends, no newline at the end. */
        e = parse_ok("a.exercise", "\xef\xbb\xbf[exercise]\r\nid = a\r\ntitle = A \r\nkinds = pacing\r\n[step]\r\n"
                                   "do = x\r\nhold = 1s");
        assert_string_equal(e->title.text, "A");
        assert_int_equal(e->steps[0].hold, 1 * S);
        exercise_free(e);
        /* Only a catalogue file name (*.exercise) must match the id. */
        e = parse_ok("/tmp/mine.txt", "[exercise]\nid = something-else\ntitle = T\nkinds = movement\n"
                                      "[step]\ndo = x\nhold = 10m\n");
        assert_int_equal(e->steps[0].hold, 600 * S);
        exercise_free(e);
}

/* One hostile input, the one diagnostic it must produce (as printed), and no other error. */
static void expect_error(const char *text, const char *want)
{
        struct exercise *e = (struct exercise *) 1;
        char buf[1024];
        struct diags d;
        bool found = false;

        diags_init(&d);
        assert_int_equal(exercise_parse("/d/t.exercise", text, strlen(text), &e, &d), -EINVAL);
        assert_null(e);
        for (size_t i = 0; i < d.n; i++)
                found |= streq(diag_format(&d.v[i], buf, sizeof(buf)), want);
        if (!found || diags_count(&d, SEV_ERROR) != 1) {
                diags_dump(&d);
                fail_msg("want exactly one error, this one: %s", want);
        }
        diags_finish(&d);
}

#define HEAD "[exercise]\nid = t\ntitle = T\nkinds = posture\n"
#define STEP "[step]\ndo = x\nhold = 25s\n"

static void test_hostile_inputs(void **state)
{
        char *longline = xcalloc(1, 1200), *many = NULL;
        struct strbuf b = { 0 };

        /* Structure. */
        expect_error(HEAD "[step\ndo = x\nhold = 1s\n" STEP, "/d/t.exercise:5: missing ']' in section header: '[step'");
        expect_error(HEAD "[step] # one\n" STEP,
                     "/d/t.exercise:5: unexpected text after section header: '[step] # one'");
        expect_error(HEAD "[steps]\n" STEP, "/d/t.exercise:5: unknown section (use [exercise] and [step]): '[steps]'");
        expect_error("title = T\n" HEAD STEP,
                     "/d/t.exercise:1: setting outside of a section (start with [exercise]): 'title'");
        expect_error(HEAD "hold still\n" STEP, "/d/t.exercise:5: expected 'key = value': 'hold still'");
        expect_error(HEAD STEP "[exercise]\nid = u\n",
                     "/d/t.exercise:8: a second [exercise] section (the first is on line 1): '[exercise]'");
        expect_error(STEP, "/d/t.exercise: no [exercise] section: an exercise file starts with [exercise], its id and "
                           "title");
        expect_error(HEAD, "/d/t.exercise: no [step]: an exercise has at least one step");
        expect_error(HEAD "\ndo = x\n" STEP, "/d/t.exercise:6: unknown key in [exercise]: 'do'");
        expect_error(HEAD "[step]\ntitle = x\ndo = x\nhold = 25s\n", "/d/t.exercise:6: unknown key in [step]: 'title'");
        expect_error(HEAD "titel = T\n" STEP, "/d/t.exercise:5: unknown key in [exercise]: 'titel'");
        expect_error(HEAD "Title = T\n" STEP, "/d/t.exercise:5: unknown key in [exercise]: 'Title'");

        /* Lines. */
        memset(longline, 'x', 1100);
        memcpy(longline, "note = ", 7);
        strbuf_printf(&b, HEAD "%s\n" STEP, longline);
        expect_error(b.s, "/d/t.exercise:5: line too long (1100 characters; at most 1000)");
        free(b.s);
        b = (struct strbuf){ 0 };
        {
                static const char nul[] = HEAD "note = a\0b\n" STEP;
                struct exercise *e = NULL;
                struct diags d;

                diags_init(&d);
                assert_int_equal(exercise_parse("/d/t.exercise", nul, sizeof(nul) - 1, &e, &d), -EINVAL);
                assert_true(diags_has(&d, SEV_ERROR, 5, "line contains a NUL byte"));
                assert_int_equal(d.n, 1);
                diags_finish(&d);
        }
        expect_error(HEAD "note = caf\xe9\n" STEP, "/d/t.exercise:5: not valid UTF-8: 'caf\xe9'");
        expect_error(HEAD "note = \xc0\xaf\n" STEP, "/d/t.exercise:5: not valid UTF-8: '\xc0\xaf'");
        expect_error(HEAD "note = \xed\xa0\x80\n" STEP, "/d/t.exercise:5: not valid UTF-8: '\xed\xa0\x80'");
        expect_error(HEAD "note = a\tb\n" STEP, "/d/t.exercise:5: control character in value: 'a\\x09b'");

        /* Keys set twice, and translations. */
        expect_error(HEAD "title = Again\n" STEP, "/d/t.exercise:5: duplicate key (first on line 3): 'title'");
        expect_error(HEAD "title[de] = A\ntitle[de] = B\n" STEP,
                     "/d/t.exercise:6: duplicate key (first on line 5): 'title[de]'");
        expect_error(HEAD "[step]\ndo = x\nhold = 25s\nhold = 20s\n",
                     "/d/t.exercise:8: duplicate key (first on line 7): 'hold'");
        expect_error(HEAD "hold[de] = 25s\n" STEP, "/d/t.exercise:5: unknown key in [exercise]: 'hold[de]'");
        expect_error(HEAD "[step]\ndo = x\nhold[de] = 25s\nhold = 1s\n",
                     "/d/t.exercise:7: 'hold' cannot be translated: 'hold[de]'");
        expect_error(HEAD "id[de] = u\n" STEP, "/d/t.exercise:5: 'id' cannot be translated: 'id[de]'");
        expect_error(HEAD "title[DE] = A\n" STEP,
                     "/d/t.exercise:5: invalid language in key (use e.g. title[de] or do[pt_BR]): 'title[DE]'");
        expect_error(HEAD "title[de = A\n" STEP,
                     "/d/t.exercise:5: invalid language in key (use e.g. title[de] or do[pt_BR]): 'title[de'");
        expect_error(HEAD "title[] = A\n" STEP,
                     "/d/t.exercise:5: invalid language in key (use e.g. title[de] or do[pt_BR]): 'title[]'");
        expect_error(HEAD "title[de_de] = A\n" STEP,
                     "/d/t.exercise:5: invalid language in key (use e.g. title[de] or do[pt_BR]): 'title[de_de]'");

        /* Required keys and empty values. */
        expect_error("[exercise]\ntitle = T\nkinds = posture\n" STEP,
                     "/d/t.exercise:1: [exercise] has no id ('id = ...'): '[exercise]'");
        expect_error("[exercise]\nid = t\nkinds = posture\n" STEP,
                     "/d/t.exercise:1: [exercise] has no title ('title = ...'): '[exercise]'");
        expect_error("[exercise]\nid = t\ntitle = T\n" STEP,
                     "/d/t.exercise:1: [exercise] has no kinds ('kinds = posture, movement or pacing'): '[exercise]'");
        expect_error("[exercise]\nid = t\ntitle =\nkinds = posture\n" STEP,
                     "/d/t.exercise:3: empty value for title: ''");
        expect_error(HEAD "note =   \n" STEP, "/d/t.exercise:5: empty value for note: ''");

        /* Ids. */
        expect_error("[exercise]\nid = Neck Bend\ntitle = T\nkinds = posture\n" STEP,
                     "/d/t.exercise:2: invalid id (lower-case letters, digits and single '-', at most 48): "
                     "'Neck Bend'");
        expect_error("[exercise]\nid = all\ntitle = T\nkinds = posture\n" STEP,
                     "/d/t.exercise:2: 'all' is reserved and cannot be an id: 'all'");
        expect_error("[exercise]\nid = u\ntitle = T\nkinds = posture\n" STEP,
                     "/d/t.exercise:2: id does not match the file name t.exercise: 'u'");

        /* Kinds and the picture. */
        expect_error("[exercise]\nid = t\ntitle = T\nkinds = posture, walking\n" STEP,
                     "/d/t.exercise:4: unknown break kind (posture, movement or pacing): 'walking'");
        expect_error("[exercise]\nid = t\ntitle = T\nkinds = posture posture\n" STEP,
                     "/d/t.exercise:4: break kind listed twice: 'posture'");
        expect_error("[exercise]\nid = t\ntitle = T\nkinds = ,\n" STEP,
                     "/d/t.exercise:4: no break kind (posture, movement or pacing): ','");
        expect_error(HEAD "picture = ../x.svg\n" STEP,
                     "/d/t.exercise:5: picture must be a file name ending in .svg or .png, next to the exercise or "
                     "shipped with limber: '../x.svg'");
        expect_error(HEAD "picture = x.jpg\n" STEP,
                     "/d/t.exercise:5: picture must be a file name ending in .svg or .png, next to the exercise or "
                     "shipped with limber: 'x.jpg'");

        /* Steps. */
        expect_error(HEAD "[step]\ndo = x\nhold = 25s\ncount = 5\n",
                     "/d/t.exercise:8: a step has either a hold or a count, not both: '5'");
        expect_error(HEAD "[step]\ndo = x\ncount = 5\nhold = 25s\n",
                     "/d/t.exercise:8: a step has either a hold or a count, not both: '25s'");
        expect_error(HEAD STEP "[step]\ndo = y\n",
                     "/d/t.exercise:8: step 2 has neither a hold ('hold = 25s') nor a count ('count = 5'): '[step]'");
        expect_error(HEAD "[step]\nhold = 25s\n", "/d/t.exercise:5: step 1 has no instruction ('do = ...'): '[step]'");
        expect_error(HEAD "[step]\ndo[de] = x\nhold = 25s\n",
                     "/d/t.exercise:5: step 1 has no instruction ('do = ...'): '[step]'");
        expect_error(HEAD "[step]\ndo = x\nhold = 25\n",
                     "/d/t.exercise:7: invalid duration for hold (use e.g. 25s or 1m30s): '25'");
        expect_error(HEAD "[step]\ndo = x\nhold = 0s\n", "/d/t.exercise:7: hold out of range (1s..10m): '0s'");
        expect_error(HEAD "[step]\ndo = x\nhold = 10m1s\n", "/d/t.exercise:7: hold out of range (1s..10m): '10m1s'");
        expect_error(HEAD "[step]\ndo = x\nhold = 999999999d\n",
                     "/d/t.exercise:7: hold out of range (1s..10m): '999999999d'");
        expect_error(HEAD "[step]\ndo = x\ncount = five\n",
                     "/d/t.exercise:7: invalid count (a whole number of repetitions): 'five'");
        expect_error(HEAD "[step]\ndo = x\ncount = 0\n", "/d/t.exercise:7: count out of range (1..100): '0'");
        expect_error(HEAD "[step]\ndo = x\ncount = 101\n", "/d/t.exercise:7: count out of range (1..100): '101'");
        expect_error(HEAD "[step]\ndo = x\ncount = -1\n",
                     "/d/t.exercise:7: invalid count (a whole number of repetitions): '-1'");
        expect_error(HEAD "[step]\ndo = x\ncount = 5\neach = 2m\n",
                     "/d/t.exercise:8: each out of range (1s..1m): '2m'");
        expect_error(HEAD "[step]\ndo = x\nhold = 5s\neach = 2s\n",
                     "/d/t.exercise:8: 'each' goes with a count of repetitions, not with a hold: '2s'");
        expect_error(HEAD "[step]\ndo = x\ncount = 100\neach = 7s\n",
                     "/d/t.exercise:7: a counted step lasts at most 10m (count x each = 11m40s): '100'");

        /* At most 20 steps: the 21st is one error, whatever follows. */
        for (int i = 0; i < 23; i++)
                strbuf_printf(&b, "%s", i == 0 ? HEAD STEP : STEP);
        many = b.s;
        expect_error(many, "/d/t.exercise:65: too many steps (at most 20): '[step]'");
        free(many);
        free(longline);
}

/* Every error is reported, not just the first. */
static void test_every_error_reported(void **state)
{
        static const char text[] = "[exercise]\nid = Bad\nkinds = nope\n[step]\nhold = 0s\n[what]\n";
        struct exercise *e = NULL;
        struct diags d;

        diags_init(&d);
        assert_int_equal(exercise_parse("x.exercise", text, sizeof(text) - 1, &e, &d), -EINVAL);
        assert_true(diags_has(&d, SEV_ERROR, 2, "invalid id"));
        assert_true(diags_has(&d, SEV_ERROR, 3, "unknown break kind"));
        assert_true(diags_has(&d, SEV_ERROR, 5, "hold out of range"));
        assert_true(diags_has(&d, SEV_ERROR, 4, "step 1 has no instruction"));
        assert_true(diags_has(&d, SEV_ERROR, 6, "unknown section"));
        assert_true(diags_has(&d, SEV_ERROR, 1, "has no title"));
        assert_int_equal(diags_count(&d, SEV_ERROR), 6);
        diags_finish(&d);
}

static void test_translations(void **state)
{
        struct exercise *e = parse_ok("/x/neck-turn.exercise", full);
        static const struct {
                const char *langs[4];
                const char *want;
        } cases[] = {
                { { NULL }, "Neck turn" },
                { { "de", NULL }, "Kopf drehen" },
                { { "de_AT.UTF-8", NULL }, "Kopf drehen" },
                { { "de_DE@euro", NULL }, "Kopf drehen" },
                { { "pt_BR.UTF-8", NULL }, "Girar o pescoço" },
                { { "pt_PT", "pt", NULL }, "Neck turn" },
                { { "fr", "de", NULL }, "Kopf drehen" },
                { { "sr_RS@latin", NULL }, "Okret vrata" },
                { { "sr", NULL }, "Neck turn" },
                { { "C", "de", NULL }, "Neck turn" },
                { { "C.UTF-8", NULL }, "Neck turn" },
                { { "", "de", NULL }, "Kopf drehen" },
        };

        assert_string_equal(exercise_text_get(&e->title, NULL), "Neck turn");
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                const char *got = exercise_text_get(&e->title, cases[i].langs);
                if (!streq(got, cases[i].want))
                        fail_msg("case %zu (%s): '%s', want '%s'", i, cases[i].langs[0] ? cases[i].langs[0] : "NULL",
                                 got, cases[i].want);
        }
        /* A step's text and the note, with the same rules. */
        assert_string_equal(exercise_text_get(&e->steps[0].what, (const char *const[]){ "de_CH", NULL }),
                            "Drehen Sie den Kopf langsam nach rechts.");
        assert_string_equal(exercise_text_get(&e->steps[1].what, (const char *const[]){ "de", NULL }),
                            "Roll your shoulders.");
        assert_string_equal(exercise_text_get(&e->note, (const char *const[]){ "fr_CA", NULL }),
                            "Arrêtez si ça fait mal ; reposez-vous.");
        exercise_free(e);
}

static void env(const char *name, const char *value)
{
        if (value)
                setenv(name, value, 1);
        else
                unsetenv(name);
}

static char *joined(char **v)
{
        struct strbuf b = { 0 };

        strbuf_printf(&b, "%s", "");
        for (size_t i = 0; v[i]; i++)
                strbuf_printf(&b, "%s%s", i ? " " : "", v[i]);
        exercise_languages_free(v);
        return b.s;
}

static void test_languages_from_env(void **state)
{
        static const struct {
                const char *language, *lc_all, *lc_messages, *lang;
                const char *want;
        } cases[] = {
                { NULL, NULL, NULL, NULL, "" },
                { NULL, NULL, NULL, "de_DE.UTF-8", "de_DE.UTF-8" },
                { "fr:de::pt_BR", NULL, NULL, "de_DE.UTF-8", "fr de pt_BR de_DE.UTF-8" },
                { "fr:de", NULL, NULL, "C", "" }, /* gettext ignores LANGUAGE in the C locale... */
                { "fr", "POSIX", NULL, "de_DE", "" },
                { "fr:de", NULL, NULL, "C.UTF-8", "fr de C.UTF-8" }, /* ...but not in C.UTF-8 */
                { NULL, "", "sv_SE", "de_DE", "sv_SE" },
                { NULL, "it_IT", "sv_SE", "de_DE", "it_IT" },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_(freep) char *got = NULL;

                env("LANGUAGE", cases[i].language);
                env("LC_ALL", cases[i].lc_all);
                env("LC_MESSAGES", cases[i].lc_messages);
                env("LANG", cases[i].lang);
                got = joined(exercise_languages());
                if (!streq(got, cases[i].want))
                        fail_msg("case %zu: '%s', want '%s'", i, got, cases[i].want);
        }
        env("LANGUAGE", NULL);
        env("LC_ALL", NULL);
        env("LC_MESSAGES", NULL);
        env("LANG", NULL);
}

/* ---- layers ------------------------------------------------------------- */

struct fixture {
        char *dir, *root, *shipped, *employer, *user;
};

static int setup(void **state)
{
        struct fixture *f = xcalloc(1, sizeof(*f));

        f->dir = tmpdir_new();
        f->root = xasprintf("%s/root", f->dir);
        f->shipped = xasprintf("%s%s", f->root, exercise_shipped_dir);
        f->employer = xasprintf("%s%s", f->root, exercise_employer_dir);
        f->user = xasprintf("%s/cfg/limber/exercises.d", f->dir);
        unsetenv("LIMBER_EXERCISES");
        *state = f;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *f = *state;

        tmpdir_remove(f->dir);
        free(f->root);
        free(f->shipped);
        free(f->employer);
        free(f->user);
        free(f);
        return 0;
}

/* A valid exercise file text with this id, title and kinds. */
static char *exercise_text(const char *id, const char *title, const char *kinds, const char *picture)
{
        return xasprintf("[exercise]\nid = %s\ntitle = %s\nkinds = %s\n%s%s%s[step]\ndo = x\nhold = 20s\n", id, title,
                         kinds, picture ? "picture = " : "", picture ? picture : "", picture ? "\n" : "");
}

static void put(const char *dir, const char *id, const char *title, const char *kinds, const char *picture)
{
        _cleanup_(freep) char *text = exercise_text(id, title, kinds, picture);
        _cleanup_(freep) char *name = xasprintf("%s.exercise", id);
        free(put_file(dir, name, text));
}

static void mask(const char *dir, const char *id)
{
        _cleanup_(freep) char *path = xasprintf("%s/%s.exercise", dir, id);

        assert_int_equal(mkdir_parents(dir, 0755), 0);
        assert_int_equal(symlink("/dev/null", path), 0);
}

static struct exercise_catalogue *load(struct fixture *f, struct diags *d, int want_errors)
{
        struct exercise_opts o = { .root = f->root, .user_dir = f->user };
        struct exercise_catalogue *c = NULL;

        diags_init(d);
        if (exercise_catalogue_load(&o, &c, d) != want_errors) {
                diags_dump(d);
                fail_msg("want %d errors", want_errors);
        }
        assert_non_null(c);
        return c;
}

static const struct exercise_file *file_of(const struct exercise_catalogue *c, enum exercise_layer layer,
                                           const char *name)
{
        for (size_t i = 0; i < c->n_files; i++) {
                const char *base = strrchr(c->files[i].path, '/') + 1;
                if (c->files[i].layer == layer && streq(base, name))
                        return &c->files[i];
        }
        fail_msg("no %s file %s", exercise_layer_name(layer), name);
        return NULL;
}

static void test_layers_override_and_mask(void **state)
{
        struct fixture *f = *state;
        struct exercise_catalogue *c;
        const struct exercise *e;
        struct diags d;

        put(f->shipped, "a", "Shipped A", "posture", NULL);
        put(f->shipped, "b", "Shipped B", "movement", NULL);
        put(f->shipped, "c", "Shipped C", "movement", NULL);
        put(f->employer, "b", "Employer B", "movement", NULL);
        put(f->employer, "e", "Employer E", "pacing", NULL);
        put(f->user, "c", "User C", "posture", NULL);
        put(f->user, "d", "User D", "posture", NULL);
        mask(f->user, "a");
        mask(f->employer, "nothing-below"); /* masks nothing: no harm */
        free(put_file(f->user, "notes.txt", "not an exercise"));
        free(put_file(f->user, ".hidden.exercise", "[garbage"));
        free(put_file(f->user, "README", "[garbage"));

        c = load(f, &d, 0);
        assert_int_equal(d.n, 0);
        assert_int_equal(c->n, 4);
        assert_null(exercise_catalogue_find(c, "a")); /* masked by the user */
        e = exercise_catalogue_find(c, "b");
        assert_string_equal(e->title.text, "Employer B");
        assert_int_equal(e->layer, EXERCISE_EMPLOYER);
        e = exercise_catalogue_find(c, "c");
        assert_string_equal(e->title.text, "User C");
        assert_int_equal(e->layer, EXERCISE_USER);
        assert_true(strstr(e->path, "/cfg/limber/exercises.d/c.exercise") != NULL);
        assert_int_equal(exercise_catalogue_find(c, "d")->layer, EXERCISE_USER);
        assert_int_equal(exercise_catalogue_find(c, "e")->layer, EXERCISE_EMPLOYER);
        assert_null(exercise_catalogue_find(c, "zz"));
        /* Sorted by id. */
        assert_string_equal(c->v[0]->id, "b");
        assert_string_equal(c->v[3]->id, "e");

        /* Every file seen, and what happened to it. */
        assert_int_equal(c->n_files, 9);
        assert_true(file_of(c, EXERCISE_SHIPPED, "a.exercise")->overridden);
        assert_true(file_of(c, EXERCISE_USER, "a.exercise")->masked);
        assert_true(file_of(c, EXERCISE_SHIPPED, "b.exercise")->overridden);
        assert_false(file_of(c, EXERCISE_EMPLOYER, "b.exercise")->overridden);
        assert_true(file_of(c, EXERCISE_EMPLOYER, "nothing-below.exercise")->masked);
        assert_string_equal(c->dirs[EXERCISE_SHIPPED], f->shipped);
        assert_string_equal(c->dirs[EXERCISE_EMPLOYER], f->employer);
        assert_string_equal(c->dirs[EXERCISE_USER], f->user);
        exercise_catalogue_free(c);
        diags_finish(&d);
}

/* A broken file is left out and reported; it does not fall back to the one it replaces. */
static void test_broken_file_is_left_out(void **state)
{
        struct fixture *f = *state;
        _cleanup_(freep) char *dir = xasprintf("%s/dir.exercise", f->user);
        struct exercise_catalogue *c;
        struct diags d;
        char buf[1024];

        put(f->shipped, "a", "Shipped A", "posture", NULL);
        put(f->shipped, "b", "Shipped B", "posture", NULL);
        free(put_file(f->user, "a.exercise",
                      "[exercise]\nid = a\ntitle = Mine\nkinds = posture\n[step]\ndo = x\n"
                      "hold = 25s\ncount = 3\n"));
        assert_int_equal(mkdir_parents(dir, 0755), 0);

        c = load(f, &d, 2);
        assert_int_equal(c->n, 1);
        assert_string_equal(c->v[0]->id, "b");
        assert_true(diags_has(&d, SEV_ERROR, 8, "a step has either a hold or a count, not both: '3'"));
        assert_true(strstr(diag_format(&d.v[0], buf, sizeof(buf)), "/cfg/limber/exercises.d/") != NULL);
        assert_true(diags_has(&d, SEV_ERROR, 0, "is a directory, not an exercise file"));
        exercise_catalogue_free(c);
        diags_finish(&d);
}

static void test_shipped_dir_env_and_xdg(void **state)
{
        struct fixture *f = *state;
        _cleanup_(freep) char *elsewhere = xasprintf("%s/elsewhere", f->dir);
        _cleanup_(freep) char *cfg = xasprintf("%s/cfg", f->dir);
        struct exercise_opts o = { .root = f->root };
        struct exercise_catalogue *c;
        struct diags d;

        put(f->shipped, "in-root", "In root", "posture", NULL);
        put(elsewhere, "from-env", "From env", "posture", NULL);
        put(f->user, "mine", "Mine", "posture", NULL);

        /* --root: the compiled-in shipped directory, inside root; the user's from XDG_CONFIG_HOME. */
        setenv("XDG_CONFIG_HOME", cfg, 1);
        diags_init(&d);
        assert_int_equal(exercise_catalogue_load(&o, &c, &d), 0);
        assert_non_null(exercise_catalogue_find(c, "in-root"));
        assert_non_null(exercise_catalogue_find(c, "mine"));
        assert_null(exercise_catalogue_find(c, "from-env"));
        exercise_catalogue_free(c);

        /* LIMBER_EXERCISES replaces the shipped directory (not inside root). */
        setenv("LIMBER_EXERCISES", elsewhere, 1);
        assert_int_equal(exercise_catalogue_load(&o, &c, &d), 0);
        assert_non_null(exercise_catalogue_find(c, "from-env"));
        assert_null(exercise_catalogue_find(c, "in-root"));
        assert_string_equal(c->dirs[EXERCISE_SHIPPED], elsewhere);
        exercise_catalogue_free(c);

        /* ...and an explicit one replaces both; "" leaves the user's out. */
        o.shipped_dir = f->shipped;
        o.user_dir = "";
        assert_int_equal(exercise_catalogue_load(&o, &c, &d), 0);
        assert_int_equal(c->n, 1);
        assert_string_equal(c->v[0]->id, "in-root");
        assert_null(c->dirs[EXERCISE_USER]);
        exercise_catalogue_free(c);

        /* Missing directories are no error. */
        o = (struct exercise_opts){ .root = "/nonexistent", .user_dir = "/nonexistent/too" };
        unsetenv("LIMBER_EXERCISES");
        assert_int_equal(exercise_catalogue_load(&o, &c, &d), 0);
        assert_int_equal(c->n, 0);
        assert_int_equal(d.n, 0);
        exercise_catalogue_free(c);
        unsetenv("XDG_CONFIG_HOME");
        diags_finish(&d);
}

static void test_pictures(void **state)
{
        struct fixture *f = *state;
        _cleanup_(freep) char *here = xasprintf("%s/here.svg", f->user);
        _cleanup_(freep) char *shipped = xasprintf("%s/shared.svg", f->shipped);
        _cleanup_(freep) char *mine = NULL;
        struct exercise_catalogue *c;
        struct diags d;

        free(put_file(f->shipped, "shared.svg", "<svg/>"));
        free(put_file(f->user, "here.svg", "<svg/>"));
        free(put_file(f->user, "shared.svg", "<svg/>")); /* next to the file wins */
        put(f->shipped, "s", "S", "posture", "shared.svg");
        put(f->user, "u1", "U1", "posture", "here.svg");
        put(f->user, "u2", "U2", "posture", "shared.svg");
        put(f->employer, "e1", "E1", "posture", "shared.svg");
        put(f->employer, "e2", "E2", "posture", "missing.png");

        c = load(f, &d, 0);
        assert_string_equal(exercise_catalogue_find(c, "s")->picture_path, shipped);
        assert_string_equal(exercise_catalogue_find(c, "u1")->picture_path, here);
        mine = xasprintf("%s/shared.svg", f->user);
        assert_string_equal(exercise_catalogue_find(c, "u2")->picture_path, mine);
        assert_string_equal(exercise_catalogue_find(c, "e1")->picture_path, shipped);
        /* Not found: a warning at its line, and the exercise without a picture. */
        assert_null(exercise_catalogue_find(c, "e2")->picture_path);
        assert_true(diags_has(&d, SEV_WARNING, 5, "picture not found in"));
        assert_true(diags_has(&d, SEV_WARNING, 5, ": 'missing.png'"));
        assert_int_equal(d.n, 1);
        exercise_catalogue_free(c);
        diags_finish(&d);
}

/* ---- the policy's choice ------------------------------------------------- */

static void test_select_and_check_policy(void **state)
{
        static const char lists[] = "[posture]\nexercises = r1, nope, p1\n[movement]\nexercises = gone, missing\n";
        struct fixture *f = *state;
        const struct exercise **sel = NULL;
        struct exercise_catalogue *c;
        struct policy *p;
        struct diags d, pd;
        size_t n;

        put(f->shipped, "p1", "P1", "posture", NULL);
        put(f->shipped, "p2", "P2", "posture movement", NULL);
        put(f->shipped, "m1", "M1", "movement", NULL);
        put(f->shipped, "r1", "R1", "pacing", NULL);
        c = load(f, &d, 0);

        /* All: those that suit the kind, by id. A NULL policy means all. */
        p = policy_new();
        n = exercise_catalogue_select(c, p, KIND_MOVEMENT, &sel);
        assert_int_equal(n, 2);
        assert_string_equal(sel[0]->id, "m1");
        assert_string_equal(sel[1]->id, "p2");
        free(sel);
        n = exercise_catalogue_select(c, NULL, KIND_PACING, &sel);
        assert_int_equal(n, 1);
        assert_string_equal(sel[0]->id, "r1");
        free(sel);
        assert_int_equal(exercise_catalogue_check_policy(c, p, &d), 0);
        policy_free(p);

        /* A list: the named ones that exist, in its order, whatever their kinds. */
        p = policy_new();
        diags_init(&pd);
        policy_apply_buffer(p, "/u/limber.ini", lists, strlen(lists), SCOPE_USER, &pd);
        assert_int_equal(pd.n, 0);
        n = exercise_catalogue_select(c, p, KIND_POSTURE, &sel);
        assert_int_equal(n, 2);
        assert_string_equal(sel[0]->id, "r1");
        assert_string_equal(sel[1]->id, "p1");
        free(sel);
        assert_int_equal(exercise_catalogue_select(c, p, KIND_MOVEMENT, &sel), 0);
        free(sel);

        /* Each unknown id is a warning at the line that names it, and a kind left without any says so. */
        assert_int_equal(exercise_catalogue_check_policy(c, p, &d), 4);
        assert_true(diags_has(&d, SEV_WARNING, 2,
                              "posture.exercises names no exercise (see limber exercises list): "
                              "'nope'"));
        assert_true(diags_has(&d, SEV_WARNING, 4,
                              "movement.exercises names no exercise (see limber exercises list): "
                              "'gone'"));
        assert_true(diags_has(&d, SEV_WARNING, 4, "'missing'"));
        assert_true(diags_has(&d, SEV_WARNING, 4, "no exercise for movement breaks: a started one is not guided"));
        assert_int_equal(diags_count(&d, SEV_ERROR), 0);
        assert_string_equal(d.v[0].path, "/u/limber.ini");
        policy_free(p);
        diags_finish(&pd);
        exercise_catalogue_free(c);
        diags_finish(&d);
}

/* ---- what limber ships ---------------------------------------------------- */

static bool mentions(const char *text, const char *word)
{
        return text && strcasestr(text, word);
}

static void check_copy(const struct exercise *e, const char *text)
{
        static const char *const promises[] = { "prevent", "cure", "heal", "treat", "injur", "guarantee" };

        for (size_t i = 0; text && i < ELEMENTSOF(promises); i++)
                if (mentions(text, promises[i]))
                        fail_msg("%s: the copy promises something ('%s'): %s", e->id, promises[i], text);
}

static void test_shipped_catalogue(void **state)
{
        static const char *const covered[] = {
                "neck-side-bend",
                "chin-tuck",
                "shoulder-rolls",
                "upper-trapezius-stretch",
                "chest-doorway-stretch",
                "upper-back-stretch",
                "wrist-flexor-stretch",
                "wrist-extensor-stretch",
                "standing-hip-flexor-stretch",
                "calf-stretch",
                "short-walk",
                "look-into-the-distance",
                "slow-breathing",
        };
        const char *src = getenv("LIMBER_SRCDIR");
        _cleanup_(freep) char *dir = xasprintf("%s/config/exercises", src ? src : ".");
        struct exercise_opts o = { .shipped_dir = dir, .root = "/nonexistent", .user_dir = "" };
        struct exercise_catalogue *c = NULL;
        size_t per_kind[N_KINDS] = { 0 };
        struct diags d;

        diags_init(&d);
        assert_int_equal(exercise_catalogue_load(&o, &c, &d), 0);
        if (d.n)
                diags_dump(&d);
        assert_int_equal(d.n, 0); /* not even a warning */
        assert_true(c->n >= 12);
        for (size_t i = 0; i < ELEMENTSOF(covered); i++)
                if (!exercise_catalogue_find(c, covered[i]))
                        fail_msg("the shipped catalogue has no %s", covered[i]);

        for (size_t i = 0; i < c->n; i++) {
                const struct exercise *e = c->v[i];
                _cleanup_(freep) char *raw = NULL;
                size_t size;

                /* A pictogram of its own, and its sources named in the file. */
                assert_non_null(e->picture_path);
                assert_true(startswith(e->picture, e->id));
                assert_int_equal(read_file(e->path, EXERCISE_FILE_MAX, &raw, &size), 0);
                if (!strstr(raw, "Sources (limber research notes, policy-science.md)"))
                        fail_msg("%s does not name its sources", e->path);

                check_copy(e, e->title.text);
                check_copy(e, e->note.text);
                for (size_t k = 0; k < N_KINDS; k++)
                        per_kind[k] += exercise_suits(e, (enum kind) k);
                for (size_t s = 0; s < e->n_steps; s++) {
                        const struct exercise_step *st = &e->steps[s];

                        check_copy(e, st->what.text);
                        /* Stretches are held 20-30 s; only the walk is held longer. */
                        if (st->hold && st->hold < USEC_PER_MIN && (st->hold < 20 * S || st->hold > 30 * S))
                                fail_msg("%s: step %zu is held %llu s", e->id, s + 1,
                                         (unsigned long long) (st->hold / S));
                        if (st->hold >= USEC_PER_MIN && !streq(e->id, "short-walk"))
                                fail_msg("%s: step %zu is held a minute or more", e->id, s + 1);
                }
                /* A posture break is 30 s by default: what suits it fits. */
                if (exercise_suits(e, KIND_POSTURE) && exercise_duration(e) > 30 * S)
                        fail_msg("%s suits posture breaks but takes %llu s", e->id,
                                 (unsigned long long) (exercise_duration(e) / S));
        }
        /* Enough for the default movement break (3) and some variety. */
        assert_true(per_kind[KIND_POSTURE] >= 4);
        assert_true(per_kind[KIND_MOVEMENT] >= 10);
        assert_true(per_kind[KIND_PACING] >= 1);
        exercise_catalogue_free(c);
        diags_finish(&d);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_parse_full),
                cmocka_unit_test(test_bom_crlf_and_other_names),
                cmocka_unit_test(test_hostile_inputs),
                cmocka_unit_test(test_every_error_reported),
                cmocka_unit_test(test_translations),
                cmocka_unit_test(test_languages_from_env),
                cmocka_unit_test_setup_teardown(test_layers_override_and_mask, setup, teardown),
                cmocka_unit_test_setup_teardown(test_broken_file_is_left_out, setup, teardown),
                cmocka_unit_test_setup_teardown(test_shipped_dir_env_and_xdg, setup, teardown),
                cmocka_unit_test_setup_teardown(test_pictures, setup, teardown),
                cmocka_unit_test_setup_teardown(test_select_and_check_policy, setup, teardown),
                cmocka_unit_test(test_shipped_catalogue),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
