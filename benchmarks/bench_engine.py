"""How fast is the engine? graphgrad beside micrograd 0.1.0, in one process.

Run by hand (not part of the tests): ``python benchmarks/bench_engine.py``
(``pip install -e '.[bench]'`` first, for micrograd). ``--quick`` runs every
workload at a small size in a few seconds.

Workloads:

- W1  Karpathy's demo training step: an MLP 2-16-16-1 with ReLU written
      directly with Values, 100 two-dimensional points, loss =
      mean(relu(1 − y·score)) + 1e-4·Σp²; build + zero + backward. Beside
      it the same step written by hand with plain floats (forward and
      backward), the floor no scalar engine can beat.
- W2  a chain x → tanh(x·0.5 + 0.1) repeated N times, built and
      backpropagated. micrograd 0.1.0 has no tanh, so the comparison uses
      relu in both engines, at a depth micrograd's recursive walk survives;
      and shows where it stops.
- W3  one leaf used 100,000 times (x·c summed as a balanced tree).
- W4  bytes per node of a built graph (W1's), measured with tracemalloc.

Fair timing: the engines alternate round by round; before each timed run
the previous run's garbage is collected (untimed), and the run's own graph
is freed after the clock stops, so every run times exactly build + zero +
backward and nobody pays for anybody's garbage. The minimum and median of
the rounds are reported. "GC on" is Python's default collector; "GC off"
wraps the timed runs in ``gc.disable()``. One more row, "W1 in a training
loop", times five steps in a row, each freeing the previous step's graph as
a training loop does (by reference counting in graphgrad; micrograd's
graphs are reference cycles, left to the cyclic collector). Numbers depend
on the machine: compare the ratios.
"""

from __future__ import annotations

import argparse
import gc
import platform
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from itertools import pairwise
from typing import Any

import autograd


def engines() -> dict[str, Any]:
    """The Value classes compared (micrograd comes from the ``bench`` extra)."""
    try:
        import micrograd.engine
    except ImportError:
        sys.exit("micrograd is missing: pip install -e '.[bench]' (it installs micrograd==0.1.0)")
    return {"graphgrad": autograd.Value, "micrograd": micrograd.engine.Value}


# ---- W1: the demo step, written once for any Value class ------------------


def make_mlp(value_class: Any, n_points: int = 100, seed: int = 0) -> tuple[Callable[[], Any], list[Any]]:
    """Karpathy's demo network and data on ``value_class``: a function that
    builds the loss graph, and the parameters."""
    rng = random.Random(seed)
    sizes = [2, 16, 16, 1]
    layers = [
        [([value_class(rng.uniform(-1, 1)) for _ in range(nin)], value_class(0.0)) for _ in range(nout)]
        for nin, nout in pairwise(sizes)
    ]
    params = [p for layer in layers for w, b in layer for p in [*w, b]]
    points, labels = make_points(n_points, seed)

    def build_loss() -> Any:
        scores = []
        for point in points:
            x = [value_class(point[0]), value_class(point[1])]
            for depth, layer in enumerate(layers):
                acts = [sum((wi * xi for wi, xi in zip(w, x, strict=True)), b) for w, b in layer]
                x = [a.relu() for a in acts] if depth < len(layers) - 1 else acts
            scores.append(x[0])
        losses = [(1 + -yi * score).relu() for yi, score in zip(labels, scores, strict=True)]
        data_loss = sum(losses) * (1.0 / len(losses))
        return data_loss + 1e-4 * sum(p * p for p in params)

    return build_loss, params


def make_mlp_step(value_class: Any, n_points: int = 100) -> Callable[[], Any]:
    """W1: build the loss, zero the gradients, backward; returns the loss (the graph's root)."""
    build_loss, params = make_mlp(value_class, n_points)

    def step() -> Any:
        loss = build_loss()
        for p in params:
            p.grad = 0.0
        loss.backward()
        return loss

    return step


def make_points(n: int, seed: int) -> tuple[list[tuple[float, float]], list[int]]:
    """n random points in the plane with labels ±1 (any data of this size times the same)."""
    rng = random.Random(seed + 1)
    points = [(rng.uniform(-1.0, 2.0), rng.uniform(-1.0, 1.0)) for _ in range(n)]
    return points, [1 if x * x + y > 0.5 else -1 for x, y in points]


