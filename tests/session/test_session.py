# SPDX-License-Identifier: MIT
"""limberd as a user gets it: the Debian package installed on a real systemd,
a graphical login, and the user manager running limberd.service, first as
shipped, then under the example drop-in systemd/hardening.conf.

The tests run in order on one container (conftest.py): each leaves limberd
running for the next."""
import json
import re

import pytest

from conftest import DISPLAY, OUTPUT, USER, report
from harness import wait_for

EMPLOYER = "/etc/limber/policy.d/50-acme.ini"
# The container boots this machine's root: the same machine id.
STATE = f"/home/{USER}/.local/state/limber/state.{open('/etc/machine-id').read().strip()}"
DROPIN = "/etc/systemd/user/limberd.service.d/hardening.conf"
SECOND = 1000000  # µs


def policy(c):
    """The daemon's effective policy, over the bus: key -> (value, scope, origin, locked)."""
    [rows] = c.call("GetPolicy")
    return {key: (value, scope, origin, locked) for key, value, scope, origin, locked in rows}


def exposure(c, name):
    out = c.user("systemd-analyze security --user --no-pager limberd.service").stdout
    (OUTPUT / f"security-{name}.txt").write_text(out)
    m = re.search(r"Overall exposure level for limberd\.service: (\d+\.\d+) (\w+)", out)
    assert m, out
    return float(m[1]), m[2], out


def kill_9_keeps_a_pause(c):
    """Pause, see the pause on disk, kill -9: systemd restarts limberd
    (Restart=on-failure) and the pause is still there."""
    c.user("limber pause 10m")
    assert c.prop("Paused") is True
    until = c.prop("PausedUntil")  # µs, wall clock
    assert until > 0

    def saved():
        state = dict(l.split("=", 1) for l in c.run("cat", STATE, check=False).stdout.splitlines() if "=" in l)
        return state.get("paused") == "1" and abs(int(state["pause-until"]) - until) < SECOND

    # Saved atomically on the action: wait for it on disk.
    wait_for(saved, timeout=20, what="the pause in the state file")
    before = c.show("MainPID", "NRestarts")
    c.run("kill", "-9", before["MainPID"])

    def restarted():
        s = c.show("MainPID", "NRestarts", "ActiveState", "SubState")
        return (s["NRestarts"] == str(int(before["NRestarts"]) + 1) and s["MainPID"] not in ("0", before["MainPID"])
                and (s["ActiveState"], s["SubState"]) == ("active", "running"))

    wait_for(restarted, timeout=30, what="systemd to restart limberd after kill -9")
    c.wait_journal("status=9/KILL", "-u", "limberd", "-n", "40")
    assert c.prop("Paused") is True
    # The same end (the daemon keeps it on its boot-time clock, and converts
    # it to and from the wall clock: a few µs either way).
    assert abs(c.prop("PausedUntil") - until) < SECOND
    assert re.search(r"^Paused until \d\d:\d\d", c.user("limber status").stdout, re.M)
    c.user("limber resume")
    assert c.prop("Paused") is False


# ---- the unit as the package ships it ------------------------------------------


def test_the_user_manager_starts_limberd_at_login(container):
    c = container
    c.wait_active()
    s = c.show("Type", "StatusText", "ControlGroup", "UnitFileState", "NRestarts")
    assert s["Type"] == "notify"  # active (running) after READY=1
    assert s["NRestarts"] == "0"
    assert s["UnitFileState"] == "enabled"  # the package's postinst, for every user
    c.run("test", "-L", "/etc/systemd/user/graphical-session.target.wants/limberd.service")
    assert "limberd.service" in c.show("Wants", unit="graphical-session.target")["Wants"].split()
    assert s["ControlGroup"] == f"/user.slice/user-{c.uid}.slice/user@{c.uid}.service/app.slice/limberd.service"
    # STATUS= names the backend: the X server's IDLETIME counter on Xvfb.
    assert re.search(r"; (active|idle), backend x11$", s["StatusText"]), s["StatusText"]
    report(f'as shipped: active (running), Type=notify, STATUS="{s["StatusText"]}"')
    # Started by the session, not by a bus call.
    assert "org.limber.Limber1" not in c.journal("-u", "dbus.service")
    c.wait_journal(f"logind session /org/freedesktop/login1/session/{c.session}", "-u", "limberd")
    c.wait_journal("idle backend: x11", "-u", "limberd")


def test_limber_status_over_the_user_bus(container):
    c = container
    r = c.user("limber status")
    assert "(idle backend: x11)" in r.stdout.splitlines()[0], r.stdout
    assert re.search(r"^  posture +in \d+m", r.stdout, re.M), r.stdout
    status = json.loads(c.user("limber status --json").stdout)
    assert status["backend"] == "x11"
    assert c.prop("Backend") == "x11"


