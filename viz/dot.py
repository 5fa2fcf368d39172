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

from .scene import Gate, Scene, Wire

if TYPE_CHECKING:
    import graphviz

__all__ = ["GRAD_COLOR", "VALUE_COLOR", "label_text", "new_digraph", "to_dot", "visible_text"]

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
    graph_id = "gg" + hashlib.sha256(graph.source.encode("utf-8")).hexdigest()[:10]
    graph.attr("graph", id=graph_id)
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


def _wire_label(wire: Wire) -> str:
    value = f'<FONT COLOR="{VALUE_COLOR}">{_text(wire.value)}</FONT>'
    grad = f'<FONT COLOR="{GRAD_COLOR}">{_text(wire.grad)}</FONT>' if wire.grad is not None else ""
    name_cell = f'<TD ALIGN="RIGHT" VALIGN="BOTTOM">{_text(wire.name)}&#160;</TD>' if wire.name else ""
    empty_cell = "<TD></TD>" if wire.name else ""
    return (
        '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
        f'<TR>{name_cell}<TD PORT="v" SIDES="B" BORDER="1" ALIGN="LEFT" WIDTH="{WIRE_WIDTH}">{value}</TD></TR>'
        f'<TR>{empty_cell}<TD ALIGN="LEFT">{grad}</TD></TR>'
        "</TABLE>>"
    )


def _gate_attrs(gate: Gate) -> dict[str, str]:
    if gate.kind == "box":  # a neuron or a layer: its scope name over what it holds
        label = f'<{_text(gate.glyph)}<BR/><FONT POINT-SIZE="9">{_text(gate.detail)}</FONT>>'
        return {"label": label, "shape": "box", "style": "rounded", "margin": "0.08,0.04"}
    if gate.kind == "elided":
        return {"label": _text(gate.glyph), "shape": "plain", "fontcolor": NOTE_COLOR}
    # Fixed-size circles: a longer glyph gets a smaller font, not a bigger circle.
    size = {1: 14, 2: 13, 3: 11, 4: 10}.get(len(gate.glyph), 8)
    width = "0.42" if len(gate.glyph) <= 4 else "0.5"
    return {"label": _text(gate.glyph), "shape": "circle", "fixedsize": "true", "width": width, "fontsize": str(size)}


def _note_label(scene: Scene) -> str:
    rows = [f'<TR><TD ALIGN="LEFT" COLSPAN="2"><FONT COLOR="{NOTE_COLOR}">{_text(scene.note)}</FONT></TD></TR>']
    rows += [f'<TR><TD ALIGN="LEFT">{_text(k)}</TD><TD ALIGN="LEFT">{_text(v)}</TD></TR>' for k, v in scene.table]
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">{"".join(rows)}</TABLE>>'
