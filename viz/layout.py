"""Laying out a large drawing ourselves: columns left to right, in time linear in its size.

Graphviz's ``dot`` draws the lecture-sized graphs best, but its time grows
much faster than the graph and depends on its shape, not only its size
(graphviz-pure on this project's 2-core machine, default attributes):
random expression graphs of 157, 279, 393 and 557 drawn nodes took 0.08,
0.4, 1.7 and 4.7 s, and one of 1,107 nodes did not finish in 100 s; the
loss of an MLP 2-16-16-1 over 5 points (6,787 nodes) took 10 s, over 10
points (13,237) more than 120 s. Its phases: crossing minimisation and the
network simplex that straightens the edges, then spline routing.
Bounding them (``nslimit=1 nslimit1=1 mclimit=0.01 splines=false``) brought
the 557-node random graph to 1.6 s but the 5-point loss only to 6.1 s —
still too slow to promise anything at 5,000 values. Given the positions,
the same program only draws (``layout=nop2``, straight arrows): the
13,237-node loss in 2.5 s.

So above ``DOT_NODES`` nodes or ``DOT_EDGES`` arrows we place every node
here, with the classic layered recipe (Sugiyama, Tagawa and Toda, 1981), in
a few passes that each cost time proportional to the nodes and arrows:

1. columns: every node one column left of its first use (the output is
   rightmost, an input sits just before the gate that reads it);
2. order within each column: depth first from the output through the
   operands in the order written (a tree comes out with no crossings),
   then barycenter sweeps; an arrow spanning several columns passes through
   a placeholder in each, so it takes part in the ordering too;
3. heights: each node pulled toward the mean height of its neighbours in
   the column before (then after), keeping the order and the spacing —
   an isotonic regression, solved by pooling adjacent violators.

>>> from autograd import Value
>>> from .scene import Style, analyze, build, topological_order
>>> x = Value(1.0, label="x")
>>> scene = build(analyze(topological_order((x * 2).exp())), Style())
>>> at = place(scene)
>>> [n.id for n in scene.nodes]
['v0', 'g2', 'v2', 'g3', 'v3']
>>> at["v0"][0] < at["g2"][0] < at["v2"][0] < at["g3"][0] < at["v3"][0], at["v0"][1] == at["v3"][1]
(True, True)
"""

from __future__ import annotations

import math

from .scene import Gate, Scene, Wire

__all__ = ["DOT_EDGES", "DOT_NODES", "needs_own_layout", "node_size", "place", "text_width"]

DOT_NODES = 400  # up to here dot takes under 2 s on any graph we tried (393 random nodes: 1.7 s)
DOT_EDGES = 600
COLUMN_GAP = 22.0  # points between columns (dot's ranksep=0.3 in)
ROW_GAP = 11.0  # points between nodes of a column (nodesep=0.15 in)
MIN_WRAP, WRAP_ASPECT = 1_000.0, 1.0  # points: no column taller than the drawing is wide (roughly)
SWEEPS = 4  # ordering and height passes, alternating direction
BENDS_PER_NODE = 4  # placeholders for long arrows, at most this many per drawn node in all
WIRE_WIDTH, WIRE_HEIGHT = 40.0, 34.8  # points, as Graphviz sizes the wire's table at 12 pt
GATE_SIZE = 30.2  # the 0.42 in circle

# Helvetica's advance widths (thousandths of the font size), as graphviz-pure measures them;
# every other ASCII letter and digit is 556, and a character outside ASCII is taken as 600.
_NARROW = dict.fromkeys(" \u00a0!,./:;I[\\]ft", 278) | dict.fromkeys("ijl", 222) | {"|": 260, "'": 191, '"': 355}
_WIDTHS = (
    _NARROW
    | dict.fromkeys("()-`r", 333)
    | dict.fromkeys("{}", 334)
    | dict.fromkeys("*", 389)
    | dict.fromkeys("^", 469)
    | dict.fromkeys("Jckstvxyz", 500)
    | dict.fromkeys("+<=>~", 584)
    | dict.fromkeys("FTZ", 611)
    | dict.fromkeys("ABEKPSVXY&", 667)
    | dict.fromkeys("CDHNRUw", 722)
    | dict.fromkeys("GOQ", 778)
    | dict.fromkeys("Mm", 833)
    | dict.fromkeys("%", 889)
    | {"W": 944, "@": 1015}
)


def text_width(text: str, size: float) -> float:
    """The width in points of ``text`` in Helvetica at ``size`` points.

    >>> text_width("L1.N1.w0", 12)
    50.688
    """
    return sum(_WIDTHS.get(c, 556 if c.isascii() else 600) for c in text) * size / 1000


