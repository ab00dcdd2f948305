/* SPDX-License-Identifier: MIT */
/*
 * limber set KEY VALUE | unset KEY | edit: the user's own policy file,
 * $XDG_CONFIG_HOME/limber/limber.ini, changed within the employer's locks
 * and bounds, written atomically, then limberd asked to reload.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "args.h"
#include "client.h"
#include "diag.h"
#include "exercises.h"
#include "ini-edit.h"
#include "i18n.h"
#include "limber.h"
#include "policy.h"
#include "schedule.h"
#include "util.h"
#include "value.h"

#define USER_FILE_MAX (1024 * 1024)

/* The user's file; where it is a symlink (a dotfile manager's), the file it
 * points to, so that the atomic rename replaces that and keeps the link. */
static char *user_file_or_fail(void)
{
        char *path = policy_user_file(NULL), *real;
        struct stat st;

        if (!path) {
                cli_error(_("neither XDG_CONFIG_HOME nor HOME is set: where is your policy file?"));
                return NULL;
        }
        if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && (real = realpath(path, NULL))) {
                free(path);
                path = real;
        }
        return path;
}

/* --root DIR, from the command line. */
static const char *root;

enum {
        OPT_ROOT = 256,
};

static const struct cli_option root_only[] = {
        ARGS_ROOT_OPTION(OPT_ROOT),
        {},
};

/* Reads the words of set, unset or edit: --root anywhere, the rest into
 * a->pos. Returns ARGS_END, or ARGS_EXIT with the exit code in a->exit. */
static int parse(struct args *a, const struct cli_command *cmd, int argc, char **argv)
{
        int c;

        args_init(a, cmd, argc, argv);
        while ((c = args_next(a)) > 0)
                if (c == OPT_ROOT)
                        root = a->value;
        return c;
}

/* The system layers alone: what the employer locks and bounds. */
static struct policy *system_policy(void)
{
        struct policy_opts o = { .user_file = "", .root = root };
        struct policy *p = NULL;
        struct diags d;

        diags_init(&d);
        (void) policy_load(&o, &p, &d);
        diags_finish(&d);
        return p;
}

/* Is name a key with a lock or bound suffix, as in posture.interval.max? */
static bool is_constraint(const char *name)
{
        static const char *const suffixes[] = { ".locked", ".min", ".max" };

        for (size_t i = 0; i < ELEMENTSOF(suffixes); i++) {
                size_t n = strlen(name), m = strlen(suffixes[i]);
                if (n > m && streq(name + n - m, suffixes[i])) {
                        _cleanup_(freep) char *key = xstrndup(name, n - m);
                        return key_lookup_full(key) >= 0;
                }
        }
        return false;
}

static int lookup_key(const char *name, enum key_id *ret)
{
        int id;

        if (is_constraint(name)) {
                cli_error(_("%s: locks and bounds belong in employer policy files, not yours"), name);
                return -EXIT_FAIL;
        }
        id = key_lookup_full(name);
        if (id < 0) {
                cli_error(_("unknown key '%s' (see 'limber policy keys')"), name);
                return -EXIT_FAIL;
        }
        *ret = (enum key_id) id;
        return 0;
}

/* Is limberd running? Never starts it. */
static bool daemon_running(sd_bus *bus)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        int has = 0;

        if (sd_bus_call_method(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                               "NameHasOwner", NULL, &reply, "s", LIMBER_BUS_NAME) >= 0)
                (void) sd_bus_message_read(reply, "b", &has);
        return has;
}

/* Asks a running limberd to reload; prints what it says. Returns an exit code. */
static int reload_daemon(void)
{
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        const char *w;
        int r;

        if (sd_bus_open_user(&bus) < 0 || !daemon_running(bus)) {
                printf("%s\n", _("limberd is not running; it reads the file when it starts"));
                return EXIT_OK;
        }
        r = client_call(&bus, "Reload", &reply, NULL);
        if (r == -EXIT_BAD_POLICY)
                cli_error(_("your change is saved, but limberd keeps its previous policy until the "
                            "errors above are fixed ('limber edit'); then run 'limber reload'"));
        if (r < 0)
                return -r;
        if (sd_bus_message_enter_container(reply, 'a', "s") >= 0)
                while (sd_bus_message_read(reply, "s", &w) > 0)
                        fprintf(stderr, "%s\n", w);
        return EXIT_OK;
}

