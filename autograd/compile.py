"""``compile``: record a function of one sample once, then run it over whole batches as arrays.

Every sample of a training batch builds a graph of the same shape: the same
multiplications, additions and activations, only with other numbers. So
``compile(fn, *example)`` calls ``fn`` once, on Values made from the
example (one sample), and keeps the graph it built. ``step(*batches)`` then
runs that graph over all the samples at once with NumPy — the nodes that do
the same operation at the same depth become one array operation
(``autograd/schedule.py``) — and returns the mean of ``fn`` over the batch,
adding the gradient of that mean to each parameter's ``.grad``: the same
numbers as building ``sum(fn(*s) for s in zip(*batches)) / len(batch)``
with Values and calling ``backward()``, to rounding.

>>> from autograd import Value
>>> w = Value(0.5, label="w")
>>> step = compile(lambda x, y: (w * x - y) ** 2, 1.0, 2.0)  # one sample: x = 1, y = 2
>>> step([1.0, 2.0, 3.0], [2.0, 4.0, 6.0])  # the mean of 2.25, 9 and 20.25
10.5
>>> w.grad  # ∂mean/∂w, added to .grad as backward() would
-14.0

What is what: the example's numbers become the graph's *inputs*; leaves
made inside ``fn`` (a ``2`` in ``2 * x``, a ``Value(1.0)``) are *constants*;
every other leaf the graph reaches is a *parameter*: its ``.data`` is read
afresh at each call (so an optimizer's updates apply) and its ``.grad`` is
where the gradient goes.

**When the graph depends on the data.** A Python ``if`` on a Value, or a
number taken out of one, can make other samples build other graphs, and
replaying the recorded one for them would be silently wrong. The guard:

1. Shapes, at every call: each batch must be a sequence of samples shaped
   like its example argument (numbers, equally many per sample), all
   batches equally long; otherwise ``ValueError`` (``TypeError`` for
   things that are not numbers).
2. Comparisons, at every call, for every sample: while recording,
   ``autograd.tracing`` watches each comparison of a Value (``x > 0``,
   ``max(a, b)``, ``bool(v)``, ``y in (-1, 1)``) and its answer. Each call
   asks the same questions of every sample with array comparisons (cheap).
   A sample that answers differently is recorded on its own, with Values:
   if it builds the same graph (a check that does not change the graph,
   such as ``hinge_loss``'s test of its labels), its answers are accepted
   from then on for any sample; if not, ``ValueError`` names the sample and
   the first node that differs, before any ``.grad`` changes.
3. Reads, once: taking the number out of a Value that depends on the
   example (``float(x)``, ``int(x)``, ``round(x)``, ``x.item()``, ``x.data``
   outside the engine — ``nn.softmax`` does, to shift by the largest
   score) is refused when compiling, with the line that did it: the
   recording would keep the example's number. Reading a parameter is
   allowed and treated as a comparison with the number read (it is checked
   at every call; when the optimizer changes it, the sample is recorded
   again and must build the same graph with the same constants).
   Entering ``no_grad()`` inside ``fn`` is refused too (its results are
   leaves, cut from what they came from).

Under ``detect_anomaly()`` a call raises ``FloatingPointError`` at the first
inf or nan of its forward pass, naming the operation and the sample (and at a
non-finite parameter gradient).

Not detected: anything that reaches Python without a comparison or a read —
``str(v)``, ``f"{v}"`` and ``repr(v)``, ``v._data``, randomness or other
state outside ``fn`` (``fn`` must give the same graph for the same
numbers), and values looked at while a C profiler such as cProfile runs
(compile then warns and checks shapes only). Your own gates
(``autograd.gate``) are fine: their Python functions run on each sample's
numbers (``np.vectorize``), at Python's speed.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import numerics
from .compile_summary import CompileSummary
from .engine import Value
from .modes import current
from .samples import argument_names, as_batch, input_leaves, restore, shape_of
from .schedule import Program
from .tracing import Graph, first_difference, graph_of, record

COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq, "!=": operator.ne,
}  # fmt: skip
MAX_PATHS = 64  # sets of comparison answers remembered as fitting the recording (oldest forgotten first)
CHUNK_BYTES = 256 * 2**20  # a batch bigger than this in the stores is run in pieces


def compile(fn: Callable[..., Any], *example: Any) -> Compiled:  # noqa: A001 (autograd.compile, as torch.compile)
    """Record ``fn(*example)`` once; the result runs it over whole batches (see the module docstring).

    Each example argument is one sample's: a number, a Value, or a (nested) list of them.

    >>> import nn
    >>> model = nn.MLP(2, [4, 1], activation="tanh", seed=0)
    >>> step = compile(lambda x, y: nn.mse_loss(model(x), y), [0.0, 0.0], 0.0)
    >>> loss = step([[1.0, 2.0], [0.5, -1.0]], [1.0, 0.0])
    >>> round(loss, 4), model.layers[0].neurons[0].w[0].grad != 0.0
    (0.6958, True)
    """
    return Compiled(fn, example)


class Compiled:
    """A recorded function of one sample, run over batches: ``step(*batches)`` trains,
    ``step.evaluate(*batches)`` gives each sample's value, ``step.summary()`` shows
    what the graph became.

    >>> from autograd import Value
    >>> w = Value(2.0)
    >>> step = compile(lambda x: w * x, 1.0)
    >>> step.evaluate([1.0, 2.0, 3.0])
    array([2., 4., 6.])
    """

    def __init__(self, fn: Callable[..., Any], example: Sequence[Any]) -> None:
        if not callable(fn):
            raise TypeError(f"autograd.compile takes a function of one sample, got {numerics.describe(fn)}")
        if not example:
            raise TypeError("autograd.compile needs an example sample: compile(fn, *example), e.g. compile(fn, x0, y0)")
        if not current().grad_enabled:
            raise RuntimeError("autograd.compile records fn's graph, which it cannot do inside no_grad()")
        self.fn = fn
        self.names = argument_names(fn, len(example))
        self.shapes = [shape_of(arg, name) for arg, name in zip(example, self.names, strict=True)]
        self.width = sum(math.prod(shape) for shape in self.shapes)  # numbers in one sample
        args, inputs = input_leaves(example, self.names)
        self.graph = self._record(args, inputs)
        self.program = Program(self.graph, self.width)
        self.paths: list[list[Any]] = [self.graph.checks]
        self._refuse_reads(self.graph)

    @property
    def recording(self) -> Any:
        """What ``fn`` returned for the example, with its graph: draw it with ``viz.draw``."""
        return restore(self.graph.result, self.graph.nodes)

    @property
    def parameters(self) -> list[Value]:
        """The leaves read afresh at each call, whose ``.grad`` a call adds to."""
        return list(self.program.parameter_values)

    def __call__(self, *batches: Any) -> float:
        """The mean of fn over the batch; adds its gradient to each parameter's ``.grad``."""
        root = self.graph.result
        if not isinstance(root, int):
            raise TypeError(
                "step(...) averages one loss, but fn returned "
                f"{'a number' if isinstance(root, float) else 'a list of values'}; "
                "use step.evaluate(...) for the value of each sample"
            )
        inputs = self._inputs(batches)
        samples = inputs.shape[1]
        values, total = [], np.zeros(len(self.program.parameters))
        for start in range(0, samples, self._chunk()):
            chunk = inputs[:, start : start + self._chunk()]
            batch, shared, saved = self.program.forward(chunk)
            self._guard(batch, shared, chunk, start)
            if current().anomaly:
                self._check_finite(saved, start)
            values.append(self.program.values(batch, shared, root))
            total += self.program.backward(batch, saved, root, 1.0 / samples)
        if current().anomaly and not np.isfinite(total).all():
            p = self.program.parameter_values[int(np.argmin(np.isfinite(total)))]
            raise FloatingPointError(f"the compiled backward pass gave parameter {p!r} a non-finite gradient")
        for p, g in zip(self.program.parameter_values, total.tolist(), strict=True):  # only now: nothing failed
            p.grad = (0.0 if p.grad is None else p.grad) + g
        # As sum(...) / len(batch) does it: 0 + v0 + v1 + … in order, then × (1/n).
        return sum(np.concatenate(values).tolist(), 0.0) * (1.0 / samples)

    def evaluate(self, *batches: Any) -> np.ndarray:
        """fn's value for each sample, as an array (samples first, then fn's result's shape); no ``.grad`` changes.

        >>> from autograd import Value
        >>> step = compile(lambda x: [x * 2, x + 1], 1.0)
        >>> step.evaluate([1.0, 5.0])
        array([[ 2.,  2.],
               [10.,  6.]])
        """
        inputs = self._inputs(batches)
        pieces = []
        for start in range(0, inputs.shape[1], self._chunk()):
            chunk = inputs[:, start : start + self._chunk()]
            batch, shared, _ = self.program.forward(chunk)
            self._guard(batch, shared, chunk, start)
            pieces.append(self._result(self.graph.result, batch, shared))
        return np.concatenate(pieces, axis=0)

    def summary(self) -> CompileSummary:
        """How many scalar nodes of one sample's graph became how many array operations.

        >>> from autograd import Value
        >>> w = Value(2.0)
        >>> print(compile(lambda x: (w * x).relu(), 1.0).summary())  # doctest: +ELLIPSIS
        One sample's graph: 4 values ...
        """
        return CompileSummary(self)

    # ---- recording and checking ------------------------------------------

    def _record(self, args: list[Any], inputs: dict[Value, int]) -> Graph:
        trace = record(self.fn, args)
        if trace.no_grad_at is not None:
            raise ValueError(
                f"autograd.compile: fn enters no_grad() (at {trace.no_grad_at}); values computed there are "
                "leaves cut off from the samples, so the recording could not follow them"
            )
        return graph_of(trace, inputs)

    def _refuse_reads(self, graph: Graph) -> None:
        for (what, refs, _), where in zip(graph.checks, graph.where, strict=True):
            if what == "read" and isinstance(refs[0], int) and self.program.varying[refs[0]]:
                raise ValueError(
                    f"autograd.compile: fn takes the number out of a Value that depends on the example "
                    f"(float(v), int(v), round(v), v.item() or v.data, at {where}); the recording would keep "
                    "the example's number for every sample. Write that step with Value operations "
                    "(such as a.max(b)), or leave the function uncompiled"
                )

    def _guard(self, batch: np.ndarray, shared: np.ndarray, inputs: np.ndarray, offset: int) -> None:
        """Every sample must answer fn's comparisons as some recorded path did (see the module docstring)."""
        fits = np.zeros(batch.shape[1], dtype=bool)
        for path in self.paths:
            fits |= self._follows(path, batch, shared)
        while not fits.all():
            sample = int(np.argmin(fits))
            args, leaves = input_leaves(self._sample(inputs[:, sample]), self.names)
            graph = self._record(args, leaves)
            difference = first_difference(self.graph, graph)
            if difference is not None:
                raise ValueError(
                    f"sample {offset + sample} of the batch does not fit the recorded graph: {difference}. "
                    f"fn builds a different graph for it — it decides something from the data "
                    f"({self._where(graph)}); compile a function whose graph is the same for every sample"
                )
            self._refuse_reads(graph)
            if any(isinstance(r, int) and r not in self.program.row for _, refs, _ in graph.checks for r in refs):
                raise ValueError(
                    f"sample {offset + sample}: fn compares a value that the recording folded into a sum "
                    f"({self._where(graph)}), so compile cannot check it for each sample"
                )
            self.paths = [*self.paths[-(MAX_PATHS - 1) :], graph.checks]
            follows = self._follows(graph.checks, batch, shared)
            if not follows[sample]:
                raise ValueError(f"fn answered its own comparisons differently for sample {offset + sample}")
            fits |= follows

    def _check_finite(self, saved: list[Any], offset: int) -> None:
        """Under ``detect_anomaly``: the first inf or nan the forward pass produced, as the eager engine reports it."""
        for step, (_, out) in zip(self.program.steps, saved, strict=True):
            bad = ~np.isfinite(out)
            if bad.any():
                first = tuple(np.argwhere(bad)[0])  # (node,) or (node, sample)
                where = f" for sample {offset + first[1]}" if len(first) > 1 else ""
                raise FloatingPointError(
                    f"{step.name} produced {out[first]}{where} (forward pass of the compiled step, "
                    f"node {step.nodes[first[0]]} of the recording)"
                )

    def _follows(self, checks: list[Any], batch: np.ndarray, shared: np.ndarray) -> np.ndarray:
        """For each sample: does it answer every one of ``checks`` as recorded?"""
        fits = np.ones(batch.shape[1], dtype=bool)
        with np.errstate(invalid="ignore"):
            for what, refs, result in checks:
                a, *b = [self.program.values(batch, shared, r) if isinstance(r, int) else r for r in refs]
                if what == "read":
                    fits &= (a == result) | ((a != a) & (result != result))
                else:
                    fits &= COMPARE[what](a, b[0]) == result
        return fits

    def _where(self, graph: Graph) -> str:
        lines = sorted(set(graph.where) | set(self.graph.where))
        return "comparisons at " + ", ".join(lines) if lines else "no comparison was seen"

    # ---- batches ----------------------------------------------------------

    def _inputs(self, batches: Sequence[Any]) -> np.ndarray:
        """The batches as one array: a row per number of a sample, a column per sample."""
        if len(batches) != len(self.shapes):
            raise TypeError(f"step takes {len(self.shapes)} batches (one per example argument), got {len(batches)}")
        arrays = [as_batch(b, shape, name) for b, shape, name in zip(batches, self.shapes, self.names, strict=True)]
        lengths = {len(a) for a in arrays}
        if len(lengths) > 1:
            shown = ", ".join(f"{name}: {len(a)}" for name, a in zip(self.names, arrays, strict=True))
            raise ValueError(f"the batches must hold equally many samples, got {shown}")
        if not arrays[0].shape[0]:
            raise ValueError("the batch is empty: a mean needs at least one sample")
        return np.ascontiguousarray(np.concatenate([a.reshape(len(a), -1) for a in arrays], axis=1).T)

    def _sample(self, column: np.ndarray) -> list[Any]:
        """One sample, shaped like the example arguments (nested lists of floats)."""
        parts, start = [], 0
        for shape in self.shapes:
            size = math.prod(shape)
            parts.append(column[start : start + size].reshape(shape).tolist())
            start += size
        return parts

    def _chunk(self) -> int:
        return max(1, CHUNK_BYTES // (8 * 3 * self.program.batch_rows))

    def _result(self, result: Any, batch: np.ndarray, shared: np.ndarray) -> np.ndarray:
        if isinstance(result, int):
            return self.program.values(batch, shared, result)
        if isinstance(result, float):
            return np.full(batch.shape[1], result)
        return np.stack([self._result(r, batch, shared) for r in result], axis=1)
