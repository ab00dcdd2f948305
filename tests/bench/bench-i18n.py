#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""limberd's memory in the C locale and in German, one run each: started on a
private bus with a notification server (python-dbusmock), a posture break
comes due and is prompted, a refused snooze (posture.max-snoozes = 0) is
answered in words (limberd's, in its language), and then its RSS and PSS
are read (/proc/PID/status, smaps_rollup). The catalogue is mapped when the
first translated message is looked up."""
import pathlib
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "integration"))
from harness import BUILD, Desktop, wait_for  # noqa: E402
from i18n_util import tr  # noqa: E402

POLICY = ("[general]\nidle-after = 1h\n[posture]\ninterval = 2s\nreprompt = 1h\nmax-snoozes = 0\n"
          "[movement]\nenabled = no\n")
REFUSAL = "no snoozes left for the posture break"


def memory(pid):
    rss = next(int(line.split()[1]) for line in open(f"/proc/{pid}/status") if line.startswith("VmRSS:"))
    pss = next(int(line.split()[1]) for line in open(f"/proc/{pid}/smaps_rollup") if line.startswith("Pss:"))
    maps = open(f"/proc/{pid}/maps").read()
    return rss, pss, "limber.mo" in maps


def run(extra):
    with tempfile.TemporaryDirectory() as tmp:
        desk = Desktop(tmp)
        try:
            desk.policy(POLICY)
            desk.add("notify", "notifications")
            env = dict(extra, LIMBER_LOCALEDIR=str(BUILD / "locale"))
            d = desk.start(extra_env=env)
            desk.client.wait_signal("BreakDue", ["posture", 1], timeout=20)
            wait_for(lambda: desk.client.kind("posture")["prompts"] >= 1, 10, "the prompt")
            # The client in the C locale: the refusal's words are limberd's.
            r = subprocess.run([str(BUILD / "limber"), "snooze"], env=desk.env, capture_output=True, text=True,
                               timeout=30)
            if r.returncode == 0:
                sys.exit(f"limberd did not refuse the snooze: {r.stdout}")
            return (*memory(d.pid), r.stderr.strip())
        finally:
            for f in desk.stop():
                print(f, file=sys.stderr)


def main():
    c = run({"LANG": "C.UTF-8"})
    de = run({"LANG": "C.UTF-8", "LANGUAGE": "de"})
    print(f"limberd, C locale:      RSS {c[0]:6d} KiB   PSS {c[1]:6d} KiB   catalogue mapped: {c[2]}")
    print(f"limberd, LANGUAGE=de:   RSS {de[0]:6d} KiB   PSS {de[1]:6d} KiB   catalogue mapped: {de[2]}")
    print(f"difference:             RSS {de[0] - c[0]:+6d} KiB   PSS {de[1] - c[1]:+6d} KiB")
    print(f"refused snooze, C locale:    {c[3]}")
    print(f"refused snooze, LANGUAGE=de: {de[3]}")
    if not de[2]:
        sys.exit("limberd did not load the German catalogue")
    if REFUSAL not in c[3] or tr("de", REFUSAL) not in de[3]:
        sys.exit("limberd did not answer the refused snooze in its language")


if __name__ == "__main__":
    main()
