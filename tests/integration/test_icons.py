# SPDX-License-Identifier: MIT
"""The tray icons (config/icons): one per state the tray shows, each in full
colour and as a symbolic (one colour, filled shapes only, so that GTK and
the panels can recolour it), and each renders at the sizes panels use."""
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from conftest import SRCDIR

ICONS = SRCDIR / "config/icons"
STATES = ["limber", "limber-due", "limber-break", "limber-paused", "limber-flare"]
NS = "{http://www.w3.org/2000/svg}"


def test_one_icon_per_state_the_tray_names():
    shipped = sorted(p.stem for p in ICONS.glob("*.svg"))
    assert shipped == sorted(STATES + [f"{s}-symbolic" for s in STATES])
    # The names the daemon gives its IconName property, and no other.
    named = set(re.findall(r'"(limber(?:-[a-z]+)?)"', (SRCDIR / "daemon/tray.c").read_text()))
    assert set(STATES) <= named


@pytest.mark.parametrize("name", STATES)
def test_symbolic_is_one_colour_and_filled(name):
    root = ET.parse(ICONS / f"{name}-symbolic.svg").getroot()
    fills = {el.get("fill") for el in root.iter() if el.get("fill")}
    assert fills == {"#bebebe"}, fills
    # GTK recolours fills (rect, circle, path): a stroke or a mask would not follow.
    assert not [el for el in root.iter() if el.get("stroke") or el.tag == f"{NS}mask"]
    assert {el.tag for el in root.iter()} <= {f"{NS}{t}" for t in ("svg", "title", "g", "path", "circle",
                                                                    "clipPath")}


@pytest.mark.parametrize("name", STATES + [f"{s}-symbolic" for s in STATES])
@pytest.mark.parametrize("size", [16, 22, 24, 48])
def test_renders_at_panel_sizes(name, size, tmp_path):
    png = tmp_path / f"{name}-{size}.png"
    subprocess.run(["rsvg-convert", "-w", str(size), "-h", str(size), str(ICONS / f"{name}.svg"), "-o", str(png)],
                   check=True)
    img = Image.open(png).convert("RGBA")
    assert img.size == (size, size)
    opaque = sum(1 for px in img.getdata() if px[3] > 128)
    # Something fills a good part of the square, never all of it (a round icon).
    assert size * size * 0.2 < opaque < size * size * 0.95, (name, size, opaque)


@pytest.mark.parametrize("state", STATES[1:])
def test_states_differ_from_the_normal_icon_in_one_colour_too(state, tmp_path):
    """A monochrome panel tells the states apart by shape alone."""
    def pixels(name):
        png = tmp_path / f"{name}.png"
        subprocess.run(["rsvg-convert", "-w", "24", "-h", "24", str(ICONS / f"{name}.svg"), "-o", str(png)],
                       check=True)
        return [a > 128 for *_, a in Image.open(png).convert("RGBA").getdata()]
    normal, other = pixels("limber-symbolic"), pixels(f"{state}-symbolic")
    assert sum(a != b for a, b in zip(normal, other)) > 30