/* Prints the effective value of a key with its origin, as policy show --origin. */
static void show_effective(enum key_id id)
{
        char kn[KEY_NAME_BUF], vb[VALUE_BUF], ob[ORIGIN_BUF];
        struct policy_opts o = { .root = root };
        struct policy *p = NULL;
        struct diags d;

        diags_init(&d);
        (void) policy_load(&o, &p, &d);
        diags_finish(&d);
        /* "(user, PATH:LINE)", or "(built-in)" where scope and origin say the same. */
        origin_format(ob, &p->s[id].origin);
        printf("%s = %s   (%s%s%s%s)\n", key_full_name(kn, id), setting_text(vb, id, &p->s[id]),
               scope_name(p->s[id].origin.scope), streq(ob, scope_name(p->s[id].origin.scope)) ? "" : ", ",
               streq(ob, scope_name(p->s[id].origin.scope)) ? "" : ob, p->s[id].locked ? ", locked" : "");
        policy_free(p);
}

/* After a change to a list of exercises: an id that names no exercise is
 * no error (the catalogue may gain it), but worth a warning now. */
static void check_exercises(enum key_id id)
{
        struct exercise_opts eo = { .root = root };
        struct policy_opts po = { .root = root };
        struct exercise_catalogue *c = NULL;
        struct policy *p = NULL;
        struct diags d, ignored;

        if (key_defs[id].type != TYPE_ID_LIST)
                return;
        diags_init(&d);
        diags_init(&ignored);
        (void) exercise_catalogue_load(&eo, &c, &ignored);
        (void) policy_load(&po, &p, &ignored);
        (void) exercise_catalogue_check_policy(c, p, &d);
        diags_print(&d, stderr, 0);
        diags_finish(&d);
        diags_finish(&ignored);
        exercise_catalogue_free(c);
        policy_free(p);
}

static int read_user_file(const char *path, char **ret)
{
        size_t size;
        int r = read_file(path, USER_FILE_MAX, ret, &size);

        if (r == -ENOENT) {
                *ret = NULL;
                return 0;
        }
        if (r < 0) {
                cli_error(_("%s: cannot read: %s"), path, strerror(-r));
                return r;
        }
        /* Edited as text, it would be cut at the NUL and lose what follows. */
        if (memchr(*ret, '\0', size)) {
                cli_error(_("%s: holds a NUL byte, so it is not a policy file; left as it is"), path);
                free(*ret);
                *ret = NULL;
                return -EINVAL;
        }
        return 0;
}

static int write_user_file(const char *path, const char *text)
{
        _cleanup_(freep) char *dir = xstrdup(path);
        int r;

        *strrchr(dir, '/') = '\0';
        r = mkdir_parents(dir, 0755);
        if (r >= 0)
                r = write_file_atomic(path, text, strlen(text), 0644, true);
        if (r < 0)
                cli_error(_("%s: cannot write: %s"), path, strerror(-r));
        return r;
}

static const struct cli_command set_cmd = {
        .name = "set",
        .synopsis = "[--root DIR] KEY VALUE",
        .summary = N_("Set KEY to VALUE in your policy file, within your employer's locks and bounds."),
        .options = root_only,
};

/* Working hours within the employer's: at least .min, at most .max. */
static int schedule_within_bounds(const char *kn, const char *value, const struct setting *st)
{
        struct schedule v, bound;
        char ob[ORIGIN_BUF];

        if (schedule_parse(value, &v, NULL, 0, NULL, 0) < 0)
                return EXIT_FAIL;
        if (st->has_max && schedule_parse(st->max_text, &bound, NULL, 0, NULL, 0) == 0 && !schedule_within(&v, &bound)) {
                cli_error(_("%s = %s goes beyond the working hours your policy allows: %s (%s)"), kn, value,
                          st->max_text, origin_format(ob, &st->max_origin));
                return EXIT_OUT_OF_BOUNDS;
        }
        if (st->has_min && schedule_parse(st->min_text, &bound, NULL, 0, NULL, 0) == 0 && !schedule_within(&bound, &v)) {
                cli_error(_("%s = %s leaves out hours your policy requires: %s (%s)"), kn, value, st->min_text,
                          origin_format(ob, &st->min_origin));
                return EXIT_OUT_OF_BOUNDS;
        }
        return EXIT_OK;
}

