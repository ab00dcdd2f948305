# SPDX-License-Identifier: MIT
"""The shell completions load without errors and know commands, kinds, keys
and, for a key, its kind of value."""
import os
import pathlib
import shutil
import subprocess

import pytest

from harness import BUILD, SRCDIR

COMPLETIONS = SRCDIR / "cli/completions"


def env():
    return dict(os.environ, PATH=f"{BUILD}:{os.environ.get('PATH', '/usr/bin:/bin')}", HOME="/nonexistent")


def bash_complete(*words):
    """COMPREPLY for `limber WORDS…` with the cursor on the last word."""
    script = (f"set -u; source {COMPLETIONS / 'limber.bash'}; "
              f"COMP_WORDS=(limber {' '.join(repr(w) for w in words)}); COMP_CWORD={len(words)}; _limber; "
              "printf '%s\\n' \"${COMPREPLY[@]}\"")
    r = subprocess.run(["bash", "--norc", "--noprofile", "-c", script], env=env(), capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    return [w for w in r.stdout.splitlines() if w]


def test_bash_loads_cleanly():
    r = subprocess.run(["bash", "--norc", "--noprofile", "-c",
                        f"source {COMPLETIONS / 'limber.bash'} && complete -p limber"],
                       env=env(), capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert r.stdout.strip() == "complete -F _limber limber"


def test_bash_completes():
    assert bash_complete("sn") == ["snooze"]
    assert set(bash_complete("")) >= {"status", "snooze", "set", "unset", "edit", "policy", "stats"}
    assert bash_complete("skip", "") == ["posture", "movement", "pacing"]
    assert "posture" in bash_complete("snooze", "") and "10m" in bash_complete("snooze", "")
    assert bash_complete("set", "posture.int") == ["posture.interval"]
    assert bash_complete("set", "pacing.enabled", "") == ["yes", "no"]
    assert "25m" in bash_complete("set", "posture.interval", "")
    assert bash_complete("set", "pacing.daily-limit", "o") == ["off"]
    assert bash_complete("status", "--format", "") == ["waybar", "json"]
    assert set(bash_complete("")) >= {"log", "journal", "pacing", "report", "forget"}
    assert bash_complete("flare", "on", "") == ["--days"]
    assert bash_complete("pacing", "") == ["baseline"]
    assert bash_complete("forget", "--") == ["--before", "--all"]
    assert "10" in bash_complete("log", "pain", "")
    assert bash_complete("set", "pacing.check-in", "o") == ["off"]


@pytest.mark.skipif(not shutil.which("fish"), reason="fish is not installed")
def test_fish_completes():
    def complete(line):
        r = subprocess.run(["fish", "--no-config", "-c", f"source {COMPLETIONS / 'limber.fish'}; complete -C '{line}'"],
                           env=env(), capture_output=True, text=True, timeout=30)
        assert r.returncode == 0 and r.stderr == "", r.stderr
        return [l.split("\t")[0] for l in r.stdout.splitlines()]
    assert "snooze" in complete("limber sn")
    assert complete("limber set pacing.enabled ") == ["no", "yes"]
    assert "pacing.quota" in complete("limber set pacing.")


@pytest.mark.skipif(not shutil.which("zsh"), reason="zsh is not installed")
def test_zsh_loads_cleanly():
    r = subprocess.run(["zsh", "-fc", f"fpath=({COMPLETIONS} $fpath); autoload -Uz compinit; "
                                      "compinit -u -D; autoload +X _limber && whence -w _limber"],
                       env=env(), capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    assert "_limber: function" in r.stdout
    # -D: no dump file. (With `-d /dev/null` compinit moves its dump over
    # /dev/null, leaving a regular file there for the whole machine.)
    assert pathlib.Path("/dev/null").is_char_device()
