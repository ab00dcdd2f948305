# SPDX-License-Identifier: MIT
"""limber forget: every machine's history and journal, what it says it
deleted, all-or-nothing on a bad file, and limberd writing on while its
history is rewritten or removed under it."""
import datetime
import re
import shutil
import subprocess
import threading

import dbus

from harness import BUILD, SRCDIR, wait_for

FIXTURE = SRCDIR / "tests/data/report"


def limber(desktop, *args):
    return subprocess.run([str(BUILD / "limber"), *args], env=desktop.env, capture_output=True, text=True,
                          timeout=60)


def copy_fixture(desktop):
    state = desktop.tmp / "state/limber"
    state.mkdir(parents=True, exist_ok=True)
    for f in list(FIXTURE.glob("history.*")) + list(FIXTURE.glob("journal.*")):
        shutil.copy(f, state)
    return state


def records(path):
    return [l for l in path.read_text().splitlines() if l and not l.startswith("#")]


def test_forget_before_a_date(desktop):
    state = copy_fixture(desktop)
    desk = state / "history.a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"
    total = len(records(desk))
    r = limber(desktop, "forget", "--before", "2026-11-16")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "Deleted everything recorded before 2026-11-16 (days begin at 04:00):",
        "  history: 248 lines over 12 days (2026-11-02 to 2026-11-15), from 2 machines",
        "  journal: 15 check-ins over 13 days (2026-11-02 to 2026-11-15), from 1 machine",
        "Kept from 2026-11-16 on: 247 history lines and 15 check-ins.",
    ]
    kept = records(desk)
    assert kept[0].startswith("2026-11-16T09:00:00+00:00 ")
    assert all(l >= "2026-11-16" for l in kept)
    assert desk.read_text().startswith("# limber history of machine a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1 (desk)\n")
    assert 0 < len(kept) < total
    assert not list(state.glob("*.tmp.*"))
    # Nothing is left to delete before that day; stats still read what is kept.
    r = limber(desktop, "forget", "--before", "2026-11-16")
    assert r.stdout == "Nothing to delete: no history or journal records before 2026-11-16.\n"


def test_forget_all_and_a_bad_file(desktop):
    state = copy_fixture(desktop)
    bad = state / "journal.c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3"
    bad.write_text("2026-11-20T10:00:00+00:00 pain=12\n")
    before = {p.name: p.read_text() for p in state.iterdir()}
    r = limber(desktop, "forget", "--all")
    assert r.returncode == 1
    assert f"{bad}:1: pain is a whole number from 0 to 10: '12'; nothing was deleted" in r.stderr
    assert {p.name: p.read_text() for p in state.iterdir()} == before

    bad.unlink()
    r = limber(desktop, "forget", "--all")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "Deleted all of limber's history and journal:",
        "  history: 495 lines over 24 days (2026-11-02 to 2026-11-28), from 2 machines",
        "  journal: 30 check-ins over 27 days (2026-11-02 to 2026-11-29), from 2 machines",
        "limberd's state (today's counters, a pause, a flare plan) is kept.",
    ]
    assert list(state.iterdir()) == []
    for args in ([], ["--all", "--before", "2026-11-01"], ["--before", "yesterday"], ["extra"]):
        assert limber(desktop, "forget", *args).returncode == 2, args


def test_limberd_writes_on_after_forget(desktop):
    desktop.policy("[pacing]\nenabled = yes\n")
    desktop.start()
    c = desktop.client
    hist = desktop.history_path()
    wait_for(lambda: hist.exists() and " active" in hist.read_text(), 10, "limberd's first history line")
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()

    r = limber(desktop, "forget", "--before", tomorrow)
    assert r.returncode == 0, r.stderr
    assert not hist.exists()  # every line was older
    c.call("SetFlarePlan", dbus.UInt32(2))
    # The next line goes to a new file, which names the machine again.
    wait_for(lambda: hist.exists() and "flare on 2d" in hist.read_text(), 10, "the line after forget")
    assert hist.read_text().startswith("# limber history of machine ")

    # Rewritten under it (a rename): the next line lands in the new file.
    c.call("SetFlare", False)
    r = limber(desktop, "forget", "--all")
    assert r.returncode == 0 and "history: 4 lines over 1 day" in r.stdout, r.stdout
    c.call("SetFlarePlan", dbus.UInt32(3))
    assert re.search(r" flare on 3d\n", hist.read_text())


def test_no_line_is_lost_while_forget_runs(desktop):
    """limberd appends while forget rewrites: every line is either among the
    deleted or in the file."""
    desktop.policy("[pacing]\nenabled = yes\n")
    desktop.start()
    c = desktop.client
    hist = desktop.history_path()
    wait_for(lambda: hist.exists() and " active" in hist.read_text(), 10, "limberd's first history line")
    start = len(records(hist))
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    deleted = []
    pairs = 150

    def toggle():
        for _ in range(pairs):
            c.call("SetFlare", True)
            c.call("SetFlare", False)

    th = threading.Thread(target=toggle)
    th.start()
    try:
        # Three passes at random points while the calls go on.
        for _ in range(3):
            wait_for(lambda: len(records(hist)) > 20 if hist.exists() else False, 20, "lines to delete")
            r = limber(desktop, "forget", "--before", tomorrow)
            assert r.returncode == 0, r.stderr
            deleted.append(int(re.search(r"history: (\d+) lines?", r.stdout).group(1)))
    finally:
        th.join(120)
    # Each SetFlare writes the action and the scheduler's record of it.
    assert sum(deleted) + len(records(hist)) == start + 4 * pairs
