# SPDX-License-Identifier: MIT
"""`limber exercises list | show | check | paths`: the catalogue's layers as the
CLI shows them, its errors as `file:line: message 'value'`, and the policy's
lists of exercises."""
import json
import re
import os
import subprocess

import pytest

from conftest import SRCDIR, binary, limber, write

SHIPPED = SRCDIR / "config/exercises"
SHIPPED_IDS = sorted(p.stem for p in SHIPPED.glob("*.exercise"))


def exercise(id, title="T", kinds="movement", extra="", steps="[step]\ndo = x\nhold = 25s\n"):
    return f"[exercise]\nid = {id}\ntitle = {title}\nkinds = {kinds}\n{extra}{steps}"


@pytest.fixture
def env(limber_env, tmp_path):
    """The shipped catalogue from the source tree, an empty root for the
    system directories, and the user's directory in the private config."""
    e = dict(limber_env, LIMBER_EXERCISES=str(SHIPPED))
    e["ROOT"] = str(tmp_path / "root")
    e["USERDIR"] = str(tmp_path / "config/limber/exercises.d")
    return e


def paths(env, root=None):
    r = limber(env, "exercises", "paths", *(["--root", root] if root else []))
    assert r.returncode == 0, r.stderr
    return dict(l.split("\t", 1) for l in r.stdout.splitlines())


def test_list_the_shipped_catalogue(env):
    r = limber(env, "exercises", "list", "--root", env["ROOT"])
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    lines = r.stdout.splitlines()
    assert [l.split()[0] for l in lines] == SHIPPED_IDS
    assert len(lines) >= 12
    by_id = {l.split()[0]: l.split(None, 2) for l in lines}
    assert by_id["chin-tuck"] == ["chin-tuck", "posture,movement", "Chin tuck"]
    assert by_id["chest-doorway-stretch"] == ["chest-doorway-stretch", "movement", "Chest stretch in a doorway"]
    assert by_id["slow-breathing"][1] == "posture,movement,pacing"


def test_list_json(env):
    r = limber(env, "exercises", "list", "--json", "--root", env["ROOT"])
    assert r.returncode == 0, r.stderr
    items = json.loads(r.stdout)
    assert [i["id"] for i in items] == SHIPPED_IDS
    for i in items:
        assert set(i) == {"id", "title", "kinds", "duration", "steps", "picture", "layer", "path"}
        assert i["layer"] == "shipped"
        assert i["picture"] == str(SHIPPED / f"{i['id']}.svg")
        assert os.path.isfile(i["picture"])
    neck = next(i for i in items if i["id"] == "neck-side-bend")
    assert neck == {"id": "neck-side-bend", "title": "Neck side bend", "kinds": ["movement"], "duration": 50,
                    "steps": 2, "picture": str(SHIPPED / "neck-side-bend.svg"), "layer": "shipped",
                    "path": str(SHIPPED / "neck-side-bend.exercise")}


def test_layers_override_and_mask(env):
    """The employer's file replaces a shipped one, the user's replaces both,
    a symlink to /dev/null removes one, and --origin says where each came from."""
    emp_dir = paths(env, env["ROOT"])["employer"]
    emp = write(f"{emp_dir}/calf-stretch.exercise", exercise("calf-stretch", "Calf stretch, the clinic's way"))
    write(f"{emp_dir}/desk-push-up.exercise", exercise("desk-push-up", "Desk push-up"))
    user = write(f"{env['USERDIR']}/desk-push-up.exercise", exercise("desk-push-up", "My physio's push-up", "posture"))
    os.makedirs(env["USERDIR"], exist_ok=True)
    os.symlink("/dev/null", f"{env['USERDIR']}/short-walk.exercise")

    r = limber(env, "exercises", "list", "--origin", "--root", env["ROOT"])
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    rows = {l.split()[0]: l.split(None, 4) for l in r.stdout.splitlines()}
    assert "short-walk" not in rows
    assert rows["calf-stretch"] == ["calf-stretch", "movement", "employer", str(emp), "Calf stretch, the clinic's way"]
    assert rows["desk-push-up"] == ["desk-push-up", "posture", "user", str(user), "My physio's push-up"]
    assert rows["chin-tuck"][2:4] == ["shipped", str(SHIPPED / "chin-tuck.exercise")]
    assert len(rows) == len(SHIPPED_IDS)  # one added, one masked


