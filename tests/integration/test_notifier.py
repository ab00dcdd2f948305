# SPDX-License-Identifier: MIT
"""Prompts on a (mock) notification server: the countdown of a started break,
and a server that hangs, dies or comes back never stalls the D-Bus service."""
import signal
import time

import dbus

from harness import wait_for


def timed_status(c):
    start = time.monotonic()
    c.status()
    return time.monotonic() - start


def test_start_shows_a_countdown_then_closes(desktop):
    desktop.policy("[general]\nidle-after = 1s\n[posture]\ninterval = 1s\nduration = 4s\nreprompt = 1h\n"
                   "[movement]\nenabled = no\n")
    mutter = desktop.add("mutter", "mutter_idlemonitor")
    notes = desktop.add("notify", "notifications")
    desktop.start()
    c = desktop.client
    wait_for(lambda: notes.control().Showing(), 10, "the prompt")
    [(nid, _, _, actions)] = notes.control().Showing()
    notes.control().Invoke(nid, "start")
    c.wait_state("posture", "on-break")
    # The countdown replaces the prompt: no Start any more, time left in the title.
    wait_for(lambda: any("left" in s and "start" not in a for _, s, _, a in notes.control().Showing()), 10,
             "the countdown")
    # A started break watches for a short idle threshold.
    wait_for(lambda: any(int(a[0]) == 1000 for _, a in mutter.calls("AddIdleWatch")), 10, "a short watch")
    mutter.control().GoIdle(dbus.UInt64(0))
    wait_for(lambda: c.kind("posture")["break_ends"] > 0, 10, "the countdown to run")
    c.wait_signal("BreakEnded", ["posture", "taken"], timeout=15)
    wait_for(lambda: not notes.control().Showing(), 10, "the countdown to close")


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
            wait_for(lambda: True, 0.2)
        assert worst < 1.0, worst
        c.wait_signal("BreakDue", ["posture", 2], timeout=10)  # scheduling went on
        assert timed_status(c) < 1.0
    finally:
        notes.proc.send_signal(signal.SIGCONT)
    assert d.alive()


def test_server_killed_and_restarted(desktop):
    desktop.policy("[posture]\ninterval = 1s\nreprompt = 1h\n[movement]\nenabled = no\n")
    notes = desktop.add("notify", "notifications")
    d = desktop.start()
    c = desktop.client
    wait_for(lambda: notes.control().Showing(), 10, "the prompt")
    notes.stop(signal.SIGKILL)
    assert timed_status(c) < 1.0
    # A new server: the prompt that stands is shown on it, and its actions work
    # (old notification objects were dropped, not matched by id).
    notes2 = desktop.add("notify2", "notifications")
    wait_for(lambda: notes2.control().Showing(), 10, "the prompt on the new server")
    [(nid, summary, _, _)] = notes2.control().Showing()
    notes2.control().Invoke(nid, "snooze")
    c.wait_state("posture", "snoozed")
    assert d.alive()


def test_no_server_prompts_go_to_the_log(desktop):
    desktop.policy("[posture]\ninterval = 1s\nreprompt = 1h\n[movement]\nenabled = no\n")
    d = desktop.start()
    desktop.client.wait_signal("BreakDue", ["posture", 1])
    wait_for(lambda: "prompt (no notification server" in d.log(), 10, "the prompt in the log")


def test_reminders_escalate_and_skip_withdraws(desktop):
    desktop.policy("[posture]\ninterval = 1s\nreprompt = 1s\n[movement]\nenabled = no\n")
    notes = desktop.add("notify", "notifications")
    desktop.start()
    c = desktop.client
    c.wait_signal("BreakDue", ["posture", 3], timeout=10)
    wait_for(lambda: len(notes.calls("Notify")) >= 3, 10, "three prompts")
    urgencies = [int(args[6].get("urgency", 1)) for _, args in notes.calls("Notify")]
    assert urgencies[0] == 1 and urgencies[-1] == 2  # normal, then critical
    # Every reminder replaces the same notification.
    ids = {int(args[1]) for _, args in notes.calls("Notify")[1:]}
    assert len(notes.control().Showing()) == 1 and len(ids) == 1
    c.call("Skip", "posture")
    c.wait_signal("BreakEnded", ["posture", "skipped"])
    wait_for(lambda: not notes.control().Showing(), 10, "the prompt withdrawn")
