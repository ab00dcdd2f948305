# SPDX-License-Identifier: MIT
"""Every `limber` subcommand against the real limberd on a private bus:
output and exit codes, every error path, --follow, and stats."""
import datetime
import json
import os
import pathlib
import re
import select
import subprocess
import time

import dbus
import pytest

from harness import BUILD, run_for, wait_for

EXIT = {"ok": 0, "fail": 1, "usage": 2, "no_daemon": 3, "locked": 4, "not_due": 6, "snooze_limit": 7,
        "not_skippable": 8, "bad_policy": 9, "disabled": 10}


def limber(desktop, *args, env=None):
    e = dict(desktop.env)
    e.update(env or {})
    return subprocess.run([str(BUILD / "limber"), *args], env=e, capture_output=True, text=True, timeout=30)


def test_status_human_and_json(desktop):
    desktop.add("mutter", "mutter_idlemonitor")
    desktop.start()
    wait_for(lambda: desktop.client.prop("Backend") == "mutter", 10, "mutter")
    r = limber(desktop, "status")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Active (idle backend: mutter)")
    assert re.search(r"^  posture +in 20m \(at \d\d:\d\d\) +every 20m, 3 snoozes left$", r.stdout, re.M)
    assert re.search(r"^  pacing +off$", r.stdout, re.M)
    assert "\033[" not in r.stdout  # no colour off a terminal

    r = limber(desktop, "status", "--json")
    assert r.returncode == 0
    st = json.loads(r.stdout)
    assert st["presence"] in ("active", "idle", "locked", "asleep")
    assert st["backend"] == "mutter"
    assert st["paused"] is False and st["paused_until"] is None
    assert isinstance(st["active_today"], int)
    kinds = {b["kind"]: b for b in st["breaks"]}
    assert set(kinds) == {"posture", "movement", "pacing"}
    for b in st["breaks"]:
        assert b["state"] in ("waiting", "due", "snoozed", "on-break", "paused", "disabled")
        for key in ("worked", "interval", "snoozes_left"):
            assert isinstance(b[key], int)
    assert kinds["posture"]["interval"] == 1200
    assert 1190 <= kinds["posture"]["due_in"] <= 1200
    assert kinds["pacing"]["state"] == "disabled" and kinds["pacing"]["due_in"] is None


def test_no_daemon_exit_3(desktop):
    r = limber(desktop, "status")
    assert r.returncode == EXIT["no_daemon"]
    assert "systemctl --user start limberd" in r.stderr
    r = limber(desktop, "snooze", env={"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/bus"})
    assert r.returncode == EXIT["no_daemon"]
    assert "cannot reach the session bus" in r.stderr


def test_snooze_skip_break_and_their_errors(desktop):
    desktop.policy("[posture]\ninterval = 1s\nmax-snoozes = 2\nskippable = no\nreprompt = 1h\n"
                   "[movement]\nenabled = no\n[pacing]\nenabled = yes\nquota = 1h\n")
    desktop.start()
    c = desktop.client
    r = limber(desktop, "skip", "pacing")
    assert (r.returncode, r.stderr.strip()) == (EXIT["not_due"],
                                               "limber: the pacing rest is not due, so there is nothing to skip")
    c.wait_signal("BreakDue", ["posture", 1])

    r = limber(desktop, "snooze", "10m", "posture")
    assert r.returncode == 0, r.stderr
    assert re.match(r"Posture break snoozed until \d\d:\d\d \(1 snooze left\)", r.stdout)
    assert c.kind("posture")["snoozed_until"] - c.status()["now"] > 590e6
    r = limber(desktop, "snooze", "posture", "1m")  # either order
    assert r.returncode == 0 and "0 snoozes left" in r.stdout
    r = limber(desktop, "snooze", "posture")
    assert r.returncode == EXIT["snooze_limit"]
    assert "no snoozes left for the posture break (posture.max-snoozes = 2" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1

    r = limber(desktop, "skip", "posture")
    assert r.returncode == EXIT["not_skippable"]
    assert "the posture break cannot be skipped (posture.skippable = no" in r.stderr

    r = limber(desktop, "break", "posture")
    assert r.returncode == 0
    assert r.stdout.startswith("Posture break started: step away for 30s")
    assert c.kind("posture")["state"] == "on-break"

    r = limber(desktop, "break", "movement")
    assert (r.returncode, r.stderr.strip()) == (EXIT["disabled"], "limber: movement breaks are turned off "
                                               f"(movement.enabled = no, {desktop.tmp}/config/limber/limber.ini:7); "
                                               "turn them on with 'limber set movement.enabled yes'")
    for args in (["snooze", "soon"], ["snooze", "neck"], ["break", "neck"], ["skip", "a", "b"],
                 ["snooze", "-5m"]):
        r = limber(desktop, *args)
        assert r.returncode == EXIT["usage"], args
        assert r.stdout == "", args


