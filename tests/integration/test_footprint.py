# SPDX-License-Identifier: MIT
"""Idle cost: between scheduler deadlines limberd does not wake at all.

Wakeups are context switches of all its threads (/proc/PID/task/*/status)
over a window. The figures for the release build are in `make bench`."""
import pathlib

import dbus

from harness import run_for, wait_for


def per_thread(pid):
    """Context switches of each thread: its name and id -> count."""
    out = {}
    for task in pathlib.Path(f"/proc/{pid}/task").glob("*"):
        try:
            name = (task / "comm").read_text().strip()
            lines = (task / "status").read_text().splitlines()
        except FileNotFoundError:
            continue
        out[f"{name}/{task.name}"] = sum(int(l.split()[1]) for l in lines if "ctxt_switches" in l)
    return out


def switches(pid):
    return sum(per_thread(pid).values())


def rss_kib(pid):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def test_no_wakeups_while_idle(desktop):
    desktop.policy("[general]\nidle-after = 1s\n[posture]\nduration = 2s\n[movement]\nduration = 3s\n")
    mutter = desktop.add("mutter", "mutter_idlemonitor")
    notes = desktop.add("notify", "notifications")
    d = desktop.start()
    c = desktop.client
    wait_for(lambda: c.prop("Backend") == "mutter", 10, "mutter")
    wait_for(lambda: len(mutter.calls("AddIdleWatch")) >= 3, 10, "the watches")
    mutter.control().GoIdle(dbus.UInt64(0))
    # Idle: the spell is committed at 1 s and both kinds are satisfied by 3 s;
    # after that the next deadline is the day boundary.
    wait_for(lambda: c.prop("Presence") == "idle", 10, "idle")
    wait_for(lambda: c.kind("movement")["worked"] == 0 and c.kind("posture")["worked"] == 0, 10,
             "the natural breaks")
    state = desktop.state_path()
    wait_for(lambda: state.exists() and "posture.worked=0\n" in state.read_text()
             and "movement.worked=0\n" in state.read_text(), 10, "the state saved after the natural breaks")
    before = per_thread(d.pid)
    run_for(10)
    after = per_thread(d.pid)
    woke = sum(after.values()) - sum(before.values())
    print(f"\nidle: {woke * 6} wakeups/min, RSS {rss_kib(d.pid)} KiB (this build)")
    assert woke <= 1, f"{woke} wakeups in 10 s while idle: " + str(
        {t: n - before.get(t, 0) for t, n in after.items() if n != before.get(t, 0)})


def test_few_wakeups_while_active(desktop):
    mutter = desktop.add("mutter", "mutter_idlemonitor")
    d = desktop.start()
    c = desktop.client
    wait_for(lambda: c.prop("Backend") == "mutter", 10, "mutter")
    run_for(1.5)
    before = switches(d.pid)
    run_for(10)
    woke = switches(d.pid) - before
    print(f"\nactive: {woke * 6} wakeups/min (no timer between scheduler deadlines)")
    assert woke <= 1, f"{woke} wakeups in 10 s while active"
