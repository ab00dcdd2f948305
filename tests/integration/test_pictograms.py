# SPDX-License-Identifier: MIT
"""The pictograms of the shipped exercises: one style, and each renders."""
import subprocess
import xml.etree.ElementTree as ET

from PIL import Image

from conftest import SRCDIR

SHIPPED = SRCDIR / "config/exercises"


def test_pictograms_share_one_style_and_render(tmp_path):
    """Each shipped exercise has its pictogram: 64 x 64, one stroke width,
    the same few colours, and it renders (rsvg-convert, as librsvg draws it
    for a notification server) to a picture with a figure on its tile."""
    ns = "{http://www.w3.org/2000/svg}"
    palette = {"#f6f2ea", "#26323e", "#8b97a3", "#e0661b"}
    for ex in SHIPPED.glob("*.exercise"):
        svg = SHIPPED / f"{ex.stem}.svg"
        assert f"picture = {svg.name}" in ex.read_text()
        root = ET.parse(svg).getroot()
        assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("64", "64", "0 0 64 64"), svg
        widths = {el.get("stroke-width") for el in root.iter() if el.get("stroke-width")}
        assert widths == {"3"}, svg
        colours = {el.get(a) for el in root.iter() for a in ("fill", "stroke") if el.get(a) not in (None, "none")}
        assert colours <= palette, (svg, colours - palette)
        assert root.find(f"{ns}title").text, svg
        png = tmp_path / f"{ex.stem}.png"
        subprocess.run(["rsvg-convert", "-w", "64", "-h", "64", str(svg), "-o", str(png)], check=True)
        img = Image.open(png).convert("RGBA")
        assert img.size == (64, 64)
        dark = sum(1 for r, g, b, a in img.getdata() if a > 128 and r < 80 and g < 90 and b < 100)
        orange = sum(1 for r, g, b, a in img.getdata() if a > 128 and r > 180 and 60 < g < 140 and b < 80)
        # A figure (dark strokes) on the tile, and an arrow for the motion.
        assert 80 < dark < 1400, (svg, dark)
        assert orange > 15, (svg, orange)