def test_pause_resume_flare(desktop):
    desktop.start()
    c = desktop.client
    r = limber(desktop, "pause", "30m")
    assert r.returncode == 0
    assert re.match(r"Breaks paused until \d\d:\d\d$", r.stdout)
    assert c.prop("Paused") is True
    r = limber(desktop, "resume")
    assert (r.returncode, r.stdout) == (0, "Breaks resumed\n")
    r = limber(desktop, "resume")
    assert (r.returncode, r.stdout) == (0, "Breaks were not paused; nothing changed\n")
    r = limber(desktop, "pause", "--until", "23:59")
    assert r.returncode == 0 and c.prop("Paused") is True
    until = c.prop("PausedUntil") / 1e6
    assert time.gmtime(until).tm_hour == 23 and time.gmtime(until).tm_min == 59  # limber runs with TZ=UTC
    r = limber(desktop, "pause")
    assert r.stdout == "Breaks paused until you run 'limber resume'\n" and c.prop("PausedUntil") == 0
    for args in (["pause", "soon"], ["pause", "--until", "25:00"], ["pause", "40d"], ["resume", "x"],
                 ["snooze", "2d"]):
        assert limber(desktop, *args).returncode == EXIT["usage"], args
    # Pacing is off: a flare would change nothing, and says so.
    r = limber(desktop, "flare", "on")
    assert r.returncode == EXIT["disabled"] and c.prop("Flare") is False
    assert r.stdout == "" and "pacing is off, so a flare plan would change nothing" in r.stderr
    r = limber(desktop, "flare", "off")
    assert (r.returncode, r.stdout) == (0, "No flare plan was on; nothing changed\n")
    assert limber(desktop, "flare", "maybe").returncode == EXIT["usage"]
    # "--" ends the options; --until goes anywhere, but not with a DURATION.
    r = limber(desktop, "pause", "--", "45m")
    assert r.returncode == 0 and re.match(r"Breaks paused until \d\d:\d\d$", r.stdout), r.stderr
    r = limber(desktop, "resume", "--")
    assert (r.returncode, r.stdout) == (0, "Breaks resumed\n")
    assert limber(desktop, "pause", "--until=23:59").returncode == 0 and c.prop("Paused") is True
    r = limber(desktop, "pause", "30m", "--until", "23:59")
    assert r.returncode == EXIT["usage"] and "pause: a duration or --until HH:MM, not both" in r.stderr


def test_pause_locked_exit_4(desktop):
    desktop.policy("[general]\nallow-pause = no\n")
    desktop.start()
    r = limber(desktop, "pause", "10m")
    assert r.returncode == EXIT["locked"]
    assert "pausing is turned off by general.allow-pause = no" in r.stderr


def test_reload(desktop):
    path = desktop.policy("[posture]\ninterval = 25m\n")
    desktop.start()
    path.write_text("[posture]\ninterval = 15m\ncolour = red\n")
    r = limber(desktop, "reload")
    assert (r.returncode, r.stdout) == (0, "Policy reloaded\n")
    assert "unknown key in [posture]: 'colour'" in r.stderr
    path.write_text("[posture]\ninterval = never\n")
    r = limber(desktop, "reload")
    assert r.returncode == EXIT["bad_policy"]
    assert f"{path}:2: invalid duration for posture.interval" in r.stderr
    assert desktop.client.kind("posture")["interval"] == 15 * 60 * 10**6


