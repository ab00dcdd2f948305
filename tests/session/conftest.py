# SPDX-License-Identifier: MIT
"""A real systemd for the session suite (../shared/reference/real-systemd.md).

This machine's own root is booted as a container, `systemd-nspawn --boot`,
over a throw-away overlay whose upper layer is a tmpfs. The package that
`make deb` built is installed in it, a user logs in to a graphical (x11)
session with Xvfb as its display, and that user's systemd starts limberd.

Nothing on the host changes. Every mount (the overlay, its tmpfs, the /run
that nspawn wants) is made inside a mount namespace of our own, which dies
with the container; the container has its own network namespace (so no
abstract X11 or D-Bus socket, and no port, is shared with the host or with a
second run of this suite) and its own cgroup under ours, through which what
is left of it at the end is killed by PID.

Where nspawn cannot run (not root, no mount namespaces, no cgroups) the suite
skips with a loud message; under CI=true that is a failure instead, unless
LIMBER_SESSION_MAY_SKIP=1: CI has to show this suite running.
"""
import glob
import json
import os
import pathlib
import re
import shlex
import signal
import subprocess
import sys
import time

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "integration"))
from harness import SRCDIR, wait_for  # noqa: E402

USER = "tester"
DISPLAY = ":7"  # the container's own /tmp and network namespace: no clash
BOOT_TARGET = "limber-session-test.target"
OUTPUT = pathlib.Path(os.environ.get("LIMBER_TEST_OUTPUT", SRCDIR / "build/test-output")) / "session"

# What the summary at the end prints: boot time, status lines, exposures.
REPORT = []


def report(line):
    REPORT.append(line)
    print(line)


def pytest_terminal_summary(terminalreporter):
    if not REPORT:
        return
    not_run = any(line.startswith("NOT RUN") for line in REPORT)
    terminalreporter.section("real systemd session" + (": NOT RUN" if not_run else ""), red=not_run, bold=not_run)
    for line in REPORT:
        terminalreporter.write_line(line, red=not_run, bold=not_run)


def skip_or_fail(reason):
    banner = "=" * 78
    message = (f"\n{banner}\nTHE REAL-SYSTEMD SESSION SUITE DID NOT RUN: {reason}\n"
               f"(tests/session needs root, mount namespaces and cgroups for systemd-nspawn)\n{banner}")
    print(message, file=sys.stderr)
    REPORT.append(f"NOT RUN: {reason}")
    if os.environ.get("CI") and os.environ.get("LIMBER_SESSION_MAY_SKIP") != "1":
        pytest.fail(f"CI must run the real-systemd suite, but {reason}", pytrace=False)
    pytest.skip(f"real systemd: {reason}")


# The container boots to this target: logins and nothing else, whatever
# services other packages on this machine enable for its own boot.
TARGET_UNIT = """\
[Unit]
Description=limber session test: logins, and nothing else
Requires=basic.target
Wants=systemd-logind.service systemd-user-sessions.service
After=basic.target systemd-logind.service systemd-user-sessions.service
AllowIsolate=yes
"""

# Runs in its own mount namespace (unshare -m --propagation private), then
# becomes systemd-nspawn, whose child is the container's PID 1.
BOOT_SCRIPT = r"""
set -eu
for procs in $CGROUP_PROCS; do echo $$ > "$procs"; done
mount -t tmpfs -o mode=0755 tmpfs "$OV"
mkdir "$OV/upper" "$OV/work"
mount -t overlay overlay -o "lowerdir=/,upperdir=$OV/upper,workdir=$OV/work" "$CT"
# nspawn wants /run to be a tmpfs; this one is ours alone.
mount -t tmpfs -o mode=0755 tmpfs /run
cp "$DEB" "$CT/var/tmp/"
printf '%s' "$TARGET_UNIT" > "$CT/etc/systemd/system/$BOOT_TARGET"
# No man-db index run on installing the package: seconds saved, nothing lost.
rm -f "$CT/var/lib/man-db/auto-update"
exec systemd-nspawn --quiet -D "$CT" --register=no --keep-unit --link-journal=no --private-network \
    --boot --console=pipe "systemd.unit=$BOOT_TARGET"
"""


