#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Wall time of one `limber status --json` (the whole process) against a
running limberd on a private bus, next to one D-Bus round trip made by
busctl (also a whole process), over many runs. Prints medians and p90."""
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "integration"))
from harness import BUILD, Desktop, wait_for  # noqa: E402

RUNS = int(os.environ.get("RUNS", "200"))


def timed(cmd, env):
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        r = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - t0) * 1000)
        if r.returncode != 0:
            sys.exit(f"{cmd} failed with {r.returncode}")
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9)]


def main():
    with tempfile.TemporaryDirectory() as tmp:
        desk = Desktop(tmp)
        try:
            desk.start()
            env = dict(desk.env)
            env.pop("LIMBER_LOG_LEVEL", None)
            for cmd in ([str(BUILD / "limber"), "status", "--json"], [str(BUILD / "limber"), "status"]):
                med, p90 = timed(cmd, env)
                print(f"{' '.join(pathlib.Path(c).name if i == 0 else c for i, c in enumerate(cmd)):32s}"
                      f" median {med:6.2f} ms   p90 {p90:6.2f} ms   ({RUNS} runs)")
            busctl = ["busctl", "--user", "call", "org.limber.Limber1", "/org/limber/Limber1",
                      "org.limber.Limber1", "GetStatus"]
            med, p90 = timed(busctl, env)
            print(f"{'busctl call GetStatus':32s} median {med:6.2f} ms   p90 {p90:6.2f} ms   ({RUNS} runs)")
            ping = ["busctl", "--user", "call", "org.freedesktop.DBus", "/org/freedesktop/DBus",
                    "org.freedesktop.DBus", "GetId"]
            med, p90 = timed(ping, env)
            print(f"{'busctl call (bus daemon GetId)':32s} median {med:6.2f} ms   p90 {p90:6.2f} ms   ({RUNS} runs)")
        finally:
            for f in desk.stop():
                print(f, file=sys.stderr)


if __name__ == "__main__":
    main()
