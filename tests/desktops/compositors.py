# SPDX-License-Identifier: MIT
"""Real compositors for limberd's backends: GNOME mutter (headless, its
org.gnome.Mutter.IdleMonitor, input through org.gnome.Mutter.RemoteDesktop)
KDE KWin (virtual backend, Wayland ext_idle_notifier_v1, input through
org_kde_kwin_fake_input), sway 1.7 (headless, as an unprivileged user: the
older org_kde_kwin_idle, input through wlroots' virtual pointer and keyboard)
and an X server (Xvfb: its IDLETIME counter, input through XTEST with
xdotool). Each compositor is a child of the test, waited for and stopped by
PID."""
import os
import pathlib
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time

import dbus
from gi.repository import GLib

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "integration"))
from harness import BUILD, start_xvfb, stop_process, wait_for  # noqa: E402


class SimulatedUser:
    """Someone at the keyboard: input every 300 ms while typing (well inside
    any idle threshold), nothing otherwise. Runs on the GLib main loop the
    tests' waits turn. A failure to inject is raised at the next start() or
    stop() (GLib would only print it)."""

    def __init__(self, inject):
        self.inject = inject
        self.source = None
        self.events = 0
        self.last = 0.0  # time.monotonic() of the last input
        self.error = None

    def _tick(self):
        try:
            self.inject()
        except Exception as e:  # noqa: BLE001 - handed to the test below
            self.error = e
            self.source = None
            return False
        self.last = time.monotonic()
        self.events += 1
        return True

    def _check(self):
        if self.error:
            raise AssertionError(f"the simulated user's input failed: {self.error!r}") from self.error

    def start(self):
        self._check()
        if not self.source:
            self.inject()
            self.last = time.monotonic()
            self.events += 1
            self.source = GLib.timeout_add(300, self._tick)

    def stop(self):
        if self.source:
            GLib.source_remove(self.source)
            self.source = None
        self._check()


class Mutter:
    def __init__(self, desktop):
        tmp = desktop.tmp / "mutter"
        self.xdg = tmp / "xdg"
        self.xdg.mkdir(parents=True, mode=0o700)
        (tmp / "home").mkdir()
        env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=desktop.session.address, XDG_RUNTIME_DIR=str(self.xdg),
                   HOME=str(tmp / "home"), GSETTINGS_BACKEND="memory", MUTTER_DEBUG_RESET_IDLETIME="1")
        env.pop("WAYLAND_DISPLAY", None)
        env.pop("DISPLAY", None)
        self.log = open(tmp / "mutter.log", "w")
        self.proc = desktop.adopt(subprocess.Popen(
            ["mutter", "--headless", "--wayland", "--no-x11", "--virtual-monitor", "1024x768",
             "--wayland-display=wl-mutter"], env=env, stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL))
        bus = desktop.session
        wait_for(lambda: bus.has_owner("org.gnome.Mutter.RemoteDesktop") and bus.has_owner("org.gnome.Mutter.IdleMonitor")
                 or self.proc.poll() is not None, 20, "mutter on the bus")
        assert self.proc.poll() is None, (tmp / "mutter.log").read_text()
        # A remote-desktop session belongs to the connection that made it: the test's own.
        rd = dbus.Interface(bus.conn.get_object("org.gnome.Mutter.RemoteDesktop", "/org/gnome/Mutter/RemoteDesktop"),
                            "org.gnome.Mutter.RemoteDesktop")
        path = rd.CreateSession()
        self.session = dbus.Interface(bus.conn.get_object("org.gnome.Mutter.RemoteDesktop", path),
                                      "org.gnome.Mutter.RemoteDesktop.Session")
        self.session.Start()
        self.sign = 1

    def input(self):
        """Pointer motion and key presses in turn (a Shift press and release)."""
        if self.sign > 0:
            self.session.NotifyPointerMotionRelative(dbus.Double(5.0), dbus.Double(3.0))
        else:
            self.session.NotifyKeyboardKeysym(dbus.UInt32(0xffe1), True)  # XK_Shift_L
            self.session.NotifyKeyboardKeysym(dbus.UInt32(0xffe1), False)
        self.sign = -self.sign

    def stop(self):
        try:
            self.session.Stop()
        except dbus.DBusException:
            pass
        rc = stop_process(self.proc)
        self.log.close()
        return rc


class KWin:
    def __init__(self, desktop):
        tmp = desktop.tmp / "kwin"
        self.xdg = tmp / "xdg"
        self.xdg.mkdir(parents=True, mode=0o700, exist_ok=True)  # a second KWin: the same socket
        (tmp / "home").mkdir(exist_ok=True)
        # The packaged binary carries a file capability this machine refuses; a copy does not.
        binary = tmp / "kwin_wayland"
        shutil.copy("/usr/bin/kwin_wayland", binary)
        env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=desktop.session.address, XDG_RUNTIME_DIR=str(self.xdg),
                   HOME=str(tmp / "home"), KWIN_WAYLAND_NO_PERMISSION_CHECKS="1", QT_QPA_PLATFORM="wayland")
        env.pop("WAYLAND_DISPLAY", None)
        env.pop("DISPLAY", None)
        self.log = open(tmp / "kwin.log", "w")
        self.proc = desktop.adopt(subprocess.Popen(
            [str(binary), "--virtual", "--no-lockscreen", "--no-global-shortcuts", "--no-kactivities", "--socket",
             "wl-kwin", "--width", "1024", "--height", "768"],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL))
        wait_for(lambda: (self.xdg / "wl-kwin").exists() and desktop.session.has_owner("org.kde.KWin")
                 or self.proc.poll() is not None, 20, "kwin")
        assert self.proc.poll() is None, (tmp / "kwin.log").read_text()
        self.env = {"WAYLAND_DISPLAY": "wl-kwin", "XDG_RUNTIME_DIR": str(self.xdg)}
        self.fake = InputClient(desktop, "fake-input", dict(env, **self.env))
        self.input = self.fake.input

    def stop(self):
        self.fake.stop()
        rc = stop_process(self.proc)
        self.log.close()
        return rc


