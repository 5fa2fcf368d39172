"""How fast is a compiled step? W1 through ``autograd.compile`` beside the floors and the peers, in one run.

Run by hand (not part of the tests): ``python benchmarks/bench_compile.py``
(``pip install -e '.[dev]'`` first: micrograd 0.1.0 and torch). ``--quick``
runs every row at a small size in a few seconds.

W1 is the step of ``bench_engine.py``: Karpathy's demo MLP 2-16-16-1 (ReLU),
100 points, loss = mean(relu(1 − y·score)) + 1e-4·Σp², gradients of every
weight. All rows start from the same weights and points:

- eager:      graphgrad's Values, built and backpropagated (bench_engine's W1)
- compiled:   the loss of one sample recorded once with ``autograd.compile``,
              then run over the 100 points as array operations
- NumPy:      the step written by hand with matrices, forward and backward —
              the floor
- PyTorch:    the same with float64 tensors and ``loss.backward()`` (if installed)
- micrograd:  micrograd 0.1.0's Values (if installed)
- micrograd-rust: the Rust port's Values, driven from Python as micrograd's are (if
              installed; it is built from its source with cargo, see the README). Its
              Values have no relu and take no plain numbers in ``v + 1``/``v * c``: relu(x)
              is written ``x * Value(1.0 if x.data > 0 else 0.0)`` (the same value and
              gradient, one extra node per relu) and numbers are wrapped in Values.

Every row zeroes the gradients, computes the loss and all gradients. The rows
alternate round by round; the previous round's garbage is collected
(untimed) first. Reported: min (median) over the rounds, and each row's time
÷ the NumPy floor. Compile time (recording one sample and grouping its graph)
is reported separately, beside one eager step. Then, with ``--epoch``: one
epoch of the 784-16-16-10 network (tanh, cross-entropy, mini-batches of 100)
over 60,000 synthetic 28×28 images, through ``nn.fit(..., compiled=True)``.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import platform
import random
import statistics
import time
from collections.abc import Callable
from itertools import pairwise
from typing import Any

import numpy as np
from bench_engine import make_mlp_step, make_points

import autograd
import nn

SIZES = [2, 16, 16, 1]
ALPHA = 1e-4


def weights(seed: int = 0) -> list[list[tuple[list[float], float]]]:
    """bench_engine's starting weights: per layer, per neuron, (w, b)."""
    rng = random.Random(seed)
    return [[([rng.uniform(-1, 1) for _ in range(nin)], 0.0) for _ in range(nout)] for nin, nout in pairwise(SIZES)]


def make_compiled_step(n_points: int) -> tuple[Callable[[], float], Callable[[], Any], Any]:
    """W1 through autograd.compile: the step, how to compile it again (for timing), and the compiled step."""
    layers = [[([autograd.Value(w) for w in ws], autograd.Value(b)) for ws, b in layer] for layer in weights()]
    params = [p for layer in layers for w, b in layer for p in [*w, b]]
    points, labels = make_points(n_points, 0)

    def sample_loss(x: list[Any], y: Any) -> Any:
        for depth, layer in enumerate(layers):
            acts = [sum((wi * xi for wi, xi in zip(w, x, strict=True)), b) for w, b in layer]
            x = [a.relu() for a in acts] if depth < len(layers) - 1 else acts
        return (1 + -y * x[0]).relu() + ALPHA * sum(p * p for p in params)

    def compile_it() -> Any:
        return autograd.compile(sample_loss, list(points[0]), labels[0])

    compiled = compile_it()
    X, Y = np.array(points), np.array(labels, dtype=float)

    def step() -> float:
        for p in params:
            p.grad = 0.0
        return compiled(X, Y)

    return step, compile_it, compiled


