"""viz.layout: large drawings placed in columns, left to right, with nothing overlapping."""

from __future__ import annotations

import random

import pytest
from test_viz_svg import parse

import viz
from autograd import Value
from viz.layout import DOT_NODES, ROW_GAP, needs_own_layout, node_size, place
from viz.scene import Scene, Style, analyze, build, topological_order


def random_graph(operations: int, seed: int = 0) -> Value:
    """Random expressions, every result used: the shape Graphviz's dot takes minutes over at 1,000 nodes."""
    rng = random.Random(seed)
    pool = [Value(rng.uniform(-1, 1), label=f"x{i}") for i in range(5)]
    for _ in range(operations):
        a, b = rng.choice(pool), rng.choice(pool)
        pool.append(a + b if rng.random() < 0.4 else a * b if rng.random() < 0.7 else a.tanh())
    used = {id(p) for v in pool for p in v.parents}
    root: Value = sum(v for v in pool if id(v) not in used)  # type: ignore[assignment]
    root.backward()
    return root


def full_scene(root: Value) -> Scene:
    return build(analyze(topological_order(root)), Style())


def boxes(scene: Scene, at: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float, float, float]]:
    """Each node's rectangle (left, bottom, right, top) from its centre and size."""
    out = {}
    for node in scene.nodes:
        (x, y), (w, h) = at[node.id], node_size(node)
        out[node.id] = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
    return out


@pytest.mark.parametrize("operations", [30, 400])
def test_every_arrow_goes_left_to_right_and_no_two_nodes_overlap(operations: int) -> None:
    scene = full_scene(random_graph(operations))
    at = place(scene)
    assert set(at) == {node.id for node in scene.nodes}
    for edge in scene.edges:
        assert at[edge.tail][0] < at[edge.head][0], edge
    rects = sorted(boxes(scene, at).values())
    for k, (left, bottom, right, top) in enumerate(rects):  # sorted by left edge: compare with the ones starting before
        for other in rects[k + 1 : k + 60]:
            if other[0] >= right:
                break
            assert other[1] >= top + ROW_GAP / 2 or other[3] <= bottom - ROW_GAP / 2, ((left, bottom), other)


def test_a_tree_is_placed_without_crossings_and_its_chain_straight() -> None:
    from autograd import examples

    f, _ = examples.sigmoid_neuron()
    f.backward()
    scene = full_scene(f)
    at = place(scene)
    chain = [w.id for w in scene.wires()][-5:]  # *-1, exp, +1, 1/x: one straight line, as the lecture draws it
    assert len({at[i][1] for i in chain}) == 1
    # Inputs in the order written, top to bottom (y grows upwards): w0, x0, w1, x1.
    names = {w.name: w.id for w in scene.wires() if w.name}
    ys = [at[names[n]][1] for n in ("w0", "x0", "w1", "x1")]
    assert ys == sorted(ys, reverse=True)


def test_a_wide_graph_folds_its_tall_columns() -> None:
    x = Value(1.0, label="x")
    wide: Value = sum((x * float(i)).tanh() for i in range(1, 3000))  # type: ignore[assignment]
    scene = build(analyze(topological_order(wide), sums=True), Style(grads=False), "sums")
    at = place(scene)
    xs, ys = [p[0] for p in at.values()], [p[1] for p in at.values()]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    assert height < 4 * width  # 3,000 gates in one column would be 100 times taller than wide


def test_placing_is_deterministic() -> None:
    assert place(full_scene(random_graph(200, seed=3))) == place(full_scene(random_graph(200, seed=3)))


def test_small_scenes_go_to_dot_and_large_ones_are_placed_by_us() -> None:
    small = viz.draw(random_graph(20), detail="full")
    assert not needs_own_layout(small.scene) and not small.scene.positions
    assert "nop2" not in small.source
    large = viz.draw(random_graph(400), detail="full")  # 1,000 nodes: over 100 s for dot, measured
    assert len(large.scene.nodes) > DOT_NODES and needs_own_layout(large.scene)
    assert "layout=nop2" in large.source
    svg = parse(large.svg)
    assert svg.get("width", "").endswith("pt")


def test_the_positions_come_through_to_the_svg() -> None:
    drawing = viz.draw(random_graph(400), detail="full")
    ns = "{http://www.w3.org/2000/svg}"
    # Graphviz numbers the SVG groups of nodes in the order the DOT text declares them, the scene's order
    # (their <title>s are hover texts, not ids).
    groups = [g for g in parse(drawing.svg).iter(f"{ns}g") if "node" in (g.get("class") or "").split()]
    groups.sort(key=lambda g: int(g.get("id", "").rsplit("_node", 1)[1]))
    titles = dict(zip([n.id for n in drawing.scene.nodes], groups, strict=True))
    # Graphviz keeps our x order: a node placed further right is drawn further right.
    placed = sorted(drawing.scene.positions.items(), key=lambda kv: kv[1][0])
    first, last = titles[placed[0][0]], titles[placed[-1][0]]

    def left(g: object) -> float:
        texts = [float(t.get("x") or 0) for t in g.iter(f"{ns}text")]  # type: ignore[attr-defined]
        return min(texts) if texts else 0.0

    assert left(first) < left(last)


def test_the_same_graph_is_placed_the_same_in_two_processes() -> None:
    import hashlib
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import sys, hashlib; sys.path.insert(0, 'tests')\n"
        "from test_viz_layout import random_graph\n"
        "import viz\n"
        "print(hashlib.sha256(viz.to_dot(random_graph(400), detail='full').encode()).hexdigest())\n"
    )
    root = Path(__file__).resolve().parent.parent
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=root,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            capture_output=True,
            text=True,
            check=True,
        ).stdout  # fmt: skip
        for seed in ("1", "2")
    }
    assert len(digests) == 1 and len(digests.pop().strip()) == len(hashlib.sha256().hexdigest())
