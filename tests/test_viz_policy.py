"""The large-graph policy: which drawing each size gets, Σ gates, neuron and layer boxes, summaries."""

from __future__ import annotations

import random
import sys

import pytest
from test_viz_loss_view import moons_loss
from test_viz_svg import NS, gates, parse, wires

import viz
from autograd import Constant, Value, scope
from viz import policy
from viz.layout import needs_own_layout
from viz.scene import Gate, Style, format_number
from viz.structure import analyze, topological_order


def chain(additions: int) -> Value:
    """x + 1 + 1 + …: 2·additions + 1 Values (each 1 is a constant leaf)."""
    y = Value(1.0, label="x")
    for _ in range(additions):
        y = y + 1
    return y


def mlp(sizes: tuple[int, ...], seed: int = 0) -> Value:
    """A tanh MLP's forward pass built the way nn tags it: scope layer{i}, then neuron{j}."""
    rng = random.Random(seed)
    xs = [Value(rng.uniform(-1, 1), label=f"x{i}") for i in range(sizes[0])]
    for layer, (nin, nout) in enumerate(zip(sizes, sizes[1:], strict=False), start=1):
        weights = [[Value(rng.uniform(-1, 1), label=f"w{j}{i}") for i in range(nin)] for j in range(nout)]
        outs = []
        with scope(f"layer{layer}"):
            for j in range(nout):
                with scope(f"neuron{j + 1}"):
                    act = sum((w * x for w, x in zip(weights[j], xs, strict=True)), Value(0.0, label=f"b{j}"))
                    outs.append(act if layer == len(sizes) - 1 else act.tanh())
        xs = outs
    xs[0].backward()
    return xs[0]


@pytest.mark.parametrize(
    ("additions", "mode"),
    [(10, "full"), (99, "full"), (100, "sums"), (5_000, "sums"), (9_999, "sums"), (10_000, "summary")],
)
def test_the_mode_follows_the_number_of_values(additions: int, mode: str) -> None:
    # 2n + 1 values: 99 additions are 199 values (full), 10,000 are 20,001 (> SUMMARY_LIMIT).
    assert viz.draw(chain(additions)).mode == mode


@pytest.mark.parametrize(
    ("sizes", "mode"), [((2, 4, 4, 1), "full"), ((2, 16, 16, 1), "neurons"), ((2, 40, 40, 1), "layers")]
)
def test_networks_condense_to_neurons_then_layers(sizes: tuple[int, ...], mode: str) -> None:
    drawing = viz.draw(mlp(sizes))
    assert drawing.mode == mode
    assert len(parse(drawing.svg)) > 0


def test_the_mlp_2_16_16_1_draws_one_box_per_neuron() -> None:
    root = mlp((2, 16, 16, 1))
    assert policy.count_values(root, 10**6) > 900  # the ~1,000-value graph of the issue
    drawing = viz.draw(root)
    boxes = [n for n in drawing.scene.nodes if isinstance(n, Gate) and n.kind == "box"]
    assert len(boxes) == 16 + 16 + 1
    assert (boxes[0].glyph, boxes[0].detail) == ("layer1/neuron1", "tanh · 3 params")
    assert (boxes[-1].glyph, boxes[-1].detail) == ("layer3/neuron1", "linear · 17 params")
    assert [w.name for w in wires(drawing.svg)][:2] == ["x0", "x1"]  # inputs keep their wires
    assert len(drawing.svg) < 2_000_000
    title = parse(drawing.svg).find(f"{NS}g")
    assert title is not None and "condensed" in "".join(title.itertext())


def test_layers_view_draws_one_box_per_layer() -> None:
    drawing = viz.draw(mlp((2, 16, 16, 1)), detail="layers")
    boxes = [n for n in drawing.scene.nodes if isinstance(n, Gate) and n.kind == "box"]
    assert [(b.glyph, b.detail) for b in boxes] == [
        ("layer1", "16 neurons · 48 params"),
        ("layer2", "16 neurons · 272 params"),
        ("layer3", "linear · 17 params"),
    ]


def test_a_wide_layer_sends_its_outputs_along_one_wire() -> None:
    drawing = viz.draw(mlp((2, 16, 16, 1)), detail="layers")
    drawn = wires(drawing.svg)
    assert sorted(w.name for w in drawn) == ["", "16 outputs", "16 outputs", "x0", "x1"]
    bundle = next(w for w in drawn if w.name == "16 outputs")
    low, high = (float(x) for x in (bundle.value or "").split(" … "))
    assert -1 <= low < high <= 1  # tanh outputs: the range of the 16 values
    assert bundle.grad is not None and " … " in bundle.grad
    from_bundles = [line for line in drawing.source.splitlines() if line.strip().startswith("b") and "->" in line]
    assert len(from_bundles) == 2  # one arrow from each bundle into the next layer, not 16


