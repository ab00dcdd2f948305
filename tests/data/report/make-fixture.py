#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Writes the four-week fixture of limber report and limber pacing baseline:
two machines' histories and a journal in this directory, from the table of
days below (days.json keeps the table, so that tests compare what the
commands print with what went in).

Someone paces their work with chronic neck and shoulder pain (quota 40m,
10-minute rests, daily limit 4h). On Monday 2026-11-16 a flare begins:
'flare on 3d' with two recovery days (pacing.flare-recovery = 2). Blocks of
activity are separated by rests of at least 10 minutes; a short pause inside
a block (under idle-after) still counts as active. Times are UTC: run the
commands with TZ=UTC.

Run it again after changing the table: ./make-fixture.py
"""
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
DESKTOP = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"
LAPTOP = "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2"

# date: blocks as (machine, "HH:MM", minutes), then pain, fatigue (None: no
# check-in that day), and the outcome of each due rest in order
# (t: taken, s: snoozed once then taken, k: skipped).
DAYS = {
    "2026-11-02": ([("D", "09:00", 50), ("D", "10:05", 45), ("D", "11:05", 40), ("L", "14:00", 35)], 3, 4, "tts"),
    "2026-11-03": ([("D", "09:00", 45), ("D", "10:00", 45), ("D", "11:00", 45), ("D", "13:30", 45)], 4, 4, "tttt"),
    "2026-11-04": ([("D", "09:00", 55), ("D", "10:10", 50), ("D", "11:15", 50), ("D", "13:30", 60)], 5, 6, "tskt"),
    "2026-11-05": ([("D", "09:00", 40), ("D", "10:00", 40), ("L", "13:00", 40)], 6, 6, "ttt"),
    "2026-11-06": ([("D", "09:30", 45), ("D", "10:30", 40), ("D", "13:00", 45)], 4, 5, "ttt"),
    "2026-11-07": ([("L", "10:00", 30)], None, None, ""),
    "2026-11-08": ([], 3, 3, ""),
    "2026-11-09": ([("D", "09:00", 45), ("D", "10:00", 45), ("D", "11:00", 40), ("D", "13:30", 45)], 3, 4, "tttt"),
    "2026-11-10": ([("D", "09:00", 60), ("D", "10:15", 60), ("D", "11:30", 50), ("L", "14:00", 60)], 4, 5, "skts"),
    "2026-11-11": ([("D", "09:00", 70), ("D", "10:25", 65), ("D", "13:00", 60), ("D", "14:15", 50)], 6, 7, "kskt"),
    "2026-11-12": ([("D", "09:00", 65), ("D", "10:20", 60), ("L", "13:00", 70), ("L", "14:30", 45)], 7, 7, "sktt"),
    "2026-11-13": ([("D", "09:00", 75), ("D", "10:30", 60), ("D", "13:00", 55)], 8, 8, "kst"),
    "2026-11-14": ([], 8, 8, ""),
    "2026-11-15": ([("L", "11:00", 20)], 7, 7, ""),
    # The flare: 20-minute quotas, daily limit 2h.
    "2026-11-16": ([("D", "09:00", 20), ("D", "09:35", 20), ("D", "10:10", 20), ("D", "13:00", 20)], 8, 8, "tttt"),
    "2026-11-17": ([("D", "09:30", 20), ("D", "10:05", 20), ("D", "13:00", 20)], 7, 8, "ttt"),
    "2026-11-18": ([("D", "09:30", 20), ("D", "10:05", 20), ("D", "10:40", 20), ("D", "13:30", 20)], 6, 7, "tttt"),
    # Recovery: 26m (66 %), then 33m (83 %).
    "2026-11-19": ([("D", "09:00", 26), ("D", "09:40", 26), ("D", "10:20", 26), ("L", "13:30", 26)], 5, 6, "tttt"),
    "2026-11-20": ([("D", "09:00", 33), ("D", "09:45", 33), ("D", "10:30", 33), ("D", "13:30", 33)], 4, 5, "tttt"),
    "2026-11-21": ([("L", "10:00", 40)], 3, 4, ""),
    "2026-11-22": ([], None, None, ""),
    "2026-11-23": ([("D", "09:00", 40), ("D", "09:55", 40), ("D", "10:50", 40), ("D", "13:30", 40)], 3, 3, "tttt"),
    "2026-11-24": ([("D", "09:00", 42), ("D", "10:00", 41), ("D", "11:00", 40), ("L", "13:30", 42)], 3, 4, "tttt"),
    "2026-11-25": ([("D", "09:00", 45), ("D", "10:00", 44), ("D", "11:00", 42), ("D", "13:30", 41)], 2, 3, "tttt"),
    "2026-11-26": ([("D", "09:00", 50), ("D", "10:05", 45), ("D", "11:05", 48), ("D", "13:30", 50)], 4, 4, "tsts"),
    "2026-11-27": ([("D", "09:00", 44), ("D", "10:00", 43), ("D", "13:00", 45)], 3, 3, "ttt"),
    "2026-11-28": ([("L", "10:30", 35)], 2, 3, ""),
    "2026-11-29": ([], 2, 2, ""),
}
FLARE = {"2026-11-16": 1, "2026-11-17": 2, "2026-11-18": 3, "2026-11-19": 4, "2026-11-20": 5}
SCALE = {1: 50, 2: 50, 3: 50, 4: 66, 5: 83}
NOTES = {"2026-11-11": "long meeting day, neck stiff by the evening",
         "2026-11-13": "flare starting? shoulders burning",
         "2026-11-16": "flare plan on, kept to short blocks",
         "2026-11-20": "better; kept to the plan",
         "2026-11-25": "good day, stopped on time"}


def hm(t):
    h, m = t.split(":")
    return int(h) * 60 + int(m)


def stamp(date, minutes, seconds=0):
    return f"{date}T{minutes // 60:02d}:{minutes % 60:02d}:{seconds:02d}+00:00"


def main():
    lines = {DESKTOP: [f"# limber history of machine {DESKTOP} (desk)"],
             LAPTOP: [f"# limber history of machine {LAPTOP} (laptop)"]}
    journal = [f"# limber journal of machine {DESKTOP} (desk)"]
    truth = {}
    for date, (blocks, pain, fatigue, outcomes) in DAYS.items():
        day = FLARE.get(date)
        quota = 40 * SCALE[day] // 100 if day else 40
        out = iter(outcomes)
        due = taken = snoozed = skipped = 0
        for b, (m, start, minutes) in enumerate(blocks):
            machine = DESKTOP if m == "D" else LAPTOP
            t0 = hm(start)
            ev = lines[machine]
            if b == 0 and date == "2026-11-16":
                ev.append(f"{stamp(date, t0)} active")
                ev.append(f"{stamp(date, t0)} flare on 3d")
                ev.append(f"{stamp(date, t0)} flare pacing on=1 day=1 days=3 recovery=2 scale=50")
            elif b == 0 and day:
                ev.append(f"{stamp(date, 4 * 60)} flare pacing on=1 day={day} days=3 recovery=2 scale={SCALE[day]}")
                ev.append(f"{stamp(date, t0)} active")
            else:
                ev.append(f"{stamp(date, t0)} active")
            if b == 0 and date == "2026-11-21":
                pass
            # A 20-second pause inside the block: still active time.
            ev.append(f"{stamp(date, t0 + 7)} idle")
            ev.append(f"{stamp(date, t0 + 7, 20)} active")
            if minutes >= quota and outcomes:
                o = next(out)
                due += 1
                ev.append(f"{stamp(date, t0 + quota)} due pacing worked={quota}m")
                if o == "s":
                    snoozed += 1
                    ev.append(f"{stamp(date, t0 + quota)} snooze pacing")
                    ev.append(f"{stamp(date, t0 + quota)} snoozed pacing span=5m count=1")
                if o == "k":
                    skipped += 1
                    ev.append(f"{stamp(date, t0 + quota + 1)} skip pacing")
                    ev.append(f"{stamp(date, t0 + quota + 1)} skipped pacing worked={quota + 1}m overdue=1m")
            ev.append(f"{stamp(date, t0 + minutes)} idle")
            if minutes >= quota and outcomes and o in "ts":
                taken += 1
                ev.append(f"{stamp(date, t0 + minutes + 10)} taken pacing worked={minutes}m overdue=10m")
        if date == "2026-11-21":  # the plan ended at the day's start
            lines[LAPTOP].append(f"{stamp(date, 4 * 60)} flare pacing on=0 scale=100")
        if pain is not None:
            note = NOTES.get(date)
            rec = f"{stamp(date, 19 * 60)} pain={pain} fatigue={fatigue} source=check-in"
            journal.append(rec + (f' note="{note}"' if note else ""))
        pains = [pain] if pain is not None else []
        if date in ("2026-11-04", "2026-11-12", "2026-11-26"):
            journal.append(f"{stamp(date, 11 * 60 + 50)} pain={pain - 1} source=prompt")
            pains.append(pain - 1)
        truth[date] = {
            "active": sum(b[2] for b in blocks) * 60,
            "longest": max((b[2] for b in blocks), default=0) * 60,
            "due": due, "taken": taken, "snoozed": snoozed, "skipped": skipped,
            "flare": bool(day and day <= 3), "recovery": bool(day and day > 3),
            # the day's average, as limber report shows it
            "pain": sum(pains) / len(pains) if pains else None, "fatigue": fatigue,
        }
    # A check-in on the laptop, with a note, on a day without a machine's activity.
    laptop_journal = [f"# limber journal of machine {LAPTOP} (laptop)",
                      f'{stamp("2026-11-22", 18 * 60)} pain=2 fatigue=3 source=cli note="a walk, and no screens"']
    truth["2026-11-22"]["pain"], truth["2026-11-22"]["fatigue"] = 2, 3
    for m, ev in lines.items():
        (HERE / f"history.{m}").write_text("\n".join(ev) + "\n")
    (HERE / f"journal.{DESKTOP}").write_text("\n".join(journal) + "\n")
    (HERE / f"journal.{LAPTOP}").write_text("\n".join(laptop_journal) + "\n")
    (HERE / "days.json").write_text(json.dumps(truth, indent=1) + "\n")


if __name__ == "__main__":
    main()
