# SPDX-License-Identifier: MIT
"""limber set / unset / edit: the user's file changed within the employer's
locks and bounds, byte for byte elsewhere, and picked up by a running limberd."""
import os
import stat
import subprocess

from harness import BUILD, wait_for

from conftest import vendor_dir, write


def limber(desktop, *args, env=None, stdin=subprocess.DEVNULL):
    e = dict(desktop.env)
    e.update(env or {})
    return subprocess.run([str(BUILD / "limber"), *args], env=e, capture_output=True, text=True, timeout=30,
                          stdin=stdin)


def user_file(desktop):
    return desktop.tmp / "config/limber/limber.ini"


def employer(desktop, text):
    _, edir = vendor_dir(desktop.root)
    return write(edir / "50-acme.ini", text)


def test_set_into_missing_file_then_existing_and_new_sections(desktop):
    root = ["--root", str(desktop.root)]
    r = limber(desktop, "set", *root, "posture.interval", "25m")
    assert r.returncode == 0, r.stderr
    f = user_file(desktop)
    assert f.read_text() == "[posture]\ninterval = 25m\n"
    assert r.stdout.startswith(f"posture.interval = 25m   (user, {f}:2)")
    assert "limberd is not running" in r.stdout

    assert limber(desktop, "set", *root, "posture.duration", "45s").returncode == 0
    assert f.read_text() == "[posture]\ninterval = 25m\nduration = 45s\n"
    assert limber(desktop, "set", *root, "pacing.enabled", "yes").returncode == 0
    assert f.read_text() == "[posture]\ninterval = 25m\nduration = 45s\n\n[pacing]\nenabled = yes\n"


def test_comments_and_other_lines_are_kept_byte_for_byte(desktop):
    f = user_file(desktop)
    before = ("# My breaks — written by hand\r\n"
              "\r\n"
              "[posture]\r\n"
              "; I like them often\r\n"
              "   interval = 15m\r\n"
              "duration=40s\r\n"
              "\r\n"
              "[movement]\r\n"
              "interval = 45m   ; my own\r\n")
    write(f, before)
    os.chmod(f, 0o640)
    r = limber(desktop, "set", "--root", str(desktop.root), "posture.interval", "18m")
    assert r.returncode == 0, r.stderr
    assert f.read_bytes() == before.replace("   interval = 15m", "interval = 18m").encode()
    assert stat.S_IMODE(f.stat().st_mode) == 0o640  # permissions kept
    assert not [p for p in f.parent.iterdir() if p.name != "limber.ini"]  # no temporary files left


def test_locked_and_bounded_keys_are_refused(desktop):
    emp = employer(desktop, "[posture]\ninterval = 20m\ninterval.max = 30m\ninterval.min = 10m\n"
                            "[movement]\nskippable = no\nskippable.locked = yes\nduration.min = 5m\n")
    root = ["--root", str(desktop.root)]
    f = write(user_file(desktop), "# mine\n")

    r = limber(desktop, "set", *root, "movement.skippable", "yes")
    assert r.returncode == 4
    assert r.stderr == f"limber: movement.skippable is locked to no by {emp}:7\n"

    r = limber(desktop, "set", *root, "posture.interval", "45m")
    assert r.returncode == 5
    assert f"10m to 30m ({emp}:4, {emp}:3)" in r.stderr
    r = limber(desktop, "set", *root, "movement.duration", "2m")
    assert r.returncode == 5
    assert f"at least 5m ({emp}:8)" in r.stderr
    assert f.read_text() == "# mine\n"  # untouched

    r = limber(desktop, "set", *root, "posture.interval", "12m")
    assert r.returncode == 0, r.stderr


def test_invalid_values_and_keys_leave_the_file_alone(desktop):
    f = write(user_file(desktop), "[posture]\ninterval = 25m\n")
    cases = [(["posture.interval", "20 minutes"], 1, "invalid duration for posture.interval"),
             (["posture.interval", "0s"], 1, "out of range for posture.interval (1s..1d): '0s'"),
             (["posture.enabled", "maybe"], 1, "invalid boolean"),
             (["posture.colour", "red"], 1, "unknown key 'posture.colour'"),
             (["posture.interval.max", "30m"], 1, "locks and bounds belong in employer policy files"),
             (["posture.max_snoozes", "3"], 1, "unknown key 'posture.max_snoozes'"),
             (["posture.minutes", "3"], 1, "unknown key 'posture.minutes'"),
             (["posture.interval"], 2, "set: a KEY and a VALUE")]
    for args, code, message in cases:
        r = limber(desktop, "set", "--root", str(desktop.root), *args)
        assert r.returncode == code, args
        assert message in r.stderr, (args, r.stderr)
    assert f.read_text() == "[posture]\ninterval = 25m\n"


