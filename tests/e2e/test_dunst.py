# SPDX-License-Identifier: MIT
"""The prompt on screen, through dunst, and acted on as a person would."""
import pathlib
import re

import dbus
from PIL import Image

from harness import SRCDIR, limber_breaks, wait_for
from i18n_util import speaking, tr

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
    assert busy(notification) > 0.1, "the notification's region is blank"
    assert busy(background) < 0.01  # the rest of the screen is not

    # dunst's action menu (through its dmenu) picks Snooze.
    screen.want.write_text("snooze\n")
    screen.dunstctl("action", "0")
    wait_for(lambda: limber_breaks(desktop)["posture"]["state"] == "snoozed", 10, "limber status: snoozed")
    assert "Start" in screen.menu.read_text() and "Snooze" in screen.menu.read_text()
    wait_for(lambda: screen.displayed() == 0, 10, "the prompt closed after the action")

    # The snooze ends, the prompt is back; going idle for the duration takes
    # the break and closes it.
    c.wait_signal("BreakDue", ["posture", 2], timeout=10)
    wait_for(lambda: screen.displayed() == 1, 10, "the prompt again")
    mutter.control().GoIdle(dbus.UInt64(0))
    c.wait_signal("BreakEnded", ["posture", "taken"], timeout=10)
    wait_for(lambda: screen.displayed() == 0, 10, "the prompt closed after the break")
    assert limber_breaks(desktop)["posture"]["state"] == "waiting"


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


GUIDED = """
[general]
idle-after = 1s
[posture]
enabled = no
[movement]
interval = 2s
duration = 5m
reprompt = 1h
exercises = chest-doorway-stretch, calf-stretch, short-walk
"""

IDS = ("chest-doorway-stretch", "calf-stretch", "short-walk")
TITLES = {"chest-doorway-stretch": "Chest stretch in a doorway", "calf-stretch": "Calf stretch",
          "short-walk": "A short walk"}

# The pictograms' light tile (config/exercises/*.svg).
TILE = (0xf6, 0xf2, 0xea)


def tiled(region):
    """How many pixels of a region are the pictograms' tile colour."""
    return sum(n for n, (r, g, b) in region.getcolors(region.width * region.height)
               if abs(r - TILE[0]) + abs(g - TILE[1]) + abs(b - TILE[2]) < 12)


def watch_notify(desktop):
    """Every Notify call on the session bus, as (summary, hints), in order."""
    seen = []

    def on_message(conn, msg):
        if msg.get_member() == "Notify" and msg.get_interface() == "org.freedesktop.Notifications":
            args = msg.get_args_list()
            seen.append((str(args[3]), dict({str(k): v for k, v in args[6].items()}, body=str(args[4]))))

    conn = desktop.session.conn
    conn.add_match_string("type='method_call',interface='org.freedesktop.Notifications',member='Notify',"
                          "eavesdrop=true")
    conn.add_message_filter(on_message)
    return seen