def test_lock_and_unlock_show_in_presence(container):
    c = container
    c.run("loginctl", "lock-session", c.session)
    wait_for(lambda: c.prop("Presence") == "locked", timeout=20, what="Presence 'locked'")
    assert c.user("limber status").stdout.startswith("Locked")
    # The user is back at the keyboard, and unlocks.
    c.user(f"DISPLAY={DISPLAY} xdotool mousemove_relative -- 5 5")
    c.run("loginctl", "unlock-session", c.session)
    wait_for(lambda: c.prop("Presence") == "active", timeout=20, what="Presence 'active' after unlocking")


def test_reload_applies_a_changed_employer_file(container):
    c = container
    assert policy(c)["posture.interval"][:2] == ("20m", "built-in")
    c.run("sh", "-c", f"cat > {EMPLOYER}", input="[posture]\ninterval = 25m\ninterval.locked = yes\n")
    c.user("systemctl --user reload limberd")
    # systemctl returns when ExecReload (limber reload) has: no waiting.
    assert policy(c)["posture.interval"] == ("25m", "employer", f"{EMPLOYER}:2", True)
    assert c.prop("Breaks")["posture"]["interval"]["data"] == 25 * 60 * SECOND
    assert re.search(rf"^posture\.interval +25m +employer +{EMPLOYER}:2", c.user("limber policy show --origin").stdout,
                     re.M)
    journal = c.wait_journal("Reloaded limberd.service", "-u", "limberd", "-n", "30")
    assert "Reloading limberd.service" in journal
    # A file with an error: the reload fails, and the policy in force stays.
    c.run("sh", "-c", "cat > /etc/limber/policy.d/60-typo.ini", input="[posture]\ninterval = soon\n")
    r = c.user("systemctl --user reload limberd", check=False)
    assert r.returncode != 0
    c.wait_journal("/etc/limber/policy.d/60-typo.ini:2", "-u", "limberd", "-n", "30")
    assert c.show("ActiveState", "SubState") == {"ActiveState": "active", "SubState": "running"}
    assert policy(c)["posture.interval"][:2] == ("25m", "employer")
    c.run("rm", "/etc/limber/policy.d/60-typo.ini")
    c.user("systemctl --user reload limberd")


def test_kill_9_is_restarted_with_the_state_intact(container):
    kill_9_keeps_a_pause(container)


def test_dbus_activation_after_stop(container):
    c = container
    c.user("systemctl --user stop limberd")
    assert c.show("ActiveState")["ActiveState"] == "inactive"
    assert c.prop("Presence") is None  # nobody owns the name (and busctl did not start it)
    r = c.user("limber status")
    assert "backend: x11" in r.stdout
    assert c.show("ActiveState", "SubState") == {"ActiveState": "active", "SubState": "running"}
    c.wait_journal("Activating via systemd: service name='org.limber.Limber1' unit='limberd.service'",
                   "-u", "dbus.service")


def test_security_exposure_as_shipped(container):
    value, level, _ = exposure(container, "default")
    report(f"systemd-analyze security --user limberd.service, as shipped: {value} {level}")
    assert value <= 5.9


# ---- under the hardening drop-in --------------------------------------------------


@pytest.fixture(scope="module")
def hardened(container):
    """The example drop-in from the package's documentation, installed for
    every user as the README tells an administrator to."""
    c = container
    c.run("sh", "-c", "mkdir -p /etc/systemd/user/limberd.service.d && "
          "src=/usr/share/doc/limber/examples/hardening.conf; "
          f"if [ -e $src ]; then cp $src {DROPIN}; else zcat $src.gz > {DROPIN}; fi")
    c.user("systemctl --user daemon-reload && systemctl --user restart limberd")
    c.wait_active()
    return c


def test_hardened_reaches_ready_with_the_x11_backend(hardened):
    c = hardened
    s = c.show("DropInPaths", "StatusText", "Type")
    assert DROPIN in s["DropInPaths"].split()
    assert s["Type"] == "notify"
    assert re.search(r"; (active|idle), backend x11$", s["StatusText"]), s["StatusText"]
    report(f'with hardening.conf: active (running), STATUS="{s["StatusText"]}"')
    r = c.user("limber status")
    assert "(idle backend: x11)" in r.stdout.splitlines()[0], r.stdout


def mounts_of(c, pid):
    """mountinfo as (mount point, options, fstype, root) in mount order."""
    out = []
    for line in c.run("cat", f"/proc/{pid}/mountinfo").stdout.splitlines():
        f = line.split()
        sep = f.index("-")
        out.append((f[4], set(f[5].split(",")), f[sep + 1], f[3]))
    return out


