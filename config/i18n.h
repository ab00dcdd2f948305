/* SPDX-License-Identifier: MIT */
#pragma once

#include <libintl.h>

/*
 * Everything a person reads goes through gettext (text domain "limber",
 * catalogues in po/): _() where the text is used, N_() where it is only
 * listed (a table initialiser) and translated later with _(), and
 * ngettext() for a count. Machine formats (JSON, CSV, the waybar format,
 * D-Bus names, the history and state files, policy keys and values) and
 * the log lines for administrators are never translated.
 */

#define _(text) gettext(text)
#define N_(text) (text)
/* A text that means different things in different places: its context
 * tells translators which ("button|Skip"). */
#define C_(context, text) i18n_pgettext(context "\004" text, text)

/* Reads the user's locale (LC_ALL, LC_MESSAGES, LANG; LANGUAGE lists
 * languages to try) for messages, dates and character classes, and binds
 * the text domain: to $LIMBER_LOCALEDIR when set (tests, the build tree),
 * else the installed catalogues. Numbers stay in the C locale, so that
 * machine output never changes with it. */
void i18n_init(void);

const char *i18n_pgettext(const char *id, const char *text);