def read_line(proc, timeout):
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    return proc.stdout.readline() if ready else None


def ctx_switches(pid):
    total = 0
    for status in pathlib.Path(f"/proc/{pid}/task").glob("*/status"):
        for line in status.read_text().splitlines():
            if "ctxt_switches" in line:
                total += int(line.split()[1])
    return total


@pytest.mark.parametrize("fmt", [["--json"], ["--format", "waybar"]])
def test_follow_is_driven_by_signals(desktop, fmt):
    desktop.start()
    e = dict(desktop.env)
    proc = subprocess.Popen([str(BUILD / "limber"), "status", "--follow", *fmt], env=e, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        first = json.loads(read_line(proc, 10))
        if fmt[0] == "--json":
            assert first["paused"] is False
        else:
            assert set(first) == {"text", "tooltip", "class", "percentage"}
            assert re.match(r"posture \d\d:\d\d$", first["text"])
            assert first["class"] == "waiting"
        # Quiet while nothing changes: no lines, no wakeups (no polling).
        # It has settled once it has not switched for 0.3 s (after printing
        # the first line it still finishes writing and goes back to poll).
        last = [ctx_switches(proc.pid), time.monotonic()]

        def settled():
            n = ctx_switches(proc.pid)
            if n != last[0]:
                last[:] = [n, time.monotonic()]
            return time.monotonic() - last[1] >= 0.3
        wait_for(settled, 5, "limber status --follow to go quiet")
        before = ctx_switches(proc.pid)
        assert read_line(proc, 2.0) is None
        assert ctx_switches(proc.pid) - before <= 1
        # A transition: a line within 1 s.
        t0 = time.monotonic()
        desktop.client.call("Pause", dbus.UInt32(60))
        line = read_line(proc, 1.0)
        assert line is not None, "no line within 1 s of the transition"
        assert time.monotonic() - t0 < 1.0
        obj = json.loads(line)
        if fmt[0] == "--json":
            assert obj["paused"] is True
        else:
            assert obj["class"] == "paused" and obj["text"] == "paused"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_follow_survives_the_daemon_going(desktop):
    d = desktop.start()
    proc = subprocess.Popen([str(BUILD / "limber"), "status", "--follow", "--format", "waybar"], env=desktop.env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert json.loads(read_line(proc, 10))["class"] == "waiting"
        d.stop()
        line = read_line(proc, 5)
        assert json.loads(line)["class"] == "stopped"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


HISTORY = """\
DAYT09:00:00+00:00 active
DAYT09:20:00+00:00 due posture worked=20m
DAYT09:21:00+00:00 idle
DAYT09:21:30+00:00 taken posture worked=21m overdue=1m30s
DAYT09:25:00+00:00 active
DAYT09:40:00+00:00 idle
DAYT09:40:20+00:00 active
DAYT09:55:00+00:00 due movement worked=50m
DAYT09:55:00+00:00 snooze movement
DAYT09:55:00+00:00 snoozed movement span=5m count=1
DAYT10:00:00+00:00 skip movement
DAYT10:00:00+00:00 skipped movement worked=55m overdue=5m
DAYT10:30:00+00:00 locked
DAYT10:30:30+00:00 natural posture worked=9m
DAYT11:30:00+00:00 active
DAYT12:00:00+00:00 idle
"""


def test_stats(desktop, tmp_path):
    hist = tmp_path / "state/limber/history"
    hist.parent.mkdir(parents=True)
    # Yesterday, so that the default 7 days always include it.
    day = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 86400))  # limber runs with TZ=UTC
    hist.write_text(HISTORY.replace("DAY", day))
    r = limber(desktop, "stats", "--json")
    assert r.returncode == 0, r.stderr
    days = {d["date"]: d for d in json.loads(r.stdout)["days"]}
    assert len(days) == 7
    stats = days[day]
    # 09:00-09:21 21m, 09:25-10:30 65m (the 20 s pause counts), 11:30-12:00 30m
    assert stats["active"] == 116 * 60
    assert stats["longest"] == 65 * 60
    assert stats["breaks"]["posture"] == {"due": 1, "taken": 1, "natural": 1, "snoozed": 0, "skipped": 0,
                                        "dropped": 0, "compliance": 100}
    assert stats["breaks"]["movement"] == {"due": 1, "taken": 0, "natural": 0, "snoozed": 1, "skipped": 1,
                                         "dropped": 0, "compliance": 0}
    assert stats["active_outside_hours"] == 0
    assert stats["breaks"]["pacing"]["compliance"] is None

    r = limber(desktop, "stats", "--csv")
    assert r.stdout.splitlines()[0] == ("date,active_seconds,longest_seconds,kind,due,taken,natural,snoozed,"
                                        "skipped,compliance_percent,dropped,active_outside_hours_seconds")
    assert f"{day},6960,3900,posture,1,1,1,0,0,100,0,0" in r.stdout.splitlines()

    r = limber(desktop, "stats")
    assert f"{day}  active 1h 56m, longest unbroken stretch 1h 5m" in r.stdout
    assert re.search(r"^  movement  taken 0 of 1, snoozed 1, skipped 1, natural breaks 0$", r.stdout, re.M)
    assert "compliance" not in r.stdout

    # Options in any order, before or after each other's values.
    r2 = limber(desktop, "stats", "--days", "7", "--json")
    r3 = limber(desktop, "stats", "--json", "--days=7")
    assert r2.returncode == r3.returncode == 0
    assert json.loads(r2.stdout) == json.loads(r3.stdout)
    assert {d["date"]: d for d in json.loads(r2.stdout)["days"]} == days

    for args in (["stats", "--days", "0"], ["stats", "--json", "--csv"], ["stats", "extra"]):
        assert limber(desktop, *args).returncode == EXIT["usage"], args
    hist.write_text("garbage\n")
    r = limber(desktop, "stats")
    assert r.returncode == 1 and f"{hist}:1:" in r.stderr


