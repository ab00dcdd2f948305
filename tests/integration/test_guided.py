# SPDX-License-Identifier: MIT
"""Guided breaks on a (mock) notification server: the exercises a prompt
names, the steps of a started break in order (each with its picture and
progress), holds that pause while the user is at the keyboard, the "Break
over" notice, sounds, and the wakeups of a guided break.

The exercises come from a test catalogue with holds of seconds."""
import json
import os
import pathlib
import re
import shutil
import subprocess

import dbus

from harness import run_for, thread_switches, thread_wakeups, wait_for

# A tiny picture: the server gets its path, it need not draw it here.
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64"/></svg>\n'

EXERCISES = {
    "arm-reach": """[exercise]
id = arm-reach
title = Arm reach
kinds = movement
picture = arm-reach.svg
note = Stop if it hurts.

[step]
do = Reach both arms slowly overhead.
hold = 2s
""",
    "neck-turn": """[exercise]
id = neck-turn
title = Neck turn
kinds = movement
picture = neck-turn.svg

[step]
do = Turn your head slowly to the right.
hold = 3s
""",
    "shoulder-roll": """[exercise]
id = shoulder-roll
title = Shoulder roll
kinds = movement, posture
picture = shoulder-roll.svg

[step]
do = Roll your shoulders slowly back.
count = 2
each = 1s
""",
}

# Steps end at 2 s, 5 s and 7 s of time away; the break lasts 8 s, so the
# last second is the closing step.
POLICY = """[general]
idle-after = 1s
{general}
[posture]
enabled = no
[movement]
interval = 1s
duration = 8s
reprompt = 1h
exercises-per-break = 3
"""

TITLES = {"arm-reach": "Arm reach", "neck-turn": "Neck turn", "shoulder-roll": "Shoulder roll"}
HOLDS = {"arm-reach": "hold 2s", "neck-turn": "hold 3s", "shoulder-roll": "2 times"}


def catalogue(desktop, exercises=EXERCISES):
    """The test catalogue as the shipped layer (LIMBER_EXERCISES)."""
    d = desktop.tmp / "exercises"
    d.mkdir(exist_ok=True)
    for eid, text in exercises.items():
        (d / f"{eid}.exercise").write_text(text)
        (d / f"{eid}.svg").write_text(SVG)
    desktop.env["LIMBER_EXERCISES"] = str(d)
    return d


def updates(notes):
    return json.loads(str(notes.control().Updates()))


def guided_desktop(desktop, general=""):
    pics = catalogue(desktop)
    desktop.policy(POLICY.format(general=general))
    mutter = desktop.add("mutter", "mutter_idlemonitor")
    notes = desktop.add("notify", "notifications")
    d = desktop.start()
    wait_for(lambda: desktop.client.prop("Backend") == "mutter", 10, "the idle backend")
    return d, mutter, notes, pics


def due_prompt(notes):
    """The movement prompt and the exercises it names, in order."""
    wait_for(lambda: updates(notes), 10, "the prompt")
    prompt = updates(notes)[0]
    assert prompt["summary"] == "Time for a movement break"
    m = re.search(r"^Next: (.*)$", prompt["body"], re.M)
    assert m, prompt["body"]
    names = m.group(1).split(", ")
    ids = [next(i for i, t in TITLES.items() if t == name) for name in names]
    return prompt, ids


def start(desktop, notes, prompt):
    notes.control().Invoke(dbus.UInt32(prompt["id"]), "start")
    desktop.client.wait_state("movement", "on-break")


def step_updates(notes, after):
    return [u for u in updates(notes)[after:]]


