"""Drawing an ``nn`` model the way introductory material pictures networks.

Two views of the same model:

- ``style="neurons"`` — the textbook picture: a column of input circles
  (x1…xn), a column of circles per layer, left to right, and one line per
  weight, blue (#2166ac) where the weight is positive, orange (#e66101)
  where it is negative, grey (#b0b0b0) where it is 0, thicker the larger
  |w| is compared with the largest weight in the model. A layer wider than
  ``max_neurons`` shows its first and last few neurons around a
  "⁝ (n more)" marker, and only the lines between neurons that are shown,
  so ``nn.MLP(784, [16, 16, 10])`` is a slide, not a hairball.
- ``style="layers"`` — Keras's ``plot_model(show_shapes=True)``: one box
  per layer, top to bottom, with its type, activation, input and output
  shapes and parameter count, and the total below.

Both come back as a ``ModelDrawing``: a ``viz.Drawing`` that shows inline
in Jupyter and saves to .svg/.png/.dot like any other drawing. The same
model always gives the same bytes.

>>> import nn
>>> model = nn.MLP(3, [4, 4, 1], activation="tanh", seed=0)
>>> draw_model(model)
ModelDrawing(neurons: 3 → 4 → 4 → 1, 41 parameters: .svg, .source, .save(path))
"""

from __future__ import annotations

import difflib
import hashlib
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from autograd import Value

from .dot import FONT, NOTE_COLOR, label_text, new_digraph
from .drawing import DotDrawing

if TYPE_CHECKING:
    import graphviz

    from nn import Module

__all__ = ["MAX_NEURONS", "NEGATIVE_COLOR", "POSITIVE_COLOR", "STYLES", "ZERO_COLOR", "ModelDrawing", "draw_model"]

STYLES = ("neurons", "layers")
POSITIVE_COLOR = "#2166ac"  # blue; blue and orange stay apart for colour-blind readers
NEGATIVE_COLOR = "#e66101"  # orange
ZERO_COLOR = "#b0b0b0"  # grey: a weight of 0 (or nan) has no sign
MAX_NEURONS = 12  # a wider layer is condensed: first and last few neurons, and "⁝ (n more)"
THINNEST, THICKEST = 0.3, 3.0  # line widths (points) for |w| = 0 and for the largest |w|
COLUMN_GAP, ROW_GAP = 1.8, 0.5  # inches between layer columns, and between neurons in a column
HEADER_FILL, INPUT_FILL = "#dbe6f4", "#eeeeee"


@dataclass(frozen=True)
class _Dense:
    """One fully connected layer of the model, as both views need it."""

    name: str  # "layer1", or "layer2/layer1" inside a nested Sequential
    kind: str  # the nn class: "Layer" or "Neuron"
    neurons: list[Any]  # nn.Neuron objects: .w (a list of Values) and .b
    nin: int
    activation: str


class ModelDrawing(DotDrawing):
    """A drawing of an ``nn`` model: SVG in Jupyter, ``.svg``/``.source`` text, ``.save(path)``.

    >>> import nn
    >>> d = draw_model(nn.Layer(2, 3, seed=0), style="layers")
    >>> d.mode, d.source.startswith("digraph"), d.svg.lstrip().startswith("<?xml")
    ('layers', True, True)
    """

    hover_titles = False  # each <title> stays the node's id; weights keep their tooltips

    def __repr__(self) -> str:
        return f"ModelDrawing({self.mode}: {self.summary}: .svg, .source, .save(path))"