def test_stats_combines_every_machine(desktop, tmp_path):
    """A home directory shared by two machines: limber stats reads both
    histories, and a minute active on both is one minute of the day."""
    from harness import MACHINE_ID
    state = tmp_path / "state/limber"
    state.mkdir(parents=True)
    day = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 86400))
    other = "0123456789abcdef0123456789abcdef"
    (state / f"history.{other}").write_text(
        f"# limber history of machine {other} (laptop)\n"
        f"{day}T09:00:00+00:00 active\n{day}T10:00:00+00:00 idle\n"
        f"{day}T12:00:00+00:00 active\n{day}T12:30:00+00:00 locked\n"
        f"{day}T12:30:00+00:00 due posture worked=20m\n"
        # the machine was switched off while active: its spell ends with its file
        f"{day}T15:00:00+00:00 active\n")
    (state / f"history.{MACHINE_ID}").write_text(
        f"{day}T09:30:00+00:00 active\n{day}T10:30:00+00:00 idle\n"
        # 20 s after the other machine went idle: one stretch across both
        f"{day}T12:30:20+00:00 active\n{day}T13:00:00+00:00 idle\n"
        f"{day}T13:00:00+00:00 taken posture worked=20m overdue=30m\n")
    r = limber(desktop, "stats", "--json", "--days", "2")
    assert r.returncode == 0, r.stderr
    stats = {d["date"]: d for d in json.loads(r.stdout)["days"]}[day]
    # 09:00-10:30 (both machines) 90m, 12:00-13:00 60m
    assert stats["active"] == 150 * 60
    assert stats["longest"] == 90 * 60
    assert stats["breaks"]["posture"]["due"] == 1 and stats["breaks"]["posture"]["taken"] == 1
    (state / f"history.{other}").write_text("2026-11-23T09:00:00+00:00 dance\n")
    r = limber(desktop, "stats")
    assert r.returncode == 1 and f"history.{other}:1: unknown event: 'dance'" in r.stderr


