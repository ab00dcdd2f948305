#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Runs a program under the seccomp sandbox that a systemd unit file asks for,
as systemd would build it, so that the tests can check limberd keeps working
under the installed limberd.service without systemd as PID 1.

    sandbox.py UNIT_FILE -- PROGRAM [ARG...]

Emulated from the unit's [Service] section: SystemCallFilter= (allow list,
then ~ deny lists, groups expanded by `systemd-analyze syscall-filter`),
SystemCallErrorNumber=, SystemCallArchitectures=native,
RestrictAddressFamilies=, MemoryDenyWriteExecute=, RestrictNamespaces=,
RestrictRealtime=, RestrictSUIDSGID=, LockPersonality=, NoNewPrivileges=,
UMask=. Options that need namespaces or a service manager are not emulated.
"""
import ctypes
import errno
import functools
import mmap
import os
import socket
import subprocess
import sys

import seccomp

PR_SET_NO_NEW_PRIVS = 38
CLONE_NEW = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x00000080
SHM_EXEC = 0o100000
S_ISUID, S_ISGID = 0o4000, 0o2000


@functools.lru_cache(maxsize=None)
def group(name):
    """The syscalls of one @group, nested groups expanded."""
    out = subprocess.run(["systemd-analyze", "syscall-filter", name], capture_output=True, text=True,
                         check=True).stdout
    names = set()
    for line in out.splitlines()[1:]:
        item = line.strip()
        if not item or item.startswith("#"):
            continue
        names |= group(item) if item.startswith("@") else {item}
    return frozenset(names)


def expand(words):
    names = set()
    for w in words.split():
        names |= group(w) if w.startswith("@") else {w}
    return names


def service_options(unit):
    """Every Key=value of [Service], in order (a key may repeat)."""
    options = {}
    section = None
    for raw in open(unit, encoding="utf-8"):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line
            continue
        if section == "[Service]" and "=" in line:
            k, v = line.split("=", 1)
            options.setdefault(k.strip(), []).append(v.strip())
    return options


def yes(options, key):
    return options.get(key, ["no"])[-1].lower() in ("yes", "true", "on", "1")


def build_filter(options):
    err = getattr(errno, options.get("SystemCallErrorNumber", ["EPERM"])[-1], errno.EPERM)
    allowed = None
    for entry in options.get("SystemCallFilter", []):
        if entry.startswith("~"):
            if allowed is not None:
                allowed -= expand(entry[1:])
        elif allowed is None:
            allowed = expand(entry)
        else:
            allowed |= expand(entry)
    if allowed is None:
        raise SystemExit("the unit has no SystemCallFilter allow list to emulate")
    # systemd always lets these through, so that exec and exit work.
    allowed |= {"execve", "exit", "exit_group", "getrlimit", "rt_sigreturn", "sigreturn"}

    f = seccomp.SyscallFilter(defaction=seccomp.ERRNO(err))
    conditional = set()

    families = options.get("RestrictAddressFamilies", [])
    if families and "socket" in allowed:
        conditional.add("socket")
        for fam in " ".join(families).split():
            f.add_rule(seccomp.ALLOW, "socket", seccomp.Arg(0, seccomp.EQ, getattr(socket, fam)))
    if yes(options, "MemoryDenyWriteExecute"):
        conditional |= {"mmap", "mprotect", "pkey_mprotect", "shmat"}
        for call in ("mmap",):
            f.add_rule(seccomp.ALLOW, call, seccomp.Arg(2, seccomp.MASKED_EQ, mmap.PROT_EXEC, 0))
            f.add_rule(seccomp.ALLOW, call, seccomp.Arg(2, seccomp.MASKED_EQ, mmap.PROT_WRITE, 0))
        for call in ("mprotect", "pkey_mprotect"):
            if call in allowed:
                f.add_rule(seccomp.ALLOW, call, seccomp.Arg(2, seccomp.MASKED_EQ, mmap.PROT_EXEC, 0))
        if "shmat" in allowed:
            f.add_rule(seccomp.ALLOW, "shmat", seccomp.Arg(2, seccomp.MASKED_EQ, SHM_EXEC, 0))
    if options.get("RestrictNamespaces", ["no"])[-1] in ("yes", "true"):
        conditional |= {"clone", "clone3", "unshare", "setns"}
        f.add_rule(seccomp.ALLOW, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_NEW, 0))
        # clone3 passes its flags in memory: systemd answers ENOSYS so libc uses clone.
        f.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    if yes(options, "RestrictRealtime"):
        conditional |= {"sched_setscheduler"}
        for policy in (0, 3, 5):  # SCHED_OTHER, SCHED_BATCH, SCHED_IDLE
            f.add_rule(seccomp.ALLOW, "sched_setscheduler", seccomp.Arg(1, seccomp.EQ, policy))
    if yes(options, "LockPersonality"):
        conditional.add("personality")
        for persona in (0, 0xFFFFFFFF):  # PER_LINUX, and the query
            f.add_rule(seccomp.ALLOW, "personality", seccomp.Arg(0, seccomp.EQ, persona))
    if yes(options, "RestrictSUIDSGID"):
        conditional |= {"chmod", "fchmod", "fchmodat"}
        f.add_rule(seccomp.ALLOW, "chmod", seccomp.Arg(1, seccomp.MASKED_EQ, S_ISUID | S_ISGID, 0))
        f.add_rule(seccomp.ALLOW, "fchmod", seccomp.Arg(1, seccomp.MASKED_EQ, S_ISUID | S_ISGID, 0))
        f.add_rule(seccomp.ALLOW, "fchmodat", seccomp.Arg(2, seccomp.MASKED_EQ, S_ISUID | S_ISGID, 0))

    for name in sorted(allowed - conditional):
        try:
            f.add_rule(seccomp.ALLOW, name)
        except (ValueError, RuntimeError):
            pass  # not a system call on this architecture
    return f


def main():
    if "--" not in sys.argv:
        raise SystemExit(__doc__)
    sep = sys.argv.index("--")
    unit, argv = sys.argv[1], sys.argv[sep + 1:]
    options = service_options(unit)
    f = build_filter(options)
    if "UMask" in options:
        os.umask(int(options["UMask"][-1], 8))
    # NoNewPrivileges=yes, which loading a filter without privileges needs anyway.
    if True:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise SystemExit("cannot set no_new_privs")
    f.load()
    os.execvp(argv[0], argv)


if __name__ == "__main__":
    main()
