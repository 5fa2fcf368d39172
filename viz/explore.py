"""Explore a computation in a notebook: its inputs on sliders, every value and gradient redrawn.

``explore(fn, x=-2, y=5, z=-4)`` makes a Value for each named input,
calls ``fn(x=…, y=…, z=…)``, runs ``backward()`` and shows the lecture
drawing of the result in the explorable widget (``viz/widget.py``): edit
an input and every green value and red gradient changes; click a part to
read its chain rule; step the forward and backward passes. ``explore(f)``
does the same for a Value already computed (nothing to edit). The widget
needs anywidget (``pip install 'graphgrad[widgets]'``); with only
ipywidgets, ``explore`` shows a slider per input over the drawing instead.
The redrawing itself is the plain method ``Explorer.update``, usable and
testable without either.

A slider's range comes from its starting value (symmetric around 0, wide
enough to cross it, so a learner sees signs flip and ReLU kinks), or is
given as ``name=(value, min, max)``.

>>> explorer = Explorer(lambda x, y, z: (x + y) * z, x=-2, y=5, z=-4)
>>> explorer.update(x=1.0)
Drawing(full, 5 values: .svg, .source, .save(path))
>>> explorer.output.data, explorer.inputs["x"].grad
(-24.0, -4.0)
"""

from __future__ import annotations

import html
import inspect
import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from autograd import Value

from .drawing import Drawing, make_drawing

__all__ = ["Explorer", "Slider", "explore", "slider_for"]

STEPS = 100  # slider positions from the middle to either end
_INSTALL = "pip install 'graphgrad[widgets]' (or pip install ipywidgets)"


@dataclass(frozen=True)
class Slider:
    """One input's slider: where it starts, its ends and its step."""

    name: str
    value: float
    min: float
    max: float
    step: float


def slider_for(name: str, spec: object) -> Slider:
    """The slider for an input given as a number (range derived from it) or as ``(value, min, max)``.

    A number v gets the range ±R, R the first of 1, 2, 5, 10, 20, 50, … at least 2·max(1, |v|).

    >>> slider_for("x", -2)
    Slider(name='x', value=-2.0, min=-5.0, max=5.0, step=0.05)
    >>> slider_for("w", (0.5, 0, 1)).max
    1.0
    """
    if _is_number(spec):
        value = _finite(name, spec)
        reach = 2 * max(1.0, abs(value))
        if not math.isfinite(reach):
            raise ValueError(f"{name}={value!r} is too large to derive a range from; give {name}=(value, min, max)")
        power = 10.0 ** math.floor(math.log10(reach))
        limit = next(m * power for m in (1, 2, 5, 10) if m * power >= reach)
        return Slider(name, value, -limit, limit, limit / STEPS)
    if isinstance(spec, tuple) and len(spec) == 3 and all(_is_number(x) for x in spec):
        value, low, high = (_finite(name, x) for x in spec)
        if not low <= value <= high or low == high:
            raise ValueError(f"{name}=(value, min, max) needs min < max and value between them, got {spec!r}")
        return Slider(name, value, low, high, (high - low) / (2 * STEPS))
    raise TypeError(
        f"{name}= takes a starting number or a (value, min, max) tuple, got {type(spec).__name__} {spec!r:.40}"
    )


def _is_number(x: object) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _finite(name: str, x: Any) -> float:
    if not math.isfinite(x):
        raise ValueError(f"{name}= needs finite numbers for a slider, got {x!r}")
    return float(x)