def test_snooze_all_names_the_break_without_snoozes(desktop):
    """`limber snooze` with no kind, refused: the message names the break that
    has no snoozes left and its own key."""
    desktop.policy("[posture]\nenabled = no\n[movement]\ninterval = 1s\nmax-snoozes = 0\nreprompt = 1h\n")
    desktop.start()
    desktop.client.wait_signal("BreakDue", ["movement", 1])
    r = limber(desktop, "snooze")
    assert r.returncode == EXIT["snooze_limit"], r.stderr
    assert "no snoozes left for the movement break (movement.max-snoozes = 0" in r.stderr


def posture_and_movement_due(desktop, movement=""):
    """limberd with posture (10 s) and movement (30 s) both due at once."""
    desktop.policy("[posture]\ninterval = 1s\nduration = 10s\nreprompt = 1h\n"
                   f"[movement]\ninterval = 1s\nduration = 30s\nreprompt = 1h\n{movement}")
    desktop.start()
    c = desktop.client
    wait_for(lambda: c.kind("posture")["state"] == "due" and c.kind("movement")["state"] == "due", 10,
             "both due")
    return c


def test_break_and_skip_name_the_right_kind(desktop):
    posture_and_movement_due(desktop, "skippable = no\n")
    r = limber(desktop, "skip")
    assert r.returncode == EXIT["not_skippable"]
    assert "the movement break cannot be skipped (movement.skippable = no" in r.stderr
    r = limber(desktop, "break")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Movement break started (with posture): step away for 30s"), r.stdout


def test_break_names_the_kind_asked_for(desktop):
    desktop.policy("[posture]\ninterval = 1s\nduration = 10s\nreprompt = 1h\n"
                   "[movement]\ninterval = 1s\nduration = 30s\nreprompt = 1h\n")
    desktop.start()
    c = desktop.client
    wait_for(lambda: c.kind("movement")["state"] == "due", 10, "movement due")
    r = limber(desktop, "break", "movement")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Movement break started"), r.stdout


@pytest.mark.parametrize("state, args", [("on-break", ("break",)), ("snoozed", ("snooze", "5m"))])
def test_a_kind_limber_does_not_know_is_printed_as_text(desktop, state, args):
    """A newer limberd may name a kind this limber does not know, even one
    with printf conversions in its name: limber prints the name and never
    formats with it (it crashed on this before)."""
    kind = "po%s%s%s%nture"
    now = 10**15
    newer = desktop.add("newer", name="org.limber.Limber1", path="/org/limber/Limber1", iface="org.limber.Limber1")
    mock = newer.mock()
    mock.AddMethod("org.limber.Limber1", "TakeBreak", "s", "", "")
    mock.AddMethod("org.limber.Limber1", "Snooze", "su", "", "")
    mock.AddMethod("org.limber.Limber1", "GetStatus", "", "a{sv}",
                   f'ret = dbus.Dictionary({{"now": dbus.UInt64({now - 60 * 10**6}), "breaks": dbus.Dictionary('
                   f'{{{kind!r}: dbus.Dictionary({{"enabled": True, "state": {state!r}, '
                   f'"break_left": dbus.UInt64(120 * 10**6), "snoozed_until": dbus.UInt64({now}), '
                   f'"snoozes_left": dbus.UInt32(2)}}, signature="sv")}}, signature="sa{{sv}}", variant_level=1)}}, '
                   f'signature="sv")')
    r = limber(desktop, *args)
    assert r.returncode == 0, (r.returncode, r.stdout, r.stderr)
    assert r.stdout.startswith(kind), r.stdout
    assert "ERROR: AddressSanitizer" not in r.stderr


def test_stats_across_a_clock_change(desktop, tmp_path):
    """limberd's history carries offsets: the spring-forward night's 01:30 to
    03:30 is one hour of activity, counted in the day it began."""
    hist = tmp_path / "history"
    hist.write_text("2026-03-29T01:30:00+01:00 active\n2026-03-29T03:30:00+02:00 idle\n"
                    "2026-10-25T02:05:00+02:00 active\n2026-10-25T02:55:00+01:00 idle\n")
    days_back = (datetime.date.today() - datetime.date(2026, 3, 28)).days + 1
    r = limber(desktop, "stats", "--json", "--days", str(days_back), "--history", str(hist),
               env={"TZ": "Europe/Berlin"})
    assert r.returncode == 0, r.stderr
    days = {d["date"]: d["active"] for d in json.loads(r.stdout)["days"]}
    assert days["2026-03-28"] == 3600
    assert days["2026-10-24"] == 6600


