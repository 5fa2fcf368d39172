"""The loss over a batch as training sees it: every parameter once, with the gradient SGD uses.

A model's loss over ten samples is ten forward passes through the same
weights, then a mean. Drawn value by value it is thousands of wires in
which each weight appears ten times; what a learner needs to see is the
opposite: **one** wire per parameter (its label, its value in green, its
gradient in red), the passes through each layer folded into one box, and
the rule that connects them — a value used in several places gets the
sum of the gradients its uses send back, so each parameter's gradient is
the sum of what the ten passes sent it.

The picture, top to bottom down the right: the samples' inputs, each
layer's box (double-outlined: it stands for every pass, "×10"), the values
passed between layers (the ranges of their values and gradients), the
loss, its value; level with each layer's box, on the left, its parameters
as wires in rows under a heading that says how many there are, how many
passes read them and their mean |gradient| — the parameters feed the
layer as the lecture's inputs feed a gate, from the left. The note above
works one gradient out as the sum over the passes, with its numbers.

Why this picture (compared in a browser at 900 px with ``viz.draw_model``,
the textbook circles-and-lines view): the textbook view shows weights as
coloured lines, hides all but a few neurons of a wide layer and every
bias, and has no room for a number, let alone a label and a gradient per
weight; a weight matrix drawn as a heat-map of gradients shows their
pattern but not which number is which. Listing every parameter costs
height (337 wires are three screens), not legibility: the text stays at
12 px when the drawing is shown 800-900 px wide.

Parameters are found from structure alone: a leaf (not a constant) read
inside exactly one neuron (``autograd.scope``, which ``nn`` sets) — and, in
a batch, by more than one pass. The view places its nodes itself
(``Scene.positions``), in time linear in the graph.

>>> import nn
>>> model = nn.MLP(2, [3, 1], activation="tanh", seed=0)
>>> loss = nn.mse_loss([model([0.5, -1.0]), model([1.0, 2.0])], [1.0, 0.0])
>>> loss.backward()
>>> from .scene import Style, topological_order
>>> scene = loss_scene(topological_order(loss), Style())
>>> sorted(w.name for w in scene.wires() if w.name.startswith("L2"))
['L2.N1.b', 'L2.N1.w0', 'L2.N1.w1', 'L2.N1.w2']
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from autograd import Constant, Value, ops

from .layout import COLUMN_GAP, ROW_GAP, WIRE_HEIGHT, node_size
from .scene import Edge, Gate, Scene, Style, Wire, format_number

__all__ = ["find_parameters", "loss_scene"]

WIDTH = 840.0  # points: 1,120 px; shown 800-900 px wide, its 12-pt text reads at 11-13 px
POSITIVE, NEGATIVE = "#2166ac", "#e66101"  # blue and orange, as viz.draw_model colours weights
SHOWN_TERMS = 3  # per-pass terms written out in the worked sum above the drawing
PARAMETER = "parameter"  # the group of a parameter leaf
LOSS = "loss"  # operations outside every scope: the loss (and any weight penalty)
INPUTS = "inputs"  # leaves that are not parameters: the samples


@dataclass
class _Layer:
    """One layer of the model (a top-level scope), all its passes together."""

    key: str
    nodes: list[int] = field(default_factory=list)
    neurons: set[str] = field(default_factory=set)
    params: list[int] = field(default_factory=list)
    passes: int = 0
    activation: str = ""


@dataclass
class _Graph:
    """The graph in topological order, with who reads whom and what each node belongs to."""

    order: list[Value]
    parents: list[list[int]]
    readers: list[list[int]]
    group: list[str] = field(default_factory=list)  # PARAMETER, a layer key, INPUTS, LOSS or "" (a constant)


def find_parameters(order: list[Value]) -> tuple[list[int], bool]:
    """The parameters of ``order`` (indices) and whether the graph runs them in several passes (a batch).

    A parameter is a leaf, not a constant, whose uses inside scopes all lie in one neuron
    (uses outside every scope, such as a weight penalty, are allowed). In a batch — some such
    leaf read by more than one pass — a leaf read only once is a sample's input, not a parameter.

    >>> from autograd import Value, scope
    >>> w, x1, x2 = Value(0.5, label="w"), Value(1.0, label="x1"), Value(2.0, label="x2")
    >>> with scope("layer1"), scope("neuron1"):
    ...     loss = (w * x1).tanh() + (w * x2).tanh()
    >>> from .scene import topological_order
    >>> order = topological_order(loss)
    >>> params, batch = find_parameters(order)
    >>> [order[i].label for i in params], batch
    (['w'], True)
    """
    leaves = {v: i for i, v in enumerate(order) if not v.parents and not isinstance(v, Constant)}
    scopes: dict[int, set[str]] = {}
    uses: dict[int, int] = {}
    for v in order:
        if v.scope is not None:
            for p in v.parents:
                i = leaves.get(p, -1)
                if i >= 0:
                    scopes.setdefault(i, set()).add(v.scope)
                    uses[i] = uses.get(i, 0) + 1
    candidates = sorted(i for i, found in scopes.items() if len(found) == 1)
    batch = any(uses[i] > 1 for i in candidates)
    return ([i for i in candidates if uses[i] > 1] if batch else candidates), batch


def loss_scene(order: list[Value], style: Style) -> Scene:
    """The parameters view of a graph with parameters (see ``find_parameters``), placed for drawing."""
    params, batch = find_parameters(order)
    if not params:
        raise ValueError(
            "detail='parameters' draws a model's loss: the leaves its neurons read (nn tags them with "
            "autograd.scope), and this graph has none; use detail='auto', 'full' or 'sums'"
        )
    graph = _analyze(order, set(params))
    layers = _layers(graph, params)
    scene = Scene("parameters", len(order))
    pipeline = _pipeline(graph, layers, scene, style)
    blocks = []
    scene.nodes = list(pipeline)
    for k, layer in enumerate(layers):
        read = f"read by all {layer.passes} passes" if layer.passes > 1 else "read by its one pass"
        if style.grads:
            mean = sum(abs(order[i].grad) for i in layer.params) / len(layer.params)
            read += f"; mean |gradient| {format_number(mean, style.precision)}"
        heading = Gate(f"h{k}", f"{layer.key}: {len(layer.params):,} parameters", "box", read)
        heading.cells = _heat_map(graph, layer, style) if style.grads else []
        members = [_wire(graph, f"v{i}", order[i].label, [i], style, exact=True) for i in layer.params]
        scene.edges.append(Edge(heading.id, f"n{k}"))
        scene.nodes += [heading, *members]
        blocks.append((heading, members))
    scene.positions = _place(pipeline, blocks)
    scene.note, scene.table = _explain(graph, layers, pipeline, batch, style)
    return scene


def _analyze(order: list[Value], params: set[int]) -> _Graph:
    index = {v: i for i, v in enumerate(order)}
    graph = _Graph(order, [[index[p] for p in v.parents] for v in order], [[] for _ in order])
    for i, ps in enumerate(graph.parents):
        for p in ps:
            graph.readers[p].append(i)
    for i, v in enumerate(order):
        if i in params:
            graph.group.append(PARAMETER)
        elif isinstance(v, Constant):
            graph.group.append("")
        elif v.scope is not None:
            graph.group.append(v.scope.split("/", 1)[0])
        else:
            graph.group.append(LOSS if v.parents else INPUTS)
    return graph


def _layers(graph: _Graph, params: list[int]) -> list[_Layer]:
    """The layers in the order data flows through them, with their neurons, passes, activation and parameters."""
    order, group = graph.order, graph.group
    layers: dict[str, _Layer] = {}
    for i, g in enumerate(group):
        if g not in (PARAMETER, INPUTS, LOSS, ""):
            layer = layers.setdefault(g, _Layer(g))
            layer.nodes.append(i)
            layer.neurons.add(order[i].scope or "")
    root_of = list(range(len(order)))  # union-find: the nodes of one pass through a layer

    def find(i: int) -> int:
        while root_of[i] != i:
            root_of[i] = root_of[root_of[i]]  # path halving keeps it near-linear
            i = root_of[i]
        return i

    for i, ps in enumerate(graph.parents):
        if group[i] in layers:
            for p in ps:
                if group[p] == group[i]:
                    root_of[find(p)] = find(i)
    for p, rs in enumerate(graph.readers):  # the neurons of one pass read the same inputs (never the same weight)
        if group[p] != PARAMETER:
            inside = [r for r in rs if group[r] in layers]
            for r in inside[1:]:
                if group[r] == group[inside[0]]:
                    root_of[find(r)] = find(inside[0])
    for layer in layers.values():
        layer.passes = len({find(i) for i in layer.nodes})
        outputs = [i for i in layer.nodes if any(group[r] != layer.key for r in graph.readers[i])]
        symbols = {order[i].op for i in outputs} or {order[layer.nodes[-1]].op}
        layer.activation = "linear" if symbols <= {"+", "*"} else " / ".join(sorted(map(_glyph, symbols)))
    for i in sorted(params, key=lambda i: _reading_order(order[i].label)):
        scope = next(order[r].scope for r in graph.readers[i] if order[r].scope is not None)
        layers[(scope or "").split("/", 1)[0]].params.append(i)
    depth = [0] * len(order)  # longest path from a leaf: layers in the order data flows through them
    for i, ps in enumerate(graph.parents):
        depth[i] = max((depth[p] + 1 for p in ps), default=0)
    first = dict.fromkeys(layers, len(order))  # each layer's shallowest operation (a leaf has depth 0 anywhere)
    for i, ps in enumerate(graph.parents):
        if ps and group[i] in first:
            first[group[i]] = min(first[group[i]], depth[i])
    return sorted(layers.values(), key=lambda layer: first[layer.key])


def _pipeline(graph: _Graph, layers: list[_Layer], scene: Scene, style: Style) -> list[Wire | Gate]:
    """The right column, top to bottom: inputs, each layer and what it passes on, the loss, the output."""
    order, group = graph.order, graph.group
    out: list[Wire | Gate] = []
    inputs = [i for i, g in enumerate(group) if g == INPUTS]
    previous = ""
    passes = max((layer.passes for layer in layers), default=1)
    if inputs:
        names = sorted({order[i].label for i in inputs if order[i].label}, key=_natural)
        shown = ", ".join(names) if 0 < len(names) <= 3 else f"{len(inputs) // passes} inputs"
        out.append(_wire(graph, "in", f"{shown} × {passes}" if passes > 1 else shown, inputs, style))
        previous = "in"
    for k, layer in enumerate(layers):
        kind = "stack" if layer.passes > 1 else "box"
        out.append(
            Gate(f"n{k}", f"{layer.key} ×{layer.passes}" if layer.passes > 1 else layer.key, kind, _detail(layer))
        )
        if previous:
            scene.edges.append(Edge(previous, f"n{k}"))
        previous = f"n{k}"
        sent = [i for i in layer.nodes if any(group[r] not in (layer.key, "") for r in graph.readers[i])]
        if sent and (k + 1 < len(layers) or any(g == LOSS for g in group)):
            each = len(sent) // layer.passes if len(sent) % layer.passes == 0 else 0
            name = f"{each} × {layer.passes}" if each and layer.passes > 1 else f"{len(sent)} values"
            out.append(_wire(graph, f"b{k}", name, sent, style))
            scene.edges.append(Edge(previous, f"b{k}"))
            previous = f"b{k}"
    root = len(order) - 1
    loss = [i for i, g in enumerate(group) if g == LOSS]
    if loss:
        counts = Counter(_glyph(order[i].op) for i in loss)
        what = " · ".join(f"{g} {n:,}" for g, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        out.append(Gate(LOSS, f"the loss over {passes} passes" if passes > 1 else "the loss", "stack", what))
        scene.edges.append(Edge(previous, LOSS))
        previous = LOSS
    out.append(_wire(graph, f"v{root}", order[root].label, [root], style, exact=True))
    if previous != f"v{root}":
        scene.edges.append(Edge(previous, f"v{root}"))
    return out


def _heat_map(graph: _Graph, layer: _Layer, style: Style) -> list[list[tuple[str, str]]]:
    """The layer's gradients as a map: a row per neuron, a square per parameter in reading order.

    Blue where the gradient is positive (SGD lowers the weight), orange where it is negative, as
    ``viz.draw_model`` colours weights; paler the smaller |gradient| is next to the layer's largest
    (square-root scale, so a small gradient still shows); white where it is exactly 0.
    """
    order = graph.order
    rows: dict[str, list[int]] = {}
    for i in layer.params:  # already in reading order: by neuron, weights, then bias
        neuron = next(order[r].scope for r in graph.readers[i] if order[r].scope is not None) or ""
        rows.setdefault(neuron, []).append(i)
    top = max((abs(order[i].grad) for i in layer.params if math.isfinite(order[i].grad)), default=0.0)
    return [
        [
            (_shade(order[i].grad, top), f"{order[i].label}: {format_number(order[i].grad, style.precision)}")
            for i in row
        ]
        for row in rows.values()
    ]


def _shade(gradient: float, top: float) -> str:
    """White for 0, the full colour for the largest |gradient|, in between by the square root of the share.

    >>> _shade(0.0, 1.0), _shade(1.0, 1.0), _shade(-0.25, 1.0)
    ('#ffffff', '#2166ac', '#f2b080')
    """
    if not top or not math.isfinite(gradient) or gradient == 0:
        return "#ffffff"
    share = math.sqrt(min(abs(gradient) / top, 1.0))
    color = POSITIVE if gradient > 0 else NEGATIVE
    channels = (int(color[k : k + 2], 16) for k in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - c) * share):02x}" for c in channels)


def _wire(graph: _Graph, id_: str, name: str, members: list[int], style: Style, exact: bool = False) -> Wire:
    """A wire for one value (``exact``) or for many: then the ranges of their values and gradients."""
    num = style.precision
    values = [graph.order[i].data for i in members]
    grads = [graph.order[i].grad for i in members]
    if exact:
        return Wire(id_, name, format_number(values[0], num), format_number(grads[0], num) if style.grads else None)
    return Wire(id_, name, _span(values, num), _span(grads, num) if style.grads else None)


def _detail(layer: _Layer) -> str:
    """A layer box's second line: its neurons (the first line says how many passes ran through them)."""
    neurons = len(layer.neurons)
    return f"{neurons} {layer.activation} neuron{'' if neurons == 1 else 's'}"


