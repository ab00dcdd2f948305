# SPDX-License-Identifier: MIT
"""`limber policy show/check/paths` and the CLI's usage conventions."""
import json
import re
import subprocess
import time

from conftest import SRCDIR, limber, vendor_dir, write
from harness import BUILD


def test_show_defaults_as_ini(limber_env):
    r = limber(limber_env, "policy", "show")
    assert r.returncode == 0, r.stderr
    assert "[posture]\nenabled = yes\ninterval = 20m\nduration = 30s\n" in r.stdout
    assert "[movement]\nenabled = yes\ninterval = 50m\nduration = 5m\n" in r.stdout
    assert "[pacing]\nenabled = no\n" in r.stdout
    assert r.stderr == ""


def test_show_json_fields(limber_env, tmp_path):
    root = tmp_path / "root"
    vdir, edir = vendor_dir(root)
    emp = write(edir / "50-acme.ini", "[posture]\ninterval = 25m\ninterval.max = 30m\n[movement]\nskippable = no\nskippable.locked = yes\n")
    user = write(tmp_path / "config/limber/limber.ini", "[posture]\nduration = 45s\n")
    r = limber(limber_env, "policy", "show", "--json", "--root", str(root))
    assert r.returncode == 0, r.stderr
    items = json.loads(r.stdout)
    by_key = {i["key"]: i for i in items}
    assert len(items) == len(by_key)
    for i in items:
        assert set(i) - {"min", "max"} == {"key", "value", "scope", "origin", "locked"}
        assert ("min" in i or "max" in i) == (i["key"] == "posture.interval"), i
        assert i["scope"] in ("built-in", "vendor", "employer", "user")
        assert isinstance(i["locked"], bool)
    assert by_key["posture.interval"] == {
        "key": "posture.interval", "value": "25m", "scope": "employer",
        "origin": f"{emp}:2", "locked": False, "max": "30m"}
    assert by_key["movement.skippable"]["locked"] is True
    assert by_key["movement.skippable"]["value"] == "no"
    assert by_key["posture.duration"]["origin"] == f"{user}:2"
    assert by_key["posture.duration"]["scope"] == "user"
    assert by_key["general.day-starts"] == {
        "key": "general.day-starts", "value": "04:00", "scope": "built-in", "origin": "built-in", "locked": False}


def test_show_origin_names_files_and_constraints(limber_env, tmp_path):
    root = tmp_path / "root"
    vdir, edir = vendor_dir(root)
    emp = write(edir / "50-acme.ini", "[posture]\ninterval.max = 30m\n")
    user = write(tmp_path / "config/limber/limber.ini", "[posture]\ninterval = 45m\n")
    r = limber(limber_env, "policy", "show", "--origin", "--root", str(root))
    assert r.returncode == 0
    line = next(l for l in r.stdout.splitlines() if l.startswith("posture.interval "))
    assert line.split()[:4] == ["posture.interval", "30m", "user", f"{user}:2"]
    assert f"max 30m ({emp}:2)" in line
    assert "clamped" in line
    # The clamp warning names both files.
    assert f"{user}:2: warning: posture.interval = 45m is above the maximum 30m set by {emp}:2; using 30m" in r.stderr


def test_check_shipped_files_clean(limber_env):
    files = [SRCDIR / "config/limber.ini", *sorted((SRCDIR / "config/examples").glob("*.ini"))]
    assert len(files) >= 3
    r = limber(limber_env, "policy", "check", *map(str, files))
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""


def test_check_reports_every_error(limber_env, tmp_path):
    bad = write(tmp_path / "bad.ini", "[posture]\ninterval = 20 minutes\nfoo = 1\n[pacing\nduration = 5x\n")
    good = write(tmp_path / "good.ini", "[posture]\ninterval = 25m\n")
    r = limber(limber_env, "policy", "check", str(good), str(bad))
    assert r.returncode == 1
    assert f"{good}: ok" in r.stdout
    err = r.stderr.splitlines()
    assert f"{bad}:2: invalid duration for posture.interval (use e.g. 90s, 20m, 1h30m): '20 minutes'" in err
    assert f"{bad}:3: unknown key in [posture]: 'foo'" in err
    assert f"{bad}:4: missing ']' in section header: '[pacing'" in err
    assert len(err) == 3


def test_check_missing_file_and_usage(limber_env, tmp_path):
    r = limber(limber_env, "policy", "check", str(tmp_path / "nope.ini"))
    assert r.returncode == 1
    assert "nope.ini: cannot read: No such file or directory" in r.stderr
    r = limber(limber_env, "policy", "check")
    assert r.returncode == 2
    assert "limber policy check FILE" in r.stderr