def test_more_error_paths(desktop):
    desktop.policy("[posture]\ninterval = 1h\n[movement]\nenabled = no\n")
    desktop.start()
    r = limber(desktop, "snooze")
    assert (r.returncode, r.stderr.strip()) == (EXIT["not_due"], "limber: no break is due, so there is nothing to snooze")
    r = limber(desktop, "skip", "posture")
    assert r.returncode == EXIT["not_due"]
    r = limber(desktop, "snooze", "5m", "movement")
    assert r.returncode == EXIT["disabled"], r.stderr
    assert "movement breaks are turned off" in r.stderr
    r = limber(desktop, "break", "movement")
    assert r.returncode == EXIT["disabled"]
    for args in (["status", "--follow", "--json", "--format", "waybar"],
                 ["status", "--follow", "--format", "waybar", "--json"]):
        r = limber(desktop, *args)
        assert r.returncode == EXIT["usage"], args
        assert "not both" in r.stderr


def test_colour_only_on_a_terminal(desktop):
    """Colour on a terminal (run under script(1)), none with NO_COLOR, TERM=dumb,
    or off a terminal."""
    desktop.start()
    cmd = f"{BUILD / 'limber'} status"

    def on_terminal(**env):
        e = {k: v for k, v in desktop.env.items() if k != "NO_COLOR"}
        e.update(env)
        r = subprocess.run(["script", "-qec", cmd, "/dev/null"], env=e, capture_output=True, text=True, timeout=30)
        assert r.returncode == 0, r.stdout + r.stderr
        return r.stdout

    assert "\x1b[" in on_terminal(TERM="xterm")
    assert "\x1b[" not in on_terminal(TERM="xterm", NO_COLOR="1")
    assert "\x1b[" not in on_terminal(TERM="dumb")
    off = subprocess.run([str(BUILD / "limber"), "status"], env={k: v for k, v in desktop.env.items()
                                                                  if k != "NO_COLOR"},
                         capture_output=True, text=True, timeout=30)
    assert off.returncode == 0 and "\x1b[" not in off.stdout


def test_skip_all_names_what_it_skipped(desktop):
    posture_and_movement_due(desktop)
    r = limber(desktop, "skip")
    assert (r.returncode, r.stdout) == (0, "Posture break skipped\nMovement break skipped\n"), r.stderr


def test_stats_outside_working_hours(desktop, tmp_path):
    """Active time outside general.work-hours is shown apart, and a break
    dropped when the hours ended is counted as such."""
    hist = tmp_path / "state/limber/history.0a0a0a0a0a0a4a0a8a0a0a0a0a0a0a0a"
    hist.parent.mkdir(parents=True)
    day = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 86400))
    hist.write_text("\n".join(f"{day}T{line}" for line in [
        "16:00:00+00:00 active",
        "17:25:00+00:00 due movement worked=50m",
        "17:30:00+00:00 hours on=0",
        "17:30:00+00:00 dropped movement worked=55m overdue=5m",
        "18:00:00+00:00 idle",
        "20:00:00+00:00 active",
        "21:00:00+00:00 locked",
    ]) + "\n")
    stats = {d["date"]: d for d in json.loads(limber(desktop, "stats", "--json").stdout)["days"]}[day]
    assert stats["active"] == 180 * 60  # 16:00-18:00 and 20:00-21:00
    assert stats["active_outside_hours"] == 90 * 60  # from 17:30
    assert stats["breaks"]["movement"]["dropped"] == 1
    r = limber(desktop, "stats")
    assert f"{day}  active 3h," in r.stdout and "outside working hours 1h 30m" in r.stdout