class InputClient:
    """A simulated user's Wayland client (fake-input for KWin, virtual-input
    for sway): one command a line, answered "ok" once the compositor has
    processed it."""

    def __init__(self, desktop, tool, env):
        self.proc = desktop.adopt(subprocess.Popen([str(BUILD / "tests/desktops" / tool)], env=env,
                                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
        assert self.answer(20) == "ready"
        self.turn = False

    def answer(self, timeout=10):
        """The next line, or an error after timeout seconds."""
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        assert ready, f"no answer from the input client within {timeout} s"
        return self.proc.stdout.readline().strip()

    def command(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        assert self.answer() == "ok"

    def input(self):
        """Pointer motion and key presses in turn."""
        self.turn = not self.turn
        self.command("pointer" if self.turn else "key")

    def stop(self):
        try:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass
        stop_process(self.proc)


# sway refuses to run as root: under root (CI) it runs as nobody, with a
# runtime directory and a home of its own outside the test's (root-only)
# temporary directory. Its clients (limberd, the notification servers, the
# input client) stay root and reach its socket by path.
UNPRIVILEGED = 65534


class Sway:
    """sway 1.7 headless, one 1280x800 output, no bar."""

    WIDTH, HEIGHT = 1280, 800

    def __init__(self, desktop, config_extra=""):
        self.top = pathlib.Path(tempfile.mkdtemp(prefix="limber-sway-"))
        self.top.chmod(0o755)
        self.xdg = self.top / "xdg"
        self.xdg.mkdir(mode=0o700)
        home = self.top / "home"
        home.mkdir()
        config = self.top / "config"
        config.write_text(f"output HEADLESS-1 resolution {self.WIDTH}x{self.HEIGHT}\nxwayland disable\n"
                          + config_extra)
        config.chmod(0o644)
        prefix = []
        if os.getuid() == 0:
            for d in (self.xdg, home):
                os.chown(d, UNPRIVILEGED, UNPRIVILEGED)
            prefix = ["setpriv", f"--reuid={UNPRIVILEGED}", f"--regid={UNPRIVILEGED}", "--clear-groups"]
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "XDG_RUNTIME_DIR": str(self.xdg),
               "WLR_BACKENDS": "headless", "WLR_RENDERER": "pixman", "WLR_LIBINPUT_NO_DEVICES": "1",
               "LANG": "C.UTF-8"}
        self.log_path = desktop.tmp / "sway.log"
        self.log = open(self.log_path, "w")
        self.proc = desktop.adopt(subprocess.Popen([*prefix, "sway", "-c", str(config)], env=env, stdout=self.log,
                                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL))
        wait_for(lambda: self.socket() or self.proc.poll() is not None, 30, "sway's Wayland socket")
        assert self.proc.poll() is None, self.log_path.read_text()
        self.display = self.socket()
        self.env = {"WAYLAND_DISPLAY": self.display, "XDG_RUNTIME_DIR": str(self.xdg)}
        self.user = InputClient(desktop, "virtual-input", dict(os.environ, **self.env))
        self.input = self.user.input

    def socket(self):
        for p in self.xdg.iterdir():
            if re.fullmatch(r"wayland-\d+", p.name) and p.is_socket():
                return p.name
        return None

    def click(self, x, y):
        self.user.command(f"click {int(x)} {int(y)} {self.WIDTH} {self.HEIGHT}")

    def screenshot(self, path):
        subprocess.run(["grim", str(path)], env=dict(os.environ, **self.env), check=True, timeout=30)
        return path

    def stop(self):
        self.user.stop()
        rc = stop_process(self.proc)
        self.log.close()
        shutil.rmtree(self.top, ignore_errors=True)
        return rc


class XServer:
    """Xvfb on a free display; input is XTEST pointer motion (xdotool), which
    resets the server's IDLETIME like a real mouse."""

    def __init__(self, desktop):
        self.proc, self.display = start_xvfb("640x480x24")
        desktop.adopt(self.proc)
        self.env = {"DISPLAY": self.display}
        self.sign = 1

    def input(self):
        subprocess.run(["xdotool", "mousemove_relative", "--", str(5 * self.sign), str(3 * self.sign)],
                       env=dict(os.environ, DISPLAY=self.display), check=True, timeout=10)
        self.sign = -self.sign

    def stop(self):
        return stop_process(self.proc)
