# SPDX-License-Identifier: MIT
"""limber pacing baseline on the four-week fixture (tests/data/report):
which days it uses and why, the proposal (80 % of the medians), and that
it never changes the policy."""
import json
import pathlib
import re
import shutil

from conftest import SRCDIR, limber, write

FIXTURE = SRCDIR / "tests/data/report"
DAYS = json.loads((FIXTURE / "days.json").read_text())


def state(env, daily_limit=None):
    dest = pathlib.Path(env["XDG_STATE_HOME"]) / "limber"
    dest.mkdir(parents=True)
    for f in list(FIXTURE.glob("history.*")) + list(FIXTURE.glob("journal.*")):
        shutil.copy(f, dest)
    policy = "[pacing]\nenabled = yes\nquota = 45m\n" + (f"daily-limit = {daily_limit}\n" if daily_limit else "")
    return write(pathlib.Path(env["XDG_CONFIG_HOME"]) / "limber/limber.ini", policy)


def median(v):
    v = sorted(v)
    return v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2


def test_baseline_on_the_fixture(limber_env):
    policy = state(limber_env, "4h")
    before = policy.read_text()
    r = limber(limber_env, "pacing", "baseline", "--until", "2026-11-29")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    window = [d for d in sorted(DAYS) if "2026-11-16" <= d <= "2026-11-29"]
    pains = [DAYS[d]["pain"] for d in window if DAYS[d]["pain"] is not None]
    assert f"(your median pain: {median(pains):g})" in out
    used = []
    for d in window:
        t = DAYS[d]
        line = re.search(rf"^  {d} .*$", out, re.M).group(0)
        if t["active"] < 600:
            assert "not used: no activity recorded" in line or "under 10 minutes" in line, line
        elif t["flare"]:
            assert line.endswith("not used: a flare day"), line
        elif t["recovery"]:
            assert line.endswith("not used: recovering from a flare"), line
        elif t["pain"] is not None and t["pain"] > median(pains):
            assert line.endswith("not used: pain above your median"), line
        else:
            assert line.endswith("used"), line
            used.append(d)
    assert used == ["2026-11-21", "2026-11-23", "2026-11-24", "2026-11-25", "2026-11-27", "2026-11-28"]
    quota = int(median([DAYS[d]["longest"] for d in used]) * 0.8) // 60
    limit = int(median([DAYS[d]["active"] for d in used]) * 0.8) // 60
    assert (quota, limit) == (32, 116)
    assert "  limber set pacing.quota 32m\n  limber set pacing.daily-limit 1h56m\n" in out
    assert "Nothing was changed" in out
    assert "stopping on time, every day, is the heart of pacing" in out
    assert policy.read_text() == before

    # Without a daily limit in use, only the quota is proposed.
    policy.write_text("[pacing]\nenabled = yes\n")
    out = limber(limber_env, "pacing", "baseline", "--until", "2026-11-29").stdout
    assert "limber set pacing.quota 32m" in out and "daily-limit" not in out


def test_too_few_calm_days_propose_nothing(limber_env):
    state(limber_env)
    r = limber(limber_env, "pacing", "baseline", "--until", "2026-11-22", "--days", "7")
    assert r.returncode == 0, r.stderr
    assert "1 calm day with activity: limber needs at least 4 to propose a baseline, so it proposes nothing yet." \
        in r.stdout
    assert "limber set" not in r.stdout


def test_baseline_errors(limber_env):
    for args in (["baseline", "--days", "0"], ["baseline", "--until", "soon"], ["baseline", "x"], ["nonsense"], []):
        assert limber(limber_env, "pacing", *args).returncode == 2, args
