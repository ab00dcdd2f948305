# SPDX-License-Identifier: MIT
"""The prompt on each real notification server that draws one, acted on
through the server's own client or buttons, and each server's
do-not-disturb switch holding prompts back (at most max-defer)."""
import pathlib
import subprocess
import time

import dbus
from PIL import Image

from compositors import SimulatedUser
from conftest import OUTPUT, busy, buttons
from harness import BUILD, limber_breaks, run_for, wait_for

PROMPT = """
[general]
idle-after = 10s
[posture]
interval = 2s
snooze = 3s
reprompt = 1h
[movement]
enabled = no
"""


def quiet_source(c):
    return c.status().get("quiet_source")


def shot(server, name):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return server.screenshot(OUTPUT / name)


def check_drawn(path, box):
    """The prompt is drawn in box (x0, y0, x1, y1); the bottom left corner
    of the screen is not drawn on."""
    img = Image.open(path).convert("RGB")
    w, h = img.size
    assert busy(img.crop(box)) > 0.1, f"nothing drawn where the prompt goes ({path})"
    assert busy(img.crop((0, h - 150, 150, h))) < 0.01, path


def start_active(desktop, compositor, policy, extra_env):
    """limberd with the user at the keyboard of compositor."""
    desktop.policy(policy)
    desktop.start(extra_env=extra_env)
    c = desktop.client
    wait_for(lambda: c.prop("Backend") == "wayland", 15, "the wayland backend")
    user = SimulatedUser(compositor.input)
    user.start()
    wait_for(lambda: c.prop("Presence") == "active", 10, "active")
    return c, user


# ---- mako ---------------------------------------------------------------------------------


def test_mako_prompt_shown_and_snoozed_with_makoctl(desktop, sway, mako):
    c, user = start_active(desktop, sway, PROMPT, sway.env)
    c.wait_signal("BreakDue", ["posture", 1], timeout=15)
    wait_for(lambda: [n for n in mako.listed() if n[1] == "limber"], 10, "the prompt in mako")
    path = shot(sway, "mako-prompt.png")
    check_drawn(path, (sway.WIDTH - 430, 0, sway.WIDTH, 150))
    # Snooze, as the user would pick it from mako's own client.
    mako.makoctl("invoke", "snooze")
    wait_for(lambda: limber_breaks(desktop)["posture"]["state"] == "snoozed", 10, "snoozed")
    wait_for(lambda: not mako.listed(), 10, "the prompt closed after the action")
    # The snooze ends, the prompt is back.
    c.wait_signal("BreakDue", ["posture", 2], timeout=15)
    wait_for(lambda: mako.listed(), 10, "the prompt again")
    user.stop()


def test_mako_do_not_disturb_mode_holds_prompts_until_max_defer(desktop, sway, mako):
    """mako 1.7 announces no change of its modes: limberd asks when mako
    appears and whenever a prompt shows, never on a timer."""
    mako.makoctl("mode", "-a", "do-not-disturb")
    c, user = start_active(desktop, sway, PROMPT.replace("idle-after = 10s", "idle-after = 10s\nmax-defer = 6s"),
                           sway.env)
    wait_for(lambda: quiet_source(c) == "mako", 10, "quiet: mako")
    wait_for(lambda: c.kind("posture")["state"] == "due", 10, "posture due")
    due = time.monotonic()
    assert not any(m == "BreakDue" for m, _ in c.signals)
    # Held back for max-defer, then shown anyway.
    c.wait_signal("BreakDue", ["posture", 1], timeout=20)
    waited = time.monotonic() - due
    assert 5.0 <= waited <= 6 + 3, waited
    assert "deferred posture" in desktop.history_path().read_text()
    # mako holds it out of sight while its mode is on.
    path = shot(sway, "mako-do-not-disturb.png")
    assert busy(Image.open(path).convert("RGB").crop((sway.WIDTH - 430, 0, sway.WIDTH, 150))) < 0.01
    # Turned off: mako shows it; limberd, which cannot hear this mako, finds
    # out when it next prompts (after a snooze here).
    mako.makoctl("mode", "-r", "do-not-disturb")
    assert c.prop("Quiet") is True
    c.call("Snooze", "posture", dbus.UInt32(2))
    c.wait_signal("BreakDue", ["posture", 2], timeout=15)
    wait_for(lambda: c.prop("Quiet") is False, 10, "quiet off once mako was asked again")
    user.stop()


