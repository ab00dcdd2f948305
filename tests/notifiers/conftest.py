# SPDX-License-Identifier: MIT
"""Real notification servers and do-not-disturb switches for limberd's
prompts: mako and swaync drawn on a real sway 1.7 (headless), xfce4-notifyd
on Xvfb with its xfconfd, and GNOME's show-banners in the real dconf
service. Each program is a child of the test, on the test's private session
bus, stopped by PID. Screenshots of the prompts are kept in
$LIMBER_TEST_OUTPUT/notifiers/."""
import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest
from PIL import Image

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[0] / "integration"))
sys.path.insert(0, str(HERE.parents[0] / "desktops"))
from compositors import Sway  # noqa: E402
from harness import desktop_fixture, start_xvfb, stop_process, wait_for  # noqa: E402

OUTPUT = pathlib.Path(os.environ.get("LIMBER_TEST_OUTPUT", HERE.parents[1] / "build/test-output")) / "notifiers"
NOTIFICATIONS = "org.freedesktop.Notifications"
# Debian installs them under the multiarch directory.
XFCONFD = next(iter(sorted(pathlib.Path("/usr/lib").glob("*/xfce4/xfconf/xfconfd"))), "xfconfd")
XFCE4_NOTIFYD = next(iter(sorted(pathlib.Path("/usr/lib").glob("*/xfce4/notifyd/xfce4-notifyd"))), "xfce4-notifyd")
# The buttons of a prompt are painted in this colour (the servers' own
# style sheets), so that a test can find them on screen and click them.
BUTTON = (255, 0, 255)


def busy(region):
    """The share of a region's pixels that differ from its most common colour."""
    colors = region.getcolors(region.width * region.height)
    return 1 - max(colors)[0] / (region.width * region.height)


def buttons(path):
    """The prompt's buttons on a screenshot, left to right: the boxes
    (x0, y0, x1, y1) of the runs of BUTTON-coloured columns."""
    img = Image.open(path).convert("RGB")
    w, h = img.size
    px = img.load()
    columns = {}
    for x in range(w):
        ys = [y for y in range(0, h, 2) if px[x, y] == BUTTON]
        if ys:
            columns[x] = (min(ys), max(ys))
    boxes, run = [], []
    for x in sorted(columns):
        if run and x != run[-1] + 1:
            boxes.append(run)
            run = []
        run.append(x)
    if run:
        boxes.append(run)
    return [(r[0], min(columns[x][0] for x in r), r[-1], max(columns[x][1] for x in r))
            for r in boxes if len(r) > 8]


def run(args, env, **kw):
    r = subprocess.run(args, env=env, capture_output=True, text=True, timeout=30, **kw)
    assert r.returncode == 0, f"{args}: {r.stderr}"
    return r.stdout.strip()


def wait_server(desktop, proc, log, what):
    wait_for(lambda: desktop.session.has_owner(NOTIFICATIONS) or proc.poll() is not None, 30, what)
    assert proc.poll() is None, pathlib.Path(log).read_text()


class Mako:
    """mako on sway: prompts at the top right, buttons invoked with makoctl.
    Its do-not-disturb is a mode that hides notifications, as mako's manual
    suggests."""

    def __init__(self, desktop, sway):
        tmp = desktop.tmp / "mako"
        tmp.mkdir()
        config = tmp / "config"
        config.write_text("font=DejaVu Sans 11\nbackground-color=#285577\ntext-color=#ffffff\nwidth=420\n"
                          "height=160\nborder-size=2\ndefault-timeout=0\nanchor=top-right\n\n"
                          "[mode=do-not-disturb]\ninvisible=1\n")
        self.env = dict(desktop.env, **sway.env)
        self.log_path = tmp / "mako.log"
        self.log = open(self.log_path, "w")
        self.proc = desktop.adopt(subprocess.Popen(["mako", "-c", str(config)], env=self.env, stdout=self.log,
                                                   stderr=subprocess.STDOUT))
        wait_server(desktop, self.proc, self.log_path, "mako")

    def makoctl(self, *args):
        return run(["makoctl", *args], self.env)

    def listed(self):
        """The notifications mako holds: (id, app name, summary)."""
        data = json.loads(self.makoctl("list"))["data"][0]
        return [(n["id"]["data"], n["app-name"]["data"], n["summary"]["data"]) for n in data]

    def stop(self):
        stop_process(self.proc)
        self.log.close()


class Swaync:
    """swaync on sway: prompts as pop-ups at the top right; its client
    switches do-not-disturb, and its buttons are clicked with the simulated
    user's pointer."""

    def __init__(self, desktop, sway):
        tmp = desktop.tmp / "swaync"
        (tmp / "config/swaync").mkdir(parents=True)
        config = json.loads(pathlib.Path("/etc/xdg/swaync/config.json").read_text())
        config.update({"timeout": 0, "timeout-low": 0, "timeout-critical": 0})
        (tmp / "config/swaync/config.json").write_text(json.dumps(config))
        css = pathlib.Path("/etc/xdg/swaync/style.css").read_text()
        (tmp / "config/swaync/style.css").write_text(
            css + "\n.notification-action { background: rgb(255, 0, 255); margin: 6px; border: none; }\n"
                  ".notification-action:hover { background: rgb(255, 0, 255); }\n")
        self.env = dict(desktop.env, **sway.env, XDG_CONFIG_HOME=str(tmp / "config"), GDK_BACKEND="wayland",
                        GSETTINGS_BACKEND="memory", NO_AT_BRIDGE="1")
        self.log_path = tmp / "swaync.log"
        self.log = open(self.log_path, "w")
        self.proc = desktop.adopt(subprocess.Popen(["swaync"], env=self.env, stdout=self.log,
                                                   stderr=subprocess.STDOUT))
        wait_server(desktop, self.proc, self.log_path, "swaync")
        wait_for(lambda: desktop.session.has_owner("org.erikreider.swaync.cc"), 30, "swaync's control centre")

    def client(self, *args):
        return run(["swaync-client", *args], self.env)

    def count(self):
        return int(self.client("--count"))

    def stop(self):
        stop_process(self.proc)
        self.log.close()