def draw_model(
    model: Module,
    style: str = "neurons",
    *,
    show_bias: bool = False,
    max_neurons: int = MAX_NEURONS,
    renderer: str | None = None,
) -> ModelDrawing:
    """Draw an ``nn`` model: neuron circles joined by weights (``"neurons"``) or one box per layer (``"layers"``).

    Weights: blue (#2166ac) positive, orange (#e66101) negative, grey (#b0b0b0) zero; width ∝ |w|.
    ``show_bias=True`` adds a "+1" unit feeding each layer its biases.

    >>> import nn
    >>> draw_model(nn.MLP(784, [16, 16, 10]), style="layers")
    ModelDrawing(layers: 784 → 16 → 16 → 10, 13,002 parameters: .svg, .source, .save(path))
    >>> draw_model(nn.MLP(2, [1]), style="neuron")
    Traceback (most recent call last):
    ...
    ValueError: unknown style 'neuron'; known: neurons, layers (did you mean 'neurons'?)
    """
    layers = _dense_layers(model)
    if not isinstance(style, str):
        raise TypeError(f"style= takes a str ({', '.join(STYLES)}), got {type(style).__name__} {style!r:.40}")
    if style not in STYLES:
        close = difflib.get_close_matches(style, STYLES, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"unknown style {style!r}; known: {', '.join(STYLES)}{hint}")
    if not isinstance(show_bias, bool):
        raise TypeError(f"show_bias= takes True or False, got {type(show_bias).__name__} {show_bias!r:.40}")
    if isinstance(max_neurons, bool) or not isinstance(max_neurons, int):
        raise TypeError(f"max_neurons= takes an int, got {type(max_neurons).__name__} {max_neurons!r:.40}")
    if max_neurons < 3:
        raise ValueError(f"max_neurons= must be at least 3 (first, '⁝', last), got {max_neurons}")
    if renderer is not None and not isinstance(renderer, str):
        raise TypeError(f"renderer= takes a program path, got {type(renderer).__name__} {renderer!r:.40}")
    widths = " → ".join(str(n) for n in [layers[0].nin] + [len(layer.neurons) for layer in layers])
    summary = f"{widths}, {model.num_parameters():,} parameters"
    graph = _neurons_view(layers, show_bias, max_neurons) if style == "neurons" else _layers_view(layers, model)
    # The graph id is a hash of the content: unique per drawing on a notebook page, the same every run.
    graph.attr("graph", id="gg" + hashlib.sha256(graph.source.encode("utf-8")).hexdigest()[:10])
    return ModelDrawing(graph.source, style, summary, renderer)


def _dense_layers(model: object) -> list[_Dense]:
    """The model's layers in order, nested Sequentials flattened; TypeError for anything else."""
    import nn  # here, not at the top: viz draws computation graphs without needing nn
    from nn.activations import activation_name

    def flatten(module: object, name: str) -> list[_Dense]:
        if isinstance(module, nn.Sequential):
            return [d for layer in module.layers for d in flatten(layer, f"{name}/{layer.name}".lstrip("/"))]
        if isinstance(module, nn.Layer):  # activation_name: a gate of your own shows its symbol
            return [_Dense(name, "Layer", list(module.neurons), module.nin, activation_name(module.activation))]
        if isinstance(module, nn.Neuron):
            return [_Dense(name, "Neuron", [module], module.nin, activation_name(module.activation))]
        what = (
            "a Value (draw a computation graph with viz.draw)" if isinstance(module, Value) else type(module).__name__
        )
        raise TypeError(f"draw_model draws an nn model (nn.MLP, nn.Sequential, nn.Layer or nn.Neuron), got {what}")

    return flatten(model, (model.name or "") if isinstance(model, nn.Module) else "")


def _shown(n: int, max_neurons: int) -> list[int | None]:
    """Which of ``n`` neurons a column shows: all, or the first and last few around None (the "⁝")."""
    if n <= max_neurons:
        return list(range(n))
    keep = (max_neurons - 1) // 2
    return [*range(keep), None, *range(n - keep, n)]


