# SPDX-License-Identifier: MIT
"""What a person reads from `limber`, as one golden transcript: a scripted
session against the real limberd on a private bus, every command's stdout,
stderr and exit code, with times normalised. Changing a wording shows as a
diff of tests/data/transcript.txt; to accept one, run this test with
LIMBER_UPDATE_GOLDEN=1 and review the diff before committing it."""
import datetime
import os
import pathlib
import re
import subprocess

import pytest

from harness import BUILD, SRCDIR, wait_for

GOLDEN = SRCDIR / "tests/data/transcript.txt"

DAYS = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"


def normalise(text, tmp):
    text = text.replace(str(tmp), "$TMP")
    text = re.sub(r"\b\d{4}-\d\d-\d\d\b", "YYYY-MM-DD", text)
    text = re.sub(rf"\b{DAYS} \d\d:\d\d\b", "DDD HH:MM", text)
    text = re.sub(r"\b\d\d:\d\d\b", "HH:MM", text)
    text = re.sub(r"(?<![\w.])\d\d-\d\d\b", "MM-DD", text)  # the chart's dates
    # What the clock moves between runs: seconds, and the minutes of a
    # countdown that has started. Durations in whole minutes of the policy
    # ("every 20m") stay.
    text = re.sub(r"\b\d+s\b", "Ns", text)
    return text


class Transcript:
    def __init__(self, desktop):
        self.desktop = desktop
        self.out = []

    def scene(self, title):
        self.out.append(f"## {title}\n")

    def run(self, *args, expect=None):
        r = subprocess.run([str(BUILD / "limber"), *args], env=self.desktop.env, capture_output=True, text=True,
                           timeout=30)
        if expect is not None:
            assert r.returncode == expect, (args, r.returncode, r.stdout, r.stderr)
        block = [f"$ limber {' '.join(args)}"]
        block += r.stdout.splitlines()
        block += [f"stderr: {line}" for line in r.stderr.splitlines()]
        if r.returncode:
            block.append(f"[exit {r.returncode}]")
        self.out.append(normalise("\n".join(block), self.desktop.tmp) + "\n")
        return r

    def text(self):
        return "\n".join(self.out)


def restart(desktop, policy):
    """limberd again, on the same buses, with another policy."""
    for d in desktop.daemons:
        if d.alive():
            d.stop()
    desktop.daemons.clear()
    if desktop.client:
        desktop.client.close()
        desktop.client = None
    desktop.policy(policy)
    return desktop.start()


def state(desktop, kind):
    return desktop.client.kind(kind)["state"]


def history_today():
    """A history of yesterday and today, in this machine's local time."""
    today = datetime.date.today()
    yesterday = today - datetime.timedelta(days=1)
    lines = []
    for day in (yesterday, today):
        lines += [f"{day}T09:00:00 active", f"{day}T09:20:00 due posture worked=20m",
                  f"{day}T09:21:00 idle", f"{day}T09:21:30 taken posture worked=21m overdue=1m30s",
                  f"{day}T09:25:00 active", f"{day}T09:50:00 due movement worked=50m",
                  f"{day}T09:50:05 snoozed movement span=10m", f"{day}T10:00:00 skipped movement",
                  f"{day}T10:05:00 idle"]
    return "\n".join(lines) + "\n"


# The same session in the C locale with German asked for (C ignores
# LANGUAGE: byte for byte the golden transcript), and in German (kept for
# review in the test output, with the same exit codes as in English).
LOCALES = {
    "english": {},
    "c-ignores-language": {"LANG": "C", "LANGUAGE": "de"},
    "german": {"LANG": "C.UTF-8", "LANGUAGE": "de"},
}


@pytest.mark.parametrize("locale", LOCALES)
def test_golden_transcript(desktop, locale):
    desktop.env.update(LOCALES[locale], LIMBER_LOCALEDIR=str(BUILD / "locale"))
    t = Transcript(desktop)

    t.scene("No limberd running")
    t.run("status", expect=3)
    t.run("snooze", expect=3)

    t.scene("A new day: every break waiting")
    restart(desktop, "[pacing]\nenabled = yes\nquota = 40m\nrest = 10m\ndaily-limit = 4h\n")
    t.run("status", expect=0)
    t.run("status", "--help", expect=0)
    t.run("snooze")
    t.run("skip")
    t.run("resume", expect=0)

    t.scene("A break started by hand")
    t.run("break", "posture", expect=0)
    wait_for(lambda: state(desktop, "posture") == "on-break", 10, "the posture break")
    t.run("status", expect=0)
    t.run("skip", "posture")
    t.run("break", "nonsense")

    t.scene("Pause and resume")
    t.run("pause", "1h", expect=0)
    t.run("status", expect=0)
    t.run("pause", "--until", "soon")
    t.run("resume", expect=0)
    t.run("resume", expect=0)

    t.scene("A flare")
    t.run("flare", "on", expect=0)
    t.run("status", expect=0)
    t.run("flare", "off", expect=0)
    t.run("flare", "maybe")

    t.scene("A break comes due, and is snoozed")
    restart(desktop, "[posture]\ninterval = 3s\nduration = 1m\n[movement]\nenabled = no\n")
    wait_for(lambda: state(desktop, "posture") == "due", 15, "posture due")
    t.run("status", expect=0)
    t.run("snooze", "10m", expect=0)
    t.run("status", expect=0)
    t.run("snooze", "2h")

    t.scene("Pacing off, and a flare asked for")
    restart(desktop, "[pacing]\nenabled = no\n")
    t.run("flare", "on")
    t.run("status", expect=0)

    t.scene("Outside working hours")
    now = datetime.datetime.now()
    day = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[(now.weekday() + 2) % 7]
    restart(desktop, f"[general]\nwork-hours = {day} 09:00-17:00\n")
    t.run("status", expect=0)

    t.scene("The daily limit reached")
    restart(desktop, "[posture]\nenabled = no\n[movement]\nenabled = no\n"
                     "[pacing]\nenabled = yes\nquota = 1h\ndaily-limit = 2s\n")
    wait_for(lambda: desktop.client.status()["limit_reached"], 15, "the daily limit")
    t.run("status", expect=0)

    t.scene("Settings")
    restart(desktop, "[posture]\ninterval = 20m\n")
    t.run("set", "posture.interval", "25m", expect=0)
    t.run("set", "posture.interval", "5x")
    t.run("set", "posture.nonsense", "1")
    t.run("unset", "posture.interval", expect=0)
    t.run("unset", "posture.interval")
    t.run("set", "pacing.quota", "1h 10m", expect=0)
    t.run("policy", "show", expect=0)

    t.scene("A week of history")
    hist = desktop.tmp / "history"
    hist.write_text(history_today())
    t.run("stats", "--days", "2", "--history", str(hist), expect=0)
    t.run("stats", "--days", "0")

    text = t.text()
    if locale == "german":
        out = pathlib.Path(os.environ.get("LIMBER_TEST_OUTPUT", BUILD / "test-output")) / "transcript-de.txt"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)
        english = GOLDEN.read_text()
        exits = re.compile(r"^(\$ limber .*|\[exit \d+\])$", re.M)
        assert exits.findall(text) == exits.findall(english)
        lines, theirs = set(english.splitlines()), text.splitlines()
        assert sum(line not in lines for line in theirs) > len(theirs) // 3, "hardly anything is German"
        return
    if os.environ.get("LIMBER_UPDATE_GOLDEN") and locale == "english":
        GOLDEN.write_text(text)
    want = GOLDEN.read_text()
    assert text == want, "the transcript changed: rerun with LIMBER_UPDATE_GOLDEN=1 and review the diff"
