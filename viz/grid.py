"""A grid of numbers as a Graphviz HTML-like table: a matrix on a wire, or a heat-map.

Two pictures need a small table of numbers. A matrix travelling along a
wire (``W`` in the lecture's ``q = W·x``) is drawn between thin brackets,
its values in green above the wire and its gradient, the same shape, in red
below. A Jacobian is drawn as a heat-map: each cell tinted by its number
(blue positive, orange negative, white zero — the model drawing's weight
colours, which stay apart for colour-blind readers), so the diagonal of an
elementwise operation stands out at a glance. Numbers are escaped here;
names, which a user wrote, go through the caller's ``text`` (the DOT
writer's, which draws any label literally), never as markup.

>>> label = matrix_label([["0.10", "0.50"], ["-0.30", "0.80"]], "#008000")
>>> label.count('<FONT COLOR="#008000">'), label.count('SIDES="LTB"'), label.count('SIDES="RTB"')
(4, 1, 1)
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence

__all__ = ["ELIDED", "heat_color", "heat_map_label", "matrix_label"]

ELIDED = "…"  # a cell standing for rows or columns left out (graphviz-pure's PNG fonts draw it; not ⋮)
POSITIVE_RGB = (0x21, 0x66, 0xAC)  # the model drawing's blue (viz.model.POSITIVE_COLOR)
NEGATIVE_RGB = (0xE6, 0x61, 0x01)  # and its orange (viz.model.NEGATIVE_COLOR)
MISSING_FILL = "#d9d9d9"  # nan or inf: no colour on the scale fits
BRACKET_WIDTH = 3  # points: the serifs of the brackets around a matrix


def _text(s: str) -> str:
    """A formatted number (or one of our marks, …) for an HTML-like label."""
    return html.escape(s, quote=True)


def matrix_label(rows: Sequence[Sequence[str]], color: str, point_size: int | None = None) -> str:
    """A matrix of formatted numbers in ``color``, between brackets, as an HTML-like ``<TABLE>`` (no outer ``< >``).

    >>> label = matrix_label([["1"], ["2"]], "#c00000")
    >>> label.count('<FONT COLOR="#c00000">'), label.count('ROWSPAN="2"')  # two numbers; brackets span both rows
    (2, 2)
    """
    size = f' POINT-SIZE="{point_size}"' if point_size else ""
    height = len(rows)
    body = []
    for i, row in enumerate(rows):
        cells = "".join(f'<TD ALIGN="RIGHT"><FONT COLOR="{color}"{size}>{_text(x)}</FONT></TD>' for x in row)
        if i == 0:  # the brackets span every row: left and right borders with short serifs
            left = f'<TD ROWSPAN="{height}" SIDES="LTB" BORDER="1" WIDTH="{BRACKET_WIDTH}"></TD>'
            right = f'<TD ROWSPAN="{height}" SIDES="RTB" BORDER="1" WIDTH="{BRACKET_WIDTH}"></TD>'
            cells = left + cells + right
        body.append(f"<TR>{cells}</TR>")
    grid = f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">{"".join(body)}</TABLE>'
    # An outer table keeps the brackets a little off the wire they sit on (or hang from).
    return f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2"><TR><TD>{grid}</TD></TR></TABLE>'


def heat_color(x: float, largest: float) -> str:
    """The fill for ``x`` on a scale whose ends are ±``largest``: white at 0, full blue or orange at the ends.

    >>> heat_color(0.0, 1.0), heat_color(1.0, 1.0), heat_color(-0.5, 1.0), heat_color(float("nan"), 1.0)
    ('#ffffff', '#2166ac', '#f2b080', '#d9d9d9')
    """
    if not math.isfinite(x):
        return MISSING_FILL
    share = min(abs(x) / largest, 1.0) if largest > 0 else 0.0
    target = POSITIVE_RGB if x > 0 else NEGATIVE_RGB
    channels = (round(255 + (c - 255) * share) for c in target)
    return "#" + "".join(f"{c:02x}" for c in channels)


def _ink(fill: str) -> str:
    """Black text on a light fill, white on a dark one (relative luminance below 0.4), grey on white (a zero)."""
    if fill == "#ffffff":
        return "#9a9a9a"
    r, g, b = (int(fill[k : k + 2], 16) / 255 for k in (1, 3, 5))
    return "#ffffff" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.4 else "#000000"


def heat_map_label(
    cells: Sequence[Sequence[tuple[float, str] | str]],
    row_names: Sequence[str],
    column_names: Sequence[str],
    text: Callable[[str], str],
) -> str:
    """A heat-map as an HTML-like ``<TABLE>``: a header row of ``column_names``, then per row its name
    and its cells, each ``(number, text)`` tinted by the number, or a mark drawn plain (``…`` for cells
    left out). ``text`` makes a name safe to draw literally.

    >>> label = heat_map_label([[(1.0, "1"), (0.0, "0")]], ["y"], ["a", "b"], html.escape)
    >>> label.count('BGCOLOR="#2166ac"'), label.count('BGCOLOR="#ffffff"')
    (1, 1)
    """
    numbers = [abs(c[0]) for row in cells for c in row if not isinstance(c, str) and math.isfinite(c[0])]
    largest = max(numbers, default=0.0)
    head = "<TD></TD>" + "".join(f'<TD><FONT POINT-SIZE="10">{text(name)}</FONT></TD>' for name in column_names)
    rows = [f"<TR>{head}</TR>"]
    for name, row in zip(row_names, cells, strict=True):
        tds = [f'<TD ALIGN="RIGHT"><FONT POINT-SIZE="10">{text(name)}</FONT></TD>']
        for cell in row:
            if isinstance(cell, str):
                tds.append(f"<TD>{_text(cell)}</TD>")
                continue
            x, number = cell
            fill = heat_color(x, largest)
            tds.append(
                f'<TD BGCOLOR="{fill}" BORDER="1" COLOR="#bbbbbb" WIDTH="38" HEIGHT="24">'
                f'<FONT COLOR="{_ink(fill)}">{_text(number)}</FONT></TD>'
            )
        rows.append(f"<TR>{''.join(tds)}</TR>")
    return f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="3">{"".join(rows)}</TABLE>'
