# SPDX-License-Identifier: MIT
"""limberd on a private session bus: readiness, status, the prompt flow with
the Mutter backend and a notification server, errors, reload, restart."""
import signal

import dbus
import pytest

from harness import wait_for

FAST = """
[general]
idle-after = 1s
[posture]
interval = 2s
duration = 2s
snooze = 2s
reprompt = 1m
[movement]
enabled = no
"""


def test_ready_status_and_clean_exit(desktop):
    d = desktop.start()
    c = desktop.client
    st = c.status()
    assert st["presence"] == "active"
    assert st["backend"] == "none"
    assert st["paused"] is False
    posture = st["breaks"]["posture"]
    assert posture["state"] == "waiting"
    assert posture["interval"] == 20 * 60 * 10**6
    assert posture["enabled"] is True
    assert st["breaks"]["pacing"]["state"] == "disabled"
    assert c.prop("Version")
    assert any("posture in 20m" in s for s in d.statuses())
    assert d.stop() == 0
    d.poll_messages()
    assert any("STOPPING=1" in m for m in d.messages)


def test_second_instance_exits(desktop):
    desktop.start()
    second = desktop.start(wait_ready=False)
    assert second.proc.wait(timeout=20) == 1
    assert "limberd is already running (bus name org.limber.Limber1 is taken)" in second.log()


def test_prompt_snooze_and_take_with_mutter(desktop):
    desktop.policy(FAST)
    mutter = desktop.add("mutter", "mutter_idlemonitor")
    notes = desktop.add("notify", "notifications")
    desktop.start()
    c = desktop.client
    wait_for(lambda: c.status()["backend"] == "mutter", 10, "the mutter backend")

    # Active for 2 s: the posture break is due and prompted with three actions.
    c.wait_signal("BreakDue", ["posture", 1], timeout=10)
    wait_for(lambda: notes.control().Showing(), 10, "a notification")
    [(nid, summary, body, actions)] = notes.control().Showing()
    assert summary == "Time for a posture break"
    assert list(actions)[0::2] == ["start", "snooze", "skip"]

    # Snooze from the notification.
    notes.control().Invoke(nid, "snooze")
    c.wait_state("posture", "snoozed")
    assert c.kind("posture")["snoozes_left"] == 2
    wait_for(lambda: not notes.control().Showing(), 10, "the prompt to close")

    # The snooze ends: prompted again; going idle for the duration takes it.
    c.wait_signal("BreakDue", ["posture", 2], timeout=10)
    mutter.control().GoIdle(dbus.UInt64(0))
    c.wait_signal("BreakEnded", ["posture", "taken"], timeout=10)
    assert c.kind("posture")["state"] == "waiting"
    wait_for(lambda: not notes.control().Showing(), 10, "the prompt to close after the break")
    # The idle watches were set at the thresholds the scheduler needs.
    added = sorted(int(a[0]) for _, a in mutter.calls("AddIdleWatch"))
    assert 1000 in added and 2000 in added
