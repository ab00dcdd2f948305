# SPDX-License-Identifier: MIT
"""The tray icon against a StatusNotifierWatcher written for the test
(templates/sn_watcher.py): registration and re-registration, the item's
properties and signals, the dbusmenu layout and every entry's action, the
notifications of a left click and of a refusal, general.tray. The real host,
waybar under sway, is tests/tray."""
import datetime
import time

import dbus
import pytest

from harness import LIMBER_NAME, run_for, unwrap, wait_for

ITEM_PATH, ITEM_IFACE = "/StatusNotifierItem", "org.kde.StatusNotifierItem"
MENU_PATH, MENU_IFACE = "/MenuBar", "com.canonical.dbusmenu"
PROPS = "org.freedesktop.DBus.Properties"
MIN = 60 * 10**6


class Tray:
    """limberd's item and menu as a host sees them, and their signals."""

    def __init__(self, desktop):
        self.session = desktop.session
        self.conn = desktop.session.conn
        self.signals = []
        self._receivers = [
            self.conn.add_signal_receiver(self._on_signal, dbus_interface=iface, path=path, member_keyword="member")
            for iface, path in ((ITEM_IFACE, ITEM_PATH), (MENU_IFACE, MENU_PATH))
        ]

    def _on_signal(self, *args, member=None):
        self.signals.append((member, [unwrap(a) for a in args]))

    def members(self):
        return [m for m, _ in self.signals]

    def obj(self, path):
        return self.conn.get_object(self.session.owner(LIMBER_NAME), path, introspect=False)

    def prop(self, name):
        return unwrap(self.obj(ITEM_PATH).Get(ITEM_IFACE, name, dbus_interface=PROPS))

    def props(self):
        return unwrap(self.obj(ITEM_PATH).GetAll(ITEM_IFACE, dbus_interface=PROPS))

    def exported(self):
        """Does limberd's connection export the item (and the menu)?"""
        xml = str(self.obj("/").Introspect(dbus_interface="org.freedesktop.DBus.Introspectable"))
        return '<node name="StatusNotifierItem"' in xml, '<node name="MenuBar"' in xml

    def layout(self):
        """{label or 'separator-N': (id, props)} of the menu, from GetLayout."""
        rev, layout = self.obj(MENU_PATH).GetLayout(0, -1, dbus.Array([], signature="s"), dbus_interface=MENU_IFACE)
        root, props, children = unwrap(layout)
        assert root == 0 and props == {"children-display": "submenu"}
        entries = {}
        for cid, cprops, grandchildren in children:
            assert grandchildren == []
            entries[cprops.get("label", f"separator-{cid}")] = (cid, cprops)
        return entries

    def entry(self, label):
        return self.layout()[label][1]

    def click(self, label):
        cid = self.layout()[label][0]
        self.obj(MENU_PATH).Event(dbus.Int32(cid), "clicked", dbus.Int32(0, variant_level=1), dbus.UInt32(0),
                                  dbus_interface=MENU_IFACE, signature="isvu")

    def close(self):
        for r in self._receivers:
            r.remove()


def start(desktop, policy=None, watcher=True, **kw):
    if policy is not None:
        desktop.policy(policy)
    w = desktop.add("watcher", "sn_watcher") if watcher else None
    d = desktop.start(**kw)
    return d, w, Tray(desktop)


def registered(desktop, watcher):
    """The item the watcher holds for limberd, once it registered."""
    name = desktop.session.owner(LIMBER_NAME)
    return f"{name}{ITEM_PATH}" in [str(i) for i in watcher.control().Items()]


