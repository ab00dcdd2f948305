# SPDX-License-Identifier: MIT
"""A mock of GNOME's org.gnome.Mutter.IdleMonitor (or Cinnamon's Muffin one,
with parameters {"muffin": true}) with mutter's watch semantics:

- AddIdleWatch(ms) fires WatchFired(id) once per idle spell, ms after the
  last input (at once when that moment has already passed);
- AddUserActiveWatch() fires once at the next input and is then removed.

Tests drive the user with the control methods on org.limber.Test:
GoIdle(ms) says input stopped ms ago; Input() is a keypress.
SetInhibited(b) is an idle inhibitor (gnome-session InhibitedActions & 8):
while it is held, idle watches never fire (GetIdletime keeps counting), and
releasing it resets the idle time, as mutter does.
"""
import time

import dbus
from gi.repository import GLib

from dbusmock import MOCK_IFACE  # noqa: F401  (documentation)

BUS_NAME = 'org.gnome.Mutter.IdleMonitor'
MAIN_OBJ = '/org/gnome/Mutter/IdleMonitor/Core'
MAIN_IFACE = 'org.gnome.Mutter.IdleMonitor'
SYSTEM_BUS = False
CONTROL = 'org.limber.Test'


def now_ms():
    return int(time.monotonic() * 1000)


def load(mock, parameters):
    mock.watches = {}       # id -> interval ms (0: user-active)
    mock.timers = {}        # id -> GLib source id
    mock.next_id = 1
    mock.last_input = now_ms() - int(parameters.get('idle_ms', 0))
    mock.idle = 'idle_ms' in parameters  # the user stopped and has not typed since
    mock.inhibited = bool(parameters.get('inhibited'))
    iface = MAIN_IFACE
    if parameters.get('muffin'):
        iface = 'org.cinnamon.Muffin.IdleMonitor'
    mock.monitor_iface = iface

    def fire(wid):
        mock.EmitSignal(iface, 'WatchFired', 'u', [dbus.UInt32(wid)])

    def arm(wid):
        interval = mock.watches[wid]
        if not mock.idle or interval == 0 or mock.inhibited:
            return
        due = mock.last_input + interval - now_ms()
        if due <= 0:
            fire(wid)
        else:
            def cb():
                mock.timers.pop(wid, None)
                if wid in mock.watches and mock.idle:
                    fire(wid)
                return False
            mock.timers[wid] = GLib.timeout_add(due, cb)

    mock.fire_watch = fire
    mock.arm_watch = arm

    mock.AddMethods(iface, [
        ('GetIdletime', '', 't', 'ret = dbus.UInt64(self.current_idletime())'),
        ('AddIdleWatch', 't', 'u', 'ret = self.add_watch(args[0])'),
        ('AddUserActiveWatch', '', 'u', 'ret = self.add_watch(0)'),
        ('RemoveWatch', 'u', '', 'self.remove_watch(args[0])'),
    ])
    mock.AddMethods(CONTROL, [
        ('GoIdle', 't', '', 'self.go_idle(args[0])'),
        ('Input', '', '', 'self.user_input()'),
        ('WatchCount', '', 'u', 'ret = dbus.UInt32(len([w for w in self.watches.values() if w]))'),
        ('SetInhibited', 'b', '', 'self.set_inhibited(args[0])'),
    ])

    def set_inhibited(on):
        mock.inhibited = bool(on)
        if not mock.inhibited and mock.idle:
            mock.last_input = now_ms()  # mutter resets the idle time on release
            for wid in list(mock.watches):
                if mock.watches.get(wid):
                    arm(wid)

    mock.set_inhibited = set_inhibited

    def current_idletime():
        return now_ms() - mock.last_input if mock.idle else 0

    def add_watch(interval):
        wid = mock.next_id
        mock.next_id += 1
        mock.watches[wid] = interval
        if interval:
            arm(wid)
        return dbus.UInt32(wid)

    def remove_watch(wid):
        mock.watches.pop(wid, None)
        src = mock.timers.pop(wid, None)
        if src:
            GLib.source_remove(src)

    def go_idle(ms):
        for src in mock.timers.values():
            GLib.source_remove(src)
        mock.timers.clear()
        mock.idle = True
        mock.last_input = now_ms() - ms
        for wid in list(mock.watches):
            if mock.watches.get(wid):
                arm(wid)

    def user_input():
        for src in mock.timers.values():
            GLib.source_remove(src)
        mock.timers.clear()
        mock.idle = False
        mock.last_input = now_ms()
        for wid, interval in list(mock.watches.items()):
            if interval == 0:
                del mock.watches[wid]
                fire(wid)

    mock.current_idletime = current_idletime
    mock.add_watch = add_watch
    mock.remove_watch = remove_watch
    mock.go_idle = go_idle
    mock.user_input = user_input
