# SPDX-License-Identifier: MIT
"""A private desktop for testing limberd: session and "system" buses
(dbus-daemon), python-dbusmock services on them, and the real limberd with a
NOTIFY_SOCKET owned by the test.

Nothing here sleeps to synchronise: every wait is for a condition (a bus name,
READY=1, a property, a signal, a call in a mock's log) with a timeout. Every
process started is a child of the test and is stopped and reaped by PID.
"""
import json
import os
import pathlib
import re
import signal
import socket
import subprocess
import threading
import time

import dbus
import dbus.mainloop.glib
from gi.repository import GLib

dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)

HERE = pathlib.Path(__file__).resolve().parent
SRCDIR = HERE.parents[1]
BUILD = pathlib.Path(os.environ.get("LIMBER_BUILD", SRCDIR / "build")).resolve()
PYTHON = "/usr/bin/python3"  # Debian's: it has dbus-python and dbusmock
LIMBER_NAME = "org.limber.Limber1"
LIMBER_PATH = "/org/limber/Limber1"
MOCK_IFACE = "org.freedesktop.DBus.Mock"
CONTROL = "org.limber.Test"
# limberd keeps its files per machine (a home directory may be shared).
MACHINE_ID = pathlib.Path("/etc/machine-id").read_text().strip()


def vendor_dir(root):
    """The vendor policy directory limberd reads under --root ROOT."""
    config = (BUILD / "build-config.h").read_text()
    return pathlib.Path(root) / re.search(r'LIMBER_VENDOR_DIR "/?([^"]*)"', config).group(1)


# Tests about other rules than the wait for a pause in typing get their
# prompts at once: a vendor file under every test desktop's --root (a test's
# own policy, the user layer, overrides it).
TEST_VENDOR_POLICY = "[general]\nwait-for-lull = 0s\n"


def state_file(state_home):
    """This machine's state file under an XDG_STATE_HOME."""
    return pathlib.Path(state_home) / "limber" / f"state.{MACHINE_ID}"


def history_file(state_home):
    """This machine's history under an XDG_STATE_HOME."""
    return pathlib.Path(state_home) / "limber" / f"history.{MACHINE_ID}"


def wait_for(predicate, timeout=5.0, what="a condition"):
    """Runs the GLib main context (for D-Bus signals) until predicate() is true."""
    ctx = GLib.MainContext.default()
    deadline = time.monotonic() + timeout
    while True:
        while ctx.pending():
            ctx.iteration(False)
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        # Block until an event arrives or 20 ms pass, then look again.
        src = GLib.timeout_add(20, lambda: False)
        ctx.iteration(True)
        if ctx.find_source_by_id(src):
            GLib.source_remove(src)


def run_for(seconds):
    """Runs the main loop for a measurement window: for asserting that
    something does NOT happen over time (never used to wait for an event)."""
    ctx = GLib.MainContext.default()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        src = GLib.timeout_add(max(1, int((deadline - time.monotonic()) * 1000)), lambda: False)
        ctx.iteration(True)
        if ctx.find_source_by_id(src):
            GLib.source_remove(src)


def stop_process(proc, sig=signal.SIGTERM, timeout=10):
    """Stops one child by PID and reaps it; returns its exit status."""
    if proc.poll() is None:
        try:
            proc.send_signal(sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)
    return proc.returncode


def group_members(pgid):
    """The live (not zombie) processes of a process group, from /proc."""
    pids = []
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            pids.append(int(stat.parent.name))
    return pids