def test_registers_and_again_when_the_watcher_restarts(desktop):
    d, w, tray = start(desktop)
    wait_for(lambda: registered(desktop, w), 10, "the item registered")
    [(_, args)] = w.calls("RegisterStatusNotifierItem")
    assert str(args[0]) == desktop.session.owner(LIMBER_NAME)  # its unique name, on /StatusNotifierItem
    assert tray.exported() == (True, True)

    # The panel goes: nothing stays exported. A new one: registered again.
    w.stop()
    wait_for(lambda: tray.exported() == (False, False), 10, "the item withdrawn")
    w2 = desktop.add("watcher", "sn_watcher")
    wait_for(lambda: registered(desktop, w2), 10, "the item registered with the new watcher")
    assert tray.prop("Id") == "limber"
    assert "the tray (org.kde.StatusNotifierWatcher) went away" in d.log()


def test_a_watcher_that_comes_later_gets_the_item(desktop):
    d, _, tray = start(desktop, watcher=False)
    assert tray.exported() == (False, False)
    # Nor a moment later: limberd answered a call after start-up, and had a
    # second more to (wrongly) export the item with no watcher to take it.
    desktop.client.call("GetStatus")
    run_for(1)
    assert tray.exported() == (False, False)
    w = desktop.add("watcher", "sn_watcher")
    wait_for(lambda: registered(desktop, w), 10, "the item registered")


def test_properties(desktop):
    _, _, tray = start(desktop, "[posture]\ninterval = 20m\n[movement]\ninterval = 50m\n")
    wait_for(lambda: tray.exported()[0], 10, "the item")
    p = tray.props()
    assert p["Category"] == "ApplicationStatus"
    assert p["Id"] == "limber" and p["Title"] == "limber"
    assert p["Status"] == "Active"
    assert p["IconName"] == "limber"
    assert p["IconThemePath"] == ""
    assert p["AttentionIconName"] == "limber-due"
    assert p["ItemIsMenu"] is False
    assert p["Menu"] == MENU_PATH
    assert p["WindowId"] == 0
    icon, pixmaps, title, text = p["ToolTip"]
    # The next break, the time to it (and when, by the clock), today's active time.
    def at(minutes):
        """Due this long after limberd started, a moment ago: its clock time,
        to the nearest minute (for a start up to 5 s ago)."""
        due = time.time() + minutes * 60
        return {time.strftime("%H:%M", time.gmtime(round((due - s) / 60) * 60)) for s in (0, 5)}
    posture_at, movement_at = at(20), at(50)
    assert title.startswith("Next: Posture break in 20m, at "), title
    assert title[-5:] in posture_at, (title, posture_at)
    assert text.splitlines() in [[f"Movement break in 50m, at {t}", "Active today: under a minute"]
                                 for t in sorted(movement_at)], (text, movement_at)
    menu = unwrap(tray.obj(MENU_PATH).GetAll(MENU_IFACE, dbus_interface=PROPS))
    assert menu == {"Version": 3, "TextDirection": "ltr", "Status": "normal", "IconThemePath": []}


