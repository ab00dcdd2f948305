# SPDX-License-Identifier: MIT
"""`limberd --replay`: golden timelines, the JSON contract, and bad traces."""
import json

import pytest

from conftest import SRCDIR, binary, run, write

TRACES = SRCDIR / "tests/data/traces"
GOLDEN = sorted(p.stem for p in TRACES.glob("*.expected"))
EVENTS = {"due", "reprompt", "started", "taken", "natural", "snoozed", "skipped", "refused", "paused",
          "resumed", "deferred", "limit", "day", "flare", "hours", "dropped", "summary"}


def replay(env, trace, *extra):
    return run([binary("limberd"), "--replay", str(trace), *extra], env)


@pytest.mark.parametrize("name", GOLDEN)
def test_golden_timeline(limber_env, tmp_path, name):
    policy = TRACES / f"{name}.ini"
    extra = ["--policy", str(policy)] if policy.exists() else []
    trace = TRACES / f"{name}.trace"
    # A trace may name its time zone on its first line: "# TZ: Europe/Berlin".
    first = trace.read_text().split("\n", 1)[0]
    env = dict(limber_env, TZ=first[6:].strip()) if first.startswith("# TZ: ") else limber_env
    # An empty --root: the machine's own /etc/limber never changes the result.
    r = replay(env, trace, "--json", "--root", str(tmp_path), *extra)
    assert r.returncode == 0, r.stderr
    got = r.stdout.splitlines()
    want = (TRACES / f"{name}.expected").read_text().splitlines()
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, f"line {i + 1} of {name}.expected"
    assert len(got) == len(want)


def test_golden_files_exist():
    assert {"office-day", "pacing-flare", "pacing-flare-plan", "office-week", "split-shift", "night-shift",
            "dst-day"} <= set(GOLDEN)


@pytest.mark.parametrize("name", GOLDEN)
def test_json_contract(limber_env, name):
    policy = TRACES / f"{name}.ini"
    extra = ["--policy", str(policy)] if policy.exists() else []
    lines = replay(limber_env, TRACES / f"{name}.trace", "--json", *extra).stdout.splitlines()
    objs = [json.loads(l) for l in lines]
    for o in objs:
        assert o["event"] in EVENTS
        assert len(o["time"]) == 19 and o["time"][10] == "T"
        if o["event"] in ("due", "reprompt", "taken", "natural", "snoozed", "skipped", "limit", "started"):
            assert o["kind"] in ("posture", "movement", "pacing")
        if o["event"] == "refused":
            assert o["reason"]
    assert objs[-1]["event"] == "summary"
    assert all(o["event"] != "summary" for o in objs[:-1])
    times = [o["time"] for o in objs]
    assert times == sorted(times)
    summary = objs[-1]
    for kind, counts in summary["breaks"].items():
        assert counts["due"] == sum(1 for o in objs if o["event"] == "due" and o.get("kind") == kind)
        assert counts["taken"] == sum(1 for o in objs if o["event"] == "taken" and o.get("kind") == kind)
    assert summary["active"] == sum(d["active"] for d in summary["days"])


def test_office_day_highlights(limber_env):
    """Spot checks of the rules in the realistic office day (see its comments)."""
    objs = [json.loads(l) for l in replay(limber_env, TRACES / "office-day.trace", "--json").stdout.splitlines()]
    ev = [(o["time"][11:], o["event"], o.get("kind")) for o in objs]
    # 20 minutes of activity, the 20 s reading pause counted as active; the
    # prompt waits for the pause in typing at 09:15:05 (2 s of it)
    assert ev[0] == ("09:15:07", "due", "posture")
    # a 40 s spell after the prompt takes the break
    assert ("09:15:35", "taken", "posture") in ev
    # do-not-disturb defers, and max-defer (10m) caps the wait
    assert ("11:08:30", "deferred", "movement") in ev
    assert ("11:19:00", "due", "movement") in ev  # then 30 s for a pause in typing
    # locking the screen for lunch is a natural break for movement
    assert ("12:15:00", "natural", "movement") in ev
    # the timed pause resumes by itself
    assert ("14:30:00", "resumed", None) in ev
    # suspend counts as time away
    assert ("16:35:00", "taken", "movement") in ev


