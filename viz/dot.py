"""Writing a scene as Graphviz DOT text, in the lecture's look.

Each wire is a borderless HTML-like table whose value cell has only a
bottom border: that border *is* the wire, with the value (green) above
it and the gradient (red) below. Arrows attach to the wire's ends
through the cell's corners (``v3:v:se`` leaves its right end, ``:sw``
enters its left end). Gates are fixed-size circles; ``ordering=in``
keeps operands in the order written. The ``graphviz`` package writes the
DOT and quotes attribute values; text inside HTML-like labels we escape
ourselves, so a label ``a<b & "c"`` is drawn literally.

Colours are hex, never names: "green" is #00ff00 in PNG but #008000 in SVG.
The graph id is a hash of the DOT text, so two drawings inlined in one
notebook page never share SVG ids, while the same graph always gets the
same id (byte-identical SVG across processes).

>>> from autograd import examples
>>> from .scene import Style, analyze, build, topological_order
>>> f, _ = examples.add_mul()
>>> text = to_dot(build(analyze(topological_order(f)), Style(grads=False)))
>>> 'v0:v:se -> g2' in text, VALUE_COLOR in text, GRAD_COLOR in text
(True, True, False)
"""

from __future__ import annotations

import hashlib
import html
from typing import TYPE_CHECKING, Any

from .grid import matrix_label
from .labels import Placement, text_width
from .scene import Edge, Gate, Scene, Wire

if TYPE_CHECKING:
    import graphviz

__all__ = ["GRAD_COLOR", "VALUE_COLOR", "edge_labels", "label_text", "new_digraph", "to_dot", "visible_text"]

VALUE_COLOR = "#008000"  # the lecture's green: forward values, above the wire
GRAD_COLOR = "#c00000"  # a dark red: gradients, below the wire
HIDDEN_COLOR = "#c0000000"  # the same red, fully transparent: a gradient not reached yet in a step frame
LOCAL_COLOR = "#707070"  # local derivatives on edges (show_local)
LOCAL_SIZE = 9  # points: the local derivative at an arrow head
BRANCH_SIZE = 10  # points: the red share on each branch of a value used several times
NOTE_COLOR = "#505050"
FONT = "Helvetica"  # graphviz-pure has Helvetica metrics built in; browsers pick Arial-like fonts
WIRE_WIDTH = 40  # points: long enough for "-12.00" at 12 pt
STACK_INPUTS_UP_TO = 40  # more leaves than this in one column make a drawing taller than it is useful
STRAIGHT_LINES_UP_TO = 400  # nodes; beyond, Graphviz's curves route around nodes better


def new_digraph(name: str, **attrs: Any) -> graphviz.Digraph:
    """A ``graphviz.Digraph`` (the package writes and quotes the DOT text).

    The package is imported here, at the first drawing, so ``import viz``
    works even where it is missing, and the error then says what to install.

    >>> new_digraph("g").source.splitlines()[0]
    'digraph g {'
    """
    try:
        import graphviz
    except ImportError:
        raise ImportError(
            "drawing needs the 'graphviz' Python package, a graphgrad dependency: pip install graphviz"
        ) from None
    return graphviz.Digraph(name, **attrs)


