# SPDX-License-Identifier: MIT
"""One user on two machines with one home directory (NFS): two limberds,
each on its own session bus and with its own machine id (a file bound over
/etc/machine-id in a private mount namespace), share one XDG_STATE_HOME.
Each keeps its own state and its own history, and no line is ever mixed."""
import json
import os
import subprocess

import dbus
import pytest

from harness import BUILD, Bus, Client, Limberd, stop_process, wait_for

MACHINES = ("0a0a0a0a0a0a4a0a8a0a0a0a0a0a0a0a", "0b0b0b0b0b0b4b0b8b0b0b0b0b0b0b0b")


@pytest.fixture
def two_machines(desktop):
    if os.geteuid() != 0:
        pytest.skip("needs root for a private mount namespace per machine")
    desktop.policy("[posture]\ninterval = 1h\n[movement]\ninterval = 2h\n")
    machines = []
    for i, mid in enumerate(MACHINES):
        bus = desktop.session if i == 0 else Bus(desktop.tmp / f"session{i}", "session")
        idfile = desktop.tmp / f"machine-id-{i}"
        idfile.write_text(mid + "\n")
        env = dict(desktop.env, DBUS_SESSION_BUS_ADDRESS=bus.address)
        sh = f"set -e; mount --bind {idfile} /etc/machine-id; exec {BUILD / 'limberd'} --root {desktop.root}"
        d = Limberd(desktop.tmp, env, ["-m", "sh", "-c", sh], binary="unshare")
        desktop.daemons.append(d)
        machines.append((mid, bus, d, Client(bus), env))
    yield machines
    for _, _, _, client, _ in machines[1:]:
        client.close()
    for d in desktop.daemons:  # every limberd, before the buses they are on go
        if d.alive():
            assert d.stop() == 0
    for _, bus, _, _, _ in machines[1:]:
        bus.stop()


def test_each_machine_keeps_its_own(desktop, two_machines):
    (a, bus_a, da, ca, env_a), (b, bus_b, db, cb, env_b) = two_machines
    state = desktop.tmp / "state/limber"
    ca.call("Pause", dbus.UInt32(3600))
    wait_for(lambda: (state / f"state.{a}").exists() and "paused=1" in (state / f"state.{a}").read_text(), 10,
             "machine A's pause saved")
    assert (state / f"state.{b}").exists()
    assert "paused=0" in (state / f"state.{b}").read_text()
    assert not (state / "state").exists()

    # Both write their histories at once, as fast as they can be asked to.
    spam = [subprocess.Popen(["sh", "-c", "for i in $(seq 300); do dbus-send --session --dest=org.limber.Limber1 "
                                          "--type=method_call --print-reply /org/limber/Limber1 "
                                          "org.limber.Limber1.SetFlare boolean:false >/dev/null; done"],
                             env=env) for env in (env_a, env_b)]
    for p in spam:
        assert p.wait(timeout=120) == 0
    ha, hb = (state / f"history.{a}").read_text(), (state / f"history.{b}").read_text()
    assert ha.startswith(f"# limber history of machine {a} (") and hb.startswith(f"# limber history of machine {b} (")
    assert ha.count(" flare off\n") == 300 and hb.count(" flare off\n") == 300
    assert " paused " in ha and " paused " not in hb
    # Every line of each is whole: each replays.
    for path in (state / f"history.{a}", state / f"history.{b}"):
        r = subprocess.run([str(BUILD / "limberd"), "--replay", str(path), "--root", str(desktop.root)],
                           capture_output=True, text=True, env=env_a)
        assert r.returncode == 0, r.stderr

    # limber stats combines the machines and tells them apart.
    r = subprocess.run([str(BUILD / "limber"), "stats", "--json", "--root", str(desktop.root)], capture_output=True,
                       text=True, env=env_a)
    assert r.returncode == 0, r.stderr
    stats = json.loads(r.stdout)
    assert sorted(m["id"] for m in stats["machines"]) == sorted(MACHINES)
    today = stats["days"][-1]
    assert set(today["active_by_machine"]) == set(MACHINES)
    # Both were active at once: the person's day counts those minutes once,
    # each machine its own.
    by = today["active_by_machine"].values()
    assert 0 < max(by) <= today["active"] < sum(by)

    # B restarts: it finds its own state, not A's pause.
    assert db.stop() == 0
    sh = f"set -e; mount --bind {desktop.tmp / 'machine-id-1'} /etc/machine-id; " \
         f"exec {BUILD / 'limberd'} --root {desktop.root}"
    db2 = Limberd(desktop.tmp, env_b, ["-m", "sh", "-c", sh], binary="unshare")
    desktop.daemons.append(db2)
    assert cb.status()["paused"] is False
    assert ca.status()["paused"] is True


def test_an_older_state_file_is_taken_over(desktop):
    """Before per-machine files there was one state and one history: the first
    limberd to start makes them its own."""
    state = desktop.tmp / "state/limber"
    state.mkdir(parents=True)
    (state / "history").write_text("2026-11-23T09:00:00+00:00 active\n")
    desktop.start()
    c = desktop.client
    c.call("Pause", dbus.UInt32(600))
    wait_for(lambda: desktop.state_path().exists() and "paused=1" in desktop.state_path().read_text(), 10,
             "the state")
    assert not (state / "history").exists()
    assert desktop.history_path().read_text().startswith("2026-11-23T09:00:00+00:00 active\n")
