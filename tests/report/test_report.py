# SPDX-License-Identifier: MIT
"""limber report on the four-week fixture (tests/data/report): its figures
against the table the fixture was made from, a self-contained HTML page,
and that page as Chromium draws it: one A4 page, with the bars and the
flare days where the records put them. The PNG is kept as an artifact."""
import json
import re

import pytest
from PIL import Image

from conftest import FIXTURE, OUTPUT, limber

DAYS = json.loads((FIXTURE / "days.json").read_text())
UNTIL = "2026-11-29"


def hm(seconds):
    """limber's whole-minute durations: 2h17m, 45m, 3h."""
    m = (seconds + 30) // 60
    h, m = divmod(m, 60)
    return (f"{h}h" if h else "") + (f"{m}m" if m or not h else "")


def score(v):
    return "-" if v is None else f"{v:.1f}"


def test_day_by_day_figures(fixture_env):
    r = limber(fixture_env, "report", "--until", UNTIL, "--markdown")
    assert r.returncode == 0, r.stderr
    rows = re.findall(r"^\| (\w{3} \d\d-\d\d) \| (.*) \|$", r.stdout, re.M)
    assert len(rows) == 28
    for (label, cells), date in zip(rows, sorted(DAYS)):
        t = DAYS[date]
        active, longest, due, taken, snoozed, skipped, flare, pain, fatigue = [c.strip() for c in cells.split("|")]
        assert label.endswith(date[5:])
        assert active == (hm(t["active"]) if t["active"] else "-"), date
        assert longest == (hm(t["longest"]) if t["active"] else "-"), date
        assert [int(due), int(taken), int(snoozed), int(skipped)] == [t["due"], t["taken"], t["snoozed"],
                                                                      t["skipped"]], date
        assert flare == ("flare" if t["flare"] else "recovery" if t["recovery"] else ""), date
        assert pain == score(t["pain"]), date
        assert fatigue == score(t["fatigue"]), date


def test_summary_and_lagged_comparison(fixture_env):
    out = limber(fixture_env, "report", "--until", UNTIL).stdout
    dates = sorted(DAYS)
    active = [DAYS[d]["active"] for d in dates if DAYS[d]["active"]]
    assert f"Activity recorded on {len(active)} of 28 days, {hm(sum(active) // len(active))} a day on average" in out
    due, taken = sum(DAYS[d]["due"] for d in dates), sum(DAYS[d]["taken"] for d in dates)
    kept = sum(1 for d in dates if DAYS[d]["due"] and DAYS[d]["taken"] == DAYS[d]["due"] and not DAYS[d]["skipped"])
    with_due = sum(1 for d in dates if DAYS[d]["due"])
    assert f"{taken} of {due} breaks and rests taken when due ({taken * 100 // due}%)" in out
    assert f"All taken on {kept} of the {with_due} days with breaks due" in out
    assert "Flare days: 2026-11-16 to 2026-11-18; recovery days: 2026-11-19 to 2026-11-20." in out

    # Pain on the day after the most and the least active days (a third each).
    pairs = sorted((DAYS[d]["active"], d, DAYS[n]["pain"]) for d, n in zip(dates, dates[1:])
                   if DAYS[d]["active"] and DAYS[n]["pain"] is not None)
    g = len(pairs) // 3
    low, high = pairs[:g], pairs[-g:]
    expect = (f"On the day after the {g} most active days ({hm(high[0][0])} to {hm(high[-1][0])} active), pain "
              f"averaged {sum(p for _, _, p in high) / g:.1f}; on the day after the {g} least active days "
              f"({hm(low[0][0])} to {hm(low[-1][0])}), {sum(p for _, _, p in low) / g:.1f} ({len(pairs)} days had "
              "a pain check-in the day after). This sets days side by side; it does not show what causes what.")
    assert expect in out, out
    assert "not a diagnosis" in out

    # Too few days for the comparison: it says so.
    out = limber(fixture_env, "report", "--until", "2026-11-08", "--weeks", "1").stdout
    assert "Only 5 days with activity had a pain check-in the next day; at least 6 are needed" in out


