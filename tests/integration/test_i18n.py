# SPDX-License-Identifier: MIT
"""limber in the user's language: the catalogues are complete and used, the
C locale and the machine formats never change with the language, parsers'
messages are translated for the user and stay English in limberd's log, and
no human-facing literal escapes gettext."""
import json
import pathlib
import re
import subprocess

import pytest

from conftest import limber, run, write
from harness import BUILD, SRCDIR, wait_for
from i18n_util import LANGUAGES, catalogue, in_locale, speaking, tr


def test_every_language_is_shipped_complete():
    linguas = (SRCDIR / "po/LINGUAS").read_text().split()
    assert set(LANGUAGES) <= set(linguas), linguas
    pot = SRCDIR / "po/limber.pot"
    template = set(catalogue(None, pot))
    # Every entry of the template was read (all but the header's empty msgid).
    assert len(template) == pot.read_text().count('\nmsgid "') - 1, len(template)
    for lang in linguas:
        r = subprocess.run(["msgfmt", "-c", "--check-format", "--statistics", "-o", "/dev/null", f"po/{lang}.po"],
                           cwd=SRCDIR, capture_output=True, text=True, env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"})
        assert r.returncode == 0, r.stderr
        assert re.fullmatch(r"\d+ translated messages?\.\n", r.stderr), (lang, r.stderr)
        assert set(catalogue(lang)) >= template, (lang, template - set(catalogue(lang)))
        assert (BUILD / f"locale/{lang}/LC_MESSAGES/limber.mo").exists()


def _appearing(text, lang, min_len=16):
    """The catalogue's plain messages that appear whole in text."""
    return [m for (c, m), t in catalogue(lang).items()
            if c is None and isinstance(t, str) and "%" not in m and len(m) >= min_len and m in text and t != m]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("args", [["--help"], ["status", "--help"], ["report", "--help"], ["log", "--help"]])
def test_help_speaks_the_language(limber_env, lang, args):
    english = limber(limber_env, *args)
    assert english.returncode == 0
    theirs = limber(speaking(limber_env, lang), *args)
    assert theirs.returncode == 0
    found = _appearing(english.stdout, lang)
    assert len(found) >= 2, found
    for msgid in found:
        assert tr(lang, msgid) in theirs.stdout, (msgid, theirs.stdout)
        assert msgid not in theirs.stdout or msgid in tr(lang, msgid)
    # The synopsis, options and commands are typed back: they stay.
    for word in re.findall(r"--[a-z-]+", english.stdout):
        assert word in theirs.stdout, word


@pytest.mark.parametrize("c", ["C", "POSIX"])
def test_the_c_locale_ignores_language(limber_env, c, tmp_path):
    bad = write(tmp_path / "bad.ini", "[posture]\nintervall = 20m\n")
    for args in (["--help"], ["exercises", "show", "calf-stretch"], ["policy", "check", str(bad)],
                 ["snooze", "forever"], ["exercises", "list"]):
        env = dict(limber_env, LIMBER_EXERCISES=str(SRCDIR / "config/exercises"), LANG=c)
        plain = limber(env, *args)
        asked = limber(dict(speaking(env, "de"), LANG=c), *args)
        assert (asked.returncode, asked.stdout, asked.stderr) == (plain.returncode, plain.stdout, plain.stderr), args
        # The control: the same command, asked for German in C.UTF-8, is in
        # German (the catalogues and the exercises' translations are found,
        # and the C output above is not German).
        german = limber(speaking(env, "de"), *args)
        assert german.returncode == plain.returncode, (args, german.stderr)
        assert (german.stdout, german.stderr) != (plain.stdout, plain.stderr), args


def _fixtures(env, tmp):
    """A history and a journal of two days."""
    for at, args in (("2026-11-30 09:30", ["pain", "3", "fatigue", "2", "stiff neck"]),
                     ("2026-12-01 18:00", ["pain", "5", "long day; ok"])):
        r = limber(env, "log", *args, "--at", at)
        assert r.returncode == 0, r.stderr
    hist = tmp / "history"
    hist.write_text("".join(f"2026-12-0{d}T09:00:00 active\n2026-12-0{d}T09:20:00 due posture worked=20m\n"
                            f"2026-12-0{d}T09:21:00 idle\n2026-12-0{d}T09:21:30 taken posture worked=21m "
                            "overdue=1m30s\n" for d in (1, 2)))
    return hist


@pytest.mark.parametrize("lang", LANGUAGES)
def test_machine_formats_do_not_change_with_the_language(limber_env, tmp_path, lang):
    env = dict(limber_env, LIMBER_EXERCISES=str(SRCDIR / "config/exercises"))
    hist = _fixtures(env, tmp_path)
    theirs = in_locale(env, lang)
    for args in (["stats", "--days", "3650", "--history", str(hist), "--json"],
                 ["stats", "--days", "3650", "--history", str(hist), "--csv"],
                 ["journal", "--until", "2026-12-02", "--json"], ["journal", "--until", "2026-12-02", "--csv"],
                 ["policy", "show", "--json"], ["exercises", "list", "--json"],
                 ["exercises", "show", "--json", "calf-stretch"], ["status", "--format", "waybar"]):
        a, b = limber(env, *args), limber(theirs, *args)
        assert (a.returncode, a.stdout) == (b.returncode, b.stdout), args
        if "--json" in args:
            assert a.returncode == 0, (args, a.stderr)
            json.loads(a.stdout)
    # The human forms do change.
    args = ["stats", "--days", "3650", "--history", str(hist)]
    assert limber(env, *args).stdout != limber(theirs, *args).stdout


def _exercise(env, name, count):
    write(pathlib.Path(env["XDG_CONFIG_HOME"]) / f"limber/exercises.d/{name}.exercise",
          f"[exercise]\nid = {name}\ntitle = Shrugs\ntitle[fr] = Haussements\nkinds = posture\n"
          f"[step]\ndo = Shrug.\ndo[fr] = Haussez les épaules.\ncount = {count}\neach = 2s\n")


def test_an_exercise_in_french_with_plurals(limber_env):
    env = speaking(dict(limber_env, LIMBER_EXERCISES=str(SRCDIR / "config/exercises")), "fr")
    # A shipped exercise: its French title and steps, from the file.
    text = (SRCDIR / "config/exercises/calf-stretch.exercise").read_text()
    title = re.search(r"^title\[fr\] = (.*)$", text, re.M).group(1)
    steps = re.findall(r"^do\[fr\] = (.*)$", text, re.M)
    r = limber(env, "exercises", "show", "calf-stretch")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == title
    for i, step in enumerate(steps, 1):
        assert f"{i}. {step} ({tr('fr', 'hold %s') % '25s'})" in r.stdout
    # French plurals: one is singular (and so would be 0), more is plural.
    one, many = tr("fr", "%u time, %s each")
    for name, count, form in (("shrug-once", 1, one), ("shrugs", 3, many)):
        _exercise(env, name, count)
        r = limber(env, "exercises", "show", name)
        assert f"1. Haussez les épaules. ({form % (count, '2s')})" in r.stdout, r.stdout


@pytest.mark.parametrize("lang", LANGUAGES)
def test_dates_follow_the_locale(limber_env, tmp_path, lang):
    env = dict(limber_env)
    _fixtures(env, tmp_path)
    theirs = in_locale(env, lang)
    abday = run(["locale", "abday"], dict(theirs, LC_ALL=theirs["LANG"])).stdout.strip().split(";")
    assert len(abday) == 7 and abday[1] != "Mon", abday
    r = limber(theirs, "report", "--weeks", "1", "--until", "2026-12-02")
    assert r.returncode == 0, r.stderr
    # 2026-11-30 was a Monday (abday[1]), 2026-12-01 a Tuesday.
    assert re.search(rf"^{re.escape(abday[1])}\s+11-30\b", r.stdout, re.M), r.stdout
    assert re.search(rf"^{re.escape(abday[2])}\s+12-01\b", r.stdout, re.M), r.stdout


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_policy_error_in_the_language_names_file_line_and_value(limber_env, tmp_path, lang):
    bad = write(tmp_path / "bad.ini", "[posture]\nintervall = 20m\n")
    r = limber(speaking(limber_env, lang), "policy", "check", str(bad))
    assert r.returncode != 0
    said = tr(lang, "unknown key in [%s]: '%s'") % ("posture", "intervall")
    assert f"{bad}:2: " in r.stdout + r.stderr
    assert said in r.stdout + r.stderr, (said, r.stdout, r.stderr)


def test_limberd_speaks_to_the_user_and_logs_in_english(desktop):
    desktop.policy("[posture]\nintervall = 20m\n")
    d = desktop.start(extra_env=speaking({}, "de"))
    # Its log, for administrators: English.
    wait_for(lambda: "unknown key in [posture]: 'intervall'" in d.log(), 10, "the policy warning in the log")
    # A refusal a person reads: German.
    r = limber(desktop.env, "snooze")
    assert r.returncode != 0
    assert tr("de", "no break is due") + tr("de", ", so there is nothing to snooze") in r.stderr, r.stderr


# ---- no human-facing literal escapes gettext ----------------------------------------------------

SCANNED = sorted([*SRCDIR.glob("cli/*.c"), *(SRCDIR / f"daemon/{n}.c" for n in (
    "prompt", "notifier", "checkin", "tray", "tray-menu", "status", "bus", "notice")),
    *(SRCDIR / f"config/{n}.c" for n in ("policy", "exercises", "schedule", "journal", "value", "schema",
                                         "human", "activity"))])

# (file, a regular expression a literal matches) that is not for translation:
# machine formats, file formats, commands and synopses typed back, names.
ALLOWED = [
    ("cli/status.c", r"^(limber off|limberd is not running|off hours|no breaks|%s%s active today \(%s\))$"),  # waybar
    ("cli/main.c", r"^[a-z]+( [a-z]+)?( [A-Z\[-].*)?$|^%s COMMAND \[ARGS...\]\\n$"),  # the overview's synopses
    ("cli/", r"^(limber [a-z ]+|pacing baseline|limber pacing ACTION --help)$"),
    ("cli/journal.c", r"^limber log pain N fatigue N \[note\]$"),
    ("cli/pacing.c", r"^  limber set pacing\.[a-z-]+ %s\\n$"),
    ("cli/", r"^\(no HOME or XDG_CONFIG_HOME\)$"),
    ("cli/set.c", r"^# Your limber policy"),
    ("cli/policy-cmd.c", r"^  locked \(%s\)$"),
    ("cli/status.c", r"^%s \(idle backend: %s\), %s active today\\n$"),
    ("cli/report.c", r"^<|^@page|^\\\">|^\"\>"),  # HTML and CSS
    ("daemon/prompt.c", r"^guided-break step$"),
    ("daemon/status.c", r"^locked by $|^%s \(%s = no, %s\); %s 'limber set %s yes'$"),
    ("daemon/tray-menu.c", r"^(no menu item %d|menu item %d has no property '%\.40s'|no such menu items)$"),
    ("daemon/tray.c", r"^(take a (posture|movement) break|turn flare mode (on|off))$"),  # the log's words
    ("config/journal.c", r"^# limber journal of machine"),  # the file's header
]

# Whole regions that are not for translation, from a line that starts with
# the first text to the next line that is the second: the policy's key
# reference (limber policy keys, like limber.ini(5)) and value formats.
REGIONS = {
    "config/schema.c": [("/* clang-format off */", "/* clang-format on */"), ("char *key_format(", "}"),
                        ("const char *type_name(", "}")],
}


def _regions(rel, text):
    lines, out = text.splitlines(), []
    for first, last in REGIONS.get(rel, []):
        start = next(i for i, l in enumerate(lines, 1) if l.startswith(first))
        end = next(i for i, l in enumerate(lines, 1) if i > start and l == last)
        out.append(range(start, end + 1))
    return out


TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|/\*.*?\*/|//[^\n]*|[^"\'/]+|/', re.S)
WORDY = re.compile(r"[A-Za-z]{2,} [A-Za-z(\[]")
# (The code before a literal has the other literals taken out: C_("ctx", "text")
# reads C_(, there.)
MARKED = re.compile(r"(?:\b_|\bN_|\bD_|\bngettext|\bC_)\(\s*$|\b(?:C_|ngettext)\(\s*,\s*$|waybar\s*\?\s*$")
NOT_HUMAN = re.compile(r"\blog_\w+\(|\.synopsis\s*=|\.name\s*=|#include|sd_bus_\w+\(|json_object_\w+\(|"
                       r"snprintf\(waybar|strbuf_printf\(&json")


def _literals(text):
    """(line, the literal (adjacent ones joined), the code before it)."""
    out, code, line, run_ = [], "", 1, None
    for m in TOKEN.finditer(text):
        t = m.group(0)
        if t.startswith('"'):
            if run_ is None:
                run_ = [line, t[1:-1], code]
            else:
                run_[1] += t[1:-1]
        elif t.startswith("/*") or t.startswith("//") or (run_ is not None and not t.strip()):
            pass
        else:
            if run_ is not None:
                out.append(tuple(run_))
                run_ = None
            code = (code + t)[-300:]
        line += t.count("\n")
    return out


def test_no_human_literal_escapes_gettext():
    escaped = []
    for path in SCANNED:
        rel = str(path.relative_to(SRCDIR))
        text = path.read_text()
        skipped = _regions(rel, text)
        for line, lit, before in _literals(text):
            if any(line in r for r in skipped):
                continue
            last = before.splitlines()[-1] if before.splitlines() else ""
            if not WORDY.search(lit) or MARKED.search(before) or NOT_HUMAN.search(last):
                continue
            if any(rel.startswith(f) and re.search(p, lit) for f, p in ALLOWED):
                continue
            escaped.append(f"{rel}:{line}: \"{lit[:70]}\"")
    assert not escaped, "literals a person reads that are not marked for translation:\n" + "\n".join(escaped)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_status_speaks_the_language_with_plurals(desktop, lang):
    desktop.policy("[posture]\ninterval = 20m\nmax-snoozes = 3\n[pacing]\nenabled = yes\nquota = 40m\n"
                   "max-snoozes = 1\ndaily-limit = 4h\n")
    desktop.start()
    r = limber(speaking(desktop.env, lang), "status")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith(tr(lang, "Active (idle backend: %s), %s active today\n").split("%s")[0]), lines
    one, many = tr(lang, "every %s, %u snooze left")
    assert many % ("20m", 3) in r.stdout and one % ("40m", 1) in r.stdout, r.stdout
    assert tr(lang, "Daily limit %s\n") % "4h" in r.stdout + "\n"
    # The break kinds are words of the language too, in their column: all
    # three rows, and at least one of them (French keeps "posture" and
    # "pacing") reads otherwise than in English, so that English fails.
    kinds = ("posture", "movement", "pacing")
    words = [tr(lang, kind, "break kind").strip() for kind in kinds]
    assert words != list(kinds), words
    assert [line.split()[0] for line in lines[1:4]] == words, lines