def make_float_step(n_points: int = 100, seed: int = 0) -> Callable[[], tuple[float, list[float]]]:
    """The same step with plain floats and a hand-written backward pass: the floor."""
    rng = random.Random(seed)
    sizes = [2, 16, 16, 1]
    layers = [[([rng.uniform(-1, 1) for _ in range(nin)], 0.0) for _ in range(nout)] for nin, nout in pairwise(sizes)]
    points, labels = make_points(n_points, seed)

    def step() -> tuple[float, list[float]]:
        grads = [[[0.0] * len(w) for w, _ in layer] for layer in layers]
        bias_grads = [[0.0] * len(layer) for layer in layers]
        total = 0.0
        for point, yi in zip(points, labels, strict=True):
            inputs = [list(point)]  # the input of every layer, kept for the backward pass
            for depth, layer in enumerate(layers):
                acts = [sum((wi * xi for wi, xi in zip(w, inputs[-1], strict=True)), b) for w, b in layer]
                inputs.append([max(a, 0.0) for a in acts] if depth < len(layers) - 1 else acts)
            margin = 1.0 - yi * inputs[-1][0]
            total += max(margin, 0.0)
            # backward: ∂loss/∂score, then layer by layer
            upstream = [-yi / len(points) if margin > 0.0 else 0.0]
            for depth in range(len(layers) - 1, -1, -1):
                x = inputs[depth]
                below = [0.0] * len(x)
                for j, (w, _) in enumerate(layers[depth]):
                    g = upstream[j]
                    bias_grads[depth][j] += g
                    row = grads[depth][j]
                    for i, wi in enumerate(w):
                        row[i] += g * x[i]
                        below[i] += g * wi
                if depth:  # through the ReLU of the layer below
                    below = [g if a > 0.0 else 0.0 for g, a in zip(below, inputs[depth], strict=True)]
                upstream = below
        reg = 0.0
        for layer, layer_grads, layer_bias_grads in zip(layers, grads, bias_grads, strict=True):
            for j, ((w, b), row) in enumerate(zip(layer, layer_grads, strict=True)):
                reg += sum(wi * wi for wi in w) + b * b
                for i, wi in enumerate(w):
                    row[i] += 2e-4 * wi
                layer_bias_grads[j] += 2e-4 * b
        flat = [g for row, bias in zip(sum(grads, []), sum(bias_grads, []), strict=True) for g in [*row, bias]]
        return total / len(points) + 1e-4 * reg, flat  # in make_mlp's parameter order

    return step


# ---- W2, W3: chains and fan-out ---------------------------------------------


def make_chain(value_class: Any, n: int, activation: str = "tanh") -> Callable[[], Any]:
    """x → act(x·0.5 + 0.1), n times, then backward; returns the output."""

    def step() -> Any:
        x = value_class(0.3)
        y = x
        for _ in range(n):
            y = getattr(y * 0.5 + 0.1, activation)()
        y.backward()
        return y

    return step


def make_fan_out(value_class: Any, uses: int = 100_000) -> Callable[[], Any]:
    """One leaf x used ``uses`` times: Σ x·c_i, summed pairwise (a shallow tree, so micrograd copes);
    returns the sum."""

    def step() -> Any:
        x = value_class(0.5)
        terms = [x * float(i % 7 + 1) for i in range(uses)]
        while len(terms) > 1:
            pairs = [a + b for a, b in zip(terms[::2], terms[1::2], strict=False)]  # an odd one out waits
            terms = pairs + terms[len(pairs) * 2 :]
        terms[0].backward()
        return terms[0]

    return step


# ---- the cost of per-thread modes ------------------------------------------


def modes_cost(repeats: int = 200_000) -> tuple[float, float]:
    """Nanoseconds an operation spends reading the modes (no_grad, detect_anomaly,
    scope: one ContextVar.get per node, beside reading one process-wide object, what
    the engine did before modes were per thread), and nanoseconds of a whole a * b."""
    import timeit

    from autograd.modes import Modes, current

    names = {"current": current, "shared": Modes(), "a": autograd.Value(2.0), "b": autograd.Value(3.0)}

    def best(statement: str) -> float:
        return min(timeit.repeat(statement, globals=names, number=repeats, repeat=5)) / repeats

    per_thread = best("m = current(); m.grad_enabled; m.anomaly; m.scope")
    process_wide = best("m = shared; m.grad_enabled; m.anomaly; m.scope")
    multiply = best("a * b")
    return (per_thread - process_wide) * 1e9, multiply * 1e9


# ---- timing ---------------------------------------------------------------


def time_interleaved(steps: dict[str, Callable[[], Any]], rounds: int, gc_enabled: bool) -> dict[str, list[float]]:
    """Seconds per run of each step, alternating steps round by round."""
    times: dict[str, list[float]] = {name: [] for name in steps}
    names = list(steps)
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:  # rotate who goes first
            gc.collect()  # untimed: the previous run's garbage is not this run's cost
            if not gc_enabled:
                gc.disable()
            try:
                start = time.perf_counter()
                result = steps[name]()
                times[name].append(time.perf_counter() - start)
                del result  # untimed: freeing the graph (micrograd's needs the cyclic GC anyway)
            finally:
                gc.enable()
    return times


def time_training_loop(
    steps: dict[str, Callable[[], Any]], rounds: int, steps_per_run: int = 5
) -> dict[str, list[float]]:
    """Seconds per step of ``steps_per_run`` consecutive steps, each engine freeing its own garbage (GC on)."""
    times: dict[str, list[float]] = {name: [] for name in steps}
    names = list(steps)
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            gc.collect()  # untimed: start clean
            start = time.perf_counter()
            result = None
            for _ in range(steps_per_run):
                result = steps[name]()  # the previous step's graph is dropped here, as in a training loop
            times[name].append((time.perf_counter() - start) / steps_per_run)
            del result
    return times