def test_two_passes_through_one_network_stay_two_boxes() -> None:
    w = Value(0.5, label="w")
    outs = []
    for x in (1.0, 2.0):
        with scope("layer1"), scope("neuron1"):
            outs.append((w * x).tanh())
    loss = outs[0] + outs[1]
    scene = policy.build(analyze(topological_order(loss), grouping="neurons"), Style())
    boxes = [(n.glyph, n.detail) for n in scene.nodes if isinstance(n, Gate)]
    # w is read by one neuron only (twice): a parameter of both boxes, with no wire of its own.
    assert boxes == [("layer1/neuron1", "tanh · 1 param"), ("layer1/neuron1", "tanh · 1 param"), ("+", "")]
    assert [wire.name for wire in scene.wires()] == ["", "", ""]


def test_a_chain_of_additions_folds_into_one_sigma_gate() -> None:
    xs = [Value(float(i), label=f"x{i}") for i in range(5)]
    total: Value = sum(xs)  # type: ignore[assignment]  # 0 + x0 + … + x4: the 0 is a constant
    shifted: Value = sum(xs, 2.0)  # type: ignore[assignment]
    assert gates(viz.to_svg(total, detail="sums")) == ["Σ"]
    assert gates(viz.to_svg(shifted, detail="sums")) == ["Σ+2"]
    assert gates(viz.to_svg(total)) == ["+0", "+", "+", "+", "+"]
    assert viz.to_dot(total, detail="sums").count("-> g") == 5  # one arrow per operand, in order


def test_a_labelled_or_shared_sum_keeps_its_own_gate() -> None:
    a, b, c = Value(1.0, label="a"), Value(2.0, label="b"), Value(3.0, label="c")
    named = a + b
    named.label = "s"
    assert gates(viz.to_svg(named + c, detail="sums")) == ["+", "+"]
    shared = a + b
    assert gates(viz.to_svg((shared + c) * shared, detail="sums")) == ["+", "+", "*"]


def test_a_million_node_chain_returns_a_summary() -> None:
    sys.setrecursionlimit(1000)  # the default: nothing may recurse
    root = chain(1_000_000)
    drawing = viz.draw(root)
    assert drawing.mode == "summary"
    text = " ".join(parse(drawing.svg).itertext())
    assert "summary" in text and "2,000,001" in text and "1,000,000 operations from the farthest input" in text
    assert len(wires(drawing.svg)) < 20  # the output's neighbourhood, not the graph


def test_full_detail_on_request_and_refused_when_far_too_large() -> None:
    assert viz.draw(chain(150), detail="full").mode == "full"
    with pytest.raises(ValueError, match="refused: the graph has more than 20,000 values"):
        viz.to_dot(chain(10_000), detail="full")


def test_summary_on_request_for_a_small_graph() -> None:
    drawing = viz.draw(chain(3), detail="summary")
    assert drawing.mode == "summary"
    assert dict(drawing.scene.table)["operations"] == "+ 3"


# Bounded time at every level (SPEC §3): the graph, the loss of MLP 2-16-16-1 over 10 moons points.


@pytest.fixture(scope="module")
def loss10() -> Value:
    return moons_loss(10)[1]


@pytest.mark.parametrize("detail", policy.DETAILS)
def test_every_level_of_the_10_point_loss_is_drawable_and_large_ones_are_placed_by_us(
    loss10: Value, detail: str
) -> None:
    scene = policy.choose(loss10, detail, Style())  # what is drawn and where, before Graphviz runs
    assert scene.values == 6_818
    if needs_own_layout(scene):
        assert set(scene.positions) == {n.id for n in scene.nodes}  # Graphviz only draws it (layout=nop2)
        assert "layout=nop2" in viz.to_dot(loss10, detail=detail)


@pytest.mark.slow
@pytest.mark.parametrize("detail", policy.DETAILS)
def test_every_level_of_the_10_point_loss_renders(loss10: Value, detail: str) -> None:
    svg = viz.to_svg(loss10, detail=detail)  # bench_viz.py times these: 4 s at most here
    assert len(parse(svg)) > 0


def test_full_detail_is_never_refused_at_5000_values() -> None:
    y = Value(0.5, label="x").tanh()
    for _ in range(2_499):
        y = y + 1
    assert policy.count_values(y, 10**6) == 5_000
    scene = policy.choose(y, "full", Style())
    assert scene.mode == "full" and len(scene.wires()) == 2_501 and scene.positions


