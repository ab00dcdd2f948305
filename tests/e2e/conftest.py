# SPDX-License-Identifier: MIT
"""A real notification server on a real (virtual) screen: Xvfb, a private
session bus and dunst, each a child of the test, stopped by PID."""
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "integration"))
from harness import desktop_fixture, start_xvfb, stop_process, wait_for  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
OUTPUT = pathlib.Path(os.environ.get("LIMBER_TEST_OUTPUT", HERE.parents[1] / "build/test-output")) / "e2e"


class Screen:
    """Xvfb on a free display, and dunst drawing on it."""

    def __init__(self, desktop):
        tmp = desktop.tmp / "screen"
        tmp.mkdir()
        self.xvfb, self.display = start_xvfb("1280x1024x24")
        desktop.adopt(self.xvfb)
        self.env = dict(desktop.env, DISPLAY=self.display)
        # dunst hands its action menu to "dmenu": this stand-in picks the
        # line that matches the wanted action.
        self.want = tmp / "pick.want"
        self.want.write_text("snooze\n")
        pick = tmp / "pick.sh"
        pick.write_text(f"#!/bin/sh\ncat > {tmp}/menu.txt\ngrep -i -m1 \"$(cat {self.want})\" {tmp}/menu.txt\n")
        pick.chmod(0o755)
        self.menu = tmp / "menu.txt"
        rc = tmp / "dunstrc"
        rc.write_text(f"""[global]
    font = Monospace 12
    width = 420
    height = 400
    origin = top-right
    offset = 20x20
    frame_width = 2
    dmenu = {pick}
    # The exercise pictures (image-path), at the size they are drawn for.
    icon_position = left
    min_icon_size = 32
    max_icon_size = 64
[urgency_low]
    timeout = 0
[urgency_normal]
    background = "#285577"
    foreground = "#ffffff"
    timeout = 0
[urgency_critical]
    timeout = 0
""")
        self.dunst_log = open(tmp / "dunst.log", "w")
        self.dunst = desktop.adopt(subprocess.Popen(["dunst", "-conf", str(rc)], env=self.env,
                                                    stdout=self.dunst_log, stderr=subprocess.STDOUT))
        wait_for(lambda: desktop.session.has_owner("org.freedesktop.Notifications") or self.dunst.poll() is not None,
                 15, "dunst")
        assert self.dunst.poll() is None, (tmp / "dunst.log").read_text()

    def dunstctl(self, *args):
        r = subprocess.run(["dunstctl", *args], env=self.env, capture_output=True, text=True, timeout=30)
        assert r.returncode == 0, r.stderr
        return r.stdout.strip()

    def displayed(self):
        return int(self.dunstctl("count", "displayed"))

    def screenshot(self, name):
        OUTPUT.mkdir(parents=True, exist_ok=True)
        path = OUTPUT / name
        subprocess.run(["/usr/bin/import", "-display", self.display, "-window", "root", str(path)], check=True,
                       timeout=30)
        return path

    def stop(self):
        stop_process(self.dunst)
        self.dunst_log.close()
        stop_process(self.xvfb)


@pytest.fixture
def desktop(tmp_path):
    yield from desktop_fixture(tmp_path)


@pytest.fixture
def screen(desktop):
    missing = [p for p in ("Xvfb", "dunst", "dunstctl", "import") if not shutil.which(p)]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (make deps installs xvfb, dunst and imagemagick)")
    s = Screen(desktop)
    yield s
    s.stop()
