# SPDX-License-Identifier: MIT
"""make install into a DESTDIR: the file list, the systemd user unit (linted
with systemd-analyze, and limberd run under its sandbox), D-Bus activation,
autostart, uninstall, and /etc left alone."""
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess

import dbus
import pytest

import harness
from harness import SRCDIR, wait_for

EXPECTED = SRCDIR / "tests/data/install-files.txt"


def make(*args, cwd=SRCDIR):
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "BUILD", "SANITIZE", "WERROR", "CFLAGS", "LDFLAGS", "CPPFLAGS")}
    r = subprocess.run(["make", "-j2", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return r


def listing(root):
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel = "/" + os.path.relpath(dirpath, root)
        for f in filenames:
            out.append(os.path.normpath(f"{rel}/{f}"))
        if not dirnames and not filenames:
            out.append(os.path.normpath(rel))
    return sorted(out)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A release build installed as a distribution package would be (PREFIX=/usr)."""
    tmp = tmp_path_factory.mktemp("install")
    dest = tmp / "dest"
    make(f"BUILD={tmp / 'build'}", "PREFIX=/usr", f"DESTDIR={dest}", "install")
    return tmp, dest


def test_file_list(installed):
    _, dest = installed
    assert listing(dest) == EXPECTED.read_text().split()
    assert os.listdir(dest / "etc/limber/policy.d") == []  # the employer's place, empty
    assert stat_mode(dest / "usr/bin/limberd") == 0o755


def test_installed_exercises(installed):
    """The exercises and their pictures land in $(datadir)/limber/exercises,
    where the installed limber finds them (--root: the system directories
    inside the DESTDIR)."""
    _, dest = installed
    shipped = dest / "usr/share/limber/exercises"
    r = subprocess.run([str(dest / "usr/bin/limber"), "exercises", "list", "--json", "--root", str(dest)],
                       env={"HOME": str(dest / "home"), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    items = json.loads(r.stdout)
    assert [i["id"] for i in items] == sorted(p.stem for p in (SRCDIR / "config/exercises").glob("*.exercise"))
    for i in items:
        assert i["path"] == f"{shipped}/{i['id']}.exercise"
        assert i["picture"] == f"{shipped}/{i['id']}.svg"
    assert os.listdir(dest / "etc/limber/exercises.d") == []  # the employer's place, empty


def stat_mode(path):
    return os.stat(path).st_mode & 0o777


def test_unit_lints_cleanly(installed):
    """systemd-analyze verify --user --man=no, no output on stderr. The unit's
    ExecStart=/usr/bin/limberd must exist: the installed binaries are overlaid
    on /usr/bin in a private mount namespace."""
    tmp, dest = installed
    if os.geteuid() != 0:
        pytest.skip("needs root for a private mount namespace")
    unit = dest / "usr/lib/systemd/user/limberd.service"
    text = unit.read_text()
    for line in ("Type=notify", "PartOf=graphical-session.target", "After=graphical-session.target",
                 "WantedBy=graphical-session.target", "Restart=on-failure", "ExecStart=/usr/bin/limberd",
                 "ExecReload=/usr/bin/limber reload", "NoNewPrivileges=yes", "SystemCallFilter=@system-service",
                 "RestrictAddressFamilies=AF_UNIX", "MemoryDenyWriteExecute=yes"):
        assert line in text.splitlines(), line
    assert re.search(r"^WatchdogSec=\S+$", text, re.M)
    ov = tmp / "overlay"
    for d in ("upper", "work", "merged"):
        (ov / d).mkdir(parents=True, exist_ok=True)
    runtime = tmp / "runtime"
    runtime.mkdir(exist_ok=True, mode=0o700)
    # Only our unit and the targets it names: other packages' user units
    # (two notification daemons claiming one bus name) are not ours to lint.
    units = tmp / "units"
    units.mkdir(exist_ok=True)
    for target in pathlib.Path("/usr/lib/systemd/user").glob("*.target"):
        (units / target.name).write_bytes(target.read_bytes())
    script = (f"set -e; mount -t overlay overlay -o lowerdir={dest}/usr/bin:/usr/bin,upperdir={ov}/upper,"
              f"workdir={ov}/work {ov}/merged && mount --bind {ov}/merged /usr/bin && "
              f"XDG_RUNTIME_DIR={runtime} SYSTEMD_UNIT_PATH={units} systemd-analyze verify --user --man=no {unit}")
    r = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""


def test_security_exposure(installed):
    tmp, dest = installed
    runtime = tmp / "runtime"
    runtime.mkdir(exist_ok=True, mode=0o700)
    r = subprocess.run(["systemd-analyze", "security", "--user", "--offline=true", "--no-pager",
                        str(dest / "usr/lib/systemd/user/limberd.service")],
                       env=dict(os.environ, XDG_RUNTIME_DIR=str(runtime)), capture_output=True, text=True)
    m = re.search(r"Overall exposure level for limberd.service: (\d+\.\d+)", r.stdout)
    assert m, r.stdout + r.stderr
    print(f"\nsystemd-analyze security --user: exposure {m.group(1)}")
    # Without user-namespace options (see the unit): guard against losing what we have.
    assert float(m.group(1)) <= 5.9


def test_dbus_activation_and_autostart(installed):
    _, dest = installed
    service = (dest / "usr/share/dbus-1/services/org.limber.Limber1.service").read_text().splitlines()
    assert service == ["[D-BUS Service]", "Name=org.limber.Limber1", "Exec=/usr/bin/limberd",
                       "SystemdService=limberd.service"]
    desktop = dest / "etc/xdg/autostart/limberd.desktop"
    lines = desktop.read_text().splitlines()
    assert "X-GNOME-HiddenUnderSystemd=true" in lines and "X-systemd-skip=true" in lines
    assert "Exec=/usr/bin/limberd" in lines
    if shutil.which("desktop-file-validate"):
        r = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True, text=True)
        assert r.returncode == 0 and not r.stdout.strip(), r.stdout + r.stderr
    xml = (dest / "usr/share/dbus-1/interfaces/org.limber.Limber1.xml").read_text()
    assert xml == (SRCDIR / "daemon/org.limber.Limber1.xml").read_text()


def test_limberd_runs_under_the_units_sandbox(installed, desktop):
    """The seccomp restrictions of the installed unit, applied as systemd would
    (tests/integration/sandbox.py), do not break limberd: a whole prompt cycle,
    logind's inhibitor fd, state, history and a reload."""
    _, dest = installed
    unit = dest / "usr/lib/systemd/user/limberd.service"
    sandbox = [str(SRCDIR / "tests/integration/sandbox.py"), str(unit), "--"]
    # The filter must bite: an Internet socket is refused.
    r = subprocess.run(["/usr/bin/python3", *sandbox, "/usr/bin/python3", "-c",
                        "import socket; socket.socket(socket.AF_INET)"], capture_output=True, text=True)
    assert r.returncode != 0 and "Operation not permitted" in r.stderr

    desktop.policy("[general]\nidle-after = 1s\n[posture]\ninterval = 2s\nduration = 2s\nsnooze = 2s\n"
                   "reprompt = 1m\n[movement]\nenabled = no\n")
    mutter = desktop.add("mutter", "mutter_idlemonitor")
    notes = desktop.add("notify", "notifications")
    desktop.logind()
    env = dict(desktop.env, ASAN_OPTIONS="detect_leaks=0")  # LeakSanitizer needs ptrace, which is filtered
    d = harness.Limberd(desktop.tmp, env, [*sandbox, str(harness.BUILD / "limberd"), "--root", str(desktop.root)],
                        binary="/usr/bin/python3")
    desktop.daemons.append(d)
    c = desktop.client = harness.Client(desktop.session)
    wait_for(lambda: c.status()["backend"] == "mutter", 10, "mutter")
    c.wait_signal("BreakDue", ["posture", 1], timeout=10)
    wait_for(lambda: notes.control().Showing(), 10, "the prompt")
    [(nid, _, _, _)] = notes.control().Showing()
    notes.control().Invoke(nid, "snooze")
    c.wait_state("posture", "snoozed")
    c.wait_signal("BreakDue", ["posture", 2], timeout=10)
    mutter.control().GoIdle(dbus.UInt64(0))
    c.wait_signal("BreakEnded", ["posture", "taken"], timeout=10)
    d.messages.clear()
    d.proc.send_signal(signal.SIGHUP)
    d.wait_message("READY=1")
    assert d.stop() == 0
    assert "Operation not permitted" not in d.log()
    assert desktop.state_path().read_text().endswith("end\n")
    assert "taken posture" in desktop.history_path().read_text()


def test_uninstall_and_etc_left_alone(installed, tmp_path):
    tmp, _ = installed
    dest = tmp_path / "dest"
    mine = dest / "etc/xdg/autostart/limberd.desktop"
    mine.parent.mkdir(parents=True)
    mine.write_text("[Desktop Entry]\n# the admin's own\n")
    r = make(f"BUILD={tmp / 'build'}", "PREFIX=/usr", f"DESTDIR={dest}", "install")
    assert "kept the existing" in r.stdout
    assert mine.read_text() == "[Desktop Entry]\n# the admin's own\n"
    (dest / "etc/limber/policy.d/50-acme.ini").write_text("[posture]\ninterval = 25m\n")
    make(f"BUILD={tmp / 'build'}", "PREFIX=/usr", f"DESTDIR={dest}", "uninstall")
    # Only /etc remains: the admin's files, untouched.
    assert sorted("/" + str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file()) == ["/etc/limber/policy.d/50-acme.ini", "/etc/xdg/autostart/limberd.desktop"]


def test_uninstall_from_a_tree_never_built(installed, tmp_path):
    """make uninstall removes our autostart entry even where this tree was
    cleaned or never built (it builds the entry it compares with)."""
    tmp, _ = installed
    dest = tmp_path / "dest"
    make(f"BUILD={tmp / 'build'}", "PREFIX=/usr", f"DESTDIR={dest}", "install")
    assert (dest / "etc/xdg/autostart/limberd.desktop").is_file()
    make(f"BUILD={tmp_path / 'never-built'}", "PREFIX=/usr", f"DESTDIR={dest}", "uninstall")
    assert not (dest / "etc/xdg/autostart/limberd.desktop").exists()
    assert sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file()) == []