def _stroke(w: float, largest: float) -> dict[str, str]:
    """A weight's line: colour by its sign, width by |w| relative to the largest |w| in the model."""
    color = POSITIVE_COLOR if w > 0 else NEGATIVE_COLOR if w < 0 else ZERO_COLOR  # nan compares False: grey
    share = min(abs(w) / largest, 1.0) if not math.isnan(w) else 0.0
    return {"color": color, "penwidth": f"{THINNEST + (THICKEST - THINNEST) * share:.2f}"}


def _neurons_view(layers: list[_Dense], show_bias: bool, max_neurons: int) -> graphviz.Digraph:
    """The textbook picture. Every circle is pinned to its place in a grid (neato with fixed
    positions): dot would order each column to reduce crossings and shuffle the neurons."""
    graph = new_digraph(
        "model", graph_attr={"layout": "neato", "splines": "line", "outputorder": "edgesfirst", "fontname": FONT}
    )
    # Circles are filled and drawn after the lines (outputorder), so every line ends at a circle's edge.
    graph.attr("node", shape="circle", fixedsize="true", width="0.4", style="filled", fillcolor="#ffffff")
    graph.attr("node", fontname=FONT, fontsize="10")
    graph.attr("edge", arrowhead="none")
    drawn = [p.data for layer in layers for n in layer.neurons for p in (n.w + [n.b] if show_bias else n.w)]
    largest = max((abs(w) for w in drawn if math.isfinite(w)), default=0.0) or 1.0
    sizes = [layers[0].nin] + [len(layer.neurons) for layer in layers]
    columns = [_shown(n, max_neurons) for n in sizes]
    below = -(max(len(shown) for shown in columns) + 1) / 2 * ROW_GAP  # captions: under the tallest column
    ids = [_add_column(graph, c, sizes[c], shown, layers, below) for c, shown in enumerate(columns)]
    for c, layer in enumerate(layers, start=1):
        bias = None
        if show_bias:  # the classic "+1" unit above the column it feeds from; its weights are the biases
            bias = f"bias{c}"
            top = f"{(c - 1) * COLUMN_GAP:g},{(len(columns[c - 1]) + 1) / 2 * ROW_GAP:g}!"
            graph.node(bias, "+1", pos=top, fontcolor=NOTE_COLOR, color=NOTE_COLOR, fontsize="9")
        for k, head in ids[c].items():
            neuron = layer.neurons[k]
            pairs = [(ids[c - 1][j], neuron.w[j]) for j in ids[c - 1]] + ([(bias, neuron.b)] if bias else [])
            for tail, w in pairs:
                tip = label_text(f"{w.label or 'w'} = {w.data:.4g}", tooltip=True)
                graph.edge(tail, head, tooltip=tip, **_stroke(w.data, largest))
    what = "weights and biases" if show_bias else "weights (biases not drawn; show_bias=True draws them)"
    graph.attr("graph", label=_legend(what, largest), labelloc="b", fontsize="11")
    return graph


def _add_column(
    graph: graphviz.Digraph, c: int, size: int, shown: list[int | None], layers: list[_Dense], below: float
) -> dict[int, str]:
    """Column ``c`` (0: the inputs; c: layer c's neurons), centred on y = 0, with its caption; returns its node ids."""
    x, top, last = c * COLUMN_GAP, (len(shown) - 1) / 2 * ROW_GAP, c == len(layers)
    prefix = "x" if c == 0 else f"L{c}_"
    text = {"shape": "box", "fixedsize": "false", "color": "#ffffff", "margin": "0.02"}  # not a circle
    ids = {}
    for row, k in enumerate(shown):
        pos = f"{x:g},{top - row * ROW_GAP:g}!"
        if k is None:
            more = f"⁝\n({size - len(shown) + 1:,} more)"
            graph.node(f"{prefix}more", more, pos=pos, fontcolor=NOTE_COLOR, **text)
        elif c == 0:
            ids[k] = f"x{k}"  # 0-based, as nn labels a model's inputs (and the lecture its x0, x1)
            graph.node(ids[k], f"x{k}", pos=pos, fillcolor=INPUT_FILL)
        else:
            ids[k] = f"{prefix}{k + 1}"
            layer = layers[c - 1]
            tip = f"{layer.name or 'neuron'} neuron {k + 1}: {layer.activation}, b = {layer.neurons[k].b.data:.4g}"
            tip = label_text(tip, tooltip=True)
            label = f"y{k}" if last else ""  # 0-based like the inputs: y3 is class 3's output
            graph.node(ids[k], label, pos=pos, tooltip=tip)
    kind = "input" if c == 0 else "output layer" if last else f"hidden layer {c}"
    what = f"{size:,}" if c == 0 else f"{size:,} · {layers[c - 1].activation}"
    graph.node(f"caption{c}", f"{kind}\n{what}", pos=f"{x:g},{below:g}!", fontsize="11", **text)
    return ids