def test_unset_falls_back(desktop):
    emp = employer(desktop, "[posture]\ninterval = 22m\n")
    f = write(user_file(desktop), "[posture]\ninterval = 15m\nduration = 40s\n")
    r = limber(desktop, "unset", "--root", str(desktop.root), "posture.interval")
    assert r.returncode == 0, r.stderr
    assert f.read_text() == "[posture]\nduration = 40s\n"
    assert r.stdout.startswith(f"posture.interval = 22m   (employer, {emp}:2)")
    r = limber(desktop, "unset", "--root", str(desktop.root), "posture.interval")
    assert r.returncode == 0
    assert "posture.interval was not set in" in r.stdout and "; nothing changed" in r.stdout


def test_a_running_daemon_picks_the_change_up(desktop):
    desktop.start()
    c = desktop.client
    assert c.kind("posture")["interval"] == 20 * 60 * 10**6
    r = limber(desktop, "set", "--root", str(desktop.root), "posture.interval", "25m")
    assert r.returncode == 0, r.stderr
    assert "not running" not in r.stdout
    wait_for(lambda: c.kind("posture")["interval"] == 25 * 60 * 10**6, 5, "the new interval")
    r = limber(desktop, "unset", "--root", str(desktop.root), "posture.interval")
    assert r.returncode == 0
    wait_for(lambda: c.kind("posture")["interval"] == 20 * 60 * 10**6, 5, "the interval back")


def scripted_editor(desktop, name, body):
    path = desktop.tmp / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return str(path)


def test_edit_bad_then_good(desktop):
    desktop.start()
    c = desktop.client
    f = write(user_file(desktop), "# keep me\n[posture]\ninterval = 25m\n")
    bad = scripted_editor(desktop, "bad-editor", 'printf "[posture]\\ninterval = soon\\n" > "$1"\n')
    r = limber(desktop, "edit", "--root", str(desktop.root), env={"EDITOR": bad, "VISUAL": ""})
    assert r.returncode == 1
    assert f"{f}:2: invalid duration for posture.interval" in r.stderr
    assert f.read_text() == "# keep me\n[posture]\ninterval = 25m\n"  # old file kept
    assert not list(f.parent.glob(".limber.ini.edit-*"))

    good = scripted_editor(desktop, "good-editor", 'sed -i "s/25m/35m/" "$1"\n')
    r = limber(desktop, "edit", "--root", str(desktop.root), env={"VISUAL": good})
    assert r.returncode == 0, r.stderr
    assert f.read_text() == "# keep me\n[posture]\ninterval = 35m\n"
    wait_for(lambda: c.kind("posture")["interval"] == 35 * 60 * 10**6, 5, "the edited interval")


