# SPDX-License-Identifier: MIT
"""Check-ins from the desktop, on a (mock) notification server: the quick
one after a rest (pacing.rest-check-in) and the daily one at
pacing.check-in, both recorded in the journal; off by default."""
import datetime
import os
import pathlib
import struct

import dbus

from harness import BUILD, MACHINE_ID, wait_for


def journal(desktop):
    return desktop.tmp / "state/limber" / f"journal.{MACHINE_ID}"


def question(notes, summary):
    found = [(i, b, a) for i, s, b, a in notes.control().Showing() if s == summary]
    return found[0] if found else None


REST = ("[general]\nidle-after = 1s\n[posture]\nenabled = no\n[movement]\nenabled = no\n"
        "[pacing]\nenabled = yes\nquota = 1s\nrest = 2s\nreprompt = 1h\n")


def test_a_quick_check_in_after_a_rest(desktop):
    desktop.policy(REST + "rest-check-in = yes\n")
    mutter = desktop.add("mutter", "mutter_idlemonitor")
    notes = desktop.add("notify", "notifications")
    desktop.start()
    c = desktop.client
    c.wait_signal("BreakDue", ["pacing", 1])
    mutter.control().GoIdle(dbus.UInt64(0))
    c.wait_signal("BreakEnded", ["pacing", "taken"], timeout=15)
    nid, body, actions = wait_for(lambda: question(notes, "Rest taken"), 10, "the check-in")
    assert "How is your pain now?" in body and "as you planned" in body
    assert actions == ["pain-low", "Pain: low", "pain-medium", "medium", "pain-high", "high"]
    notes.control().Invoke(nid, "pain-medium")
    wait_for(lambda: journal(desktop).exists() and "pain=5" in journal(desktop).read_text(), 10, "the record")
    record = journal(desktop).read_text().splitlines()[-1]
    assert record.endswith(" pain=5 source=prompt"), record
    # Answered: the question is withdrawn.
    wait_for(lambda: question(notes, "Rest taken") is None, 10, "the question closed")


def test_no_check_in_unless_asked_for(desktop):
    desktop.policy(REST)
    mutter = desktop.add("mutter", "mutter_idlemonitor")
    notes = desktop.add("notify", "notifications")
    desktop.start()
    c = desktop.client
    c.wait_signal("BreakDue", ["pacing", 1])
    mutter.control().GoIdle(dbus.UInt64(0))
    c.wait_signal("BreakEnded", ["pacing", "taken"], timeout=15)
    # The rest prompt's own notifications are the only ones.
    assert all("check-in" not in str(a[6].get("category", "")) for _, a in notes.calls("Notify"))
    assert not journal(desktop).exists()


def shifted_to(desktop, target):
    """limberd's wall clock a few seconds before target (the fault tests'
    LD_PRELOAD shim moves CLOCK_REALTIME only, as a clock change does)."""
    shift = desktop.tmp / "clockshift"
    now = datetime.datetime.now(datetime.timezone.utc)
    offset = int((target - now).total_seconds() * 1e6) - 3 * 10**6
    shift.write_bytes(struct.pack("=qqqq", offset, 0, 0, 0))
    return {"LD_PRELOAD": str(BUILD / "tests/faults/clockshift.so"), "CLOCKSHIFT_FILE": str(shift),
            "ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"}


def another(notes, nid):
    """The daily check-in's next question, once the one with id nid is gone."""
    q = question(notes, "Daily check-in")
    return q if q and q[0] != nid else None


def daily(desktop):
    target = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=10)).replace(second=0,
                                                                                                     microsecond=0)
    desktop.policy(f"[pacing]\ncheck-in = {target:%H:%M}\n")  # limberd runs with TZ=UTC
    notes = desktop.add("notify", "notifications")
    desktop.start(extra_env=shifted_to(desktop, target))
    nid, body, actions = wait_for(lambda: question(notes, "Daily check-in"), 20, "the daily check-in")
    assert "How is your pain today?" in body
    return notes, target, nid, actions


def test_the_daily_check_in_asks_pain_then_fatigue(desktop):
    notes, target, nid, actions = daily(desktop)
    assert actions[::2] == ["pain-low", "pain-medium", "pain-high"]
    notes.control().Invoke(nid, "pain-high")
    nid2, body, actions = wait_for(lambda: another(notes, nid), 10, "the fatigue question")
    assert "how tired" in body and actions[::2] == ["fatigue-low", "fatigue-medium", "fatigue-high"]
    notes.control().Invoke(nid2, "fatigue-medium")
    wait_for(lambda: journal(desktop).exists(), 10, "the record")
    [record] = [l for l in journal(desktop).read_text().splitlines() if not l.startswith("#")]
    assert record.endswith(" pain=8 fatigue=5 source=check-in"), record
    assert record.startswith(f"{target:%Y-%m-%dT%H:%M}"), record  # as limberd's clock had it
    assert " check-in pacing\n" in desktop.history_path().read_text()
    # The next one is tomorrow: nothing else is asked.
    wait_for(lambda: not notes.control().Showing(), 10, "the question closed")


def test_dismissing_fatigue_keeps_the_pain(desktop):
    notes, target, nid, actions = daily(desktop)
    notes.control().Invoke(nid, "pain-low")
    nid2 = wait_for(lambda: another(notes, nid), 10, "the fatigue question")[0]
    notes.control().Dismiss(nid2)
    wait_for(lambda: journal(desktop).exists(), 10, "the record")
    [record] = [l for l in journal(desktop).read_text().splitlines() if not l.startswith("#")]
    assert record.endswith(" pain=2 source=check-in"), record
