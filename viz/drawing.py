"""The object ``viz.draw`` returns: shows itself in Jupyter, saves itself to files.

In a notebook, IPython asks an object for its ``_repr_mimebundle_``; we
answer with the SVG (``image/svg+xml``), made responsive
(``max-width:100%``) so JupyterLab and VS Code shrink a wide drawing
instead of clipping it. The DOT text stays at hand as ``.source`` for
anyone who wants to tweak it. Files are written atomically, by the writer
``nn.save`` uses too (``nn.files``): a failed or killed save never leaves a
half-written file, loses the old one, or leaves a temporary file behind.

>>> from autograd import examples
>>> f, _ = examples.add_mul()
>>> drawing = make_drawing(f)
>>> drawing
Drawing(full, 5 values: .svg, .source, .save(path))
>>> sorted(drawing._repr_mimebundle_())
['image/svg+xml', 'text/plain']
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from autograd import Value

from .clash import require
from .dot import to_dot
from .policy import choose
from .render import render
from .scene import Scene, Style

__all__ = ["SAVE_FORMATS", "Drawing", "finish_svg", "make_drawing", "write_atomic"]

SAVE_FORMATS = (".svg", ".png", ".dot")
MAX_PRECISION = 15  # a double has about 16 significant digits; more decimals would print noise


class Drawing:
    """A drawing of a computation graph: SVG in Jupyter, ``.svg``/``.source`` text, ``.save(path)``.

    >>> from autograd import Value
    >>> d = make_drawing(Value(2.0, label="a") * 3)
    >>> d.mode, d.source.startswith("digraph"), d.svg.lstrip().startswith("<?xml")
    ('full', True, True)
    """

    def __init__(self, scene: Scene, renderer: str | None = None) -> None:
        self.scene = scene
        self.source = to_dot(scene)
        self.renderer = renderer
        self._svg: str | None = None

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
    def svg(self) -> str:
        """The drawing as a self-contained SVG document (rendered once, then kept)."""
        if self._svg is None:
            self._svg = finish_svg(render(self.source, "svg", self.renderer))
        return self._svg

    def png(self, dpi: float | None = None) -> bytes:
        """The drawing as PNG bytes (96 dots per inch unless ``dpi`` says otherwise).

        >>> from autograd import Value
        >>> make_drawing(Value(1.0)).png()[:4]
        b'\\x89PNG'
        """
        return render(self.source, "png", self.renderer, dpi)

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
        """What Jupyter shows: the SVG, and a line of text for plain consoles."""
        return {"image/svg+xml": self.svg, "text/plain": repr(self)}

    def _repr_svg_(self) -> str:
        """The SVG, for front ends that only ask for ``_repr_svg_``."""
        return self.svg

    def __repr__(self) -> str:
        return f"Drawing({self.mode}, {self.scene.values:,} values: .svg, .source, .save(path))"


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


def finish_svg(data: bytes) -> str:
    """The layout program's SVG, made to shrink to its container instead of being clipped.

    >>> finish_svg(b'<svg width="10pt"></svg>')
    '<svg style="max-width:100%;height:auto" width="10pt"></svg>'
    """
    return data.decode("utf-8").replace("<svg ", '<svg style="max-width:100%;height:auto" ', 1)


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
