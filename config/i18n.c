/* SPDX-License-Identifier: MIT */
#include "i18n.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

void i18n_init(void)
{
        const char *dir = getenv("LIMBER_LOCALEDIR");

        setlocale(LC_ALL, "");
        setlocale(LC_NUMERIC, "C");
        bindtextdomain("limber", dir && *dir ? dir : LIMBER_LOCALE_DIR);
        bind_textdomain_codeset("limber", "UTF-8");
        textdomain("limber");
}

const char *i18n_pgettext(const char *id, const char *text)
{
        const char *t = gettext(id);
        return t == id ? text : t;
}