def make_numpy_step(n_points: int) -> Callable[[], tuple[float, list[np.ndarray]]]:
    """W1 written by hand with NumPy matrices, forward and backward: the floor."""
    Ws = [np.array([w for w, _ in layer]).T for layer in weights()]  # nin × nout
    bs = [np.array([b for _, b in layer]) for layer in weights()]
    points, labels = make_points(n_points, 0)
    X, y = np.array(points), np.array(labels, dtype=float)

    def step() -> tuple[float, list[np.ndarray]]:
        h1 = np.maximum(X @ Ws[0] + bs[0], 0.0)
        h2 = np.maximum(h1 @ Ws[1] + bs[1], 0.0)
        score = (h2 @ Ws[2] + bs[2])[:, 0]
        margin = 1.0 - y * score
        reg = sum(float((W * W).sum() + (b * b).sum()) for W, b in zip(Ws, bs, strict=True))
        loss = float(np.maximum(margin, 0.0).mean()) + ALPHA * reg
        g_score = np.where(margin > 0.0, -y, 0.0)[:, None] / len(y)
        g2 = (g_score @ Ws[2].T) * (h2 > 0.0)
        g1 = (g2 @ Ws[1].T) * (h1 > 0.0)
        grads = [X.T @ g1, g1.sum(0), h1.T @ g2, g2.sum(0), h2.T @ g_score, g_score.sum(0)]
        for k, (W, b) in enumerate(zip(Ws, bs, strict=True)):
            grads[2 * k] += 2 * ALPHA * W
            grads[2 * k + 1] += 2 * ALPHA * b
        return loss, grads

    return step


def make_torch_step(n_points: int) -> Callable[[], Any] | None:
    """W1 in PyTorch (float64 matrices, autograd), or None without torch."""
    try:
        import torch
    except ImportError:
        return None
    Ws = [torch.tensor([w for w, _ in layer], dtype=torch.float64).T.contiguous() for layer in weights()]
    bs = [torch.tensor([b for _, b in layer], dtype=torch.float64) for layer in weights()]
    params = [t.requires_grad_() for pair in zip(Ws, bs, strict=True) for t in pair]
    points, labels = make_points(n_points, 0)
    X, y = torch.tensor(points, dtype=torch.float64), torch.tensor(labels, dtype=torch.float64)

    def step() -> Any:
        for p in params:
            p.grad = None
        h1 = torch.relu(X @ Ws[0] + bs[0])
        h2 = torch.relu(h1 @ Ws[1] + bs[1])
        score = (h2 @ Ws[2] + bs[2])[:, 0]
        loss = torch.relu(1 - y * score).mean() + ALPHA * sum((p * p).sum() for p in params)
        loss.backward()
        return loss.item()

    return step


def make_rust_step(n_points: int) -> Callable[[], Any] | None:
    """W1 on micrograd-rust's Values (see the module docstring), or None when it is not installed."""
    try:
        from micrograd_rust import Value
    except ImportError:
        return None
    layers = [[([Value(w) for w in ws], Value(b)) for ws, b in layer] for layer in weights()]
    params = [p for layer in layers for w, b in layer for p in [*w, b]]
    points, labels = make_points(n_points, 0)

    def relu(x: Any) -> Any:
        return x * Value(1.0 if x.data > 0 else 0.0)

    def step() -> Any:
        scores = []
        for point in points:
            x = [Value(point[0]), Value(point[1])]
            for depth, layer in enumerate(layers):
                acts = [sum((wi * xi for wi, xi in zip(w, x, strict=True)), b) for w, b in layer]
                x = [relu(a) for a in acts] if depth < len(layers) - 1 else acts
            scores.append(x[0])
        losses = [relu(Value(1.0) + Value(-float(yi)) * score) for yi, score in zip(labels, scores, strict=True)]
        loss = (1.0 / len(losses)) * sum(losses) + ALPHA * sum(p * p for p in params)
        for p in params:
            p.grad = 0.0
        loss.backward()
        return loss

    return step