def test_root_resolves_the_shipped_and_employer_dirs(limber_env, tmp_path):
    """Without LIMBER_EXERCISES, --root DIR reads $(datadir)/limber/exercises
    and /etc/limber/exercises.d inside DIR."""
    root = tmp_path / "root"
    p = paths(limber_env, str(root))
    assert p["shipped"].startswith(str(root)) and p["shipped"].endswith("/share/limber/exercises")
    assert p["employer"] == f"{root}/etc/limber/exercises.d"
    assert p["user"] == f"{tmp_path}/config/limber/exercises.d"
    write(f"{p['shipped']}/inside.exercise", exercise("inside", "Inside the root"))
    r = limber(limber_env, "exercises", "list", "--root", str(root))
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["inside", "movement", "Inside", "the", "root"]


def test_a_bad_file_is_left_out_and_reported(env):
    bad = write(f"{env['USERDIR']}/chin-tuck.exercise",
                exercise("chin-tuck", steps="[step]\ndo = x\nhold = 25s\ncount = 5\n"))
    r = limber(env, "exercises", "list", "--root", env["ROOT"])
    assert r.returncode == 0
    assert r.stderr == f"{bad}:8: a step has either a hold or a count, not both: '5'\n"
    assert "chin-tuck" not in r.stdout.split()


def test_show(env):
    r = limber(env, "exercises", "show", "--root", env["ROOT"], "neck-side-bend")
    assert r.returncode == 0, r.stderr
    out = r.stdout.splitlines()
    assert out[0] == "Neck side bend"
    assert "id        neck-side-bend" in out
    assert "kinds     movement" in out
    assert "duration  50s" in out
    assert f"picture   {SHIPPED}/neck-side-bend.svg" in out
    assert f"file      {SHIPPED}/neck-side-bend.exercise (shipped)" in out
    assert any(l.startswith("1. Sit or stand tall") and l.endswith("(hold 25s)") for l in out)
    assert any(l.startswith("2. ") and l.endswith("(hold 25s)") for l in out)
    assert out[-1] == "Move slowly and only as far as is comfortable. Stop if it hurts."
    r = limber(env, "exercises", "show", "shoulder-rolls")
    assert "(5 times, 4s each)" in r.stdout


def test_show_json_and_translations(env):
    write(f"{env['USERDIR']}/neck-turn.exercise",
          exercise("neck-turn", "Neck turn", "posture",
                   "title[de] = Kopf drehen\nnote = Slowly.\nnote[de] = Langsam.\n",
                   "[step]\ndo = Turn right.\ndo[de] = Nach rechts drehen.\nhold = 20s\n"
                   "[step]\ndo = Shrug.\ncount = 3\neach = 2s\n"))
    r = limber(env, "exercises", "show", "--json", "neck-turn")
    assert r.returncode == 0, r.stderr
    o = json.loads(r.stdout)
    assert o["title"] == "Neck turn" and o["note"] == "Slowly." and o["picture"] is None
    assert o["kinds"] == ["posture"] and o["duration"] == 26 and o["layer"] == "user"
    assert o["steps"] == [
        {"do": "Turn right.", "hold": 20, "count": None, "each": None, "duration": 20,
         "translations": {"de": "Nach rechts drehen."}},
        {"do": "Shrug.", "hold": None, "count": 3, "each": 2, "duration": 6, "translations": {}},
    ]
    assert o["translations"] == {"title": {"de": "Kopf drehen"}, "note": {"de": "Langsam."}}

    # The user's language, as gettext finds it: C.UTF-8 honours LANGUAGE
    # (glibc 2.36); that C and POSIX ignore it is test_i18n's
    # test_the_c_locale_ignores_language.
    de = dict(env, LANG="de_DE.UTF-8", LANGUAGE="fr:de")
    r = limber(de, "exercises", "show", "neck-turn")
    assert r.stdout.splitlines()[0] == "Kopf drehen"
    assert "1. Nach rechts drehen. (hold 20s)" in r.stdout
    assert "2. Shrug. (3 times, 2s each)" in r.stdout
    assert r.stdout.splitlines()[-1] == "Langsam."
    r = limber(de, "exercises", "list")
    assert "neck-turn                    posture                  Kopf drehen" in r.stdout.splitlines()
    r = limber(dict(env, LANG="C.UTF-8", LANGUAGE="de"), "exercises", "show", "neck-turn")
    assert r.stdout.splitlines()[0] == "Kopf drehen"