def test_flare_plan_highlights(limber_env):
    """Three flare days at 40 %, two recovery days at 60 % and 80 %, then
    100 %: the quota and the daily limit of each day (see the trace)."""
    name = "pacing-flare-plan"
    r = replay(limber_env, TRACES / f"{name}.trace", "--json", "--policy", str(TRACES / f"{name}.ini"))
    objs = [json.loads(l) for l in r.stdout.splitlines()]
    flares = [(o["time"][:10], o.get("day"), o["scale"]) for o in objs if o["event"] == "flare"]
    assert flares == [("2026-11-23", 1, 40), ("2026-11-24", 2, 40), ("2026-11-25", 3, 40), ("2026-11-26", 4, 60),
                      ("2026-11-27", 5, 80), ("2026-11-28", None, 100)]
    first_due = {}
    for o in objs:
        if o["event"] == "due":
            first_due.setdefault(o["time"][:10], o["worked"])
    assert list(first_due.values()) == [16 * 60] * 3 + [24 * 60, 32 * 60, 40 * 60]
    limits = [o["active"] for o in objs if o["event"] == "limit"]
    assert limits == [72 * 60] * 3 + [108 * 60, 144 * 60, 180 * 60]

    r = replay(limber_env, TRACES / f"{name}.trace", "--policy", str(TRACES / f"{name}.ini"))
    assert "2026-11-24T04:00:00  flare     pacing    flare day 2 of 3: quota and daily limit at 40%" in r.stdout
    assert "2026-11-26T04:00:00  flare     pacing    recovering, day 1 of 2: quota and daily limit at 60%" in r.stdout
    assert "2026-11-28T04:00:00  flare     pacing    off: quota and daily limit back to 100%" in r.stdout


def test_human_output_has_summary(limber_env):
    r = replay(limber_env, TRACES / "office-day.trace")
    assert r.returncode == 0
    assert "2026-11-23T09:15:07  due       posture   after 20m active" in r.stdout
    assert "Summary (to 2026-11-23T18:00:00)" in r.stdout
    assert "  2026-11-23  active 6h 16m" in r.stdout
    assert not any(l.endswith(" ") for l in r.stdout.splitlines())


BAD = [
    ("09:00 active\n", 1, "invalid time (use YYYY-MM-DDTHH:MM:SS or +DURATION): '09:00'"),
    ("2026-11-23T09:00:00 active\n2026-11-23T08:00:00 idle\n", 2, "time goes backwards"),
    ("+5m active\n", 1, "a relative time needs an earlier line"),
    ("2026-11-23T09:00:00 dance\n", 1, "unknown event: 'dance'"),
    ("2026-11-23T09:00:00 active\n+5m snooze\n", 2, "'snooze' needs a kind"),
    ("2026-11-23T09:00:00 active\n+5m snooze neck\n", 2, "unknown kind (use posture, movement, pacing or all): 'neck'"),
    ("2026-11-23T09:00:00 active\n+5m snooze posture 5 minutes\n", 2, "unexpected argument"),
    ("2026-11-23T09:00:00 active\n+5m pause -1m\n", 2, "invalid duration: '-1m'"),
    ("2026-11-23T09:00:00 active\n+5m flare maybe\n", 2, "expected on or off: 'maybe'"),
    ("2026-11-23T09:00:00 active\n+5m flare on 3\n", 2, "expected whole days from 1d to 30d: '3'"),
    ("2026-11-23T09:00:00 active\n+5m flare off 2d\n", 2, "only 'flare on' takes a number of days: '2d'"),
    ("2026-11-23T09:00:00 active extra\n", 1, "unexpected argument to 'active': 'extra'"),
    ("2026-02-30T09:00:00 active\n", 1, "no such time: '2026-02-30T09:00:00'"),
    ("2026-11-23T09:00:00\n", 1, "missing event after the time"),
    ("2026-11-23T09:00:00 active\n+5x idle\n", 2, "invalid relative time"),
]


@pytest.mark.parametrize("text,line,message", BAD)
def test_bad_trace_lines(limber_env, tmp_path, text, line, message):
    trace = write(tmp_path / "bad.trace", "# a comment\n\n" + text)
    r = replay(limber_env, trace)
    assert r.returncode == 1
    assert r.stdout == ""  # nothing is printed before the whole trace is read
    assert r.stderr.startswith(f"{trace}:{line + 2}: "), r.stderr
    assert message in r.stderr


