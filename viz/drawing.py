"""The object ``viz.draw`` returns: shows itself in Jupyter, saves itself to files.

In a notebook, IPython asks an object for its ``_repr_mimebundle_``; we
answer with the drawing twice, as SVG (``image/svg+xml``) and as PNG
(``image/png``). Front ends show SVG only from notebooks they trust (the
cells were run here); a notebook someone else saved — every fresh clone
— is untrusted, and JupyterLab then shows the richest *safe* type, the
PNG. GitHub, VS Code and nbconvert show one or the other.

A drawing wider than the notebook's output area is scaled to fit, never
cut off (``display.py``); ``drawing.full_size()`` shows it unscaled.

The DOT text stays at hand as ``.source`` for anyone who wants to tweak
it. Files are written atomically, by the writer ``nn.save`` uses too
(``nn.files``): a failed or killed save never leaves a half-written file,
loses the old one, or leaves a temporary file behind.

>>> from autograd import examples
>>> f, _ = examples.add_mul()
>>> drawing = make_drawing(f)
>>> drawing
Drawing(full, 5 values: .svg, .source, .save(path))
>>> sorted(drawing._repr_mimebundle_())
['image/png', 'image/svg+xml', 'text/plain']
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from autograd import Value

from .clash import require
from .display import DISPLAY_WIDTH, PICTURES, fit, picture_bundle, svg_size
from .dot import edge_labels, to_dot
from .labels import Placement, place
from .policy import choose
from .render import render
from .scene import Scene, Style

__all__ = ["SAVE_FORMATS", "DotDrawing", "Drawing", "finish_svg", "make_drawing", "write_atomic"]

SAVE_FORMATS = (".svg", ".png", ".dot")
MAX_PRECISION = 15  # a double has about 16 significant digits; more decimals would print noise
PLACE_LABELS_UP_TO = 200  # arrow labels; above that, they stay where Graphviz puts them (placing takes ~5 ms each)


class Drawing:
    """A drawing of a computation graph: SVG in Jupyter, ``.svg``/``.source`` text, ``.save(path)``.

    >>> from autograd import Value
    >>> d = make_drawing(Value(2.0, label="a") * 3)
    >>> d.mode, d.source.startswith("digraph"), d.svg.lstrip().startswith("<?xml")
    ('full', True, True)
    """

    hover_titles = True  # make each tooltip its group's <title> (finish_svg)
    # A drawing written straight to DOT (a model, a Jacobian) sets only .source: nothing to place.
    _laid_out: str | None = None
    _placements: dict[int, Placement] | None = None

    def __init__(self, scene: Scene, renderer: str | None = None) -> None:
        self.scene = scene
        self.source = to_dot(scene)
        self.renderer = renderer
        self._svg: str | None = None
        self._laid_out = None
        self._placements = None

    @property
    def mode(self) -> str:
        """What was drawn: "full", "sums", "neurons", "layers" or "summary"."""
        return self.scene.mode

    @property
    def graph_id(self) -> str:
        """The drawing's SVG id (a hash of its DOT text): prefixes every id inside the SVG."""
        found = re.search(r"\bid=(gg[0-9a-f]+)", self.source)
        return found.group(1) if found else "graphgrad"

    @property
    def dot(self) -> str:
        """The DOT text (the same as ``.source``, the name the graphviz package uses)."""
        return self.source

    @property
    def laid_out(self) -> str:
        """The DOT text the pictures are drawn from: ``.source`` with each arrow's labels
        (``×local``, a branch's red share) placed where they touch nothing (``labels.py``)."""
        if self._laid_out is None:
            wanted = edge_labels(self.scene) if "scene" in vars(self) else {}
            if not wanted or len(wanted) > PLACE_LABELS_UP_TO:
                self._laid_out = self.source
            else:  # lay out once without the labels, then place them around what is there
                bare = finish_svg(
                    render(to_dot(self.scene, labels=False, graph_id=self.graph_id), "svg", self.renderer)
                )
                self._placements = place(bare, wanted)
                self._laid_out = to_dot(self.scene, self._placements, graph_id=self.graph_id)
        return self._laid_out

    def frame_source(self, reveal: int) -> str:
        """The laid-out DOT with the gradients from backward step ``reveal`` on transparent (same layout)."""
        _ = self.laid_out  # places the labels once
        return to_dot(self.scene, self._placements, graph_id=self.graph_id, reveal=reveal)

    @property
    def svg(self) -> str:
        """The drawing as a self-contained SVG document (rendered once, then kept)."""
        if self._svg is None:
            self._svg = finish_svg(render(self.laid_out, "svg", self.renderer), self.hover_titles)
        return self._svg

    def png(self, dpi: float | None = None) -> bytes:
        """The drawing as PNG bytes (96 dots per inch unless ``dpi`` says otherwise).

        >>> from autograd import Value
        >>> make_drawing(Value(1.0)).png()[:4]
        b'\\x89PNG'
        """
        return render(self.laid_out, "png", self.renderer, dpi)

    @property
    def size(self) -> tuple[float, float]:
        """Width and height in CSS pixels (96 per inch) at full size.

        >>> from autograd import Value
        >>> make_drawing(Value(1.0, label="x")).size
        (84.0, 37.333333333333336)
        """
        return svg_size(self.svg)

    def full_size(self) -> FullSize:
        """This drawing shown unscaled in a notebook (a wide one scrolls sideways instead of shrinking)."""
        return FullSize(self)

    def save(self, path: str | os.PathLike[str], dpi: float | None = None) -> Path:
        """Write ``.svg``, ``.png`` or ``.dot`` (chosen by the suffix); nothing is written on error.

        >>> import tempfile, os
        >>> from autograd import Value
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     make_drawing(Value(1.0)).save(os.path.join(tmp, "a.dot")).name
        'a.dot'
        """
        target = Path(path)
        suffix = target.suffix.lower()
        if suffix not in SAVE_FORMATS:
            given = repr(suffix) if suffix else "no suffix"
            raise ValueError(f"cannot save {str(target)!r}: {given} is not a known format; known: .svg, .png, .dot")
        if suffix == ".dot":
            data = self.source.encode("utf-8")
        elif suffix == ".svg":
            data = self.svg.encode("utf-8")
        else:
            data = self.png(dpi)
        write_atomic(target, data)
        return target

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        """What Jupyter shows: SVG and PNG, at most DISPLAY_WIDTH pixels wide, and a line of text."""
        return picture_bundle(self.svg, self.png, self.size, DISPLAY_WIDTH, repr(self))

    def _repr_svg_(self) -> str:
        """The SVG, for front ends that only ask for ``_repr_svg_``."""
        return fit(self.svg, *self.size, DISPLAY_WIDTH)

    def _repr_png_(self) -> bytes:
        """The PNG, for front ends that only ask for ``_repr_png_``."""
        return self.png()

    def __repr__(self) -> str:
        return f"Drawing({self.mode}, {self.scene.values:,} values: .svg, .source, .save(path))"


