/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the policy loader (config/policy.h).
 *
 * The input is one policy file's text. It is applied as an employer layer
 * and then, over it, as the user's layer (so that the user's values meet the
 * employer's locks and bounds); then alone as the user's layer on a fresh
 * policy. Each policy then gets policy_finish_layers(). Every value of the
 * result must be one the key accepts, and its canonical text must parse back
 * to it; every diagnostic must format. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "policy.h"
#include "schedule.h"
#include "schema.h"
#include "util.h"
#include "value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_policy(const struct policy *p)
{
        for (int i = 0; i < N_KEYS; i++) {
                const struct setting *st = &p->s[i];
                char text[VALUE_BUF], kn[KEY_NAME_BUF], ob[ORIGIN_BUF];
                uint64_t back;

                const char *shown = setting_text(text, (enum key_id) i, st);

                if (key_parse((enum key_id) i, shown, &back, NULL) < 0 || back != st->value) {
                        fprintf(stderr, "fuzz-policy: %s = %llu formats as '%s', which does not parse back\n",
                                key_full_name(kn, (enum key_id) i), (unsigned long long) st->value, shown);
                        abort();
                }
                /* A list or hours keep their text, canonical: it reads back as itself. */
                if (type_has_text(key_defs[i].type) != (st->text != NULL)) {
                        fprintf(stderr, "fuzz-policy: %s: text %s\n", key_full_name(kn, (enum key_id) i),
                                st->text ? "on a value that is not a list" : "missing");
                        abort();
                }
                if (st->text && key_defs[i].type == TYPE_SCHEDULE) {
                        struct schedule sc;
                        char *canon = NULL;
                        if (schedule_parse(st->text, &sc, NULL, 0, NULL, 0) < 0 ||
                            strcmp((canon = schedule_format(&sc)), st->text) != 0) {
                                fprintf(stderr, "fuzz-policy: %s = '%s' is not canonical\n",
                                        key_full_name(kn, (enum key_id) i), st->text);
                                abort();
                        }
                        free(canon);
                } else if (st->text) {
                        char *canon = NULL;
                        size_t n;
                        if ((key_defs[i].type == TYPE_ID_LIST ? parse_id_list : parse_name_list)(st->text, &canon, &n,
                                                                                                 NULL) < 0 ||
                            strcmp(canon, st->text) != 0 ||
                            n != st->value) {
                                fprintf(stderr, "fuzz-policy: %s = '%s' is not canonical\n",
                                        key_full_name(kn, (enum key_id) i), st->text);
                                abort();
                        }
                        free(canon);
                }
                if (st->has_min && st->has_max && st->min > st->max) {
                        fprintf(stderr, "fuzz-policy: %s: min above max\n", key_full_name(kn, (enum key_id) i));
                        abort();
                }
                (void) origin_format(ob, &st->origin);
                (void) origin_format(ob, &st->lock_origin);
                (void) origin_format(ob, &st->min_origin);
                (void) origin_format(ob, &st->max_origin);
        }
}

static void check_diags(const struct diags *d)
{
        char buf[1024];

        for (size_t i = 0; i < d->n; i++)
                (void) diag_format(&d->v[i], buf, sizeof(buf));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const char *buf = (const char *) data;
        struct policy *layered = NULL, *user = NULL, *copy = NULL;
        struct diags d;

        diags_init(&d);

        layered = policy_new();
        policy_apply_buffer(layered, "/etc/limber/policy.d/50-fuzz.ini", buf, size, SCOPE_EMPLOYER, &d);
        policy_apply_buffer(layered, "/home/fuzz/.config/limber/limber.ini", buf, size, SCOPE_USER, &d);
        policy_finish_layers(layered, &d);
        check_policy(layered);

        /* The origins of a copy point into the copy's own file list. */
        copy = policy_dup(layered);
        policy_free(layered);
        check_policy(copy);

        user = policy_new();
        policy_apply_buffer(user, "/home/fuzz/.config/limber/limber.ini", buf, size, SCOPE_USER, &d);
        policy_finish_layers(user, &d);
        check_policy(user);
        for (int i = 0; i < N_KEYS; i++)
                if (user->s[i].locked || user->s[i].has_min || user->s[i].has_max) {
                        fprintf(stderr, "fuzz-policy: the user's file constrained a key\n");
                        abort();
                }

        check_diags(&d);
        policy_free(copy);
        policy_free(user);
        diags_finish(&d);
        return 0;
}
