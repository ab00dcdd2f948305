# SPDX-License-Identifier: MIT
"""Shared fixtures for limber's integration tests.

The binaries under test come from $LIMBER_BUILD (the ASan/UBSan build when run
by `make check`); tests never sleep to synchronise, they wait for a condition
with a timeout.
"""
import json
import os
import subprocess
import pathlib

import pytest

SRCDIR = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("LIMBER_BUILD", SRCDIR / "build")).resolve()


def binary(name):
    path = BUILD / name
    if not path.exists():
        pytest.fail(f"{path} is missing: run the tests through `make check`")
    return str(path)


@pytest.fixture
def limber_env(tmp_path):
    """An environment with a private HOME, config and state, and no bus."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "LANG": "C.UTF-8",
        "TZ": "UTC",
        "NO_COLOR": "1",
    }
    for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if k in os.environ:
            env[k] = os.environ[k]
    (tmp_path / "home").mkdir()
    return env


def run(args, env, input=None, timeout=30):
    """Runs a program and returns the CompletedProcess (text mode)."""
    return subprocess.run(args, env=env, input=input, capture_output=True, text=True, timeout=timeout)


def limber(env, *args, **kw):
    return run([binary("limber"), *args], env, **kw)


def write(path, text):
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def vendor_dir(root):
    """The vendor directory of this build, inside root."""
    out = run([binary("limber"), "policy", "paths", "--root", str(root)], {"PATH": "/usr/bin:/bin"})
    lines = dict(l.split("\t", 1) for l in out.stdout.splitlines())
    return pathlib.Path(lines["vendor"].removesuffix("/*.ini")), pathlib.Path(lines["employer"].removesuffix("/*.ini"))


@pytest.fixture
def desktop(tmp_path):
    """A private desktop: session and system buses, room for mocks, limberd."""
    from harness import desktop_fixture
    yield from desktop_fixture(tmp_path)
