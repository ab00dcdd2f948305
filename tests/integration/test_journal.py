# SPDX-License-Identifier: MIT
"""limber log and limber journal, offline: the record written (one line,
fsync'd, private), every machine's journal combined, JSON and CSV for
scripts, and the errors."""
import concurrent.futures
import datetime
import json
import os
import pathlib
import shutil
import stat

from conftest import SRCDIR, limber, write

FIXTURE = SRCDIR / "tests/data/report"
MACHINE_ID = pathlib.Path("/etc/machine-id").read_text().strip()


def journal_path(env):
    return pathlib.Path(env["XDG_STATE_HOME"]) / "limber" / f"journal.{MACHINE_ID}"


def test_log_writes_one_private_record(limber_env):
    r = limber(limber_env, "log", "pain", "5", "fatigue", "6", "slept", "badly")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Check-in recorded for ") and "pain 5/10, fatigue 6/10 and a note." in r.stdout
    path = journal_path(limber_env)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    lines = path.read_text().splitlines()
    assert lines[0].startswith(f"# limber journal of machine {MACHINE_ID} (")
    assert lines[1].endswith(' pain=5 fatigue=6 source=cli note="slept badly"'), lines[1]
    assert len(lines) == 2

    # Either score alone, a note alone; a note may start with a word like pain.
    assert limber(limber_env, "log", "fatigue", "3").returncode == 0
    assert limber(limber_env, "log", "pain", "moved", "to", "the", "left").returncode == 0
    assert limber(limber_env, "log", "--", "-2", "degrees", 'and "icy"').returncode == 0
    lines = path.read_text().splitlines()
    assert lines[2].endswith(" fatigue=3 source=cli")
    assert lines[3].endswith(' source=cli note="pain moved to the left"')
    assert lines[4].endswith(' source=cli note="-2 degrees and \\"icy\\""')