def to_dot(
    scene: Scene,
    placements: dict[int, Placement] | None = None,
    *,
    labels: bool = True,
    graph_id: str | None = None,
    reveal: int | None = None,
) -> str:
    """The DOT text for a scene, with a graph id derived from its content (or ``graph_id``).

    Every wire, gate and arrow carries its hover text (``tooltip``, made
    the SVG ``<title>`` by ``drawing.finish_svg``) and classes naming it:
    ``wire s3 v2`` (the wire of node 2, revealed at backward step 3),
    ``gate g4``, ``e5`` (the scene's sixth edge) and ``branch s3`` on an
    arrow that shows a red share. ``placements`` (from ``labels.place``)
    say where each arrow's labels go; ``labels=False`` leaves them out.
    ``reveal=k`` draws the gradients the backward pass reaches at step k
    or later transparent (a frame of ``viz.backward_steps``; nothing moves).

    >>> from .scene import Scene
    >>> to_dot(Scene("full", 0)).splitlines()[0]
    'digraph graphgrad {'
    """
    scene.texts()  # the hover texts, written now that this scene is the one drawn
    boxes = {n.id for n in scene.nodes if isinstance(n, Gate) and n.kind == "box"}
    straight = len(scene.nodes) <= STRAIGHT_LINES_UP_TO and not boxes  # a straight line would cross boxes
    graph = new_digraph(
        "graphgrad",
        graph_attr={
            "rankdir": "LR",
            "ordering": "in",
            "splines": "line" if straight else "true",
            "nodesep": "0.15",
            # Room for the fan of arrows into each box, and for the local derivatives at arrow heads.
            "ranksep": "0.8" if boxes else "0.55" if any(e.label for e in scene.edges) else "0.3",
            "fontname": FONT,
            "outputorder": "edgesfirst",  # arrows under the nodes; nodes in the SVG in the order written
        },
        node_attr={"fontname": FONT, "fontsize": "12"},
        edge_attr={
            "arrowsize": "0.5",
            "fontname": FONT,
            "fontsize": str(LOCAL_SIZE),
            "fontcolor": LOCAL_COLOR,
            "labeldistance": "1.8",
        },
    )
    if scene.note or scene.table:
        graph.attr("graph", label=_note_label(scene), labelloc="t", labeljust="l", fontsize="11")
    fed = {edge.head for edge in scene.edges}  # wires with an arrow coming in
    for node in scene.nodes:
        tip = _tooltip(node.title)
        if isinstance(node, Wire):
            label = _wire_label(node, node.id in fed, reveal is not None and node.step >= reveal)
            graph.node(node.id, label, shape="plain", tooltip=tip, **{"class": f"wire s{node.step} {node.id}"})
        else:
            graph.node(node.id, tooltip=tip, **_gate_attrs(node), **{"class": f"{node.kind} {node.id}"})
    if 1 < len(scene.inputs) <= STACK_INPUTS_UP_TO:
        with graph.subgraph(name="inputs") as column:  # the lecture stacks every input at the left
            column.attr(rank="min")
            for wire_id in scene.inputs:
                column.node(wire_id)
    wires = {n.id for n in scene.nodes if isinstance(n, Wire)}
    for k, edge in enumerate(scene.edges):
        tail = f"{edge.tail}:v:se" if edge.tail in wires else f"{edge.tail}:e" if edge.tail in boxes else edge.tail
        head = f"{edge.head}:v:sw" if edge.head in wires else f"{edge.head}:w" if edge.head in boxes else edge.head
        attrs = {"tooltip": _tooltip(edge.title), "class": f"e{k}"}
        if labels and (edge.label or edge.grad is not None):
            attrs["headlabel"] = _head_label(edge, reveal is not None and edge.step >= reveal)
        if edge.grad is not None:
            attrs["class"] += f" branch s{edge.step}"
        placement = (placements or {}).get(k)
        if placement is not None:
            attrs.update(labelangle=f"{placement.angle:g}", labeldistance=f"{placement.distance:g}")
        graph.edge(tail, head, **attrs)
    if scene.positions:  # placed by viz.layout or a view of its own: Graphviz only draws (nop2), arrows straight
        graph.attr("graph", layout="nop2", splines="line")
        for node_id, (x, y) in scene.positions.items():
            graph.node(node_id, pos=f"{x:g},{y:g}")
    graph.attr("graph", id=graph_id or "gg" + hashlib.sha256(graph.source.encode("utf-8")).hexdigest()[:10])
    return graph.source


