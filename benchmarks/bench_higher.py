"""How big is a recorded backward pass, and how does it grow with the order of the derivative?

Run by hand (not part of the tests): ``python benchmarks/bench_higher.py``
(torch comes with the ``test`` extra). ``--quick`` stops at order 5.

``grad(f, xs, create_graph=True)`` returns gradients whose graphs record the
backward pass; differentiating them again gives the next order. Each
differentiation records the chain rule over a graph that already holds the
previous ones, so the graphs grow geometrically with the order — PyTorch
users meet this as derivatives that take ~3× longer per order (pytorch
issue #111563). This script counts, for graphgrad and for PyTorch in the same
run:

- **operations**: the distinct operation nodes a result's graph reaches
  (graphgrad: Values with parents; PyTorch: ``grad_fn`` nodes other than
  ``AccumulateGrad``, which stands for a leaf). A PyTorch node may be a fused
  backward kernel (``TanhBackward`` computes grad·(1 − y²) in one node),
  where graphgrad records the primitive gates ``*``, ``*-1``, ``+1``;
- **no folding**: graphgrad recording every product and sum of the chain
  rule as a node, nothing reused (what folding and reuse save);
- **time** to compute each order from the previous one, best of several runs.

Workloads: the sigmoid neuron of the lecture (``autograd.examples``, both
forms; torch builds the same expression), ``x**3``, and orders 1..N of
``tanh(x)·x`` and ``σ(x)``.
"""

from __future__ import annotations

import argparse
import contextlib
import platform
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import torch

import autograd
from autograd import Value, examples, higher, topological_order
from autograd.recording import ADD, MUL, BackwardPass

# ---- counting -------------------------------------------------------------------


def graphgrad_operations(values: list[Any]) -> int:
    """Distinct operation nodes reachable from any of ``values``."""
    return len({node for v in values for node in topological_order(v) if node.parents})


def torch_operations(tensors: list[torch.Tensor]) -> int:
    """Distinct ``grad_fn`` nodes reachable from any of ``tensors`` (leaves' AccumulateGrad left out)."""
    seen: set[Any] = set()
    stack = [t.grad_fn for t in tensors if t.grad_fn is not None]
    while stack:
        fn = stack.pop()
        if fn in seen:
            continue
        seen.add(fn)
        stack.extend(next_fn for next_fn, _ in fn.next_functions if next_fn is not None)
    return sum(1 for fn in seen if type(fn).__name__ != "AccumulateGrad")


class RecordEverything(BackwardPass):
    """The chain rule recorded as written: every product and sum a new node, nothing folded or reused."""

    def apply(self, op: Any, *operands: Any) -> Any:
        if not any(isinstance(x, Value) for x in operands):
            return super().apply(op, *operands)
        return autograd.apply(op, *operands)

    def add(self, a: Any, b: Any) -> Any:
        return self.apply(ADD, a, b)

    def mul(self, a: Any, b: Any) -> Any:
        return self.apply(MUL, a, b)


@contextlib.contextmanager
def no_folding() -> Iterator[None]:
    """grad() with RecordEverything in place of the folding BackwardPass (for this measurement only)."""
    original = higher.BackwardPass
    higher.BackwardPass = RecordEverything  # type: ignore[misc]
    try:
        yield
    finally:
        higher.BackwardPass = original  # type: ignore[misc]


# ---- workloads ------------------------------------------------------------------


def torch_neuron(single_gate: bool) -> tuple[torch.Tensor, list[torch.Tensor]]:
    """The lecture's neuron in PyTorch, built from the same steps as autograd.examples.sigmoid_neuron."""
    values = {"w0": 2.0, "x0": -1.0, "w1": -3.0, "x1": -2.0, "w2": -3.0}
    xs = {name: torch.tensor(v, dtype=torch.float64, requires_grad=True) for name, v in values.items()}
    dot = xs["w0"] * xs["x0"] + xs["w1"] * xs["x1"] + xs["w2"]
    f = torch.sigmoid(dot) if single_gate else 1 / (1 + torch.exp(dot * -1))
    return f, list(xs.values())


