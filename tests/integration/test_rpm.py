# SPDX-License-Identifier: MIT
"""The RPM (rpm/limber.spec): `make rpm` builds it with Debian's rpmbuild,
rpmlint finds no errors, it holds the .deb's files but for the differences
listed below, enables the user unit through a preset, owns an empty
/etc/limber/policy.d, and its limber reads the same directories."""
import re
import subprocess

import pytest

from harness import SRCDIR
from test_deb import build_deb, make_env

# Where the two packages differ on purpose: each distribution's place for
# the license and zsh completions, Debian's changelog, and how the user unit
# gets enabled (the .deb's postinst runs deb-systemd-helper; the RPM's %post
# applies a preset).
DEB_ONLY = {
    "/usr/share/doc/limber/copyright",
    "/usr/share/doc/limber/changelog.gz",
    "/usr/share/zsh/vendor-completions/_limber",
}
RPM_ONLY = {
    "/usr/share/licenses/limber/LICENSE",
    "/usr/share/zsh/site-functions/_limber",
    "/usr/lib/systemd/user-preset/80-limber.preset",
}


@pytest.fixture(scope="module")
def rpm(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rpm")
    r = subprocess.run(["make", f"BUILD={tmp / 'build'}", "rpm"], cwd=SRCDIR, env=make_env(), capture_output=True,
                       text=True, timeout=900)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
    [path] = (tmp / "build/rpm/RPMS").glob("*/limber-[0-9]*.rpm")
    [srpm] = (tmp / "build/rpm/SRPMS").glob("limber-*.src.rpm")
    return tmp, path, srpm


def query(path, fmt):
    r = subprocess.run(["rpm", "-qp", "--qf", fmt, str(path)], capture_output=True, text=True, check=True)
    return r.stdout


def rpm_files(path):
    """Regular files and symlinks -> permissions; man pages without .gz;
    rpm's build-id links left out."""
    out = {}
    for line in query(path, "[%{FILEMODES:perms}\t%{FILENAMES}\n]").splitlines():
        perms, name = line.split("\t")
        if perms[0] != "d" and not name.startswith("/usr/lib/.build-id/"):
            out[re.sub(r"(/man/man\d/.*)\.gz$", r"\1", name)] = perms
    return out


def deb_files(path):
    out = {}
    for line in subprocess.run(["dpkg-deb", "-c", str(path)], capture_output=True, text=True,
                               check=True).stdout.splitlines():
        perms, name = line.split()[0], line.split()[5]
        if perms[0] != "d":
            out[re.sub(r"(/man/man\d/.*)\.gz$", r"\1", name[1:])] = perms
    return out


def test_rpmlint_has_no_errors(rpm):
    _, path, srpm = rpm
    r = subprocess.run(["rpmlint", "--config", str(SRCDIR / "rpm/rpmlint.toml"), str(SRCDIR / "rpm/limber.spec"),
                        str(srpm), str(path)], capture_output=True, text=True, timeout=300)
    print("\nrpmlint:\n" + r.stdout)
    assert re.search(r" 0 errors, \d+ warnings", r.stdout), r.stdout
    assert not re.search(r": E: ", r.stdout)
    assert r.returncode == 0


def test_same_files_as_the_deb(rpm, tmp_path_factory):
    _, path, _ = rpm
    _, deb = build_deb(tmp_path_factory)
    in_rpm, in_deb = rpm_files(path), deb_files(deb)
    # The differences listed are real ones...
    assert DEB_ONLY <= in_deb.keys()
    assert RPM_ONLY <= in_rpm.keys()
    # ...and the only ones: the same files, with the same permissions.
    assert {f: p for f, p in in_rpm.items() if f not in RPM_ONLY} == \
           {f: p for f, p in in_deb.items() if f not in DEB_ONLY}
    assert "/usr/share/doc/limber/examples/hardening.conf" in in_rpm


def test_etc_holds_the_empty_policy_dir_and_one_config_file(rpm):
    _, path, _ = rpm
    owned = query(path, "[%{FILEMODES:perms}\t%{FILEFLAGS:fflags}\t%{FILENAMES}\n]").splitlines()
    etc = {name: (perms, flags) for perms, flags, name in (l.split("\t") for l in owned) if name.startswith("/etc/")}
    assert etc["/etc/limber/policy.d"][0].startswith("d")
    assert not [n for n in etc if n.startswith("/etc/limber/policy.d/")]  # no file in it is the package's
    # The autostart entry, kept when edited, like a Debian conffile; nothing
    # else under /etc is a file of the package.
    assert {n: f for n, (p, f) in etc.items() if not p.startswith("d")} == {
        "/etc/xdg/autostart/limberd.desktop": "cn"}


def test_the_user_unit_is_enabled_by_a_preset(rpm, tmp_path):
    _, path, _ = rpm
    scripts = subprocess.run(["rpm", "-qp", "--scripts", str(path)], capture_output=True, text=True,
                             check=True).stdout
    post = scripts[scripts.index("postinstall scriptlet"):scripts.index("preuninstall scriptlet")]
    preun = scripts[scripts.index("preuninstall scriptlet"):]
    # Fedora's %systemd_user_post, or the spec's fallback where its macros are missing.
    assert re.search(r"preset --global limberd\.service|install-user-units limberd\.service", post), post
    assert re.search(r"disable --global limberd\.service|remove-user-units limberd\.service", preun), preun
    root = extract(path, tmp_path)
    preset = (root / "usr/lib/systemd/user-preset/80-limber.preset").read_text()
    assert [l for l in preset.splitlines() if l and not l.startswith("#")] == ["enable limberd.service"]
    unit = (root / "usr/lib/systemd/user/limberd.service").read_text()
    assert "WantedBy=graphical-session.target" in unit.splitlines()


def extract(path, dest):
    root = dest / "root"
    root.mkdir()
    cpio = subprocess.run(["rpm2cpio", str(path)], capture_output=True, check=True).stdout
    subprocess.run(["cpio", "-idm", "--quiet"], input=cpio, cwd=root, check=True)
    return root


def test_packaged_limber_reads_the_same_dirs(rpm, tmp_path):
    _, path, _ = rpm
    root = extract(path, tmp_path)
    r = subprocess.run([str(root / "usr/bin/limber"), "policy", "paths"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "vendor\t/usr/lib/limber/policy.d/*.ini" in r.stdout
    assert "employer\t/etc/limber/policy.d/*.ini" in r.stdout