def test_mako_modes_are_a_policy_key(desktop, sway, mako):
    mako.makoctl("mode", "-a", "presenting")
    desktop.policy("[general]\ndnd-modes = do-not-disturb presenting\n")
    desktop.start(extra_env=sway.env)
    c = desktop.client
    wait_for(lambda: quiet_source(c) == "mako", 10, "quiet: mako, mode presenting")
    desktop.policy("[general]\ndnd-modes = dnd\n")
    c.call("Reload")
    wait_for(lambda: c.prop("Quiet") is False, 10, "presenting no longer counts")


# ---- swaync -------------------------------------------------------------------------------


def test_swaync_prompt_shown_and_snoozed_with_its_button(desktop, sway, swaync):
    c, user = start_active(desktop, sway, PROMPT, sway.env)
    c.wait_signal("BreakDue", ["posture", 1], timeout=15)
    wait_for(lambda: swaync.count() == 1, 10, "the prompt in swaync")
    # The pop-up is drawn (and its buttons painted) a moment after it is counted.
    path = OUTPUT / "swaync-prompt.png"
    wait_for(lambda: len(buttons(shot(sway, "swaync-prompt.png"))) == 3, 15, "Start, Snooze and Skip on screen")
    check_drawn(path, (sway.WIDTH - 500, 0, sway.WIDTH, 250))
    start, snooze, skip = buttons(path)
    assert start[0] < snooze[0] < skip[0]
    sway.click((snooze[0] + snooze[2]) / 2, (snooze[1] + snooze[3]) / 2)
    wait_for(lambda: limber_breaks(desktop)["posture"]["state"] == "snoozed", 10, "snoozed")
    c.wait_signal("BreakDue", ["posture", 2], timeout=15)
    user.stop()


def test_swaync_do_not_disturb_defers_until_turned_off(desktop, sway, swaync):
    assert swaync.client("--dnd-on") == "true"
    c, user = start_active(desktop, sway, PROMPT.replace("idle-after = 10s", "idle-after = 10s\nmax-defer = 1h"),
                           sway.env)
    wait_for(lambda: quiet_source(c) == "swaync", 10, "quiet: swaync")
    wait_for(lambda: c.kind("posture")["state"] == "due", 10, "posture due")
    run_for(1.5)
    assert swaync.count() == 0  # not even sent
    swaync.client("--dnd-off")
    c.wait_signal("BreakDue", ["posture", 1], timeout=10)
    wait_for(lambda: swaync.count() == 1, 10, "the prompt once do-not-disturb is off")
    assert c.prop("Quiet") is False
    user.stop()


# ---- xfce4-notifyd ------------------------------------------------------------------------


def test_xfce_prompt_shown_and_snoozed_with_its_button(desktop, xfce):
    desktop.policy(PROMPT)
    desktop.add("mutter", "mutter_idlemonitor")  # someone at the keyboard
    desktop.start(extra_env={"DISPLAY": xfce.display})
    c = desktop.client
    wait_for(lambda: c.prop("Backend") == "mutter", 10, "the idle backend")
    c.wait_signal("BreakDue", ["posture", 1], timeout=15)
    path = OUTPUT / "xfce4-notifyd-prompt.png"
    OUTPUT.mkdir(parents=True, exist_ok=True)
    wait_for(lambda: len(buttons(xfce.screenshot(path))) == 3, 15, "Start, Snooze and Skip on screen")
    start, snooze, skip = buttons(path)
    check_drawn(path, (start[0] - 20, max(0, start[1] - 100), skip[2] + 20, skip[3] + 10))
    xfce.click((snooze[0] + snooze[2]) / 2, (snooze[1] + snooze[3]) / 2)
    wait_for(lambda: limber_breaks(desktop)["posture"]["state"] == "snoozed", 10, "snoozed")
    c.wait_signal("BreakDue", ["posture", 2], timeout=15)