def test_usage_errors_exit_2(limber_env):
    for args in (["frobnicate"], ["--frob"], ["policy"], ["policy", "eat"], ["policy", "show", "--nope"],
                 ["policy", "show", "extra"], []):
        r = limber(limber_env, *args)
        assert r.returncode == 2, args
        assert r.stdout == "", args
        if args:
            assert re.search(r"\nTry 'limber( [a-z]+)* --help'\.\n$", r.stderr), args  # where the usage is
        else:
            assert r.stderr.startswith("Usage: limber COMMAND"), args  # a bare limber: the usage itself
    r = limber(limber_env, "policy", "show", "--root")
    assert r.returncode == 2
    assert "option '--root' needs a directory" in r.stderr


def test_help_after_a_command(limber_env):
    for args in (["policy"], ["policy", "show"], ["policy", "check"], ["policy", "paths"], ["policy", "keys"],
                 ["set"], ["unset"], ["edit"], ["stats"], ["status"]):
        r = limber(limber_env, *args, "--help")
        assert r.returncode == 0, (args, r.stderr)
        assert r.stdout.startswith("Usage: limber " + args[0]), (args, r.stdout)


def test_check_a_file_named_like_an_option(limber_env, tmp_path):
    write(tmp_path / "-x.ini", "[posture]\ninterval = 25m\n")
    r = subprocess.run([str(BUILD / "limber"), "policy", "check", "--", "-x.ini"], env=limber_env, cwd=tmp_path,
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "-x.ini: ok\n"


def test_help_and_version(limber_env):
    r = limber(limber_env, "--help")
    assert r.returncode == 0
    assert "Usage: limber COMMAND" in r.stdout
    r = limber(limber_env, "--version")
    assert r.returncode == 0
    assert r.stdout.startswith("limber ")


# ---- the command line: options anywhere, "--", --help -------------------------

# Every subcommand, the long options its --help lists (besides --help), and a
# valid value for those that take one ({tmp}: a directory of the test).
SUBCOMMANDS = {
    ("status",): {"--json": None, "--follow": None, "--format": "json"},
    ("snooze",): {},
    ("skip",): {},
    ("break",): {},
    ("pause",): {"--until": "14:00"},
    ("resume",): {},
    ("reload",): {},
    ("flare",): {"--days": "3"},
    ("stats",): {"--days": "3", "--json": None, "--csv": None, "--history": "{tmp}/history", "--root": "{tmp}"},
    ("log",): {"--at": "10:00"},
    ("journal",): {"--days": "3", "--until": "2026-11-30", "--json": None, "--csv": None},
    ("pacing", "baseline"): {"--days": "3", "--until": "2026-11-30"},
    ("report",): {"--weeks": "2", "--until": "2026-11-30", "--html": "{tmp}/report.html", "--markdown": None},
    ("forget",): {"--before": "2026-11-30", "--all": None},
    ("set",): {"--root": "{tmp}"},
    ("unset",): {"--root": "{tmp}"},
    ("edit",): {"--root": "{tmp}"},
    ("policy", "show"): {"--origin": None, "--json": None, "--root": "{tmp}"},
    ("policy", "check"): {},
    ("policy", "paths"): {"--root": "{tmp}"},
    ("policy", "keys"): {},
}


def listed_options(text):
    """The long options of a --help's "Options:" list."""
    assert "\nOptions:\n" in text, text
    return {w.rstrip(",") for line in text.split("\nOptions:\n", 1)[1].splitlines()
            for w in line.split()[:3] if w.startswith("--")}


def test_every_subcommand_help_lists_its_options(limber_env, tmp_path):
    """--help and -h, with no daemon and no bus: the usage and every option,
    --root wherever the subcommand reads the policy; each option listed is
    one the subcommand accepts (given before --help, it is read, not refused)."""
    for cmd, options in SUBCOMMANDS.items():
        r = limber(limber_env, *cmd, "--help")
        assert (r.returncode, r.stderr) == (0, ""), (cmd, r.stderr)
        assert r.stdout.startswith("Usage: limber " + " ".join(cmd)), (cmd, r.stdout)
        assert listed_options(r.stdout) == set(options) | {"--help"}, (cmd, r.stdout)
        assert "  -h, --help " in r.stdout, cmd
        assert limber(limber_env, *cmd, "-h").stdout == r.stdout, cmd
        for option, value in options.items():
            args = [option] + ([value.format(tmp=tmp_path)] if value else [])
            r = limber(limber_env, *cmd, *args, "--help")
            assert r.returncode == 0, (cmd, args, r.stderr)
    takes_root = {cmd for cmd, options in SUBCOMMANDS.items() if "--root" in options}
    assert takes_root == {("stats",), ("set",), ("unset",), ("edit",), ("policy", "show"), ("policy", "paths")}


def test_help_after_arguments_and_other_options(limber_env):
    for args in (["set", "posture.interval", "25m", "--help"], ["policy", "show", "--origin", "-h"],
                 ["snooze", "10m", "--help"], ["skip", "a", "b", "--help"], ["log", "pain", "3", "--help"],
                 ["pacing", "baseline", "--days", "3", "-h"], ["forget", "--all", "--help"]):
        r = limber(limber_env, *args)
        assert r.returncode == 0, (args, r.stderr)
        assert r.stdout.startswith(f"Usage: limber {args[0]}"), args


def test_policy_show_options_in_any_order(limber_env, tmp_path):
    root = tmp_path / "root"
    _, edir = vendor_dir(root)
    emp = write(edir / "50-acme.ini", "[posture]\ninterval = 25m\n")
    outputs = [limber(limber_env, "policy", "show", *args) for args in
               (["--origin", "--root", str(root)], ["--root", str(root), "--origin"], [f"--root={root}", "--origin"],
                ["--ori", "--ro", str(root)])]
    for r in outputs:
        assert r.returncode == 0, r.stderr
        assert r.stdout == outputs[0].stdout
    line = next(l for l in outputs[0].stdout.splitlines() if l.startswith("posture.interval "))
    assert line.split()[:4] == ["posture.interval", "25m", "employer", f"{emp}:2"]


def test_stats_options_in_any_order_and_its_root(limber_env, tmp_path):
    """stats reads general.day-starts from the policy, so --root matters: with
    days starting at midnight, 02:00-03:00 is the day it happened on, not the
    day before (the default 04:00)."""
    hist = write(tmp_path / "history", "DAYT02:00:00+00:00 active\nDAYT03:00:00+00:00 idle\n"
                 .replace("DAY", time.strftime("%Y-%m-%d", time.gmtime())))  # limber runs with TZ=UTC
    today = time.strftime("%Y-%m-%d", time.gmtime())
    root = tmp_path / "root"
    _, edir = vendor_dir(root)
    write(edir / "50-acme.ini", "[general]\nday-starts = 00:00\n")
    runs = [limber(limber_env, "stats", *args) for args in
            (["--days", "3", "--json", "--history", str(hist), "--root", str(root)],
             ["--json", "--root", str(root), "--history", str(hist), "--days", "3"],
             ["--root", str(root), "--days=3", f"--history={hist}", "--json"])]
    for r in runs:
        assert r.returncode == 0, r.stderr
        assert r.stdout == runs[0].stdout
    days = json.loads(runs[0].stdout)["days"]
    assert len(days) == 3
    assert {d["date"]: d["active"] for d in days}[today] == 3600
    if time.gmtime().tm_hour >= 4:  # without --root, the hour belongs to yesterday
        r = limber(limber_env, "stats", "--json", "--history", str(hist), "--days", "3")
        assert r.returncode == 0, r.stderr
        assert {d["date"]: d["active"] for d in json.loads(r.stdout)["days"]}[today] == 0


def test_double_dash_ends_options(limber_env, tmp_path):
    write(tmp_path / "-x.ini", "[posture]\ninterval = 25m\n")
    write(tmp_path / "--root", "[posture]\ninterval = soon\n")
    # Without "--" a word that starts with "-" is an option...
    r = subprocess.run([str(BUILD / "limber"), "policy", "check", "-x.ini"], env=limber_env, cwd=tmp_path,
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 2
    assert "policy check: unknown option '-x' in '-x.ini'" in r.stderr
    # ...after it, an argument, even one spelled like an option.
    r = subprocess.run([str(BUILD / "limber"), "policy", "check", "--", "-x.ini", "--root"], env=limber_env,
                       cwd=tmp_path, capture_output=True, text=True, timeout=30)
    assert r.returncode == 1
    assert r.stdout == "-x.ini: ok\n"
    assert "--root:2: invalid duration for posture.interval" in r.stderr


def test_usage_errors_name_the_option(limber_env):
    cases = [(["stats", "--days"], "stats: option '--days' needs a number of days"),
             (["stats", "--days", "0"], "stats: --days takes a number from 1 to 3650, not '0'"),
             (["status", "--f"], "status: option '--f' is ambiguous (--follow, --format)"),
             (["policy", "show", "--json=yes"], "policy show: option '--json' takes no value"),
             (["set", "posture.interval", "25m", "--nope"], "set: unknown option '--nope'"),
             (["pause", "--until"], "pause: option '--until' needs a time of day"),
             (["snooze", "-x"], "snooze: unknown option '-x'"),
             (["skip", "--root", "/tmp"], "skip: unknown option '--root'")]
    for args, message in cases:
        r = limber(limber_env, *args)
        assert r.returncode == 2, args
        assert r.stdout == "", args
        assert r.stderr.startswith(f"limber: {message}"), (args, r.stderr)
        assert re.search(r"\nTry 'limber [a-z ]+ --help'\.\n$", r.stderr), args
