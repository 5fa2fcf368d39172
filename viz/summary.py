"""The drawing for a graph too large to lay out: its facts, and the nodes nearest the output.

No layout program can place a million nodes in seconds (a 10,000-value
graph already takes a minute), and no one could read it. Instead we walk
the graph once (iteratively) and report what it holds — how many values,
which operations, how deep, the range of values and gradients — above a
full-detail drawing of the last few nodes before the output, whose other
inputs show as "…".

>>> from autograd import Value
>>> x = Value(1.0, label="x")
>>> y = x
>>> for _ in range(50):
...     y = y * 1.01
>>> scene = summarize(y, Style(grads=False), limit=20)
>>> scene.mode, dict(scene.table)["depth"]
('summary', '50 operations from the farthest input to the output')
"""

from __future__ import annotations

import math
from collections import Counter

from autograd import Constant, Value, ops

from .scene import Scene, Style, analyze, build, format_number
from .structure import operands, topological_order

__all__ = ["NEIGHBOURHOOD", "summarize"]

NEIGHBOURHOOD = 12  # nodes nearest the output drawn in full in a summary


def summarize(root: Value, style: Style, limit: int) -> Scene:
    """A summary scene for ``root``'s graph, which has more than ``limit`` values.

    >>> from autograd import Value
    >>> summarize(Value(2.0) * 3, Style(), limit=1).table[0]
    ('values', '3')
    """
    order = topological_order(root)
    counts: Counter[str] = Counter()
    depth: dict[Value, int] = {}
    leaves = constants = 0
    for v in order:
        if v.parents:
            try:
                counts[ops.lookup(v.op).symbol] += 1  # "**2" and "**3" count as "**"
            except KeyError:
                counts[v.op] += 1  # a gate of your own (autograd.gate): ops knows only the built-ins
            depth[v] = 1 + max(depth[p] for p in operands(v))
        else:
            depth[v] = 0
            constants += isinstance(v, Constant)
            leaves += not isinstance(v, Constant)
    near = _neighbourhood(root)
    scene = build(analyze([v for v in order if v in near]), style, mode="summary")
    scene.values = len(order)
    scene.note = (
        f"summary: {len(order):,} values are too many to lay out (the limit is {limit:,}); "
        f"below, the {len(near)} nearest the output, with other inputs shown as …"
    )
    operations = " · ".join(f"{symbol} {n:,}" for symbol, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    scene.table = [
        ("values", f"{len(order):,}"),
        ("operations", operations or "none"),
        ("inputs", f"{_count(leaves, 'value')} and {_count(constants, 'constant')}"),
        ("depth", f"{depth[root]:,} operations from the farthest input to the output"),
        ("values range", _range([v.data for v in order], style.precision)),
    ]
    if style.grads:
        scene.table.append(("gradients range", _range([v.grad for v in order], style.precision)))
    return scene


def _neighbourhood(root: Value) -> set[Value]:
    """The first NEIGHBOURHOOD nodes met walking back from the output, breadth first."""
    near = {root}
    frontier = [root]
    while frontier and len(near) < NEIGHBOURHOOD:
        parents = [p for v in frontier for p in operands(v)]
        frontier = []
        for p in parents:
            if p not in near and len(near) < NEIGHBOURHOOD:
                near.add(p)
                frontier.append(p)
    return near


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _range(numbers: list[float], precision: int) -> str:
    finite = [x for x in numbers if math.isfinite(x)]
    text = f"{format_number(min(finite), precision)} … {format_number(max(finite), precision)}" if finite else "none"
    odd = len(numbers) - len(finite)
    return text + (f" ({odd:,} inf or nan)" if odd else "")