def test_a_guided_break_on_screen(desktop, screen):
    """The prompt with its picture and what comes next, then a guided step
    with its picture and progress, as dunst draws them (screenshots kept)."""
    desktop.policy(GUIDED)
    mutter = desktop.add("mutter", "mutter_idlemonitor")
    seen = watch_notify(desktop)
    desktop.start(extra_env={"DISPLAY": screen.display})
    c = desktop.client
    wait_for(lambda: c.prop("Backend") == "mutter", 10, "the idle backend")

    c.wait_signal("BreakDue", ["movement", 1], timeout=10)
    wait_for(lambda: screen.displayed() == 1 and seen, 10, "the prompt on screen")
    summary, hints = seen[0]
    assert summary == "Time for a movement break"
    first = str(hints["image-path"])  # the first of the three, as the prompt's "Next:" line says
    assert first in [str(SRCDIR / f"config/exercises/{e}.svg") for e in IDS]
    title = TITLES[pathlib.Path(first).stem]

    def drawn(before, name="guided-step.png"):
        """A screenshot of the notification once it differs from `before`
        and shows a picture (the pictograms' tile), else None."""
        img = Image.open(screen.screenshot(name)).convert("RGB")
        w, h = img.size
        region = img.crop((w - 20 - 420, 20, w - 20, 20 + 300))
        return region if tiled(region) > 1000 and (before is None or region.tobytes() != before.tobytes()) else None

    # dunst draws the picture: the pictogram's tile is in the notification.
    prompt_img = wait_for(lambda: drawn(None, "guided-prompt.png"), 10, "the prompt's picture drawn")

    # Start, from dunst's action menu: the first step, waiting for the user
    # to step away; once away, it runs (the progress bar shows).
    screen.want.write_text("start\n")
    screen.dunstctl("action", "0")
    c.wait_state("movement", "on-break")

    def first_step(running):
        return [h for s, h in seen if s.startswith("1/") and title in s and ("Paused" not in h["body"]) == running]
    wait_for(lambda: first_step(False), 10, "the first step")
    waiting = wait_for(lambda: drawn(prompt_img), 10, "the first step drawn")
    mutter.control().GoIdle(dbus.UInt64(0))
    wait_for(lambda: first_step(True), 15, "the first step running")
    step = first_step(True)[0]
    assert str(step["image-path"]) == first and int(step["value"]) == 0
    wait_for(lambda: drawn(waiting, "guided-step.png"), 10, "the running step drawn")
    assert screen.displayed() == 1

    c.call("Skip", "movement")
    c.wait_signal("BreakEnded", ["movement", "skipped"])
    wait_for(lambda: screen.displayed() == 0, 10, "the step withdrawn")


def test_a_german_guided_prompt_on_screen(desktop, screen):
    """The same prompt for a user whose desktop speaks German: its title,
    body and buttons from po/de.po, the exercises' titles and steps from
    their files' [de] keys (screenshot kept)."""
    desktop.policy(GUIDED)
    mutter = desktop.add("mutter", "mutter_idlemonitor")
    seen = watch_notify(desktop)
    desktop.start(extra_env=speaking({"DISPLAY": screen.display}, "de"))
    c = desktop.client
    wait_for(lambda: c.prop("Backend") == "mutter", 10, "the idle backend")

    c.wait_signal("BreakDue", ["movement", 1], timeout=10)
    wait_for(lambda: screen.displayed() == 1 and seen, 10, "the prompt on screen")
    summary, hints = seen[0]
    assert summary == tr("de", "Time for a movement break")
    german = {e: re.search(r"^title\[de\] = (.*)$", (SRCDIR / f"config/exercises/{e}.exercise").read_text(),
                           re.M).group(1) for e in IDS}
    next_line = tr("de", "Next: %s").split("%s")[0]
    assert next_line in hints["body"] and all(t in hints["body"] for t in german.values()), hints["body"]
    assert "Next:" not in hints["body"]
    wait_for(lambda: busy(Image.open(screen.screenshot("guided-prompt-de.png")).convert("RGB").crop(
        (1280 - 20 - 420, 20, 1280 - 20, 20 + 60))) > 0.1, 10, "the German prompt drawn")

    # dunst's action menu lists the buttons in German; Start starts.
    screen.want.write_text("start\n")
    screen.dunstctl("action", "0")
    c.wait_state("movement", "on-break")
    menu = screen.menu.read_text()
    for button in ("Start", "Snooze"):
        assert tr("de", button, "button") in menu, menu
    first = pathlib.Path(str(hints["image-path"])).stem
    mutter.control().GoIdle(dbus.UInt64(0))
    step = wait_for(lambda: [(s, h) for s, h in seen if s.startswith("1/") and german[first] in s
                             and tr("de", "Paused while you are at the keyboard: step away to let it run.")
                             not in h["body"]], 15, "the first step, running, in German")
    do_de = re.search(r"^do\[de\] = (.*)$", (SRCDIR / f"config/exercises/{first}.exercise").read_text(),
                      re.M).group(1)
    assert do_de in step[0][1]["body"], step
    screen.screenshot("guided-step-de.png")
    c.call("Skip", "movement")
    c.wait_signal("BreakEnded", ["movement", "skipped"])
