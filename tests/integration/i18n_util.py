# SPDX-License-Identifier: MIT
"""Reading limber's catalogues (po/*.po) in tests, and the environment that
makes limber speak one of them."""
import ast
import functools
import pathlib
import subprocess

from harness import BUILD, SRCDIR

LANGUAGES = ("de", "fr", "es")
LOCALES = {"de": "de_DE", "fr": "fr_FR", "es": "es_ES"}


def _unquote(s):
    return ast.literal_eval(s) if s.startswith('"') else s


@functools.lru_cache(maxsize=None)
def catalogue(lang, path=None):
    """{(context, msgid): msgstr or [msgstr[0], msgstr[1], ...]} of po/LANG.po,
    or of the PO file at path (catalogue(None, SRCDIR / "po/limber.pot"): the
    template, its msgstrs empty). Fuzzy entries are left out."""
    entries, cur, field = {}, {}, None
    fuzzy = False

    def flush():
        nonlocal fuzzy
        if "msgid" in cur and cur["msgid"] and not fuzzy:
            key = (cur.get("msgctxt"), cur["msgid"])
            entries[key] = [cur[k] for k in sorted(cur) if k.startswith("msgstr[")] if "msgid_plural" in cur \
                else cur.get("msgstr", "")
        cur.clear()
        fuzzy = False

    for line in pathlib.Path(path or SRCDIR / f"po/{lang}.po").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            if field and not line:
                flush()
                field = None
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            continue
        if line.startswith('"'):
            cur[field] += _unquote(line)
            continue
        word, _, rest = line.partition(" ")
        if word == "msgctxt" or (word == "msgid" and field and field.startswith("msgstr")):
            flush()
        field = word
        cur[field] = _unquote(rest)
    flush()
    return entries


def tr(lang, msgid, context=None):
    """The translation of msgid in po/LANG.po (an error if it has none)."""
    t = catalogue(lang)[(context, msgid)]
    assert t, f"po/{lang}.po does not translate {msgid!r}"
    return t


def speaking(env, lang, locale=None):
    """env for a limber that speaks lang: LANGUAGE over a UTF-8 locale, the
    catalogues of this build."""
    return dict(env, LANG=locale or "C.UTF-8", LANGUAGE=lang, LIMBER_LOCALEDIR=str(BUILD / "locale"))


@functools.lru_cache(maxsize=None)
def locale_dir():
    """The locales the tests use, compiled from Debian's locale sources
    (package locales) into the build tree: LOCPATH points programs there."""
    root = BUILD / "locales"
    root.mkdir(parents=True, exist_ok=True)
    for lang, name in LOCALES.items():
        out = root / f"{name}.UTF-8"
        if not (out / "LC_CTYPE").exists():
            r = subprocess.run(["localedef", "-i", name, "-f", "UTF-8", str(out)], capture_output=True, text=True)
            assert (out / "LC_CTYPE").exists(), f"localedef {name}: {r.stderr}"
    return root


def in_locale(env, lang):
    """env for a limber in a real LANG_COUNTRY.UTF-8 locale (dates, character
    classes) that speaks lang."""
    return dict(speaking(env, lang, f"{LOCALES[lang]}.UTF-8"), LOCPATH=str(locale_dir()))
