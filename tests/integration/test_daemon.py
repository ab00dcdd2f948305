# SPDX-License-Identifier: MIT
"""limberd on a private session bus: readiness, status, the prompt flow with
the Mutter backend and a notification server, errors, reload, restart."""
import signal
import subprocess
import time

import dbus
import pytest

from harness import BUILD, run_for, wait_for

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


def test_introspection_matches_the_xml(desktop):
    import xml.etree.ElementTree as ET
    from harness import SRCDIR
    desktop.start()
    live = desktop.client.conn.get_object("org.limber.Limber1", "/org/limber/Limber1").Introspect(
        dbus_interface="org.freedesktop.DBus.Introspectable")

    def describe(xml_text):
        root = ET.fromstring(xml_text)
        iface = next(i for i in root.iter("interface") if i.get("name") == "org.limber.Limber1")
        out = set()
        for m in iface:
            if m.tag in ("method", "signal"):
                args = tuple((a.get("name"), a.get("type"), a.get("direction", "out" if m.tag == "signal" else "in"))
                             for a in m.findall("arg"))
                out.add((m.tag, m.get("name"), args))
            elif m.tag == "property":
                out.add((m.tag, m.get("name"), (m.get("type"), m.get("access"))))
        return out

    documented = describe((SRCDIR / "daemon/org.limber.Limber1.xml").read_text())
    assert describe(str(live)) == documented
    assert len(documented) > 20


def test_named_errors_and_actions(desktop):
    desktop.policy("[general]\nallow-pause = no\n[posture]\ninterval = 1s\nmax-snoozes = 1\nskippable = no\n"
                   "reprompt = 1h\n[movement]\nenabled = no\n")
    desktop.start()
    c = desktop.client

    def error_of(method, *args):
        with pytest.raises(dbus.DBusException) as e:
            c.call(method, *args)
        return e.value.get_dbus_name(), e.value.get_dbus_message()

    assert error_of("Snooze", "neck", dbus.UInt32(0))[0] == "org.freedesktop.DBus.Error.InvalidArgs"
    assert error_of("Snooze", "posture", dbus.UInt32(10**6))[0] == "org.freedesktop.DBus.Error.InvalidArgs"
    name, msg = error_of("Pause", dbus.UInt32(60))
    assert name == "org.limber.Limber1.Error.Locked"
    assert "general.allow-pause = no" in msg
    assert error_of("TakeBreak", "movement") == ("org.limber.Limber1.Error.Disabled",
                                                   "movement breaks are turned off (movement.enabled = no, "
                                                   f"{desktop.tmp}/config/limber/limber.ini:9); turn them on with "
                                                   "'limber set movement.enabled yes'")
    c.wait_signal("BreakDue", ["posture", 1])
    name, msg = error_of("Skip", "posture")
    assert name == "org.limber.Limber1.Error.NotSkippable"
    assert "posture.skippable = no" in msg
    c.call("Snooze", "", dbus.UInt32(30))
    assert c.kind("posture")["state"] == "snoozed"
    name, msg = error_of("Snooze", "posture", dbus.UInt32(30))
    assert name == "org.limber.Limber1.Error.SnoozeLimit"
    assert "posture.max-snoozes = 1" in msg
    # A flare with pacing off would change nothing: refused, naming the key.
    name, msg = error_of("SetFlare", True)
    assert name == "org.limber.Limber1.Error.Disabled" and "pacing.enabled = no, built-in" in msg
    assert c.prop("Flare") is False
    policy = {k: (v, scope, origin, locked) for k, v, scope, origin, locked in c.call("GetPolicy")}
    assert policy["posture.max-snoozes"][:2] == ("1", "user")
    assert policy["general.day-starts"] == ("04:00", "built-in", "built-in", False)


def test_pause_resume_and_properties_changed(desktop):
    desktop.start()
    c = desktop.client
    c.call("Pause", dbus.UInt32(600))
    wait_for(lambda: any("Paused" in ch for _, ch in c.changes), 5, "PropertiesChanged(Paused)")
    st = c.status()
    assert st["paused"] is True
    assert abs(st["paused_until"] - (st["now"] + 600e6)) < 2e6
    assert all(b["state"] in ("paused", "disabled") for b in st["breaks"].values())
    c.call("Resume")
    wait_for(lambda: c.prop("Paused") is False, 5, "resumed")
    # Nothing more is announced while time merely passes.
    n = len(c.changes)
    run_for(2.5)
    assert len(c.changes) == n