def test_xfce_do_not_disturb_defers_until_turned_off(desktop, xfce):
    xfce.set("/do-not-disturb", "bool", "true")
    desktop.policy(PROMPT.replace("idle-after = 10s", "idle-after = 10s\nmax-defer = 1h"))
    desktop.add("mutter", "mutter_idlemonitor")
    desktop.start(extra_env={"DISPLAY": xfce.display})
    c = desktop.client
    wait_for(lambda: quiet_source(c) == "xfce", 10, "quiet: xfce")
    wait_for(lambda: c.kind("posture")["state"] == "due", 10, "posture due")
    run_for(1.0)
    assert not any(m == "BreakDue" for m, _ in c.signals)
    xfce.set("/do-not-disturb", "bool", "false")
    c.wait_signal("BreakDue", ["posture", 1], timeout=10)
    assert c.prop("Quiet") is False


# ---- GNOME --------------------------------------------------------------------------------


def test_gnome_show_banners_false_defers(desktop, dconf):
    """GNOME's switch is followed while gnome-shell is the notification
    server (here a stand-in by that name; GSettings and dconf are real)."""
    dconf.gsettings("set", "org.gnome.desktop.notifications", "show-banners", "false")
    desktop.policy(PROMPT.replace("idle-after = 10s", "idle-after = 10s\nmax-defer = 1h"))
    notes = desktop.add("notify", "notifications", parameters={"server_name": "gnome-shell"})
    desktop.add("mutter", "mutter_idlemonitor")
    desktop.start(extra_env=dconf.env)
    c = desktop.client
    wait_for(lambda: quiet_source(c) == "gnome", 10, "quiet: gnome")
    wait_for(lambda: c.kind("posture")["state"] == "due", 10, "posture due")
    run_for(1.0)
    assert not notes.control().Showing()
    dconf.gsettings("set", "org.gnome.desktop.notifications", "show-banners", "true")
    wait_for(lambda: notes.control().Showing(), 10, "the prompt once banners are back")
    assert c.prop("Quiet") is False
    # And on again, while limberd runs.
    dconf.gsettings("set", "org.gnome.desktop.notifications", "show-banners", "false")
    wait_for(lambda: quiet_source(c) == "gnome", 10, "quiet: gnome again")


def test_gnome_show_banners_left_over_on_another_desktop_is_ignored(desktop, dconf):
    """A value left from a GNOME session holds no prompts under another
    notification server, and limberd reads no dconf there."""
    dconf.gsettings("set", "org.gnome.desktop.notifications", "show-banners", "false")
    desktop.policy(PROMPT)
    notes = desktop.add("notify", "notifications")
    desktop.add("mutter", "mutter_idlemonitor")
    desktop.start(extra_env=dconf.env)
    c = desktop.client
    wait_for(lambda: notes.control().Showing(), 10, "the prompt")
    assert c.prop("Quiet") is False
    # GSettings (and with it dconf's module) was never loaded.
    assert "libdconfsettings" not in pathlib.Path(f"/proc/{desktop.daemons[0].pid}/maps").read_text()


def test_list_backends_names_the_do_not_disturb_source(desktop, dconf):
    dconf.gsettings("set", "org.gnome.desktop.notifications", "show-banners", "false")
    desktop.add("notify", "notifications", parameters={"server_name": "gnome-shell"})
    r = subprocess.run([str(BUILD / "limberd"), "--list-backends", "--root", str(desktop.root)], env=dconf.env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1].startswith("do-not-disturb: gnome, "), r.stdout
