"""viz.draw_model: the neurons view (circles, weights by sign and size, condensing) and the layers view.

Every check reads the SVG back with xml.etree: circles are node groups
holding an ellipse, titled by their node id (``x3`` input 3, ``L2_5``
neuron 5 of layer 2, ``bias2`` the +1 unit feeding layer 2); a weight is
an edge group titled ``tail->head`` whose path carries its colour and width.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_viz_svg import NS, parse

import nn
import viz
from autograd import Value
from viz.model import NEGATIVE_COLOR, POSITIVE_COLOR, THICKEST, THINNEST, ZERO_COLOR

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Circle:
    id: str
    label: str
    x: float
    y: float


@dataclass
class Line:
    tail: str
    head: str
    color: str
    width: float


def circles(svg: str) -> list[Circle]:
    found = []
    for g in parse(svg).iter(f"{NS}g"):
        ellipse = g.find(f".//{NS}ellipse")  # a circle with a tooltip sits inside a link
        if "node" in (g.get("class") or "") and ellipse is not None:
            label = "".join(t.text or "" for t in g.iter(f"{NS}text"))
            found.append(
                Circle(
                    g.findtext(f"{NS}title") or "", label, float(ellipse.get("cx") or 0), float(ellipse.get("cy") or 0)
                )
            )
        # fmt: skip
    return found


def lines(svg: str) -> list[Line]:
    found = []
    for g in parse(svg).iter(f"{NS}g"):
        if "edge" in (g.get("class") or ""):
            tail, head = (g.findtext(f"{NS}title") or "").split("->")
            path = next(g.iter(f"{NS}path"))
            found.append(Line(tail, head, path.get("stroke") or "", float(path.get("stroke-width") or 1.0)))
    return found


def texts(svg: str) -> list[str]:
    return [(t.text or "").strip() for t in parse(svg).iter(f"{NS}text")]


def column(node_id: str) -> str:
    """The column a node id belongs to: x3 -> "x", L2_5 -> "L2"."""
    return node_id.split("_")[0] if "_" in node_id else node_id.rstrip("0123456789")


def parameter(model: nn.Module, tail: str, head: str) -> Value:
    """The weight (or bias) a line from ``tail`` to ``head`` stands for, read from the model."""
    layers = model.layers if isinstance(model, nn.Sequential) else [model]
    layer_number, k = (int(n) for n in head[1:].split("_"))
    neurons = getattr(layers[layer_number - 1], "neurons", [layers[layer_number - 1]])
    neuron = neurons[k - 1]
    if tail.startswith("bias"):
        return neuron.b
    return neuron.w[int(tail[1:]) if tail.startswith("x") else int(tail.split("_")[1]) - 1]  # x0-based, L1_1-based


# model, circles per column (left to right), the "n more" markers
COLUMNS = [
    (lambda: nn.MLP(3, [4, 4, 1], activation="tanh", seed=0), [3, 4, 4, 1], []),
    (lambda: nn.MLP(2, [3, 2], seed=1), [2, 3, 2], []),
    (lambda: nn.Layer(2, 3, seed=0), [2, 3], []),
    (lambda: nn.Neuron(3, seed=0), [3, 1], []),
    (lambda: nn.MLP(3, [12, 13, 1], seed=0), [3, 12, 10, 1], ["(3 more)"]),
    (lambda: nn.MLP(784, [16, 16, 10], seed=0), [10, 10, 10, 10], ["(774 more)", "(6 more)", "(6 more)"]),
]


@pytest.mark.parametrize(("make", "counts", "more"), COLUMNS)
def test_each_layer_is_a_column_of_circles_left_to_right(make, counts, more) -> None:
    svg = viz.draw_model(make()).svg
    drawn = circles(svg)
    names = list(dict.fromkeys(column(c.id) for c in drawn))
    assert names == ["x"] + [f"L{i}" for i in range(1, len(counts))]
    assert [sum(column(c.id) == name for c in drawn) for name in names] == counts
    xs = [{c.x for c in drawn if column(c.id) == name} for name in names]
    assert all(len(x) == 1 for x in xs), "a column's circles share one x"
    assert [x.pop() for x in xs] == sorted({c.x for c in drawn}), "columns left to right"
    for name in names:  # neuron 1 at the top, then down in order
        ys = [
            c.y
            for c in sorted(
                (c for c in drawn if column(c.id) == name), key=lambda c: int(c.id.split("_")[-1].lstrip("x"))
            )
        ]
        assert ys == sorted(ys)
    assert [t for t in texts(svg) if t.endswith("more)")] == more  # fmt: skip


def test_inputs_and_outputs_are_named_and_captions_give_width_and_activation() -> None:
    svg = viz.draw_model(nn.MLP(2, [3, 1], activation="tanh", output_activation="sigmoid", seed=0)).svg
    labels = {c.id: c.label for c in circles(svg)}
    assert (labels["x0"], labels["x1"], labels["L1_1"], labels["L2_1"]) == ("x0", "x1", "", "y0")
    shown = texts(svg)
    for caption in ["input", "hidden layer 1", "3 · tanh", "output layer", "1 · sigmoid"]:
        assert caption in shown


def colour_of(w: float) -> str:
    return POSITIVE_COLOR if w > 0 else NEGATIVE_COLOR if w < 0 else ZERO_COLOR


@given(st.lists(st.floats(-5, 5) | st.just(0.0), min_size=9, max_size=9))
def test_every_line_is_coloured_by_the_sign_of_its_weight_and_widens_with_its_size(weights) -> None:
    model = nn.MLP(2, [3, 1], seed=0)  # 2·3 + 3·1 = 9 weights
    for p, w in zip([p for layer in model.layers for n in layer.neurons for p in n.w], weights, strict=True):
        p.data = w
    drawn = lines(viz.draw_model(model).svg)
    assert len(drawn) == 9
    for line in drawn:
        assert line.color == colour_of(parameter(model, line.tail, line.head).data)
    by_size = sorted(drawn, key=lambda line: abs(parameter(model, line.tail, line.head).data))
    widths = [line.width for line in by_size]
    assert widths == sorted(widths)
    largest = max(abs(w) for w in weights)
    assert widths[-1] == (THICKEST if largest else THINNEST)
    assert widths[0] == pytest.approx(
        THINNEST + (THICKEST - THINNEST) * min(abs(w) for w in weights) / (largest or 1), abs=0.01
    )


def test_a_wide_model_draws_only_lines_between_shown_neurons_and_fast_enough_to_use() -> None:
    model = nn.MLP(784, [16, 16, 10], seed=0)
    drawing = viz.draw_model(model)
    drawn, shown = lines(drawing.svg), {c.id for c in circles(drawing.svg)}
    assert len(drawn) == 10 * 10 + 10 * 10 + 10 * 10
    assert all(line.tail in shown and line.head in shown for line in drawn)
    assert {line.tail for line in drawn if line.head == "L1_1"} == {
        f"x{i}" for i in [0, 1, 2, 3, 4, 779, 780, 781, 782, 783]
    }
    for line in drawn:
        assert line.color == colour_of(parameter(model, line.tail, line.head).data)
    assert len(drawing.svg) < 200_000


def test_max_neurons_sets_where_a_column_is_condensed() -> None:
    model = nn.MLP(3, [8, 1], seed=0)
    assert len(circles(viz.draw_model(model).svg)) == 3 + 8 + 1
    svg = viz.draw_model(model, max_neurons=5)
    assert [c.id for c in circles(svg.svg) if c.id.startswith("L1")] == ["L1_1", "L1_2", "L1_7", "L1_8"]
    assert "(4 more)" in texts(svg.svg)


def test_show_bias_adds_a_unit_per_layer_whose_lines_are_the_biases() -> None:
    model = nn.MLP(2, [3, 1], seed=0)
    for b, value in zip([n.b for layer in model.layers for n in layer.neurons], [0.5, -2.0, 0.0, 1.0], strict=True):
        b.data = value
    assert not any(c.id.startswith("bias") for c in circles(viz.draw_model(model).svg))
    svg = viz.draw_model(model, show_bias=True).svg
    assert [(c.id, c.label) for c in circles(svg) if c.id.startswith("bias")] == [("bias1", "+1"), ("bias2", "+1")]
    from_bias = [line for line in lines(svg) if line.tail.startswith("bias")]
    assert [(line.tail, line.head, line.color) for line in from_bias] == [
        ("bias1", "L1_1", POSITIVE_COLOR), ("bias1", "L1_2", NEGATIVE_COLOR), ("bias1", "L1_3", ZERO_COLOR),
        ("bias2", "L2_1", POSITIVE_COLOR),
    ]  # fmt: skip
    assert max(line.width for line in lines(svg)) == THICKEST  # the bias -2.0 is now the largest


def test_non_finite_weights_still_draw() -> None:
    model = nn.Layer(2, 2, seed=0)
    model.neurons[0].w[0].data, model.neurons[0].w[1].data = math.nan, -math.inf
    by_tail = {line.tail: line for line in lines(viz.draw_model(model).svg) if line.head == "L1_1"}
    assert (by_tail["x0"].color, by_tail["x0"].width) == (ZERO_COLOR, THINNEST)
    assert (by_tail["x1"].color, by_tail["x1"].width) == (NEGATIVE_COLOR, THICKEST)


def test_the_legend_says_which_colour_is_which_sign() -> None:
    svg = viz.draw_model(nn.MLP(2, [2, 1], seed=0)).svg
    swatches = {
        t.get("fill"): (t.text or "")
        for t in parse(svg).iter(f"{NS}text")
        if t.get("fill") in (POSITIVE_COLOR, NEGATIVE_COLOR)
    }
    assert set(swatches) == {POSITIVE_COLOR, NEGATIVE_COLOR}
    shown = " ".join(texts(svg))
    assert "positive (blue)" in shown and "negative (orange)" in shown and "show_bias=True" in shown  # fmt: skip


def test_the_layers_view_stacks_one_box_per_layer_with_shapes_and_parameter_counts() -> None:
    drawing = viz.draw_model(nn.MLP(784, [16, 16, 10], activation="tanh"), style="layers")
    root = parse(drawing.svg)
    boxes = {}
    for g in root.iter(f"{NS}g"):
        if "node" in (g.get("class") or ""):
            words = [(t.text or "").strip() for t in g.iter(f"{NS}text")]
            boxes[g.findtext(f"{NS}title")] = (words, min(float(t.get("y") or 0) for t in g.iter(f"{NS}text")))
    assert list(boxes) == ["input", "layer1", "layer2", "layer3"]
    assert [y for _, y in boxes.values()] == sorted(y for _, y in boxes.values()), "top to bottom"
    assert boxes["input"][0] == ["input (Input)", "input shape", "(784,)", "output shape", "(784,)"]
    assert boxes["layer1"][0] == [
        "layer1 (Layer) · tanh",
        "input shape",
        "(784,)",
        "output shape",
        "(16,)",
        "12,560 params",
    ]
    assert boxes["layer2"][0][2:] == ["(16,)", "output shape", "(16,)", "272 params"]
    assert boxes["layer3"][0] == [
        "layer3 (Layer) · linear",
        "input shape",
        "(16,)",
        "output shape",
        "(10,)",
        "170 params",
    ]
    assert "Total params: 13,002" in texts(drawing.svg)
    assert len(list(root.iter(f"{NS}path"))) == 3  # input → layer1 → layer2 → layer3


def test_nested_sequentials_are_drawn_flat_with_their_summary_names() -> None:
    model = nn.Sequential(nn.Layer(2, 3), nn.Sequential(nn.Layer(3, 2), nn.Layer(2, 1)))
    shown = texts(viz.draw_model(model, "layers").svg)
    assert "layer2/layer1 (Layer) · relu" in shown and "Total params: 20" in shown
    assert len(circles(viz.draw_model(model).svg)) == 2 + 3 + 2 + 1


def test_the_same_model_gives_the_same_bytes_in_another_process() -> None:
    here = [viz.draw_model(nn.MLP(5, [20, 3], seed=7), style=s).svg for s in viz.model.STYLES]
    assert here == [viz.draw_model(nn.MLP(5, [20, 3], seed=7), style=s).svg for s in viz.model.STYLES]
    script = (
        "import sys, nn, viz\n"
        "for s in ('neurons', 'layers'): sys.stdout.write(viz.draw_model(nn.MLP(5, [20, 3], seed=7), style=s).svg)"
    )
    env = {**os.environ, "PYTHONHASHSEED": "123"}
    there = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env, check=True
    )
    assert there.stdout == "".join(here)


def test_a_model_drawing_is_a_drawing_that_shows_in_jupyter_and_saves(tmp_path: Path) -> None:
    from IPython.core.formatters import DisplayFormatter

    drawing = viz.draw_model(nn.MLP(2, [2, 1], seed=0))
    assert isinstance(drawing, viz.Drawing)
    shown, _ = DisplayFormatter().format(drawing)
    parse(shown["image/svg+xml"])
    assert repr(drawing) == "ModelDrawing(neurons: 2 → 2 → 1, 9 parameters: .svg, .source, .save(path))"
    assert drawing.save(tmp_path / "m.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert drawing.save(tmp_path / "m.dot").read_text() == drawing.source
    with pytest.raises(ValueError, match="known: .svg, .png, .dot"):
        drawing.save(tmp_path / "m.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.dot", "m.png"]


@pytest.mark.parametrize(
    ("model", "options", "error", "message"),
    [
        (Value(1.0), {}, TypeError, r"draws an nn model .* got a Value \(draw a computation graph with viz.draw\)"),
        ("mlp", {}, TypeError, "draws an nn model .* got str"),
        (None, {"style": "layers"}, TypeError, "got NoneType"),
        (nn.Module(), {}, TypeError, "got Module"),
        (nn.MLP(2, [1]), {"style": "neuron"}, ValueError, r"known: neurons, layers \(did you mean 'neurons'\?\)"),
        (nn.MLP(2, [1]), {"style": "keras"}, ValueError, "unknown style 'keras'; known: neurons, layers$"),
        (nn.MLP(2, [1]), {"style": 2}, TypeError, "style= takes a str"),
        (nn.MLP(2, [1]), {"show_bias": "yes"}, TypeError, "show_bias= takes True or False, got str 'yes'"),
        (nn.MLP(2, [1]), {"max_neurons": 2}, ValueError, "max_neurons= must be at least 3"),
        (nn.MLP(2, [1]), {"max_neurons": 5.0}, TypeError, "max_neurons= takes an int, got float"),
        (nn.MLP(2, [1]), {"max_neurons": True}, TypeError, "max_neurons= takes an int, got bool"),
        (nn.MLP(2, [1]), {"renderer": 3}, TypeError, "renderer= takes a program path"),
    ],
)  # fmt: skip
def test_bad_arguments_say_what_was_wrong_and_what_is_accepted(model, options, error, message) -> None:
    with pytest.raises(error, match=message):
        viz.draw_model(model, **options)