def test_html_is_self_contained(fixture_env, tmp_path):
    page = tmp_path / "report.html"
    r = limber(fixture_env, "report", "--until", UNTIL, "--html", str(page))
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"The report is in {page}: one A4 page, to print or to open in a browser.\n"
    html = page.read_text()
    for banned in ("<script", "http://", "https://", "url(", "@import", "@font-face", "<link", "<img", "<iframe"):
        assert banned not in html.lower(), banned
    assert "@page { size: A4;" in html
    assert html.count('<rect class="active"') == sum(1 for d in DAYS.values() if d["active"])
    assert html.count('<rect class="flare"') == 2 and html.count('<rect class="recovery"') == 2
    assert html.count('<circle class="pain-pt"') == sum(1 for d in DAYS.values() if d["pain"] is not None)
    # Notes are the user's words: escaped.
    assert "<li><b>2026-11-25</b> good day, stopped on time</li>" in html
    for args in (["--weeks", "13"], ["--weeks", "0"], ["--html", str(page), "--markdown"], ["--until", "x"]):
        assert limber(fixture_env, "report", *args).returncode == 2, args


def runs(flags):
    """Runs of True in a list: (start, length)."""
    out, start = [], None
    for i, f in enumerate(flags + [False]):
        if f and start is None:
            start = i
        elif not f and start is not None:
            out.append((start, i - start))
            start = None
    return out


def near(px, rgb, tol=6):
    return all(abs(a - b) <= tol for a, b in zip(px[:3], rgb))


def test_rendered_by_chromium(fixture_env, browser, tmp_path):
    """The page as a browser draws it, kept in test-output/report/."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page = OUTPUT / "report.html"
    assert limber(fixture_env, "report", "--until", UNTIL, "--html", str(page)).returncode == 0
    png = browser.screenshot(page, OUTPUT / "report.png")
    img = Image.open(png).convert("RGB")
    assert img.size == (794, 1123)
    w, h = img.size
    px = img.load()

    # The active-time chart: a bar for each day with activity, in order.
    bar, flare, recovery = (143, 179, 211), (244, 211, 201), (251, 237, 207)
    rows = [y for y in range(h // 2) if sum(near(px[x, y], bar) for x in range(w)) > 40]
    assert rows, "no bars drawn"
    base = max(rows)  # the row just above the axis: every bar reaches it
    # The bars' two blues, and the blends at their edges.
    cols = [px[x, base][2] > px[x, base][0] + 25 for x in range(w)]
    assert len(runs(cols)) == sum(1 for d in DAYS.values() if d["active"])

    # Three flare days, then two recovery days, side by side, behind the bars.
    top = min(rows)
    fl = runs([near(px[x, top], flare) for x in range(w)])
    rc = runs([near(px[x, top], recovery) for x in range(w)])
    assert len(fl) == 1 and len(rc) == 1, (fl, rc)
    assert fl[0][0] + fl[0][1] == pytest.approx(rc[0][0], abs=2)
    assert fl[0][1] / rc[0][1] == pytest.approx(3 / 2, rel=0.05)

    # Pain and fatigue below: the pain line's colour, in the lower half.
    pain = sum(near(px[x, y], (176, 58, 46), 10) for x in range(0, w, 2) for y in range(h // 3, 3 * h // 4, 2))
    assert pain > 50
    # Nothing drawn past the page's foot: the bottom margin is white.
    assert all(px[x, y] == (255, 255, 255) for x in range(w) for y in range(h - 20, h))


@pytest.mark.parametrize("weeks", [1, 4, 12])
def test_prints_on_one_a4_page(fixture_env, browser, tmp_path, weeks):
    page = tmp_path / f"report-{weeks}.html"
    assert limber(fixture_env, "report", "--until", UNTIL, "--weeks", str(weeks), "--html", str(page)).returncode == 0
    pdf = browser.pdf(page, tmp_path / f"report-{weeks}.pdf")
    info = __import__("subprocess").run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    assert "(A4)" in info, info
    if weeks == 4:
        (OUTPUT / "report.pdf").write_bytes(pdf.read_bytes())
