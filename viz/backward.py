"""The backward pass as a graph of its own, drawn beside the forward pass.

``autograd.grad(f, [x, y], create_graph=True)`` returns gradients that are
Values: each one's graph records the backward pass — the chain rule's
products and sums, made of the same gates as any graph — so ``viz.draw``
draws one like any Value. This module puts such drawings side by side, each
under its title:

- ``draw_backward(f, wrt=[x, y])``: the forward graph of ``f`` at the left
  and, in a column at its right, the graph of each gradient ∂f/∂x, ∂f/∂y
  (one panel per distinct gradient; ``forward=False`` draws them alone);
- ``side_by_side([f, dfdx])``: any Values, in a row.

Each panel is an ordinary ``viz.draw`` drawing, with the same options and
conventions. Both functions return ``Panels``: it shows itself in Jupyter
(SVG, and PNG where Pillow is installed — matplotlib brings it), and gives
``.svg``, ``.png()`` and ``.save(path)``.

>>> from autograd import examples
>>> f, xs = examples.add_mul()
>>> panels = draw_backward(f, wrt=[xs["x"], xs["y"], xs["z"]])
>>> panels.titles
['forward: f', 'backward: ∂f/∂x = ∂f/∂y', 'backward: ∂f/∂z']
>>> [g.label for g in panels.grads]  # ∂f/∂x and ∂f/∂y are z; ∂f/∂z is the forward pass's q = x + y
['z', 'z', 'q']
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from autograd import Constant, Value, grad, topological_order

from .dot import label_text
from .drawing import Drawing, make_drawing, write_atomic
from .render import render

__all__ = ["Panels", "draw_backward", "side_by_side"]

GAP = 16.0  # points between panels and columns, and around them
DIVIDER_COLOR = "#d0d0d0"  # the thin line between columns (forward | backward)
TITLE_SIZE = 13  # points
DISPLAY_WIDTH = 800  # pixels: the widest the panels are shown in a notebook (wider ones shrink)
_SIZE = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)pt"\s+height="([\d.]+)pt"')
_SVG_START = re.compile(r"<svg\b[^>]*>")


class Panels:
    """Drawings side by side, each under its title: in Jupyter, ``.svg``, ``.png()``, ``.save(path)``.

    ``columns`` are drawn left to right, the panels of each top to bottom.
    ``grads`` holds the gradients ``draw_backward`` drew (empty otherwise).

    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> side_by_side([x * x, x.exp()], titles=["square", "exp"])
    Panels(square | exp: .svg, .png(), .save(path))
    """

    def __init__(
        self, columns: list[list[tuple[str, Drawing]]], renderer: str | None = None, grads: Sequence[Any] = ()
    ) -> None:
        self.columns = columns
        self.renderer = renderer
        self.grads = tuple(grads)
        self._svg: str | None = None

    @property
    def titles(self) -> list[str]:
        """Every panel's title, column by column."""
        return [title for column in self.columns for title, _ in column]

    @property
    def drawings(self) -> list[Drawing]:
        """Every panel's drawing (a ``viz.draw`` result), column by column."""
        return [drawing for column in self.columns for _, drawing in column]

    @property
    def svg(self) -> str:
        """One self-contained SVG document holding every panel (rendered once, then kept)."""
        if self._svg is None:
            pieces = [[(_title_svg(title, self.renderer), drawing.svg) for title, drawing in c] for c in self.columns]
            sizes = [[(_svg_size(t), _svg_size(d)) for t, d in column] for column in pieces]
            places, (width, height) = _layout(sizes, GAP)
            body = [
                _nested(svg, x, y)
                for column, where in zip(pieces, places, strict=True)
                for pair, points in zip(column, where, strict=True)
                for svg, (x, y) in zip(pair, points, strict=True)
            ]
            body += [
                f'<line x1="{x:g}" y1="{GAP / 2:g}" x2="{x:g}" y2="{height - GAP / 2:g}" stroke="{DIVIDER_COLOR}"/>'
                for x in _dividers(places, GAP)
            ]
            self._svg = (
                '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
                '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                f'style="max-width:100%;height:auto" width="{width:g}pt" height="{height:g}pt" '
                f'viewBox="0 0 {width:g} {height:g}">\n<rect width="100%" height="100%" fill="white"/>\n'
                + "\n".join(body)
                + "\n</svg>\n"
            )
        return self._svg

    def png(self, dpi: float | None = None) -> bytes:
        """The panels as one PNG (96 dots per inch unless ``dpi`` says otherwise); needs Pillow.

        >>> from autograd import Value
        >>> side_by_side([Value(1.0, label="x")]).png()[:4]
        b'\\x89PNG'
        """
        image = _pillow_image()
        dpi = dpi or 96.0
        pieces = [
            [
                (_open(render(_title_dot(title), "png", self.renderer, dpi)), _open(drawing.png(dpi)))
                for title, drawing in c
            ]
            for c in self.columns
        ]
        sizes = [[(t.size, d.size) for t, d in column] for column in pieces]
        places, (width, height) = _layout(sizes, GAP * dpi / 72)
        canvas = image.new("RGB", (round(width), round(height)), "white")
        gap = GAP * dpi / 72
        for x in _dividers(places, gap):
            _pillow_draw().Draw(canvas).line(
                [(round(x), round(gap / 2)), (round(x), round(height - gap / 2))], DIVIDER_COLOR
            )
        for column, where in zip(pieces, places, strict=True):
            for pair, points in zip(column, where, strict=True):
                for picture, (x, y) in zip(pair, points, strict=True):
                    canvas.paste(picture, (round(x), round(y)), picture if picture.mode == "RGBA" else None)
        out = io.BytesIO()
        canvas.save(out, format="PNG")
        return out.getvalue()

    def save(self, path: str | os.PathLike[str], dpi: float | None = None) -> Path:
        """Write ``.svg`` or ``.png`` (chosen by the suffix); nothing is written on error.

        >>> import tempfile, os
        >>> from autograd import Value
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     side_by_side([Value(1.0, label="x")]).save(os.path.join(tmp, "both.svg")).name
        'both.svg'
        """
        target = Path(path)
        suffix = target.suffix.lower()
        if suffix not in (".svg", ".png"):
            given = repr(suffix) if suffix else "no suffix"
            raise ValueError(
                f"cannot save {str(target)!r}: {given} is not a format panels are saved in; known: .svg, .png"
            )
        write_atomic(target, self.svg.encode("utf-8") if suffix == ".svg" else self.png(dpi))
        return target

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict[str, str], dict[str, Any]]:
        """What Jupyter shows: the SVG, at most DISPLAY_WIDTH pixels wide, and the PNG where Pillow is installed
        (front ends show SVG only from notebooks they trust; a notebook opened fresh shows the PNG)."""
        width, height = (x * 4 / 3 for x in _svg_size(self.svg))  # 1 pt = 4/3 px
        scale = min(1.0, DISPLAY_WIDTH / width)
        shown = {"width": round(width * scale), "height": round(height * scale)}
        svg = _SVG_START.sub(lambda m: _resized(m.group(0), f"{shown['width']}px", f"{shown['height']}px"), self.svg, 1)
        data = {"image/svg+xml": svg, "text/plain": repr(self)}
        metadata: dict[str, Any] = {}
        if _has_pillow():  # two PNG pixels per shown pixel: sharp on high-density screens
            data["image/png"] = base64.b64encode(self.png(2 * 96 * scale)).decode("ascii")
            metadata["image/png"] = shown
        return data, metadata

    def __repr__(self) -> str:
        return f"Panels({' | '.join(self.titles)}: .svg, .png(), .save(path))"