class XfceNotifyd:
    """xfce4-notifyd on Xvfb, with its settings in a real xfconfd; buttons
    are clicked with xdotool."""

    def __init__(self, desktop):
        tmp = desktop.tmp / "xfce"
        theme = tmp / "data/themes/limber-test/xfce-notify-4.0"
        theme.mkdir(parents=True)
        theme.joinpath("gtk.css").write_text(
            "#XfceNotifyWindow { background: #285577; color: #ffffff; }\n"
            "#XfceNotifyWindow button { background: rgb(255, 0, 255); background-image: none; margin: 6px;"
            " border: none; box-shadow: none; }\n")
        self.xvfb, self.display = start_xvfb("1280x800x24")
        desktop.adopt(self.xvfb)
        self.env = dict(desktop.env, DISPLAY=self.display, XDG_DATA_HOME=str(tmp / "data"),
                        XDG_DATA_DIRS=f"{tmp / 'data'}:/usr/share", GSETTINGS_BACKEND="memory", NO_AT_BRIDGE="1")
        self.logs = open(tmp / "xfce.log", "w")
        self.xfconfd = desktop.adopt(subprocess.Popen([str(XFCONFD)],
                                                      env=self.env, stdout=self.logs, stderr=subprocess.STDOUT))
        wait_for(lambda: desktop.session.has_owner("org.xfce.Xfconf") or self.xfconfd.poll() is not None, 30,
                 "xfconfd")
        assert self.xfconfd.poll() is None, (tmp / "xfce.log").read_text()
        self.set("/theme", "string", "limber-test")
        self.notifyd = desktop.adopt(subprocess.Popen([str(XFCE4_NOTIFYD)],
                                                      env=self.env, stdout=self.logs, stderr=subprocess.STDOUT))
        wait_server(desktop, self.notifyd, tmp / "xfce.log", "xfce4-notifyd")

    def set(self, prop, kind, value):
        run(["xfconf-query", "-c", "xfce4-notifyd", "-p", prop, "-n", "-t", kind, "-s", value], self.env)

    def screenshot(self, path):
        run(["/usr/bin/import", "-display", self.display, "-window", "root", str(path)], self.env)
        return path

    def click(self, x, y):
        run(["xdotool", "mousemove", str(int(x)), str(int(y)), "click", "1"], self.env)

    def stop(self):
        stop_process(self.notifyd)
        stop_process(self.xfconfd)
        stop_process(self.xvfb)
        self.logs.close()


class Dconf:
    """The real dconf service on the test's bus: gsettings writes through
    it, and limberd's GSettings hears the change."""

    def __init__(self, desktop):
        self.env = dict(desktop.env, GSETTINGS_BACKEND="dconf")
        self.log = open(desktop.tmp / "dconf.log", "w")
        self.proc = desktop.adopt(subprocess.Popen(["/usr/libexec/dconf-service"], env=self.env, stdout=self.log,
                                                   stderr=subprocess.STDOUT))
        wait_for(lambda: desktop.session.has_owner("ca.desrt.dconf") or self.proc.poll() is not None, 30, "dconf")
        assert self.proc.poll() is None

    def gsettings(self, *args):
        return run(["gsettings", *args], self.env)

    def stop(self):
        stop_process(self.proc)
        self.log.close()


def need(*programs):
    missing = [p for p in programs if not shutil.which(p) and not os.path.exists(p)]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (make deps installs them)")


@pytest.fixture
def desktop(tmp_path):
    yield from desktop_fixture(tmp_path)


@pytest.fixture
def sway(desktop):
    need("sway", "setpriv", "grim")
    s = Sway(desktop)
    yield s
    s.stop()


@pytest.fixture
def mako(desktop, sway):
    need("mako", "makoctl", "busctl", "jq")
    m = Mako(desktop, sway)
    yield m
    m.stop()


@pytest.fixture
def swaync(desktop, sway):
    need("swaync", "swaync-client")
    s = Swaync(desktop, sway)
    yield s
    s.stop()


@pytest.fixture
def xfce(desktop):
    need("Xvfb", "xdotool", "xfconf-query", "/usr/bin/import", str(XFCONFD), str(XFCE4_NOTIFYD))
    x = XfceNotifyd(desktop)
    yield x
    x.stop()


@pytest.fixture
def dconf(desktop):
    need("gsettings", "/usr/libexec/dconf-service")
    d = Dconf(desktop)
    yield d
    d.stop()
