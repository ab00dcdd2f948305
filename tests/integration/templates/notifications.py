# SPDX-License-Identifier: MIT
"""A mock notification server (org.freedesktop.Notifications) that keeps
what is on screen; parameter server_name: the name GetServerInformation
gives ("mock"; "gnome-shell" to stand in for GNOME's). Control
(org.limber.Test):

- Showing() -> a(ussas): the notifications on screen (id, summary, body, actions);
- Invoke(id, action): the user picks an action (emits ActionInvoked);
- SetInhibited(b): KDE's do-not-disturb (the Inhibited property);
- Updates() -> s: every Notify so far, in order, as a JSON list of objects
  with id, replaces, summary, body, actions, expire (ms) and the hints
  image-path, value, sound-name and urgency (null when absent).
"""
import json

import dbus

BUS_NAME = 'org.freedesktop.Notifications'
MAIN_OBJ = '/org/freedesktop/Notifications'
MAIN_IFACE = 'org.freedesktop.Notifications'
SYSTEM_BUS = False
CONTROL = 'org.limber.Test'


def load(mock, parameters):
    mock.next_id = 1
    mock.showing = {}
    mock.updates = []
    mock.AddProperty(MAIN_IFACE, 'Inhibited', dbus.Boolean(False))
    mock.AddMethods(MAIN_IFACE, [
        ('GetCapabilities', '', 'as', 'ret = ["body", "actions", "persistence", "body-markup"]'),
        ('GetServerInformation', '', 'ssss',
         f'ret = ({parameters.get("server_name", "mock")!r}, "limber tests", "1.0", "1.2")'),
        ('Notify', 'susssasa{sv}i', 'u', 'ret = self.notify(args)'),
        ('CloseNotification', 'u', '', 'self.close(args[0], 3)'),
    ])
    mock.AddMethods(CONTROL, [
        ('Showing', '', 'a(ussas)', 'ret = [(i, n[0], n[1], n[2]) for i, n in sorted(self.showing.items())]'),
        ('Invoke', 'us', '', 'self.EmitSignal("org.freedesktop.Notifications", "ActionInvoked", "us", [args[0], args[1]])'),
        ('Dismiss', 'u', '', 'self.close(args[0], 2)'),
        ('Updates', '', 's', 'ret = self.updates_json()'),
        ('SetInhibited', 'b', '', 'self.UpdateProperties("org.freedesktop.Notifications", {"Inhibited": dbus.Boolean(args[0])})'),
    ])

    def notify(args):
        app, replaces, icon, summary, body, actions, hints, timeout = args
        nid = int(replaces) if replaces and int(replaces) in mock.showing else mock.next_id
        if nid == mock.next_id:
            mock.next_id += 1
        mock.showing[nid] = (str(summary), str(body), [str(a) for a in actions])

        def hint(name, kind):
            return kind(hints[name]) if name in hints else None
        mock.updates.append({
            'id': nid, 'replaces': int(replaces), 'summary': str(summary), 'body': str(body),
            'actions': [str(a) for a in actions][::2], 'expire': int(timeout),
            'image-path': hint('image-path', str), 'value': hint('value', int),
            'sound-name': hint('sound-name', str), 'urgency': hint('urgency', int),
        })
        return dbus.UInt32(nid)

    def close(nid, reason):
        if int(nid) in mock.showing:
            del mock.showing[int(nid)]
            mock.EmitSignal(MAIN_IFACE, 'NotificationClosed', 'uu', [dbus.UInt32(nid), dbus.UInt32(reason)])

    mock.notify = notify
    mock.close = close
    mock.updates_json = lambda: json.dumps(mock.updates)
