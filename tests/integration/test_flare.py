# SPDX-License-Identifier: MIT
"""Flare plans over the bus and the CLI: days, recovery, status, restarts,
and a day boundary crossed while limberd was not running."""
import re
import subprocess

import dbus

from harness import BUILD, wait_for

POLICY = "[pacing]\nenabled = yes\nquota = 40m\ndaily-limit = 4h\nflare-recovery = 2\n"


def limber(desktop, *args):
    return subprocess.run([str(BUILD / "limber"), *args], env=desktop.env, capture_output=True, text=True,
                          timeout=30)


def plan(c):
    return tuple(c.prop(p) for p in ("Flare", "FlareDay", "FlareDays", "FlareRecoveryDays", "FlareScale"))


def test_flare_plan_over_the_bus_and_the_cli(desktop):
    desktop.policy(POLICY)
    desktop.start()
    c = desktop.client
    assert plan(c) == (False, 0, 0, 0, 100)

    r = limber(desktop, "flare", "on", "--days", "3")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Flare plan: 3 days at 50% of your pacing quota and daily limit, today included, "
                               "then 2 days back to 100%."), r.stdout
    wait_for(lambda: any("FlareDay" in ch for _, ch in c.changes), 5, "PropertiesChanged for FlareDay")
    assert plan(c) == (True, 1, 3, 2, 50)
    assert c.kind("pacing")["interval"] == 20 * 60 * 10**6
    assert c.prop("DailyLimit") == 2 * 3600 * 10**6
    st = c.status()
    assert (st["flare_day"], st["flare_days"], st["flare_recovery"], st["flare_scale"]) == (1, 3, 2, 50)

    r = limber(desktop, "status")
    assert "Flare day 1 of 3: pacing quota and daily limit at 50%" in r.stdout, r.stdout
    r = limber(desktop, "status", "--json")
    import json
    js = json.loads(r.stdout)
    assert (js["flare"], js["flare_day"], js["flare_days"], js["flare_recovery"], js["flare_scale"]) == \
        (True, 1, 3, 2, 50)

    # The default length comes from pacing.flare-days; SetFlare(true) is that.
    r = limber(desktop, "flare", "off")
    assert r.returncode == 0 and "back to 100%" in r.stdout
    assert plan(c) == (False, 0, 0, 0, 100)
    assert c.kind("pacing")["interval"] == 40 * 60 * 10**6
    c.call("SetFlare", True)
    assert plan(c) == (True, 1, 1, 2, 50)

    # Bad lengths: the CLI refuses them, and so does the bus.
    for days in ("0", "31", "two"):
        assert limber(desktop, "flare", "on", "--days", days).returncode == 2
    try:
        c.call("SetFlarePlan", dbus.UInt32(31))
        raise AssertionError("SetFlarePlan(31) was accepted")
    except dbus.DBusException as e:
        assert e.get_dbus_name() == "org.freedesktop.DBus.Error.InvalidArgs"
        assert "at most 30 days" in e.get_dbus_message()
    c.call("SetFlarePlan", dbus.UInt32(0))
    assert plan(c) == (False, 0, 0, 0, 100)

    # The history records the plan, for people and for limber report.
    hist = desktop.history_path().read_text()
    assert re.search(r" flare on 3d\n", hist)
    assert re.search(r" flare pacing on=1 day=1 days=3 recovery=2 scale=50\n", hist)
    assert re.search(r" flare pacing on=0 scale=100\n", hist)


def test_a_plan_survives_restarts_and_moves_on_across_days(desktop):
    desktop.policy(POLICY)
    d = desktop.start()
    c = desktop.client
    c.call("SetFlarePlan", dbus.UInt32(3))
    wait_for(lambda: "flare-days=3" in desktop.state_path().read_text(), 10, "the plan in the state file")
    assert d.stop() == 0

    # A clean restart: the same day of the same plan.
    d = desktop.start()
    assert plan(c) == (True, 1, 3, 2, 50)
    assert d.stop() == 0

    # Saved a day earlier, in another boot: the day boundary passed while
    # limberd was not running, and the plan moved on by one day.
    text = desktop.state_path().read_text()
    saved = int(re.search(r"^saved=(\d+)$", text, re.M).group(1))
    text = re.sub(r"^saved=\d+$", f"saved={saved - 86400 * 10**6}", text, flags=re.M)
    text = re.sub(r"^boot=\w+$", "boot=" + "0" * 32, text, flags=re.M)
    desktop.state_path().write_text(text)
    desktop.start()
    assert plan(c) == (True, 2, 3, 2, 50)
    r = limber(desktop, "status")
    assert "Flare day 2 of 3" in r.stdout


def test_recovery_shows_its_percentage(desktop):
    desktop.policy(POLICY)
    d = desktop.start()
    c = desktop.client
    c.call("SetFlarePlan", dbus.UInt32(1))
    wait_for(lambda: "flare-days=1" in desktop.state_path().read_text(), 10, "the plan in the state file")
    assert d.stop() == 0
    text = desktop.state_path().read_text()
    saved = int(re.search(r"^saved=(\d+)$", text, re.M).group(1))
    text = re.sub(r"^saved=\d+$", f"saved={saved - 2 * 86400 * 10**6}", text, flags=re.M)
    text = re.sub(r"^boot=\w+$", "boot=" + "0" * 32, text, flags=re.M)
    desktop.state_path().write_text(text)
    desktop.start()
    # Two boundaries later: the second of two recovery days, 50 + 50 * 2 / 3.
    assert plan(c) == (False, 3, 1, 2, 83)
    r = limber(desktop, "status")
    assert "Recovering after a flare: pacing at 83% today (day 2 of 2 back to 100%)" in r.stdout, r.stdout
