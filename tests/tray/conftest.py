# SPDX-License-Identifier: MIT
"""A real tray host for limberd's icon: waybar's tray on a headless sway 1.7
(Debian 12's), both run as an unprivileged user (sway refuses root), on a
session bus limberd (root) shares with them. Screenshots by grim.

Every process is a child of the test, waited for by a condition (a socket,
a bus name, pixels on screen) and stopped by PID."""
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile

import dbus
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "integration"))
from harness import BUILD, SRCDIR, Limberd, stop_limberd, stop_process, wait_for  # noqa: E402

USER, GROUP = "nobody", "nogroup"
WATCHER = "org.kde.StatusNotifierWatcher"
BAR_HEIGHT = 32
ICON_SIZE = 24


def as_user(args):
    return ["setpriv", f"--reuid={USER}", f"--regid={GROUP}", "--clear-groups", *args]


class TrayHost:
    """sway + waybar (with a tray) + a session bus, in a directory the
    unprivileged user can reach; limberd joins as root."""

    def __init__(self, root):
        self.root = root
        self.out = pathlib.Path(os.environ.get("LIMBER_TEST_OUTPUT", BUILD / "test-output")) / "tray"
        self.out.mkdir(parents=True, exist_ok=True)
        self.procs = []
        uid = int(subprocess.run(["id", "-u", USER], capture_output=True, text=True, check=True).stdout)
        gid = int(subprocess.run(["id", "-g", USER], capture_output=True, text=True, check=True).stdout)
        self.runtime = root / "run"
        self.home = root / "home"
        for d in (self.runtime, self.home):
            d.mkdir(mode=0o700)
            os.chown(d, uid, gid)
        # The icons where an installed limber puts them ($(DATADIR)/icons/hicolor).
        icons = root / "share/icons/hicolor"
        for svg in sorted((SRCDIR / "config/icons").glob("*.svg")):
            sub = "symbolic/apps" if svg.stem.endswith("-symbolic") else "scalable/apps"
            (icons / sub).mkdir(parents=True, exist_ok=True)
            shutil.copy(svg, icons / sub / svg.name)
        self.conn = None
        self.waybar = None

    def start(self):
        self.bus_address = self._start_bus()
        self.conn = dbus.bus.BusConnection(self.bus_address)
        self.wayland = self._start_sway()

    def _spawn(self, args, log, env):
        f = open(self.root / log, "a")
        p = subprocess.Popen(args, env=env, stdout=f, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        f.close()
        self.procs.append(p)
        return p

    def _start_bus(self):
        (self.root / "bus").mkdir()
        conf = self.root / "bus.conf"
        conf.write_text(f"""<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={self.root / 'bus'}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <!-- limberd (root) and the desktop (the unprivileged user) on one bus -->
    <allow user="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
""")
        p = subprocess.Popen(["dbus-daemon", f"--config-file={conf}", "--nofork", "--print-address=1"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.procs.append(p)
        address = p.stdout.readline().strip()
        assert address, "dbus-daemon did not start"
        return address

    def user_env(self, **extra):
        env = {"PATH": "/usr/bin:/bin", "HOME": str(self.home), "XDG_RUNTIME_DIR": str(self.runtime),
               "DBUS_SESSION_BUS_ADDRESS": self.bus_address, "LANG": "C.UTF-8",
               "XDG_DATA_DIRS": f"{self.root / 'share'}:/usr/share"}
        env.update(extra)
        return env

    def _start_sway(self):
        config = self.root / "sway.conf"
        config.write_text("output HEADLESS-1 resolution 640x240\n")
        self.sway = self._spawn(as_user(["sway", "-c", str(config)]), "sway.log", self.user_env(
            WLR_BACKENDS="headless", WLR_RENDERER="pixman", WLR_LIBINPUT_NO_DEVICES="1"))

        def socket():
            assert self.sway.poll() is None, "sway exited:\n" + (self.root / "sway.log").read_text()
            found = [p.name for p in self.runtime.glob("wayland-*") if not p.name.endswith(".lock")]
            return found[0] if found else None
        return wait_for(socket, 30, "sway's Wayland socket")

    def start_waybar(self):
        config = self.root / "waybar.json"
        config.write_text('{"layer": "top", "position": "top", "height": %d, "modules-right": ["tray"],'
                          ' "tray": {"icon-size": %d, "spacing": 8}}\n' % (BAR_HEIGHT, ICON_SIZE))
        style = self.root / "waybar.css"
        style.write_text("window#waybar { background: #202020; }\n#tray { padding: 0 10px; }\n")
        before = self.owner(WATCHER)
        self.waybar = self._spawn(as_user(["waybar", "-c", str(config), "-s", str(style)]), "waybar.log",
                                  self.user_env(WAYLAND_DISPLAY=self.wayland))

        def up():
            assert self.waybar.poll() is None, "waybar exited:\n" + self.log("waybar.log")
            return self.owner(WATCHER) not in (None, before)
        wait_for(up, 30, "waybar's StatusNotifierWatcher")
        return self.waybar

    def stop_waybar(self):
        stop_process(self.waybar)
        wait_for(lambda: self.owner(WATCHER) is None, 30, "the watcher to leave the bus")

    def owner(self, name):
        return str(self.conn.get_name_owner(name)) if self.conn.name_has_owner(name) else None

    def items(self):
        """What the watcher holds: "busname/path" of each registered item."""
        props = dbus.Interface(self.conn.get_object(WATCHER, "/StatusNotifierWatcher"),
                               "org.freedesktop.DBus.Properties")
        return [str(i) for i in props.Get(WATCHER, "RegisteredStatusNotifierItems")]

    def screenshot(self, name):
        path = self.out / name
        env = dict(os.environ, XDG_RUNTIME_DIR=str(self.runtime), WAYLAND_DISPLAY=self.wayland)
        r = subprocess.run(["grim", str(path)], env=env, capture_output=True, text=True, timeout=30)
        assert r.returncode == 0, r.stderr
        return path

    def limberd(self, policy=""):
        (self.root / "config/limber").mkdir(parents=True, exist_ok=True)
        (self.root / "config/limber/limber.ini").write_text(policy)
        (self.root / "policy-root").mkdir(exist_ok=True)
        env = {"PATH": "/usr/bin:/bin", "HOME": str(self.root), "XDG_CONFIG_HOME": str(self.root / "config"),
               "XDG_STATE_HOME": str(self.root / "state"), "DBUS_SESSION_BUS_ADDRESS": self.bus_address,
               "DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={self.root / 'no-system-bus'}", "LANG": "C.UTF-8",
               "TZ": "UTC", "LIMBER_LOG_LEVEL": "debug", "LIMBER_TIPS": str(SRCDIR / "config/tips"),
               "LIMBER_EXERCISES": str(SRCDIR / "config/exercises")}
        for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS"):
            if k in os.environ:
                env[k] = os.environ[k]
        env["LSAN_OPTIONS"] = f"suppressions={SRCDIR / 'tests/integration/lsan.supp'}:print_suppressions=0"
        d = Limberd(self.root, env, ["--root", str(self.root / "policy-root")])
        self.procs.append(d)
        return d

    def log(self, name):
        return (self.root / name).read_text()

    def stop(self):
        failures = []
        for p in reversed(self.procs):
            if isinstance(p, Limberd):
                failures += stop_limberd(p)
            else:
                stop_process(p, signal.SIGTERM)
        if self.conn:
            self.conn.close()
        return failures


@pytest.fixture
def host():
    for program in ("sway", "waybar", "grim", "setpriv"):
        if not shutil.which(program):
            pytest.fail(f"{program} is not installed: `make deps` installs it (as `make check` does; "
                        "`make check-tray` alone installs nothing)")
    # Not under pytest's tmp_path: its parents are root's alone, and sway and
    # waybar run as another user.
    root = pathlib.Path(tempfile.mkdtemp(prefix="limber-tray-"))
    root.chmod(0o755)
    h = TrayHost(root)
    try:
        h.start()
        yield h
    finally:
        failures = h.stop()
        shutil.rmtree(root, ignore_errors=True)
    assert not failures, "\n".join(failures)