def visible_text(text: str) -> str:
    r"""``text`` with each character Python cannot print written as ``repr`` writes it.

    Control characters, NUL, line breaks, tabs, lone surrogates and the
    like would otherwise vanish from a drawing or stop the renderer (XML
    forbids most of them); ``\t`` and ``\x00`` show what the label holds.

    >>> print(visible_text("a\tb\x00 \ud800 é"))
    a\tb\x00 \ud800 é
    """
    if text.isprintable():  # nearly every label: no loop
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def label_text(text: str, *, tooltip: bool = False) -> str:
    r"""``text`` for a DOT label (HTML-like or quoted) or tooltip, so that it is drawn exactly as written.

    What cannot be printed is made visible (``visible_text``); ``< > & " '``
    become entities, which Graphviz decodes in every label and tooltip; a
    backslash is doubled, or Graphviz would draw ``\N`` as the node's name
    and ``\G`` as the graph's (tooltips it expands twice: doubled twice).

    >>> print(label_text('a<b & "c" \\N'))
    a&lt;b &amp; &quot;c&quot; \\N
    """
    backslash = "\\\\\\\\" if tooltip else "\\\\"
    return html.escape(visible_text(text), quote=True).replace("\\", backslash)


_text = label_text  # the short name the label builders below use


def _head_label(edge: Edge, hidden: bool = False) -> str:
    """At the arrow head: "× local" (upstream, the gate's gradient, × this = the share), and below
    it in red the share itself on each branch of a value used several times."""
    rows = []
    if edge.label:
        rows.append(f"<TR><TD>×{_text(edge.label)}</TD></TR>")
    if edge.grad is not None:
        color = HIDDEN_COLOR if hidden else GRAD_COLOR
        rows.append(f'<TR><TD><FONT COLOR="{color}" POINT-SIZE="{BRANCH_SIZE}">{_text(edge.grad)}</FONT></TD></TR>')
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">{"".join(rows)}</TABLE>>'


def edge_labels(scene: Scene) -> dict[int, tuple[float, float]]:
    """The size (width, height in points) of each arrow's head label, by edge index, for ``labels.place``."""
    sizes = {}
    for k, edge in enumerate(scene.edges):
        rows = ([(f"×{edge.label}", LOCAL_SIZE)] if edge.label else []) + (
            [(edge.grad, BRANCH_SIZE)] if edge.grad is not None else []
        )
        if rows:
            sizes[k] = (max(text_width(text, size) for text, size in rows), sum(1.2 * size for _, size in rows))
    return sizes


def _tooltip(text: str) -> str:
    """Hover text for a tooltip attribute: each line as ``label_text`` writes a tooltip, its line breaks kept."""
    return "\n".join(label_text(line, tooltip=True) for line in text.split("\n"))


def _wire_label(wire: Wire, fed: bool = False, hidden: bool = False) -> str:
    """The wire: name at its left, value above, gradient below (``hidden``: drawn transparent).
    A wire with an arrow coming in (``fed``) has its name on the wire, after the arrow's end,
    so that the arrow never crosses it."""
    value = f'<FONT COLOR="{VALUE_COLOR}">{_text(wire.value)}</FONT>'
    color = HIDDEN_COLOR if hidden else GRAD_COLOR
    grad = f'<FONT COLOR="{color}">{_text(wire.grad)}</FONT>' if wire.grad is not None else ""
    if wire.grid:  # a matrix (viz.vectors): its numbers as a grid above the wire, its gradient's below
        value, grad = matrix_label(wire.grid, VALUE_COLOR), matrix_label(wire.grad_grid, color) if grad else ""
        fed = False  # a cell holds text or a table, not both: the name stays beside the grid
    if wire.name and fed:
        value = f"{_text(wire.name)}&#160;&#160;{value}"
    beside = wire.name and not fed
    name_cell = f'<TD ALIGN="RIGHT" VALIGN="BOTTOM">{_text(wire.name)}&#160;</TD>' if beside else ""
    empty_cell = "<TD></TD>" if beside else ""
    return (
        '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
        f'<TR>{name_cell}<TD PORT="v" SIDES="B" BORDER="1" ALIGN="LEFT" WIDTH="{WIRE_WIDTH}">{value}</TD></TR>'
        f'<TR>{empty_cell}<TD ALIGN="LEFT">{grad}</TD></TR>'
        "</TABLE>>"
    )


