#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""limberd next to its peers, Workrave and Safe Eyes, in the same harness.

For each program, one at a time, in a fresh harness of its own: a private
Xvfb (-displayfd), a private session dbus-daemon, a stand-in "system"
dbus-daemon with python-dbusmock's logind on it, dunst as the notification
server, a fresh HOME and XDG_RUNTIME_DIR, LANG=C.UTF-8 and a clean PATH.

  1. start-up: from just before the fork until the program can be asked for
     its status (limberd: READY=1 on a NOTIFY_SOCKET we own, and its bus name;
     Workrave: its bus name; Safe Eyes: its XML-RPC port listening);
  2. a settle period, then an idle window, then an active window in which one
     long-running xdotool process (not counted) moves the pointer every second;
     for each window, over the program's process tree: RSS and PSS at the end
     (/proc/PID/smaps_rollup), threads, CPU time (utime+stime+cutime+cstime
     from /proc/PID/stat) and context switches (voluntary + nonvoluntary, per
     thread from /proc/PID/task/*/status; threads and child processes that end
     during the window are counted from the kernel's taskstats exit records);
  3. the wall time of the whole status client process, --runs times.

Prints one table, limber's ratio to each peer, and whether the targets hold:
limber's RSS <= 1/8 of the leanest peer's, its idle wakeups/min <= 1/50.
Every process started here is our child (we are a child subreaper) and
carries LIMBER_BENCH_TAG in its environment; teardown is by PID.

Run with Debian's /usr/bin/python3 (dbus-python, gi, dbusmock), as root if
packages are to be installed; `make bench` runs it.
"""
import argparse
import ctypes
import json
import math
import os
import pathlib
import platform
import select
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid

HERE = pathlib.Path(__file__).resolve().parent
SRCDIR = HERE.parents[1]
PYTHON = "/usr/bin/python3"
CLEAN_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"
TAG_VAR = "LIMBER_BENCH_TAG"
CLK_TCK = os.sysconf("SC_CLK_TCK")
PROGRAMS = ("limber", "workrave", "safeeyes")

APT = ["apt-get", "install", "-y", "-o", "DPkg::Lock::Timeout=600", "--no-install-recommends"]
HARNESS_PKGS = ["xvfb", "xdotool", "dunst", "dbus-x11", "python3-dbusmock"]
# Safe Eyes' own Recommends: a default `apt install safeeyes` brings them, and
# without xprintidle its smart-pause plugin (on by default) does not run.
SAFEEYES_RECOMMENDS = ["xprintidle", "gir1.2-ayatanaappindicator3-0.1"]
PEER_PKGS = {"limber": [], "workrave": ["workrave"], "safeeyes": ["safeeyes"] + SAFEEYES_RECOMMENDS}

LIMBER_NAME = "org.limber.Limber1"
WORKRAVE_NAME = "org.workrave.Workrave"
SAFEEYES_PORT = 7200

DUNSTRC = """[global]
    font = Monospace 8
[urgency_low]
    timeout = 0
[urgency_normal]
    timeout = 0
[urgency_critical]
    timeout = 0
"""

SYSTEM_BUS_CONF = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path={path}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def log(msg):
    print(time.strftime("%H:%M:%S"), msg, file=sys.stderr, flush=True)


class Interrupted(Exception):
    pass


# ---- /proc ------------------------------------------------------------------

def read_text(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return None


def parse_stat(text):
    """(comm, fields from 'state' on): field N of proc(5) is [N - 3]."""
    r = text.rindex(")")
    return text[text.index("(") + 1:r], text[r + 2:].split()


def ppid_map():
    m = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            t = read_text(f"/proc/{d}/stat")
            if t:
                m[int(d)] = int(parse_stat(t)[1][1])
    return m


def descendants(roots, pmap=None):
    pmap = ppid_map() if pmap is None else pmap
    kids = {}
    for p, pp in pmap.items():
        kids.setdefault(pp, []).append(p)
    out, todo = [], list(roots)
    while todo:
        for c in kids.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def proc_tree(root, pmap=None):
    pmap = ppid_map() if pmap is None else pmap
    if root not in pmap:
        return []
    return [root] + descendants([root], pmap)


def sample_proc(pid):
    st = read_text(f"/proc/{pid}/stat")
    if not st:
        return None
    comm, f = parse_stat(st)
    if f[0] in ("Z", "X"):
        return None
    s = {"comm": comm, "ppid": int(f[1]), "ticks": sum(int(f[i]) for i in (11, 12, 13, 14)),
         "threads": int(f[17]), "rss_kib": 0, "pss_kib": 0, "tasks": {}, "thread_names": []}
    for line in (read_text(f"/proc/{pid}/smaps_rollup") or "").splitlines():
        if line.startswith("Rss:"):
            s["rss_kib"] = int(line.split()[1])
        elif line.startswith("Pss:"):
            s["pss_kib"] = int(line.split()[1])
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        tids = []
    for tid in tids:
        status = read_text(f"/proc/{pid}/task/{tid}/status")
        if not status:
            continue
        sw = 0
        for line in status.splitlines():
            if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                sw += int(line.split()[1])
        sched = read_text(f"/proc/{pid}/task/{tid}/schedstat")
        name = (read_text(f"/proc/{pid}/task/{tid}/comm") or "?").strip()
        s["tasks"][int(tid)] = (sw, int(sched.split()[0]) if sched else 0, name)
        s["thread_names"].append(name)
    return s


def snapshot(pids):
    snap = {}
    for p in pids:
        s = sample_proc(p)
        if s:
            snap[p] = s
    return snap


def listening_tcp(port):
    for path in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in (read_text(path) or "").splitlines()[1:]:
            f = line.split()
            if len(f) > 3 and f[3] == "0A" and int(f[1].rsplit(":", 1)[1], 16) == port:
                return True
    return False


def tagged_pids(tag):
    """Every process on the machine carrying our tag (but not us)."""
    needle = f"{TAG_VAR}={tag}".encode()
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit() and int(d) != os.getpid():
            try:
                with open(f"/proc/{d}/environ", "rb") as f:
                    if needle in f.read().split(b"\0"):
                        out.append(int(d))
            except OSError:
                pass
    return out


def comm_of(pid):
    return (read_text(f"/proc/{pid}/comm") or "?").strip()


# ---- taskstats: the final counts of every task that exits ------------------------

class ExitRecord:
    __slots__ = ("t", "tid", "tgid", "ppid", "ctxsw", "run_ns", "comm")


class ExitListener:
    """Listens to the kernel's taskstats exit records (generic netlink,
    TASKSTATS_CMD_ATTR_REGISTER_CPUMASK): for every task that exits, its
    voluntary/nonvoluntary context switches and CPU time. That is how threads
    and short-lived children that end inside a window are counted."""
    NLMSG_ERROR = 2
    GENL_ID_CTRL = 0x10

    def __init__(self):
        self.records = []
        self.lock = threading.Lock()
        self.overflows = 0
        self.error = None
        self.stop_flag = False
        self.sock = None
        try:
            self._open()
        except OSError as e:
            self.error = f"taskstats unavailable ({e}); tasks that exit inside a window are not counted"
            if self.sock:
                self.sock.close()
            self.sock = None
            return
        self.thread = threading.Thread(target=self._run, name="taskstats", daemon=True)
        self.thread.start()

    @staticmethod
    def _nla(t, payload):
        n = 4 + len(payload)
        return struct.pack("HH", n, t) + payload + b"\0" * ((4 - n % 4) % 4)

    @staticmethod
    def _attrs(b):
        i = 0
        while i + 4 <= len(b):
            n, t = struct.unpack_from("HH", b, i)
            if n < 4:
                break
            yield t & 0x3fff, b[i + 4:i + n]
            i += (n + 3) & ~3

    def _request(self, family, cmd, attrs, seq):
        body = struct.pack("BBH", cmd, 1, 0) + attrs
        self.sock.send(struct.pack("IHHII", 16 + len(body), family, 1 | 4, seq, 0) + body)  # REQUEST|ACK
        while True:
            data = self.sock.recv(1 << 16)
            for n, typ, _fl, s, body in self._messages(data):
                if s != seq:
                    continue
                if typ == self.NLMSG_ERROR:
                    err = -struct.unpack_from("i", body)[0]
                    if err:
                        raise OSError(err, os.strerror(err))
                    return None
                return body

    @staticmethod
    def _messages(data):
        i = 0
        while i + 16 <= len(data):
            n, typ, fl, seq, _pid = struct.unpack_from("IHHII", data, i)
            if n < 16:
                break
            yield n, typ, fl, seq, data[i + 16:i + n]
            i += (n + 3) & ~3

    def _open(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)  # NETLINK_GENERIC
        self.sock.bind((0, 0))
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, 33, 16 << 20)  # SO_RCVBUFFORCE
        except OSError:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 20)
        self.sock.settimeout(2)
        body = self._request(self.GENL_ID_CTRL, 3, self._nla(2, b"TASKSTATS\0"), 1)  # CTRL_CMD_GETFAMILY
        if body is None:
            raise OSError("no TASKSTATS family")
        self.family = next(struct.unpack("H", v[:2])[0] for t, v in self._attrs(body[4:]) if t == 1)
        cpus = (read_text("/sys/devices/system/cpu/online") or f"0-{os.cpu_count() - 1}").strip()
        self.sock.settimeout(2)
        # TASKSTATS_CMD_GET with TASKSTATS_CMD_ATTR_REGISTER_CPUMASK
        self._request(self.family, 1, self._nla(3, cpus.encode() + b"\0"), 2)
        self.sock.settimeout(0.5)

    def _run(self):
        while not self.stop_flag:
            try:
                data = self.sock.recv(1 << 16)
            except socket.timeout:
                continue
            except OSError as e:
                if e.errno == 105:  # ENOBUFS: records were dropped
                    self.overflows += 1
                    continue
                if self.stop_flag:
                    return
                self.error = f"taskstats listener stopped: {e}"
                return
            now = time.monotonic()
            got = []
            for _n, typ, _fl, _seq, body in self._messages(data):
                if typ != self.family:
                    continue
                for t, v in self._attrs(body[4:]):
                    if t != 4:  # TASKSTATS_TYPE_AGGR_PID (the per-thread record)
                        continue
                    st = dict(self._attrs(v)).get(3)  # TASKSTATS_TYPE_STATS
                    if not st or len(st) < 296:
                        continue
                    r = ExitRecord()
                    version = struct.unpack_from("H", st, 0)[0]
                    r.t = now
                    r.comm = st[80:112].split(b"\0")[0].decode("utf-8", "replace")
                    r.tid, r.ppid = struct.unpack_from("II", st, 128)
                    r.tgid = struct.unpack_from("I", st, 368)[0] if version >= 12 and len(st) >= 372 else r.tid
                    nv, niv = struct.unpack_from("QQ", st, 272)
                    r.ctxsw = nv + niv
                    utime, stime = struct.unpack_from("QQ", st, 152)
                    virt = struct.unpack_from("Q", st, 72)[0]  # sum_exec_runtime, ns
                    r.run_ns = virt or (utime + stime) * 1000
                    got.append(r)
            if got:
                with self.lock:
                    self.records.extend(got)

    def between(self, t0, t1):
        with self.lock:
            return [r for r in self.records if t0 <= r.t <= t1]

    def prune(self, before):
        with self.lock:
            self.records = [r for r in self.records if r.t >= before]

    def close(self):
        self.stop_flag = True
        if self.sock:
            self.thread.join(2)
            self.sock.close()


# ---- accounting ---------------------------------------------------------------

def account(s0, s1, exits, t0b, t1b, seconds):
    """Cost of one process group over a window. s0/s1: snapshots at both ends;
    exits: taskstats records received in the window (machine-wide). A task
    alive at both ends counts its delta; one that ended counts its final value
    minus its start value (0 if it began in the window); a new one counts whole."""
    group = set(s0) | set(s1)
    recs = [r for r in exits if r.t <= t1b or any(r.tid in p["tasks"] for p in s1.values())]
    changed = True
    while changed:  # children (and their children) that came and went
        changed = False
        for r in recs:
            if r.tgid not in group and r.tid == r.tgid and r.ppid in group:
                group.add(r.tgid)
                changed = True
    start = {tid: v for p in s0.values() for tid, v in p["tasks"].items()}
    final = {tid: v for p in s1.values() for tid, v in p["tasks"].items()}
    ended, spawned = 0, 0
    for r in recs:
        if r.tgid in group:
            final[r.tid] = (r.ctxsw, r.run_ns, r.comm + (" (short-lived)" if r.tid not in s0 else ""))
            ended += 1
            if r.tid == r.tgid and r.tgid not in s0:
                spawned += 1
    spawned += len([p for p in s1 if p not in s0])
    by_thread = {}
    for tid, v in final.items():
        d = max(0, v[0] - start.get(tid, (0, 0))[0])
        if d:
            by_thread[v[2]] = by_thread.get(v[2], 0) + d
    ctxsw = sum(by_thread.values())
    run_ns = sum(max(0, v[1] - start.get(tid, (0, 0))[1]) for tid, v in final.items())
    ticks = sum(p["ticks"] for p in s1.values()) - sum(p["ticks"] for p in s0.values())
    return {
        "seconds": round(seconds, 3),
        "cpu_ticks": ticks,
        "cpu_s": ticks / CLK_TCK,
        "cpu_s_per_h": ticks / CLK_TCK * 3600 / seconds,
        "cpu_runtime_s_per_h": run_ns / 1e9 * 3600 / seconds,
        "ctxsw": ctxsw,
        "wakeups_per_min": ctxsw * 60 / seconds,
        "tasks_ended": ended,
        "processes_spawned": spawned,
        "rss_kib": sum(p["rss_kib"] for p in s1.values()),
        "pss_kib": sum(p["pss_kib"] for p in s1.values()),
        "threads": sum(p["threads"] for p in s1.values()),
        "processes": {str(pid): p["comm"] for pid, p in s1.items()},
        "thread_names": {str(pid): sorted(p["thread_names"]) for pid, p in s1.items()},
        "ctxsw_by_thread_name": dict(sorted(by_thread.items(), key=lambda kv: -kv[1])),
    }


# ---- the harness ------------------------------------------------------------------

class Harness:
    """Xvfb, a session bus, a stand-in system bus with logind mocked, dunst, a
    fresh HOME and XDG_RUNTIME_DIR; every process is a child started here."""

    def __init__(self, name, keep=False):
        self.name = name
        self.tag = f"{os.getpid()}-{name}-{uuid.uuid4().hex[:8]}"
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix=f"limber-bench-{name}-"))
        self.keep = keep
        self.home = self.dir / "home"
        self.run = self.dir / "run"
        for d in (self.home, self.run):
            d.mkdir(mode=0o700)
            d.chmod(0o700)
        self.procs = []  # (label, Popen), in start order
        self.files = []
        self.conn = None
        self.sysconn = None
        self.base_env = {
            "HOME": str(self.home),
            "XDG_RUNTIME_DIR": str(self.run),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            "XDG_STATE_HOME": str(self.home / ".local/state"),
            "LANG": "C.UTF-8",
            "PATH": CLEAN_PATH,
            TAG_VAR: self.tag,
        }

    def env(self, **extra):
        e = dict(self.base_env)
        e.update(extra)
        return e

    def spawn(self, label, argv, env=None, stdout=None, **kw):
        logf = open(self.dir / f"{label}.log", "wb")
        self.files.append(logf)
        p = subprocess.Popen(argv, env=env or self.env(), stdin=subprocess.DEVNULL,
                             stdout=stdout if stdout is not None else logf, stderr=logf,
                             cwd=self.home, process_group=0, **kw)
        self.procs.append((label, p))
        return p

    def pid(self, label):
        return next((p.pid for lbl, p in self.procs if lbl == label), None)

    def start(self):
        # X server: -displayfd writes the display number once it accepts clients.
        r, w = os.pipe()
        self.spawn("xvfb", ["Xvfb", "-displayfd", str(w), "-screen", "0", "1280x1024x24", "-nolisten", "tcp",
                            "-noreset"], pass_fds=(w,))
        os.close(w)
        display = read_line(r, 20, "Xvfb's display number")
        os.close(r)
        self.base_env["DISPLAY"] = f":{int(display)}"

        # Session bus: Debian's session.conf (so D-Bus activation works as on a
        # desktop), listening in our XDG_RUNTIME_DIR.
        p = self.spawn("session-bus", ["dbus-daemon", "--session", f"--address=unix:path={self.run}/bus",
                                       "--nofork", "--print-address=1"], stdout=subprocess.PIPE)
        self.bus_out = p.stdout
        self.base_env["DBUS_SESSION_BUS_ADDRESS"] = read_line(p.stdout.fileno(), 20, "the session bus address")

        # Stand-in system bus (permissive, no activation) with logind mocked:
        # Safe Eyes does nothing without a system bus.
        conf = self.dir / "system-bus.conf"
        conf.write_text(SYSTEM_BUS_CONF.format(path=self.run / "system_bus_socket"))
        p = self.spawn("system-bus", ["dbus-daemon", f"--config-file={conf}", "--nofork", "--print-address=1"],
                       stdout=subprocess.PIPE)
        self.sysbus_out = p.stdout
        self.base_env["DBUS_SYSTEM_BUS_ADDRESS"] = read_line(p.stdout.fileno(), 20, "the system bus address")

        import dbus
        self.conn = dbus.bus.BusConnection(self.base_env["DBUS_SESSION_BUS_ADDRESS"])
        self.sysconn = dbus.bus.BusConnection(self.base_env["DBUS_SYSTEM_BUS_ADDRESS"])
        self.spawn("logind-mock", [PYTHON, "-m", "dbusmock", "--system", "--template", "logind"])
        self.wait_name(self.sysconn, "org.freedesktop.login1", "logind-mock")

        rc = self.dir / "dunstrc"
        rc.write_text(DUNSTRC)
        self.spawn("dunst", ["dunst", "-config", str(rc)])
        self.wait_name(self.conn, "org.freedesktop.Notifications", "dunst")

    def wait_name(self, conn, name, label, timeout=20):
        deadline = time.monotonic() + timeout
        while not conn.name_has_owner(name):
            p = next(p for lbl, p in self.procs if lbl == label)
            if p.poll() is not None:
                raise RuntimeError(f"{label} exited with {p.returncode}: {self.log_tail(label)}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not appear within {timeout} s")
            time.sleep(0.02)

    def log_tail(self, label, lines=15):
        text = read_text(self.dir / f"{label}.log") or ""
        return "\n".join(text.splitlines()[-lines:])

    def infra_pids(self):
        return {lbl: p.pid for lbl, p in self.procs
                if lbl in ("xvfb", "session-bus", "system-bus", "logind-mock", "dunst") and p.poll() is None}

    def helper_pids(self, pmap=None):
        """Processes started on the peer's behalf by the buses (D-Bus
        activation), and orphans adopted by us: not in the peer's tree."""
        pmap = ppid_map() if pmap is None else pmap
        buses = [pid for lbl, pid in self.infra_pids().items() if lbl in ("session-bus", "system-bus")]
        mine = {p.pid for _l, p in self.procs}
        orphans = [p for p, pp in pmap.items() if pp == os.getpid() and p not in mine]
        return sorted(set(descendants(buses, pmap)) | set(orphans) | set(descendants(orphans, pmap)))

    def stop_one(self, label, p, timeout=10):
        if p.poll() is None:
            try:
                p.terminate()
                p.wait(timeout)
            except subprocess.TimeoutExpired:
                log(f"  teardown: {label} ({p.pid}) ignored SIGTERM for {timeout} s, SIGKILL")
                p.kill()
                p.wait(5)
            except ProcessLookupError:
                p.wait(5)

    def stop_pids(self, pids, why, timeout=5):
        pids = [p for p in pids if p != os.getpid()]
        for p in pids:
            try:
                os.kill(p, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            reap_adopted()
            alive = [p for p in pids if alive_pid(p)]
            if not alive:
                return
            time.sleep(0.05)
        for p in alive:
            log(f"  teardown: {why} {p} ({comm_of(p)}) ignored SIGTERM, SIGKILL")
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.2)
        reap_adopted()

    def teardown(self):
        """Reverse order, by PID: tools and the peer, the helpers the buses
        started, dunst, logind, the buses, Xvfb. Then checks that nothing we
        started (our descendants, or anything carrying our tag) is left."""
        for lbl, p in reversed(self.procs):
            if lbl not in ("xvfb", "session-bus", "system-bus", "logind-mock", "dunst"):
                self.stop_one(lbl, p)
        self.stop_pids(self.helper_pids(), "helper")
        for c in (self.conn, self.sysconn):
            try:
                if c:
                    c.close()
            except Exception:
                pass
        for lbl, p in reversed(self.procs):
            self.stop_one(lbl, p)
        for f in self.files + [getattr(self, "bus_out", None), getattr(self, "sysbus_out", None)]:
            if f:
                f.close()
        reap_adopted()
        left = [p for p in descendants([os.getpid()]) if alive_pid(p)]
        left += [p for p in tagged_pids(self.tag) if p not in left and alive_pid(p)]
        if left:
            desc = ", ".join(f"{p} ({comm_of(p)})" for p in left)
            log(f"  teardown: still present after teardown: {desc}; stopping them by PID")
            self.stop_pids(left, "leftover")
        left = [p for p in descendants([os.getpid()]) + tagged_pids(self.tag) if alive_pid(p)]
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)
        return left


def alive_pid(pid):
    st = read_text(f"/proc/{pid}/stat")
    return bool(st) and parse_stat(st)[1][0] not in ("Z", "X")


def reap_adopted():
    """We are a child subreaper: reap orphans that were reparented to us (not
    the children subprocess owns, which are reaped through their Popen)."""
    pmap = ppid_map()
    for pid, pp in pmap.items():
        if pp == os.getpid() and not alive_pid(pid) and pid not in known_children():
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass


_HARNESSES = []


def known_children():
    """Children a Popen of ours will reap."""
    return {p.pid for h in _HARNESSES for _l, p in h.procs if p.returncode is None}


def read_line(fd, timeout, what):
    buf = b""
    deadline = time.monotonic() + timeout
    while not buf.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise RuntimeError(f"timed out waiting for {what}")
        chunk = os.read(fd, 256)
        if not chunk:
            raise RuntimeError(f"no {what} (the process exited)")
        buf += chunk
    return buf.decode().strip()


# ---- one program --------------------------------------------------------------------

def dpkg_version(pkg):
    r = subprocess.run(["dpkg-query", "-W", "-f=${Status}\t${Version}", pkg], capture_output=True, text=True)
    if r.returncode != 0 or not r.stdout.startswith("install ok installed"):
        return None
    return r.stdout.split("\t", 1)[1]


class Peer:
    def __init__(self, name, args):
        self.name = name
        self.args = args
        self.notify = None
        self.notify_msgs = []

    def version(self):
        if self.name == "limber":
            r = subprocess.run([self.args.limberd, "--version"], capture_output=True, text=True)
            return (r.stdout.strip().split() or ["?"])[-1]
        return dpkg_version(self.name)

    def command(self, h):
        if self.name == "limber":
            # Default policy: no user file (fresh HOME) and empty system
            # directories (--root), so nothing installed on this machine applies.
            root = h.dir / "empty-root"
            root.mkdir()
            return [self.args.limberd, "--root", str(root)]
        return [self.name]

    def status_command(self):
        if self.name == "limber":
            return [self.args.limber, "status"]
        if self.name == "workrave":
            return ["dbus-send", "--session", "--print-reply", "--dest=org.workrave.Workrave",
                    "/org/workrave/Workrave/Core", "org.workrave.CoreInterface.GetOperationMode"]
        return ["safeeyes", "--status"]

    def precheck(self):
        if self.name == "safeeyes":
            if listening_tcp(SAFEEYES_PORT):
                return f"TCP port {SAFEEYES_PORT} is already listening (another Safe Eyes on this machine?)"
            for d in os.listdir("/proc"):
                if d.isdigit() and int(d) != os.getpid():
                    cmd = (read_text(f"/proc/{d}/cmdline") or "").split("\0")
                    if len(cmd) > 1 and "python" in cmd[0] and ("safeeyes" in cmd[1] or "safeeyes" in cmd):
                        return f"another Safe Eyes is running (PID {d}); it would take ours for itself"
        return None

    def drain_notify(self):
        if not self.notify:
            return
        while True:
            try:
                self.notify_msgs.append(self.notify.recv(4096).decode("utf-8", "replace"))
            except (BlockingIOError, socket.timeout):
                return

    def start(self, h, timeout=60):
        """Starts the program and times it: dict of event -> ms since fork."""
        from gi.repository import GLib
        env = h.env()
        events = {}
        if self.name == "limber":
            path = h.run / "notify.sock"
            self.notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            self.notify.bind(str(path))
            self.notify.setblocking(False)
            env["NOTIFY_SOCKET"] = str(path)
            wanted = {"ready", "name"}
            bus_name = LIMBER_NAME
        elif self.name == "workrave":
            wanted, bus_name = {"name"}, WORKRAVE_NAME
        else:
            wanted, bus_name = {"port"}, None

        loop = GLib.MainLoop()
        t0 = [0.0]
        proc = [None]

        def mark(event):
            if event not in events:
                events[event] = (time.monotonic() - t0[0]) * 1000
            if wanted <= set(events):
                loop.quit()

        def on_owner(name, old, new):
            if new:
                mark("name")

        def on_notify(*_a):
            self.drain_notify()
            if any("READY=1" in m.split("\n") for m in self.notify_msgs):
                mark("ready")
            return True

        def on_tick():
            if "port" in wanted and listening_tcp(SAFEEYES_PORT):
                mark("port")
            if proc[0].poll() is not None or time.monotonic() - t0[0] > timeout:
                loop.quit()
            return True

        receiver = None
        watch = None
        if bus_name:
            receiver = h.conn.add_signal_receiver(on_owner, signal_name="NameOwnerChanged",
                                                  dbus_interface="org.freedesktop.DBus",
                                                  path="/org/freedesktop/DBus", arg0=bus_name)
        if self.notify:
            watch = GLib.io_add_watch(self.notify.fileno(), GLib.PRIORITY_DEFAULT, GLib.IO_IN, on_notify)
        tick = GLib.timeout_add(5, on_tick)
        t0[0] = time.monotonic()
        proc[0] = h.spawn("peer", self.command(h), env=env)
        loop.run()
        GLib.source_remove(tick)
        if watch:
            GLib.source_remove(watch)
        if receiver:
            receiver.remove()
        # Let the dispatcher run once so nothing is left queued for us.
        ctx = GLib.MainContext.default()
        while ctx.pending():
            ctx.iteration(False)
        if proc[0].poll() is not None:
            raise RuntimeError(f"{self.name} exited with {proc[0].returncode} during start-up:\n{h.log_tail('peer')}")
        missing = wanted - set(events)
        if missing:
            raise RuntimeError(f"{self.name}: no {', '.join(sorted(missing))} within {timeout} s:\n"
                               f"{h.log_tail('peer')}")
        return proc[0], events


def xdotool_argv(seconds):
    argv = ["xdotool"]
    for i in range(int(seconds) + 5):
        x = 400 if i % 2 == 0 else 440
        argv += ["mousemove", str(x), str(x), "sleep", "1"]
    return argv


def measure_window(h, peer, pid, mode, seconds, listener):
    xdo = h.spawn(f"xdotool-{mode}", xdotool_argv(seconds)) if mode == "active" else None
    t0a = time.monotonic()
    pmap = ppid_map()
    s0 = snapshot(proc_tree(pid, pmap))
    i0 = snapshot(h.infra_pids().values())
    helpers0 = snapshot(h.helper_pids(pmap))
    t0b = time.monotonic()
    load0 = os.getloadavg()
    peak_rss = 0
    while True:
        left = t0a + seconds - time.monotonic()
        if left <= 0:
            break
        time.sleep(min(2.0, left))
        peer.drain_notify()
        tree = proc_tree(pid)
        peak_rss = max(peak_rss, sum(s["rss_kib"] for s in snapshot(tree).values()))
    t1a = time.monotonic()
    pmap = ppid_map()
    s1 = snapshot(proc_tree(pid, pmap))
    i1 = snapshot(h.infra_pids().values())
    helpers1 = snapshot(h.helper_pids(pmap))
    t1b = time.monotonic()
    if xdo:
        h.stop_one(f"xdotool-{mode}", xdo)
    time.sleep(0.3)  # exit records of tasks that ended during the last snapshot
    exits = listener.between(t0b, t1b + 0.3) if listener.sock else []
    dur = (t1a + t1b) / 2 - (t0a + t0b) / 2
    res = account(s0, s1, exits, t0b, t1b, dur)
    res["peak_rss_kib"] = max(peak_rss, res["rss_kib"])
    res["loadavg_start"] = load0[0]
    res["loadavg_end"] = os.getloadavg()[0]
    res["helpers"] = account(helpers0, helpers1, [], t0b, t1b, dur)
    infra = {}
    for lbl, ipid in h.infra_pids().items():
        if ipid in i0 and ipid in i1:
            a = account({ipid: i0[ipid]}, {ipid: i1[ipid]}, [], t0b, t1b, dur)
            infra[lbl] = {"cpu_s_per_h": a["cpu_s_per_h"], "wakeups_per_min": a["wakeups_per_min"]}
    res["harness"] = infra
    listener.prune(t1b + 0.3)
    return res


def time_status(h, argv, runs):
    env = h.env()
    warm = subprocess.run(argv, env=env, cwd=h.home, capture_output=True, text=True, timeout=60)
    out = {"command": " ".join(argv), "first_output": (warm.stdout + warm.stderr).strip()[:400],
           "first_rc": warm.returncode}
    times, failed = [], 0
    for _ in range(runs):
        t = time.perf_counter()
        try:
            r = subprocess.run(argv, env=env, cwd=h.home, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, timeout=60)
            rc = r.returncode
        except subprocess.TimeoutExpired:
            rc = "timeout"
        times.append((time.perf_counter() - t) * 1000)
        failed += rc != 0
    times.sort()
    out.update({"runs": runs, "failed": failed, "median_ms": statistics.median(times),
                "p90_ms": times[max(0, math.ceil(0.9 * len(times)) - 1)], "min_ms": times[0], "max_ms": times[-1]})
    return out


def bench_one(name, args, listener):
    peer = Peer(name, args)
    res = {"program": name, "version": peer.version()}
    why = peer.precheck()
    if why:
        res["error"] = why
        log(f"{name}: skipped: {why}")
        return res
    h = Harness(name, keep=args.keep)
    _HARNESSES.append(h)
    log(f"== {name} {res['version']} (HOME={h.home}, tag {h.tag})")
    try:
        h.start()
        res["display"] = h.base_env["DISPLAY"]
        proc, events = peer.start(h)
        res["startup_ms"] = events
        res["pid"] = proc.pid
        log(f"{name}: pid {proc.pid}, start-up " + ", ".join(f"{k} {v:.1f} ms" for k, v in events.items()))
        time.sleep(args.settle)
        peer.drain_notify()
        for mode in ("idle", "active"):
            log(f"{name}: {mode} window, {args.window} s")
            w = measure_window(h, peer, proc.pid, mode, args.window, listener)
            res[mode] = w
            log(f"{name}: {mode}: RSS {w['rss_kib'] / 1024:.1f} MiB, PSS {w['pss_kib'] / 1024:.1f} MiB, "
                f"{w['threads']} threads, CPU {w['cpu_s_per_h']:.2f} s/h (runtime {w['cpu_runtime_s_per_h']:.2f}), "
                f"{w['wakeups_per_min']:.1f} wakeups/min, {w['processes_spawned']} processes spawned")
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode} during the {mode} window:\n"
                                   f"{h.log_tail('peer')}")
        log(f"{name}: status query, {args.runs} runs: {' '.join(peer.status_command())}")
        res["status"] = time_status(h, peer.status_command(), args.runs)
        st = res["status"]
        log(f"{name}: status median {st['median_ms']:.1f} ms, p90 {st['p90_ms']:.1f} ms, "
            f"{st['failed']} failed; it said: "
            f"{next((ln.strip() for ln in st['first_output'].splitlines() if not ln.startswith('method return')), '')}")
        if st["failed"] or st["first_rc"] != 0:
            res.setdefault("warnings", []).append(f"status query failed {st['failed']}/{args.runs} times "
                                                  f"(first rc {st['first_rc']})")
        if proc.poll() is not None:
            res.setdefault("warnings", []).append(f"{name} was not running after the status queries")
        peer.drain_notify()
        if name == "limber":
            res["notify"] = [m for m in peer.notify_msgs]
        res["log_tail"] = h.log_tail("peer", 8)
    except Interrupted:
        raise
    except Exception as e:  # noqa: BLE001 - reported in the table, the next program still runs
        res["error"] = str(e)
        log(f"{name}: FAILED: {e}")
    finally:
        # A second ^C or SIGTERM waits until the teardown is done.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM, signal.SIGHUP})
        log(f"{name}: teardown")
        if peer.notify:
            peer.notify.close()
        left = h.teardown()
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM, signal.SIGHUP})
        res["left_after_teardown"] = left
        log(f"{name}: teardown: " + (f"LEFT {left}" if left else "nothing we started is left"))
        if args.keep:
            log(f"{name}: logs kept in {h.dir}")
    return res


# ---- the report ---------------------------------------------------------------------

COLUMNS = [  # key, header, format
    ("rss", "RSS MiB", "{:.1f}"),
    ("pss", "PSS MiB", "{:.1f}"),
    ("threads", "threads", "{:.0f}"),
    ("cpu_idle", "CPU s/h idle", "{:.2f}"),
    ("cpu_active", "CPU s/h active", "{:.2f}"),
    ("wake_idle", "wakeups/min idle", "{:.1f}"),
    ("wake_active", "wakeups/min active", "{:.1f}"),
    ("startup", "start-up ms", "{:.1f}"),
    ("status", "status ms", "{:.1f}"),
    ("status_p90", "status p90 ms", "{:.1f}"),
]


def row_values(r):
    if "error" in r or "idle" not in r:
        return {}
    su = r.get("startup_ms", {})
    v = {
        "rss": r["idle"]["rss_kib"] / 1024, "pss": r["idle"]["pss_kib"] / 1024, "threads": r["idle"]["threads"],
        "cpu_idle": r["idle"]["cpu_s_per_h"], "cpu_active": r["active"]["cpu_s_per_h"],
        "wake_idle": r["idle"]["wakeups_per_min"], "wake_active": r["active"]["wakeups_per_min"],
        "startup": su.get("ready", su.get("name", su.get("port"))),
    }
    if "status" in r:
        v["status"] = r["status"]["median_ms"]
        v["status_p90"] = r["status"]["p90_ms"]
    return v


def ratio_text(peer_v, limber_v):
    if peer_v is None or limber_v is None:
        return "n/a"
    if limber_v == 0:
        return "=" if peer_v == 0 else f"0 vs {peer_v:.3g}"
    r = peer_v / limber_v
    return f"{r:.0f}x" if r >= 10 else f"{r:.1f}x"


def fmt_table(rows):
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    out = []
    for n, r in enumerate(rows):
        cells = [str(c).ljust(widths[0]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(r)]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def report(results, args, listener):
    lines = []
    vals = {r["program"]: row_values(r) for r in results}
    rows = [["program"] + [c[1] for c in COLUMNS]]
    for r in results:
        label = f"{r['program']} {r.get('version') or ''}".strip()
        v = vals[r["program"]]
        if not v:
            rows.append([label] + ["n/a"] * len(COLUMNS))
            continue
        rows.append([label] + [fmt.format(v[k]) if v.get(k) is not None else "n/a" for k, _h, fmt in COLUMNS])
    lv = vals.get("limber") or {}
    peers = [r["program"] for r in results if r["program"] != "limber" and vals[r["program"]]]
    if lv:
        for p in peers:
            rows.append([f"{p} / limber"] + [ratio_text(vals[p].get(k), lv.get(k)) for k, _h, _f in COLUMNS])
    lines.append(f"limber and its peers: {args.window:g} s idle and {args.window:g} s active window, "
                 f"{args.settle:g} s settle, status over {args.runs} runs; {platform.release()}, "
                 f"{os.cpu_count()} CPUs")
    lines.append("")
    lines.append(fmt_table(rows))
    lines.append("")
    if lv and peers:
        lines.append("Ratios are peer value / limber value: '12x' under RSS means limber uses 12 times less.")
        rss_p = min(peers, key=lambda p: vals[p]["rss"])
        wake_p = min(peers, key=lambda p: vals[p]["wake_idle"])
        rss_ok = lv["rss"] <= vals[rss_p]["rss"] / 8
        wake_ok = lv["wake_idle"] <= vals[wake_p]["wake_idle"] / 50
        lines.append(f"Target RSS <= 1/8 of the leanest peer ({rss_p} {vals[rss_p]['rss']:.1f} MiB -> "
                     f"<= {vals[rss_p]['rss'] / 8:.1f} MiB): limber {lv['rss']:.1f} MiB, "
                     f"{ratio_text(vals[rss_p]['rss'], lv['rss'])} less: {'HOLDS' if rss_ok else 'MISSED'}")
        wl = lv["wake_idle"]
        wake_ratio = (f"0 vs {vals[wake_p]['wake_idle']:.0f}" if wl == 0
                      else f"{ratio_text(vals[wake_p]['wake_idle'], wl)} fewer")
        lines.append(f"Target idle wakeups/min <= 1/50 of the leanest peer ({wake_p} "
                     f"{vals[wake_p]['wake_idle']:.1f}/min -> <= {vals[wake_p]['wake_idle'] / 50:.1f}/min): "
                     f"limber {wl:.1f}/min, {wake_ratio}: {'HOLDS' if wake_ok else 'MISSED'}")
        prec = []
        for r in results:
            if vals[r["program"]]:
                pi, pa = r["idle"]["cpu_runtime_s_per_h"], r["active"]["cpu_runtime_s_per_h"]
                li, la = (results[0]["idle"]["cpu_runtime_s_per_h"], results[0]["active"]["cpu_runtime_s_per_h"]) \
                    if results[0]["program"] == "limber" else (None, None)
                rat = "" if r["program"] == "limber" else f" ({ratio_text(pi, li)} / {ratio_text(pa, la)})"
                prec.append(f"{r['program']} {pi:.2f} / {pa:.2f}{rat}")
        lines.append("CPU s/h idle / active from schedstat (ns, not ticks): " + ", ".join(prec))
        targets = {"rss": {"leanest_peer": rss_p, "holds": rss_ok},
                   "idle_wakeups": {"leanest_peer": wake_p, "holds": wake_ok}}
    else:
        lines.append("Targets: not evaluated (limber and at least one peer must both be measured).")
        targets = None
    lines.append("")
    lines.append("Notes:")
    lim = next((r for r in results if r["program"] == "limber" and "status" in r), None)
    if lim:
        said = lim["status"].get("first_output", "").splitlines()
        lines.append(f"- limberd's own status at the end: {said[0] if said else '?'} (under bare Xvfb its idle "
                     "source is the x11 backend, the X server's IDLETIME alarms).")
    lines.append(f"- The settle period ({args.settle:g} s) is longer than limberd's default idle-after (30 s): "
                 "the idle window is the steady state of a user who has walked away, for every program.")
    lines.append("- RSS/PSS/threads: summed over the program's process tree at the end of the idle window "
                 "(smaps_rollup). CPU: utime+stime+cutime+cstime ticks (1 tick = "
                 f"{3600 / CLK_TCK / args.window:.2f} s/h over a {args.window:g} s window). Wakeups: voluntary + "
                 "nonvoluntary context switches of every thread of the tree, including threads and child "
                 "processes that ended inside the window (taskstats).")
    lines.append("- start-up: limber to READY=1, workrave to its bus name, safeeyes to its XML-RPC port "
                 f"{SAFEEYES_PORT} listening. status: whole client process, median and p90 of {args.runs} runs "
                 "after one untimed run.")
    if listener.error:
        lines.append(f"- {listener.error}")
    if listener.overflows:
        lines.append(f"- taskstats dropped records {listener.overflows} times (ENOBUFS): wakeups of tasks that "
                     "ended may be undercounted.")
    for r in results:
        p = r["program"]
        if "error" in r:
            lines.append(f"- {p}: NOT MEASURED: {r['error'].splitlines()[0]}")
            continue
        su = r.get("startup_ms", {})
        extra = []
        if p == "limber" and "name" in su:
            extra.append(f"bus name {LIMBER_NAME} after {su['name']:.1f} ms, READY=1 after {su['ready']:.1f} ms")
        for mode in ("idle", "active"):
            w = r.get(mode)
            if not w:
                continue
            bits = [f"precise CPU {w['cpu_runtime_s_per_h']:.2f} s/h (schedstat)"]
            if w["processes_spawned"]:
                bits.append(f"{w['processes_spawned']} processes spawned and {w['tasks_ended']} tasks ended")
            if w["peak_rss_kib"] > w["rss_kib"] + 512:
                bits.append(f"peak RSS {w['peak_rss_kib'] / 1024:.1f} MiB")
            hp = w["helpers"]
            if hp["processes"]:
                bits.append(f"D-Bus-activated helpers {'/'.join(sorted(set(hp['processes'].values())))}: "
                            f"RSS {hp['rss_kib'] / 1024:.1f} MiB, PSS {hp['pss_kib'] / 1024:.1f} MiB, "
                            f"CPU {hp['cpu_s_per_h']:.2f} s/h, {hp['wakeups_per_min']:.1f} wakeups/min (not in the row)")
            hz = {k: v for k, v in w["harness"].items() if v["cpu_s_per_h"] or v["wakeups_per_min"]}
            if hz:
                bits.append("harness " + ", ".join(f"{k} {v['cpu_s_per_h']:.1f} s/h {v['wakeups_per_min']:.0f}/min"
                                                   for k, v in hz.items()))
            top = list(w["ctxsw_by_thread_name"].items())[:4]
            if top:
                bits.append("wakeups by thread " + ", ".join(f"{k} {v * 60 / w['seconds']:.0f}/min" for k, v in top))
            bits.append(f"load {w['loadavg_start']:.2f}->{w['loadavg_end']:.2f}")
            extra.append(f"{mode}: " + "; ".join(bits))
        st = r.get("status")
        if st:
            said = [ln.strip() for ln in st["first_output"].splitlines() if not ln.startswith("method return")]
            first = " | ".join(said)[:120]
            extra.append(f"status said '{first}' (min {st['min_ms']:.1f}, max {st['max_ms']:.1f} ms"
                         f"{', ' + str(st['failed']) + ' failed' if st['failed'] else ''})")
        for wmsg in r.get("warnings", []):
            extra.append("WARNING " + wmsg)
        if r.get("left_after_teardown"):
            extra.append(f"LEFT AFTER TEARDOWN: {r['left_after_teardown']}")
        lines.append(f"- {p}: " + "\n    ".join(extra))
    return "\n".join(lines), targets


# ---- set-up -------------------------------------------------------------------------

def ensure_packages(programs):
    need = list(HARNESS_PKGS)
    for p in programs:
        need += PEER_PKGS[p]
    missing = [p for p in need if dpkg_version(p) is None]
    if not missing:
        return programs
    if os.geteuid() == 0:
        cmd = APT + need
        log(f"installing {' '.join(missing)}: {' '.join(cmd)}")
        r = subprocess.run(cmd, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive", PATH=CLEAN_PATH),
                           stdout=sys.stderr)
        if r.returncode != 0:
            log(f"apt-get failed with {r.returncode}")
        missing = [p for p in need if dpkg_version(p) is None]
    if not missing:
        return programs
    log(f"missing packages (not root, or apt-get failed): {' '.join(missing)}")
    if any(p in missing for p in HARNESS_PKGS):
        sys.exit(f"bench-peers: the harness needs {' '.join(p for p in HARNESS_PKGS if p in missing)}")
    keep = []
    for p in programs:
        gone = [x for x in PEER_PKGS[p] if x in missing and x not in SAFEEYES_RECOMMENDS]
        if gone:
            log(f"{p}: skipped, {' '.join(gone)} not installed")
        else:
            keep.append(p)
    return keep


def resolve_binaries(args):
    build = os.environ.get("LIMBER_BUILD")
    build = pathlib.Path(build).resolve() if build else SRCDIR / "build"
    default_limberd = build / "limberd"
    args.limberd = str(pathlib.Path(args.limberd or default_limberd).resolve())
    args.limber = str(pathlib.Path(args.limber or build / "limber").resolve())
    if "limber" in args.only and not os.access(args.limberd, os.X_OK):
        if args.limberd == str(default_limberd.resolve()) and not os.environ.get("LIMBER_BUILD"):
            log(f"{args.limberd} is missing: make -C {SRCDIR}")
            subprocess.run(["make", "-C", str(SRCDIR)], check=True, stdout=sys.stderr)
        if not os.access(args.limberd, os.X_OK):
            sys.exit(f"bench-peers: no limberd at {args.limberd}")
    if "limber" in args.only and not os.access(args.limber, os.X_OK):
        sys.exit(f"bench-peers: no limber at {args.limber}")


def reexec_if_needed():
    """Debian's python3 has dbus and gi; and Safe Eyes counts any python
    process with a bare 'safeeyes' argument as a running Safe Eyes, so
    `--only safeeyes` is folded into `--only=safeeyes` first."""
    argv = sys.argv[1:]
    fixed, i = [], 0
    while i < len(argv):
        if argv[i] == "--only" and i + 1 < len(argv):
            fixed.append(f"--only={argv[i + 1]}")
            i += 2
        else:
            fixed.append(argv[i])
            i += 1
    try:
        import dbus  # noqa: F401
        from gi.repository import GLib  # noqa: F401
        ok = True
    except ImportError:
        ok = False
    if not ok and os.path.realpath(sys.executable) == os.path.realpath(PYTHON):
        sys.exit("bench-peers: /usr/bin/python3 lacks dbus-python or gi (apt-get install python3-dbus python3-gi)")
    if not ok or fixed != argv:
        exe = PYTHON if not ok else sys.executable
        os.execv(exe, [exe, str(pathlib.Path(__file__).resolve())] + fixed)


def main():
    reexec_if_needed()
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--window", type=float, default=60, help="seconds of each of the idle and active windows")
    ap.add_argument("--settle", type=float, default=40,
                    help="seconds between start-up and the idle window (default 40: past limberd's idle-after)")
    ap.add_argument("--runs", type=int, default=21, help="status queries timed per program")
    ap.add_argument("--only", action="append", choices=PROGRAMS, help="measure only NAME (repeatable)")
    ap.add_argument("--limberd", help="limberd to measure (default: build/limberd or $LIMBER_BUILD/limberd)")
    ap.add_argument("--limber", help="limber CLI (default: build/limber or $LIMBER_BUILD/limber)")
    ap.add_argument("--json", metavar="PATH", help="also write the raw numbers as JSON to PATH")
    ap.add_argument("--keep", action="store_true", help="keep each harness's directory and logs")
    args = ap.parse_args()
    if args.window <= 0 or args.settle < 0 or args.runs < 1:
        ap.error("--window must be > 0, --settle >= 0, --runs >= 1")
    args.only = [p for p in PROGRAMS if p in (args.only or PROGRAMS)]

    resolve_binaries(args)
    programs = ensure_packages(args.only)

    import dbus.mainloop.glib
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    # Orphans of anything we start are reparented to us, so teardown finds them.
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(36, 1, 0, 0, 0) != 0:  # PR_SET_CHILD_SUBREAPER
        log("cannot become a child subreaper; orphans are found by tag only")

    def on_term(signum, _frame):
        raise Interrupted(f"signal {signum}")
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGHUP, on_term)

    listener = ExitListener()
    if listener.error:
        log(listener.error)
    log(f"bench-peers: {', '.join(programs)}; window {args.window:g} s, settle {args.settle:g} s, "
        f"{args.runs} runs; load {os.getloadavg()[0]:.2f}")
    results = []
    started = time.time()
    try:
        for name in args.only:
            if name not in programs:
                results.append({"program": name, "version": None, "error": "required packages are not installed"})
                continue
            results.append(bench_one(name, args, listener))
    except (KeyboardInterrupt, Interrupted) as e:
        log(f"interrupted ({e or 'SIGINT'}); the current harness was torn down")
        listener.close()
        return 130
    listener.close()
    text, targets = report(results, args, listener)
    print(text, flush=True)
    if args.json:
        data = {
            "date": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
            "kernel": platform.release(), "cpus": os.cpu_count(), "clk_tck": CLK_TCK,
            "args": {"window": args.window, "settle": args.settle, "runs": args.runs, "only": args.only,
                     "limberd": args.limberd, "limber": args.limber},
            "safeeyes_xprintidle": dpkg_version("xprintidle"),
            "results": results, "targets": targets,
            "taskstats": listener.error or "ok", "taskstats_overflows": listener.overflows,
        }
        pathlib.Path(args.json).write_text(json.dumps(data, indent=1, default=str) + "\n")
        log(f"raw numbers in {args.json}")
    return 0 if all("error" not in r for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
