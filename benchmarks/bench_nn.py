"""How fast is a training step through ``nn``? Beside the same step written
directly with Values, and micrograd 0.1.0's ``nn.MLP``, in one process.

Run by hand (not part of the tests): ``python benchmarks/bench_nn.py``
(``pip install -e '.[bench]'`` first, for micrograd); ``--quick`` for a
few-second smoke run.

The step is micrograd's demo: an MLP 2-16-16-1 (ReLU hidden layers, linear
output) on 100 moons points, loss = mean(relu(1 − y·score)) + 1e-4·Σp²;
one step = forward + loss, zero the gradients, backward, SGD update. All
three start from the same weights and data, so they do the same arithmetic:

- nn:        ``nn.MLP`` + ``nn.hinge_loss`` + ``nn.l2_penalty`` + ``nn.SGD``
- Values:    the same network written directly with ``autograd.Value``
             (micrograd's ``Neuron.__call__`` written out, as in
             bench_engine.py's W1), updated by hand
- micrograd: ``micrograd.nn.MLP(2, [16, 16, 1])``, updated by hand

Fair timing: the three alternate round by round (who goes first rotates);
the previous run's garbage is collected before each timed step (untimed),
and the step's own graph is freed after the clock stops. Reported: min
(median) over the rounds, with Python's GC on and under ``gc.disable()``;
then five steps in a row per run, each dropping the previous step's graph
as a training loop does (GC on). The targets: nn within 1.2× of Values,
micrograd at least 10× slower than nn. Last, what tagging Values with their
layer and neuron (``Value.scope``) costs per step.
"""

from __future__ import annotations

import argparse
import gc
import platform
import statistics
import time
from collections.abc import Callable
from typing import Any

import autograd
import nn

ALPHA, LR = 1e-4, 0.05


def moons(n_points: int) -> tuple[list[list[float]], list[int]]:
    """The demo's data: moons points and labels ±1."""
    X, y = nn.make_moons(n_points, noise=0.1, seed=0)
    return X.tolist(), (2 * y - 1).tolist()


def reference_weights() -> list[list[tuple[list[float], float]]]:
    """The starting weights all three share: per layer, per neuron, (w, b)."""
    model = nn.MLP(2, [16, 16, 1], init="he_uniform", seed=0)
    return [[([w.data for w in n.w], n.b.data) for n in layer.neurons] for layer in model.layers]


def make_nn_step(X: list[list[float]], y: list[int]) -> Callable[[], Any]:
    model = nn.MLP(2, [16, 16, 1], init="he_uniform", seed=0)
    optimizer = nn.SGD(model.parameters(), lr=LR)

    def step() -> Any:
        scores: list[Any] = [model(x) for x in X]  # one output: each a Value
        loss = nn.hinge_loss(scores, y) + nn.l2_penalty(model.parameters(), ALPHA)
        model.zero_grad()
        loss.backward()
        optimizer.step()
        return loss

    return step


def make_values_step(X: list[list[float]], y: list[int]) -> Callable[[], Any]:
    Value = autograd.Value
    layers = [[([Value(w) for w in ws], Value(b)) for ws, b in layer] for layer in reference_weights()]
    params = [p for layer in layers for ws, b in layer for p in [*ws, b]]

    def step() -> Any:
        scores = []
        for point in X:
            x: list[Any] = [Value(c) for c in point]  # as micrograd's demo and nn do: one leaf per input
            for depth, layer in enumerate(layers):
                acts = [sum((wi * xi for wi, xi in zip(ws, x, strict=True)), b) for ws, b in layer]
                x = [a.relu() for a in acts] if depth < len(layers) - 1 else acts
            scores.append(x[0])
        losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores, strict=True)]
        loss = sum(losses) * (1.0 / len(losses)) + ALPHA * sum(p * p for p in params)
        for p in params:
            p.grad = 0.0
        loss.backward()
        for p in params:
            p.data -= LR * p.grad
        return loss

    return step


def make_micrograd_step(X: list[list[float]], y: list[int]) -> Callable[[], Any]:
    from micrograd.engine import Value
    from micrograd.nn import MLP

    model = MLP(2, [16, 16, 1])
    for layer, weights in zip(model.layers, reference_weights(), strict=True):
        for neuron, (ws, b) in zip(layer.neurons, weights, strict=True):
            neuron.w = [Value(w) for w in ws]
            neuron.b = Value(b)
    params = model.parameters()

    def step() -> Any:
        scores = [model([Value(x0), Value(x1)]) for x0, x1 in X]
        losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores, strict=True)]
        loss = sum(losses) * (1.0 / len(losses)) + ALPHA * sum(p * p for p in params)
        model.zero_grad()
        loss.backward()
        for p in params:
            p.data -= LR * p.grad
        return loss

    return step