# Prompts at once, for traces about other rules than the wait for a pause.
AT_ONCE = "[general]\nwait-for-lull = 0s\n"


def test_history_lines_replay(limber_env, tmp_path):
    """limberd's history (offsets, recorded outcomes) is a valid trace."""
    trace = write(tmp_path / "history", "\n".join([
        "2026-11-23T09:00:00+00:00 active",
        "2026-11-23T09:20:00+00:00 due posture worked=20m",
        "2026-11-23T09:21:00Z idle",
        "2026-11-23T09:21:30+00:00 taken posture overdue=1m30s",
        "2026-11-23T09:25:00+00:00 active",
        "2026-11-23T09:26:00+00:00 snooze all",
        "2026-11-23T09:26:00+00:00 refused all action=snooze reason=not-due",
        "2026-11-23T09:27:00+00:00 flare on",  # the user's action...
        "2026-11-23T09:27:00+00:00 flare pacing on=1",  # ...and the scheduler's record of it
        "2026-11-23T09:30:00+00:00 end",
    ]) + "\n")
    r = replay(limber_env, trace, "--json", "--policy",
               str(write(tmp_path / "p.ini", AT_ONCE + "\n[pacing]\nenabled = yes\nquota = 2h\n")))
    assert r.returncode == 0, r.stderr
    objs = [json.loads(l) for l in r.stdout.splitlines()]
    assert [(o["time"], o["event"]) for o in objs[:-1]] == [
        ("2026-11-23T09:20:00", "due"), ("2026-11-23T09:21:30", "taken"), ("2026-11-23T09:26:00", "refused"),
        ("2026-11-23T09:27:00", "flare")]  # once: the record line is not a second flare


def test_times_beyond_the_calendar(limber_env, tmp_path):
    """A relative time past the year 9999 is an error on its line, not an
    overflow."""
    trace = write(tmp_path / "far.trace", "9999-12-30T00:00:00 active\n+1d idle\n+366d active\n")
    r = replay(limber_env, trace)
    assert r.returncode == 1
    assert r.stderr.startswith(f"{trace}:3: the time is out of range (after the year 9999): '+366d'"), r.stderr


def test_history_across_a_clock_change(limber_env, tmp_path):
    """History lines are instants: where the clocks go back, local time
    repeats an hour; the lines in it are read, not refused."""
    trace = write(tmp_path / "history", "\n".join([
        "2026-10-25T02:30:00+02:00 active",
        "2026-10-25T02:50:00+02:00 due posture worked=20m",
        "2026-10-25T02:05:00+01:00 idle",  # an hour later, at an earlier local time
        "2026-10-25T02:40:00+01:00 active",
        "2026-10-25T03:00:00+01:00 end",
    ]) + "\n")
    r = replay(dict(limber_env, TZ="Europe/Berlin"), trace, "--json", "--policy", str(write(tmp_path / "p.ini", AT_ONCE)))
    assert r.returncode == 0, r.stderr
    objs = [json.loads(l) for l in r.stdout.splitlines()]
    assert ("2026-10-25T02:50:00", "due") in [(o["time"], o["event"]) for o in objs[:-1]]
    # A hand-written trace has no offsets: going back there is still an error.
    naive = write(tmp_path / "naive.trace", "2026-10-25T02:50:00 active\n2026-10-25T02:05:00 idle\n")
    r = replay(dict(limber_env, TZ="Europe/Berlin"), naive)
    assert r.returncode == 1 and "time goes backwards" in r.stderr


def test_missing_and_empty_trace(limber_env, tmp_path):
    r = replay(limber_env, tmp_path / "nope")
    assert r.returncode == 1 and "cannot read: No such file or directory" in r.stderr
    r = replay(limber_env, write(tmp_path / "empty", "# nothing\n"))
    assert r.returncode == 1 and "the trace has no events" in r.stderr


