# SPDX-License-Identifier: MIT
"""The notification server failing under limberd: hung (SIGSTOP), killed and
replaced. The D-Bus service never stalls, prompts come back on the server
that returns, and stale actions are ignored."""
import pathlib
import signal
import sys
import time

import dbus
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "integration"))
import harness  # noqa: E402
from harness import run_for, wait_for  # noqa: E402


@pytest.fixture
def desktop(tmp_path):
    yield from harness.desktop_fixture(tmp_path)


def timed_status(c):
    start = time.monotonic()
    c.status()
    return time.monotonic() - start


def test_hung_server_does_not_stall_the_bus(desktop):
    desktop.policy("[posture]\ninterval = 1s\nsnooze = 1s\nreprompt = 1s\n[movement]\nenabled = no\n")
    notes = desktop.add("notify", "notifications")
    d = desktop.start()
    c = desktop.client
    wait_for(lambda: notes.control().Showing(), 10, "the prompt")
    notes.proc.send_signal(signal.SIGSTOP)
    try:
        # Closing and showing prompts now block the notifier thread for 25 s;
        # the main thread answers regardless.
        c.call("Snooze", "posture", dbus.UInt32(1))
        worst = 0.0
        deadline = time.monotonic() + 4
        while time.monotonic() < deadline:
            worst = max(worst, timed_status(c))
            run_for(0.2)  # a status query every 0.2 s, the GLib loop running between
        assert worst < 1.0, worst
        c.wait_signal("BreakDue", ["posture", 2], timeout=10)  # scheduling went on
        assert timed_status(c) < 1.0
    finally:
        notes.proc.send_signal(signal.SIGCONT)
    # The server is back: the prompt that stands is on it, and acting on it works.
    wait_for(lambda: notes.control().Showing(), 30, "the prompt after the server returned")
    [(nid, summary, _, _)] = notes.control().Showing()
    assert "osture" in summary
    notes.control().Invoke(nid, "skip")
    c.wait_signal("BreakEnded", ["posture", "skipped"], timeout=10)
    assert d.alive()


def test_server_killed_and_restarted(desktop):
    desktop.policy("[posture]\ninterval = 1s\nreprompt = 1h\n[movement]\nenabled = no\n")
    notes = desktop.add("notify", "notifications")
    d = desktop.start()
    c = desktop.client
    wait_for(lambda: notes.control().Showing(), 10, "the prompt")
    [(old_id, _, _, _)] = notes.control().Showing()
    snoozes = c.kind("posture")["snoozes_left"]
    notes.stop(signal.SIGKILL)
    assert timed_status(c) < 1.0
    # A new server: the prompt that stands is shown on it, and its actions work
    # (old notification objects were dropped, not matched by id).
    notes2 = desktop.add("notify2", "notifications")
    wait_for(lambda: notes2.control().Showing(), 10, "the prompt on the new server")
    [(nid, summary, _, _)] = notes2.control().Showing()
    assert nid == old_id  # the new server numbers from 1 again: the ids collide
    # A stale action (a notification limberd does not show on this server)
    # is ignored; the real one, sent after it on the same connection, works,
    # once: the dropped object with the same id does not act on it too.
    notes2.control().Invoke(nid + 1000, "skip")
    notes2.control().Invoke(nid, "snooze")
    c.wait_state("posture", "snoozed")
    assert c.kind("posture")["snoozes_left"] == snoozes - 1
    assert not [s for s in c.signals if s[0] == "BreakEnded"]
    assert d.alive()
