# SPDX-License-Identifier: MIT
"""Fixtures for the real compositors of compositors.py."""
import os
import pathlib
import shutil
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "integration"))
from compositors import KWin, Mutter, Sway, XServer  # noqa: E402
from harness import desktop_fixture  # noqa: E402


@pytest.fixture
def desktop(tmp_path):
    yield from desktop_fixture(tmp_path)


@pytest.fixture
def mutter(desktop):
    if not shutil.which("mutter"):
        pytest.skip("mutter is not installed (make deps installs it)")
    m = Mutter(desktop)
    yield m
    m.stop()


@pytest.fixture
def kwin(desktop):
    if not os.path.exists("/usr/bin/kwin_wayland"):
        pytest.skip("kwin-wayland is not installed (make deps installs it)")
    k = KWin(desktop)
    yield k
    k.stop()


@pytest.fixture
def sway(desktop):
    missing = [p for p in ("sway", "setpriv") if not shutil.which(p)]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (make deps installs sway)")
    s = Sway(desktop)
    yield s
    s.stop()


@pytest.fixture
def xserver(desktop):
    missing = [p for p in ("Xvfb", "xdotool") if not shutil.which(p)]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (make deps installs xvfb and xdotool)")
    x = XServer(desktop)
    yield x
    x.stop()
