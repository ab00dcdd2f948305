# SPDX-License-Identifier: MIT
"""Each presence backend against its mock, and switching between them."""
import subprocess
import time

import dbus

from harness import BUILD, run_for, wait_for

NOW = lambda: time.time() * 1e6  # noqa: E731  wall-clock µs, as the API reports


def presence(c):
    return c.prop("Presence")


def test_mutter_watches_and_idle_start(desktop):
    desktop.policy("[general]\nidle-after = 1s\n[posture]\ninterval = 2s\nduration = 3s\nreprompt = 1h\n"
                   "[movement]\nenabled = no\n")
    mutter = desktop.add("mutter", "mutter_idlemonitor")
    desktop.start()
    c = desktop.client
    wait_for(lambda: c.prop("Backend") == "mutter", 10, "mutter")
    wait_for(lambda: len(mutter.calls("AddIdleWatch")) >= 2, 10, "idle watches")
    assert sorted(int(a[0]) for _, a in mutter.calls("AddIdleWatch")) == [1000, 3000]
    assert not mutter.calls("AddUserActiveWatch")  # only after an idle watch fires
    c.wait_signal("BreakDue", ["posture", 1])  # 2 s of activity

    # Input stopped 1 s ago: the 1 s watch fires, the spell is back-dated.
    mutter.control().GoIdle(dbus.UInt64(1000))
    wait_for(lambda: presence(c) == "idle", 10, "idle")
    assert abs(c.prop("PresenceSince") - (NOW() - 1e6)) < 0.5e6
    wait_for(lambda: mutter.calls("AddUserActiveWatch"), 10, "a user-active watch")
    mutter.control().Input()
    wait_for(lambda: presence(c) == "active", 10, "active again")
    # No polling: the monitor was asked for the idle time only at start.
    assert len(mutter.calls("GetIdletime")) <= 2


def test_muffin(desktop):
    desktop.add("muffin", "muffin_idlemonitor")
    desktop.start()
    wait_for(lambda: desktop.client.prop("Backend") == "muffin", 10, "muffin")


def test_screensaver_ms_and_adaptive_polling(desktop):
    desktop.policy("[general]\nidle-after = 3s\n[posture]\ninterval = 1h\nduration = 20s\n[movement]\nenabled = no\n")
    saver = desktop.add("saver", "fdo_screensaver", parameters={"typing": True})
    desktop.start()
    c = desktop.client
    wait_for(lambda: c.prop("Backend") == "screensaver", 10, "the screensaver backend")

    # While the user is active it looks just before the first threshold
    # could be crossed: about every 3 s here, never once a second.
    wait_for(lambda: len(saver.control().Polls()) >= 5, 20, "five polls")
    assert presence(c) == "active"
    polls = [float(p) for p in saver.control().Polls()]
    gaps = [b - a for a, b in zip(polls[2:], polls[3:])]
    assert all(g > 2.0 for g in gaps), gaps

    # 5000 is milliseconds: idle, since 5 s ago (as seconds it would be hours,
    # as microseconds no idle at all).
    saver.control().SetLastInput(dbus.UInt64(5000))
    set_at = NOW()
    wait_for(lambda: presence(c) == "idle", 10, "idle")
    assert abs(c.prop("PresenceSince") - (set_at - 5e6)) < 0.3e6

    # Back at the keyboard: seen at the next look, within one threshold.
    saver.control().Typing(True)
    wait_for(lambda: presence(c) == "active", 5, "active again")