def own_cgroups():
    """Where a cgroup of our own goes: under our cgroup, in the hierarchies
    nspawn uses (the v1 name=systemd one and the unified one)."""
    ours = {}
    with open("/proc/self/cgroup") as f:
        for line in f:
            _, controllers, path = line.rstrip("\n").split(":", 2)
            ours[controllers] = path
    dirs = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            fields = line.split()
            sep = fields.index("-")
            root, mountpoint, fstype, options = fields[3], fields[4], fields[sep + 1], fields[sep + 3]
            if root != "/":
                continue
            if fstype == "cgroup2" and "" in ours:
                dirs.append(pathlib.Path(mountpoint + ours[""].rstrip("/")))
            elif fstype == "cgroup" and "name=systemd" in options.split(",") and "name=systemd" in ours:
                dirs.append(pathlib.Path(mountpoint + ours["name=systemd"].rstrip("/")))
    return [d for d in dirs if d.is_dir()]


def cgroup_pids(top):
    pids = []
    for procs in top.rglob("cgroup.procs"):
        try:
            pids += [int(p) for p in procs.read_text().split()]
        except OSError:
            pass
    return pids


class Container:
    """The booted container: run() as root inside it, user() as the user in
    a login shell (su -, through PAM and pam_systemd)."""

    def __init__(self, tmp, deb):
        self.tmp = tmp
        self.deb = deb
        self.log = tmp / "boot.log"
        self.proc = None
        self.init = None
        self.cgroups = []
        self.uid = None
        self.session = None
        self.times = {}

    # ---- running commands ----------------------------------------------

    def run(self, *argv, input=None, timeout=60, check=True):
        env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8",
               "TERM": "dumb", "DEBIAN_FRONTEND": "noninteractive", "SYSTEMD_PAGER": "", "SYSTEMD_COLORS": "0"}
        r = subprocess.run(["nsenter", "-t", str(self.init), "-a", "--", *argv], input=input,
                           stdin=None if input is not None else subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=timeout, env=env)
        if check and r.returncode != 0:
            raise AssertionError(f"in the container, {shlex.join(map(str, argv))} exited {r.returncode}:\n"
                                 f"{r.stdout[-3000:]}{r.stderr[-3000:]}")
        return r

    def user(self, script, check=True, timeout=60):
        """A shell script run as the user, in a login session of its own."""
        return self.run("su", "-", USER, "-c", f"export LANG=C.UTF-8 NO_COLOR=1 SYSTEMD_COLORS=0; {script}",
                        check=check, timeout=timeout)

    def show(self, *props, unit="limberd.service"):
        """Properties of a unit of the user manager."""
        out = self.user(f"systemctl --user show {unit} " + " ".join(f"-p {p}" for p in props)).stdout
        return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)

    def prop(self, name):
        """A property of the running limberd, never starting it: None when
        nobody owns the name. (busctl 252 honours --auto-start=no in `call`,
        not in `get-property`.)"""
        r = self.user("busctl --user --auto-start=no --json=short call org.limber.Limber1 /org/limber/Limber1 "
                      f"org.freedesktop.DBus.Properties Get ss org.limber.Limber1 {name}", check=False)
        if r.returncode != 0:
            if re.search(r'Name "org\.limber\.Limber1" does not exist', r.stderr):
                return None
            raise AssertionError(f"reading {name}: {r.stderr}")
        return json.loads(r.stdout)["data"][0]["data"]

    def call(self, method, *args):
        r = self.user("busctl --user --json=short call org.limber.Limber1 /org/limber/Limber1 "
                      f"org.limber.Limber1 {method} {' '.join(shlex.quote(a) for a in args)}")
        return json.loads(r.stdout)["data"] if r.stdout.strip() else None

    def journal(self, *args):
        return self.user("journalctl --user --no-pager -o cat " + " ".join(args), check=False).stdout

    def wait_journal(self, text, *args, timeout=15):
        """Wait until TEXT is in the user journal (journald takes a unit's
        stderr and systemd's own lines over separate streams, so a line may
        land after the job that wrote it has returned). Returns the journal."""
        seen = {}

        def found():
            seen["journal"] = self.journal(*args)
            return text in seen["journal"]
        try:
            wait_for(found, timeout=timeout, what=f"{text!r} in the journal")
        except AssertionError as e:
            raise AssertionError(f"{e}\n--- journal ---\n{seen.get('journal', '')}") from None
        return seen["journal"]

    def main_pid(self):
        return int(self.show("MainPID")["MainPID"])

    # ---- boot and login ------------------------------------------------

    def boot(self):
        if os.geteuid() != 0:
            skip_or_fail("not root")
        if subprocess.run(["unshare", "-m", "--propagation", "private", "true"], capture_output=True).returncode:
            skip_or_fail("no mount namespaces here (unshare -m failed: no CAP_SYS_ADMIN?)")
        for d in own_cgroups():
            mine = d / f"limber-session-{os.getpid()}"
            try:
                mine.mkdir()
            except OSError as e:
                skip_or_fail(f"cannot create a cgroup in {d}: {e}")
            self.cgroups.append(mine)
        ov, ct = self.tmp / "ov", self.tmp / "ct"
        ov.mkdir()
        ct.mkdir()
        env = dict(PATH="/usr/sbin:/usr/bin:/sbin:/bin", OV=str(ov), CT=str(ct), DEB=str(self.deb),
                   BOOT_TARGET=BOOT_TARGET, TARGET_UNIT=TARGET_UNIT,
                   CGROUP_PROCS=" ".join(str(c / "cgroup.procs") for c in self.cgroups))
        start = time.monotonic()
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(["unshare", "-m", "--propagation", "private", "sh", "-c", BOOT_SCRIPT],
                                         stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env)

        def pid1():
            if self.proc.poll() is not None:
                return "gone"
            try:
                children = pathlib.Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
                for c in children:
                    if pathlib.Path(f"/proc/{c}/comm").read_text().strip() == "systemd":
                        return c
            except OSError:
                pass
            return None

        found = wait_for(pid1, timeout=60, what="the container's systemd")
        if found == "gone":
            skip_or_fail(f"systemd-nspawn could not start a container (exit {self.proc.returncode}): "
                         + self.log.read_text()[-1500:])
        self.init = int(found)

        def booted():
            r = self.run("systemctl", "is-system-running", "--wait", check=False, timeout=120)
            state = r.stdout.strip()
            return state if state in ("running", "degraded") else None

        state = wait_for(booted, timeout=120, what="the container's boot")
        if state != "running":
            failed = self.run("systemctl", "--failed", "--no-legend", check=False).stdout
            raise AssertionError(f"the container booted {state}:\n{failed}")
        self.times["boot"] = time.monotonic() - start
        self.version = self.run("systemctl", "--version").stdout.split("\n")[0]
        # nspawn covers /proc/kmsg with a FIFO of its own. A user manager's
        # private mount namespace cannot cover that again, so
        # ProtectKernelLogs= fails there (226/NAMESPACE, "proc/kmsg: No such
        # file or directory"); a real machine has procfs' own /proc/kmsg.
        self.run("umount", "/proc/kmsg", check=False)

    def install(self):
        start = time.monotonic()
        self.run("apt-get", "install", "-y", "--no-install-recommends", f"/var/tmp/{self.deb.name}", timeout=300)
        self.times["install"] = time.monotonic() - start

    def login(self):
        """A graphical session on Xvfb, as a display manager would start it."""
        start = time.monotonic()
        self.run("useradd", "-m", "-s", "/bin/bash", USER)
        self.uid = int(self.run("id", "-u", USER).stdout)
        # The display session: su with XDG_SESSION_TYPE for pam_systemd,
        # open for the whole suite (logind's GetSession("auto") finds it).
        self.run("sh", "-c", "env XDG_SESSION_TYPE=x11 XDG_SESSION_CLASS=user "
                 f"su -w XDG_SESSION_TYPE,XDG_SESSION_CLASS - {USER} -c 'exec sleep infinity' "
                 "</dev/null >/dev/null 2>&1 &")
        self.session = wait_for(lambda: self.run("loginctl", "show-user", USER, "-p", "Display", "--value",
                                                 check=False).stdout.strip(),
                                timeout=30, what="the user's display session")
        # Units other packages on this machine put into every graphical
        # session (mako, swaync, waybar) would start here too, and fight
        # over org.freedesktop.Notifications: masked for this user.
        self.user("systemctl --user mask mako.service swaync.service waybar.service >/dev/null; "
                  "for u in $(systemctl --user show -p Wants --value graphical-session.target); do "
                  "  [ $u = limberd.service ] || systemctl --user mask $u >/dev/null; done")
        self.user(f"systemd-run --user --quiet --unit=xvfb -p Type=exec Xvfb {DISPLAY} -nolisten tcp "
                  "-screen 0 1024x768x24")
        wait_for(lambda: self.user(f"DISPLAY={DISPLAY} xdotool getdisplaygeometry", check=False).returncode == 0,
                 timeout=30, what="Xvfb to answer")
        # The session's environment and its notification server, then the
        # session target, which binds graphical-session.target and so starts
        # limberd (enabled for every user by the package).
        self.user(f"""systemctl --user set-environment DISPLAY={DISPLAY} XDG_SESSION_TYPE=x11
systemctl --user start dunst.service
mkdir -p ~/.config/systemd/user
cat > ~/.config/systemd/user/test-session.target <<EOF
[Unit]
Description=the test's graphical session
BindsTo=graphical-session.target
Before=graphical-session.target
Wants=graphical-session-pre.target
After=graphical-session-pre.target
EOF
systemctl --user daemon-reload
systemctl --user start test-session.target""")
        self.times["login"] = time.monotonic() - start

    def wait_active(self, what="limberd to be active (READY=1)", timeout=60):
        def active():
            state = self.show("ActiveState", "SubState")
            if state["ActiveState"] == "failed":
                raise AssertionError("limberd failed:\n" + self.journal("-u", "limberd", "-n", "30"))
            return state["ActiveState"] == "active" and state["SubState"] == "running"
        wait_for(active, timeout=timeout, what=what)

    # ---- the end -------------------------------------------------------

    def shutdown(self):
        if self.proc is None:
            return
        if self.proc.poll() is None and self.init:
            self.run("systemctl", "poweroff", "--no-block", check=False, timeout=30)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                pass
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
        # What is left of the container, if anything, is in our cgroups.
        for cg in self.cgroups:
            for pid in cgroup_pids(cg):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        for cg in self.cgroups:
            def gone(cg=cg):
                for d in sorted((p for p in cg.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)) + [cg]:
                    try:
                        d.rmdir()
                    except OSError:
                        pass
                return not cg.exists()
            wait_for(gone, timeout=30, what=f"{cg} to empty")


@pytest.fixture(scope="session")
def container(tmp_path_factory):
    debs = sorted(glob.glob(os.path.join(os.environ.get("LIMBER_DEB_DIR", SRCDIR / "build/deb"), "limber_*_*.deb")))
    if not debs:
        pytest.fail("no limber_*.deb in $LIMBER_DEB_DIR: run `make check-session`, which builds it")
    OUTPUT.mkdir(parents=True, exist_ok=True)
    c = Container(tmp_path_factory.mktemp("session"), pathlib.Path(debs[-1]))
    try:
        c.boot()
        c.install()
        c.login()
        report(f"{c.version} booted in {c.times['boot']:.1f} s; the .deb installed in "
               f"{c.times['install']:.1f} s; graphical login in {c.times['login']:.1f} s")
        yield c
    finally:
        try:
            if c.init:
                (OUTPUT / "journal.txt").write_text(
                    c.run("journalctl", "--no-pager", "-o", "short-monotonic", check=False).stdout)
        finally:
            c.shutdown()