def _gate_attrs(gate: Gate) -> dict[str, str]:
    if gate.kind in ("box", "stack"):  # a neuron or a layer: its scope name over what it holds
        label = f'<{_text(gate.glyph)}<BR/><FONT POINT-SIZE="9">{_text(gate.detail)}</FONT>>'
        label = _heat_map(gate) if gate.cells else label
        # A stack is one box for several passes (a layer run once per sample): a double outline, and
        # no ports, so that arrows meet its border from above as well as from the side.
        more = {"peripheries": "2"} if gate.kind == "stack" else {}
        return {"label": label, "shape": "box", "style": "rounded", "margin": "0.08,0.04", **more}
    if gate.kind == "elided":
        return {"label": _text(gate.glyph), "shape": "plain", "fontcolor": NOTE_COLOR}
    # Fixed-size circles: a longer glyph gets a smaller font, not a bigger circle.
    size = {1: 14, 2: 13, 3: 11, 4: 10}.get(len(gate.glyph), 8)
    width = "0.42" if len(gate.glyph) <= 4 else "0.5"
    return {"label": _text(gate.glyph), "shape": "circle", "fixedsize": "true", "width": width, "fontsize": str(size)}


def _note_label(scene: Scene) -> str:
    rows = [f'<TR><TD ALIGN="LEFT" COLSPAN="2"><FONT COLOR="{NOTE_COLOR}">{_text(scene.note)}</FONT></TD></TR>']
    rows += [f'<TR><TD ALIGN="LEFT">{_text(k)}</TD><TD ALIGN="LEFT">{_text(v)}</TD></TR>' for k, v in scene.table]
    rows += _bar_rows(scene.bars)
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">{"".join(rows)}</TABLE>>'


BAR_LENGTH = 160  # points: the longest gradient bar of a summary


def _bar_rows(bars: list[tuple[str, float, str]]) -> list[str]:
    """The summary's gradient bars, one row each: what, a red bar (log scale), the mean |gradient|."""
    if not bars:
        return []
    rows = [f'<TR><TD ALIGN="LEFT" COLSPAN="2"><FONT COLOR="{NOTE_COLOR}">mean |gradient|, log scale:</FONT></TD></TR>']
    for what, length, number in bars:
        bar = f'<TD BGCOLOR="{GRAD_COLOR}" WIDTH="{max(1, round(length * BAR_LENGTH))}" HEIGHT="9"></TD>'
        rest = f'<TD WIDTH="{max(1, BAR_LENGTH - round(length * BAR_LENGTH))}"></TD>'
        cells = f'<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>{bar}{rest}<TD>&#160;{_text(number)}</TD>'
        cells += "</TR></TABLE>"
        rows.append(f'<TR><TD ALIGN="LEFT">{_text(what)}</TD><TD ALIGN="LEFT">{cells}</TD></TR>')
    return rows


HEAT_CELL = 8  # points: one square of a box's heat-map


def _heat_map(gate: Gate) -> str:
    """A box with a heat-map under its two lines: one small square per cell, its colour and hover text."""
    rows = []
    for row in gate.cells:
        cells = "".join(
            f'<TD BGCOLOR="{color or "#ffffff"}" WIDTH="{HEAT_CELL}" HEIGHT="{HEAT_CELL}" FIXEDSIZE="TRUE"'
            + (f' TOOLTIP="{_text(tip)}"' if tip else "")
            + "></TD>"
            for color, tip in row
        )
        rows.append(f"<TR>{cells}</TR>")
    # A fixed size keeps the grid its own size: a table in a wider cell would be stretched to fill it.
    width, height = (HEAT_CELL + 1) * max(len(row) for row in gate.cells) + 1, (HEAT_CELL + 1) * len(gate.cells) + 1
    grid = (
        f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="0" BGCOLOR="#e8e8e8" FIXEDSIZE="TRUE" '
        f'WIDTH="{width}" HEIGHT="{height}">{"".join(rows)}</TABLE>'
    )
    text = f'{_text(gate.glyph)}<BR/><FONT POINT-SIZE="9">{_text(gate.detail)}</FONT>'
    rows_ = f"<TR><TD>{text}</TD></TR><TR><TD>{grid}</TD></TR>"
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2">{rows_}</TABLE>>'