def time_interleaved(steps: dict[str, Callable[[], Any]], rounds: int, gc_enabled: bool) -> dict[str, list[float]]:
    """Seconds per step for each, alternating round by round."""
    times: dict[str, list[float]] = {name: [] for name in steps}
    names = list(steps)
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:  # rotate who goes first
            gc.collect()  # untimed: earlier garbage is not this step's cost
            if not gc_enabled:
                gc.disable()
            try:
                start = time.perf_counter()
                result = steps[name]()
                times[name].append(time.perf_counter() - start)
                del result  # untimed: free the graph
            finally:
                gc.enable()
    return times


def time_training_loop(steps: dict[str, Callable[[], Any]], rounds: int, per_run: int = 5) -> dict[str, list[float]]:
    """Seconds per step over ``per_run`` steps in a row, each dropping the previous graph (GC on)."""
    times: dict[str, list[float]] = {name: [] for name in steps}
    names = list(steps)
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            gc.collect()
            start = time.perf_counter()
            result = None
            for _ in range(per_run):
                result = steps[name]()
            times[name].append((time.perf_counter() - start) / per_run)
            del result
    return times


def scope_cost(repeats: int = 200_000) -> tuple[float, float]:
    """Seconds per enter + exit: ``with autograd.scope(...)``, and nn's enter_scope/exit_scope."""
    from autograd.modes import enter_scope, exit_scope

    start = time.perf_counter()
    for _ in range(repeats):
        with autograd.scope("neuron1"):
            pass
    context_manager = (time.perf_counter() - start) / repeats
    start = time.perf_counter()
    for _ in range(repeats):
        token = enter_scope("neuron1")
        try:
            pass
        finally:
            exit_scope(token)
    return context_manager, (time.perf_counter() - start) / repeats


def ms(ts: list[float]) -> str:
    return f"{min(ts) * 1e3:.1f} ({statistics.median(ts) * 1e3:.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 points, 2 rounds: a smoke run")
    parser.add_argument("--rounds", type=int, default=9, help="timed steps of each (default 9)")
    args = parser.parse_args()
    rounds, n_points = (2, 10) if args.quick else (args.rounds, 100)
    X, y = moons(n_points)
    steps = {"nn": make_nn_step(X, y), "Values": make_values_step(X, y), "micrograd": make_micrograd_step(X, y)}
    first = {name: step().data for name, step in steps.items()}  # also a check: the same loss from all three
    spread = max(first.values()) - min(first.values())
    print(f"Python {platform.python_version()}, {platform.machine()}; {rounds} rounds; {n_points} points")
    print(f"first-step loss: {first['nn']:.12f} (largest difference between the three: {spread:.1e})\n")
    print("| step, times in ms: min (median) | GC | nn | Values | micrograd | nn ÷ Values | micrograd ÷ nn |")
    print("|---|---|---|---|---|---|---|")
    runs = [("one step", gc_on, time_interleaved(steps, rounds, gc_on)) for gc_on in (True, False)]
    runs.append(("5 steps in a row, per step", True, time_training_loop(steps, max(2, rounds // 2))))
    for label, gc_on, times in runs:
        best = {name: min(ts) for name, ts in times.items()}
        cells = [label, "on" if gc_on else "off", *(ms(times[name]) for name in steps)]
        cells += [f"{best['nn'] / best['Values']:.2f}×", f"{best['micrograd'] / best['nn']:.1f}×"]
        print("| " + " | ".join(cells) + " |")
    context_manager, direct = scope_cost()
    scopes_per_step = n_points * (3 + 33)  # 3 layers and 33 neurons per sample
    step_time = min(runs[0][2]["nn"])
    print(
        f"\nscope tagging: `with autograd.scope()` {context_manager * 1e6:.2f} µs per enter+exit, "
        f"nn's direct set-and-restore {direct * 1e6:.2f} µs; {scopes_per_step:,} scopes per step cost "
        f"{scopes_per_step * context_manager * 1e3:.1f} ms vs {scopes_per_step * direct * 1e3:.1f} ms "
        f"({scopes_per_step * context_manager / step_time:.1%} vs {scopes_per_step * direct / step_time:.1%} "
        "of an nn step)"
    )


if __name__ == "__main__":
    main()
