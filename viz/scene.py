"""The scene: what a drawing shows, before any layout or file format.

A graph of Values becomes wires (a value: name, green number above, red
gradient below), gates (a circle holding the operation's glyph from
``autograd.OPS``, constants folded in: ``*2``), boxes (a whole neuron or
layer) and edges between them, with every number already formatted.
Node ids come from the topological index (``v3`` is the wire of node 3,
``g3`` its gate), never from ``id()``, so the same graph gives the same
scene in any process. ``dot.py`` turns a scene into Graphviz text.

>>> from autograd import examples
>>> f, _ = examples.add_mul()
>>> f.backward()
>>> scene = build(analyze(topological_order(f)), Style())
>>> [(w.name, w.value, w.grad) for w in scene.wires()][:3]
[('x', '-2.00', '-4.00'), ('y', '5.00', '-4.00'), ('q', '3.00', '-4.00')]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from autograd import Constant

from .explain import Explainer
from .formatting import format_number
from .naming import folded_glyph, gate_glyph
from .structure import ELIDED, NO_GROUP, Shape, analyze, topological_order

__all__ = ["Edge", "Gate", "Scene", "Style", "Wire", "analyze", "build", "format_number", "topological_order"]


BRANCH_SHARES_UP_TO = 6  # arrows out of one wire that each show their share in red; more would be a smear


@dataclass(frozen=True)
class Style:
    """How numbers are written: decimals, whether gradients show, local derivatives on edges."""

    precision: int = 2
    grads: bool = True
    show_local: bool = False


@dataclass
class Wire:
    """A value as the lecture draws it: a short line, name at its left, value above, gradient below."""

    id: str
    name: str
    value: str
    grad: str | None  # None before backward(): no red number at all
    step: int = 0  # when the backward pass reaches it: 0 for the output's seed, then right to left
    explain: str = ""  # how that gradient came about: upstream × local = downstream
    title: str = ""  # the hover text: the chain rule with the numbers (explain.py)
    forward: str = ""  # the forward pass reaching it: which gate computed it, from what
    backward: str = ""  # the backward pass reaching it, in the slides' words
    grid: tuple[tuple[str, ...], ...] = ()  # a matrix's values row by row, drawn as a grid (viz.vectors)
    grad_grid: tuple[tuple[str, ...], ...] = ()  # and its gradient, the same shape


@dataclass
class Gate:
    """A circle holding an operation's glyph; ``kind="box"`` is a whole neuron or layer."""

    id: str
    glyph: str
    kind: str = "gate"  # "gate", "box" (a neuron or layer), "stack" (a box for several passes) or "elided"
    detail: str = ""  # a box's second line: "tanh · 3 params"
    title: str = ""  # the hover text: what the gate computes, its local gradients
    cells: list[list[tuple[str, str]]] = field(default_factory=list)  # a box's heat-map rows: (colour, hover text)


@dataclass
class Edge:
    """An arrow: from a wire into a gate, or from a gate into its output wire."""

    tail: str
    head: str
    label: str = ""  # the local derivative ∂out/∂operand, with show_local
    title: str = ""  # the hover text: what this branch carries back (upstream × local)
    grad: str | None = None  # that share in red, on each branch of a value used several times
    step: int = 0  # the backward step that reveals ``grad`` (its wire's)


@dataclass
class Scene:
    """Everything to draw, in a deterministic order."""

    mode: str  # "full", "sums", "neurons", "layers" or "summary"
    values: int  # Values in the whole graph
    nodes: list[Wire | Gate] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)  # leaf wires, stacked at the left
    note: str = ""  # says what was condensed, above the drawing
    table: list[tuple[str, str]] = field(default_factory=list)  # the summary's facts
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)  # node centres (points) if placed by us
    bars: list[tuple[str, float, str]] = field(default_factory=list)  # the summary's gradient bars: what, 0–1, number
    # Writes the hover texts and captions (explain.py) when first needed: the size policy builds
    # several scenes of a large graph to pick one, and only the one drawn needs them.
    write_texts: Callable[[], None] | None = field(default=None, repr=False, compare=False)

    def texts(self) -> Scene:
        """The scene with its hover texts and captions written (once).

        >>> Scene("full", 0).texts().nodes
        []
        """
        if self.write_texts is not None:
            write, self.write_texts = self.write_texts, None
            write()
        return self

    def wires(self) -> list[Wire]:
        """The wires, left to right in topological order.

        >>> Scene("full", 0).wires()
        []
        """
        return [n for n in self.nodes if isinstance(n, Wire)]


def build(shape: Shape, style: Style, mode: str = "full") -> Scene:
    """Turn an analyzed graph into a scene: wires, gates, boxes and the edges between them.

    >>> from autograd import Value
    >>> x = Value(3.0, label="x")
    >>> scene = build(analyze(topological_order(2 * x + 1)), Style(grads=False))
    >>> [n.glyph for n in scene.nodes if isinstance(n, Gate)]
    ['*2', '+1']
    """
    order, num = shape.order, style.precision
    scene = Scene(mode, len(order))
    boxes_drawn: set[int] = set()
    box_inputs: set[tuple[str, int]] = set()
    for i, v in enumerate(order):
        box = shape.group[i]
        if box != NO_GROUP:  # inside a neuron or layer: only the wires that leave the box are drawn
            for p in shape.parents[i]:
                source = shape.wire_id(p)
                if source and (p == ELIDED or shape.group[p] != box) and (source, box) not in box_inputs:
                    box_inputs.add((source, box))
                    scene.edges.append(Edge(source, f"n{box}"))
            if shape.hidden[i]:
                continue
            if box not in boxes_drawn:
                boxes_drawn.add(box)
                scene.nodes.append(Gate(f"n{box}", shape.groups[box], "box", _box_detail(shape, box, i)))
            if box in shape.bundles:  # one wire for all of a wide layer's outputs, with their ranges
                if i == shape.bundles[box][0]:
                    scene.nodes.append(_bundle(shape, box, style))
                    scene.edges.append(Edge(f"n{box}", f"b{box}"))
                continue
            scene.edges.append(Edge(f"n{box}", f"v{i}"))
        elif shape.hidden[i]:
            continue
        elif v.parents:
            _add_gate(scene, shape, i, style)
        else:
            scene.inputs.append(f"v{i}")
        name = "" if isinstance(v, Constant) else v.label
        grad = format_number(v.grad, num) if style.grads else None
        scene.nodes.append(Wire(f"v{i}", name, format_number(v.data, num), grad))
    wires = scene.wires()
    for step, wire in enumerate(reversed(wires)):
        wire.step = step  # the backward pass meets the wires right to left
    scene.write_texts = lambda: _annotate(scene, shape, style)
    return scene


