# SPDX-License-Identifier: MIT
"""The man pages render without warnings and document what the code has:
every policy key, every exit code, every replay event."""
import os
import re
import subprocess

import pytest

from harness import BUILD, SRCDIR

PAGES = ["limber.1", "limberd.8", "limber.ini.5", "limber.exercise.5"]


def render(page):
    r = subprocess.run(["man", "--warnings", "-l", str(BUILD / "man" / page)],
                       env=dict(os.environ, MANWIDTH="80", MANPAGER="cat", PAGER="cat"),
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stderr == "", r.stderr
    return r.stdout


@pytest.mark.parametrize("page", PAGES)
def test_renders(page):
    text = render(page)
    assert "NAME" in text and "SEE ALSO" in text


def test_every_key_is_documented():
    r = subprocess.run([str(BUILD / "limber"), "policy", "keys"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    keys = r.stdout
    assert len(keys.splitlines()) > 20
    source = (SRCDIR / "config/limber.ini.5.scd").read_text()
    section = None
    for line in keys.splitlines():
        key = line.split("\t")[0]
        sec, name = key.split(".")
        assert f"[{sec}]" in source, sec
        assert re.search(rf"\*{re.escape(name)}\* =", source), key


def test_every_exit_code_is_documented():
    text = render("limber.1")
    exit_section = text[text.index("EXIT STATUS"):]
    for code in range(0, 11):
        assert re.search(rf"^\s+{code}\s", exit_section, re.M), code


def test_every_replay_event_is_documented():
    text = render("limberd.8")
    for event in ("due", "reprompt", "started", "taken", "natural", "snoozed", "skipped", "refused", "paused",
                  "resumed", "deferred", "limit", "day", "flare"):
        assert re.search(rf"^\s+({event}\b|\w+, {event}\b)", text, re.M), event


def readme_ini_blocks():
    """Every ```ini block of the README, without the list's indentation."""
    text = (SRCDIR / "README.md").read_text()
    blocks = re.findall(r"^( *)```ini\n(.*?)^\1```", text, re.M | re.S)
    return [re.sub(rf"^{indent}", "", body, flags=re.M) for indent, body in blocks]


def test_readme_policy_examples_check_clean(tmp_path):
    """An admin copies these: they must pass `limber policy check` as they are."""
    blocks = readme_ini_blocks()
    assert len(blocks) >= 2
    files = []
    for n, body in enumerate(blocks):
        files.append(tmp_path / f"readme-{n}.ini")
        files[-1].write_text(body)
    r = subprocess.run([str(BUILD / "limber"), "policy", "check", *map(str, files)], capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stderr == "", r.stderr


def test_every_option_of_every_subcommand_is_documented():
    """The options each subcommand's --help lists are in limber(1)'s OPTIONS,
    and its synopsis shows them."""
    text = render("limber.1")
    options = text[text.index("\nOPTIONS"):text.index("\nSTATUS OUTPUT")]
    synopsis = text[text.index("\nSYNOPSIS"):text.index("\nDESCRIPTION")]
    for cmd in (["status"], ["snooze"], ["skip"], ["break"], ["pause"], ["resume"], ["reload"], ["flare"], ["stats"],
                ["log"], ["journal"], ["pacing", "baseline"], ["report"], ["forget"], ["set"], ["unset"], ["edit"],
                ["policy", "show"], ["policy", "check"], ["policy", "paths"], ["policy", "keys"]):
        r = subprocess.run([str(BUILD / "limber"), *cmd, "--help"], capture_output=True, text=True, timeout=30)
        assert r.returncode == 0, (cmd, r.stderr)
        listed = re.findall(r"^  (?:-\w, |    )(--[a-z-]+)", r.stdout.split("\nOptions:\n")[1], re.M)
        assert "--help" in listed, cmd
        for option in listed:
            assert re.search(rf"^\s+(-\w, )?{option}\b", options, re.M), (cmd, option)
            if option != "--help":
                lines = [l for l in synopsis.splitlines() if re.match(rf"\s+limber {' '.join(cmd)}\b", l)]
                assert any(option in l for l in lines), (cmd, option, lines)


def test_readme_exercise_example_checks_clean(tmp_path):
    """Someone copies the README's exercise for their physiotherapist's own:
    it must pass `limber exercises check` and find its (shipped) picture."""
    text = (SRCDIR / "README.md").read_text()
    m = re.search(r"`~/\.config/limber/exercises\.d/([a-z-]+)\.exercise`:\n\n```text\n(.*?)^```", text, re.M | re.S)
    assert m, "the README's example exercise"
    f = tmp_path / f"{m.group(1)}.exercise"
    f.write_text(m.group(2))
    env = {"PATH": "/usr/bin:/bin", "LIMBER_EXERCISES": str(SRCDIR / "config/exercises")}
    r = subprocess.run([str(BUILD / "limber"), "exercises", "check", str(f)], capture_output=True, text=True,
                       timeout=30, env=env)
    assert r.returncode == 0 and r.stdout.strip() == f"{f}: ok" and "warning" not in r.stderr, r.stdout + r.stderr
