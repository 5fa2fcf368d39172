"""The parameters view: a model's loss over a batch, each parameter once with the gradient SGD uses."""

from __future__ import annotations

import re

import pytest
from test_viz_svg import NS, by_name, parse, texts_with_fill, wires

import nn
import viz
from autograd import Value, examples
from viz.loss_view import WIDTH, find_parameters
from viz.scene import Gate, format_number, topological_order


def moons_loss(points: int = 10, penalty: bool = False) -> tuple[nn.MLP, Value]:
    """The issue's graph: MLP 2-16-16-1 (relu), hinge loss over ``points`` moons points (6,818 values for 10)."""
    X, labels = nn.make_moons(points, noise=0.1, seed=0)
    model = nn.MLP(2, [16, 16, 1], activation="relu", init="he_uniform", seed=0)
    loss = nn.hinge_loss([model([float(a), float(b)]) for a, b in X], [int(2 * t - 1) for t in labels])
    if penalty:
        loss = loss + nn.l2_penalty(model.parameters())
    loss.backward()
    return model, loss


@pytest.fixture(scope="module")
def batch() -> tuple[nn.MLP, Value, viz.Drawing]:
    model, loss = moons_loss()
    return model, loss, viz.draw(loss)


def test_the_default_drawing_of_a_loss_over_a_batch_shows_each_parameter_once_with_its_gradient(
    batch: tuple[nn.MLP, Value, viz.Drawing],
) -> None:
    model, loss, drawing = batch
    assert viz.policy.count_values(loss, 10**6) == 6_818
    assert drawing.mode == "parameters"
    names = [w.name for w in wires(drawing.svg)]
    drawn = by_name(drawing.svg)
    for p in model.parameters():
        assert names.count(p.label) == 1, p.label
        assert drawn[p.label].grad == format_number(p.grad, 2), p.label
        assert drawn[p.label].value == format_number(p.data, 2), p.label
    assert len(model.parameters()) == 337


def test_the_passes_through_each_layer_fold_into_one_box(batch: tuple[nn.MLP, Value, viz.Drawing]) -> None:
    _, _, drawing = batch
    gates = {g.id: g for g in drawing.scene.nodes if isinstance(g, Gate)}
    assert [(gates[f"n{k}"].glyph, gates[f"n{k}"].detail) for k in range(3)] == [
        ("layer1 ×10", "16 relu neurons"),
        ("layer2 ×10", "16 relu neurons"),
        ("layer3 ×10", "1 linear neuron"),
    ]
    assert [gates[f"h{k}"].glyph for k in range(3)] == [
        "layer1: 48 parameters",
        "layer2: 272 parameters",
        "layer3: 17 parameters",
    ]
    assert all("read by all 10 passes" in gates[f"h{k}"].detail for k in range(3))
    assert {(e.tail, e.head) for e in drawing.scene.edges} >= {("h0", "n0"), ("h1", "n1"), ("h2", "n2")}
    between = [w for w in wires(drawing.svg) if w.name == "16 × 10"]  # a layer's 16 outputs, in each of 10 passes
    assert len(between) == 2 and all(" … " in (w.value or "") for w in between)


def test_the_note_works_one_gradient_out_as_a_sum_over_the_passes(batch: tuple[nn.MLP, Value, viz.Drawing]) -> None:
    model, _, drawing = batch
    rows = dict(drawing.scene.table)
    assert "the sum of what each of the 10 passes" in rows["its gradient"]
    [(example, worked)] = [(k, v) for k, v in drawing.scene.table if k.startswith("e.g. ")]
    label = example.removeprefix("e.g. ")
    p = next(p for p in model.parameters() if p.label == label)
    assert worked.endswith(f"= {format_number(p.grad, 2)}")
    assert "(10 passes)" in worked
    text = " ".join(parse(drawing.svg).itertext())
    assert label in text and "(10 passes)" in text


def test_a_weight_penalty_is_the_one_term_from_outside_the_model() -> None:
    model, loss = moons_loss(points=3, penalty=True)
    drawing = viz.draw(loss)
    assert drawing.mode == "parameters"
    worked = next(v for k, v in drawing.scene.table if k.startswith("e.g. "))
    assert "(outside the model: a penalty)" in worked
    assert sorted(w.name for w in wires(drawing.svg) if w.name.startswith("L")) == sorted(
        p.label for p in model.parameters()
    )


