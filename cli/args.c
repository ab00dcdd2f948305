/* SPDX-License-Identifier: MIT */
#include "args.h"

#include <stdarg.h>
#include <string.h>

#include "i18n.h"
#include "limber.h"
#include "util.h"

/* Every subcommand has it; its id is never seen: args_next() prints the help. */
static const struct cli_option help_option = { 'h', "help", 'h', NULL, NULL, N_("show this help") };

void args_init(struct args *a, const struct cli_command *cmd, int argc, char **argv)
{
        *a = (struct args) { .cmd = cmd, .argc = argc, .argv = argv, .next = 1, .pos = argv + 1 };
        usage_for(cmd->name);
}

/* The options of cmd and then --help, one at a time: i counts from 0; NULL after the last. */
static const struct cli_option *option_at(const struct cli_command *cmd, size_t i)
{
        size_t n = 0;

        while (cmd->options && cmd->options[n].name)
                n++;
        return i < n ? &cmd->options[i] : i == n ? &help_option : NULL;
}

/* A usage error, "limber: SUBCOMMAND: message", and where the usage is. */
_printf_(2, 3) static int fail(struct args *a, const char *fmt, ...)
{
        char message[512];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(message, sizeof(message), fmt, ap);
        va_end(ap);
        a->exit = usage_error("%s: %s", a->cmd->name, message);
        return ARGS_EXIT;
}

/* The option's id after taking its value, from the rest of the word (inline,
 * may be NULL) or from the next word. */
static int found(struct args *a, const struct cli_option *o, const char *inline_value, const char *spelled)
{
        if (!o->arg) {
                if (inline_value)
                        return fail(a, _("option '%s' takes no value"), spelled);
        } else if (inline_value) {
                a->value = inline_value;
        } else if (a->next < a->argc) {
                a->value = a->argv[a->next++];
        } else {
                return fail(a, _("option '%s' needs %s"), spelled, o->noun ? _(o->noun) : _("a value"));
        }
        if (o == &help_option) {
                args_help(a->cmd, stdout);
                a->exit = EXIT_OK;
                return ARGS_EXIT;
        }
        return o->id;
}

/* "--name", "--name=value", or an unambiguous beginning of a name. */
static int long_option(struct args *a, const char *word)
{
        const char *name = word + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t) (eq - name) : strlen(name);
        const struct cli_option *o, *match = NULL;
        char spelled[64], candidates[256] = "";
        unsigned n = 0;

        for (size_t i = 0; (o = option_at(a->cmd, i)); i++) {
                if (strncmp(o->name, name, len) != 0)
                        continue;
                if (!o->name[len]) { /* exact */
                        match = o;
                        n = 1;
                        break;
                }
                match = o;
                n++;
                snprintf(candidates + strlen(candidates), sizeof(candidates) - strlen(candidates), "%s--%s",
                         *candidates ? ", " : "", o->name);
        }
        if (n == 0)
                return fail(a, _("unknown option '%s'"), word);
        snprintf(spelled, sizeof(spelled), "--%s", match->name);
        if (n > 1)
                return fail(a, _("option '%s' is ambiguous (%s)"), word, candidates);
        return found(a, match, eq ? eq + 1 : NULL, spelled);
}

/* One letter of "-abc"; a value may follow in the same word ("-rDIR"). */
static int short_option(struct args *a)
{
        const struct cli_option *o;
        char letter = *a->cluster++, spelled[3] = { '-', letter, '\0' };
        const char *rest;

        for (size_t i = 0; (o = option_at(a->cmd, i)); i++)
                if (o->letter && o->letter == letter)
                        break;
        if (!o && strlen(a->word) > 2)
                return fail(a, _("unknown option '%s' in '%s'"), spelled, a->word);
        if (!o)
                return fail(a, _("unknown option '%s'"), spelled);
        rest = a->cluster;
        if (o->arg && *rest) {
                a->cluster = NULL;
                return found(a, o, rest, spelled);
        }
        return found(a, o, NULL, spelled);
}

int args_next(struct args *a)
{
        a->value = NULL;
        if (a->cluster && *a->cluster)
                return short_option(a);
        a->cluster = NULL;
        while (a->next < a->argc) {
                char *word = a->argv[a->next++];

                if (a->no_more_options || word[0] != '-' || !word[1]) {
                        /* Never ahead of the reading: 1 + n_pos < next. */
                        a->argv[1 + a->n_pos++] = word;
                        continue;
                }
                if (streq(word, "--")) {
                        a->no_more_options = true;
                        continue;
                }
                if (word[1] == '-')
                        return long_option(a, word);
                a->word = word;
                a->cluster = word + 1;
                return short_option(a);
        }
        a->pos = a->argv + 1;
        return ARGS_END;
}

void args_help(const struct cli_command *cmd, FILE *f)
{
        const struct cli_option *o;
        int width = 0;

        fprintf(f, "%s %s%s%s\n", _("Usage: limber"), cmd->name, *cmd->synopsis ? " " : "", cmd->synopsis);
        if (cmd->summary)
                fprintf(f, "%s\n", _(cmd->summary));
        fprintf(f, "\n%s\n", _("Options:"));
        for (size_t i = 0; (o = option_at(cmd, i)); i++) {
                int w = (int) strlen(o->name) + (o->arg ? 1 + (int) strlen(o->arg) : 0);
                if (w > width)
                        width = w;
        }
        for (size_t i = 0; (o = option_at(cmd, i)); i++) {
                char left[80];

                snprintf(left, sizeof(left), "%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
                if (o->letter)
                        fprintf(f, "  -%c, --%-*s  %s\n", o->letter, width, left, _(o->help));
                else
                        fprintf(f, "      --%-*s  %s\n", width, left, _(o->help));
        }
}
