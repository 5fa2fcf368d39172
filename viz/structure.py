"""Reading a graph's shape before drawing it: which wires can be left out.

The lecture never draws every Value as its own wire. A number written in
an expression (the 2 in ``2*a``) becomes part of its gate (``*2``); in a
condensed drawing a chain of additions becomes one Σ gate, and the Values
a neuron or a layer computed (``autograd.scope``) become one box. This
module decides all of that from structure alone, in a few linear passes
over the nodes in topological order (no recursion, nothing quadratic),
and leaves the drawing itself to ``scene.py``.

>>> from autograd import Value
>>> x = Value(1.0, label="x")
>>> shape = analyze(topological_order((x * 2).exp()))
>>> [v.op or v.label for v, hidden in zip(shape.order, shape.hidden) if not hidden]
['x', '*', 'exp']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import autograd
from autograd import Constant, Value

__all__ = ["Shape", "analyze", "operands", "topological_order"]

NO_GROUP = -1
ELIDED = -1  # a parent left out of a partial drawing (the summary's neighbourhood)
_FOLDABLE = ("+", "*")  # the gates the lecture folds a constant into: +1, *-1, *2
BUNDLE_OVER = 6  # a box with more outputs than this (a wide layer) sends them along one wire


def topological_order(root: Value) -> list[Value]:
    """``autograd.topological_order`` (iterative: a million-deep chain is fine), typed for the drawing.

    >>> len(topological_order(Value(1.0) + 2))
    3
    """
    return cast("list[Value]", autograd.topological_order(root))


def operands(v: Value) -> tuple[Value, ...]:
    """``v.parents``, typed for the drawing (every operand is a Value).

    >>> a = Value(2.0)
    >>> operands(a * 3)[0] is a
    True
    """
    return cast("tuple[Value, ...]", v.parents)


@dataclass
class Shape:
    """The drawing decisions for each node of ``order`` (indexed like it)."""

    order: list[Value]
    parents: list[list[int]]  # operand indices in the order written; ELIDED if not in the drawing
    consumers: list[list[tuple[int, int]]]  # (node, operand position) for every use
    folded: list[frozenset[int]]  # operand positions drawn inside the gate's glyph
    hidden: list[bool]  # no wire of its own: a folded constant, inside a Σ, or inside a box
    in_sum: list[bool]  # an addition absorbed into the Σ gate of its only consumer
    group: list[int]  # the box (neuron or layer) it belongs to, or NO_GROUP
    groups: list[str] = field(default_factory=list)  # each box's scope name
    group_params: list[int] = field(default_factory=list)  # leaves tucked into each box
    group_neurons: list[int] = field(default_factory=list)  # distinct full scopes in each box
    bundles: dict[int, list[int]] = field(default_factory=dict)  # a wide box's outputs, drawn as one wire
    bundle_of: dict[int, int] = field(default_factory=dict)  # output node -> its box, for bundled boxes

    def wire_id(self, p: int) -> str:
        """The id of the wire that carries node ``p``'s value, or "" if it has none."""
        if p == ELIDED:
            return "elided"
        if p in self.bundle_of:
            return f"b{self.bundle_of[p]}"
        return "" if self.hidden[p] else f"v{p}"

    def sum_operands(self, i: int) -> list[tuple[int, int, int]]:
        """The operands of the Σ gate at ``i``: (node, position, operand) in the order written."""
        out: list[tuple[int, int, int]] = []
        stack = [(i, pos, p) for pos, p in reversed(list(enumerate(self.parents[i])))]
        while stack:  # an explicit stack: a sum chain may be thousands long
            node, pos, p = stack.pop()
            if p != ELIDED and self.in_sum[p]:
                stack.extend((p, q, pp) for q, pp in reversed(list(enumerate(self.parents[p]))))
            else:
                out.append((node, pos, p))
        return out

    def is_sum(self, i: int) -> bool:
        """Whether node ``i`` is drawn as a Σ gate (an addition that absorbed others)."""
        return not self.in_sum[i] and any(p != ELIDED and self.in_sum[p] for p in self.parents[i])