def _place(pipeline: list[Wire | Gate], blocks: list[tuple[Gate, list[Wire]]]) -> dict[str, tuple[float, float]]:
    """Positions: each layer's parameters in rows at the left, as many per row as fit in WIDTH, under a
    heading level with the layer's box; the pipeline down the right column, waiting below each block."""
    at: dict[str, tuple[float, float]] = {}
    column = max(node_size(n)[0] for n in pipeline)
    cell = max((node_size(w)[0] for _, members in blocks for w in members), default=0.0) + ROW_GAP
    per_row = max(1, int((WIDTH - column - 2 * COLUMN_GAP + ROW_GAP) // cell))
    middle = per_row * cell + 2 * COLUMN_GAP + column / 2  # the pipeline's centre line
    y, free = 0.0, 0.0  # the next free height in the pipeline, and below the last block
    blocks_of = {f"n{k}": block for k, block in enumerate(blocks)}
    for node in pipeline:
        height = node_size(node)[1]
        if node.id in blocks_of:  # the heading and the layer's box side by side, centred on one line
            heading, members = blocks_of[node.id]
            h_width, h_height = node_size(heading)
            y = max(y, free)
            height = max(height, h_height)
            at[heading.id] = (h_width / 2, y + height / 2)
            top = y + height + ROW_GAP
            for k, wire in enumerate(members):
                row, col = divmod(k, per_row)
                w_width, w_height = node_size(wire)
                at[wire.id] = ((col + 1) * cell - ROW_GAP - w_width / 2, top + row * (w_height + 4) + w_height / 2)
            free = top + -(-len(members) // per_row) * (WIRE_HEIGHT + 4) + 2 * ROW_GAP
        at[node.id] = (middle, y + height / 2)
        y += height + 2 * ROW_GAP
    return {key: (round(x, 1), round(-y, 1)) for key, (x, y) in at.items()}


def _explain(
    graph: _Graph, layers: list[_Layer], pipeline: list[Wire | Gate], batch: bool, style: Style
) -> tuple[str, list[tuple[str, str]]]:
    """The lines above the drawing: what it shows, and one parameter's gradient worked out as a sum."""
    count = sum(len(layer.params) for layer in layers)
    passes = max((layer.passes for layer in layers), default=1)
    note = f"the loss as training sees it: {count:,} parameters, each drawn once (of {len(graph.order):,} values)"
    table = [("each parameter", "its label, its value (green), its gradient (red): what SGD uses, p ← p − lr·gradient")]
    if not batch or not style.grads:
        return note, table
    table.append(("its gradient", f"the sum of what each of the {passes} passes (one per sample) sent back to it"))
    table.append(("the squares", "each layer's gradients, a row per neuron: blue > 0, orange < 0, white 0 (a neuron "
                  "no sample reached: its row stays white)"))  # fmt: skip
    bundle = next((n.name for n in pipeline if isinstance(n, Wire) and n.id.startswith("b") and " × " in n.name), "")
    if bundle:
        each, _, times = bundle.partition(" × ")
        table.append(
            (bundle, f"a layer's {each} outputs in each of the {times} passes: lowest … highest value, gradient")
        )
    last = layers[-1].params or [i for layer in layers for i in layer.params]
    p = max(last, key=lambda i: abs(graph.order[i].grad))
    inside: list[float] = []  # what each pass sent back
    outside: list[float] = []  # what uses outside the model (a weight penalty) sent back
    for r in dict.fromkeys(graph.readers[p]):
        reader = graph.order[r]
        share = sum(reader.grad * reader.local_grads[k] for k, q in enumerate(graph.parents[r]) if q == p)
        (inside if graph.order[r].scope is not None else outside).append(share)
    num = style.precision
    terms = "".join(_term(t, num, k == 0) for k, t in enumerate(inside[:SHOWN_TERMS]))
    if len(inside) > SHOWN_TERMS:
        terms += f" + … ({len(inside)} passes)"
    if outside:
        terms += _term(sum(outside), num, False) + " (outside the model: a penalty)"
    table.append((f"e.g. {graph.order[p].label}", f"{terms} = {format_number(graph.order[p].grad, num)}"))
    return note, table


def _term(x: float, precision: int, first: bool) -> str:
    """One term of a written-out sum: ``0.09``, then `` + 0.39`` or `` − 0.01``.

    >>> _term(0.09, 2, True) + _term(-0.01, 2, False) + _term(0.39, 2, False)
    '0.09 − 0.01 + 0.39'
    """
    if first:
        return format_number(x, precision)
    return f" − {format_number(-x, precision)}" if x < 0 else f" + {format_number(x, precision)}"


def _span(numbers: list[float], precision: int) -> str:
    low, high = min(numbers), max(numbers)
    if low == high:
        return format_number(low, precision)
    return f"{format_number(low, precision)} … {format_number(high, precision)}"


def _glyph(symbol: str) -> str:
    """The glyph of an operation's symbol; a user-defined gate is shown by its own symbol."""
    try:
        op = ops.lookup(symbol)
    except KeyError:
        return symbol
    return op.glyph + symbol[len(op.symbol) :]


def _reading_order(label: str) -> tuple[list[tuple[int, int | str]], bool, list[tuple[int, int | str]]]:
    """Sort key: by neuron, its weights in order, then its bias (nn labels them L1.N2.w0 …, L1.N2.b).

    >>> sorted(["L1.N2.b", "L1.N10.w0", "L1.N2.w10", "L1.N2.w9"], key=_reading_order)
    ['L1.N2.w9', 'L1.N2.w10', 'L1.N2.b', 'L1.N10.w0']
    """
    neuron, _, last = label.rpartition(".")
    return _natural(neuron), last == "b", _natural(last)


def _natural(label: str) -> list[tuple[int, int | str]]:
    """Sort key reading the numbers in a label as numbers: L1.N2.w10 after L1.N2.w9."""
    return [(0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", label)]
