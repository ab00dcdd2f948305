# SPDX-License-Identifier: MIT
"""A StatusNotifierWatcher (org.kde.StatusNotifierWatcher), as a panel with a
tray owns it: items register with their bus name (or an object path), the
watcher keeps the list and announces each one. Drop an item whose owner has
gone, as real watchers do, so that a test sees the list as a host would.
Control (org.limber.Test):

- Items() -> as: "busname/path" of every registered item.
"""
import dbus

BUS_NAME = 'org.kde.StatusNotifierWatcher'
MAIN_OBJ = '/StatusNotifierWatcher'
MAIN_IFACE = 'org.kde.StatusNotifierWatcher'
SYSTEM_BUS = False
CONTROL = 'org.limber.Test'


def load(mock, parameters):
    mock.items = []
    mock.AddProperties(MAIN_IFACE, {
        'RegisteredStatusNotifierItems': dbus.Array([], signature='s'),
        'IsStatusNotifierHostRegistered': dbus.Boolean(True),
        'ProtocolVersion': dbus.Int32(0),
    })
    mock.AddMethods(MAIN_IFACE, [
        ('RegisterStatusNotifierItem', 's', '', 'self.register_item(args[0])'),
        ('RegisterStatusNotifierHost', 's', '', ''),
    ])
    mock.AddMethods(CONTROL, [
        ('Items', '', 'as', 'ret = dbus.Array(self.items, signature="s")'),
    ])

    def publish():
        mock.UpdateProperties(MAIN_IFACE, {'RegisteredStatusNotifierItems': dbus.Array(mock.items, signature='s')})

    def register_item(service):
        # A bus name: the item is on /StatusNotifierItem. (Registering with an
        # object path would need the caller's name, which limberd does not use.)
        name, path = (service, '/StatusNotifierItem') if not service.startswith('/') else ('?', service)
        item = f'{name}{path}'
        if item in mock.items:
            return
        mock.items.append(item)
        publish()
        mock.EmitSignal(MAIN_IFACE, 'StatusNotifierItemRegistered', 's', [item])

        def gone(new_owner):
            if not new_owner and item in mock.items:
                mock.items.remove(item)
                publish()
                mock.EmitSignal(MAIN_IFACE, 'StatusNotifierItemUnregistered', 's', [item])
        mock.connection.watch_name_owner(name, gone)

    mock.register_item = register_item