def side_by_side(
    roots: Sequence[Value], titles: Sequence[str] | None = None, *, columns: int | None = None, **options: Any
) -> Panels:
    """The drawings of ``roots`` side by side, each under its title (its label by default).

    One column per Value, unless ``columns`` says how many: the panels then
    fill each column top to bottom (``columns=1`` stacks them all, which
    keeps wide drawings readable). ``options`` are those of ``viz.draw``
    (``precision``, ``grads``, ``detail``, ``show_local``, ``renderer``),
    applied to every panel.

    >>> from autograd import Value
    >>> x = Value(0.5, label="x")
    >>> side_by_side([x.tanh(), 1 - x.tanh() ** 2], columns=1).titles
    ['tanh', '+']
    """
    roots = list(roots)
    if not roots:
        raise ValueError("side_by_side() needs at least one Value to draw")
    titles = [r.label or r.op or "value" if isinstance(r, Value) else "" for r in roots] if titles is None else titles
    titles = list(titles)
    if len(titles) != len(roots) or not all(isinstance(t, str) for t in titles):
        raise TypeError(f"side_by_side(titles=) takes one str per Value ({len(roots)}), got {titles!r:.80}")
    if columns is None:
        columns = len(roots)
    if isinstance(columns, bool) or not isinstance(columns, int) or columns < 1:
        raise ValueError(f"side_by_side(columns=) takes a whole number of columns, 1 or more; got {columns!r:.40}")
    panels = [(t, make_drawing(r, **options)) for t, r in zip(titles, roots, strict=True)]
    rows = -(-len(panels) // columns)  # panels per column, rounded up
    return Panels([panels[k : k + rows] for k in range(0, len(panels), rows)], options.get("renderer"))


def draw_backward(
    output: Value,
    wrt: Sequence[Value],
    *,
    forward: bool = True,
    grad_output: float | Value = 1.0,
    **options: Any,
) -> Panels:
    """The forward graph of ``output`` beside the graphs of its gradients ∂output/∂x for x in ``wrt``.

    The gradients are ``autograd.grad(output, wrt, create_graph=True,
    grad_output=grad_output)``: Values whose graphs are the backward pass.
    A seed of 1 (the default) folds away, as ``× 1`` changes nothing; a
    labelled Value (``Value(1.0, label="g")``) stays in the drawing, so every
    gate of the backward pass shows — the ``*`` gate's backward is two ``*``
    gates. Inputs with the same gradient share a panel, and a gradient node
    ``grad`` made is labelled with its name (``∂f/∂x``), so its wire says it.
    ``forward=False`` leaves the forward graph out; ``options`` are those of
    ``viz.draw``.

    >>> from autograd import Value
    >>> x = Value(0.5, label="x")
    >>> draw_backward(x.tanh(), [x], forward=False)
    Panels(backward: ∂f/∂x: .svg, .png(), .save(path))
    """
    wrt = [wrt] if isinstance(wrt, Value) else list(wrt)
    gradients = grad(output, wrt, create_graph=True, grad_output=grad_output)
    f = output.label or ("f" if output.parents else "x")
    names: dict[Any, list[str]] = {}  # one panel per distinct gradient: a node, or a number
    for i, (x, g) in enumerate(zip(wrt, gradients, strict=True)):
        key = ("number", g.data) if isinstance(g, Constant) else id(g)
        names.setdefault(key, []).append(f"∂{f}/∂{x.label or f'[{i}]'}")
    shown = {("number", g.data) if isinstance(g, Constant) else id(g): g for g in gradients}
    forward_nodes = set(topological_order(output))
    for key, g in shown.items():
        if not isinstance(g, Constant) and not g.label and g not in forward_nodes:  # a node grad() just made
            g.label = " = ".join(names[key])
    backward = [("backward: " + " = ".join(n), make_drawing(shown[key], **options)) for key, n in names.items()]
    columns = ([[("forward: " + f, make_drawing(output, **options))]] if forward else []) + [backward]
    return Panels(columns, options.get("renderer"), gradients)


# ---- composing ----------------------------------------------------------------


def _layout(
    columns: list[list[tuple[tuple[float, float], tuple[float, float]]]], gap: float
) -> tuple[list[list[tuple[tuple[float, float], tuple[float, float]]]], tuple[float, float]]:
    """Where each (title, drawing) pair goes, from their (width, height): columns left to right,
    each title above its drawing, ``gap`` between them and around the whole, and the size of the
    whole. The same for points (SVG) and pixels (PNG).

    >>> _layout([[((10, 2), (30, 5))], [((8, 2), (20, 4)), ((8, 2), (20, 4))]], gap=1.0)
    ([[((1.0, 1.0), (1.0, 3.0))], [((32.0, 1.0), (32.0, 3.0)), ((32.0, 8.0), (32.0, 10.0))]], (53.0, 15.0))
    """
    places, x, height = [], gap, 0.0
    for column in columns:
        y, where = gap, []
        for (_, title_height), (_, drawing_height) in column:
            where.append(((x, y), (x, y + title_height)))
            y += title_height + drawing_height + gap
        places.append(where)
        height = max(height, y)
        x += max(max(title[0], drawing[0]) for title, drawing in column) + gap
    return places, (x, height)


def _dividers(places: list[list[tuple[tuple[float, float], tuple[float, float]]]], gap: float) -> list[float]:
    """Where the thin lines between columns go: halfway across each gap."""
    return [column[0][0][0] - gap / 2 for column in places[1:]]


def _svg_size(svg: str) -> tuple[float, float]:
    """Width and height in points of an SVG the layout program wrote."""
    found = _SIZE.search(svg)
    if found is None:
        raise RuntimeError("the layout program wrote an SVG without a width and height in points")
    return float(found.group(1)), float(found.group(2))


def _nested(svg: str, x: float, y: float) -> str:
    """A whole SVG document as an element of another, at (x, y) in points, at its own size."""
    width, height = _svg_size(svg)
    start = _SVG_START.search(svg)
    assert start is not None  # _svg_size found the tag
    tag = _resized(start.group(0), f"{width:g}", f"{height:g}").replace('style="max-width:100%;height:auto" ', "")
    return tag.replace("<svg ", f'<svg x="{x:g}" y="{y:g}" ', 1) + svg[start.end() :]


def _resized(tag: str, width: str, height: str) -> str:
    """An ``<svg …>`` start tag with its width and height replaced."""
    tag = re.sub(r'\swidth="[^"]*"', f' width="{width}"', tag, count=1)
    return re.sub(r'\sheight="[^"]*"', f' height="{height}"', tag, count=1)


def _title_dot(title: str) -> str:
    """A drawing of the title alone: the layout program draws its text, so ∂, σ and x₀ show in PNG too."""
    text = label_text(title)  # labels are data: \x00 shows as such, \N is no node name
    graph_id = "ggt" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    return (
        f'digraph title {{ graph [id="{graph_id}" margin=0 pad="0.04"]; '
        f"node [shape=plaintext fontname=Helvetica fontsize={TITLE_SIZE} margin=0 width=0 height=0]; "
        f"t [label=<{text}>] }}"
    )


def _title_svg(title: str, renderer: str | None) -> str:
    return render(_title_dot(title), "svg", renderer).decode("utf-8")


def _has_pillow() -> bool:
    try:
        import PIL  # noqa: F401
    except ImportError:
        return False
    return True


def _pillow_image() -> Any:
    try:
        from PIL import Image
    except ImportError:
        raise ImportError(
            "a PNG of several panels is put together with Pillow: pip install pillow "
            "(matplotlib installs it); .svg needs nothing more"
        ) from None
    return Image


def _pillow_draw() -> Any:
    _pillow_image()  # the same message if Pillow is missing
    from PIL import ImageDraw

    return ImageDraw


def _open(png: bytes) -> Any:
    return _pillow_image().open(io.BytesIO(png))