def node_size(node: Wire | Gate) -> tuple[float, float]:
    """A node's width and height in points, as Graphviz will draw it (a little generous).

    >>> node_size(Wire("v0", "x", "2.00", "-4.00")), node_size(Gate("g1", "+"))
    ((53.3, 34.8), (30.2, 30.2))
    """
    if isinstance(node, Wire):
        numbers = max(text_width(node.value, 12), text_width(node.grad or "", 12))
        name = text_width(node.name + "\u00a0", 12) if node.name else 0.0
        return round(name + max(WIRE_WIDTH, numbers) + 4, 1), WIRE_HEIGHT
    if node.kind in ("box", "stack"):
        width = max(text_width(node.glyph, 12), text_width(node.detail, 9)) + (12 if node.kind == "box" else 20)
        height = 36.0 if node.kind == "box" else 44.0
        if node.cells:  # a heat-map of squares of 8 pt, 1 pt apart, under the two lines
            width = max(width, 9.0 * max(len(row) for row in node.cells) + 20)
            height += 9.0 * len(node.cells) + 8
        return round(max(54.0, width), 1), round(height, 1)
    if node.kind == "elided":
        return 14.0, 20.0
    return (GATE_SIZE, GATE_SIZE) if len(node.glyph) <= 4 else (36.0, 36.0)


def needs_own_layout(scene: Scene) -> bool:
    """Whether the scene is too large for ``dot`` to lay out in bounded time (see the module docstring).

    >>> needs_own_layout(Scene("full", 0))
    False
    """
    return len(scene.nodes) > DOT_NODES or len(scene.edges) > DOT_EDGES


def place(scene: Scene) -> dict[str, tuple[float, float]]:
    """The centre of every node, in points, Graphviz's way up (y grows upwards), columns left to right."""
    n = len(scene.nodes)
    index = {node.id: i for i, node in enumerate(scene.nodes)}
    arrows = [(index[e.tail], index[e.head]) for e in scene.edges if e.tail in index and e.head in index]
    column = _columns(n, arrows)
    up, down, column = _with_bends(n, arrows, column)  # placeholders get indices n, n + 1, …
    sizes = [node_size(node) for node in scene.nodes] + [(0.0, 0.0)] * (len(column) - n)
    columns = _wrap(_order(up, down, column), sizes)
    x = _column_x(columns, sizes)
    y = _heights(columns, up, down, sizes)
    return {node.id: (round(x[i], 1), round(-y[i], 1)) for i, node in enumerate(scene.nodes)}


def _columns(n: int, arrows: list[tuple[int, int]]) -> list[int]:
    """Each node's column: one left of its first use; a node nothing uses is as far right as its operands allow."""
    succ: list[list[int]] = [[] for _ in range(n)]
    indegree = [0] * n
    for t, h in arrows:
        succ[t].append(h)
        indegree[h] += 1
    order = [i for i in range(n) if indegree[i] == 0]  # Kahn's topological order (scene order may differ)
    for i in order:
        for h in succ[i]:
            indegree[h] -= 1
            if indegree[h] == 0:
                order.append(h)
    column = [0] * n
    for i in order:  # as early as possible: one right of the farthest operand
        for h in succ[i]:
            column[h] = max(column[h], column[i] + 1)
    for i in reversed(order):  # then as late as possible: just before the first use
        if succ[i]:
            column[i] = min(column[h] for h in succ[i]) - 1
    low = min(column, default=0)
    return [c - low for c in column]


def _with_bends(
    n: int, arrows: list[tuple[int, int]], column: list[int]
) -> tuple[list[list[int]], list[list[int]], list[int]]:
    """Neighbours in the adjacent columns; an arrow across several columns gets a placeholder in each
    (shortest arrows first, while the budget lasts; the rest take no part in the ordering)."""
    up: list[list[int]] = [[] for _ in range(n)]
    down: list[list[int]] = [[] for _ in range(n)]
    column = list(column)
    budget, skipped = BENDS_PER_NODE * n, set()
    for k in sorted(range(len(arrows)), key=lambda k: column[arrows[k][1]] - column[arrows[k][0]]):
        bends = column[arrows[k][1]] - column[arrows[k][0]] - 1
        if bends > budget:
            skipped.add(k)
        else:
            budget -= bends
    for k, (t, h) in enumerate(arrows):  # in the order written, so operands keep their order
        if k in skipped:
            continue
        previous = t
        for c in range(column[t] + 1, column[h]):
            bend = len(column)
            column.append(c)
            up.append([previous])
            down.append([])
            down[previous].append(bend)
            previous = bend
        down[previous].append(h)
        up[h].append(previous)
    return up, down, column


