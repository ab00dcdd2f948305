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
    assert bash_complete("flare", "on", "") == ["--days", "--help"]
    assert bash_complete("pacing", "") == ["baseline"]
    assert bash_complete("forget", "--") == ["--before", "--all", "--help"]
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


def test_bash_options_anywhere():
    """Options go anywhere, so the completion finds the arguments around them."""
    assert bash_complete("set", "--root", "/x", "pacing.enabled", "") == ["yes", "no"]
    assert bash_complete("set", "pacing.enabled", "--root", "/x", "") == ["yes", "no"]
    assert bash_complete("set", "--", "pacing.enabled", "") == ["yes", "no"]
    assert bash_complete("set", "pacing.enabled", "yes", "") == []
    assert bash_complete("unset", "--root", "/x", "posture.int") == ["posture.interval"]
    assert "--root" in bash_complete("stats", "--")
    assert set(bash_complete("policy", "show", "--")) == {"--origin", "--json", "--root", "--help"}
    assert bash_complete("policy", "paths", "--") == ["--root", "--help"]
    assert bash_complete("policy", "--root", "/x", "") == ["show", "check", "paths", "keys"]


@pytest.mark.skipif(not shutil.which("fish"), reason="fish is not installed")
def test_fish_options_anywhere():
    def complete(line):
        r = subprocess.run(["fish", "--no-config", "-c", f"source {COMPLETIONS / 'limber.fish'}; complete -C '{line}'"],
                           env=env(), capture_output=True, text=True, timeout=30)
        assert r.returncode == 0 and r.stderr == "", r.stderr
        return [l.split("\t")[0] for l in r.stdout.splitlines()]
    assert complete("limber set --root /x pacing.enabled ") == ["no", "yes"]
    assert complete("limber set pacing.enabled --root /x ") == ["no", "yes"]
    assert complete("limber set pacing.enabled yes ") == []
    assert "--root" in complete("limber stats --")
    assert complete("limber policy show --") == ["--json", "--origin", "--root"]
    assert complete("limber policy paths --") == ["--root"]
    assert complete("limber edit --") == ["--root"]


# Types LINE and a Tab into an interactive zsh on a pty and records what the
# completion offers (every compadd); the Tab's widget prints a marker when
# the completion is over, which is waited for: no sleeps, no typeahead.
ZSH_CAPTURE = r'''
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PS1=''; fpath=($1 \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z "compadd () { if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then builtin compadd \"\$@\"; return; fi; typeset -a hits; builtin compadd -A hits \"\$@\"; print -l -- \$hits >> $2; builtin compadd \"\$@\"; }"
zpty -w z "_capture() { _main_complete; print -n -u2 'CAPTURE''DONE'; }; zle -C capture complete-word _capture; bindkey '^I' capture"
zpty -w z "print READY''1"
zpty -r z line '*READY1*' || exit 3
zpty -n -w z "$3"$'\t'
zpty -r z line '*CAPTUREDONE*' || exit 4
zpty -d z
'''


@pytest.mark.skipif(not shutil.which("zsh"), reason="zsh is not installed")
def test_zsh_completes_options_anywhere(tmp_path):
    script = tmp_path / "capture.zsh"
    script.write_text(ZSH_CAPTURE)

    def complete(line):
        out = tmp_path / "offered"
        out.unlink(missing_ok=True)
        r = subprocess.run(["zsh", "-f", str(script), str(COMPLETIONS), str(out), line], env=env(),
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, (line, r.stdout, r.stderr)
        return sorted(set(out.read_text().split())) if out.exists() else []
    assert complete("limber sn") == ["snooze"]
    assert complete("limber set pacing.enabled ") == ["no", "yes"]
    assert complete("limber set pacing.enabled --root /tmp ") == ["no", "yes"]
    assert complete("limber set --root /tmp pacing.q") == ["pacing.quota"]
    assert complete("limber stats --") == ["--csv", "--days", "--history", "--json", "--root"]
    assert complete("limber policy show --") == ["--json", "--origin", "--root"]
    assert complete("limber status --format ") == ["json", "waybar"]