def test_layout_with_the_default_policy(desktop):
    _, _, tray = start(desktop)
    wait_for(lambda: tray.exported()[1], 10, "the menu")
    menu = tray.layout()
    assert list(menu) == ["Take a posture break", "Take a movement break", "separator-101", "Snooze",
                          "separator-102", "Pause for 30 minutes", "Pause for 1 hour", "Pause until tomorrow",
                          "Resume", "separator-103", "Flare mode"]
    # Nothing is due: no Snooze. Not paused: no Resume. No pacing: no flare mode.
    assert menu["Snooze"][1]["enabled"] is False and menu["Snooze"][1]["visible"] is True
    assert menu["Resume"][1]["enabled"] is False
    assert menu["Pause for 1 hour"][1] == {"label": "Pause for 1 hour", "visible": True, "enabled": True}
    assert menu["Flare mode"][1]["visible"] is False
    assert menu["separator-103"][1] == {"type": "separator", "visible": False}
    assert menu["separator-102"][1]["visible"] is True
    # The other ways in: one item, a group, one property; a bad id is an error.
    m = tray.obj(MENU_PATH)
    sid = menu["Snooze"][0]
    rev, layout = m.GetLayout(sid, -1, dbus.Array([], signature="s"), dbus_interface=MENU_IFACE)
    i, props, kids = unwrap(layout)
    assert (i, props["label"], kids) == (sid, "Snooze", [])
    assert unwrap(m.GetLayout(0, 0, ["label"], dbus_interface=MENU_IFACE)[1]) == (0, {}, [])
    [(gid, gprops)] = unwrap(m.GetGroupProperties([sid], ["enabled"], dbus_interface=MENU_IFACE))
    assert (gid, gprops) == (sid, {"enabled": False})
    assert len(unwrap(m.GetGroupProperties(dbus.Array([], signature="i"), dbus.Array([], signature="s"),
                                           dbus_interface=MENU_IFACE))) == len(menu)
    assert unwrap(m.GetProperty(sid, "label", dbus_interface=MENU_IFACE)) == "Snooze"
    assert unwrap(m.AboutToShow(0, dbus_interface=MENU_IFACE)) is False
    assert [unwrap(a) for a in m.AboutToShowGroup([0, sid, 999], dbus_interface=MENU_IFACE)] == [[], [999]]
    assert unwrap(m.EventGroup([(sid, "hovered", dbus.Int32(0, variant_level=1), dbus.UInt32(0)),
                                (999, "clicked", dbus.Int32(0, variant_level=1), dbus.UInt32(0))],
                               dbus_interface=MENU_IFACE, signature="a(isvu)")) == [999]
    for call in (lambda: m.GetLayout(999, -1, dbus.Array([], signature="s"), dbus_interface=MENU_IFACE),
                 lambda: m.GetProperty(sid, "icon-name", dbus_interface=MENU_IFACE),
                 lambda: m.Event(999, "clicked", dbus.Int32(0, variant_level=1), dbus.UInt32(0),
                                 dbus_interface=MENU_IFACE, signature="isvu")):
        with pytest.raises(dbus.DBusException) as e:
            call()
        assert e.value.get_dbus_name() == "org.freedesktop.DBus.Error.InvalidArgs"


def test_policy_hides_pausing_and_pacing_shows_flare(desktop):
    _, _, tray = start(desktop, "[general]\nallow-pause = no\n[pacing]\nenabled = yes\n")
    wait_for(lambda: tray.exported()[1], 10, "the menu")
    menu = tray.layout()
    for label in ("Pause for 30 minutes", "Pause for 1 hour", "Pause until tomorrow"):
        assert menu[label][1]["visible"] is False, label
    assert menu["Resume"][1]["visible"] is True
    flare = menu["Flare mode"][1]
    assert flare["visible"] is True and flare["toggle-type"] == "checkmark" and flare["toggle-state"] == 0


def test_take_entries_start_breaks(desktop):
    _, _, tray = start(desktop)
    c = desktop.client
    wait_for(lambda: tray.exported()[1], 10, "the menu")
    tray.click("Take a posture break")
    c.wait_state("posture", "on-break")
    assert tray.prop("IconName") == "limber-break"
    wait_for(lambda: "NewIcon" in tray.members(), 10, "NewIcon")
    assert tray.entry("Take a posture break")["enabled"] is False
    tray.click("Take a movement break")
    c.wait_state("movement", "on-break")