def test_show_unknown_and_usage(env):
    r = limber(env, "exercises", "show", "nope")
    assert r.returncode == 1
    assert r.stderr == "limber: no exercise 'nope' (see 'limber exercises list')\n"
    for args in (["exercises"], ["exercises", "eat"], ["exercises", "show"], ["exercises", "show", "a", "b"],
                 ["exercises", "list", "extra"], ["exercises", "list", "--nope"], ["exercises", "show", "--origin", "x"],
                 ["exercises", "list", "--origin", "--json"], ["exercises", "check"], ["exercises", "check", "-x"]):
        r = limber(env, *args)
        assert r.returncode == 2, args
        assert r.stdout == "", args
        assert re.search(r"\nTry 'limber exercises( [a-z]+)? --help'\.\n$", r.stderr), args
    r = limber(env, "exercises", "list", "--root")
    assert r.returncode == 2 and "option '--root' needs a directory" in r.stderr
    for args in (["exercises"], ["exercises", "list"], ["exercises", "show"], ["exercises", "check"],
                 ["exercises", "paths"]):
        r = limber(env, *args, "--help")
        assert r.returncode == 0, (args, r.stderr)
        assert r.stdout.startswith("Usage: limber exercises"), (args, r.stdout)
    r = limber(env, "--help")
    assert "exercises list" in r.stdout and "exercises check FILE" in r.stdout


def test_check(env, tmp_path):
    files = [str(p) for p in sorted(SHIPPED.glob("*.exercise"))]
    r = limber(env, "exercises", "check", *files)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert r.stdout.splitlines() == [f"{f}: ok" for f in files]

    bad = write(tmp_path / "bad.exercise",
                "\ufeff[exercise]\nid = Bad\ntitle =\nkinds = posture, walking\ntitle[DE] = x\n"
                "[step]\ndo = Hold.\nhold = 25s\ncount = 5\n[step]\ndo = Long.\nhold = 15m\n[step]\nhold = 25\n"
                "[stepp]\n")
    warn = write(tmp_path / "neck-turn.exercise", exercise("neck-turn", extra="picture = neck-turn.svg\n"))
    mine = write(tmp_path / "mine.txt", exercise("whatever", extra="picture = chin-tuck.svg\n"))
    r = limber(env, "exercises", "check", str(bad), str(warn), str(mine))
    assert r.returncode == 1
    assert r.stdout.splitlines() == [f"{warn}: ok", f"{mine}: ok"]
    assert r.stderr.splitlines() == [
        f"{bad}:2: invalid id (lower-case letters, digits and single '-', at most 48): 'Bad'",
        f"{bad}:3: empty value for title: ''",
        f"{bad}:4: unknown break kind (posture, movement or pacing): 'walking'",
        f"{bad}:5: invalid language in key (use e.g. title[de] or do[pt_BR]): 'title[DE]'",
        f"{bad}:9: a step has either a hold or a count, not both: '5'",
        f"{bad}:12: hold out of range (1s..10m): '15m'",
        f"{bad}:14: invalid duration for hold (use e.g. 25s or 1m30s): '25'",
        f"{bad}:13: step 3 has no instruction ('do = ...'): '[step]'",
        f"{bad}:15: unknown section (use [exercise] and [step]): '[stepp]'",
        f"{warn}:5: warning: picture not found in {tmp_path} or {SHIPPED}: 'neck-turn.svg'",
    ]
    # A file named like an option, after "--"; a missing file.
    write(tmp_path / "-x.exercise", exercise("-x"))
    r = subprocess.run([binary("limber"), "exercises", "check", "--", "-x.exercise", "nope.exercise"], env=env,
                       cwd=tmp_path, capture_output=True, text=True, timeout=30)
    assert r.returncode == 1
    assert r.stderr.splitlines() == [
        "-x.exercise:2: invalid id (lower-case letters, digits and single '-', at most 48): '-x'",
        "nope.exercise: cannot read: No such file or directory",
    ]