class FullSize:
    """A drawing shown unscaled in a notebook: ``viz.draw(f).full_size()``."""

    def __init__(self, drawing: Drawing) -> None:
        self.drawing = drawing

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict[str, str], dict[str, Any]]:
        d = self.drawing
        unconfined = {"unconfined": True}  # JupyterLab: no max-width, a scroll bar instead
        return picture_bundle(d.svg, d.png, d.size, None, repr(self)), dict.fromkeys(PICTURES, unconfined)

    def __repr__(self) -> str:
        return f"{self.drawing!r}.full_size()"


class DotDrawing(Drawing):
    """A picture written straight to DOT rather than laid out from a scene of wires
    and gates (a model, a Jacobian): only its construction differs; rendering,
    saving and display are Drawing's.

    >>> DotDrawing('digraph { a }', "sketch", "one node").mode
    'sketch'
    """

    def __init__(self, source: str, mode: str, summary: str, renderer: str | None = None) -> None:
        self.source = source
        self.renderer = renderer
        self.summary = summary
        self._mode = mode
        self._svg = None

    @property
    def mode(self) -> str:
        """What was drawn."""
        return self._mode

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.summary}: .svg, .source, .save(path))"


def make_drawing(
    root: Value,
    precision: int = 2,
    grads: bool | None = None,
    detail: str = "auto",
    show_local: bool = False,
    renderer: str | None = None,
) -> Drawing:
    """Check the options, choose what to draw (``policy.py``) and wrap it in a Drawing.

    >>> make_drawing(3.0)
    Traceback (most recent call last):
    ...
    TypeError: viz draws a Value (the output of a computation), got float 3.0
    """
    if not isinstance(root, Value):
        raise TypeError(f"viz draws a Value (the output of a computation), got {type(root).__name__} {root!r:.40}")
    if isinstance(precision, bool) or not isinstance(precision, int):
        raise TypeError(f"precision= takes an int (decimals), got {type(precision).__name__} {precision!r:.40}")
    if not 0 <= precision <= MAX_PRECISION:
        raise ValueError(f"precision= takes 0 to {MAX_PRECISION} decimals, got {precision}")
    for name, flag in (("grads", grads), ("show_local", show_local)):
        if flag is not None and not isinstance(flag, bool):
            raise TypeError(f"{name}= takes True or False, got {type(flag).__name__} {flag!r:.40}")
    if renderer is not None and not isinstance(renderer, (str, os.PathLike)):
        raise TypeError(f"renderer= takes a program path, got {type(renderer).__name__} {renderer!r:.40}")
    # Did backward() run? Its seed makes the output's gradient nonzero.
    show_grads = root.grad != 0.0 if grads is None else grads
    style = Style(precision, show_grads, bool(show_local))
    return Drawing(choose(root, detail, style), os.fspath(renderer) if renderer is not None else None)