def mount_at(mounts, path):
    """The mount a path is on: the last one with the longest mount point over it."""
    best = None
    for m in mounts:
        if path == m[0] or path.startswith(m[0].rstrip("/") + "/"):
            if best is None or len(m[0]) >= len(best[0]):
                best = m
    return best


def test_hardened_sandbox_is_in_force(hardened):
    """Not silently left out, as namespace options are where user namespaces
    are refused: each option shows in limberd's own process."""
    c = hardened
    pid = c.main_pid()
    manager = c.run("systemctl", "show", "-p", "MainPID", "--value", f"user@{c.uid}.service").stdout.strip()
    assert c.run("cat", f"/proc/{pid}/uid_map").stdout.split() == [str(c.uid), str(c.uid), "1"]  # PrivateUsers
    status = c.run("cat", f"/proc/{pid}/status").stdout
    assert re.search(r"^CapBnd:\s+0+$", status, re.M)  # CapabilityBoundingSet=
    ns = lambda p, kind: c.run("readlink", f"/proc/{p}/ns/{kind}").stdout.strip()  # noqa: E731
    assert ns(pid, "mnt") != ns(manager, "mnt")
    assert ns(pid, "uts") != ns(manager, "uts")  # ProtectHostname
    mounts = mounts_of(c, pid)
    home = f"/home/{USER}"
    assert "ro" in mount_at(mounts, "/usr/bin")[1]  # ProtectSystem=strict
    assert "ro" in mount_at(mounts, "/etc/limber")[1]
    assert "ro" in mount_at(mounts, f"{home}/.config/limber")[1]  # ProtectHome=read-only
    assert "rw" in mount_at(mounts, f"{home}/.local/state/limber")[1]  # ReadWritePaths=
    assert "systemd-private-" in mount_at(mounts, "/tmp/x")[3]  # PrivateTmp
    assert mount_at(mounts, f"/tmp/.X11-unix/X{DISPLAY[1:]}")[0] == "/tmp/.X11-unix"  # the X11 sockets, bound in
    assert mount_at(mounts, "/dev/null")[0] == "/dev/null" and mount_at(mounts, "/dev/sda")[0] == "/dev"
    assert mount_at(mounts, "/dev")[2] == "tmpfs"  # PrivateDevices
    assert "ro" in mount_at(mounts, "/proc/sys/kernel")[1]  # ProtectKernelTunables
    assert "inaccessible" in mount_at(mounts, "/proc/kmsg")[3]  # ProtectKernelLogs
    assert "ro" in mount_at(mounts, "/sys/fs/cgroup/x")[1]  # ProtectControlGroups
    if c.run("test", "-d", "/usr/lib/modules", check=False).returncode == 0:
        assert "inaccessible" in mount_at(mounts, "/usr/lib/modules/x")[3]  # ProtectKernelModules
    proc = mount_at(mounts, "/proc")[1]
    report("with hardening.conf: ProtectProc=invisible " +
           ("applied" if any(o.startswith("hidepid") for o in proc) else "not applied by this systemd (user manager)"))


def test_hardened_state_survives_kill_9(hardened):
    kill_9_keeps_a_pause(hardened)
    assert "Read-only file system" not in hardened.journal("-u", "limberd")


def test_hardened_prompts_on_the_notification_server(hardened):
    c = hardened
    count = lambda: int(c.user("dunstctl count displayed").stdout)  # noqa: E731
    assert count() == 0
    c.user("limber break posture")
    wait_for(lambda: count() == 1, timeout=20, what="limberd's notification on dunst")
    c.user("dunstctl close")
    [history] = json.loads(c.user("dunstctl history").stdout)["data"]
    shown = [{k: v["data"] for k, v in n.items()} for n in history]
    assert [n["appname"] for n in shown] == ["limber"], shown
    # A started posture break is guided: its first step, "1/1 · Slow breathing — 3 times".
    assert shown[0]["category"] == "x-limber.break" and re.match(r"1/\d+ · ", shown[0]["summary"]), shown


def test_security_exposure_with_hardening(hardened):
    value, level, _ = exposure(hardened, "hardened")
    report(f"systemd-analyze security --user limberd.service, with hardening.conf: {value} {level}")
    assert value <= 3.0


def test_hardened_keeps_employer_locks(hardened):
    """Root's files look owned by nobody in the private user namespace; their
    locks still hold."""
    got = policy(hardened)["posture.interval"]
    assert got == ("25m", "employer", f"{EMPLOYER}:2", True), got