def test_replay_uses_policy_layers(limber_env, tmp_path):
    trace = write(tmp_path / "t", "2026-11-23T09:00:00 active\n2026-11-23T09:30:00 end\n")
    write(tmp_path / "config/limber/limber.ini", AT_ONCE + "[posture]\ninterval = 10m\n")
    objs = [json.loads(l) for l in replay(limber_env, trace, "--json").stdout.splitlines()]
    assert objs[0]["time"] == "2026-11-23T09:10:00" and objs[0]["event"] == "due"
    top = write(tmp_path / "top.ini", "[posture]\ninterval = 25m\n")
    objs = [json.loads(l) for l in replay(limber_env, trace, "--json", "--policy", str(top)).stdout.splitlines()]
    assert objs[0]["time"] == "2026-11-23T09:25:00"
    bad = write(tmp_path / "bad.ini", "[posture]\ninterval = soon\n")
    r = replay(limber_env, trace, "--policy", str(bad))
    assert r.returncode == 1
    assert f"{bad}:2: invalid duration for posture.interval" in r.stderr


def test_usage(limber_env):
    r = run([binary("limberd"), "--json"], limber_env)
    assert r.returncode == 2
    r = run([binary("limberd"), "--bogus"], limber_env)
    assert r.returncode == 2 and "unknown option '--bogus'" in r.stderr


def test_taken_needs_a_prompt(limber_env, tmp_path):
    """taken: satisfied after its prompt (a snooze since does not change
    that); natural: never prompted, as when do-not-disturb held it back."""
    trace = tmp_path / "t.trace"
    trace.write_text("2026-11-23T09:00:00 active\n"
                     "2026-11-23T09:20:00 snooze posture\n"
                     "2026-11-23T09:21:00 idle\n"
                     "2026-11-23T09:22:00 active\n"
                     "2026-11-23T09:30:00 dnd on\n"
                     "2026-11-23T09:43:00 idle\n"
                     "2026-11-23T09:44:00 end\n")
    policy = tmp_path / "p.ini"
    policy.write_text(AT_ONCE + "max-defer = 1h\n[movement]\nenabled = no\n")
    r = replay(limber_env, trace, "--json", "--root", str(tmp_path), "--policy", str(policy))
    assert r.returncode == 0, r.stderr
    events = [json.loads(l) for l in r.stdout.splitlines()]
    ends = [(e["time"][11:], e["event"]) for e in events if e["event"] in ("taken", "natural")]
    assert ends == [("09:21:30", "taken"), ("09:43:30", "natural")]
    posture = events[-1]["breaks"]["posture"]
    assert (posture["due"], posture["taken"], posture["natural"], posture["deferred"]) == (1, 1, 1, 1)


@pytest.mark.parametrize("trace,active", [
    # Spring forward: 01:30 to 03:30 local is one real hour.
    ("2026-03-29T01:30:00+01:00 active\n2026-03-29T03:30:00+02:00 idle\n2026-03-29T03:40:00+02:00 end\n", 3600),
    # Fall back: 02:05 (summer time) to 02:55 (winter time) is 1h50m.
    ("2026-10-25T02:05:00+02:00 active\n2026-10-25T02:55:00+01:00 idle\n2026-10-25T03:10:00+01:00 end\n", 6600),
    # Naive local times are this machine's: the same spring night.
    ("2026-03-29T01:30:00 active\n2026-03-29T03:30:00 idle\n2026-03-29T03:40:00 end\n", 3600),
])
def test_a_clock_change_in_the_trace_is_real_time(limber_env, tmp_path, trace, active):
    path = tmp_path / "t.trace"
    path.write_text(trace)
    env = dict(limber_env, TZ="Europe/Berlin")
    r = replay(env, path, "--json", "--root", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout.splitlines()[-1])["active"] == active


def test_the_day_ends_at_day_starts_local_time_on_a_short_day(limber_env, tmp_path):
    path = tmp_path / "t.trace"
    path.write_text("2026-03-28T20:00:00 active\n2026-03-28T20:30:00 idle\n2026-03-29T09:00:00 active\n"
                    "2026-03-29T09:10:00 end\n")
    r = replay(dict(limber_env, TZ="Europe/Berlin"), path, "--json", "--root", str(tmp_path))
    assert r.returncode == 0, r.stderr
    events = [json.loads(l) for l in r.stdout.splitlines()]
    assert [e["time"] for e in events if e["event"] == "day"] == ["2026-03-29T04:00:00"]
    assert events[-1]["days"] == [{"date": "2026-03-28", "active": 1800}, {"date": "2026-03-29", "active": 600}]