def test_snooze_entry_and_signals_on_transitions_only(desktop):
    _, _, tray = start(desktop, "[general]\nidle-after = 1s\n[posture]\ninterval = 2s\nreprompt = 1h\n"
                                "snooze = 1h\n[movement]\nenabled = no\n")
    c = desktop.client
    wait_for(lambda: tray.exported()[1], 10, "the menu")
    # Due: the icon and status say so, once; the menu offers Snooze.
    # (limberd sends NewIcon, NewStatus and NewToolTip together; wait for the last.)
    wait_for(lambda: ("NewStatus", ["NeedsAttention"]) in tray.signals and "NewToolTip" in tray.members(), 10,
             "NewStatus NeedsAttention and NewToolTip")
    assert tray.prop("Status") == "NeedsAttention" and tray.prop("IconName") == "limber-due"
    # Once: counted after a round trip (signals sent before the reply arrive
    # before it) and a second more, in which a repeat would have come.
    c.call("GetStatus")
    run_for(1)
    assert tray.members().count("NewIcon") == 1 and tray.members().count("NewToolTip") == 1
    wait_for(lambda: ("ItemsPropertiesUpdated" in tray.members()), 10, "Snooze enabled")
    assert tray.entry("Snooze")["enabled"] is True
    assert "Posture break due now" in tray.prop("ToolTip")[2]

    tray.click("Snooze")
    c.wait_state("posture", "snoozed")
    assert c.kind("posture")["snoozes_left"] == 2
    wait_for(lambda: tray.prop("Status") == "Active", 10, "the status back to active")
    wait_for(lambda: ("NewStatus", ["Active"]) in tray.signals, 10, "NewStatus Active")
    assert tray.entry("Snooze")["enabled"] is False
    assert tray.prop("ToolTip")[2].startswith("Posture break snoozed until ")

    # Time passes, nothing changes: no signal at all.
    seen = len(tray.signals)
    run_for(3)
    assert tray.signals[seen:] == []


def test_pause_entries_and_resume(desktop):
    _, _, tray = start(desktop, "[general]\nday-starts = 04:00\n")
    c = desktop.client
    wait_for(lambda: tray.exported()[1], 10, "the menu")

    def paused_until():
        return c.prop("PausedUntil") / 10**6

    tray.click("Pause for 30 minutes")
    wait_for(lambda: c.prop("Paused"), 10, "paused")
    assert abs(paused_until() - (time.time() + 30 * 60)) < 30
    assert tray.prop("IconName") == "limber-paused"
    assert tray.prop("ToolTip")[2].startswith("Breaks paused until ")
    wait_for(lambda: tray.entry("Resume")["enabled"], 10, "Resume enabled")

    tray.click("Resume")
    wait_for(lambda: not c.prop("Paused"), 10, "resumed")
    assert tray.prop("IconName") == "limber"

    tray.click("Pause for 1 hour")
    wait_for(lambda: c.prop("Paused"), 10, "paused")
    assert abs(paused_until() - (time.time() + 60 * 60)) < 30

    # Until the day starts again: the next 04:00 (the tests run in UTC).
    tray.click("Pause until tomorrow")
    now = datetime.datetime.now(datetime.timezone.utc)
    tomorrow = now.replace(hour=4, minute=0, second=0, microsecond=0)
    if tomorrow <= now:
        tomorrow += datetime.timedelta(days=1)
    wait_for(lambda: abs(paused_until() - tomorrow.timestamp()) < 30, 10, "paused until 04:00")


def test_tooltip_outside_working_hours(desktop):
    # Working hours that begin in two hours' time (the tests run in UTC).
    now = datetime.datetime.now(datetime.timezone.utc)
    begins = (now + datetime.timedelta(hours=2)).replace(second=0, microsecond=0)
    ends = begins + datetime.timedelta(hours=1)
    _, _, tray = start(desktop, f"[general]\nwork-hours = Mon-Sun {begins:%H:%M}-{ends:%H:%M}\n")
    wait_for(lambda: tray.exported()[0], 10, "the item")
    title, text = tray.prop("ToolTip")[2:]
    when = f"{begins:%H:%M}" if begins.date() == now.date() else f"{begins:%a %H:%M}"
    assert title == f"Outside working hours until {when}", title
    assert text == "Active today: under a minute"


