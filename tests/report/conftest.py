# SPDX-License-Identifier: MIT
"""limber report rendered by a real browser: headless Chromium (Debian's
chromium) turns the HTML into a PNG and a PDF. Every Chromium is a child of
the test, with a fresh profile, no network services, and a timeout."""
import os
import pathlib
import shutil
import subprocess

import pytest

SRCDIR = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("LIMBER_BUILD", SRCDIR / "build")).resolve()
OUTPUT = pathlib.Path(os.environ.get("LIMBER_TEST_OUTPUT", SRCDIR / "build/test-output")) / "report"
FIXTURE = SRCDIR / "tests/data/report"
CHROMIUM = shutil.which("chromium")


class Browser:
    """Chromium, headless: an A4 page at 96 dpi for screenshots, or a PDF."""

    def __init__(self, tmp):
        self.tmp = pathlib.Path(tmp)
        self.runs = 0

    def _run(self, page, *args):
        self.runs += 1
        profile = self.tmp / f"chromium-profile-{self.runs}"
        profile.mkdir()
        env = {"PATH": "/usr/bin:/bin", "HOME": str(self.tmp), "TZ": "UTC", "LANG": "C.UTF-8",
               "DBUS_SESSION_BUS_ADDRESS": "disabled:"}
        cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-extensions", "--hide-scrollbars", f"--user-data-dir={profile}", *args,
               page.resolve().as_uri()]
        r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=180)
        assert r.returncode == 0, r.stderr
        return r

    def screenshot(self, page, png):
        self._run(page, "--window-size=794,1123", f"--screenshot={png}")
        assert png.exists() and png.stat().st_size > 10000
        return png

    def pdf(self, page, pdf):
        self._run(page, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
        assert pdf.exists()
        return pdf


@pytest.fixture
def browser(tmp_path):
    if not CHROMIUM:
        pytest.fail("chromium is missing: run 'make deps' (make check-report installs it)")
    return Browser(tmp_path)


@pytest.fixture
def fixture_env(tmp_path):
    """The four-week fixture as a user's state: two machines' histories and
    journals, and a pacing policy with a daily limit."""
    state = tmp_path / "state/limber"
    state.mkdir(parents=True)
    for f in list(FIXTURE.glob("history.*")) + list(FIXTURE.glob("journal.*")):
        shutil.copy(f, state)
    config = tmp_path / "config/limber"
    config.mkdir(parents=True)
    (config / "limber.ini").write_text("[pacing]\nenabled = yes\nquota = 40m\ndaily-limit = 4h\n")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "TZ": "UTC", "LANG": "C.UTF-8"}
    for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if k in os.environ:
            env[k] = os.environ[k]
    return env


def limber(env, *args):
    return subprocess.run([str(BUILD / "limber"), *args], env=env, capture_output=True, text=True, timeout=60)