def test_log_at_a_past_time(limber_env):
    r = limber(limber_env, "log", "--at", "2026-11-20 18:30", "pain", "4")
    assert r.returncode == 0, r.stderr
    assert "Check-in recorded for 2026-11-20 18:30: pain 4/10." in r.stdout
    assert "2026-11-20T18:30:00+00:00 pain=4 source=cli" in journal_path(limber_env).read_text()
    # HH:MM is today; a time still to come is refused.
    now = datetime.datetime.now(datetime.timezone.utc)
    r = limber(limber_env, "log", "--at", (now + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"), "pain", "1")
    assert r.returncode == 2 and "is in the future" in r.stderr


def test_log_errors(limber_env):
    for args, message in [(["pain", "11"], "pain takes a whole number from 0 to 10, not '11'"),
                          (["fatigue", "4.5"], "fatigue takes a whole number from 0 to 10, not '4.5'"),
                          (["pain", "-1"], "pain takes a whole number from 0 to 10, not '-1'"),
                          ([], "say how you are"),
                          (["--at", "yesterday", "pain", "1"], "--at takes HH:MM or YYYY-MM-DD HH:MM"),
                          (["x" * 1001], "the note is too long"),
                          (["\x01"], "the note contains a control character")]:
        r = limber(limber_env, "log", *args)
        assert r.returncode == 2, (args, r.stderr)
        assert message in r.stderr, (args, r.stderr)
    assert not journal_path(limber_env).exists()


def test_log_reads_options_among_its_words(limber_env):
    """--at goes before, between or after the words (shortened, or with =),
    "--" makes the rest the note, and "pain -1" is still a score out of
    range, never an option; a usage error or --help writes nothing."""
    for args, message in [(["pain", "3", "--bogus"], "limber: log: unknown option '--bogus'"),
                          (["fatigue", "-2", "--at", "10:00"], "log: fatigue takes a whole number from 0 to 10, not '-2'"),
                          (["pain", "3", "--at"], "log: option '--at' needs a time")]:
        r = limber(limber_env, "log", *args)
        assert r.returncode == 2 and message in r.stderr, (args, r.stderr)
    r = limber(limber_env, "log", "pain", "3", "--help")
    assert r.returncode == 0 and r.stdout.startswith("Usage: limber log "), r.stderr
    assert not journal_path(limber_env).exists()

    for args in (["--at", "2026-11-20 18:30", "pain", "4", "stiff", "neck"],
                 ["pain", "4", "--at", "2026-11-20 18:30", "stiff", "neck"],
                 ["pain", "4", "stiff", "neck", "--at=2026-11-20 18:30"],
                 ["pain", "4", "stiff", "--a", "2026-11-20 18:30", "neck"]):
        r = limber(limber_env, "log", *args)
        assert r.returncode == 0, (args, r.stderr)
    r = limber(limber_env, "log", "--at", "2026-11-20 18:30", "pain", "4", "--", "--at", "-1")
    assert r.returncode == 0, r.stderr
    lines = journal_path(limber_env).read_text().splitlines()[1:]
    assert lines == ['2026-11-20T18:30:00+00:00 pain=4 source=cli note="stiff neck"'] * 4 + \
        ['2026-11-20T18:30:00+00:00 pain=4 source=cli note="--at -1"']


def test_concurrent_logs_never_interleave(limber_env):
    """Fifty processes at once: fifty whole lines, one header."""
    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        results = list(pool.map(lambda n: limber(limber_env, "log", "pain", str(n % 11), f"note {n} " + "x" * 300),
                                range(50)))
    assert all(r.returncode == 0 for r in results)
    lines = journal_path(limber_env).read_text().splitlines()
    assert sum(l.startswith("# limber journal") for l in lines) == 1
    assert len(lines) == 51
    r = limber(limber_env, "journal", "--json")
    assert r.returncode == 0, r.stderr
    notes = sorted(int(c["note"].split()[1]) for c in json.loads(r.stdout)["checkins"])
    assert notes == list(range(50))


def fixture_state(env):
    state = pathlib.Path(env["XDG_STATE_HOME"]) / "limber"
    state.mkdir(parents=True)
    for f in FIXTURE.glob("journal.*"):
        shutil.copy(f, state)
    return state


def test_journal_combines_machines(limber_env):
    fixture_state(limber_env)
    r = limber(limber_env, "journal", "--json", "--until", "2026-11-23", "--days", "2")
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)["checkins"]
    assert got == [
        {"time": "2026-11-22T18:00:00+00:00", "date": "2026-11-22", "pain": 2, "fatigue": 3,
         "note": "a walk, and no screens", "source": "cli", "machine": "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2",
         "host": "laptop"},
        {"time": "2026-11-23T19:00:00+00:00", "date": "2026-11-23", "pain": 3, "fatigue": 3, "note": None,
         "source": "check-in", "machine": "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1", "host": "desk"},
    ]
    # Sorted by time across files, also when a file is not.
    r = limber(limber_env, "journal", "--csv", "--until", "2026-11-04", "--days", "1")
    assert r.stdout.splitlines() == [
        "time,date,pain,fatigue,source,machine,host,note",
        "2026-11-04T11:50:00+00:00,2026-11-04,4,,prompt,a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1,desk,",
        "2026-11-04T19:00:00+00:00,2026-11-04,5,6,check-in,a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1,desk,",
    ]
    r = limber(limber_env, "journal", "--until", "2026-11-11", "--days", "1")
    assert r.stdout == ("2026-11-11  19:00  pain 6   fatigue 7   long meeting day, neck stiff by the evening  "
                        "(daily check-in)\n")
    r = limber(limber_env, "journal", "--until", "2000-01-01")
    assert r.stdout.startswith("No check-ins from 1999-12-19 on.")


def test_journal_reports_a_bad_line(limber_env):
    state = fixture_state(limber_env)
    bad = write(state / "journal.c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3", "2026-11-20T10:00:00+00:00 pain=12\n")
    r = limber(limber_env, "journal")
    assert r.returncode == 1
    assert r.stderr == f"limber: {bad}:1: pain is a whole number from 0 to 10: '12'\n"
    for args in (["--days", "0"], ["--json", "--csv"], ["--until", "2026-13-01"], ["extra"]):
        assert limber(limber_env, "journal", *args).returncode == 2, args
