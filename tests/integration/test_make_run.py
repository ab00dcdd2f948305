# SPDX-License-Identifier: MIT
"""`make run`, the README's first command: it builds and runs limberd in the
foreground with the default policy, on the session bus when there is one and
on a private bus of its own when there is none, and Ctrl-C stops it cleanly."""
import json
import os
import re
import signal
import subprocess

import pytest

from harness import BUILD, SRCDIR, Limberd, desktop_fixture, state_file, wait_for

# The build under test (make check's ASan copies), so `all` has nothing to do.
MAKE_VARS = ["BUILD=" + os.path.relpath(BUILD, SRCDIR)]
if BUILD.name == "asan":
    MAKE_VARS += ["SANITIZE=1", "WERROR=1"]


@pytest.fixture
def desktop(tmp_path):
    yield from desktop_fixture(tmp_path)


def make_run(desktop, env, run_dir):
    # Not the make check's own make: no jobserver, no inherited variables.
    env = {k: v for k, v in env.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    args = ["-s", "-C", str(SRCDIR), "run", *MAKE_VARS, f"RUN_DIR={run_dir}"]
    d = Limberd(desktop.tmp, env, args, binary="make", wait_ready=False, group=True)
    desktop.daemons.append(d)  # stopped by the desktop if the test fails first
    d.wait_message("READY=1", 180)
    return d


def another_shell(d, env):
    """The environment of a shell that ran the exports make run printed."""
    m = re.search(r"^  export (.*)$", d.log(), re.M)
    assert m, d.log()
    env = dict(env)
    env.update(kv.split("=", 1) for kv in m.group(1).split())
    return env


def status(env):
    r = subprocess.run([str(BUILD / "limber"), "status", "--json"], env=env, capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def stop_like_ctrl_c(d, run_dir):
    d.stop(signal.SIGINT)
    log = d.log()
    assert "received Interrupt, exiting" in log, log
    assert state_file(run_dir / "state").is_file(), log
    return log


def test_make_run_uses_the_session_bus_and_the_default_policy(desktop, tmp_path):
    # A user file and a state directory of the caller's: make run ignores both.
    desktop.policy("[posture]\ninterval = 7m\n")
    run_dir = tmp_path / "run"
    d = make_run(desktop, desktop.env, run_dir)
    st = status(desktop.env)
    breaks = {b["kind"]: b for b in st["breaks"]}
    assert breaks["posture"]["interval"] == 20 * 60
    assert breaks["movement"]["interval"] == 50 * 60
    assert breaks["pacing"]["state"] == "disabled"
    assert "private one" not in d.log()
    # From another shell, with the exports it printed: limber set changes
    # the policy this limberd reads.
    other = another_shell(d, desktop.env)
    r = subprocess.run([str(BUILD / "limber"), "set", "posture.interval", "25m"], env=other, capture_output=True,
                       text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    wait_for(lambda: {b["kind"]: b for b in status(other)["breaks"]}["posture"]["interval"] == 25 * 60, 10,
             "the new interval")
    # ...and limber exercises lists the catalogue of the source tree, as limberd reads it.
    r = subprocess.run([str(BUILD / "limber"), "exercises", "list"], env=other, capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 0, r.stderr
    assert "chin-tuck" in r.stdout.split()
    stop_like_ctrl_c(d, run_dir)
    assert not (tmp_path / "state/limber").exists()


def test_make_run_without_a_session_bus_brings_its_own(desktop, tmp_path):
    env = dict(desktop.env)
    del env["DBUS_SESSION_BUS_ADDRESS"]
    env["XDG_RUNTIME_DIR"] = str(tmp_path / "no-runtime-dir")
    run_dir = tmp_path / "run"
    d = make_run(desktop, env, run_dir)
    # It says how to reach it from another shell, and that works.
    st = status(another_shell(d, env))
    assert st["presence"] == "active"
    assert {b["kind"]: b["interval"] for b in st["breaks"]}["posture"] == 20 * 60
    stop_like_ctrl_c(d, run_dir)