class Explorer:
    """A function of named inputs, redrawn (values and gradients) whenever an input changes.

    >>> explorer = Explorer(lambda a: a.tanh(), a=0.5)
    >>> round(explorer.output.data, 4), explorer.values
    (0.4621, {'a': 0.5})
    """

    def __init__(
        self,
        fn: Callable[..., Value],
        /,
        *,
        precision: int = 2,
        show_local: bool = False,
        renderer: str | None = None,
        **inputs: object,
    ) -> None:
        if not callable(fn):
            raise TypeError(f"explore takes a function of the inputs, got {type(fn).__name__} {fn!r:.40}")
        if not inputs:
            raise TypeError("explore needs at least one input with its starting value, e.g. explore(fn, x=1.0)")
        _check_signature(fn, list(inputs))
        self.fn = fn
        self.sliders = {name: slider_for(name, spec) for name, spec in inputs.items()}
        self.values = {name: s.value for name, s in self.sliders.items()}
        self.options: dict[str, Any] = {"precision": precision, "show_local": show_local, "renderer": renderer}
        self.inputs: dict[str, Value] = {}
        self.output = Value(0.0)
        self.drawing = self.update()  # draws once now, so a bad fn or option fails here, not in a slider

    def update(self, **values: float) -> Drawing:
        """Set some inputs, recompute ``fn`` and its gradients, and return the new drawing.

        >>> explorer = Explorer(lambda x: x * x, x=3)
        >>> explorer.update(x=-1).mode, explorer.inputs["x"].grad  # ∂(x²)/∂x = 2x
        ('full', -2.0)
        """
        for name, value in values.items():  # check them all before changing any
            if name not in self.sliders:
                raise TypeError(f"unknown input {name!r}; inputs: {', '.join(self.sliders)}")
            if not _is_number(value):
                raise TypeError(f"{name} takes a number, got {type(value).__name__} {value!r:.40}")
        self.values.update({name: _finite(name, value) for name, value in values.items()})
        self.inputs = {name: Value(value, label=name) for name, value in self.values.items()}
        out = self.fn(**self.inputs)
        if not isinstance(out, Value):
            raise TypeError(f"explore's function must return one Value (the output), got {type(out).__name__}")
        if not out.label:
            out.label = "f"  # the lecture's name for the output
        out.backward()
        self.output = out
        self.drawing = make_drawing(out, grads=True, **self.options)
        return self.drawing

    def widget(self) -> Any:
        """The ipywidgets box: a slider per input above the drawing, redrawn as they move.

        >>> box = Explorer(lambda x: x.exp(), x=1).widget()
        >>> type(box).__name__, len(box.children)
        ('VBox', 2)
        """
        try:
            import ipywidgets
        except ImportError as missing:
            raise ImportError(f"viz.explore needs ipywidgets for its sliders: {_INSTALL}") from missing
        precision = self.options["precision"]
        self.view = ipywidgets.HTML(_inline(self.drawing.svg))
        self.controls: dict[str, Any] = {}
        for name, s in self.sliders.items():
            slider = ipywidgets.FloatSlider(
                value=self.values[name], min=s.min, max=s.max, step=s.step, description=name,
                readout_format=f".{precision}f", continuous_update=True,  # a redraw takes ~10 ms
            )  # fmt: skip
            slider.observe(self._on_change, names="value")
            self.controls[name] = slider
        return ipywidgets.VBox([ipywidgets.VBox(list(self.controls.values())), self.view])

    def _on_change(self, change: dict[str, Any]) -> None:
        """A slider moved: redraw, or say what went wrong in place of the drawing."""
        try:
            self.view.value = _inline(self.update(**{change["owner"].description: change["new"]}).svg)
        except Exception as error:  # fn is the user's code: show its error where the drawing was
            self.view.value = f'<pre style="color:#c00000">{type(error).__name__}: {html.escape(str(error))}</pre>'

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value:g}" for name, value in self.values.items())
        return f"Explorer({shown}: output {self.output.data:g}; .update(**values), .widget())"


def explore(
    fn: Callable[..., Value] | Value,
    /,
    *,
    precision: int = 2,
    show_local: bool = False,
    renderer: str | None = None,
    **inputs: object,
) -> Any:
    """The explorable drawing of ``fn`` at ``inputs`` (or of a computed Value): edit, click, step.

    Each input is a starting number (``x=-2``) or ``(value, min, max)``; the
    keywords precision, show_local and renderer are options, not inputs.
    Returns the anywidget (``viz.widget.GraphWidget``); without anywidget,
    ipywidgets sliders over the drawing; without either, ImportError saying
    how to install them.

    >>> w = explore(lambda x, y, z: (x + y) * z, x=-2, y=5, z=(-4, -10, 10))
    >>> [spec["name"] for spec in w.inputs], w.parts["v4"]["title"].splitlines()[0]
    (['x', 'y', 'z'], '∂f/∂f = 1.00 (the seed: the backward pass starts here)')
    """
    if isinstance(fn, Value):
        if inputs:
            given = ", ".join(inputs)
            raise TypeError(f"explore(f) shows a computed Value; inputs ({given}) go with a function: explore(fn, x=1)")
        from .widget import GraphWidget  # an ImportError here says to install anywidget

        return GraphWidget(make_drawing(fn, precision, None, "auto", show_local, renderer))
    explorer = Explorer(fn, precision=precision, show_local=show_local, renderer=renderer, **inputs)
    try:
        from .widget import GraphWidget
    except ImportError:
        return explorer.widget()  # ipywidgets sliders over the drawing
    return GraphWidget(explorer.drawing, explorer)


def _check_signature(fn: Callable[..., Any], names: list[str]) -> None:
    """TypeError now, not at the first slider move, if ``fn`` cannot take exactly these inputs."""
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):  # some built-ins have no signature: find out when calling
        return
    try:
        signature.bind(**dict.fromkeys(names))
    except TypeError as error:
        takes = f"{getattr(fn, '__name__', 'fn')}({', '.join(signature.parameters)})"  # names, no annotations
        raise TypeError(f"explore's function {takes} cannot take inputs {', '.join(names)}: {error}") from None


def _inline(svg: str) -> str:
    """The SVG without its XML prolog, ready to sit inside HTML."""
    return svg[svg.index("<svg") :]