def _legend(drawn: str, largest: float) -> str:
    """The key under the neurons view: which colour is which sign, what the width means."""
    swatch = "&#9644;&#9644;"  # ▬▬ in the line's colour (graphviz-pure's PNG fonts have this glyph, not ━ or ⋮)
    return (
        f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1"><TR><TD>'
        f'<FONT COLOR="{POSITIVE_COLOR}">{swatch}</FONT>&#160;&#160;&#160;positive (blue)&#160;&#160;&#160;'
        f'<FONT COLOR="{NEGATIVE_COLOR}">{swatch}</FONT>&#160;&#160;&#160;negative (orange)&#160;&#160;&#160;'
        f'<FONT COLOR="{ZERO_COLOR}">{swatch}</FONT>&#160;&#160;&#160;zero (grey)</TD></TR><TR><TD>'
        f'<FONT COLOR="{NOTE_COLOR}">{label_text(drawn)}; width grows with |w| (thickest |w| = {largest:.3g})</FONT>'
        "</TD></TR></TABLE>>"
    )


def _layers_view(layers: list[_Dense], model: Module) -> graphviz.Digraph:
    """Keras's plot_model(show_shapes=True): a box per layer, top to bottom, shapes and parameter counts."""
    graph = new_digraph("model", graph_attr={"rankdir": "TB", "ranksep": "0.3", "fontname": FONT})
    graph.attr("node", shape="plain", fontname=FONT, fontsize="11")
    graph.attr("edge", arrowsize="0.6")
    nin = layers[0].nin
    graph.node("input", _layer_box("input (Input)", "", (nin, nin), None, INPUT_FILL))
    previous = "input"
    for i, layer in enumerate(layers, start=1):
        params = sum(len(n.w) + 1 for n in layer.neurons)
        title = f"{layer.name or layer.kind.lower()} ({layer.kind})"
        node = f"layer{i}"
        graph.node(node, _layer_box(title, layer.activation, (layer.nin, len(layer.neurons)), params, HEADER_FILL))
        graph.edge(previous, node)
        previous = node
    graph.attr("graph", label=f"\nTotal params: {model.num_parameters():,}", labelloc="b", fontsize="12")
    return graph


def _layer_box(title: str, activation: str, shapes: tuple[int, int], params: int | None, fill: str) -> str:
    """One layer as an HTML-like table: title and activation, input and output shapes, parameter count."""
    head = label_text(title) + (f" · {label_text(activation)}" if activation else "")
    rows = [f'<TR><TD COLSPAN="2" BGCOLOR="{fill}">{head}</TD></TR>']
    rows += [
        f'<TR><TD ALIGN="LEFT" WIDTH="100">{side} shape</TD><TD WIDTH="70">({n},)</TD></TR>'
        for side, n in zip(("input", "output"), shapes, strict=True)
    ]
    if params is not None:
        rows.append(f'<TR><TD COLSPAN="2">{params:,} param{"" if params == 1 else "s"}</TD></TR>')
    return f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="5">{"".join(rows)}</TABLE>>'