def test_edit_asks_again_on_a_terminal(desktop, tmp_path):
    """On a terminal, errors lead to "Edit again?": run it under script(1)."""
    f = write(user_file(desktop), "[posture]\ninterval = 25m\n")
    # The first run writes a bad value, the second a good one.
    editor = scripted_editor(desktop, "twice-editor",
                             f'if [ -e {tmp_path}/once ]; then sed -i "s/soon/30m/" "$1"; '
                             f'else touch {tmp_path}/once; sed -i "s/25m/soon/" "$1"; fi\n')
    env = dict(desktop.env, EDITOR=editor)
    cmd = f"{BUILD / 'limber'} edit --root {desktop.root}"
    r = subprocess.run(["script", "-qec", cmd, "/dev/null"], env=env, input="y\n", capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Edit again? [Y/n]" in r.stdout
    assert f.read_text() == "[posture]\ninterval = 30m\n"


def test_a_symlinked_user_file_stays_a_symlink(desktop, tmp_path):
    """Dotfile managers link the file: the change goes into the file linked to."""
    target = write(tmp_path / "dotfiles/limber.ini", "# in git\n[posture]\ninterval = 25m\n")
    link = user_file(desktop)
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    r = limber(desktop, "set", "--root", str(desktop.root), "posture.interval", "30m")
    assert r.returncode == 0, r.stderr
    assert link.is_symlink()
    assert target.read_text() == "# in git\n[posture]\ninterval = 30m\n"
    assert limber(desktop, "unset", "--root", str(desktop.root), "posture.interval").returncode == 0
    assert link.is_symlink()
    assert target.read_text() == "# in git\n[posture]\n"
    assert not [p for p in link.parent.iterdir() if p.name != "limber.ini"]


def test_a_file_with_a_nul_byte_is_left_alone(desktop):
    f = user_file(desktop)
    f.parent.mkdir(parents=True, exist_ok=True)
    before = b"[posture]\n# note\0 x\n[movement]\nduration = 6m\n"
    f.write_bytes(before)
    for args in (["set", "posture.duration", "40s"], ["unset", "movement.duration"]):
        r = limber(desktop, args[0], "--root", str(desktop.root), *args[1:])
        assert r.returncode == 1, args
        assert f"{f}: holds a NUL byte" in r.stderr
        assert f.read_bytes() == before


def test_set_says_when_the_daemon_keeps_its_old_policy(desktop):
    """Another line of the file is bad: the value is saved, and the user is told
    it is not in force until the file is fixed."""
    f = write(user_file(desktop), "[posture]\ninterval = 25m\n[movement]\nduration = 5 min\n")
    desktop.start()
    c = desktop.client
    assert c.kind("posture")["interval"] == 25 * 60 * 10**6
    r = limber(desktop, "set", "--root", str(desktop.root), "posture.interval", "31m")
    assert r.returncode == 9, r.stdout + r.stderr
    assert f"{f}:4: invalid duration for movement.duration" in r.stderr
    assert "your change is saved, but limberd keeps its previous policy" in r.stderr
    assert "interval = 31m" in f.read_text()
    assert c.kind("posture")["interval"] == 25 * 60 * 10**6


def test_edit_survives_an_interrupt_meant_for_the_editor(desktop):
    """Ctrl-C in the editor reaches its whole process group; like crontab -e,
    limber ignores it and keeps the edit."""
    f = write(user_file(desktop), "[posture]\ninterval = 25m\n")
    editor = scripted_editor(desktop, "ctrl-c-editor", 'trap "" INT QUIT\nkill -INT 0\nkill -QUIT 0\n'
                                                       'sed -i "s/25m/40m/" "$1"\n')
    e = dict(desktop.env, EDITOR=editor, VISUAL="")
    r = subprocess.run([str(BUILD / "limber"), "edit", "--root", str(desktop.root)], env=e, capture_output=True,
                       text=True, timeout=30, stdin=subprocess.DEVNULL, start_new_session=True)
    assert r.returncode == 0, r.stderr
    assert f.read_text() == "[posture]\ninterval = 40m\n"
    assert not list(f.parent.glob(".limber.ini.edit-*"))


def test_options_go_anywhere_and_double_dash_ends_them(desktop):
    """--root after KEY VALUE is still read (the employer's lock in it
    refuses the change); after "--" a word like an option is the VALUE."""
    emp = employer(desktop, "[posture]\ninterval = 20m\ninterval.locked = yes\n[movement]\nduration = 6m\n")
    f = write(user_file(desktop), "# mine\n")
    root = str(desktop.root)

    r = limber(desktop, "set", "posture.interval", "25m", "--root", root)
    assert r.returncode == 4, r.stdout + r.stderr
    assert r.stderr == f"limber: posture.interval is locked to 20m by {emp}:3\n"
    r = limber(desktop, "set", "posture.duration", f"--root={root}", "45s")
    assert r.returncode == 0, r.stderr
    assert f.read_text() == "# mine\n[posture]\nduration = 45s\n"
    r = limber(desktop, "unset", "posture.duration", "--root", root)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("posture.duration = 30s   (built-in)\n")
    r = limber(desktop, "unset", "movement.duration", "--root", root)
    assert f"movement.duration = 6m   (employer, {emp}:5)" in r.stdout, r.stdout

    r = limber(desktop, "set", "--root", root, "--", "movement.duration", "7m")
    assert r.returncode == 0, r.stderr
    r = limber(desktop, "set", "movement.duration", "--", "--root")
    assert r.returncode == 1
    assert "invalid duration for movement.duration (use e.g. 90s, 20m, 1h30m): '--root'" in r.stderr
    assert "interval" not in f.read_text() and "duration = 7m" in f.read_text()


def test_working_hours_within_the_employers(desktop):
    """An employer bounds the hours: core hours the user must keep (.min),
    and the only hours breaks may cover (.max). limber set says which file."""
    emp = employer(desktop, "[general]\nwork-hours = Mon-Fri 09:00-17:00\n"
                            "work-hours.min = Mon-Fri 10:00-15:00\nwork-hours.max = Mon-Fri 07:00-19:00\n")
    r = limber(desktop, "set", "--root", str(desktop.root), "general.work-hours", "Mon-Fri 08:00-18:00")
    assert r.returncode == 0, r.stderr
    assert user_file(desktop).read_text() == "[general]\nwork-hours = Mon-Fri 08:00-18:00\n"
    r = limber(desktop, "set", "--root", str(desktop.root), "general.work-hours", "always")
    assert r.returncode == 5
    assert r.stderr == (f"limber: general.work-hours = always goes beyond the working hours your policy allows: "
                        f"Mon-Fri 07:00-19:00 ({emp}:4)\n")
    r = limber(desktop, "set", "--root", str(desktop.root), "general.work-hours", "Mon-Fri 11:00-18:00")
    assert r.returncode == 5
    assert "leaves out hours your policy requires: Mon-Fri 10:00-15:00" in r.stderr
    r = limber(desktop, "set", "--root", str(desktop.root), "general.work-hours", "Mnd-Fri 08:00-18:00")
    assert r.returncode == 1
    assert r.stderr == ("limber: invalid working hours for general.work-hours (expected days such as Mon-Fri or "
                        "Mon,Wed): 'Mnd-Fri'\n")
    assert user_file(desktop).read_text() == "[general]\nwork-hours = Mon-Fri 08:00-18:00\n"
    # A value the user wrote by hand beyond the bounds is narrowed and widened, and said so.
    user_file(desktop).write_text("[general]\nwork-hours = Sat 10:00-12:00; Mon-Fri 11:00-20:00\n")
    r = limber(desktop, "policy", "show", "--root", str(desktop.root))
    assert "\nwork-hours = Mon-Fri 10:00-19:00\n" in r.stdout
    assert "outside the working hours set by" in r.stderr