def test_a_guided_break_step_by_step(desktop):
    d, mutter, notes, pics = guided_desktop(desktop)
    c = desktop.client

    # The prompt names the three exercises to come and shows the first one's picture.
    prompt, ids = due_prompt(notes)
    assert sorted(ids) == sorted(EXERCISES)
    assert prompt["image-path"] == str(pics / f"{ids[0]}.svg")
    assert prompt["actions"][0] == "start" and prompt["sound-name"] is None
    assert prompt["value"] is None

    start(desktop, notes, prompt)
    # At the keyboard, the first step waits for the user to step away.
    wait_for(lambda: len(updates(notes)) >= 2, 10, "the first step")
    first = updates(notes)[1]
    assert first["summary"] == f"1/3 · {TITLES[ids[0]]} — {HOLDS[ids[0]]}", first
    assert "Paused while you are at the keyboard" in first["body"]
    assert "start" not in first["actions"]

    mutter.control().GoIdle(dbus.UInt64(0))
    c.wait_signal("BreakEnded", ["movement", "taken"], timeout=30)
    wait_for(lambda: updates(notes)[-1]["summary"] == "Break over", 10, "the Break over notice")
    seen = updates(notes)[2:]

    # In order, one update per step: the first step again as it runs, then
    # each step as the one before ends, the closing step, and the notice.
    summaries = [u["summary"] for u in seen]
    wanted = [f"{i + 1}/3 · {TITLES[e]} — {HOLDS[e]}" for i, e in enumerate(ids)]
    assert summaries == wanted + ["Keep moving gently — 1s to go", "Break over"], summaries
    for u, e in zip(seen, ids):
        assert u["image-path"] == str(pics / f"{e}.svg"), u
        assert "Paused" not in u["body"]
        assert u["sound-name"] is None
        assert u["replaces"] == first["id"]  # in place
    arm = next(u for u in seen if u["summary"].endswith("Arm reach — hold 2s"))
    assert arm["body"] == "Reach both arms slowly overhead.\nStop if it hurts."  # the instruction and the note
    # Progress: where each step starts in the break's 8 s.
    starts = {"arm-reach": 2, "neck-turn": 3, "shoulder-roll": 2}
    at, values = 0, []
    for e in ids:
        values.append(at * 100 // 8)
        at += starts[e]
    assert [u["value"] for u in seen[:3]] == values
    assert seen[3]["value"] == 7 * 100 // 8 and seen[3]["image-path"] is None
    # The notice goes by itself, in place of the guided notification.
    over = seen[-1]
    assert over["expire"] > 0 and over["actions"] == [] and over["value"] is None
    assert over["replaces"] == first["id"]
    for e in ids:
        assert TITLES[e] in over["body"]


def test_a_hold_pauses_at_the_keyboard_and_goes_on(desktop):
    d, mutter, notes, pics = guided_desktop(desktop)
    c = desktop.client
    prompt, ids = due_prompt(notes)
    start(desktop, notes, prompt)
    mutter.control().GoIdle(dbus.UInt64(0))
    second = f"2/3 · {TITLES[ids[1]]}"
    wait_for(lambda: updates(notes)[-1]["summary"].startswith(second), 15, "the second step")

    # Back at the keyboard: the step stays, marked paused, and nothing moves on.
    mutter.control().Input()
    wait_for(lambda: "Paused" in updates(notes)[-1]["body"], 10, "the pause shown")
    paused = updates(notes)[-1]
    assert paused["summary"].startswith(second)
    left = c.kind("movement")["break_left"]
    n = len(updates(notes))
    run_for(3.5)  # longer than any hold: a running hold would have ended
    assert len(updates(notes)) == n
    assert c.kind("movement")["break_left"] == left
    assert c.kind("movement")["state"] == "on-break"

    # Away again: the same step goes on, then the rest of the break.
    mutter.control().GoIdle(dbus.UInt64(0))
    wait_for(lambda: updates(notes)[-1]["summary"].startswith(second) and "Paused" not in updates(notes)[-1]["body"],
             10, "the hold going on")
    c.wait_signal("BreakEnded", ["movement", "taken"], timeout=30)
    wait_for(lambda: updates(notes)[-1]["summary"] == "Break over", 10, "the Break over notice")
    after = [u["summary"] for u in updates(notes)[n + 1:]]
    assert after == [f"3/3 · {TITLES[ids[2]]} — {HOLDS[ids[2]]}", "Keep moving gently — 1s to go", "Break over"], after


def test_sounds_only_when_asked(desktop):
    """general.sounds = yes: a sound as the prompt comes up and one as the
    started break is over; none for the steps. TakeBreak guides too."""
    d, mutter, notes, pics = guided_desktop(desktop, "sounds = yes")
    c = desktop.client
    prompt, ids = due_prompt(notes)
    assert prompt["sound-name"] == "message-new-instant"
    c.call("TakeBreak", "movement")  # as `limber break movement` does
    c.wait_state("movement", "on-break")
    mutter.control().GoIdle(dbus.UInt64(0))
    c.wait_signal("BreakEnded", ["movement", "taken"], timeout=30)
    wait_for(lambda: updates(notes)[-1]["summary"] == "Break over", 10, "the Break over notice")
    sounds = [(u["summary"], u["sound-name"]) for u in updates(notes) if u["sound-name"]]
    assert sounds == [("Time for a movement break", "message-new-instant"), ("Break over", "complete")], sounds


def test_no_sounds_by_default(desktop):
    d, mutter, notes, pics = guided_desktop(desktop)
    c = desktop.client
    prompt, ids = due_prompt(notes)
    c.call("TakeBreak", "movement")
    mutter.control().GoIdle(dbus.UInt64(0))
    c.wait_signal("BreakEnded", ["movement", "taken"], timeout=30)
    wait_for(lambda: updates(notes)[-1]["summary"] == "Break over", 10, "the Break over notice")
    assert all(u["sound-name"] is None for u in updates(notes))


def test_a_skipped_break_is_not_over(desktop):
    """Skip while guided: the notification goes, with no "Break over"."""
    d, mutter, notes, pics = guided_desktop(desktop)
    c = desktop.client
    prompt, ids = due_prompt(notes)
    start(desktop, notes, prompt)
    wait_for(lambda: len(updates(notes)) >= 2, 10, "the first step")
    c.call("Skip", "movement")
    c.wait_signal("BreakEnded", ["movement", "skipped"])
    wait_for(lambda: not notes.control().Showing(), 10, "the guided notification withdrawn")
    assert all(u["summary"] != "Break over" for u in updates(notes))


def test_a_posture_break_takes_one_exercise_that_fits(desktop):
    """posture.duration = 3s: of the posture exercises, only the 2 s shoulder
    roll fits; a 30-s stretch is passed over."""
    ex = dict(EXERCISES)
    ex["long-stretch"] = EXERCISES["neck-turn"].replace("neck-turn", "long-stretch").replace(
        "kinds = movement", "kinds = posture").replace("hold = 3s", "hold = 30s")
    catalogue(desktop, ex)
    desktop.policy("[general]\nidle-after = 1s\n[posture]\ninterval = 1s\nduration = 3s\nreprompt = 1h\n"
                   "[movement]\nenabled = no\n")
    mutter = desktop.add("mutter", "mutter_idlemonitor")
    notes = desktop.add("notify", "notifications")
    desktop.start()
    c = desktop.client
    wait_for(lambda: updates(notes), 10, "the prompt")
    assert "\nNext: Shoulder roll\n" in updates(notes)[0]["body"]
    c.call("TakeBreak", "posture")
    mutter.control().GoIdle(dbus.UInt64(0))
    c.wait_signal("BreakEnded", ["posture", "taken"], timeout=20)
    wait_for(lambda: updates(notes)[-1]["summary"] == "Break over", 10, "the Break over notice")
    summaries = [u["summary"] for u in updates(notes)]
    assert "1/1 · Shoulder roll — 2 times" in summaries and "Breathe slowly — 1s to go" in summaries


def test_a_physiotherapists_exercises_and_a_reload(desktop):
    """The user's own exercises ($XDG_CONFIG_HOME/limber/exercises.d), chosen
    by the policy; an id that names none is a warning; a reload reads the
    catalogue again."""
    catalogue(desktop)
    user = desktop.tmp / "config/limber/exercises.d"
    user.mkdir(parents=True)
    # A shipped picture will do for one's own exercise.
    (user / "physio-bridge.exercise").write_text("[exercise]\nid = physio-bridge\ntitle = Physio bridge\n"
                                                 "kinds = movement\npicture = neck-turn.svg\n\n"
                                                 "[step]\ndo = Lie on your back and lift your hips.\nhold = 2s\n")
    policy = ("[general]\nidle-after = 1s\n[posture]\nenabled = no\n[movement]\ninterval = 1s\nduration = 8s\n"
              "reprompt = 1h\nexercises = physio-bridge, physio-missing\n")
    desktop.policy(policy)
    notes = desktop.add("notify", "notifications")
    d = desktop.start()
    c = desktop.client
    wait_for(lambda: updates(notes), 10, "the prompt")
    assert "\nNext: Physio bridge\n" in updates(notes)[0]["body"]
    assert updates(notes)[0]["image-path"] == str(pathlib.Path(desktop.env["LIMBER_EXERCISES"]) / "neck-turn.svg")
    assert re.search(r"limber\.ini:\d+: warning: .*physio-missing", d.log()), d.log()

    # The missing one is written; after a reload the next break draws on it.
    (user / "physio-missing.exercise").write_text("[exercise]\nid = physio-missing\ntitle = Physio stretch\n"
                                                  "kinds = movement\n\n[step]\ndo = Stretch.\nhold = 2s\n")
    c.call("Reload")
    c.signals.clear()
    c.call("Skip", "movement")
    c.wait_signal("BreakDue", ["movement", 1], timeout=10)
    wait_for(lambda: len([u for u in updates(notes) if u["summary"] == "Time for a movement break"]) >= 2, 10,
             "the next prompt")
    last = [u for u in updates(notes) if u["summary"] == "Time for a movement break"][-1]
    assert re.search(r"^Next: (Physio bridge, Physio stretch|Physio stretch, Physio bridge)$", last["body"], re.M), \
        last["body"]


def names(pid):
    out = {}
    for comm in pathlib.Path(f"/proc/{pid}/task").glob("*/comm"):
        try:
            out[comm.parent.name] = comm.read_text().strip()
        except FileNotFoundError:
            pass
    return out


def test_wakeups_of_a_guided_break(desktop):
    """No ticking: a started break wakes limberd at its step boundaries, for
    the user going away and for its end, and not in between; while the user
    is at the keyboard it does not wake it at all. `make bench` prints the
    figures (for the release build)."""
    ex = {e: text.replace("hold = 3s", "hold = 6s") for e, text in EXERCISES.items()}
    catalogue(desktop, ex)
    desktop.policy(POLICY.format(general="").replace("duration = 8s", "duration = 11s"))
    mutter = desktop.add("mutter", "mutter_idlemonitor")
    notes = desktop.add("notify", "notifications")
    d = desktop.start()
    c = desktop.client
    wait_for(lambda: c.prop("Backend") == "mutter", 10, "the idle backend")
    prompt, ids = due_prompt(notes)
    start(desktop, notes, prompt)
    wait_for(lambda: len(updates(notes)) >= 2, 10, "the first step")
    wait_for(lambda: len(mutter.calls("AddIdleWatch")) >= 2, 10, "the short idle watch")
    run_for(0.5)  # the start's own work settles

    # Started, at the keyboard: paused, nothing runs.
    before = thread_switches(d.pid)
    run_for(3)
    paused = thread_wakeups(before, thread_switches(d.pid))

    # Away: the steps, then the end. Inside the 6-s hold nothing happens.
    # (make bench also counts the main loop's wakeups: the blocking
    # epoll_wait calls of the main thread, under strace.)
    trace = desktop.tmp / "main-loop.strace"
    tracer = None
    if os.environ.get("LIMBER_BENCH_STRACE") and shutil.which("strace"):
        tracer = desktop.adopt(subprocess.Popen(["strace", "-qq", "-o", str(trace), "-e", "trace=epoll_wait",
                                                 "-p", str(d.pid)], stderr=subprocess.DEVNULL))
        wait_for(lambda: trace.exists(), 10, "strace")
    start_all = thread_switches(d.pid)
    mutter.control().GoIdle(dbus.UInt64(0))
    turn = next(i for i, e in enumerate(ids) if e == "neck-turn")
    wait_for(lambda: updates(notes)[-1]["summary"].startswith(f"{turn + 1}/3 · Neck turn")
             and "Paused" not in updates(notes)[-1]["body"], 15, "the 6-s hold running")
    run_for(0.5)
    before = thread_switches(d.pid)
    run_for(4)  # well inside the hold
    holding_after = thread_switches(d.pid)
    holding = thread_wakeups(before, holding_after)
    if holding > 1:
        print({t: (names(d.pid).get(t), n - before.get(t, 0)) for t, n in holding_after.items()})
    wait_for(lambda: updates(notes)[-1]["summary"] == "Break over", 20, "the Break over notice")
    running = thread_wakeups(start_all, thread_switches(d.pid))
    n_updates = len(updates(notes)) - 2  # from the first step running to the notice
    if tracer:
        # strace's stops are context switches too: here only its count.
        tracer.terminate()
        tracer.wait(10)
        loops = [l for l in trace.read_text().splitlines() if l.startswith("epoll_wait(") and not l.endswith(", 0) = 0")]
        print(f"\nguided movement break ({len(ids)} exercises and a closing step, 11 s away): limberd's main loop "
              f"woke {len(loops) - 1} times ({len(ids)} step boundaries, the user going away, the break's end)")
        assert len(loops) - 1 <= len(ids) + 2 + 2, loops
        return
    print(f"\nguided movement break ({len(ids)} exercises and a closing step, 11 s away): limberd woke "
          f"{running} times (context switches of all threads; {n_updates} notification updates), "
          f"{holding} in 4 s inside a hold; paused at the keyboard: {paused} in 3 s")
    assert paused <= 1, f"{paused} wakeups in 3 s while the started break was paused"
    assert holding <= 1, f"{holding} wakeups in 4 s inside a hold"
    # Each update is a D-Bus call on the notifier's thread (a handful of
    # switches between it, GDBus's worker and the main thread), and each of
    # the two engine events (away, the end) saves the state.
    assert running <= 12 * n_updates + 2 * 15, running


def test_the_steps_of_a_two_sided_stretch(desktop):
    """An exercise of two steps is one exercise: numbered as such, each side
    its own step, one after the other."""
    catalogue(desktop, {"side-stretch": """[exercise]
id = side-stretch
title = Side stretch
kinds = movement

[step]
do = Lean slowly to the right.
hold = 2s

[step]
do = Now to the left.
hold = 2s
"""})
    desktop.policy(POLICY.format(general="").replace("duration = 8s", "duration = 4s"))
    mutter = desktop.add("mutter", "mutter_idlemonitor")
    notes = desktop.add("notify", "notifications")
    desktop.start()
    c = desktop.client
    wait_for(lambda: updates(notes), 10, "the prompt")
    assert "\nNext: Side stretch\n" in updates(notes)[0]["body"]
    c.call("TakeBreak", "movement")
    mutter.control().GoIdle(dbus.UInt64(0))
    c.wait_signal("BreakEnded", ["movement", "taken"], timeout=20)
    wait_for(lambda: updates(notes)[-1]["summary"] == "Break over", 10, "the Break over notice")
    steps = [(u["summary"], u["body"].split("\n")[0]) for u in updates(notes)[1:] if "Paused" not in u["body"]]
    assert steps == [("1/1 · Side stretch (1/2) — hold 2s", "Lean slowly to the right."),
                     ("1/1 · Side stretch (2/2) — hold 2s", "Now to the left."),
                     ("Break over", "Your movement break is done: Side stretch.")], steps