def time_rounds(steps: dict[str, Callable[[], Any]], rounds: int) -> dict[str, list[float]]:
    """Seconds per call of each step, the steps alternating round by round (who goes first rotates)."""
    times: dict[str, list[float]] = {name: [] for name in steps}
    names = list(steps)
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            gc.collect()  # untimed: nobody pays for the previous run's garbage
            start = time.perf_counter()
            result = steps[name]()
            times[name].append(time.perf_counter() - start)
            del result
    return times


def ms(ts: list[float]) -> str:
    return f"{min(ts) * 1e3:.2f} ({statistics.median(ts) * 1e3:.2f})"


def synthetic_digits(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """n synthetic 28×28 images in 10 classes: each class a fixed random pattern of pixels in
    [0, 1]; each image its class's pattern plus Gaussian noise (σ 0.3), clipped to [0, 1]."""
    rng = np.random.default_rng(seed)
    patterns = rng.random((10, 784))
    labels = rng.integers(0, 10, n)
    images = np.clip(patterns[labels] + rng.normal(0.0, 0.3, (n, 784)), 0.0, 1.0)
    return images, labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a few seconds")
    parser.add_argument("--rounds", type=int, default=15, help="timed runs of each row (default 15)")
    parser.add_argument("--epoch", action="store_true", help="also time one compiled epoch on 60,000 synthetic images")
    args = parser.parse_args()
    rounds = 3 if args.quick else args.rounds
    n_points = 20 if args.quick else 100

    compiled_step, compile_it, compiled = make_compiled_step(n_points)
    steps: dict[str, Callable[[], Any]] = {
        "compiled": compiled_step,
        "NumPy": make_numpy_step(n_points),
        "eager": make_mlp_step(autograd.Value, n_points),
    }
    torch_step = make_torch_step(n_points)
    if torch_step is not None:
        steps["PyTorch"] = torch_step
    try:
        import micrograd.engine

        steps["micrograd"] = make_mlp_step(micrograd.engine.Value, n_points)
    except ImportError:
        pass
    rust_step = make_rust_step(n_points)
    if rust_step is not None:
        steps["micrograd-rust"] = rust_step
    times = time_rounds(steps, rounds)
    floor = min(times["NumPy"])
    today = datetime.date.today().isoformat()
    print(f"{today}, Python {platform.python_version()}, NumPy {np.__version__}, {platform.machine()}, ", end="")
    print(f"{rounds} rounds; ms per step, min (median)\n")
    print(f"| W1 step, {n_points} points | ms | ÷ NumPy floor | ÷ compiled |")
    print("|---|---|---|---|")
    for name, ts in sorted(times.items(), key=lambda item: min(item[1])):
        print(f"| {name} | {ms(ts)} | {min(ts) / floor:.1f}× | {min(ts) / min(times['compiled']):.1f}× |")

    compile_times = time_rounds({"compile": compile_it}, rounds)["compile"]
    print(f"\ncompile time (record one sample + group its graph): {ms(compile_times)} ms; ", end="")
    print(f"one eager step: {ms(times['eager'])} ms")
    summary = compiled.summary()
    print(f"W1's graph: {summary.values:,} values per sample → {summary.forward} array operations forward, ", end="")
    print(f"{summary.backward} backward\n")
    print(summary)

    if args.epoch:
        n = 6_000 if args.quick else 60_000
        X, y = synthetic_digits(n)
        model = nn.MLP(784, [16, 16, 10], activation="tanh", init="he_uniform", seed=0)
        start = time.perf_counter()
        history = nn.fit(
            model, X, y, loss="cross_entropy", epochs=1, batch_size=100, lr=0.05, compiled=True, progress=False
        )
        seconds = time.perf_counter() - start
        print(f"\n784-16-16-10, one compiled epoch over {n:,} synthetic 28×28 images (batches of 100): ", end="")
        print(f"{seconds:.1f} s (compile included); loss {history['loss'][0]:.3f}, ", end="")
        print(f"accuracy {history['accuracy'][0]:.1%}")


if __name__ == "__main__":
    main()
