# SPDX-License-Identifier: MIT
"""State that survives: kill -9 mid-cycle, a clean restart, downtime as idle,
and a corrupt state file."""
import re
import signal
import time

import dbus

from harness import wait_for

POLICY = "[posture]\ninterval = 2s\nsnooze = 1h\nmax-snoozes = 3\nreprompt = 1h\n[movement]\ninterval = 1h\n"


def state_file(desktop):
    return desktop.state_path()


def test_kill_9_restores_counters_snoozes_and_pause(desktop):
    desktop.policy(POLICY)
    d = desktop.start()
    c = desktop.client
    c.wait_signal("BreakDue", ["posture", 1])
    c.call("Snooze", "posture", dbus.UInt32(0))
    c.call("Pause", dbus.UInt32(3600))
    before = c.status()
    # The pause froze the counters; wait until the state file has it.
    wait_for(lambda: state_file(desktop).exists() and "paused=1" in state_file(desktop).read_text(), 10,
             "the state file to record the pause")
    assert d.stop(signal.SIGKILL) == -signal.SIGKILL

    d2 = desktop.start()
    after = c.status()
    assert after["paused"] is True
    assert abs(after["paused_until"] - before["paused_until"]) < 2e6
    for kind in ("posture", "movement"):
        assert after["breaks"][kind]["worked"] >= before["breaks"][kind]["worked"] - 1e6
        assert after["breaks"][kind]["worked"] <= before["breaks"][kind]["worked"] + 1e6
    assert after["breaks"]["posture"]["snoozes_left"] == 2
    # Resumed: the snooze (1 h) is still running, not forgotten.
    c.call("Resume")
    assert c.kind("posture")["state"] == "snoozed"
    assert "restored the state" in d2.log()


def test_timed_pause_ends_by_itself_after_restart(desktop):
    desktop.policy(POLICY)
    d = desktop.start()
    c = desktop.client
    c.call("Pause", dbus.UInt32(8))  # longer than a stop and a start under ASan
    assert d.stop() == 0
    d2 = desktop.start()
    assert c.prop("Paused") is True
    wait_for(lambda: c.prop("Paused") is False, 15, "the pause to end by itself")


def test_downtime_counts_as_idle(desktop):
    desktop.policy("[posture]\ninterval = 1h\n[movement]\ninterval = 1h\n")
    d = desktop.start()
    c = desktop.client
    wait_for(lambda: c.kind("movement")["worked"] > 1e6, 10, "a second of work")
    assert d.stop() == 0
    # Pretend limberd stopped 10 minutes ago: a movement break's worth of
    # downtime, on the wall clock and on the boot's own clock.
    text = state_file(desktop).read_text()
    for key in ("saved", "uptime"):
        value = int(re.search(rf"^{key}=(\d+)$", text, re.M).group(1))
        text = re.sub(rf"^{key}=\d+$", f"{key}={value - 600 * 10**6}", text, flags=re.M)
    state_file(desktop).write_text(text)
    desktop.start()
    st = c.status()
    assert st["breaks"]["movement"]["worked"] < 1e6
    assert st["breaks"]["posture"]["worked"] < 1e6
    # The history stays in time order: the downtime line is not written before
    # what the last run wrote.
    times = [l.split()[0] for l in desktop.history_path().read_text().splitlines()]
    assert times == sorted(times)
    assert len(times) >= 3


def test_corrupt_state_is_reported_and_survived(desktop):
    sf = state_file(desktop)
    sf.parent.mkdir(parents=True)
    sf.write_text("version=1\nposture.worked=12\n")  # no end line: truncated
    d = desktop.start()
    assert "truncated" in d.log()
    assert desktop.client.kind("posture")["worked"] < 5e6
    assert d.stop() == 0
    assert sf.read_text().endswith("end\n")


def test_snooze_of_a_break_that_was_not_due(desktop):
    """A state file no limberd writes (hand-edited, or damaged): a snooze on a
    break that is not due, with the counter past the interval. limberd once
    spun at start-up on it; now the snooze is dropped and the break is due."""
    sf = state_file(desktop)
    sf.parent.mkdir(parents=True)
    future = int(time.time() * 1e6) + 3600 * 10**6
    sf.write_text(f"version=1\nsaved={future}\nday=2099-12-31\nposture.worked=1200000000\nposture.due=0\n"
                  f"posture.snoozed-until={future + 3600 * 10**6}\nend\n")
    d = desktop.start()  # READY within the harness's timeout
    c = desktop.client
    wait_for(lambda: c.kind("posture")["state"] == "due", 10, "posture due")
    assert d.alive()


def test_a_write_cut_short_leaves_nothing_behind(desktop):
    """kill -9 during a state write leaves state.MACHINE.tmp.XXXXXX: the next
    limberd removes it, and only its own machine's temporaries."""
    sdir = desktop.tmp / "state/limber"
    sdir.mkdir(parents=True)
    ours = desktop.state_path().name + ".tmp.Ab12Cd"
    theirs = "state.0b0b0b0b0b0b4b0b8b0b0b0b0b0b0b0b.tmp.Ef34Gh"  # another machine's, on a shared home
    for name in (ours, theirs):
        (sdir / name).write_text("version=2\n")
    (sdir / "notes.txt").write_text("mine\n")
    desktop.start()
    assert not (sdir / ours).exists()
    assert (sdir / theirs).exists()
    assert (sdir / "notes.txt").read_text() == "mine\n"
