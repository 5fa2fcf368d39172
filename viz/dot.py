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
from .scene import Gate, Scene, Wire

if TYPE_CHECKING:
    import graphviz

__all__ = ["GRAD_COLOR", "VALUE_COLOR", "new_digraph", "to_dot"]

VALUE_COLOR = "#008000"  # the lecture's green: forward values, above the wire
GRAD_COLOR = "#c00000"  # a dark red: gradients, below the wire
LOCAL_COLOR = "#707070"  # local derivatives on edges (show_local)
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


def to_dot(scene: Scene) -> str:
    """The DOT text for a scene, with a graph id derived from its content.

    >>> from .scene import Scene
    >>> to_dot(Scene("full", 0)).splitlines()[0]
    'digraph graphgrad {'
    """
    boxes = {n.id for n in scene.nodes if isinstance(n, Gate) and n.kind == "box"}
    straight = len(scene.nodes) <= STRAIGHT_LINES_UP_TO and not boxes  # a straight line would cross boxes
    graph = new_digraph(
        "graphgrad",
        graph_attr={
            "rankdir": "LR",
            "ordering": "in",
            "splines": "line" if straight else "true",
            "nodesep": "0.15",
            "ranksep": "0.8" if boxes else "0.3",  # room for the fan of arrows into each box
            "fontname": FONT,
        },
        node_attr={"fontname": FONT, "fontsize": "12"},
        edge_attr={
            "arrowsize": "0.5",
            "fontname": FONT,
            "fontsize": "9",
            "fontcolor": LOCAL_COLOR,
            "labeldistance": "1.8",
        },
    )
    if scene.note or scene.table:
        graph.attr("graph", label=_note_label(scene), labelloc="t", labeljust="l", fontsize="11")
    for node in scene.nodes:
        if isinstance(node, Wire):
            graph.node(node.id, _wire_label(node), shape="plain", **{"class": f"wire s{node.step}"})
        else:
            graph.node(node.id, **_gate_attrs(node))
    if 1 < len(scene.inputs) <= STACK_INPUTS_UP_TO:
        with graph.subgraph(name="inputs") as column:  # the lecture stacks every input at the left
            column.attr(rank="min")
            for wire_id in scene.inputs:
                column.node(wire_id)
    wires = {n.id for n in scene.nodes if isinstance(n, Wire)}
    for edge in scene.edges:
        tail = f"{edge.tail}:v:se" if edge.tail in wires else f"{edge.tail}:e" if edge.tail in boxes else edge.tail
        head = f"{edge.head}:v:sw" if edge.head in wires else f"{edge.head}:w" if edge.head in boxes else edge.head
        # "× local" at the arrow head: upstream (the gate's output gradient) × this = the operand's share.
        graph.edge(tail, head, headlabel=f"×{edge.label}" if edge.label else None)
    if scene.positions:  # placed by viz.layout or a view of its own: Graphviz only draws (nop2), arrows straight
        graph.attr("graph", layout="nop2", splines="line")
        for node_id, (x, y) in scene.positions.items():
            graph.node(node_id, pos=f"{x:g},{y:g}")
    graph_id = "gg" + hashlib.sha256(graph.source.encode("utf-8")).hexdigest()[:10]
    graph.attr("graph", id=graph_id)
    return graph.source


def _text(s: str) -> str:
    """Text for an HTML-like label: <, &, quotes escaped; line breaks become spaces."""
    return html.escape(" ".join(s.split("\n")), quote=True)


def _wire_label(wire: Wire) -> str:
    value = f'<FONT COLOR="{VALUE_COLOR}">{_text(wire.value)}</FONT>'
    grad = f'<FONT COLOR="{GRAD_COLOR}">{_text(wire.grad)}</FONT>' if wire.grad is not None else ""
    if wire.grid:  # a matrix (viz.vectors): its numbers as a grid above the wire, its gradient's below
        value, grad = matrix_label(wire.grid, VALUE_COLOR), matrix_label(wire.grad_grid, GRAD_COLOR) if grad else ""
    name_cell = f'<TD ALIGN="RIGHT" VALIGN="BOTTOM">{_text(wire.name)}&#160;</TD>' if wire.name else ""
    empty_cell = "<TD></TD>" if wire.name else ""
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
        return {"label": gate.glyph, "shape": "plain", "fontcolor": NOTE_COLOR}
    # Fixed-size circles: a longer glyph gets a smaller font, not a bigger circle.
    size = {1: 14, 2: 13, 3: 11, 4: 10}.get(len(gate.glyph), 8)
    width = "0.42" if len(gate.glyph) <= 4 else "0.5"
    return {"label": gate.glyph, "shape": "circle", "fixedsize": "true", "width": width, "fontsize": str(size)}


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