def test_logind_lock_idlehint_and_sleep(desktop):
    desktop.policy("[general]\nidle-after = 1s\n[posture]\ninterval = 1s\nduration = 2s\nreprompt = 1h\n"
                   "[movement]\nenabled = no\n")
    logind = desktop.logind()
    d = desktop.start()
    c = desktop.client
    wait_for(lambda: c.prop("Backend") == "logind", 10, "the logind IdleHint backend")
    session = logind.mock(logind.session_path)
    login1 = dbus.Interface(logind.obj, "org.freedesktop.login1.Manager")
    # A sleep delay inhibitor is held, to record the break before sleeping.
    wait_for(lambda: any(i[0] == "sleep" and i[1] == "limber" and i[3] == "delay"
                         for i in login1.ListInhibitors()), 10, "the sleep inhibitor")

    # Locking the session is time away; a lock longer than the duration is a break.
    c.wait_signal("BreakDue", ["posture", 1])
    dbus.Interface(desktop.system.conn.get_object("org.freedesktop.login1", logind.session_path),
                   "org.freedesktop.login1.Session").SetLockedHint(True)
    wait_for(lambda: presence(c) == "locked", 10, "locked")
    c.wait_signal("BreakEnded", ["posture", "taken"], timeout=10)
    session.UpdateProperties("org.freedesktop.login1.Session", {"LockedHint": False})
    wait_for(lambda: presence(c) == "active", 10, "unlocked")
    unlocked_mono, unlocked_wall = time.monotonic(), NOW()

    # IdleHint, back-dated with IdleSinceHintMonotonic (to just after the unlock).
    c.wait_signal("BreakDue", ["posture", 1])
    mono = int((unlocked_mono + 0.2) * 1e6)
    session.UpdateProperties("org.freedesktop.login1.Session",
                             {"IdleHint": True, "IdleSinceHintMonotonic": dbus.UInt64(mono)})
    wait_for(lambda: presence(c) == "idle", 10, "IdleHint")
    assert abs(c.prop("PresenceSince") - (unlocked_wall + 0.2e6)) < 0.3e6
    session.UpdateProperties("org.freedesktop.login1.Session", {"IdleHint": False})
    wait_for(lambda: presence(c) == "active", 10, "IdleHint off")

    # Suspend counts as time away: the due break is taken while asleep.
    c.signals.clear()
    c.wait_signal("BreakDue", ["posture", 1])
    logind.mock().EmitSignal("org.freedesktop.login1.Manager", "PrepareForSleep", "b", [True])
    wait_for(lambda: presence(c) == "asleep", 10, "asleep")
    # The inhibitor is released so the machine can sleep, once the state says so.
    wait_for(lambda: not any(i[1] == "limber" for i in login1.ListInhibitors()), 10, "the inhibitor released")
    assert "\npresence=asleep\n" in desktop.state_path().read_text()
    c.wait_signal("BreakEnded", ["posture", "taken"], timeout=10)
    logind.mock().EmitSignal("org.freedesktop.login1.Manager", "PrepareForSleep", "b", [False])
    wait_for(lambda: presence(c) == "active", 10, "awake")
    wait_for(lambda: any(i[1] == "limber" for i in login1.ListInhibitors()), 10, "the inhibitor taken again")
    assert "going to sleep" in d.log()


def test_an_earlier_idle_start_is_passed_on(desktop):
    """Idle by logind's coarse IdleHint since a second ago; then mutter
    appears and knows the last input was 5 s ago: the spell began then, and
    PresenceSince says so."""
    desktop.policy("[general]\nidle-after = 2s\n[posture]\ninterval = 1h\n[movement]\ninterval = 1h\n")
    logind = desktop.logind()
    session = logind.mock(logind.session_path)
    desktop.start()
    c = desktop.client
    wait_for(lambda: c.prop("Backend") == "logind", 10, "the logind backend")
    wait_for(lambda: c.kind("posture")["worked"] > 7e6, 15, "7 s of work")
    session.UpdateProperties("org.freedesktop.login1.Session",
                             {"IdleHint": True, "IdleSinceHintMonotonic": dbus.UInt64(int((time.monotonic() - 1) * 1e6))})
    wait_for(lambda: presence(c) == "idle", 10, "idle by IdleHint")
    said = c.prop("PresenceSince")
    assert abs(said - (NOW() - 1e6)) < 1e6
    desktop.add("mutter", "mutter_idlemonitor", parameters={"idle_ms": 5000})
    wait_for(lambda: c.prop("Backend") == "mutter", 10, "mutter")
    wait_for(lambda: c.prop("PresenceSince") < said - 2e6, 10, "the earlier start")
    assert abs(c.prop("PresenceSince") - (NOW() - 5e6)) < 1.5e6
    assert presence(c) == "idle"


def test_logind_lock_signal(desktop):
    logind = desktop.logind()
    desktop.start()
    c = desktop.client
    wait_for(lambda: c.prop("Backend") == "logind", 10, "logind")
    session = dbus.Interface(desktop.system.conn.get_object("org.freedesktop.login1", logind.session_path),
                             "org.freedesktop.login1.Session")
    session.Lock()
    wait_for(lambda: presence(c) == "locked", 10, "Lock")
    session.Unlock()
    wait_for(lambda: presence(c) == "active", 10, "Unlock")


