"""How long every detail level takes to draw graphs of growing size (run by hand).

    python benchmarks/bench_viz.py            # the README's table (a few minutes)
    python benchmarks/bench_viz.py --dot      # also Graphviz's dot on the graphs viz.layout places

The graphs are what a learner draws: the loss of an ``nn`` MLP over a batch of
moons points (hinge loss, after ``backward()``), sized to about 100, 1,000,
5,000, 20,000 and 1,000,000 values, and a chain of a million additions. For each detail level the time is
``viz.draw(root, detail=...)`` plus rendering its SVG (graphviz-pure), one run
each; a refused level shows how long the refusal took. The table is printed
as Markdown, headed by the date and the machine, for the README.

``--dot`` times Graphviz's own layout (default attributes, and bounded by
``nslimit``/``mclimit``) on drawings large enough for ``viz.layout`` to place
them, for comparison, stopping each after 120 s.
"""

from __future__ import annotations

import datetime
import os
import platform
import random
import subprocess
import sys
import time

import nn
import viz
from autograd import Value
from viz.dot import to_dot
from viz.layout import place
from viz.policy import count_values
from viz.render import find_renderer, render

SIZES = {  # target values: (hidden widths, points); the loss of MLP 2-h-h-1 over that many points
    100: ((4, 4), 1),
    1_000: ((16, 16), 1),
    5_000: ((16, 16), 7),
    20_000: ((16, 16), 30),
    1_000_000: ((16, 16), 1_540),
}
LEVELS = ("auto", "full", "sums", "neurons", "layers", "parameters", "vectors", "summary")
DOT_TIMEOUT = 120  # seconds


def moons_loss(hidden: tuple[int, ...], points: int) -> Value:
    """The hinge loss of MLP 2-h-h-1 (relu) over ``points`` moons points, gradients filled in."""
    X, labels = nn.make_moons(max(points, 2), noise=0.1, seed=0)  # it makes 2 at least
    X, labels = X[:points], labels[:points]
    model = nn.MLP(2, [*hidden, 1], activation="relu", init="he_uniform", seed=0)
    scores = [model([float(a), float(b)]) for a, b in X]
    loss = nn.hinge_loss(scores, [int(2 * t - 1) for t in labels])
    loss.backward()
    return loss


def chain(additions: int) -> Value:
    """x + 1 + 1 + …: 2 · additions + 1 values, as deep as a graph gets."""
    y = Value(1.0, label="x")
    for _ in range(additions):
        y = y + 1
    y.backward()
    return y


def random_graph(operations: int, seed: int = 0) -> Value:
    """Random expressions over five inputs, every result used: the shape Graphviz's dot finds hardest."""
    rng = random.Random(seed)
    pool = [Value(rng.uniform(-1, 1), label=f"x{i}") for i in range(5)]
    for _ in range(operations):
        a, b = rng.choice(pool), rng.choice(pool)
        kind = rng.randrange(4)
        pool.append(a + b if kind == 0 else a * b if kind == 1 else a.tanh() if kind == 2 else a * 0.5)
    used = {id(p) for v in pool for p in v.parents}
    root: Value = sum(v for v in pool if id(v) not in used)  # type: ignore[assignment]
    root.backward()
    return root


def measure(root: Value, detail: str) -> str:
    """One table cell: seconds and SVG size, or how fast the refusal came."""
    start = time.perf_counter()
    try:
        drawing = viz.draw(root, detail=detail)
        svg = drawing.svg
    except ValueError:
        return f"refused ({time.perf_counter() - start:.2f} s)"
    seconds = time.perf_counter() - start
    shown = f"{drawing.mode}, " if detail == "auto" else ""
    return f"{shown}{seconds:.2f} s, {len(svg) / 1e6:.2f} MB"


def machine() -> str:
    version = subprocess.run([find_renderer(), "-V"], capture_output=True, text=True).stderr.strip().split("\n")[0]
    return (
        f"{datetime.date.today().isoformat()}, {platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {version}"
    )


def table() -> None:
    print(f"Measured {machine()}.\n")
    print("| values | " + " | ".join(f"`{d}`" for d in LEVELS) + " |")
    print("|---" * (len(LEVELS) + 1) + "|")
    for hidden, points in SIZES.values():
        root = moons_loss(hidden, points)
        values = count_values(root, 10**7)
        name = f"{values:,} (MLP 2-{'-'.join(map(str, hidden))}-1, {points:,} point{'s' if points > 1 else ''})"
        print(f"| {name} | " + " | ".join(measure(root, d) for d in LEVELS) + " |", flush=True)
    deep = chain(1_000_000)  # the deepest graph there is: no layers, no parameters
    print("| 2,000,001 (x + 1 + 1 + …, a chain) | " + " | ".join(measure(deep, d) for d in LEVELS) + " |")


def dot_comparison() -> None:
    """Graphviz's dot on the graphs viz.layout places, with default and bounded attributes."""
    bounded = ["-Gnslimit=1", "-Gnslimit1=1", "-Gmclimit=0.01", "-Gsplines=false"]
    graphs = [
        ("random graph, 400 operations, full", random_graph(400), "full"),
        ("MLP 2-16-16-1 loss, 5 points, full", moons_loss((16, 16), 5), "full"),
        ("MLP 2-16-16-1 loss, 10 points, full", moons_loss((16, 16), 10), "full"),
    ]
    print("\n| graph | drawn nodes | dot | dot, bounded | viz.layout + draw |")
    print("|---|---|---|---|---|")
    for name, root, detail in graphs:
        drawing = viz.draw(root, detail=detail)
        scene = drawing.scene
        positions, scene.positions = scene.positions, {}
        plain = to_dot(scene)  # the same drawing for dot to lay out itself
        cells = []
        for extra in ([], bounded):
            start = time.perf_counter()
            try:
                subprocess.run([find_renderer(), "-Tsvg", *extra], input=plain.encode(), capture_output=True,
                               timeout=DOT_TIMEOUT)  # fmt: skip
                cells.append(f"{time.perf_counter() - start:.1f} s")
            except subprocess.TimeoutExpired:
                cells.append(f"> {DOT_TIMEOUT} s")
        scene.positions = positions
        start = time.perf_counter()
        scene.positions = place(scene)
        svg = render(to_dot(scene), "svg")
        ours = time.perf_counter() - start
        print(f"| {name} | {len(scene.nodes):,} | {cells[0]} | {cells[1]} | {ours:.1f} s ({len(svg) / 1e6:.1f} MB) |")


if __name__ == "__main__":
    sys.setrecursionlimit(1000)  # the default: nothing may recurse
    table()
    if "--dot" in sys.argv:
        dot_comparison()
