# SPDX-License-Identifier: MIT
"""A mock of org.freedesktop.ScreenSaver as KDE on X11 has it:
GetSessionIdleTime answers in milliseconds (despite the spec's seconds).

Control (org.limber.Test): SetLastInput(ms ago); Input(); Typing(b): keep
typing until told otherwise; Polls() -> the
monotonic times of every GetSessionIdleTime call, to see how often it polls.
"""
import time

import dbus

BUS_NAME = 'org.freedesktop.ScreenSaver'
MAIN_OBJ = '/org/freedesktop/ScreenSaver'
MAIN_IFACE = 'org.freedesktop.ScreenSaver'
SYSTEM_BUS = False
CONTROL = 'org.limber.Test'


def load(mock, parameters):
    mock.last_input = time.monotonic() - parameters.get('idle_ms', 0) / 1000.0
    mock.polls = []

    mock.typing = parameters.get('typing', False)

    def idle_time():
        now = time.monotonic()
        mock.polls.append(now)
        if mock.typing:
            mock.last_input = now - 0.1  # a key was pressed 100 ms ago
        return dbus.UInt32(int((now - mock.last_input) * 1000))

    mock.idle_time = idle_time
    mock.AddMethods(MAIN_IFACE, [
        ('GetSessionIdleTime', '', 'u', 'ret = self.idle_time()'),
        ('GetActive', '', 'b', 'ret = False'),
        ('Inhibit', 'ss', 'u', 'ret = dbus.UInt32(1)'),
        ('UnInhibit', 'u', '', ''),
    ])
    mock.AddMethods(CONTROL, [
        ('SetLastInput', 't', '', 'self.typing = False; self.last_input = __import__("time").monotonic() - args[0] / 1000.0'),
        ('Typing', 'b', '', 'self.typing = args[0]'),
        ('Input', '', '', 'self.last_input = __import__("time").monotonic()'),
        ('Polls', '', 'ad', 'ret = self.polls'),
    ])