def test_switch_when_mutter_appears_and_vanishes(desktop):
    desktop.policy("[general]\nidle-after = 2s\n[posture]\ninterval = 1h\n[movement]\nenabled = no\n")
    saver = desktop.add("saver", "fdo_screensaver", parameters={"idle_ms": 0})
    desktop.start()
    c = desktop.client
    wait_for(lambda: c.prop("Backend") == "screensaver", 10, "screensaver first")

    # The user goes idle; then GNOME's monitor appears: mutter takes over,
    # and the idle spell's start is handed over, not reset.
    saver.control().SetLastInput(dbus.UInt64(8000))
    wait_for(lambda: presence(c) == "idle", 10, "idle")
    since = c.prop("PresenceSince")
    mutter = desktop.add("mutter", "mutter_idlemonitor", parameters={"idle_ms": 9000})
    wait_for(lambda: c.prop("Backend") == "mutter", 10, "the switch to mutter")
    wait_for(lambda: mutter.calls("AddIdleWatch"), 10, "mutter's watches")
    assert presence(c) == "idle"
    assert abs(c.prop("PresenceSince") - since) < 1.5e6

    # Mutter goes away: back to the screensaver, and its watches are gone with it.
    mutter.stop()
    wait_for(lambda: c.prop("Backend") == "screensaver", 10, "the switch back")
    backends = {n: (s, w) for n, s, w in c.call("GetBackends")}
    assert backends["mutter"][0] == "absent" and "vanished" in backends["mutter"][1]
    assert backends["screensaver"][0] == "active"


def test_mutter_replaced_by_a_new_owner(desktop):
    """gnome-shell --replace: the name passes straight to a new monitor (no
    moment without an owner). The watches go to the new one, and it works."""
    desktop.policy("[general]\nidle-after = 1s\n[posture]\ninterval = 1h\n[movement]\nenabled = no\n")
    first = desktop.add("mutter", "mutter_idlemonitor")
    desktop.start()
    c = desktop.client
    wait_for(lambda: c.prop("Backend") == "mutter", 10, "mutter")
    wait_for(lambda: first.calls("AddIdleWatch"), 10, "watches on the first monitor")
    second = desktop.add("mutter2", "mutter_idlemonitor")  # takes the name over
    wait_for(lambda: second.calls("AddIdleWatch"), 10, "watches on the new monitor")
    assert c.prop("Backend") == "mutter"
    second.control().GoIdle(dbus.UInt64(5000))
    wait_for(lambda: presence(c) == "idle", 10, "idle, seen through the new monitor")
    second.control().Input()
    wait_for(lambda: presence(c) == "active", 10, "back, seen through the new monitor")


def test_user_active_watch_survives_a_rearm(desktop):
    """The idle thresholds change (a break is started) while AddUserActiveWatch
    is still on its way: the user's return must still be seen."""
    desktop.policy("[general]\nidle-after = 5s\n[posture]\ninterval = 1h\nduration = 20s\n"
                   "[movement]\nenabled = no\n")
    m = desktop.add("mutter", "mutter_idlemonitor")
    # A slow monitor (within limberd's 2 s call timeout): the answer comes
    # after the re-arm below.
    m.mock().AddMethod("org.gnome.Mutter.IdleMonitor", "AddUserActiveWatch", "", "u",
                       "import time; time.sleep(1.5); ret = self.add_watch(0)")
    desktop.start()
    c = desktop.client
    wait_for(lambda: len(m.calls("AddIdleWatch")) >= 2, 10, "the idle watches")
    armed = len(m.calls("AddIdleWatch"))
    m.control().GoIdle(dbus.UInt64(6000))
    wait_for(lambda: presence(c) == "idle", 10, "idle")
    c.call("TakeBreak", "posture")  # a started break watches a shorter threshold
    wait_for(lambda: len(m.calls("AddIdleWatch")) > armed, 10, "the watches re-armed")
    m.control().Input()
    wait_for(lambda: presence(c) == "active", 15, "the user's return")
    assert len(m.calls("AddUserActiveWatch")) == 1


