# SPDX-License-Identifier: MIT
"""The shape of the daemon (DESIGN.md §2): the engine dispatches, the parts
report through callbacks, and no daemon file is in an include cycle; the
CLI links none of the daemon's objects."""
import re
import subprocess

from harness import BUILD, SRCDIR

DAEMON = SRCDIR / "daemon"


def modules():
    return {p.stem: p.read_text() for p in sorted(DAEMON.glob("*.c"))}


def test_no_part_calls_up_into_the_engine_or_the_bus():
    calls = []
    for name, text in modules().items():
        if name in ("engine", "bus", "main"):
            continue
        for n, line in enumerate(text.splitlines(), 1):
            if re.search(r"\b(engine|bus)_[a-z_]+\s*\(", line):
                calls.append(f"daemon/{name}.c:{n}: {line.strip()}")
    assert not calls, "\n".join(calls)


def include_graph():
    """x -> y when daemon/x.c or daemon/x.h includes daemon/y.h and y is a module (y.c exists)."""
    mods = modules()
    graph = {m: set() for m in mods}
    for m in mods:
        for path in (DAEMON / f"{m}.c", DAEMON / f"{m}.h"):
            if not path.exists():
                continue
            for inc in re.findall(r'^#include "([a-z0-9-]+)\.h"', path.read_text(), re.M):
                if inc in mods and inc != m:
                    graph[m].add(inc)
    return graph


def test_no_include_cycle():
    graph = include_graph()
    state = {}

    def visit(m, path):
        if state.get(m) == "done":
            return
        assert state.get(m) != "open", "include cycle: " + " -> ".join(path + [m])
        state[m] = "open"
        for n in sorted(graph[m]):
            visit(n, path + [m])
        state[m] = "done"

    for m in graph:
        visit(m, [])
    # The parts sit below the engine, and only main sees them all.
    assert "engine" not in set().union(*(graph[m] for m in graph if m != "main"))
    assert "main" not in set().union(*graph.values())


def test_the_cli_links_no_daemon_object():
    symbols = subprocess.run(["nm", "--defined-only", str(BUILD / "limber")], capture_output=True, text=True,
                             check=True).stdout
    for daemon_only in ("sched_new", "sched_advance", "engine_new", "history_open", "state_store_new"):
        assert not re.search(rf"\b{daemon_only}\b", symbols), daemon_only