def analyze(order: list[Value], sums: bool = False, grouping: str | None = None) -> Shape:
    """Decide, for nodes in topological order, what gets a wire of its own.

    ``sums`` folds chains of additions into Σ gates; ``grouping`` is None,
    ``"neurons"`` (one box per ``autograd.scope`` path) or ``"layers"``
    (one box per top-level scope). ``order`` may be part of a graph:
    parents outside it are marked ELIDED.

    >>> from autograd import Value
    >>> a, b, c = Value(1.0), Value(2.0), Value(3.0)
    >>> shape = analyze(topological_order(a + b + c), sums=True)
    >>> shape.is_sum(len(shape.order) - 1), sum(shape.in_sum)
    (True, 1)
    """
    n = len(order)
    index = {v: i for i, v in enumerate(order)}
    parents = [[index.get(p, ELIDED) for p in operands(v)] for v in order]
    consumers: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for i, ps in enumerate(parents):
        for pos, p in enumerate(ps):
            if p != ELIDED:
                consumers[p].append((i, pos))
    folded = [_folded_positions(order[i], ps) for i, ps in enumerate(parents)]
    shape = Shape(order, parents, consumers, folded, [False] * n, [False] * n, [NO_GROUP] * n)
    if grouping is not None:
        _group(shape, grouping)
    root = n - 1
    for i, v in enumerate(order):
        if isinstance(v, Constant) and consumers[i] and all(pos in folded[c] for c, pos in consumers[i]):
            shape.hidden[i] = True  # drawn inside its gate's glyph
        elif sums and v.op == "+" and i != root and not v.label and len(consumers[i]) == 1:
            consumer = consumers[i][0][0]
            if order[consumer].op == "+" and shape.group[consumer] == shape.group[i]:
                shape.in_sum[i] = shape.hidden[i] = True
    return shape


def _folded_positions(v: Value, parents: list[int]) -> frozenset[int]:
    """Which operands of ``v`` are constants its gate shows (``*2``): one per + or * gate."""
    if v.op not in _FOLDABLE or len(v.parents) != 2:
        return frozenset()
    first, second = (isinstance(p, Constant) for p in v.parents)
    if second:  # a * 2, and 2 * 3 keeps the 2 as a wire
        return frozenset({1})
    return frozenset({0}) if first else frozenset()  # 2 * a reads as *2 too


def _group(shape: Shape, grouping: str) -> None:
    """Join the nodes of each neuron (or layer) into one box, and tuck its own parameters in.

    A box is a connected set of nodes with the same scope, so two forward
    passes through one neuron stay two boxes. A leaf whose every use is
    inside boxes of one and the same neuron (a weight, a bias) is hidden
    in them and counted as a parameter; a leaf several neurons read (an
    input) keeps its wire.
    """
    order, parents = shape.order, shape.parents

    def key(v: Value) -> str | None:
        if v.scope is None or grouping == "neurons":
            return v.scope
        return v.scope.split("/", 1)[0]

    keys = [key(v) for v in order]
    root_of = list(range(len(order)))  # union-find over nodes joined by a same-scope wire

    def find(i: int) -> int:
        while root_of[i] != i:
            root_of[i] = root_of[root_of[i]]  # path halving keeps it near-linear
            i = root_of[i]
        return i

    for i, ps in enumerate(parents):
        for p in ps:
            if p != ELIDED and keys[i] is not None and keys[p] == keys[i]:
                root_of[find(p)] = find(i)
    if grouping == "layers":
        # The neurons of a layer do not touch each other; what joins them is
        # reading the same input (a weight is read by one neuron only).
        for uses in shape.consumers:
            readers = [c for c, _ in uses if keys[c] is not None]
            if len({order[c].scope for c in readers}) > 1:
                first: dict[str | None, int] = {}
                for c in readers:
                    root_of[find(c)] = find(first.setdefault(keys[c], c))
    numbers: dict[int, int] = {}  # component -> box number, by first appearance (deterministic)
    scopes: list[set[str]] = []
    for i, k in enumerate(keys):
        if k is not None:
            box = numbers.setdefault(find(i), len(numbers))
            if box == len(shape.groups):
                shape.groups.append(k)
                scopes.append(set())
            shape.group[i] = box
            shape.hidden[i] = True  # until it turns out to be an output of its box
            scopes[box].add(order[i].scope or "")
    shape.group_params.extend([0] * len(shape.groups))
    for i, v in enumerate(order):  # a leaf made inside the scope is the box's own parameter
        if shape.group[i] != NO_GROUP and not v.parents and not isinstance(v, Constant):
            shape.group_params[shape.group[i]] += 1
    shape.group_neurons.extend(len(s) for s in scopes)
    for i, v in enumerate(order):
        uses = shape.consumers[i]
        if shape.group[i] != NO_GROUP:
            shape.hidden[i] = i != len(order) - 1 and all(shape.group[c] == shape.group[i] for c, _ in uses)
        elif not v.parents and uses and len({order[c].scope for c, _ in uses}) == 1:
            boxes = {shape.group[c] for c, _ in uses}
            if NO_GROUP not in boxes:
                shape.hidden[i] = True
                for box in boxes:
                    shape.group_params[box] += not isinstance(v, Constant)
    outputs: dict[int, list[int]] = {}
    for i, box in enumerate(shape.group):
        if box != NO_GROUP and not shape.hidden[i]:
            outputs.setdefault(box, []).append(i)
    for box, outs in outputs.items():
        if len(outs) > BUNDLE_OVER:
            shape.bundles[box] = outs
            shape.bundle_of.update((i, box) for i in outs)