def test_deferral_while_inhibited_then_max_defer(desktop):
    desktop.policy("[general]\nmax-defer = 3s\n[posture]\ninterval = 1s\nreprompt = 1h\n[movement]\nenabled = no\n")
    sm = desktop.add("sm", name="org.gnome.SessionManager", path="/org/gnome/SessionManager",
                     iface="org.gnome.SessionManager")
    sm.mock().AddProperty("org.gnome.SessionManager", "InhibitedActions", dbus.UInt32(8))
    notes = desktop.add("notify", "notifications")
    d = desktop.start()
    c = desktop.client
    wait_for(lambda: c.prop("Quiet") is True, 10, "Quiet (an idle inhibitor)")
    wait_for(lambda: c.kind("posture")["state"] == "due", 10, "posture due")
    due_at = time.monotonic()
    # limber status names what holds the prompt back.
    r = subprocess.run([str(BUILD / "limber"), "status"], env=desktop.env, capture_output=True, text=True, timeout=30)
    assert "Prompts wait: an application inhibits idle" in r.stdout, r.stdout
    assert not notes.control().Showing()
    assert not any(m == "BreakDue" for m, _ in c.signals)
    # Shown anyway after max-defer.
    wait_for(lambda: notes.control().Showing(), 10, "the prompt after max-defer")
    assert time.monotonic() - due_at > 2.0
    assert "deferred posture" in desktop.history_path().read_text()


def test_deferral_ends_with_do_not_disturb(desktop):
    desktop.policy("[general]\nmax-defer = 1h\n[posture]\ninterval = 1s\nreprompt = 1h\n[movement]\nenabled = no\n")
    notes = desktop.add("notify", "notifications")
    notes.control().SetInhibited(True)
    desktop.start()
    c = desktop.client
    wait_for(lambda: c.prop("Quiet") is True, 10, "Quiet (do-not-disturb)")
    wait_for(lambda: c.kind("posture")["state"] == "due", 10, "posture due")
    assert not notes.control().Showing()
    r = subprocess.run([str(BUILD / "limber"), "status"], env=desktop.env, capture_output=True, text=True, timeout=30)
    assert "Prompts wait: do-not-disturb is on (KDE)" in r.stdout, r.stdout
    notes.control().SetInhibited(False)
    wait_for(lambda: notes.control().Showing(), 10, "the prompt once do-not-disturb ends")
    assert c.prop("Quiet") is False


def test_reload_good_and_bad(desktop):
    path = desktop.policy("[posture]\ninterval = 25m\n")
    d = desktop.start()
    c = desktop.client
    assert c.kind("posture")["interval"] == 25 * 60 * 10**6
    path.write_text("[posture]\ninterval = soon\n")
    with pytest.raises(dbus.DBusException) as e:
        c.call("Reload")
    assert e.value.get_dbus_name() == "org.limber.Limber1.Error.BadPolicy"
    assert f"{path}:2: invalid duration for posture.interval" in e.value.get_dbus_message()
    assert c.kind("posture")["interval"] == 25 * 60 * 10**6  # the old policy runs on

    path.write_text("[posture]\ninterval = 15m\nfoo = 1\n")
    warnings = c.call("Reload")
    assert any("unknown key in [posture]: 'foo'" in w for w in warnings)
    assert c.kind("posture")["interval"] == 15 * 60 * 10**6

    # SIGHUP reloads too, announcing RELOADING=1 then READY=1 again.
    path.write_text("[posture]\ninterval = 12m\n")
    d.messages.clear()
    d.proc.send_signal(signal.SIGHUP)
    wait_for(lambda: c.kind("posture")["interval"] == 12 * 60 * 10**6, 10, "the SIGHUP reload")
    d.wait_message("RELOADING=1")
    d.wait_message("READY=1")


def test_watchdog_is_fed_when_asked(desktop):
    d = desktop.start(extra_env={"WATCHDOG_USEC": "1000000"})
    # sd-event feeds the watchdog at half the interval, only because it was asked.
    d.wait_message("WATCHDOG=1", 5)


def test_employer_file_dropped_in_is_picked_up(desktop):
    from conftest import vendor_dir, write
    _, edir = vendor_dir(desktop.root)
    edir.mkdir(parents=True)
    d = desktop.start()
    c = desktop.client
    assert c.kind("posture")["interval"] == 20 * 60 * 10**6
    write(edir / "50-acme.ini", "[posture]\ninterval = 25m\n")
    wait_for(lambda: c.kind("posture")["interval"] == 25 * 60 * 10**6, 10, "the dropped-in policy: " + d.log())
    # A broken file keeps the running policy, and says why.
    write(edir / "60-typo.ini", "[posture]\ninterval = 25 minutes\n")
    wait_for(lambda: "60-typo.ini:2: invalid duration" in d.log(), 10, "the error in the log")
    assert c.kind("posture")["interval"] == 25 * 60 * 10**6