@pytest.mark.slow
def test_full_detail_of_a_5000_value_loss_renders() -> None:
    _, loss = moons_loss(7)  # 4,874 values: 9,500 nodes; 4 s here
    assert policy.count_values(loss, 10**6) <= 5_000
    drawn = wires(viz.to_svg(loss, detail="full"))
    assert len(drawn) > 4_000


def test_a_refusal_comes_from_counting_before_the_graph_is_walked_or_laid_out(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: object) -> None:
        raise AssertionError("the refusal must come before this")

    monkeypatch.setattr(policy, "topological_order", forbidden)
    monkeypatch.setattr(policy, "place", forbidden)
    big = chain(10_000)  # 20,001 values
    for detail in ("full", "sums"):
        with pytest.raises(ValueError, match=r"more than 20,000 values.*use detail='auto'.*'layers'"):
            viz.draw(big, detail=detail)


def test_a_graph_of_few_values_and_many_arrows_is_refused_too(monkeypatch: pytest.MonkeyPatch) -> None:
    y = Value(1.0, label="x")
    for _ in range(15_000):
        y = y * y  # one new value, two arrows
    assert policy.count_values(y, 10**6) == 15_001
    policy.check(y, "full")  # 30,000 arrows: within 2 per value
    monkeypatch.setattr(policy, "ARROWS_PER_VALUE", 1)  # a gate with many operands would do this
    with pytest.raises(ValueError, match=r"more than 20,000 arrows \(operands\)"):
        viz.draw(y, detail="full")


@pytest.fixture(scope="module")
def over_every_limit() -> Value:
    return chain(60_000)  # 120,001 values


def test_a_graph_over_every_limit_refuses_every_level_but_the_summary_at_once(over_every_limit: Value) -> None:
    for detail in ("full", "sums", "neurons", "layers", "parameters"):
        with pytest.raises(ValueError, match="refused"):
            viz.draw(over_every_limit, detail=detail)
    assert viz.draw(over_every_limit, detail="summary").mode == "summary"


def test_the_summary_header_states_the_real_thresholds(over_every_limit: Value) -> None:
    note = viz.draw(over_every_limit).scene.note
    assert "summary of 120,001 values" in note
    assert "20,000" in note and "100,000" in note and "limit is" not in note


def test_the_gradient_range_leaves_constants_out() -> None:
    x = Value(2.0, label="x")
    f = (0.1 * x).tanh() * 3.0  # the constant 0.1's gradient is 3·tanh'·x ≈ 5.9; nothing uses it
    f.backward()
    row = dict(viz.draw(f, detail="summary").scene.table)["gradients range"]
    low, high = row.split(" (")[0].split(" … ")
    moving = [v.grad for v in topological_order(f) if not isinstance(v, Constant)]
    assert (low, high) == (format_number(min(moving), 2), format_number(max(moving), 2))
    assert float(high) < 5


def test_the_summary_shows_a_bar_per_layer_and_a_vanishing_gradient_shrinks_them() -> None:
    scene = viz.draw(mlp((2, 16, 16, 1)), detail="summary").scene
    assert [what for what, _, _ in scene.bars] == [
        "layer1 (parameters)",
        "layer2 (parameters)",
        "layer3 (parameters)",
    ]
    y = Value(0.5, label="x")
    for _ in range(300):
        y = (y * 1.5).tanh()  # tanh' < 1 at every step: the gradient shrinks on its way back
    y.backward()
    bars = viz.draw(y, detail="summary").scene.bars
    assert bars[0][0].startswith("depth 0 –") and len(bars) == 8
    lengths = [length for _, length, _ in bars]
    assert lengths == sorted(lengths) and lengths[0] < 0.1 < 0.9 < lengths[-1]
    svg = viz.to_svg(y, detail="summary")
    red_bars = [r for r in parse(svg).iter(f"{NS}polygon") if r.get("fill") == viz.GRAD_COLOR]
    assert len(red_bars) == 8


def test_auto_lists_parameters_only_while_they_fit_a_few_screens() -> None:
    import nn

    wide = nn.MLP(40, [30, 1], seed=0)  # 1,261 parameters
    loss = nn.mse_loss([wide([0.1] * 40), wide([0.2] * 40)], [0.0, 1.0])
    loss.backward()
    assert viz.draw(loss).mode != "parameters"
    assert viz.draw(loss, detail="parameters").mode == "parameters"  # on request, any number
