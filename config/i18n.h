/* SPDX-License-Identifier: MIT */
#pragma once

#include <libintl.h>
#include <stdbool.h>

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

/* What the policy, exercise and journal parsers say about a file: in the
 * user's language where limber shows it to them, in English where limberd
 * logs it for administrators (i18n_diagnostics stays false there). */
extern bool i18n_diagnostics;
#define D_(text) (i18n_diagnostics ? gettext(text) : (text))

/* Reads the user's locale (LC_ALL, LC_MESSAGES, LANG; LANGUAGE lists
 * languages to try) for messages, dates and character classes, and binds
 * the text domain: to $LIMBER_LOCALEDIR when set (tests, the build tree),
 * else the installed catalogues. Numbers stay in the C locale, so that
 * machine output never changes with it. */
void i18n_init(void);

/* The same for limberd, which only shows messages and times: the other
 * categories stay C. Texts come in UTF-8 whatever LC_CTYPE says, and
 * limberd keeps the C.UTF-8 character tables (128 KiB resident) out of its
 * memory. */
void i18n_init_messages(void);

const char *i18n_pgettext(const char *id, const char *text);
