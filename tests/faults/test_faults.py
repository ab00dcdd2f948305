# SPDX-License-Identifier: MIT
"""limberd survives what a session can throw at it: its idle backend coming
and going, the session bus dying, kill -9 while it writes its state, a
read-only or full state directory, the wall clock jumping and the time zone
changing, and thousands of hostile D-Bus calls."""
import datetime
import os
import pathlib
import random
import re
import signal
import struct
import subprocess
import sys
import time

import dbus
import dbus.lowlevel
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "integration"))
import harness  # noqa: E402
from harness import BUILD, Bus, Client, Limberd, run_for, wait_for  # noqa: E402


@pytest.fixture
def desktop(tmp_path):
    yield from harness.desktop_fixture(tmp_path)


def state_text(desktop):
    try:
        return desktop.state_path().read_text()
    except FileNotFoundError:
        return ""


def parse_state(text):
    """The state file as limberd writes it; raises on anything else."""
    lines = text.split("\n")
    assert lines[-1] == "" and lines[-2] == "end", "truncated"
    assert lines[0] == "version=2"
    values = {}
    for line in lines[1:-2]:
        if not line or line.startswith("#"):
            continue
        k, v = line.split("=", 1)
        values[k] = v
    return values


def test_idle_backend_vanishing_and_returning(desktop):
    desktop.policy("[posture]\ninterval = 1h\n[movement]\ninterval = 1h\n")
    mutter = desktop.add("mutter", "mutter_idlemonitor")
    desktop.start()
    c = desktop.client
    wait_for(lambda: c.prop("Backend") == "mutter", 10, "mutter")
    worked = c.kind("posture")["worked"]
    c.changes.clear()
    mutter.stop()
    wait_for(lambda: c.prop("Backend") == "none", 10, "the backend to go")
    mutter = desktop.add("mutter2", "mutter_idlemonitor")
    wait_for(lambda: c.prop("Backend") == "mutter", 10, "the backend back")
    wait_for(lambda: mutter.calls("AddIdleWatch"), 10, "watches on the new monitor")
    # No spurious break, no spurious idle spell; the counters went on.
    assert not [s for s in c.signals if s[0] in ("BreakEnded", "BreakDue")]
    assert all(ch.get("Presence", "active") == "active" for _, ch in c.changes)
    assert c.kind("posture")["worked"] > worked
    hist = desktop.history_path().read_text()
    assert "natural" not in hist and "taken" not in hist


def test_session_bus_dying(desktop):
    d = desktop.start()
    c = desktop.client
    c.call("Pause", dbus.UInt32(3600))
    wait_for(lambda: "paused=1" in state_text(desktop), 10, "the pause saved")
    c.close()
    desktop.client = None
    desktop.session.stop()
    assert d.proc.wait(timeout=20) != 0  # exits, and says it failed: systemd restarts it
    assert "the session bus went away" in d.log()
    # A new session: the state comes back.
    desktop.session = Bus(desktop.tmp / "session2", "session")
    desktop.env["DBUS_SESSION_BUS_ADDRESS"] = desktop.session.address
    desktop.start()
    assert desktop.client.status()["paused"] is True


