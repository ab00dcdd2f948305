# SPDX-License-Identifier: MIT
"""Prompts at the right moment: working hours (general.work-hours) and the
wait for a pause in typing (general.wait-for-lull, general.lull)."""
import json
import re
import subprocess
import time

import dbus

from harness import BUILD, run_for, vendor_dir, wait_for


def test_a_prompt_waits_for_a_pause_in_typing(desktop):
    desktop.policy("[general]\nidle-after = 5s\nwait-for-lull = 20s\nlull = 1s\n"
                   "[posture]\ninterval = 2s\nreprompt = 1h\n[movement]\nenabled = no\n")
    mutter = desktop.add("mutter", "mutter_idlemonitor")
    desktop.start()
    c = desktop.client
    wait_for(lambda: c.prop("Backend") == "mutter", 10, "mutter")
    mutter.control().Input()
    wait_for(lambda: c.kind("posture")["state"] == "due", 10, "posture due")
    # Due, but the user is typing: no prompt yet, and the monitor is asked
    # for the 1 s pause only now.
    wait_for(lambda: [1000] in [a for _, a in mutter.calls("AddIdleWatch")], 10, "a 1 s idle watch")
    assert not [s for s in c.signals if s[0] == "BreakDue"]
    typed_until = time.monotonic()
    mutter.control().GoIdle(dbus.UInt64(0))  # the user stops typing now
    c.wait_signal("BreakDue", ["posture", 1], timeout=10)
    waited = time.monotonic() - typed_until
    assert 0.9 <= waited <= 3.0, waited
    # Prompted: the short watch goes again.
    wait_for(lambda: mutter.calls("RemoveWatch"), 10, "the 1 s watch removed")


def test_no_pause_comes_then_it_prompts_anyway(desktop):
    desktop.policy("[general]\nidle-after = 5s\nwait-for-lull = 3s\nlull = 1s\n"
                   "[posture]\ninterval = 2s\nreprompt = 1h\n[movement]\nenabled = no\n")
    mutter = desktop.add("mutter", "mutter_idlemonitor")
    desktop.start()
    c = desktop.client
    wait_for(lambda: c.prop("Backend") == "mutter", 10, "mutter")
    wait_for(lambda: c.kind("posture")["state"] == "due", 10, "posture due")
    due = time.monotonic()
    c.wait_signal("BreakDue", ["posture", 1], timeout=10)
    assert 2.5 <= time.monotonic() - due <= 5.0


def test_without_a_fine_idle_source_it_prompts_at_once(desktop):
    """logind's IdleHint cannot see a 2 s pause: waiting for one would only
    delay the prompt."""
    desktop.policy("[general]\nwait-for-lull = 30s\n[posture]\ninterval = 2s\n[movement]\nenabled = no\n")
    desktop.logind()
    desktop.start()
    c = desktop.client
    wait_for(lambda: c.prop("Backend") == "logind", 10, "logind")
    wait_for(lambda: c.kind("posture")["state"] == "due", 10, "posture due")
    c.wait_signal("BreakDue", ["posture", 1], timeout=3)


def test_outside_working_hours(desktop):
    """Hours that never include now: posture and movement are off hours,
    count nothing and prompt nothing; the properties say until when."""
    now = time.localtime()
    day = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[(now.tm_wday + 3) % 7]  # three days away
    desktop.policy(f"[general]\nwork-hours = {day} 09:00-17:00\n[posture]\ninterval = 2s\n")
    desktop.start()
    c = desktop.client
    assert c.prop("InWorkHours") is False
    change = c.prop("WorkHoursChange") / 1e6
    assert 2 * 86400 < change - time.time() < 4 * 86400
    st = c.status()
    assert st["in_work_hours"] is False and abs(st["work_hours_change"] / 1e6 - change) < 1
    assert st["breaks"]["posture"]["state"] == "off-hours"
    assert st["breaks"]["pacing"]["state"] == "disabled"
    run_for(3)  # longer than the posture interval: nothing may come due
    assert c.kind("posture")["worked"] == 0
    assert not [s for s in c.signals if s[0] == "BreakDue"]


def test_an_employer_locks_the_working_hours(desktop):
    vendor = vendor_dir(desktop.root)
    employer = desktop.root / "etc/limber/policy.d"
    employer.mkdir(parents=True)
    (employer / "50-acme.ini").write_text("[general]\nwork-hours = Mon-Fri 08:00-18:00\nwork-hours.locked = yes\n")
    assert vendor.is_dir()
    path = desktop.policy("[general]\nwork-hours = always\n")
    desktop.start()
    c = desktop.client
    policy = {k: (v, scope, origin, locked) for k, v, scope, origin, locked in c.call("GetPolicy")}
    assert policy["general.work-hours"] == ("Mon-Fri 08:00-18:00", "employer", f"{employer}/50-acme.ini:2", True)
    assert "locked to Mon-Fri 08:00-18:00" in desktop.daemons[0].log()
    assert path.read_text() == "[general]\nwork-hours = always\n"


def test_limber_status_says_until_when(desktop):
    now = time.localtime()
    day = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[(now.tm_wday + 2) % 7]  # the day after tomorrow
    desktop.policy(f"[general]\nwork-hours = {day} 08:30-17:00\n")
    desktop.start()

    def limber(*args):
        r = subprocess.run([str(BUILD / "limber"), *args], env=desktop.env, capture_output=True, text=True,
                           timeout=30)
        assert r.returncode == 0, r.stderr
        return r.stdout

    out = limber("status")
    assert f"Off hours until {day} 08:30: posture and movement breaks wait\n" in out
    assert re.search(r"^  posture +off hours", out, re.M)
    obj = json.loads(limber("status", "--json"))
    assert obj["in_work_hours"] is False
    assert obj["work_hours_change"][11:16] == "08:30"
    assert {b["kind"]: b["state"] for b in obj["breaks"]}["posture"] == "off-hours"
    proc = subprocess.Popen([str(BUILD / "limber"), "status", "--follow", "--format", "waybar"], env=desktop.env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        bar = json.loads(proc.stdout.readline())
        assert bar["class"] == "off-hours" and bar["text"] == "off hours"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
