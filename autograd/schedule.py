"""A recorded graph replayed over a whole batch: its nodes grouped into array operations.

Every sample of a batch builds the same graph, so node i of one sample's
graph becomes a row of numbers, one per sample. Better still, the nodes
that do the same operation at the same depth (all their operands computed
one level below) are independent of each other, and become *one* array
operation: a layer's 16 × 16 weight-times-input products are one NumPy
multiplication of a 256 × batch array, gathered from the rows of their
operands. A chain of additions ``((b + w0·x0) + w1·x1) + …`` — a neuron's
weighted sum — is folded into one sum over its terms. The arithmetic is the
op table's own (``op.forward(arraymath, …)``, ``op.local(arraymath, …)``):
no formula is written twice.

Two stores hold the numbers: the *batch* store (a row per node that depends
on the samples, a column per sample) and the *shared* store (one number per
node that does not: parameters, constants, and anything computed only from
them, such as a weight penalty — computed once per batch, not per sample).
The backward pass walks the steps in reverse, multiplies each step's upstream
gradient by the table's local derivatives, and adds the result into the rows
of its operands (a shared operand's contribution is first summed over the
batch). Only the steps through which a parameter's gradient flows are run.

>>> from autograd import Value
>>> from autograd.tracing import graph_of, record
>>> w, x = Value(0.5), Value(1.0)
>>> program = Program(graph_of(record(lambda v: (w * v).relu(), [x]), {x: 0}), n_inputs=1)
>>> [step.name for step in program.steps]
['*', 'relu']
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

from . import arraymath, numerics
from .engine import Value
from .ops import OPS
from .steps import DOT_PRODUCTS, MUL, DotStep, Operand, Step
from .tracing import Graph

ADD = OPS["add"]
# The table says + hands its upstream gradient unchanged to both operands (local
# derivatives 1, 1): that is what lets a chain ((a + b) + c) + d be one sum whose
# every term receives the sum's gradient.
FOLD_SUMS = ADD.local(numerics, 0.0, 0.0, 0.0) == (1.0, 1.0)


class Program:
    """The recorded graph as array steps, and the layout of its two stores.

    ``n_inputs`` is the number of input columns (the flattened sample): the
    batch store's first rows hold them, one per column.
    """

    def __init__(self, graph: Graph, n_inputs: int) -> None:
        self.graph = graph
        nodes, kinds = graph.nodes, graph.kinds
        index = {node: i for i, node in enumerate(nodes)}
        parents = [[index[p] for p in node.parents] for node in nodes]
        self.varying = [kind == "input" for kind in kinds]  # depends on the samples
        self.needs_grad = [kind == "parameter" for kind in kinds]  # a parameter's gradient flows through it
        for i, ps in enumerate(parents):
            if ps:
                self.varying[i] = any(self.varying[p] for p in ps)
                self.needs_grad[i] = any(self.needs_grad[p] for p in ps)
        kept = set(_indices(graph.result)) | {r for _, refs, _ in graph.checks for r in refs if isinstance(r, int)}
        uses = [0] * len(nodes)
        for ps in parents:
            for p in ps:
                uses[p] += 1
        terms = _fold_sums(nodes, parents, uses, kept) if FOLD_SUMS else {}
        products = self._products(nodes, parents, terms, uses, kept) if DOT_PRODUCTS else {}
        folded = {j for i, n in products.items() for j in terms[i][-n:]} | {i for i, t in terms.items() if not t}
        # Group the nodes that do the same thing at the same depth, from the same stores.
        depth = [0] * len(nodes)
        groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
        for i, kind in enumerate(kinds):
            if kind != "op" or i in folded:  # a leaf, or a node computed inside a later sum
                continue
            if i in products:
                n = products[i]
                prefix, inside = terms[i][:-n], [p for j in terms[i][-n:] for p in parents[j]]
                depth[i] = 1 + max(depth[j] for j in [*prefix, *inside])
                what: Any = ("Σ w·x", len(prefix), n)
                operands: Any = prefix
            else:
                operands = terms.get(i) or parents[i]
                depth[i] = 1 + max(depth[j] for j in operands)
                what = ("Σ", len(operands)) if i in terms else nodes[i].operation
            groups[(depth[i], what, self.varying[i], tuple(self.varying[j] for j in operands))].append(i)
        # Rows: the inputs first in the batch store; parameters, then constants, first in the shared one.
        self.row: dict[int, int] = dict(graph.columns)
        self.parameters = [i for i, kind in enumerate(kinds) if kind == "parameter"]
        self.constants = [i for i, kind in enumerate(kinds) if kind == "constant"]
        self.row.update({i: r for r, i in enumerate(self.parameters + self.constants)})
        rows = [n_inputs, len(self.parameters) + len(self.constants)]  # next free row: batch store, shared store
        self.steps: list[Any] = []
        for (_, what, varying, pattern), members in sorted(groups.items(), key=lambda g: (g[0][0], g[1][0])):
            store = 0 if varying else 1
            step = self._step(what, varying, pattern, members, parents, terms, products, rows[store])
            self.row.update({i: step.start + k for k, i in enumerate(members)})
            rows[store] = step.stop
            self.steps.append(step)
        self.batch_rows, self.shared_rows = rows
        self.shared_constants = np.zeros(self.shared_rows)
        for i in self.constants:
            self.shared_constants[self.row[i]] = nodes[i].data
        self.parameter_values = [nodes[i] for i in self.parameters]

    def _products(
        self,
        nodes: list[Value],
        parents: list[list[int]],
        terms: dict[int, tuple[int, ...]],
        uses: list[int],
        kept: set[int],
    ) -> dict[int, int]:
        """For each folded sum, how many of its last terms are products of a shared and a
        per-sample value (w·x) used nowhere else: at least two make it a matrix product."""
        found = {}
        for i, t in terms.items():
            n = 0
            for j in reversed(t):
                ps = parents[j]
                if not (nodes[j].operation is MUL and uses[j] == 1 and j not in kept):
                    break
                if self.varying[ps[0]] == self.varying[ps[1]]:
                    break
                n += 1
            if n >= 2:
                found[i] = n
        return found

    def _step(
        self,
        what: Any,
        varying: bool,
        pattern: tuple[bool, ...],
        members: list[int],
        parents: list[list[int]],
        terms: dict[int, tuple[int, ...]],
        products: dict[int, int],
        start: int,
    ) -> Any:
        """The array operation for one group of nodes."""

        def operand(positions: range, columns: list[Any], block: bool) -> Operand:
            rows = [[self.row[c[p]] for c in columns] for p in positions]
            needs = any(self.needs_grad[c[p]] for c in columns for p in positions)
            return Operand(self.varying[columns[0][positions[0]]], rows if block else rows[0], needs)

        if isinstance(what, tuple) and what[0] == "Σ w·x":
            n = what[2]
            prefix_columns = [terms[i][:-n] for i in members]
            prefix = [operand(range(a, b), prefix_columns, True) for a, b in _runs(pattern)]
            pairs = [[parents[j] for j in terms[i][-n:]] for i in members]
            shared = [[pair[0] if not self.varying[pair[0]] else pair[1] for pair in row] for row in pairs]
            per_sample = [[pair[1] if not self.varying[pair[0]] else pair[0] for pair in row] for row in pairs]
            weights = Operand(
                False,
                [[self.row[j] for j in row] for row in shared],
                any(self.needs_grad[j] for row in shared for j in row),
            )
            inputs = Operand(
                True,
                [[self.row[j] for j in row] for row in per_sample],
                any(self.needs_grad[j] for row in per_sample for j in row),
            )
            return DotStep(members, prefix, weights, inputs, start)
        columns = [terms.get(i) or parents[i] for i in members]
        if isinstance(what, tuple):  # a sum: its terms in runs from the same store
            return Step(None, varying, members, [operand(range(a, b), columns, True) for a, b in _runs(pattern)], start)
        each = [operand(range(p, p + 1), columns, False) for p in range(len(pattern))]
        return Step(what, varying, members, each, start)

    def forward(self, inputs: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[Any]]:
        """Every step over ``inputs`` (columns × samples): the batch store, the shared
        store, and what each step keeps for ``backward``."""
        batch = np.empty((self.batch_rows, inputs.shape[1]))
        batch[: len(inputs)] = inputs
        shared = self.shared_constants.copy()
        shared[: len(self.parameters)] = [v.data for v in self.parameter_values]  # fresh: an optimizer moved them
        with arraymath.quiet():
            saved = [step.forward(batch, shared) for step in self.steps]
        return batch, shared, saved

    def backward(self, batch: np.ndarray, saved: list[Any], root: int, gradient: float) -> np.ndarray:
        """The parameters' gradients (summed over the samples) when node ``root`` of each
        sample has gradient ``gradient``."""
        samples = batch.shape[1]
        grads = (np.zeros((self.batch_rows, samples)), np.zeros(self.shared_rows))
        if self.varying[root]:
            grads[0][self.row[root]] = gradient
        else:  # the same value for every sample: its gradient is theirs summed
            grads[1][self.row[root]] = gradient * samples
        with arraymath.quiet():
            for step, (args, out) in zip(reversed(self.steps), reversed(saved), strict=True):
                if step.needs_grad:
                    step.backward(args, out, grads)
        return grads[1][: len(self.parameters)]

    def values(self, batch: np.ndarray, shared: np.ndarray, node: int) -> np.ndarray:
        """Node ``node``'s value for every sample (a shared value, repeated)."""
        if self.varying[node]:
            return batch[self.row[node]]
        return np.full(batch.shape[1], shared[self.row[node]])


def _fold_sums(
    nodes: list[Value], parents: list[list[int]], uses: list[int], kept: set[int]
) -> dict[int, tuple[int, ...]]:
    """The terms of every chain of +, left to right (three or more); ``()`` for an
    addition folded into a later one. Only a left operand used nowhere else is folded,
    so the sum adds in exactly the order the graph did."""
    terms: dict[int, tuple[int, ...]] = {}
    for i, node in enumerate(nodes):
        if node.operation is ADD:
            left, right = parents[i]
            if nodes[left].operation is ADD and uses[left] == 1 and left not in kept:
                terms[i] = (*(terms.get(left) or parents[left]), right)
                terms[left] = ()
    return terms


def _runs(pattern: tuple[bool, ...]) -> list[tuple[int, int]]:
    """Runs of consecutive terms in the same store: each is gathered by one array operation."""
    starts = [p for p in range(len(pattern)) if p == 0 or pattern[p] != pattern[p - 1]]
    return list(zip(starts, [*starts[1:], len(pattern)], strict=False))  # no terms: no runs


def _indices(result: Any) -> list[int]:
    if isinstance(result, int):
        return [result]
    if isinstance(result, list):
        return [i for item in result for i in _indices(item)]
    return []