def test_policy_lists_of_exercises(env, tmp_path):
    """posture.exercises / movement.exercises: an unknown id warns when the
    catalogue is loaded and is no error in policy check; bounds are refused."""
    r = limber(env, "set", "--root", env["ROOT"], "movement.exercises", "calf-stretch short-walk, desk-yoga")
    assert r.returncode == 0, r.stderr
    cfg = tmp_path / "config/limber/limber.ini"
    assert r.stdout.startswith(
        f"movement.exercises = calf-stretch, short-walk, desk-yoga   (user, {cfg}:2)\n")
    assert (f"{cfg}:2: warning: movement.exercises names no exercise (see limber exercises list): 'desk-yoga'"
            in r.stderr)
    r = limber(env, "exercises", "list", "--root", env["ROOT"])
    assert r.returncode == 0
    assert r.stderr == f"{cfg}:2: warning: movement.exercises names no exercise (see limber exercises list): 'desk-yoga'\n"
    r = limber(env, "policy", "check", str(cfg))
    assert r.returncode == 0 and r.stderr == ""
    r = limber(env, "policy", "show", "--json", "--root", env["ROOT"])
    by_key = {i["key"]: i for i in json.loads(r.stdout)}
    assert by_key["movement.exercises"]["value"] == "calf-stretch, short-walk, desk-yoga"
    assert by_key["posture.exercises"] == {"key": "posture.exercises", "value": "all", "scope": "built-in",
                                           "origin": "built-in", "locked": False}
    assert by_key["movement.exercises-per-break"]["value"] == "3"

    r = limber(env, "set", "posture.exercises", "all, chin-tuck")
    assert r.returncode == 1
    assert r.stderr == ("limber: 'all' cannot be combined with ids for posture.exercises "
                        "(use all, or exercise ids separated by commas): 'all, chin-tuck'\n")
    r = limber(env, "set", "posture.exercises.max", "3")
    assert r.returncode == 1 and "locks and bounds belong in employer policy files" in r.stderr

    emp = write(tmp_path / "50-acme.ini", "[movement]\nexercises = short-walk\nexercises.locked = yes\n"
                                          "exercises.min = 1\nexercises-per-break = 2\nexercises-per-break.max = 4\n")
    r = limber(env, "policy", "check", str(emp))
    assert r.returncode == 1
    assert r.stderr == (f"{emp}:4: movement.exercises.min: a list of exercises cannot be bounded "
                        "(lock it with movement.exercises.locked = yes): '1'\n")

    r = limber(env, "policy", "keys")
    assert "posture.exercises\texercise ids or all\t" in r.stdout
    assert "movement.exercises-per-break\tcount\t" in r.stdout


def test_bash_completion(env):
    def complete(*words):
        script = (f"source {SRCDIR / 'cli/completions/limber.bash'}; COMP_WORDS=(limber "
                  f"{' '.join(repr(w) for w in words)}); COMP_CWORD={len(words)}; _limber; "
                  "printf '%s\\n' \"${COMPREPLY[@]}\"")
        e = dict(env, PATH=f"{binary('limber').rsplit('/', 1)[0]}:{env['PATH']}")
        r = subprocess.run(["bash", "--norc", "--noprofile", "-c", script], env=e, capture_output=True, text=True,
                           timeout=30)
        assert r.returncode == 0 and r.stderr == "", r.stderr
        return [w for w in r.stdout.splitlines() if w]
    assert complete("exer") == ["exercises"]
    assert complete("exercises", "") == ["list", "show", "check", "paths"]
    assert complete("exercises", "show", "ch") == ["chest-doorway-stretch", "chin-tuck"]
    assert complete("set", "posture.exercises", "sh") == ["short-walk", "shoulder-rolls"]
    assert complete("set", "movement.exercises", "a") == ["all"]
    assert complete("exercises", "list", "--o") == ["--origin"]