int cmd_set(int argc, char **argv)
{
        _cleanup_(freep) char *path = NULL, *old = NULL, *new = NULL;
        const char *name, *value;
        struct args a;
        char kn[KEY_NAME_BUF], vb[VALUE_BUF], b2[VALUE_BUF], ob[ORIGIN_BUF], ob2[ORIGIN_BUF];
        const struct key_def *def;
        const struct setting *st;
        struct policy *sys;
        const char *why;
        enum key_id id;
        uint64_t v;
        int r;

        if (parse(&a, &set_cmd, argc, argv) == ARGS_EXIT)
                return a.exit;
        if (a.n_pos != 2)
                return usage_error(_("set: a KEY and a VALUE, e.g. limber set posture.interval 25m"));
        name = a.pos[0];
        value = a.pos[1];
        r = lookup_key(name, &id);
        if (r < 0)
                return -r;
        def = &key_defs[id];
        key_full_name(kn, id);

        /* The same parser and hard bounds as the loader. */
        if (def->type == TYPE_SCHEDULE && key_parse(id, value, &v, &why) < 0) {
                char what[96], token[80];
                (void) schedule_parse(value, &(struct schedule){ 0 }, what, sizeof(what), token, sizeof(token));
                cli_error(_("invalid working hours for %s (%s): '%s'"), kn, what, token);
                return EXIT_FAIL;
        }
        r = key_parse(id, value, &v, &why);
        if (r < 0) {
                if (r == -EDOM)
                        cli_error(_("out of range for %s (%s..%s): '%s'"), kn, key_format(vb, id, def->min),
                                  key_format(b2, id, def->max), value);
                else
                        cli_error(_("%s for %s (%s): '%s'"), why, kn, type_hint(def), value);
                return EXIT_FAIL;
        }

        sys = system_policy();
        st = &sys->s[id];
        if (st->locked) {
                cli_error(_("%s is locked to %s by %s"), kn, setting_text(vb, id, st),
                          origin_format(ob, &st->lock_origin));
                policy_free(sys);
                return EXIT_LOCKED;
        }
        if (def->type == TYPE_SCHEDULE) {
                r = schedule_within_bounds(kn, value, st);
                if (r != EXIT_OK) {
                        policy_free(sys);
                        return r;
                }
        } else if ((st->has_min && v < st->min) || (st->has_max && v > st->max)) {
                if (st->has_min && st->has_max)
                        cli_error(_("%s = %s is outside the range your policy allows: %s to %s (%s, %s)"), kn, value,
                                  key_format(vb, id, st->min), key_format(b2, id, st->max),
                                  origin_format(ob, &st->min_origin), origin_format(ob2, &st->max_origin));
                else if (st->has_min)
                        cli_error(_("%s = %s is below the minimum your policy allows: at least %s (%s)"), kn, value,
                                  key_format(vb, id, st->min), origin_format(ob, &st->min_origin));
                else
                        cli_error(_("%s = %s is above the maximum your policy allows: at most %s (%s)"), kn, value,
                                  key_format(vb, id, st->max), origin_format(ob, &st->max_origin));
                policy_free(sys);
                return EXIT_OUT_OF_BOUNDS;
        }
        policy_free(sys);

        path = user_file_or_fail();
        if (!path)
                return EXIT_FAIL;
        if (read_user_file(path, &old) < 0)
                return EXIT_FAIL;
        new = ini_set(old, def->section, def->name, value);
        if (write_user_file(path, new) < 0)
                return EXIT_FAIL;
        show_effective(id);
        check_exercises(id);
        return reload_daemon();
}

static const struct cli_command unset_cmd = {
        .name = "unset",
        .synopsis = "[--root DIR] KEY",
        .summary = N_("Remove KEY from your policy file: the employer's or built-in value applies."),
        .options = root_only,
};

int cmd_unset(int argc, char **argv)
{
        _cleanup_(freep) char *path = NULL, *old = NULL, *new = NULL;
        char kn[KEY_NAME_BUF];
        unsigned removed;
        enum key_id id;
        struct args a;
        int r;

        if (parse(&a, &unset_cmd, argc, argv) == ARGS_EXIT)
                return a.exit;
        if (a.n_pos != 1)
                return usage_error(_("unset: one KEY, e.g. limber unset posture.interval"));
        r = lookup_key(a.pos[0], &id);
        if (r < 0)
                return -r;
        path = user_file_or_fail();
        if (!path)
                return EXIT_FAIL;
        if (read_user_file(path, &old) < 0)
                return EXIT_FAIL;
        new = ini_unset(old, key_defs[id].section, key_defs[id].name, &removed);
        if (!removed) {
                printf(_("%s was not set in %s; nothing changed\n"), key_full_name(kn, id), path);
                show_effective(id);
                return EXIT_OK;
        }
        if (write_user_file(path, new) < 0)
                return EXIT_FAIL;
        show_effective(id);
        return reload_daemon();
}

/* ---- edit ------------------------------------------------------------------ */

/* Runs $LIMBER_EDITOR on file; returns its exit status. Like crontab -e,
 * limber ignores SIGINT and SIGQUIT meanwhile: a Ctrl-C meant for the editor
 * must not lose the edit. */
