# SPDX-License-Identifier: MIT
"""limberd's tray icon in a real host: waybar's tray on headless sway.

The icon is found by its pixels in grim's screenshots of the bar: the
disc's teal (or the paused grey, the due badge's orange) in the bar, where
an empty tray has none. The screenshots are kept in
$(BUILD)/test-output/tray/."""
import dbus
from PIL import Image

from conftest import BAR_HEIGHT
from harness import LIMBER_NAME, LIMBER_PATH, wait_for

TEAL = (0x2a, 0x7f, 0x6f)   # the disc (config/icons/limber.svg)
GREY = (0x7b, 0x86, 0x91)   # the paused disc
ORANGE = (0xe0, 0x66, 0x1b)  # the due badge
BAR = (0x20, 0x20, 0x20)    # the bar's background (conftest's style)


def count(path, colour, tolerance=24):
    """Pixels of about this colour in the bar."""
    img = Image.open(path).convert("RGB")
    bar = img.crop((0, 0, img.width, BAR_HEIGHT))
    return sum(1 for px in bar.getdata() if all(abs(a - b) <= tolerance for a, b in zip(px, colour)))


def shows(host, name, colour, at_least=60):
    """Takes screenshots until the bar shows enough of colour; the path."""
    found = {}

    def look():
        path = host.screenshot(name)
        found["n"] = count(path, colour)
        return path if found["n"] >= at_least else None
    return wait_for(look, 30, f"{at_least} pixels of {colour} in the bar (last {found.get('n')})")


def limber(host):
    return dbus.Interface(host.conn.get_object(LIMBER_NAME, LIMBER_PATH), LIMBER_NAME)


def registered(host):
    return f"{host.owner(LIMBER_NAME)}/StatusNotifierItem" in host.items()


def test_icon_in_waybar_and_back_after_a_restart(host):
    host.start_waybar()
    # The bar, with nothing in its tray yet.
    empty = shows(host, "1-empty-tray.png", BAR, at_least=640 * 20)
    assert count(empty, TEAL) == 0

    d = host.limberd()
    wait_for(lambda: registered(host), 30, "limberd's item in waybar's watcher")
    shown = shows(host, "2-icon.png", TEAL)
    assert count(shown, GREY) == 0

    # A new state: waybar reads the icon again on NewIcon.
    limber(host).Pause(dbus.UInt32(1800))
    paused = shows(host, "3-paused.png", GREY)
    assert count(paused, TEAL) == 0
    limber(host).Resume()
    shows(host, "4-resumed.png", TEAL)

    # The panel restarts: the icon goes with it and comes back with the new one.
    host.stop_waybar()
    wait_for(lambda: "the tray (org.kde.StatusNotifierWatcher) went away" in d.log(), 30, "limberd to notice")
    gone = host.screenshot("5-no-bar.png")
    assert count(gone, TEAL) == 0
    host.start_waybar()
    wait_for(lambda: registered(host), 30, "limberd's item in the new waybar's watcher")
    again = shows(host, "6-icon-after-restart.png", TEAL)
    assert count(again, TEAL) >= 60
    # One item in the new watcher, limberd's, registered once; drawn once (as
    # many teal pixels as the one icon before the restart, not two icons'
    # worth) and in the state it was left in: resumed, so not the paused
    # grey, and nothing due, so no badge.
    assert host.items() == [f"{host.owner(LIMBER_NAME)}/StatusNotifierItem"], host.items()
    assert count(again, TEAL) == count(shown, TEAL)
    assert count(again, GREY) == 0 and count(again, ORANGE) == 0


def test_due_break_shows_its_badge(host):
    host.start_waybar()
    host.limberd("[posture]\ninterval = 2s\nreprompt = 1h\n[movement]\nenabled = no\n")
    wait_for(lambda: registered(host), 30, "limberd's item in waybar's watcher")
    # NeedsAttention keeps the item shown (waybar hides only Passive ones).
    due = shows(host, "7-due.png", ORANGE, at_least=20)
    assert count(due, TEAL) > 0