class Bus:
    """A private dbus-daemon with no service files: nothing is auto-started."""

    def __init__(self, tmp, kind="session"):
        tmp = pathlib.Path(tmp)
        tmp.mkdir(parents=True, exist_ok=True)
        conf = tmp / f"{kind}-bus.conf"
        conf.write_text(f"""<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>{kind}</type>
  <listen>unix:dir={tmp}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
""")
        self.proc = subprocess.Popen(["dbus-daemon", f"--config-file={conf}", "--nofork", "--print-address=1"],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.address = self.proc.stdout.readline().strip()
        if not self.address:
            raise RuntimeError(f"dbus-daemon ({kind}) did not start")
        self.conn = dbus.bus.BusConnection(self.address)
        self.kind = kind

    def has_owner(self, name):
        return bool(self.conn.name_has_owner(name))

    def owner(self, name):
        """The unique name that owns name, or None."""
        return self.conn.get_name_owner(name) if self.has_owner(name) else None

    def stop(self):
        try:
            self.conn.close()
        except Exception:
            pass
        return stop_process(self.proc)


class Mock:
    """A python-dbusmock service, from a template (ours or dbusmock's)."""

    def __init__(self, bus, template=None, name=None, path=None, iface=None, parameters=None, env=None):
        args = [PYTHON, "-m", "dbusmock", "--system" if bus.kind == "system" else "--session"]
        if template:
            tpath = HERE / "templates" / f"{template}.py"
            args += ["-t", str(tpath) if tpath.exists() else template]
            if parameters:
                args += ["-p", json.dumps(parameters)]
        else:
            args += [name, path, iface]
        e = dict(env or os.environ)
        e["DBUS_SESSION_BUS_ADDRESS" if bus.kind == "session" else "DBUS_SYSTEM_BUS_ADDRESS"] = bus.address
        self.bus = bus
        self.name, self.path = name, path
        if template:
            mod = {}
            src = HERE / "templates" / f"{template}.py"
            if src.exists():
                for line in src.read_text().splitlines():
                    if line.startswith(("BUS_NAME", "MAIN_OBJ")):
                        exec(line, mod)
                self.name, self.path = mod["BUS_NAME"], mod["MAIN_OBJ"]
            elif template == "logind":
                self.name, self.path = "org.freedesktop.login1", "/org/freedesktop/login1"
        # dbusmock takes the name over from an earlier owner (as gnome-shell
        # --replace does): wait for the name to be this one's.
        before = bus.owner(self.name)
        self.proc = subprocess.Popen(args, env=e, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(lambda: bus.owner(self.name) not in (None, before), 10, f"{self.name} on the {bus.kind} bus")
        except BaseException:
            stop_process(self.proc, signal.SIGKILL)  # not registered with the desktop yet
            raise
        self.obj = bus.conn.get_object(self.name, self.path)

    def mock(self, path=None):
        obj = self.bus.conn.get_object(self.name, path) if path else self.obj
        return dbus.Interface(obj, MOCK_IFACE)

    def control(self):
        return dbus.Interface(self.obj, CONTROL)

    def calls(self, method):
        return [(int(t), [a for a in args]) for t, args in self.mock().GetMethodCalls(method)]

    def stop(self, sig=signal.SIGTERM):
        return stop_process(self.proc, sig)


class Limberd:
    """The real limberd, started with a NOTIFY_SOCKET the test owns."""

    def __init__(self, tmp, env, args=(), binary=None, wait_ready=True, group=False):
        tmp = pathlib.Path(tmp)
        self.notify_path = tmp / f"notify-{time.monotonic_ns()}.sock"
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(self.notify_path))
        # Drained all the time, as systemd does: a full socket would block
        # limberd's sd_notify().
        self.messages = []
        self._arrived = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.started = time.monotonic()
        env = dict(env)
        env["NOTIFY_SOCKET"] = str(self.notify_path)
        self.log_path = tmp / f"limberd-{time.monotonic_ns()}.log"
        self.logf = open(self.log_path, "w")
        # group: limberd under a wrapper (make run), the whole process group
        # is signalled, as a terminal's Ctrl-C does.
        self.group = group
        self.proc = subprocess.Popen([binary or str(BUILD / "limberd"), *args], env=env, stdout=self.logf,
                                     stderr=subprocess.STDOUT, start_new_session=group)
        self.pid = self.proc.pid
        if wait_ready:
            try:
                self.wait_message("READY=1", 20)
            except BaseException:
                self.stop(signal.SIGKILL)  # nobody else would
                raise

    def _read(self):
        while True:
            data = self.sock.recv(65536)
            if not data:  # shut down by stop()
                return
            with self._arrived:
                self.messages.append(data.decode())
                self._arrived.notify_all()

    def poll_messages(self):
        """The messages so far (the reader thread collects them)."""
        with self._arrived:
            return list(self.messages)

    def wait_message(self, needle, timeout=10):
        deadline = time.monotonic() + timeout
        seen = 0
        with self._arrived:
            while True:
                for m in self.messages[seen:]:
                    if needle in m.split("\n"):
                        return m
                seen = len(self.messages)
                if self.proc.poll() is not None:
                    raise AssertionError(f"limberd exited with {self.proc.returncode} before {needle}:\n{self.log()}")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no {needle} from limberd within {timeout} s:\n{self.log()}")
                # The next message, or a moment later to notice an exit.
                self._arrived.wait(min(remaining, 0.2))

    def statuses(self):
        return [l[7:] for m in self.poll_messages() for l in m.split("\n") if l.startswith("STATUS=")]

    def log(self):
        if not self.logf.closed:
            self.logf.flush()
        return self.log_path.read_text()

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if self.group:
            try:
                os.killpg(self.pid, sig)
            except ProcessLookupError:
                pass
        rc = stop_process(self.proc, sig, timeout)
        if self.group:
            # The leader may go first (dbus-run-session does): the rest of the
            # group gets its time to finish, then whatever is left is killed.
            try:
                wait_for(lambda: not group_members(self.pid), timeout, "the process group to exit")
            except AssertionError:
                os.killpg(self.pid, signal.SIGKILL)
        if self._reader.is_alive():
            self.sock.shutdown(socket.SHUT_RD)
            self._reader.join(5)
        self.logf.close()
        self.sock.close()
        return rc

    def alive(self):
        return self.proc.poll() is None


SANITIZER_REPORTS = ("ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer")


def stop_limberd(d):
    """Stops a limberd that still runs and says what went wrong at the end:
    an exit status other than a clean exit or the signal it was sent (a
    crash on SIGTERM), a sanitizer report anywhere in its log. A list of
    failures, empty when all is well."""
    failures = []
    if d.alive():
        rc = d.stop()
        if rc not in (0, -signal.SIGKILL, -signal.SIGTERM):
            failures.append(f"limberd exited with {rc}:\n{d.log()}")
    log = d.log() if not d.logf.closed else d.log_path.read_text()
    if any(bad in log for bad in SANITIZER_REPORTS):
        failures.append(f"sanitizer report in limberd's log:\n{log}")
    return failures


class Client:
    """limberd's D-Bus API, and a record of its signals."""

    def __init__(self, bus):
        self.bus = bus
        self.conn = bus.conn
        self.signals = []
        self.changes = []
        self._receivers = [
            self.conn.add_signal_receiver(self._on_signal, dbus_interface=LIMBER_NAME, path=LIMBER_PATH,
                                          member_keyword="member"),
            self.conn.add_signal_receiver(self._on_changed, signal_name="PropertiesChanged",
                                          dbus_interface="org.freedesktop.DBus.Properties", path=LIMBER_PATH),
        ]

    def _on_signal(self, *args, member=None):
        self.signals.append((member, [unwrap(a) for a in args]))

    def _on_changed(self, iface, changed, invalidated):
        self.changes.append((time.monotonic(), unwrap(changed)))

    @property
    def iface(self):
        return dbus.Interface(self.conn.get_object(LIMBER_NAME, LIMBER_PATH), LIMBER_NAME)

    def call(self, method, *args, timeout=5):
        return unwrap(getattr(self.iface, method)(*args, timeout=timeout))

    def status(self):
        return self.call("GetStatus")

    def prop(self, name):
        props = dbus.Interface(self.conn.get_object(LIMBER_NAME, LIMBER_PATH), "org.freedesktop.DBus.Properties")
        return unwrap(props.Get(LIMBER_NAME, name))

    def kind(self, kind):
        return self.status()["breaks"][kind]

    def wait_signal(self, member, args=None, timeout=10):
        def found():
            return any(m == member and (args is None or a[:len(args)] == list(args)) for m, a in self.signals)
        wait_for(found, timeout, f"signal {member}{args or ''}")

    def wait_state(self, kind, state, timeout=10):
        wait_for(lambda: self.kind(kind)["state"] == state, timeout, f"{kind} to be {state}")

    def close(self):
        for r in self._receivers:
            r.remove()


def unwrap(v):
    """dbus-python values as plain Python."""
    if isinstance(v, dbus.Boolean):
        return bool(v)
    if isinstance(v, (dbus.String, dbus.ObjectPath, dbus.Signature)):
        return str(v)
    if isinstance(v, (dbus.Byte, dbus.Int16, dbus.Int32, dbus.Int64, dbus.UInt16, dbus.UInt32, dbus.UInt64)):
        return int(v)
    if isinstance(v, dbus.Double):
        return float(v)
    if isinstance(v, (dbus.Array, list)):
        return [unwrap(x) for x in v]
    if isinstance(v, dbus.Struct):
        return tuple(unwrap(x) for x in v)
    if isinstance(v, (dbus.Dictionary, dict)):
        return {unwrap(k): unwrap(x) for k, x in v.items()}
    return v


class Desktop:
    """Buses, mocks and limberd for one test; stop() tears down in order."""

    def __init__(self, tmp):
        self.tmp = pathlib.Path(tmp)
        self.session = Bus(self.tmp / "session", "session")
        self.system = Bus(self.tmp / "system", "system")
        self.mocks = {}
        self.daemons = []
        self.others = []  # compositors, X servers, helpers: stopped last, by PID
        self.root = self.tmp / "root"
        self.root.mkdir(exist_ok=True)
        vendor = vendor_dir(self.root)
        vendor.mkdir(parents=True, exist_ok=True)
        (vendor / "00-tests.ini").write_text(TEST_VENDOR_POLICY)
        self.home = self.tmp / "home"
        self.home.mkdir(exist_ok=True)
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.home),
            "XDG_CONFIG_HOME": str(self.tmp / "config"),
            "XDG_STATE_HOME": str(self.tmp / "state"),
            "XDG_RUNTIME_DIR": str(self.tmp / "session"),
            "DBUS_SESSION_BUS_ADDRESS": self.session.address,
            "DBUS_SYSTEM_BUS_ADDRESS": self.system.address,
            "LANG": "C.UTF-8",
            "TZ": "UTC",
            "NO_COLOR": "1",
            "LIMBER_LOG_LEVEL": "debug",
            "LIMBER_TIPS": str(SRCDIR / "config/tips"),
            "LIMBER_EXERCISES": str(SRCDIR / "config/exercises"),
            "ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", "detect_leaks=1"),
            "UBSAN_OPTIONS": os.environ.get("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1"),
            "LSAN_OPTIONS": f"suppressions={HERE / 'lsan.supp'}:print_suppressions=0",
        }
        self.client = None

    def state_path(self):
        return state_file(self.tmp / "state")

    def history_path(self):
        return history_file(self.tmp / "state")

    def policy(self, text):
        path = self.tmp / "config/limber/limber.ini"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    def add(self, key, template=None, bus=None, **kw):
        self.mocks[key] = Mock(bus or self.session, template=template, env=self.env, **kw)
        return self.mocks[key]

    def logind(self, session="c1", locked=False):
        """dbusmock's logind on the system bus with one session for us."""
        m = self.add("logind", "logind", bus=self.system)
        m.mock().AddSession(session, "seat0", dbus.UInt32(os.getuid()), "tester", True)
        # GetSession("auto") answers our session's real path.
        m.mock().AddMethod("org.freedesktop.login1.Manager", "GetSession", "s", "o",
                           f'ret = dbus.ObjectPath("/org/freedesktop/login1/session/{session}")')
        m.session_path = f"/org/freedesktop/login1/session/{session}"
        return m

    def start(self, *args, wait_ready=True, binary=None, extra_env=None):
        env = dict(self.env)
        env.update(extra_env or {})
        d = Limberd(self.tmp, env, ["--root", str(self.root), *args], binary=binary, wait_ready=wait_ready)
        self.daemons.append(d)
        if wait_ready and not self.client:
            self.client = Client(self.session)
        return d

    def stop(self):
        failures = []
        if self.client:
            self.client.close()
        for d in self.daemons:
            failures += stop_limberd(d)
        for m in self.mocks.values():
            m.stop()
        for p in reversed(self.others):
            stop_process(p)
        self.session.stop()
        self.system.stop()
        return failures

    def adopt(self, proc):
        """A process a test started for the desktop: if the test cannot stop
        it (a failed set-up), the desktop does."""
        self.others.append(proc)
        return proc