def test_flare_entry_toggles(desktop):
    _, _, tray = start(desktop, "[pacing]\nenabled = yes\n")
    c = desktop.client
    wait_for(lambda: tray.exported()[1], 10, "the menu")
    tray.click("Flare mode")
    wait_for(lambda: c.prop("Flare"), 10, "flare mode on")
    assert tray.entry("Flare mode")["toggle-state"] == 1
    assert tray.prop("IconName") == "limber-flare"
    assert "Flare day 1 of 1:" in tray.prop("ToolTip")[3]
    # A longer plan on the same day: only the tooltip's words change, and it says so.
    seen = len(tray.signals)
    c.call("SetFlarePlan", dbus.UInt32(5))
    wait_for(lambda: "NewToolTip" in tray.members()[seen:], 10, "NewToolTip for the five-day plan")
    assert "Flare day 1 of 5:" in tray.prop("ToolTip")[3]
    assert "NewIcon" not in tray.members()[seen:]
    tray.click("Flare mode")
    wait_for(lambda: not c.prop("Flare"), 10, "flare mode off")
    assert tray.entry("Flare mode")["toggle-state"] == 0


def test_activate_shows_the_status_and_a_refusal_is_shown(desktop):
    notes = desktop.add("notify", "notifications")
    d, _, tray = start(desktop, "[general]\nallow-pause = no\n")
    c = desktop.client
    wait_for(lambda: tray.exported()[0], 10, "the item")

    tray.obj(ITEM_PATH).Activate(dbus.Int32(10), dbus.Int32(10), dbus_interface=ITEM_IFACE)
    wait_for(lambda: notes.control().Showing(), 10, "the status notification")
    [(nid, summary, body, actions)] = notes.control().Showing()
    assert summary.startswith("Next: Posture break in 20m, at ")
    assert "Movement break in 50m" in body and "Active today: under a minute" in body
    assert list(actions) == []

    # A second click replaces it, as long as the same server is up.
    tray.obj(ITEM_PATH).Activate(dbus.Int32(10), dbus.Int32(10), dbus_interface=ITEM_IFACE)
    wait_for(lambda: len(notes.calls("Notify")) == 2, 10, "the second Notify")
    assert [n[0] for n in notes.control().Showing()] == [nid]

    # A host with a stale menu: the scheduler refuses, the user is told why.
    tray.click("Pause for 1 hour")
    wait_for(lambda: any(s == "Cannot pause" for _, s, _, _ in notes.control().Showing()), 10, "the refusal")
    refusal = [b for _, s, b, _ in notes.control().Showing() if s == "Cannot pause"][0]
    assert refusal == f"Pausing is turned off by general.allow-pause = no ({desktop.tmp}/config/limber/limber.ini:2)"
    assert c.prop("Paused") is False
    tray.click("Snooze")
    wait_for(lambda: any(b == "No break is due, so there is nothing to snooze"
                         for _, _, b, _ in notes.control().Showing()), 10, "the snooze refusal")
    assert "the tray's snooze was refused: no break is due" in d.log()


def test_no_watcher_nothing_exported_and_tray_no(desktop):
    # auto, no watcher: nothing exported, nothing said.
    d, _, tray = start(desktop, watcher=False)
    desktop.client.call("GetStatus")
    run_for(1)
    assert tray.exported() == (False, False)
    d.stop()
    assert "tray" not in d.log().lower()  # the whole log, to its last line

    # yes, no watcher: said once in the log.
    d, _, tray = start(desktop, "[general]\ntray = yes\n", watcher=False)
    wait_for(lambda: "general.tray = yes, but no panel offers a tray" in d.log(), 10, "the note")
    d.stop()

    # no, with a watcher: never registered; a reload to auto offers it, and
    # back to no withdraws it (passive first, so that hosts hide it).
    path = desktop.policy("[general]\ntray = no\n")
    w = desktop.add("watcher", "sn_watcher")
    d = desktop.start()
    c = desktop.client
    c.call("GetStatus")
    run_for(1)
    assert w.calls("RegisterStatusNotifierItem") == [] and tray.exported() == (False, False)
    path.write_text("[general]\ntray = auto\n")
    c.call("Reload")
    wait_for(lambda: registered(desktop, w), 10, "the item registered after the reload")
    path.write_text("[general]\ntray = no\n")
    c.call("Reload")
    wait_for(lambda: ("NewStatus", ["Passive"]) in tray.signals, 10, "NewStatus Passive")
    wait_for(lambda: tray.exported() == (False, False), 10, "the item withdrawn")