def test_mutter_while_an_idle_inhibitor_is_held(desktop):
    """A video or a call holds an idle inhibitor: mutter fires no idle watch.
    limberd asks GetIdletime when the threshold would be reached, never on a
    fixed tick, and stops asking when the inhibitor goes."""
    desktop.policy("[general]\nidle-after = 3s\n[posture]\ninterval = 1h\n[movement]\nenabled = no\n")
    sm = desktop.add("sm", name="org.gnome.SessionManager", path="/org/gnome/SessionManager",
                     iface="org.gnome.SessionManager")
    sm.mock().AddProperty("org.gnome.SessionManager", "InhibitedActions", dbus.UInt32(8))
    m = desktop.add("mutter", "mutter_idlemonitor", parameters={"inhibited": True})
    desktop.start()
    c = desktop.client
    wait_for(lambda: c.prop("Backend") == "mutter" and c.prop("Quiet") is True, 10, "mutter, inhibited")

    # The user stops: seen at the threshold, back-dated to the last input.
    m.control().GoIdle(dbus.UInt64(0))
    stopped, stopped_wall = time.monotonic(), NOW()
    wait_for(lambda: presence(c) == "idle", 10, "idle, though no watch fires")
    assert time.monotonic() - stopped >= 2.5
    assert abs(c.prop("PresenceSince") - stopped_wall) < 0.5e6
    m.control().Input()
    wait_for(lambda: presence(c) == "active", 10, "the user back")

    # While the user types on: one question per threshold, not one a second.
    asked = len(m.calls("GetIdletime"))
    run_for(6.5)
    assert 1 <= len(m.calls("GetIdletime")) - asked <= 3

    # The inhibitor goes: no more questions; the watches do the work again.
    dbus.Interface(sm.obj, "org.freedesktop.DBus.Properties").Set("org.gnome.SessionManager", "InhibitedActions",
                                                                  dbus.UInt32(0))
    m.control().SetInhibited(False)
    wait_for(lambda: c.prop("Quiet") is False, 10, "not quiet")
    asked = len(m.calls("GetIdletime"))
    run_for(4)
    assert len(m.calls("GetIdletime")) == asked
    m.control().GoIdle(dbus.UInt64(0))
    wait_for(lambda: presence(c) == "idle", 10, "idle through the watches")


def test_no_backend_still_runs(desktop):
    desktop.policy("[posture]\ninterval = 2s\nreprompt = 1h\n[movement]\nenabled = no\n")
    desktop.start()
    c = desktop.client
    wait_for(lambda: {s for _, s, _ in c.call("GetBackends")} == {"absent"}, 10, "every probe to answer")
    assert c.prop("Backend") == "none"
    c.wait_signal("BreakDue", ["posture", 1])


def test_forced_backend(desktop):
    desktop.policy("[general]\nbackend = screensaver\n")
    desktop.add("mutter", "mutter_idlemonitor")
    desktop.add("saver", "fdo_screensaver")
    desktop.start()
    c = desktop.client
    wait_for(lambda: c.prop("Backend") == "screensaver", 10, "the forced backend")
    backends = {n: s for n, s, _ in c.call("GetBackends")}
    assert backends["mutter"] == "not wanted"
    # Changed by a reload, no restart: mutter (never probed so far) is found.
    desktop.policy("[general]\nbackend = auto\n")
    c.call("Reload")
    wait_for(lambda: c.prop("Backend") == "mutter", 10, "mutter after the reload")
    desktop.policy("[general]\nbackend = screensaver\n")
    c.call("Reload")
    wait_for(lambda: c.prop("Backend") == "screensaver", 10, "the screensaver again")
    assert {n: s for n, s, _ in c.call("GetBackends")}["mutter"] == "not wanted"


def test_list_backends_says_what_each_answered(desktop):
    """limberd --list-backends probes like the daemon and says why each was
    or was not chosen, without becoming the daemon."""
    desktop.add("saver", "fdo_screensaver", parameters={"idle_ms": 0})
    r = subprocess.run([str(BUILD / "limberd"), "--list-backends", "--root", str(desktop.root)], env=desktop.env,
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    rows = {l.split()[0]: l.split(None, 2)[1:] for l in lines[:-2]}
    assert rows["mutter"][0] == "absent" and "NameHasNoOwner" in rows["mutter"][1]
    assert rows["wayland"][0] == "absent" and "WAYLAND_DISPLAY" in rows["wayland"][1]
    assert rows["screensaver"][0] == "active"
    assert lines[-2:] == ["in use: screensaver", "do-not-disturb: off"]
    assert not desktop.session.has_owner("org.limber.Limber1")