# Graphviz wraps anything with a tooltip in <g id="a_…"><a xlink:title="…">…</a></g>. For a whole
# node or edge we move the tooltip into the group's own <title> (every browser shows that on hover)
# and drop the wrapper, so a wire's group holds its line and texts directly; a wrapper inside a node
# (a heat-map square of its own) stays as it is.
_WRAPPER_OPEN = re.compile(r'<g id="a_[^"]*"><a xlink:title="([^"]*)">\n')


def finish_svg(data: bytes, hover_titles: bool = True) -> str:
    """The layout program's SVG, its tooltips made ``<title>``s, made to shrink to its container.

    >>> finish_svg(b'<svg width="10pt"></svg>')
    '<svg style="max-width:100%;height:auto" width="10pt"></svg>'
    """
    text = data.decode("utf-8")
    if hover_titles:
        out: list[str] = []
        unwrapped: list[bool] = []  # for each open wrapper: was it dropped (its closing lines go too)?
        lines = iter(text.splitlines(keepends=True))
        for line in lines:
            opened = _WRAPPER_OPEN.fullmatch(line)
            if opened and out and out[-1].startswith("<title>"):  # the group's own tooltip
                out[-1] = f"<title>{opened.group(1)}</title>\n"
                unwrapped.append(True)
            elif opened:
                unwrapped.append(False)
                out.append(line)
            elif line == "</a>\n" and unwrapped:
                if unwrapped.pop():
                    next(lines, None)  # its "</g>"
                else:
                    out.append(line)
            else:
                out.append(line)
        text = "".join(out)
    return text.replace("<svg ", '<svg style="max-width:100%;height:auto" ', 1)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` in one step, with ``nn.files.write_atomic``: graphgrad's one file writer.

    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_atomic(Path(tmp) / "x.txt", b"hi")
    ...     os.listdir(tmp)
    ['x.txt']
    """
    require("nn")  # here, not at the top: `import viz` need not load nn (and numpy)
    from nn.files import write_atomic as write

    write(path, data)
