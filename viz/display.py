"""How a drawing shows in a notebook: SVG and PNG, no wider than the output area.

Front ends show SVG only from notebooks they trust (the cells were run
here); a notebook someone else saved — every fresh clone — is untrusted,
and JupyterLab then shows the richest *safe* type, the PNG. GitHub, VS
Code and nbconvert show one or the other. So every picture goes out as
both, with a line of text for plain consoles.

JupyterLab shows an SVG through an ``<img>`` at the SVG's own ``width``
(a ``max-width`` inside the SVG cannot shrink it), so the SVG shown is at
most DISPLAY_WIDTH pixels wide, and so is the PNG (JupyterLab also
shrinks a PNG to its output area). Both have an opaque white
background, so they read on a dark theme too.

>>> svg = '<svg width="1500pt" height="300pt" viewBox="0 0 1500 300">'
>>> picture_bundle(svg, lambda dpi: b"png", (2000, 400), 800, "a drawing")["image/svg+xml"]
'<svg width="800px" height="160px" viewBox="0 0 1500 300">'
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable

__all__ = ["DISPLAY_WIDTH", "PICTURES", "fit", "picture_bundle", "svg_size"]

# Pixels: the widest a drawing is shown in a notebook; wider ones are scaled down. JupyterLab's output
# area is 847 px wide in a 1280-px window with the file browser open (tests/test_browser_notebooks.py).
DISPLAY_WIDTH = 800
PICTURES = ("image/svg+xml", "image/png")
_SIZE = re.compile(r'<svg[^>]*?\swidth="([\d.]+)pt"\s+height="([\d.]+)pt"')


def svg_size(svg: str) -> tuple[float, float]:
    """Width and height of a Graphviz SVG in CSS pixels (96 per inch; Graphviz writes points).

    >>> svg_size('<svg width="72pt" height="36pt">')
    (96.0, 48.0)
    """
    found = _SIZE.search(svg)
    if found is None:
        raise RuntimeError("the layout program wrote an SVG without a width and height in points")
    return float(found.group(1)) * 4 / 3, float(found.group(2)) * 4 / 3  # 1 pt = 4/3 px


def picture_bundle(
    svg: str, png: Callable[[float], bytes], size: tuple[float, float], widest: float | None, text: str
) -> dict[str, str]:
    """Display data for a picture: SVG, PNG (``png(dpi)`` makes it) and text, each no wider than
    ``widest`` pixels (None: full size).

    The PNG has one pixel per pixel shown: its own size is its size on the
    page, so no front end needs metadata to show it right (a plain dict of
    display data, as IPython's own objects give).
    """
    width, height = size
    scale = min(1.0, widest / width) if widest else 1.0
    return {
        "image/svg+xml": fit(svg, width, height, widest),
        "image/png": base64.b64encode(png(96 * scale)).decode("ascii"),
        "text/plain": text,
    }


def fit(svg: str, width: float, height: float, widest: float | None) -> str:
    """The SVG with its width and height scaled down to at most ``widest`` pixels wide.

    >>> fit('<svg width="1500pt" height="300pt" viewBox="0 0 1500 300">', 2000, 400, 1000)
    '<svg width="1000px" height="200px" viewBox="0 0 1500 300">'
    """
    if widest is None or width <= widest:
        return svg
    scale = widest / width
    return _SIZE.sub(
        lambda m: (
            m.group(0)
            .replace(f'width="{m.group(1)}pt"', f'width="{width * scale:g}px"')
            .replace(f'height="{m.group(2)}pt"', f'height="{height * scale:g}px"')
        ),
        svg,
        count=1,
    )