def neuron_table() -> list[tuple[str, int, int, int, int]]:
    """(form, order, graphgrad, no folding, torch): operations of all derivatives of that order together."""
    rows = []
    for single_gate in (False, True):
        form = "σ gate" if single_gate else "lecture gates"
        counts: dict[str, list[int]] = {}
        for name, folding in (("graphgrad", True), ("no folding", False)):
            f, xs = examples.sigmoid_neuron(single_gate=single_gate)
            inputs = list(xs.values())
            with contextlib.nullcontext() if folding else no_folding():
                first = list(autograd.grad(f, inputs, create_graph=True))
                second = [d for g in first for d in autograd.grad(g, inputs, create_graph=True)]
            counts[name] = [graphgrad_operations([f]), graphgrad_operations(first), graphgrad_operations(second)]
        ft, xt = torch_neuron(single_gate)
        first_t = list(torch.autograd.grad(ft, xt, create_graph=True))
        second_t = [d for g in first_t for d in torch.autograd.grad(g, xt, create_graph=True, allow_unused=True)]
        torch_counts = [
            torch_operations([ft]),
            torch_operations(first_t),
            torch_operations([d for d in second_t if d is not None]),
        ]
        for order in range(3):
            rows.append((form, order, counts["graphgrad"][order], counts["no folding"][order], torch_counts[order]))
    return rows


def orders(
    ours: Callable[[Value], Value], theirs: Callable[[torch.Tensor], torch.Tensor], x0: float, top: int, repeats: int
) -> list[tuple[int, int, int, int, float, float]]:
    """(order, graphgrad ops, no-folding ops, torch ops, graphgrad seconds, torch seconds) for orders 0..top."""
    rows = []
    x = Value(x0, label="x")
    xt = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    d, dt, naive = ours(x), theirs(xt), ours(x)
    rows.append((0, graphgrad_operations([d]), graphgrad_operations([naive]), torch_operations([dt]), 0.0, 0.0))
    for order in range(1, top + 1):
        ours_time = best_time(lambda d=d: autograd.grad(d, [x], create_graph=True), repeats)
        torch_time = best_time(lambda dt=dt: torch.autograd.grad(dt, [xt], create_graph=True), repeats)
        (d,) = autograd.grad(d, [x], create_graph=True)
        (dt,) = torch.autograd.grad(dt, [xt], create_graph=True)
        with no_folding():
            (naive,) = autograd.grad(naive, [x], create_graph=True)
        assert abs(d.data - dt.item()) <= 1e-9 * max(1.0, abs(dt.item())), (order, d.data, dt.item())
        assert abs(naive.data - d.data) <= 1e-9 * max(1.0, abs(d.data))
        counts = (graphgrad_operations([d]), graphgrad_operations([naive]), torch_operations([dt]))
        rows.append((order, *counts, ours_time, torch_time))
    return rows


def best_time(fn: Callable[[], Any], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def growth(numbers: list[int]) -> str:
    """The mean factor per order over the last three orders."""
    tail = numbers[-4:]
    return f"{(tail[-1] / tail[0]) ** (1 / (len(tail) - 1)):.2f}x"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="orders up to 5 only, fewer repeats")
    args = parser.parse_args(argv)
    top, repeats = (5, 3) if args.quick else (8, 5)
    print(f"Python {platform.python_version()}, torch {torch.__version__}, {platform.machine()}")

    print("\nThe sigmoid neuron: operations in the graphs of all derivatives of each order together")
    print(f"{'form':<14}{'order':>6}{'graphgrad':>11}{'no folding':>12}{'PyTorch':>9}")
    for form, order, ours, naive, theirs in neuron_table():
        print(f"{form:<14}{order:>6}{ours:>11}{naive:>12}{theirs:>9}")

    workloads: list[tuple[str, Callable[[Any], Any], Callable[[Any], Any], float, int]] = [
        ("x**3", lambda x: x**3, lambda x: x**3, 2.0, 4),
        ("tanh(x)·x", lambda x: x.tanh() * x, lambda x: torch.tanh(x) * x, 0.5, top),
        ("σ(x)", lambda x: x.sigmoid(), torch.sigmoid, 0.5, top),
    ]
    for name, ours, theirs, x0, last in workloads:
        rows = orders(ours, theirs, x0, last, repeats)
        print(f"\n{name} at x = {x0}: the n-th derivative's graph, and the time to get it from the (n−1)-th")
        print(f"{'order':>5}{'graphgrad':>11}{'no folding':>12}{'PyTorch':>9}{'graphgrad ms':>14}{'PyTorch ms':>12}")
        for order, ops, naive, theirs_ops, t_ours, t_torch in rows:
            times = f"{t_ours * 1e3:>14.3f}{t_torch * 1e3:>12.3f}" if order else ""
            print(f"{order:>5}{ops:>11}{naive:>12}{theirs_ops:>9}{times}")
        if last >= 5:
            columns = list(zip(*rows, strict=True))
            print(
                f"growth per order (last three): graphgrad {growth(list(columns[1]))}, "
                f"no folding {growth(list(columns[2]))}, PyTorch {growth(list(columns[3]))}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
