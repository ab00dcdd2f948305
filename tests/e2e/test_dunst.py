# SPDX-License-Identifier: MIT
"""The prompt on screen, through dunst, and acted on as a person would."""
import json
import subprocess

import dbus
from PIL import Image

from harness import BUILD, wait_for

POLICY = """
[general]
idle-after = 1s
[posture]
interval = 2s
duration = 3s
snooze = 2s
reprompt = 1h
[movement]
enabled = no
"""


def limber_json(desktop):
    r = subprocess.run([str(BUILD / "limber"), "status", "--json"], env=desktop.env, capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 0, r.stderr
    return {b["kind"]: b for b in json.loads(r.stdout)["breaks"]}


def busy(region):
    """How much of a screen region is drawn on: the share of pixels that
    differ from its most common colour."""
    colors = region.getcolors(region.width * region.height)
    top = max(colors)[0]
    return 1 - top / (region.width * region.height)


def test_prompt_on_screen_snoozed_then_taken(desktop, screen):
    desktop.policy(POLICY)
    mutter = desktop.add("mutter", "mutter_idlemonitor")
    desktop.start(extra_env={"DISPLAY": screen.display})
    c = desktop.client
    wait_for(lambda: c.prop("Backend") == "mutter", 10, "the idle backend")

    # The posture prompt comes up in dunst, with its actions.
    c.wait_signal("BreakDue", ["posture", 1], timeout=10)
    wait_for(lambda: screen.displayed() == 1, 10, "the prompt on screen")
    shot = screen.screenshot("posture-prompt.png")
    img = Image.open(shot).convert("RGB")
    w, h = img.size
    notification = img.crop((w - 20 - 420, 20, w - 20, 20 + 60))
    background = img.crop((0, h - 200, 200, h))
    assert busy(notification) > 0.2, "the notification's region is blank"
    assert busy(background) < 0.01  # the rest of the screen is not

    # dunst's action menu (through its dmenu) picks Snooze.
    screen.want.write_text("snooze\n")
    screen.dunstctl("action", "0")
    wait_for(lambda: limber_json(desktop)["posture"]["state"] == "snoozed", 10, "limber status: snoozed")
    assert "Start" in screen.menu.read_text() and "Snooze" in screen.menu.read_text()
    wait_for(lambda: screen.displayed() == 0, 10, "the prompt closed after the action")

    # The snooze ends, the prompt is back; going idle for the duration takes
    # the break and closes it.
    c.wait_signal("BreakDue", ["posture", 2], timeout=10)
    wait_for(lambda: screen.displayed() == 1, 10, "the prompt again")
    mutter.control().GoIdle(dbus.UInt64(0))
    c.wait_signal("BreakEnded", ["posture", "taken"], timeout=10)
    wait_for(lambda: screen.displayed() == 0, 10, "the prompt closed after the break")
    assert limber_json(desktop)["posture"]["state"] == "waiting"


def test_dunst_do_not_disturb_defers(desktop, screen):
    desktop.policy(POLICY.replace("idle-after = 1s", "idle-after = 1s\nmax-defer = 1h"))
    # An active user: without an idle monitor, limberd would read the
    # untouched X server's IDLETIME and see nobody there.
    desktop.add("mutter", "mutter_idlemonitor")
    desktop.start(extra_env={"DISPLAY": screen.display})
    c = desktop.client
    wait_for(lambda: c.prop("Backend") == "mutter", 10, "the idle backend")
    screen.dunstctl("set-paused", "true")
    wait_for(lambda: c.prop("Quiet") is True, 10, "Quiet from dunst's paused")
    wait_for(lambda: c.kind("posture")["state"] == "due", 10, "due")
    assert screen.dunstctl("count", "waiting") == "0"  # not even queued in dunst
    screen.dunstctl("set-paused", "false")
    wait_for(lambda: screen.displayed() == 1, 10, "the prompt after do-not-disturb")