def thread_switches(pid):
    """{thread id: its context switches so far} of process pid; a thread that
    ends while it is read is left out."""
    out = {}
    for status in pathlib.Path(f"/proc/{pid}/task").glob("*/status"):
        try:
            lines = status.read_text().splitlines()
        except OSError:
            continue
        out[status.parent.name] = sum(int(l.split()[1]) for l in lines
                                      if l.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")))
    return out


def thread_wakeups(before, after, tid=None):
    """Context switches between two thread_switches() snapshots (of all
    threads, or of thread tid alone): a thread present at both ends counts
    its difference, one that began in between counts whole, one that ended
    in between is not counted after it was last read."""
    return sum(n - before.get(t, 0) for t, n in after.items() if tid is None or t == tid)


def limber_breaks(desktop):
    """`limber status --json` as a person's client sees it: kind -> break."""
    r = subprocess.run([str(BUILD / "limber"), "status", "--json"], env=desktop.env, capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 0, r.stderr
    return {b["kind"]: b for b in json.loads(r.stdout)["breaks"]}


def desktop_fixture(tmp_path):
    """The body of each suite's `desktop` fixture: a private desktop (session
    and system buses, room for mocks, limberd), checked when it stops."""
    d = Desktop(tmp_path)
    yield d
    failures = d.stop()
    assert not failures, "\n".join(failures)


def start_xvfb(size="1280x1024x24"):
    """Xvfb on a display it picks itself; returns (process, ":N")."""
    r, w = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", size, "-nolisten", "tcp"],
                            pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(w)
    with os.fdopen(r) as f:
        number = f.readline().strip()
    if not number.isdigit():
        stop_process(proc, signal.SIGKILL)
        raise AssertionError(f"Xvfb did not start (exit status {proc.poll()})")
    return proc, ":" + number