static int run_editor(const char *file)
{
        struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit;
        pid_t pid;
        int status, r;

        sigemptyset(&ign.sa_mask);
        sigaction(SIGINT, &ign, &old_int);
        sigaction(SIGQUIT, &ign, &old_quit);
        pid = fork();
        if (pid == 0) {
                sigaction(SIGINT, &old_int, NULL);
                sigaction(SIGQUIT, &old_quit, NULL);
                /* Through the shell, so that "code --wait" works as EDITOR. */
                execl("/bin/sh", "sh", "-c", "exec $LIMBER_EDITOR \"$1\"", "sh", file,
                      (char *) NULL);
                _exit(127);
        }
        r = pid < 0 ? -errno : 0;
        while (r == 0 && waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        r = -errno;
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGQUIT, &old_quit, NULL);
        if (r < 0)
                return r;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Checks text as the user file, on top of the system layers. Prints the
 * problems (naming the real file) and returns the number of errors. */
static size_t validate(const char *real, const char *text)
{
        struct policy *p = system_policy();
        struct diags d;
        char buf[1024];
        size_t errors;

        diags_init(&d);
        policy_apply_buffer(p, real, text, strlen(text), SCOPE_USER, &d);
        policy_finish_layers(p, &d);
        for (size_t i = 0; i < d.n; i++)
                fprintf(stderr, "%s\n", diag_format(&d.v[i], buf, sizeof(buf)));
        errors = diags_count(&d, SEV_ERROR);
        diags_finish(&d);
        policy_free(p);
        return errors;
}

static bool ask_again(void)
{
        char answer[16];

        fprintf(stderr, "%s", _("Edit again? [Y/n] "));
        fflush(stderr);
        if (!fgets(answer, sizeof(answer), stdin))
                return false;
        return answer[0] != 'n' && answer[0] != 'N';
}

static const struct cli_command edit_cmd = {
        .name = "edit",
        .synopsis = "[--root DIR]",
        .summary = N_("Edit your policy file in $VISUAL or $EDITOR; it is checked before it is saved."),
        .options = root_only,
};

int cmd_edit(int argc, char **argv)
{
        _cleanup_(freep) char *path = NULL, *old = NULL, *tmp = NULL, *dir = NULL;
        const char *editor;
        bool tty = isatty(STDIN_FILENO) && isatty(STDERR_FILENO);
        struct args a;
        int fd, r, rc = EXIT_FAIL;

        if (parse(&a, &edit_cmd, argc, argv) == ARGS_EXIT)
                return a.exit;
        if (a.n_pos != 0)
                return usage_error(_("edit: no arguments expected"));
        path = user_file_or_fail();
        if (!path)
                return EXIT_FAIL;
        if (read_user_file(path, &old) < 0)
                return EXIT_FAIL;
        if (!old)
                old = xstrdup("# Your limber policy: see limber.ini(5), 'limber policy show --origin'\n"
                              "# and 'limber policy keys'. Example:\n#\n# [posture]\n# interval = 25m\n");

        dir = xstrdup(path);
        *strrchr(dir, '/') = '\0';
        if (mkdir_parents(dir, 0755) < 0) {
                cli_error(_("cannot create %s: %s"), dir, strerror(errno));
                return EXIT_FAIL;
        }
        /* The copy sits next to the real file, under a name limberd never reads. */
        tmp = xasprintf("%s/.limber.ini.edit-XXXXXX", dir);
        fd = mkstemp(tmp);
        if (fd < 0 || write(fd, old, strlen(old)) != (ssize_t) strlen(old) || close(fd) < 0) {
                cli_error(_("cannot write a copy to edit in %s: %s"), dir, strerror(errno));
                if (fd >= 0)
                        unlink(tmp);
                return EXIT_FAIL;
        }
        editor = getenv("VISUAL");
        if (!editor || !*editor)
                editor = getenv("EDITOR");
        setenv("LIMBER_EDITOR", editor && *editor ? editor : "vi", 1);

        for (;;) {
                _cleanup_(freep) char *text = NULL;
                size_t size;

                r = run_editor(tmp);
                if (r != 0) {
                        cli_error(_("the editor failed (status %d); %s is unchanged"), r, path);
                        break;
                }
                if (read_file(tmp, USER_FILE_MAX, &text, &size) < 0 || memchr(text, '\0', size)) {
                        cli_error(_("cannot read the edited copy; %s is unchanged"), path);
                        break;
                }
                if (streq(text, old)) {
                        printf("%s\n", _("No changes"));
                        rc = EXIT_OK;
                        break;
                }
                if (validate(path, text) == 0) {
                        rc = write_user_file(path, text) < 0 ? EXIT_FAIL : reload_daemon();
                        if (rc == EXIT_OK)
                                printf(_("%s saved\n"), path);
                        break;
                }
                if (!tty || !ask_again()) {
                        cli_error(_("%s is unchanged"), path);
                        break;
                }
        }
        unlink(tmp);
        return rc;
}
