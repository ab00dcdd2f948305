/* SPDX-License-Identifier: MIT */
#include "i18n.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#ifndef LIMBER_LOCALE_DIR
#define LIMBER_LOCALE_DIR "/usr/local/share/locale"
#endif

bool i18n_diagnostics;

static void bind_domain(void)
{
        const char *dir = getenv("LIMBER_LOCALEDIR");

        bindtextdomain("limber", dir && *dir ? dir : LIMBER_LOCALE_DIR);
        bind_textdomain_codeset("limber", "UTF-8");
        textdomain("limber");
}

void i18n_init(void)
{
        setlocale(LC_ALL, "");
        setlocale(LC_NUMERIC, "C");
        bind_domain();
}

void i18n_init_messages(void)
{
        setlocale(LC_MESSAGES, "");
        setlocale(LC_TIME, "");
        bind_domain();
}

const char *i18n_pgettext(const char *id, const char *text)
{
        const char *t = gettext(id);
        return t == id ? text : t;
}
