# SPDX-License-Identifier: MIT
"""Prompts on a (mock) notification server: a started break and its end,
reminders, and no server at all. (A server that hangs, dies or comes back:
tests/faults.)"""

import dbus

from harness import wait_for


def test_start_shows_the_break_then_a_notice(desktop):
    """No shipped posture exercise fits a 4-s break: it is unguided, one
    closing step until it ends (guided breaks: test_guided.py)."""
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
    # The break replaces the prompt: no Start any more, the time it lasts in the title.
    wait_for(lambda: any(s == "Breathe slowly — 4s to go" and "start" not in a
                         for _, s, _, a in notes.control().Showing()), 10, "the started break")
    # A started break watches for a short idle threshold.
    wait_for(lambda: any(int(a[0]) == 1000 for _, a in mutter.calls("AddIdleWatch")), 10, "a short watch")
    mutter.control().GoIdle(dbus.UInt64(0))
    wait_for(lambda: c.kind("posture")["break_ends"] > 0, 10, "the countdown to run")
    c.wait_signal("BreakEnded", ["posture", "taken"], timeout=15)
    wait_for(lambda: [s for _, s, _, _ in notes.control().Showing()] == ["Break over"], 10, "the notice")


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


def test_a_prompt_of_another_kind_replaces_the_first(desktop):
    """Movement falls due while the posture prompt is up: the posture prompt is
    withdrawn, never left on screen with buttons nobody listens to."""
    desktop.policy("[posture]\ninterval = 1s\nreprompt = 1h\n[movement]\ninterval = 4s\nreprompt = 1h\n")
    notes = desktop.add("notify", "notifications")
    desktop.start()
    c = desktop.client
    wait_for(lambda: notes.control().Showing(), 10, "the posture prompt")
    [(first, summary, _, _)] = notes.control().Showing()
    assert "posture" in summary
    c.wait_signal("BreakDue", ["movement", 1], timeout=10)
    wait_for(lambda: any("movement" in s for _, s, _, _ in notes.control().Showing()), 10, "the movement prompt")
    showing = notes.control().Showing()
    assert len(showing) == 1, showing
    assert [int(a[0]) for _, a in notes.calls("CloseNotification")].count(int(first)) >= 1


def test_daily_limit_reminders_escalate(desktop):
    """The pacing daily limit is reminded every reprompt while the user keeps
    going, in the same notification, critical from the third reminder."""
    desktop.policy("[posture]\nenabled = no\n[movement]\nenabled = no\n"
                   "[pacing]\nenabled = yes\nquota = 1h\ndaily-limit = 2s\nreprompt = 1s\n")
    notes = desktop.add("notify", "notifications")
    desktop.start()

    def limit_notes():
        return [args for _, args in notes.calls("Notify") if str(args[3]) == "Daily limit reached"]

    wait_for(lambda: len(limit_notes()) >= 3, 15, "three daily-limit reminders")
    urgencies = [int(a[6].get("urgency", 1)) for a in limit_notes()]
    assert urgencies[0] == 1 and urgencies[2] == 2, urgencies
    assert len({int(a[1]) for a in limit_notes()[1:]}) == 1  # each replaces the last
    assert len([s for _, s, _, _ in notes.control().Showing() if s == "Daily limit reached"]) == 1
