"""How long viz takes to draw graphs of growing size with the default policy (run by hand).

    python benchmarks/bench_viz.py

For each graph: its Values, the mode the size policy chose, the time to build
the scene and DOT text, the time to lay it out and render SVG (graphviz-pure),
and the SVG's size. The MLPs are built from Values inside ``autograd.scope``
exactly as ``nn`` tags them (``layer{i}/neuron{j}``), forward and backward.
"""

from __future__ import annotations

import random
import sys
import time

import viz
from autograd import Value, scope


def mlp(sizes: tuple[int, ...], seed: int = 0) -> Value:
    """One forward pass of a tanh MLP (linear output) through scoped neurons, then backward()."""
    rng = random.Random(seed)
    xs = [Value(rng.uniform(-1, 1), label=f"x{i}") for i in range(sizes[0])]
    for layer, (nin, nout) in enumerate(zip(sizes, sizes[1:], strict=False), start=1):
        last = layer == len(sizes) - 1
        weights = [[Value(rng.uniform(-1, 1), label=f"w{layer}.{j}.{i}") for i in range(nin)] for j in range(nout)]
        biases = [Value(0.0, label=f"b{layer}.{j}") for j in range(nout)]
        outs = []
        with scope(f"layer{layer}"):
            for j in range(nout):
                with scope(f"neuron{j + 1}"):
                    act = sum((w * x for w, x in zip(weights[j], xs, strict=True)), biases[j])
                    outs.append(act if last else act.tanh())
        xs = outs
    out = xs[0]
    out.backward()
    return out


def chain(n: int) -> Value:
    """x + 1 + 1 + … (n additions): the deepest graph there is."""
    y = Value(1.0, label="x")
    for _ in range(n):
        y = y + 1
    y.backward()
    return y


def measure(name: str, root: Value, detail: str = "auto") -> None:
    start = time.perf_counter()
    drawing = viz.draw(root, detail=detail)
    built = time.perf_counter()
    svg = drawing.svg
    done = time.perf_counter()
    print(
        f"{name:<28} {drawing.scene.values:>9,} values  {drawing.mode:<8} "
        f"scene+DOT {built - start:6.2f} s  render {done - built:6.2f} s  total {done - start:6.2f} s  "
        f"SVG {len(svg) / 1e6:5.2f} MB",
        flush=True,
    )


if __name__ == "__main__":
    print(f"renderer: {viz.find_renderer()}  python {sys.version.split()[0]}")
    for sizes in [(2, 4, 4, 1), (2, 16, 16, 1), (2, 40, 40, 1), (2, 56, 56, 1)]:
        measure(f"MLP {'-'.join(map(str, sizes))}", mlp(sizes))
    for detail in ("sums", "full"):
        measure(f"MLP 2-16-16-1 detail={detail}", mlp((2, 16, 16, 1)), detail)
    sys.setrecursionlimit(1000)  # the default: nothing may recurse
    for n in [150, 5_000, 1_000_000]:
        measure(f"chain of {n:,} additions", chain(n))