def test_kill_9_while_writing_state(desktop):
    """200 cycles of kill -9 at a random moment while limberd saves its state
    (a client keeps asking for actions, and every action is saved): the file
    always parses, at most one interrupted temporary file is left, and the
    counters never go back (the restart counts the time since the last save
    as the active spell it was)."""
    desktop.policy("[posture]\ninterval = 1h\n[movement]\ninterval = 1h\n")
    env = dict(desktop.env, LIMBER_LOG_LEVEL="info", ASAN_OPTIONS="detect_leaks=0")
    rng = random.Random(1234)
    last = {"posture.worked": 0, "movement.worked": 0, "active-today": 0}
    path = desktop.state_path()
    spam = desktop.adopt(subprocess.Popen(
        ["sh", "-c", "while :; do dbus-send --session --dest=org.limber.Limber1 --type=method_call "
                     "/org/limber/Limber1 org.limber.Limber1.Resume 2>/dev/null; done"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    cycles = 200
    for i in range(cycles):
        d = Limberd(desktop.tmp, env, ["--root", str(desktop.root)])
        time.sleep(rng.uniform(0.02, 0.15))  # the random moment of the kill (not a synchronisation)
        d.proc.send_signal(signal.SIGKILL)
        d.proc.wait(timeout=10)
        d.stop()
        values = parse_state(path.read_text())
        for key, before in last.items():
            now = int(values[key])
            assert now >= before, (i, key, before, now)
            last[key] = now
        assert len([p for p in path.parent.iterdir() if ".tmp." in p.name]) <= 1, i
    harness.stop_process(spam, signal.SIGKILL)
    assert last["posture.worked"] > 1_000_000  # the counters did move on across the restarts
    hist = desktop.history_path().read_text()
    assert hist.count(" resume\n") > cycles  # the actions did come in while limberd was killed


def test_kill_9_after_long_activity(desktop):
    """Ten minutes of work with no event at all (no transition, no deadline:
    nothing is saved meanwhile), then kill -9: the restarted limberd's
    counters are within 2 s of the truth."""
    shift, env = clockshift(desktop)
    desktop.policy("[posture]\ninterval = 1h\n[movement]\ninterval = 2h\n")
    d = desktop.start(extra_env=env)
    c = desktop.client
    wait_for(lambda: c.kind("posture")["worked"] > 0.5e6, 10, "some work")
    saved = parse_state(state_text(desktop))
    set_shift(shift, 600 * 10**6, 2)  # ten minutes pass
    truth = c.status()
    t_truth = time.monotonic()
    assert truth["breaks"]["posture"]["worked"] >= 600e6
    assert parse_state(state_text(desktop))["saved"] == saved["saved"]  # nothing was written meanwhile
    d.proc.send_signal(signal.SIGKILL)
    d.proc.wait(timeout=10)
    desktop.client.close()
    desktop.client = None
    desktop.start(extra_env=env)
    after = desktop.client.status()
    elapsed = (time.monotonic() - t_truth) * 1e6  # the restart itself, active too
    for value in (lambda s: s["breaks"]["posture"]["worked"], lambda s: s["breaks"]["movement"]["worked"],
                  lambda s: s["active_today"]):
        assert abs(value(after) - (value(truth) + elapsed)) <= 2e6, (value(truth), value(after), elapsed)
    print(f"\nkill -9 after 10 min of work: posture.worked {truth['breaks']['posture']['worked'] / 1e6:.2f} s "
          f"-> {after['breaks']['posture']['worked'] / 1e6:.2f} s after the restart ({elapsed / 1e6:.2f} s later)")


def test_power_loss(desktop):
    """The machine lost power (kill -9, then a new boot id): the time since
    the last save was time away, not work."""
    shift, env = clockshift(desktop)
    desktop.policy("[general]\nidle-after = 1s\n[posture]\ninterval = 1h\n[movement]\ninterval = 2h\n")
    d = desktop.start(extra_env=env)
    c = desktop.client
    wait_for(lambda: c.kind("movement")["worked"] > 2e6, 10, "some work")
    c.call("Resume")  # an event: the state is saved with that work
    d.proc.send_signal(signal.SIGKILL)
    d.proc.wait(timeout=10)
    c.close()
    desktop.client = None
    # Off for ten minutes; then a new boot.
    set_shift(shift, 600 * 10**6, 0)
    boot = desktop.tmp / "boot_id"
    boot.write_text("0123abcd-0000-4000-8000-0123456789ab\n")
    desktop.env.update(env)
    in_namespace(desktop, f"mount --bind {boot} /proc/sys/kernel/random/boot_id")
    st = desktop.client.status()
    assert st["breaks"]["movement"]["worked"] < 5e6, st  # ten minutes away: a natural movement break
    hist = desktop.history_path().read_text()
    assert re.search(r" natural movement ", hist), hist


def test_timer_failure_exits(desktop):
    """A scheduler timer that cannot be armed would stop scheduling silently:
    limberd says so and exits with a failure, for systemd to restart it."""
    shift, env = clockshift(desktop)
    d = desktop.start(extra_env=env)
    set_shift(shift, 1, 3)
    try:
        desktop.client.call("Resume")
    except dbus.DBusException:
        pass  # it may be gone before it answers
    assert d.proc.wait(timeout=20) not in (0, None)
    assert "cannot arm the scheduler timer" in d.log()
    set_shift(shift, 0, 3)


def test_wall_clock_step_is_announced(desktop):
    """The properties publish wall-clock times: a step of the wall clock moves
    them, and the next event announces it (PropertiesChanged)."""
    shift, env = clockshift(desktop)
    desktop.policy("[posture]\ninterval = 1h\n[movement]\ninterval = 2h\n")
    desktop.start(extra_env=env)
    c = desktop.client
    before = c.kind("posture")["due_at"]
    c.changes.clear()
    set_shift(shift, 3600 * 10**6, 0)
    c.call("Resume")  # any event
    wait_for(lambda: any("Breaks" in ch for _, ch in c.changes), 10, "Breaks to be announced")
    breaks = [ch["Breaks"] for _, ch in c.changes if "Breaks" in ch][-1]
    assert abs(breaks["posture"]["due_at"] - (before + 3600e6)) < 5e6


def in_namespace(desktop, script):
    """limberd started inside a private mount namespace prepared by script."""
    if os.geteuid() != 0:
        pytest.skip("needs root for a private mount namespace")
    state = desktop.tmp / "state/limber"
    state.mkdir(parents=True, exist_ok=True)
    sh = f"set -e; {script.format(state=state)}; exec {BUILD / 'limberd'} --root {desktop.root}"
    d = Limberd(desktop.tmp, desktop.env, ["-m", "sh", "-c", sh], binary="unshare")
    desktop.daemons.append(d)
    desktop.client = Client(desktop.session)
    return d


@pytest.mark.parametrize("kind", ["read-only", "full"])
def test_state_directory_unwritable(desktop, kind):
    desktop.policy("[posture]\ninterval = 1s\nreprompt = 1h\n[movement]\nenabled = no\n")
    if kind == "read-only":
        d = in_namespace(desktop, "mount --bind {state} {state}; mount -o remount,bind,ro {state}")
        reason = "Read-only file system"
    else:
        d = in_namespace(desktop, "mount -t tmpfs -o size=8k tmpfs {state}; "
                                  "dd if=/dev/zero of={state}/filler bs=1k count=64 2>/dev/null || true")
        reason = "No space left on device"
    c = desktop.client
    c.wait_signal("BreakDue", ["posture", 1], timeout=10)  # scheduling goes on
    wait_for(lambda: "cannot save the state" in d.log(), 10, "the first failed save")
    c.call("Pause", dbus.UInt32(60))
    c.call("Resume")
    run_for(2.5)  # two more debounced saves fail, and are not reported again
    log = d.log()
    assert log.count("cannot save the state") == 1, log
    assert reason in log
    assert c.status()["breaks"]["posture"]["state"] == "due"


def set_shift(path, usec, which=0):
    """Sets one of the shim's values (0: the wall clock, 1: boottime, time
    asleep, 2: every clock, time passing, 3: failing timers): in place, never
    truncating the file limberd has mapped (a read of a truncated mapping is
    SIGBUS)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        os.pwrite(fd, struct.pack("=q", usec), 8 * which)
    finally:
        os.close(fd)


def clockshift(desktop):
    shift = desktop.tmp / "clockshift"
    for which in range(4):
        set_shift(shift, 0, which)
    env = {"LD_PRELOAD": str(BUILD / "tests/faults/clockshift.so"), "CLOCKSHIFT_FILE": str(shift),
           "ASAN_OPTIONS": "detect_leaks=1:verify_asan_link_order=0"}
    return shift, env


def test_wall_clock_jumps(desktop):
    shift, env = clockshift(desktop)
    # The day starts in an hour: a 3 h jump forward crosses it.
    start = time.localtime(time.time() + 3600)
    desktop.policy(f"[general]\nday-starts = {start.tm_hour:02d}:{start.tm_min:02d}\n"
                   "[posture]\ninterval = 1h\n[movement]\ninterval = 2h\n")
    d = desktop.start(extra_env=env)
    c = desktop.client
    wait_for(lambda: c.kind("posture")["worked"] > 0.5e6, 10, "some work")
    before = c.status()
    for hours in (3, -3):  # forward 3 h, then back where it was
        set_shift(shift, hours * 3600 * 10**6 if hours > 0 else 0)
        c.call("Reload")  # any wakeup notices the jump
        after = c.status()
        # The wall clock moved the displayed times, not the breaks.
        assert abs((after["now"] - before["now"]) - hours * 3600e6) < 5e6
        for kind in ("posture", "movement"):
            assert after["breaks"][kind]["state"] == "waiting"
            assert 0 <= after["breaks"][kind]["worked"] - before["breaks"][kind]["worked"] < 10e6
        before = after
    assert not [s for s in c.signals if s[0] in ("BreakDue", "BreakEnded")]
    hist = desktop.history_path().read_text()
    assert "due" not in hist.split() and "natural" not in hist.split()
    # Crossing the day boundary forward is a new day; a break is not.
    assert re.search(r" day active=", hist)


@pytest.mark.parametrize("before", ["idle", "active"])
def test_a_suspend_nobody_announced(desktop, before):
    """No logind: a suspend shows only as CLOCK_BOOTTIME running ahead of
    CLOCK_MONOTONIC. It counts as time asleep, and afterwards the user is
    where the idle source last said: still away if they were idle."""
    shift, env = clockshift(desktop)
    desktop.policy("[general]\nidle-after = 2s\n[posture]\ninterval = 1h\n[movement]\ninterval = 2h\n")
    m = desktop.add("mutter", "mutter_idlemonitor")
    desktop.start(extra_env=env)
    c = desktop.client
    wait_for(lambda: c.prop("Backend") == "mutter", 10, "mutter")
    wait_for(lambda: c.kind("posture")["worked"] > 0.5e6, 10, "some work")
    if before == "idle":
        m.control().GoIdle(dbus.UInt64(3000))
        wait_for(lambda: c.prop("Presence") == "idle", 10, "idle")
    # 30 minutes asleep: the wall clock and boottime move on, monotonic not.
    set_shift(shift, 1800 * 10**6, 1)
    set_shift(shift, 1800 * 10**6, 0)
    c.call("Reload")  # any wakeup notices it
    hist = desktop.history_path().read_text().split("\n")
    asleep = [i for i, l in enumerate(hist) if l.endswith(" asleep")]
    assert asleep, hist
    fell, woke = hist[asleep[-1]].split()[0], hist[asleep[-1] + 1].split()[0]
    slept = datetime.datetime.fromisoformat(woke) - datetime.datetime.fromisoformat(fell)
    assert abs(slept.total_seconds() - 1800) <= 2, hist[asleep[-1]:]
    assert hist[asleep[-1] + 1].split()[1] == before, hist[asleep[-1]:]
    assert c.prop("Presence") == before
    worked = c.kind("posture")["worked"]
    if before == "idle":
        assert worked == 0  # the 30 minutes were a break, and nothing counts since
        m.control().Input()
        wait_for(lambda: c.prop("Presence") == "active", 10, "back")
    wait_for(lambda: c.kind("posture")["worked"] > worked, 10, "counting again")
    assert not [s for s in c.signals if s[0] == "BreakDue"]


def test_time_zone_change(desktop, tmp_path):
    """The system's zone changes under a running limberd (timedatectl rewrites
    /etc/localtime; here a private mount namespace binds a file over it, and
    TZ is unset as in a session): times written from then on are in the new
    zone; no break is produced or lost, and instants do not move."""
    zone = tmp_path / "localtime"
    zone.write_bytes(pathlib.Path("/usr/share/zoneinfo/UTC").read_bytes())
    desktop.policy("[posture]\ninterval = 1h\n[movement]\ninterval = 2h\n")
    del desktop.env["TZ"]
    in_namespace(desktop, f"mount --bind {zone} /etc/localtime")
    c = desktop.client
    wait_for(lambda: c.kind("posture")["worked"] > 0.5e6, 10, "some work")
    before = c.status()
    hist = desktop.history_path()
    assert hist.read_text().splitlines()[-1][19:25] == "+00:00", hist.read_text()

    zone.write_bytes(pathlib.Path("/usr/share/zoneinfo/Asia/Tokyo").read_bytes())  # the same inode, as bound
    os.utime(zone, (time.time() + 5, time.time() + 5))  # a new mtime, whatever the second
    c.call("Reload")  # any wakeup notices it
    c.call("Pause", dbus.UInt32(60))
    c.call("Resume")
    assert hist.read_text().splitlines()[-1][19:25] == "+09:00", hist.read_text()
    after = c.status()
    for kind in ("posture", "movement"):
        assert after["breaks"][kind]["state"] == "waiting"
        assert 0 <= after["breaks"][kind]["worked"] - before["breaks"][kind]["worked"] < 10e6
        # due_at is an instant: it does not move with the zone
        assert abs(after["breaks"][kind]["due_at"] - before["breaks"][kind]["due_at"]) < 2e6
    assert not [s for s in c.signals if s[0] in ("BreakDue", "BreakEnded")]


def fds_and_rss(pid):
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    rss = int(re.search(r"VmRSS:\s+(\d+)", pathlib.Path(f"/proc/{pid}/status").read_text()).group(1))
    return fds, rss


def hostile_calls(conn, rng, n):
    iface = "org.limber.Limber1"
    obj = conn.get_object("org.limber.Limber1", "/org/limber/Limber1")
    kinds = ["", "posture", "movement", "pacing", "neck", "x" * 4096, "posture\n", "POSTURE", "p" * 300]
    errors = 0
    for i in range(n):
        choice = rng.randrange(9)
        try:
            if choice == 0:
                obj.Snooze(rng.choice(kinds), dbus.UInt32(rng.choice([0, 1, 59, 86400, 86401, 2**32 - 1])),
                           dbus_interface=iface)
            elif choice == 1:
                obj.Skip(rng.choice(kinds), dbus_interface=iface)
            elif choice == 2:
                obj.TakeBreak(rng.choice(kinds), dbus_interface=iface)
            elif choice == 3:
                obj.Pause(dbus.UInt32(rng.choice([0, 1, 30 * 86400, 30 * 86400 + 1, 2**32 - 1])), dbus_interface=iface)
                obj.Resume(dbus_interface=iface)
            elif choice == 4:  # wrong types and counts, sent raw
                msg = dbus.lowlevel.MethodCallMessage("org.limber.Limber1", "/org/limber/Limber1", iface,
                                                      rng.choice(["Snooze", "Pause", "SetFlare", "Skip"]))
                msg.append(*rng.choice([(dbus.String("posture"),), (dbus.Int32(-1), dbus.Int32(-1)),
                                        (dbus.Double(1.5),), (dbus.Array([], signature="s"),), ()]))
                conn.send_message_with_reply_and_block(msg, 5)
            elif choice == 5:
                obj.NoSuchMethod(dbus_interface=iface)
            elif choice == 6:
                dbus.Interface(obj, "org.freedesktop.DBus.Properties").Get(iface, rng.choice(["Nope", "Breaks", ""]))
            elif choice == 7:
                obj.SetFlare(rng.choice([True, False]), dbus_interface=iface)
            else:
                obj.GetStatus(dbus_interface=iface)
                obj.GetPolicy(dbus_interface=iface)
        except dbus.DBusException:
            errors += 1
    return errors


def test_hostile_dbus_calls(desktop):
    desktop.policy("[posture]\ninterval = 1h\n[movement]\ninterval = 1h\n")
    # No quarantine and no allocation stacks: ASan's own bookkeeping would
    # otherwise grow with every call. LeakSanitizer still checks at exit.
    env = {"ASAN_OPTIONS": "detect_leaks=1:quarantine_size_mb=0:malloc_context_size=0"}
    d = desktop.start(extra_env=env)
    conn = desktop.session.conn
    rng = random.Random(42)
    hostile_calls(conn, rng, 3000)  # warm up: caches, first allocations
    fds0, rss0 = fds_and_rss(d.pid)
    errors = hostile_calls(conn, rng, 3000)
    fds1, rss1 = fds_and_rss(d.pid)
    assert errors > 900  # most of them are refused with an error...
    assert d.alive()  # ...and none brought it down
    assert desktop.client.status()["presence"] == "active"
    # GLib (the notification thread) holds an eventfd now and then; a leak
    # per call would show thousands.
    assert fds1 <= fds0 + 1, (fds0, fds1)
    assert rss1 - rss0 < 1024, (rss0, rss1)  # KiB: under 350 bytes a call, and levelling off
    print(f"\n3000 hostile calls: {errors} errors, fds {fds0} -> {fds1}, RSS {rss0} -> {rss1} KiB")