def ms(ts: list[float]) -> str:
    """min (median) of the runs, in milliseconds."""
    return f"{min(ts) * 1e3:.1f} ({statistics.median(ts) * 1e3:.1f})"


def row(workload: str, gc_enabled: bool, times: dict[str, list[float]]) -> str:
    """One line of the markdown table; a ratio compares the minimums."""
    ours = min(times["graphgrad"])
    cells = [workload, "on" if gc_enabled else "off", ms(times["graphgrad"])]
    if "micrograd" in times:
        cells += [ms(times["micrograd"]), f"{min(times['micrograd']) / ours:.1f}×"]
    else:
        cells += ["—", "—"]
    if "floats" in times:
        cells += [ms(times["floats"]), f"{ours / min(times['floats']):.1f}×"]
    else:
        cells += ["—", "—"]
    return "| " + " | ".join(cells) + " |"


def bytes_per_node(value_class: Any, n_points: int) -> tuple[float, int]:
    """Memory held by W1's built graph (before backward), per node, and the node count."""
    build_loss, _ = make_mlp(value_class, n_points)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    loss = build_loss()
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    nodes = count_nodes(loss)
    return held / nodes, nodes


def count_nodes(root: Any) -> int:
    """Nodes reachable from root, for either engine (iterative: no recursion limit)."""
    seen = {id(root)}
    stack = [root]
    while stack:
        node = stack.pop()
        for parent in node.parents if hasattr(node, "parents") else node._prev:
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    return len(seen)


def micrograd_fails_at(micrograd_value: Any, n: int) -> str:
    """What micrograd's recursive backward does on a chain of n links."""
    try:
        make_chain(micrograd_value, n, "relu")()
    except RecursionError as error:
        return f"RecursionError: {error}"
    return "works"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a few seconds")
    parser.add_argument("--rounds", type=int, default=7, help="timed runs of each workload (default 7)")
    args = parser.parse_args()
    rounds = 2 if args.quick else args.rounds
    n_points, chain, uses = (10, 10_000, 10_000) if args.quick else (100, 1_000_000, 100_000)
    shallow = 250  # links of the compared chain: 750 nodes deep, inside micrograd's recursion limit
    too_deep = 5_000  # links: micrograd's recursive walk gives up long before

    compared = engines()
    print(f"Python {platform.python_version()}, {platform.machine()}; {rounds} rounds, times in ms: min (median)\n")
    print("| workload | GC | graphgrad | micrograd | micrograd ÷ graphgrad | floats | graphgrad ÷ floats |")
    print("|---|---|---|---|---|---|---|")
    for gc_enabled in (True, False):
        w1 = {name: make_mlp_step(cls, n_points) for name, cls in compared.items()}
        w1["floats"] = make_float_step(n_points)
        print(row(f"W1 MLP step, {n_points} points", gc_enabled, time_interleaved(w1, rounds, gc_enabled)))
    w1 = {name: make_mlp_step(cls, n_points) for name, cls in compared.items()}
    print(row("W1 in a training loop (5 steps per run)", True, time_training_loop(w1, max(2, rounds // 2))))
    for gc_enabled in (True, False):
        w2 = {name: make_chain(cls, shallow, "relu") for name, cls in compared.items()}
        print(row(f"W2 relu chain, {shallow} links", gc_enabled, time_interleaved(w2, rounds, gc_enabled)))
    for gc_enabled in (True, False):
        w2 = {"graphgrad": make_chain(autograd.Value, chain)}
        print(row(f"W2 tanh chain, {chain:,} links", gc_enabled, time_interleaved(w2, 1, gc_enabled)))
    for gc_enabled in (True, False):
        w3 = {name: make_fan_out(cls, uses) for name, cls in compared.items()}
        print(row(f"W3 one leaf used {uses:,} times", gc_enabled, time_interleaved(w3, rounds, gc_enabled)))

    print(
        f"\nW2 depth at recursion limit {sys.getrecursionlimit()}: graphgrad, {chain:,} links: works (timed above); ",
        end="",
    )
    print(f"micrograd, {too_deep:,} links: {micrograd_fails_at(compared['micrograd'], too_deep)}")
    memory = {name: bytes_per_node(cls, n_points) for name, cls in compared.items()}
    print("W4 memory of W1's graph before backward (tracemalloc): ", end="")
    print(
        "; ".join(
            f"{name} {per_node:.0f} bytes per node ({nodes:,} nodes)" for name, (per_node, nodes) in memory.items()
        )
    )
    extra, multiply = modes_cost()
    print(
        f"Per-thread modes: reading them costs {extra:.0f} ns per operation more than one process-wide object "
        f"({extra / multiply:.0%} of an a * b, which takes {multiply:.0f} ns)"
    )


if __name__ == "__main__":
    main()