def _bundle(shape: Shape, box: int, style: Style) -> Wire:
    """The wire standing for all outputs of a wide box: how many, and the range of values and gradients."""
    outs = [shape.order[i] for i in shape.bundles[box]]

    def span(numbers: list[float]) -> str:
        return f"{format_number(min(numbers), style.precision)} … {format_number(max(numbers), style.precision)}"

    grads = span([v.grad for v in outs])
    return Wire(f"b{box}", f"{len(outs)} outputs", span([v.data for v in outs]), grads if style.grads else None,
                explain=f"{len(outs)} outputs of {shape.groups[box]}: gradients {grads}")  # fmt: skip


def _add_gate(scene: Scene, shape: Shape, i: int, style: Style) -> None:
    """The gate that computes node ``i``, with an edge from each drawn operand and one to its wire."""
    v = shape.order[i]
    if shape.is_sum(i):
        operands = shape.sum_operands(i)
        glyph = "Σ"
    else:
        operands = [(i, pos, p) for pos, p in enumerate(shape.parents[i])]
        glyph = gate_glyph(v)
    constant = 0.0
    bundles_read: set[str] = set()
    for node, pos, p in operands:
        if pos in shape.folded[node]:
            constant += shape.order[node].parents[pos].data
            if glyph != "Σ":
                glyph = folded_glyph(glyph, constant)  # a - 1 draws -1, a / 3 draws /3
            continue
        if p == ELIDED and not any(n.id == "elided" for n in scene.nodes):
            scene.nodes.insert(0, Gate("elided", "…", "elided"))
        label = format_number(shape.order[node].local_grads[pos], style.precision) if style.show_local else ""
        source = shape.wire_id(p)
        if source.startswith("b") and source in bundles_read:
            continue  # a bundle feeds a gate once, however many of its outputs the gate reads
        bundles_read.add(source)
        scene.edges.append(Edge(source, f"g{i}", label))
    if glyph == "Σ" and constant:
        glyph += f"{constant:+g}"
    scene.nodes.append(Gate(f"g{i}", glyph))
    scene.edges.append(Edge(f"g{i}", f"v{i}"))


def _box_detail(shape: Shape, box: int, output: int) -> str:
    """A box's second line: its activation (or neuron count) and the parameters it holds."""
    params, neurons, op = shape.group_params[box], shape.group_neurons[box], shape.order[output].operation
    if neurons > 1:
        first = f"{neurons} neurons"
    else:  # a neuron ends in its activation; a linear one ends in the + of its bias
        first = "linear" if op is None or op.symbol in ("+", "*") else op.glyph
    return f"{first} · {params} param{'' if params == 1 else 's'}"


def _annotate(scene: Scene, shape: Shape, style: Style) -> None:
    """Hover texts, step captions, and the red share on each branch of a value used several times
    (up to BRANCH_SHARES_UP_TO branches: an input read by a whole layer keeps them in its hover texts)."""
    why = Explainer(
        shape, style.precision, {n.id: n.glyph for n in scene.nodes if isinstance(n, Gate) and n.kind == "gate"}
    )
    why.names.unique([int(n.id[1:]) for n in scene.nodes if n.id[:1] in ("v", "g") and n.id[1:].isdigit()])
    for node in scene.nodes:
        if isinstance(node, Wire) and node.id.startswith("v"):
            i = int(node.id[1:])
            node.explain, node.forward = why.caption(i), why.forward(i)
            node.backward = why.slide(i) if style.grads else ""
            node.title = why.wire(i) if style.grads else f"{why.names[i]} = {node.value}"
        elif isinstance(node, Wire):  # a bundle of a wide layer's outputs
            node.title = node.explain
        elif node.kind == "gate":
            node.title = why.gate_title(int(node.id[1:]), node.glyph, style.grads)
        else:
            node.title = " · ".join(text for text in (node.glyph, node.detail) if text)
    titles = {node.id: node.title for node in scene.nodes}
    steps = {wire.id: wire.step for wire in scene.wires()}
    fans_out = Counter(edge.tail for edge in scene.edges)
    for edge, uses in zip(scene.edges, why.arrows([(e.tail, e.head) for e in scene.edges]), strict=True):
        if not uses:  # an arrow into a wire belongs to that wire; out of a box, to the box
            edge.title = titles.get(edge.head if edge.head in steps else edge.tail, "")
            continue
        i = int(edge.tail[1:])
        if not style.grads:
            edge.title = f"{why.names[i]} → {why.via(uses[0][0])}"
            continue
        edge.title, share = why.branch(i, uses)
        if 1 < fans_out[edge.tail] <= BRANCH_SHARES_UP_TO:
            edge.grad, edge.step = format_number(share, style.precision), steps[edge.tail]
