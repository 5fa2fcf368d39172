"""The array operations a compiled graph runs as: each computes many nodes of one sample's
graph, for every sample at once, and sends their gradients back.

A ``Step`` applies one entry of the op table to a row of nodes (or sums
chains of +); a ``DotStep`` is a weighted sum — ``b + w0·x0 + w1·x1 + …``
for every neuron of a layer — as one matrix product. Each gathers its
operands from the two stores of ``schedule.Program`` (the *batch* store: a
row per node that depends on the samples, a column per sample; the *shared*
store: one number per node that does not) and writes its results into rows
of its own. ``backward`` adds upstream × local derivative into the gradient
rows of its operands; a shared operand's contribution is summed over the
samples first.

>>> store = np.zeros(3)
>>> Scatter(np.array([0, 2, 0])).add(store, np.array([1.0, 2.0, 3.0])); store
array([4., 0., 2.])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import arraymath, numerics
from .ops import OPS, Op

MUL = OPS["mul"]
# The table says ∂(a·b)/∂a = b and ∂(a·b)/∂b = a: that is what lets Σ a_j·x_j be a matrix
# product A·X whose gradients are G·Xᵀ (for A) and Aᵀ·G (for X).
DOT_PRODUCTS = MUL.local(numerics, 6.0, 2.0, 3.0) == (3.0, 2.0)


class Scatter:
    """Adds gradient contributions into given rows of a store, also where a row comes
    up several times (a value used by several nodes of one step: fan-out).

    >>> store = np.zeros(3)
    >>> Scatter(np.array([0, 2, 0])).add(store, np.array([1.0, 2.0, 3.0])); store
    array([4., 0., 2.])
    """

    def __init__(self, rows: np.ndarray) -> None:
        self.rows: Any = rows
        flat = rows.ravel()
        self.unique = len(np.unique(flat)) == flat.size
        if flat.size and (flat == np.arange(flat[0], flat[0] + flat.size)).all():
            # Consecutive rows, as a step's own results are laid out: a slice is cheaper than
            # indexing by a list of rows (2 µs instead of 5 for W1's steps, 19 of them per step).
            self.rows = (slice(flat[0], flat[0] + flat.size),) if rows.ndim == 1 else _Block(flat[0], rows.shape)
        if not self.unique:  # sort once now; each pass then sums the runs of equal rows
            self.order = np.argsort(flat, kind="stable")
            ordered = flat[self.order]
            self.starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
            self.targets = ordered[self.starts]

    def add(self, store: np.ndarray, contributions: Any) -> None:
        if isinstance(self.rows, _Block):
            self.rows.view(store)[...] += contributions
            return
        if self.unique:
            store[self.rows] += contributions
            return
        full = np.broadcast_to(contributions, self.rows.shape + store.shape[1:])
        flat = full.reshape((-1, *store.shape[1:]))
        store[self.targets] += np.add.reduceat(flat[self.order], self.starts, axis=0)


class _Block:
    """Consecutive rows of a store seen as a block of shape ``shape`` (terms × nodes)."""

    def __init__(self, first: int, shape: tuple[int, ...]) -> None:
        self.first, self.shape = int(first), shape

    def view(self, store: np.ndarray) -> np.ndarray:
        size = int(np.prod(self.shape))
        return store[self.first : self.first + size].reshape(self.shape + store.shape[1:])


class Operand:
    """Operands of a step that live in one store: their rows (one per node of the step;
    for a sum, a block of consecutive terms: terms × nodes), and whether a gradient
    must flow back to them (only toward parameters)."""

    def __init__(self, varying: bool, rows: list[Any], needs_grad: bool) -> None:
        self.varying = varying
        self.rows = np.array(rows, dtype=np.intp)
        self.needs_grad = needs_grad
        self.scatter = Scatter(self.rows) if needs_grad else None

    def gather(self, batch: np.ndarray, shared: np.ndarray, step_varying: bool) -> np.ndarray:
        if self.varying:
            return batch.take(self.rows, axis=0)  # rows × samples
        values = shared.take(self.rows)
        return values[..., None] if step_varying else values  # the same for every sample


class Step:
    """One array operation: the same table entry applied to ``len(nodes)`` nodes at once,
    or a sum of the same number of terms; its results go to rows ``start:stop`` of its store
    (the batch store when they depend on the samples, else the shared one)."""

    def __init__(self, op: Op | None, varying: bool, nodes: list[int], operands: list[Operand], start: int) -> None:
        self.op = op  # None: folded chains of +, summed over their terms
        self.name = "Σ" if op is None else op.symbol
        # the scalar nodes of one sample it stands for: a sum of n terms is n − 1 additions
        self.scalar_nodes = len(nodes) * (sum(len(o.rows) for o in operands) - 1 if op is None else 1)
        self.varying = varying
        self.nodes = nodes
        self.operands = operands
        self.start, self.stop = start, start + len(nodes)
        self.needs_grad = any(o.needs_grad for o in operands)
        self.forward_fn: Any = None
        self.local_fn: Any = None
        if op is not None:
            self.forward_fn, self.local_fn = _arithmetic(op, len(operands))

    def forward(self, batch: np.ndarray, shared: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
        """Compute the step's rows; returns its gathered operands and results, for ``backward``."""
        args = [o.gather(batch, shared, self.varying) for o in self.operands]
        if self.op is None:
            # ((t0 + t1) + t2) + …: add.reduce over the first axis adds in exactly this
            # order, as the recorded chain did (tests/test_compile.py checks it bit for bit).
            shape = (len(self.nodes), batch.shape[1]) if self.varying else (len(self.nodes),)
            blocks = [a if a.shape[1:] == shape else np.broadcast_to(a, a.shape[:1] + shape) for a in args]
            stacked = blocks[0] if len(blocks) == 1 else np.concatenate(blocks)
            out = np.add.reduce(stacked, axis=0)  # type: ignore[call-overload]  # (NumPy 2.5's stubs refuse it)
        else:
            out = self.forward_fn(*args)  # type: ignore[misc]
        store = batch if self.varying else shared
        store[self.start : self.stop] = out
        return args, store[self.start : self.stop]

    def backward(self, args: list[np.ndarray], out: np.ndarray, grads: tuple[np.ndarray, np.ndarray]) -> None:
        """Add upstream × local derivative into each operand's gradient rows."""
        batch_grads, shared_grads = grads
        upstream = (batch_grads if self.varying else shared_grads)[self.start : self.stop]
        # A sum hands each term its upstream gradient unchanged (see FOLD_SUMS).
        locals_ = [1.0] * len(args) if self.op is None else self.local_fn(out, *args)  # type: ignore[misc]
        for o, local in zip(self.operands, locals_, strict=True):
            if o.scatter is None:
                continue
            contribution = upstream * local
            if o.varying:
                o.scatter.add(batch_grads, contribution)
            else:
                if self.varying:  # a shared operand: its gradient is the sum over the samples
                    if contribution.shape != upstream.shape:  # a local derivative the same for every sample
                        contribution = np.broadcast_to(contribution, upstream.shape)
                    contribution = contribution.sum(axis=-1)
                o.scatter.add(shared_grads, contribution)


