# SPDX-License-Identifier: MIT
"""The Debian package: it builds (make deb), lintian finds no errors, it holds
what make install installs, it enables the user unit for every user, and the
packaged limber reads an employer file dropped into /etc/limber/policy.d."""
import os
import subprocess

import pytest

from harness import SRCDIR

EXPECTED = SRCDIR / "tests/data/install-files.txt"


def make_env():
    return {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "BUILD", "SANITIZE", "WERROR", "CFLAGS", "LDFLAGS", "CPPFLAGS")}


_BUILT = {}


def build_deb(tmp_path_factory):
    """make deb, once per test run (test_rpm.py compares its RPM with it)."""
    if "deb" not in _BUILT:
        tmp = tmp_path_factory.mktemp("deb")
        r = subprocess.run(["make", f"BUILD={tmp / 'build'}", "deb"], cwd=SRCDIR, env=make_env(),
                           capture_output=True, text=True, timeout=900)
        assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
        [path] = (tmp / "build/deb").glob("limber_*_*.deb")
        _BUILT["deb"] = (tmp, path)
    return _BUILT["deb"]


@pytest.fixture(scope="module")
def deb(tmp_path_factory):
    return build_deb(tmp_path_factory)


def test_lintian_has_no_errors(deb):
    _, path = deb
    r = subprocess.run(["lintian", "--pedantic", "-I", str(path)], capture_output=True, text=True, timeout=300)
    tags = [l for l in r.stdout.splitlines() if l[:2] in ("E:", "W:", "I:", "P:")]
    print("\nlintian:", "\n".join(tags) or "no tags")
    assert not [t for t in tags if t.startswith("E:")]


def test_contents_and_user_unit_enablement(deb):
    tmp, path = deb
    root = tmp / "root"
    subprocess.run(["dpkg-deb", "-x", str(path), str(root)], check=True)
    files = sorted("/" + str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() or
                   (p.is_dir() and not any(p.iterdir())))
    expected = [f for f in EXPECTED.read_text().split()]
    for f in expected:
        assert f in files or f"{f}.gz" in files, f
    ctl = tmp / "control"
    subprocess.run(["dpkg-deb", "-e", str(path), str(ctl)], check=True)
    postinst = (ctl / "postinst").read_text()
    assert "deb-systemd-helper --user enable 'limberd.service'" in postinst
    assert "/etc/xdg/autostart/limberd.desktop" in (ctl / "conffiles").read_text()


def test_packaged_limber_reads_the_employer_dir(deb, tmp_path):
    tmp, path = deb
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(path), str(root)], check=True)
    drop = root / "etc/limber/policy.d/50-acme.ini"
    drop.write_text("[posture]\ninterval = 25m\ninterval.max = 30m\n")
    r = subprocess.run([str(root / "usr/bin/limber"), "policy", "show", "--origin", "--root", str(root)],
                       env={"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "cfg"), "PATH": "/usr/bin:/bin"},
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    line = next(l for l in r.stdout.splitlines() if l.startswith("posture.interval "))
    assert line.split()[:4] == ["posture.interval", "25m", "employer", f"{drop}:2"]
    paths = subprocess.run([str(root / "usr/bin/limber"), "policy", "paths"], capture_output=True, text=True).stdout
    assert "vendor\t/usr/lib/limber/policy.d/*.ini" in paths
    assert "employer\t/etc/limber/policy.d/*.ini" in paths
