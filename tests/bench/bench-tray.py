#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""What the tray icon costs: limberd's memory and idle wakeups with the tray
active (a StatusNotifierWatcher on the bus, the item registered, and its
properties and menu read once, as a panel does) against inactive (no
watcher), two limberds measured side by side over the same window.

Wakeups are context switches of limberd's threads (/proc/PID/task/*/status)
over the window, after a settling time in which the threads GLib starts for
one job (and ends when idle) have gone; a thread that still ends within the
window is not counted. RSS and PSS from /proc/PID/smaps_rollup."""
import os
import pathlib
import sys
import tempfile

import dbus

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "integration"))
from harness import LIMBER_NAME, Desktop, run_for, thread_switches, thread_wakeups, wait_for  # noqa: E402

WINDOW = float(os.environ.get("LIMBER_TRAY_WINDOW", "60"))  # s
SETTLE = float(os.environ.get("LIMBER_TRAY_SETTLE", "40"))  # s


def memory(pid):
    """(RSS, PSS) in KiB."""
    fields = {}
    for line in pathlib.Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, value = line.split(":", 1)
        fields[key] = int(value.split()[0])
    return fields["Rss"], fields["Pss"]


def read_like_a_panel(desk):
    """What a host reads when an item registers: all properties, the menu."""
    owner = desk.session.owner(LIMBER_NAME)
    item = desk.session.conn.get_object(owner, "/StatusNotifierItem", introspect=False)
    item.GetAll("org.kde.StatusNotifierItem", dbus_interface="org.freedesktop.DBus.Properties")
    menu = desk.session.conn.get_object(owner, "/MenuBar", introspect=False)
    menu.GetLayout(0, -1, dbus.Array([], signature="s"), dbus_interface="com.canonical.dbusmenu")


def main():
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        inactive, active = Desktop(a), Desktop(b)
        try:
            watcher = active.add("watcher", "sn_watcher")
            d_off = inactive.start()
            d_on = active.start()
            name = active.session.owner(LIMBER_NAME)
            wait_for(lambda: f"{name}/StatusNotifierItem" in [str(i) for i in watcher.control().Items()], 20,
                     "the item registered")
            read_like_a_panel(active)
            # Settled: both answered a call after start-up.
            inactive.client.call("GetStatus")
            active.client.call("GetStatus")
            run_for(SETTLE)
            before = {d.pid: thread_switches(d.pid) for d in (d_off, d_on)}
            run_for(WINDOW)
            for label, d in (("tray inactive (no watcher)", d_off),
                             ("tray active (watcher, item and menu read)", d_on)):
                after = thread_switches(d.pid)
                woke = thread_wakeups(before[d.pid], after)
                rss, pss = memory(d.pid)
                print(f"limberd, {label:42s} RSS {rss / 1024:5.1f} MiB  PSS {pss / 1024:5.1f} MiB  "
                      f"{len(after)} threads  {woke * 60 / WINDOW:5.1f} wakeups/min "
                      f"(idle, {WINDOW:.0f} s after {SETTLE:.0f} s)")
        finally:
            for desk in (inactive, active):
                for f in desk.stop():
                    print(f, file=sys.stderr)


if __name__ == "__main__":
    main()