def test_a_one_input_neuron_s_inputs_are_samples_not_parameters() -> None:
    neuron = nn.Neuron(1, activation="tanh", seed=0)
    samples = [Value(x, label="x") for x in (0.5, -1.0, 2.0)]
    loss = nn.mse_loss([neuron([x]) for x in samples], [0.0, 1.0, 0.0])
    loss.backward()
    order = topological_order(loss)
    params, batch = find_parameters(order)
    assert batch and sorted(order[i].label for i in params) == ["b", "w0"]
    drawn = by_name(viz.to_svg(loss, detail="parameters"))
    assert drawn["w0"].grad == format_number(neuron.w[0].grad, 2)


def test_one_pass_shows_its_parameters_too_on_request() -> None:
    model = nn.MLP(2, [3, 1], activation="tanh", seed=0)
    out = model([0.5, -1.0])
    out.backward()
    drawing = viz.draw(out, detail="parameters")
    names = [w.name for w in wires(drawing.svg)]
    assert sorted(n for n in names if n.startswith("L")) == sorted(p.label for p in model.parameters())
    gates = [g for g in drawing.scene.nodes if isinstance(g, Gate) and g.kind in ("box", "stack")]
    assert {g.glyph for g in gates} >= {"layer1", "layer2"}  # one pass: no "×n"


def test_a_graph_without_parameters_is_refused_with_what_to_use() -> None:
    f, _ = examples.add_mul()
    with pytest.raises(ValueError, match=r"detail='parameters' draws a model's loss.*use detail='auto'"):
        viz.draw(f, detail="parameters")


def test_before_backward_no_gradient_shows() -> None:
    model = nn.MLP(2, [4, 1], seed=1)
    fresh = nn.mse_loss([model([1.0, 2.0]), model([0.0, 1.0])], [0.0, 1.0])
    assert viz.draw(fresh).mode == "full"  # small: the lecture drawing
    svg = viz.to_svg(fresh, detail="parameters")
    assert texts_with_fill(svg, viz.GRAD_COLOR) == []
    assert all(w.grad is None for w in wires(svg))


def test_it_reads_at_900_pixels(batch: tuple[nn.MLP, Value, viz.Drawing]) -> None:
    _, _, drawing = batch
    width = float(re.sub("pt$", "", parse(drawing.svg).get("width", "0")))
    assert width <= WIDTH + 20  # 12-pt text at 900 px: 12 · 4/3 · 900 / (980 · 4/3) ≈ 11 px
    fonts = {float(t.get("font-size") or 0) for t in parse(drawing.svg).iter(f"{NS}text")}
    assert min(fonts) >= 9.0


def test_each_layer_s_gradients_show_as_squares_a_row_per_neuron(batch: tuple[nn.MLP, Value, viz.Drawing]) -> None:
    model, _, drawing = batch
    gates = {g.id: g for g in drawing.scene.nodes if isinstance(g, Gate)}
    for k, layer in enumerate(model.layers):
        cells = gates[f"h{k}"].cells
        assert [len(row) for row in cells] == [len(n.parameters()) for n in layer.neurons]
        for neuron, row in zip(layer.neurons, cells, strict=True):
            for p, (color, tip) in zip(neuron.parameters(), row, strict=True):
                assert tip == f"{p.label}: {format_number(p.grad, 2)}"
                red, blue = int(color[1:3], 16), int(color[5:7], 16)
                assert (color == "#ffffff") == (p.grad == 0)
                assert p.grad == 0 or (blue > red) == (p.grad > 0)  # blue positive, orange negative
    dead = [n for n in model.layers[1].neurons if all(p.grad == 0 for p in n.parameters())]
    assert dead  # relu neurons no sample reached: their rows are white
    svg = parse(drawing.svg)
    tips = [a.get("{http://www.w3.org/1999/xlink}title") for a in svg.iter(f"{NS}a")]
    assert sum(1 for t in tips if t and t.startswith("L2.N1.w0: ")) == 1  # hover a square: which parameter
