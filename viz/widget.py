"""An explorable drawing for JupyterLab, Notebook 7 and VS Code: click, step, edit.

``viz.explore(f)`` (a computed Value) or ``viz.explore(fn, x=-2, y=5, z=-4)``
(a function and its inputs) shows the lecture drawing inside a widget:

- click a wire, a gate or an arrow to read how its number came about (the
  same chain rule as its hover text);
- step the forward pass one value at a time, then the backward pass one
  gradient at a time, each step captioned in the slides' words
  (upstream × local = downstream);
- with a function, edit an input (a slider and a number box) and watch
  every value and gradient change.

It is an anywidget: a JavaScript module (``widget.js``, no build step) and
a few traitlets that the kernel and the page keep in sync. The page steps
and explains on its own; only an edit goes to the kernel, which recomputes
and redraws. The widget's display data also carries the drawing as SVG and
PNG, so where no kernel runs it (a notebook opened fresh, GitHub, nbconvert)
the static drawing shows instead. Drawing, explorer and widget share one
scene and one layout: the widget shows exactly ``viz.draw``'s SVG.

Needs ``pip install 'graphgrad[widgets]'`` (anywidget); without it
``viz.explore`` falls back to ipywidgets sliders over the drawing.

>>> from autograd import examples
>>> from .drawing import make_drawing
>>> f, _ = examples.add_mul()
>>> f.backward()
>>> w = GraphWidget(make_drawing(f))
>>> len(w.forward), len(w.backward), w.explain("v0").splitlines()[0]
(5, 5, '∂f/∂x = ∂f/∂q · ∂q/∂x = -4.00 × 1.00 = -4.00')
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

try:
    import anywidget
    import traitlets
except ImportError as missing:
    raise ImportError(
        "the explorable drawing needs anywidget: pip install 'graphgrad[widgets]' (or pip install anywidget)"
    ) from missing

from .display import DISPLAY_WIDTH, picture_bundle
from .drawing import Drawing
from .explore import Explorer
from .scene import Wire

__all__ = ["GraphWidget", "widget_data"]

_HERE = Path(__file__).resolve().parent


def widget_data(drawing: Drawing) -> dict[str, Any]:
    """What the page needs to explain and step a drawing, as plain JSON-able data.

    ``svg`` is the drawing (inline: no XML prolog); ``parts`` maps the id
    of every wire, gate and arrow (the class the SVG gives it: ``v2``,
    ``g4``, ``e5``) to its explanation; ``forward`` lists the wires in the
    order the forward pass computes them and ``backward`` in the order the
    backward pass reaches them, each with its caption.
    """
    scene = drawing.scene
    parts: dict[str, dict[str, str]] = {}
    for node in scene.nodes:
        parts[node.id] = {"title": node.title, "kind": "wire" if isinstance(node, Wire) else node.kind}
    for k, edge in enumerate(scene.edges):
        parts[f"e{k}"] = {"title": edge.title, "kind": "arrow"}
    wires = [n for n in scene.nodes if isinstance(n, Wire)]
    forward = [{"id": w.id, "caption": w.forward or w.title} for w in wires]
    drawn_grads = any(w.grad is not None for w in wires)
    backward = [{"id": w.id, "caption": w.backward or w.explain} for w in sorted(wires, key=lambda w: w.step)]
    svg = drawing.svg
    return {
        "svg": svg[svg.index("<svg") :],
        "parts": parts,
        "forward": forward,
        "backward": backward if drawn_grads else [],
    }


class GraphWidget(anywidget.AnyWidget):  # type: ignore[misc]
    """The explorable drawing: ``viz.explore`` makes one (see the module docstring)."""

    _esm = _HERE / "widget.js"
    _css = _HERE / "widget.css"

    svg = traitlets.Unicode("").tag(sync=True)
    parts = traitlets.Dict().tag(sync=True)
    forward: traitlets.List[dict[str, str]] = traitlets.List().tag(sync=True)
    backward: traitlets.List[dict[str, str]] = traitlets.List().tag(sync=True)
    inputs: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)  # name, value, min, max, step
    edit = traitlets.Dict().tag(sync=True)  # set by the page: {"name": …, "value": …}
    error = traitlets.Unicode("").tag(sync=True)

    def __init__(self, drawing: Drawing, explorer: Explorer | None = None) -> None:
        super().__init__()
        self.explorer = explorer
        self.drawing = drawing
        if explorer is not None:
            self.inputs = [
                {"name": s.name, "value": explorer.values[s.name], "min": s.min, "max": s.max, "step": s.step}
                for s in explorer.sliders.values()
            ]
        self.show(drawing)

    def show(self, drawing: Drawing) -> None:
        """Put ``drawing`` on the page (all its data in one message)."""
        self.drawing = drawing
        with self.hold_sync():
            for name, value in widget_data(drawing).items():
                setattr(self, name, value)
            self.error = ""

    def explain(self, part: str) -> str:
        """What clicking a part shows: its chain rule (``"v0"``: node 0's wire, ``"e3"``: the fourth arrow)."""
        return str(self.parts[part]["title"])

    def set_input(self, name: str, value: float) -> None:
        """Change one input, as the page does when it is edited: recompute and redraw."""
        self.edit = {"name": name, "value": value}

    @traitlets.observe("edit")
    def _on_edit(self, change: dict[str, Any]) -> None:
        if self.explorer is None:
            return
        edit = change["new"]
        try:
            self.show(self.explorer.update(**{str(edit["name"]): float(edit["value"])}))
        except Exception as error:  # the function is the user's code: say what went wrong, keep the last drawing
            self.error = f"{type(error).__name__}: {error}"

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        """The widget, and the drawing as SVG and PNG for wherever no kernel runs it."""
        data, metadata = super()._repr_mimebundle_(**kwargs) or ({"text/plain": repr(self)}, {})
        d = self.drawing
        return {**picture_bundle(d.svg, d.png, d.size, DISPLAY_WIDTH, data["text/plain"]), **data}, metadata

    def __repr__(self) -> str:
        return f"GraphWidget({self.drawing!r}: click a part to explain it, step the passes, edit the inputs)"
