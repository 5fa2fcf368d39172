"""The drawing for a graph too large to lay out: its facts, its gradients by layer, the nodes nearest the output.

No layout program places a million nodes in seconds, and no one could
read them. Instead we walk the graph once (iteratively) and report what
it holds — how many values, which operations, how deep, the range of
values and of gradients — and how large the gradients are layer by
layer, as bars on a log scale: a gradient that vanishes (or explodes) on
its way back to the inputs shows as bars shrinking (or growing) by orders
of magnitude. A graph built by ``nn`` has layers (``autograd.scope``); any
other graph is cut by depth into bands instead. Below that, a
full-detail drawing of the few nodes nearest the output, their other
inputs shown as "…".

Gradient ranges and bars count parameters and intermediate values, never
constants: the 2 in ``2 * x`` has a gradient too, but nothing uses it.

>>> from autograd import Value
>>> x = Value(1.0, label="x")
>>> y = x
>>> for _ in range(50):
...     y = y * 1.01
>>> scene = summarize(y, Style(grads=False))
>>> scene.mode, dict(scene.table)["depth"]
('summary', '50 operations from the farthest input to the output')
"""

from __future__ import annotations

import math
from collections import Counter

from autograd import Constant, Value, ops

from .loss_view import find_parameters
from .scene import Scene, Style, analyze, build, format_number
from .structure import operands, topological_order

__all__ = ["BANDS", "NEIGHBOURHOOD", "gradient_bars", "summarize"]

NEIGHBOURHOOD = 12  # nodes nearest the output drawn in full in a summary
BANDS = 8  # depth bands of a graph without layers


def summarize(root: Value, style: Style, why: str = "") -> Scene:
    """A summary scene for ``root``'s graph; ``why`` says in the header why it is not drawn in full.

    >>> from autograd import Value
    >>> summarize(Value(2.0) * 3, Style()).table[0]
    ('values', '3')
    """
    order = topological_order(root)
    counts: Counter[str] = Counter()
    depth: dict[Value, int] = {}
    depths: list[int] = []  # the same, in topological order
    leaves = constants = 0
    for v in order:
        parents = operands(v)
        if parents:
            counts[v.op] += 1
            d = 1 + max(map(depth.__getitem__, parents))
        else:
            d = 0
            if isinstance(v, Constant):
                constants += 1
            else:
                leaves += 1
        depth[v] = d
        depths.append(d)
    near = _neighbourhood(root)
    scene = build(analyze([v for v in order if v in near]), style, mode="summary")
    scene.values = len(order)
    scene.note = (
        f"summary of {len(order):,} values" + (f" — {why}" if why else "") + f"; below, the {len(near)} "
        "nearest the output, with other inputs shown as …"
    )
    symbols: Counter[str] = Counter()
    for op, n in counts.items():  # **2 and **3 count as one operation
        symbols[_symbol(op)] += n
    operations = " · ".join(f"{symbol} {n:,}" for symbol, n in sorted(symbols.items(), key=lambda kv: (-kv[1], kv[0])))
    scene.table = [
        ("values", f"{len(order):,}"),
        ("operations", operations or "none"),
        ("inputs", f"{_count(leaves, 'value')} and {_count(constants, 'constant')}"),
        ("depth", f"{depth[root]:,} operations from the farthest input to the output"),
        ("values range", _range([v.data for v in order], style.precision)),
    ]
    if style.grads:
        moving = [v.grad for v in order if not isinstance(v, Constant)]  # parameters and intermediates
        scene.table.append(("gradients range", _range(moving, style.precision) + " (constants left out)"))
        scene.bars = gradient_bars(order, depths, style.precision)
    return scene


def gradient_bars(order: list[Value], depth: list[int], precision: int) -> list[tuple[str, float, str]]:
    """One bar per layer (or depth band): (what, length from 0 to 1 on a log scale, mean |gradient|).

    For a layer, the mean |gradient| of its parameters (of its values if it has none); for a band,
    of its non-constant values. Lengths span the smallest to the largest nonzero mean, so a factor
    of 10 is always the same step, whatever the scale.

    >>> from autograd import Value
    >>> x = Value(0.5, label="x")
    >>> y = x
    >>> for _ in range(40):
    ...     y = (y * 3).tanh()
    >>> y.backward()
    >>> order = topological_order(y)
    >>> depths = {v: 0 for v in order}
    >>> for v in order:
    ...     depths[v] = max((depths[p] + 1 for p in v.parents), default=0)
    >>> bars = gradient_bars(order, [depths[v] for v in order], 2)
    >>> bars[0][0], bars[0][1] < bars[-1][1]
    ('depth 0 – 10', True)
    """
    means: dict[str, float] = {}  # what the bar is for -> mean |gradient|
    scoped = [v.scope.split("/", 1)[0] if v.scope else None for v in order]
    if any(scoped):
        first: dict[str, int] = {}  # layers in the order data flows through them: by their shallowest node
        for v, key, d in zip(order, scoped, depth, strict=True):
            if key is not None and v.parents:  # a leaf made inside a scope has depth 0 in any layer
                first[key] = min(first.get(key, d), d)
        keys = sorted(dict.fromkeys(k for k in scoped if k is not None), key=lambda k: first.get(k, 0))
        params, _ = find_parameters(order)
        of_params: dict[str, list[float]] = {}
        owner = {order[i]: "" for i in params}
        for v, key in zip(order, scoped, strict=True):  # a parameter belongs to the layer that reads it
            for p in v.parents:
                if key is not None and owner.get(p) == "":
                    owner[p] = key
        for param, key in owner.items():
            if key:
                of_params.setdefault(key, []).append(abs(param.grad))
        of_values: dict[str, list[float]] = {}
        for v, key in zip(order, scoped, strict=True):
            if key is not None and not isinstance(v, Constant):
                of_values.setdefault(key, []).append(abs(v.grad))
        for k in keys:
            if k in of_params:
                means[f"{k} (parameters)"] = _mean(of_params[k])
            elif k in of_values:
                means[f"{k} (values)"] = _mean(of_values[k])
    else:  # one running total per band: a million values need no lists
        deepest = max(depth, default=0)
        bands = min(BANDS, deepest + 1)
        totals, counts = [0.0] * bands, [0] * bands
        for v, d in zip(order, depth, strict=True):
            if not isinstance(v, Constant):
                band = d * bands // (deepest + 1)
                counts[band] += 1
                totals[band] += abs(v.grad) if math.isfinite(v.grad) else 0.0
        means = {_band(b, bands, deepest): totals[b] / counts[b] for b in range(bands) if counts[b]}
    logs = [math.log10(m) for m in means.values() if m > 0]
    low, high = (min(logs), max(logs)) if logs else (0.0, 0.0)
    bars = []
    for k, m in means.items():
        length = 0.0 if m <= 0 else 1.0 if high == low else 0.05 + 0.95 * (math.log10(m) - low) / (high - low)
        bars.append((k, length, format_number(m, precision)))
    return bars


def _mean(gradients: list[float]) -> float:
    """The mean |gradient|, inf and nan counted as 0 (the summary's range reports them)."""
    return math.fsum(g for g in gradients if math.isfinite(g)) / len(gradients)


def _band(band: int, bands: int, deepest: int) -> str:
    first = -(-band * (deepest + 1) // bands)
    last = -(-(band + 1) * (deepest + 1) // bands) - 1
    return f"depth {first:,} – {last:,}"


def _symbol(op: str) -> str:
    """An operation's symbol as counted (``**2`` and ``**3`` are both ``**``); a user's gate keeps its own."""
    try:
        return ops.lookup(op).symbol
    except KeyError:
        return op


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
