"""viz — draw computation graphs the way the CS231n lecture does.

Every value is a short wire with its name at the left, its forward value
in green above and its gradient in red below; every operation is a small
circle holding its symbol; constants fold into their gate (``*-1``,
``+1``). ``draw`` shows inline in Jupyter, ``to_svg`` returns the SVG
text, ``save`` writes ``.svg``/``.png``/``.dot``, ``backward_steps``
replays the backward pass one red number at a time, and ``draw_backward``
draws the backward pass as a graph of its own (``autograd.grad(...,
create_graph=True)``) beside the forward one.

Options (keywords, the same for every function):

- ``precision=2`` — decimals of every number;
- ``grads=None`` — show gradients; by default only once ``backward()``
  has run (the output's gradient is nonzero);
- ``detail="auto"`` — ``"full"``, ``"sums"``, ``"neurons"``, ``"layers"``,
  ``"parameters"``, ``"summary"`` or ``"vectors"`` (one wire per labelled
  vector, see ``viz.vectors``); ``"auto"`` picks by size, and a level too
  large for the graph is refused at once (see ``viz.policy``);
- ``show_local=False`` — write each operand's local derivative ∂out/∂in
  at its arrow head, so upstream × local = downstream can be read off;
- ``renderer=None`` — the layout program (see ``viz.render``).

>>> from autograd import examples
>>> import viz
>>> f, _ = examples.add_mul()
>>> f.backward()
>>> svg = viz.to_svg(f)
>>> svg.count('fill="#c00000"')  # five gradients, in red
5
"""

from __future__ import annotations

from .clash import check, require

# Before anything imports them: if another distribution (HIPS autograd, PyPI's nn) has a name, say so.
__version__ = require("autograd").__version__  # one version for graphgrad, kept in autograd/__init__.py
check("nn")  # only looked up, not imported: viz imports nn when it saves a file or draws a model

import os
from pathlib import Path

from autograd import Value

from .backward import Panels, draw_backward, side_by_side
from .dot import GRAD_COLOR, VALUE_COLOR
from .drawing import Drawing, make_drawing
from .explore import Explorer, explore
from .jacobian import JacobianDrawing, draw_jacobian
from .model import ModelDrawing, draw_model
from .policy import DETAILS, FULL_LIMIT, SUMMARY_LIMIT
from .render import find_renderer
from .steps import Steps, backward_steps

__all__ = [
    "DETAILS",
    "FULL_LIMIT",
    "GRAD_COLOR",
    "SUMMARY_LIMIT",
    "VALUE_COLOR",
    "Drawing",
    "Explorer",
    "JacobianDrawing",
    "ModelDrawing",
    "Panels",
    "Steps",
    "backward_steps",
    "draw",
    "draw_backward",
    "draw_jacobian",
    "draw_model",
    "explore",
    "find_renderer",
    "save",
    "save_frames",
    "side_by_side",
    "to_dot",
    "to_svg",
    "__version__",
]

PathLike = str | os.PathLike[str]


def draw(
    root: Value,
    *,
    precision: int = 2,
    grads: bool | None = None,
    detail: str = "auto",
    show_local: bool = False,
    renderer: str | None = None,
) -> Drawing:
    """The drawing of ``root``'s graph; it shows itself inline in Jupyter.

    >>> from autograd import Value
    >>> a = Value(2.0, label="a")
    >>> draw(a * a)
    Drawing(full, 2 values: .svg, .source, .save(path))
    """
    return make_drawing(root, precision, grads, detail, show_local, renderer)


def to_svg(
    root: Value,
    *,
    precision: int = 2,
    grads: bool | None = None,
    detail: str = "auto",
    show_local: bool = False,
    renderer: str | None = None,
) -> str:
    """The drawing as an SVG document (a str), self-contained, the same bytes every time.

    >>> from autograd import Value
    >>> to_svg(Value(1.0, label="x") + 1).rstrip().endswith("</svg>")
    True
    """
    return make_drawing(root, precision, grads, detail, show_local, renderer).svg


def to_dot(
    root: Value,
    *,
    precision: int = 2,
    grads: bool | None = None,
    detail: str = "auto",
    show_local: bool = False,
) -> str:
    """The drawing's Graphviz DOT text; needs no layout program.

    >>> from autograd import Value
    >>> 'label="*-1"' in to_dot(Value(1.0, label="x") * -1)
    True
    """
    return make_drawing(root, precision, grads, detail, show_local).source


def save(
    root: Value,
    path: PathLike,
    *,
    precision: int = 2,
    grads: bool | None = None,
    detail: str = "auto",
    show_local: bool = False,
    renderer: str | None = None,
    dpi: float | None = None,
) -> Path:
    """Write the drawing to ``path``: ``.svg``, ``.png`` or ``.dot`` by its suffix.

    An unknown suffix raises ValueError and writes nothing; an existing
    file is only replaced once the new one is complete.

    >>> import tempfile, os
    >>> from autograd import Value
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     save(Value(1.0, label="x").exp(), os.path.join(tmp, "f.svg")).name
    'f.svg'
    """
    return make_drawing(root, precision, grads, detail, show_local, renderer).save(path, dpi)


def save_frames(
    root: Value,
    directory: PathLike,
    *,
    precision: int = 2,
    detail: str = "auto",
    show_local: bool = False,
    renderer: str | None = None,
) -> list[Path]:
    """Write the backward pass as numbered SVG frames (``step-00.svg``, …) into ``directory``.

    >>> import tempfile
    >>> from autograd import Value
    >>> f = Value(2.0, label="x") * 3
    >>> f.backward()
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in save_frames(f, tmp)]
    ['step-00.svg', 'step-01.svg', 'step-02.svg']
    """
    steps = backward_steps(root, precision=precision, detail=detail, show_local=show_local, renderer=renderer)
    return steps.save(directory)


def __getattr__(name: str) -> object:
    """micrograd's names for drawing, answered with graphgrad's (``viz.draw_dot`` says "use viz.draw").

    >>> import viz
    >>> viz.draw_dot
    Traceback (most recent call last):
    ...
    AttributeError: module 'viz' has no attribute 'draw_dot': micrograd's draw_dot is graphgrad's viz.draw(root) ...
    """
    from autograd.familiar import unknown_attribute

    raise unknown_attribute("viz", name, __all__, kind="module")