def _arithmetic(op: Op, arity: int) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """The step's forward and local derivatives on arrays, from the op table.

    A built-in entry computes with ``arraymath``. A gate of your own computes with
    Python floats, so its functions run element by element (``np.vectorize``):
    right, but at Python's speed.
    """
    base = OPS.get(op.name)
    if base is not None and base.forward is op.forward and base.local is op.local:
        return (
            lambda *xs: op.forward(arraymath, *xs, *op.param),
            lambda out, *xs: op.local(arraymath, out, *xs, *op.param),
        )
    forward = np.vectorize(lambda *xs: op.forward(numerics, *xs), otypes=[float])
    if arity == 1:
        local_one = np.vectorize(lambda out, x: op.local(numerics, out, x)[0], otypes=[float])
        return forward, lambda out, x: (local_one(out, x),)
    local = np.vectorize(lambda out, *xs: tuple(op.local(numerics, out, *xs)), otypes=[float] * arity)
    return forward, local


class DotStep:
    """Weighted sums ``p0 + p1 + … + a0·x0 + a1·x1 + …`` (a neuron's ``b + w·x``) for a row
    of nodes at once, as one matrix product: the ``a`` shared (weights), the ``x`` per
    sample, each product used nowhere else. Where every node reads the same ``x`` (a
    dense layer) it is A·X; otherwise one product per node. A matrix product adds in
    its own order, so results agree with the recorded graph to rounding (about 1e-16
    relative), not bit for bit.

    The products are ``np.einsum``, not ``@``: NumPy's ``@`` hands big products to a
    multithreaded BLAS, which on this project's busy 2-core machine took 30–80 ms for
    MNIST's first layer (16×784 by 784×100) instead of 0.3 ms; einsum's own loops run
    in this thread, in a fixed order.
    """

    name = "Σ w·x"

    def __init__(self, nodes: list[int], prefix: list[Operand], weights: Operand, inputs: Operand, start: int) -> None:
        self.nodes, self.prefix, self.weights, self.inputs = nodes, prefix, weights, inputs
        self.varying = True
        self.start, self.stop = start, start + len(nodes)
        self.dense = bool((inputs.rows == inputs.rows[0]).all())  # every node reads the same x: A·X
        self.dense_inputs = Scatter(inputs.rows[0]) if self.dense and inputs.needs_grad else None
        self.needs_grad = weights.needs_grad or inputs.needs_grad or any(o.needs_grad for o in prefix)
        terms = sum(len(o.rows) for o in prefix) + len(weights.rows[0])
        self.scalar_nodes = len(nodes) * (terms - 1 + len(weights.rows[0]))  # the additions and the products

    def forward(self, batch: np.ndarray, shared: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
        A = shared.take(self.weights.rows)  # nodes × terms
        if self.dense:
            X = batch.take(self.inputs.rows[0], axis=0)  # terms × samples
            out = np.einsum("km,mb->kb", A, X)
        else:
            X = batch.take(self.inputs.rows, axis=0)  # nodes × terms × samples
            out = np.einsum("km,kmb->kb", A, X)
        args = [o.gather(batch, shared, True) for o in self.prefix]
        if args:  # the earlier terms (a bias), added first, in order
            blocks = [np.broadcast_to(a, a.shape[:1] + out.shape) for a in args]
            out = np.add.reduce(np.concatenate([*blocks, out[None]]), axis=0)  # type: ignore[call-overload]
        batch[self.start : self.stop] = out
        return [A, X, *args], batch[self.start : self.stop]

    def backward(self, args: list[np.ndarray], out: np.ndarray, grads: tuple[np.ndarray, np.ndarray]) -> None:
        batch_grads, shared_grads = grads
        upstream = batch_grads[self.start : self.stop]  # nodes × samples
        A, X, *_ = args
        if self.weights.scatter is not None:  # ∂(a·x)/∂a = x, summed over the samples
            gA = np.einsum("kb,mb->km", upstream, X) if self.dense else np.einsum("kb,kmb->km", upstream, X)
            self.weights.scatter.add(shared_grads, gA)
        if self.dense_inputs is not None:  # ∂(a·x)/∂x = a
            self.dense_inputs.add(batch_grads, np.einsum("mk,kb->mb", np.ascontiguousarray(A.T), upstream))
        elif self.inputs.scatter is not None:
            self.inputs.scatter.add(batch_grads, A[:, :, None] * upstream[:, None, :])
        for o in self.prefix:  # each earlier term of the sum gets the upstream gradient unchanged
            if o.scatter is not None:
                o.scatter.add(batch_grads if o.varying else shared_grads, upstream if o.varying else upstream.sum(-1))
