"""A Jacobian as a heat-map: one cell per ∂outputᵢ/∂inputⱼ, with its number.

The lecture's point about an elementwise operation such as ``max(0, x)``:
its Jacobian is diagonal — each output depends on its own input only — so
for a 4,096-element vector nobody builds the 4,096 × 4,096 matrix; the
backward pass multiplies by the diagonal instead. ``draw_jacobian`` shows
a Jacobian from ``autograd.jacobian`` so that this is obvious at a glance:
zeros are white with grey text, positive entries blue, negative orange,
deeper the larger. A caption counts the nonzero entries and says when they
all lie on the diagonal. Rows and columns are named by the Values (their
labels) or by a name (``"h"`` names the rows ``h[0]``, ``h[1]``, …).

>>> from autograd import jacobian, maximum, vector
>>> x = vector([1.0, -2.0, 3.0], "x")
>>> h = [maximum(xi, 0) for xi in x]
>>> draw_jacobian(jacobian(h, x), rows="h", cols=x)
JacobianDrawing(∂h/∂x: 3 × 3, 2 of 9 nonzero, diagonal: .svg, .source, .save(path))
"""

from __future__ import annotations

import hashlib
import math
import numbers
import re
from collections.abc import Sequence

from autograd import Value

from .dot import (
    FONT,
    NOTE_COLOR,
    label_text,  # how the drawings write any label: literally, never as markup
    new_digraph,
)
from .drawing import DotDrawing
from .grid import ELIDED, heat_map_label
from .scene import format_number

__all__ = ["MAX_SIDE", "JacobianDrawing", "draw_jacobian"]

MAX_SIDE = 16  # rows (columns) drawn in full; a larger Jacobian shows its first and last ones around "…"
_INDEXED = re.compile(r"(?P<name>.+)\[\d+(?:,\d+)?\]\Z", re.DOTALL)

Names = str | Sequence[str | Value] | None


class JacobianDrawing(DotDrawing):
    """A Jacobian drawn as a heat-map: SVG (and PNG) in Jupyter, ``.svg``/``.source``, ``.save(path)``.

    >>> d = draw_jacobian([[1.0, 0.0], [0.0, 2.0]])
    >>> d.mode, d.source.startswith("digraph"), d.svg.lstrip().startswith("<?xml")
    ('jacobian', True, True)
    """


def draw_jacobian(
    J: Sequence[Sequence[float]],
    rows: Names = None,
    cols: Names = None,
    *,
    precision: int = 2,
    title: str | None = None,
    renderer: str | None = None,
) -> JacobianDrawing:
    """Draw ``J`` (a list of rows of numbers, e.g. from ``autograd.jacobian``) as a heat-map with its numbers.

    ``rows`` and ``cols`` name the outputs and the inputs: a list of Values
    (their labels), a list of str, or one name (``"x"`` gives ``x[0]``, ``x[1]``, …);
    by default their positions. ``title`` defaults to ``∂h/∂x`` from those names.

    >>> draw_jacobian([[0.5, -1.0]], rows=["f"], cols=["a", "b"], title="∇f")
    JacobianDrawing(∇f: 1 × 2, 2 of 2 nonzero: .svg, .source, .save(path))
    >>> draw_jacobian([[1.0, 2.0], [3.0]])
    Traceback (most recent call last):
    ...
    ValueError: draw_jacobian() takes a rectangular matrix: row 1 has 1 entries, row 0 has 2
    """
    matrix = _numbers(J)
    m, n = len(matrix), len(matrix[0])
    if isinstance(precision, bool) or not isinstance(precision, int) or not 0 <= precision <= 15:
        raise ValueError(f"precision= takes an int from 0 to 15 (decimals), got {precision!r:.40}")
    row_names, row_name = _names(rows, m, "rows")
    col_names, col_name = _names(cols, n, "cols")
    if title is None:
        title = f"∂{row_name}/∂{col_name}" if row_name and col_name else "J"
    elif not isinstance(title, str):
        raise TypeError(f"title= takes a str, got {_describe(title)}")
    shown_rows, shown_cols = _shown(m), _shown(n)
    cells = [[_cell(matrix, i, j, precision) for j in shown_cols] for i in shown_rows]
    label = heat_map_label(
        cells,
        ["⁝" if i is None else row_names[i] for i in shown_rows],
        [ELIDED if j is None else col_names[j] for j in shown_cols],
        label_text,
    )
    nonzero = sum(1 for row in matrix for x in row if x != 0)
    off_diagonal = any(x != 0 for i, row in enumerate(matrix) for j, x in enumerate(row) if i != j)
    facts = [f"{m:,} × {n:,}", f"{nonzero:,} of {m * n:,} nonzero"]
    if m == n and nonzero and not off_diagonal:
        facts.append("diagonal")
    summary = f"{title}: {', '.join(facts)}"
    graph = new_digraph("jacobian", graph_attr={"fontname": FONT, "margin": "0.1"}, node_attr={"fontname": FONT})
    caption = f"{title}: {' · '.join(facts)}"
    graph.attr(
        "graph", label=f"<{label_text(caption)}>", labelloc="t", labeljust="l", fontsize="12", fontcolor=NOTE_COLOR
    )
    graph.node("J", f"<{label}>", shape="plain", fontsize="11")
    graph.attr("graph", id="gg" + hashlib.sha256(graph.source.encode("utf-8")).hexdigest()[:10])
    return JacobianDrawing(graph.source, "jacobian", summary, renderer)