def _order(up: list[list[int]], down: list[list[int]], column: list[int]) -> list[list[int]]:
    """The nodes of each column, top to bottom: depth first from the outputs, then barycenter sweeps."""
    width = max(column, default=-1) + 1
    columns: list[list[int]] = [[] for _ in range(width)]
    seen = [False] * len(column)
    outputs = sorted((i for i in range(len(column)) if not down[i]), key=lambda i: (-column[i], i))
    for start in outputs:  # operands in the order written, top to bottom: a tree has no crossings
        stack = [start]
        while stack:
            i = stack.pop()
            if seen[i]:
                continue
            seen[i] = True
            columns[column[i]].append(i)
            stack.extend(p for p in reversed(up[i]) if not seen[p])
    position = [0.0] * len(column)
    for nodes in columns:
        for k, i in enumerate(nodes):
            position[i] = k
    for sweep in range(SWEEPS):
        forward = sweep % 2 == 0
        sequence = columns[1:] if forward else columns[-2::-1]
        for nodes in sequence:
            for i in nodes:
                neighbours = up[i] if forward else down[i]
                if neighbours:
                    position[i] = sum(position[j] for j in neighbours) / len(neighbours)
            nodes.sort(key=lambda i: position[i])
            for k, i in enumerate(nodes):
                position[i] = k
    return columns


def _wrap(columns: list[list[int]], sizes: list[tuple[float, float]]) -> list[list[int]]:
    """Columns far taller than the drawing would otherwise be wide, folded into several side by side.

    A wide, shallow graph (a loss over many samples: thousands of products in one column) would
    otherwise come out a strip a hundred times taller than wide.

    >>> [len(c) for c in _wrap([[0], list(range(1, 101))], [(30.0, 30.0)] * 101)]
    [1, 20, 20, 20, 20, 20]
    """
    area = sum(w * (h + ROW_GAP) for w, h in sizes)
    tallest = max(MIN_WRAP, WRAP_ASPECT * math.sqrt(area))
    out: list[list[int]] = []
    for nodes in columns:
        height = sum(sizes[i][1] + (ROW_GAP if sizes[i][1] else 1.0) for i in nodes)
        parts = math.ceil(height / tallest)
        step = math.ceil(len(nodes) / parts) if parts > 1 else len(nodes) or 1
        out.extend(nodes[k : k + step] for k in range(0, len(nodes), step))
    return out


def _column_x(columns: list[list[int]], sizes: list[tuple[float, float]]) -> list[float]:
    """The centre x of each node: columns as wide as their widest node, COLUMN_GAP apart."""
    x, left = [0.0] * len(sizes), 0.0
    for nodes in columns:
        width = max((sizes[i][0] for i in nodes), default=0.0)
        for i in nodes:
            x[i] = left + width / 2
        left += width + COLUMN_GAP
    return x


def _heights(
    columns: list[list[int]], up: list[list[int]], down: list[list[int]], sizes: list[tuple[float, float]]
) -> list[float]:
    """Each node's centre height (downwards): stacked, then pulled toward its neighbours, order kept."""
    y = [0.0] * len(sizes)
    for nodes in columns:
        top = 0.0
        for i in nodes:
            y[i] = top + sizes[i][1] / 2
            top += sizes[i][1] + ROW_GAP
    for sweep in range(SWEEPS):
        forward = sweep % 2 == 0
        for nodes in columns[1:] if forward else columns[-2::-1]:
            wanted = []
            for i in nodes:
                neighbours = up[i] if forward else down[i]
                wanted.append(sum(y[j] for j in neighbours) / len(neighbours) if neighbours else y[i])
            for i, value in zip(nodes, _spaced(wanted, [sizes[i][1] for i in nodes]), strict=True):
                y[i] = value
    return y


def _spaced(wanted: list[float], heights: list[float]) -> list[float]:
    """Heights as close as possible (least squares) to ``wanted`` that keep the order and the spacing.

    With offsets c (the least distance from the first centre to each one), the nodes keep their
    spacing exactly when y − c never decreases: an isotonic regression of wanted − c.

    >>> _spaced([0.0, 0.0, 30.0], [10.0, 10.0, 10.0])
    [-11.0, 10.0, 31.0]
    """
    offsets, total = [], 0.0
    for k, h in enumerate(heights):
        if k:
            # A placeholder (height 0) needs only half the gap on each side: real nodes stay ROW_GAP apart.
            total += (heights[k - 1] + h) / 2 + (
                ROW_GAP if h and heights[k - 1] else ROW_GAP / 2 if h or heights[k - 1] else 1.0
            )
        offsets.append(total)
    blocks: list[list[float]] = []  # [mean, count] of pooled runs, non-decreasing
    for w, c in zip(wanted, offsets, strict=True):
        blocks.append([w - c, 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean, count = blocks.pop()
            blocks[-1][0] = (blocks[-1][0] * blocks[-1][1] + mean * count) / (blocks[-1][1] + count)
            blocks[-1][1] += count
    flat = [mean for mean, count in blocks for _ in range(int(count))]
    return [q + c for q, c in zip(flat, offsets, strict=True)]