def _numbers(J: object) -> list[list[float]]:
    """J as a rectangular list of rows of floats, or a TypeError/ValueError saying what is wrong."""
    if isinstance(J, (str, bytes, Value)) or not hasattr(J, "__iter__"):
        raise TypeError(f"draw_jacobian() takes a list of rows of numbers (autograd.jacobian), got {_describe(J)}")
    rows = []
    for i, row in enumerate(J):  # type: ignore[attr-defined]
        if isinstance(row, (str, bytes, Value)) or not hasattr(row, "__iter__"):
            raise TypeError(f"draw_jacobian() takes a list of rows of numbers; row {i} is {_describe(row)}")
        rows.append([_number(x, i, j) for j, x in enumerate(row)])
    if not rows or not rows[0]:
        raise ValueError("draw_jacobian() has nothing to draw: the matrix has no entries")
    for i, row in enumerate(rows):
        if len(row) != len(rows[0]):
            raise ValueError(
                f"draw_jacobian() takes a rectangular matrix: row {i} has {len(row)} entries, row 0 has {len(rows[0])}"
            )
    return rows


def _number(x: object, i: int, j: int) -> float:
    if not isinstance(x, numbers.Real) or isinstance(x, (bool, Value)):  # NumPy's floats are Real too
        raise TypeError(f"draw_jacobian() takes numbers; entry [{i}][{j}] is {_describe(x)}")
    return float(x)


def _describe(x: object) -> str:
    return f"{type(x).__name__} {x!r:.40}"


def _names(given: Names, count: int, which: str) -> tuple[list[str], str]:
    """The name of each row (column), and the name of the whole vector when there is one (for the title)."""
    if given is None:
        return [str(k) for k in range(count)], ""
    if isinstance(given, str):
        return [f"{given}[{k}]" for k in range(count)], given
    if not hasattr(given, "__iter__"):
        raise TypeError(f"{which}= takes a name, a list of Values or a list of str, got {_describe(given)}")
    items = list(given)
    if len(items) != count:
        raise ValueError(f"{which}= names {len(items)} entries, but the Jacobian has {count} {which}")
    names = []
    for k, item in enumerate(items):
        if isinstance(item, Value):
            names.append(item.label or str(k))
        elif isinstance(item, str):
            names.append(item)
        else:
            raise TypeError(f"{which}= takes Values or str; entry {k} is {_describe(item)}")
    bases = {found["name"] for found in map(_INDEXED.match, names) if found}
    whole = bases.pop() if len(bases) == 1 and all(_INDEXED.match(name) for name in names) else ""
    return names, whole


def _shown(count: int) -> list[int | None]:
    """The rows (columns) drawn: all, or the first and last ones around None (elided)."""
    if count <= MAX_SIDE:
        return list(range(count))
    half = MAX_SIDE // 2
    return [*range(half), None, *range(count - half + 1, count)]


def _cell(matrix: list[list[float]], i: int | None, j: int | None, precision: int) -> tuple[float, str] | str:
    """A cell: its number and text (a zero as a plain 0, so that it recedes), or what stands for those left out."""
    if i is None or j is None:
        return "" if i is None and j is None else "⁝" if i is None else ELIDED
    x = matrix[i][j]
    return x, "0" if x == 0 else format_number(x, precision) if math.isfinite(x) else str(x)
