"""Drawing vectors as the lecture does (viz.vectors, detail="vectors"): one wire per vector, its values
in green above and its gradient — the same shape — in red below, and one gate per vector operation.

The SVG is read back with xml.etree: a wire is a node group of class ``wire`` whose polyline is the
wire; a matrix's numbers are several green (red) texts in that group.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from test_viz_svg import NS, gates, parse

import viz
import viz.vectors
from autograd import Constant, Value, gate, labelled, matrix, maximum, scope, vector
from viz.scene import Gate, Style
from viz.vectors import find_vectors, vector_scene


@dataclass
class VectorWire:
    name: str
    values: list[str]  # green texts, in reading order
    grads: list[str]  # red texts
    wire_y: float
    value_ys: list[float]
    grad_ys: list[float]


def vector_wires(svg: str) -> dict[str, VectorWire]:
    """Every named wire of a drawing, by name."""
    found = {}
    for g in parse(svg).iter(f"{NS}g"):
        if "wire" not in (g.get("class") or "").split():
            continue
        wire_y = _wire_y(g)
        name, values, grads, value_ys, grad_ys = "", [], [], [], []
        for text in g.iter(f"{NS}text"):
            content = (text.text or "").replace("\xa0", " ").strip()
            y = float(text.get("y") or 0)
            if text.get("fill") == viz.VALUE_COLOR:
                values.append(content)
                value_ys.append(y)
            elif text.get("fill") == viz.GRAD_COLOR:
                grads.append(content)
                grad_ys.append(y)
            else:
                name = content
        found[name] = VectorWire(name, values, grads, wire_y, value_ys, grad_ys)
    return found


def _wire_y(g: ET.Element) -> float:
    """The wire: the longest horizontal line of the group (a matrix's brackets are lines too)."""
    lines = []
    for line in g.iter(f"{NS}polyline"):
        points = [tuple(float(c) for c in p.split(",")) for p in (line.get("points") or "").split()]
        if len({y for _, y in points}) == 1:
            lines.append((max(x for x, _ in points) - min(x for x, _ in points), points[0][1]))
    return max(lines)[1]


def lecture() -> Value:
    """f = ‖W·x‖² at the lecture's numbers, q labelled, after backward()."""
    W, x = matrix([[0.1, 0.5], [-0.3, 0.8]], "W"), vector([0.2, 0.4], "x")
    q = labelled([W[i][0] * x[0] + W[i][1] * x[1] for i in range(2)], "q")
    f = q[0] * q[0] + q[1] * q[1]
    f.label = "f"
    f.backward()
    return f


# ---- the lecture's example ---------------------------------------------------------------------


def test_the_lecture_example_is_four_wires_and_two_gates_with_the_lecture_numbers() -> None:
    svg = viz.to_svg(lecture(), detail="vectors", precision=3)
    drawn = vector_wires(svg)
    assert sorted(drawn) == ["W", "f", "q", "x"]
    assert (drawn["q"].values, drawn["q"].grads) == (["[0.220, 0.260]"], ["[0.440, 0.520]"])
    assert (drawn["f"].values, drawn["f"].grads) == (["0.116"], ["1.000"])
    assert (drawn["x"].values, drawn["x"].grads) == (["[0.200, 0.400]"], ["[-0.112, 0.636]"])
    assert drawn["W"].values == ["0.100", "0.500", "-0.300", "0.800"]  # a grid, row by row
    assert drawn["W"].grads == ["0.088", "0.176", "0.104", "0.208"]
    assert gates(svg) == ["W·x", "‖·‖²"]


def test_the_same_graph_in_full_detail_is_every_scalar() -> None:
    f = lecture()
    assert len(viz.draw(f, detail="full").scene.wires()) == 15  # 6 inputs, 4 products, 2 sums, 2 squares, f
    assert len(viz.draw(f).scene.wires()) == 15  # small: the default is the lecture's scalar look
    assert len(viz.draw(f, detail="vectors").scene.wires()) == 4


def test_values_sit_above_each_wire_and_gradients_below() -> None:
    for wire in vector_wires(viz.to_svg(lecture(), detail="vectors", precision=3)).values():
        assert wire.values and wire.grads
        assert max(wire.value_ys) < wire.wire_y < min(wire.grad_ys), wire.name


def test_the_gradient_at_each_wire_has_its_vectors_shape() -> None:
    f = lecture()
    scene = viz.draw(f, detail="vectors").scene
    by_name = {w.name: w for w in scene.wires()}
    assert [len(row) for row in by_name["W"].grid] == [len(row) for row in by_name["W"].grad_grid] == [2, 2]
    for name in "xq":
        assert by_name[name].grad.count(",") == by_name[name].value.count(",") == 1  # type: ignore[union-attr]


def test_before_backward_only_the_values_show() -> None:
    W, x = matrix([[1.0, 2.0]], "W"), vector([3.0, 4.0], "x")
    s = labelled([W[0][0] * x[0] + W[0][1] * x[1]], "s")
    svg = viz.to_svg(s[0] * 2, detail="vectors")
    assert all(not wire.grads for wire in vector_wires(svg).values())
    assert vector_wires(svg)["W"].values == ["1.00", "2.00"]


def test_the_drawing_is_a_drawing_like_the_others(tmp_path: Path) -> None:
    f = lecture()
    drawing = viz.draw(f, detail="vectors")
    assert repr(drawing) == "Drawing(vectors, 15 values: .svg, .source, .save(path))"
    assert viz.to_svg(f, detail="vectors") == viz.to_svg(lecture(), detail="vectors")  # the same bytes
    assert drawing.png()[:4] == b"\x89PNG"
    assert ET.fromstring(drawing.svg.encode()).tag == f"{NS}svg"
    assert viz.save(f, tmp_path / "f.dot", detail="vectors").read_text().count("->") == 5


# ---- which gate is which --------------------------------------------------------------------------


def _glyphs(root: Value) -> list[str]:
    return [n.glyph for n in vector_scene(viz.scene.topological_order(root), Style()).nodes if isinstance(n, Gate)]


def test_elementwise_operations_are_one_gate_named_by_the_operation() -> None:
    x = vector([0.5, -1.2, 2.0], "x")
    c = Value(3.0, label="c")
    for make, glyph in [
        (lambda v: maximum(v, 0), "max"),  # the lecture's max(0, x): its 0 folds into the gate
        (lambda v: v.relu(), "relu"),
        (lambda v: v.tanh(), "tanh"),
        (lambda v: v * c, "*"),  # a named scalar is read by every element
        (lambda v: v * 2, "*2"),  # a constant folds into the glyph, as in the scalar drawing
        (lambda v: v + 1, "+1"),
        (lambda v: v**2, "**2"),
        (gate("sq", lambda a: a * a, lambda out, a: (2 * a,)), "sq"),  # a gate of your own
    ]:
        h = labelled([make(xi) for xi in x], "h")
        assert _glyphs(h[0] + h[1] + h[2]) == [glyph, "Σ"], glyph


def test_matrix_vector_products_with_or_without_a_bias() -> None:
    W, x, b = matrix([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], "W"), vector([1.0, -1.0], "x"), vector([1, 2, 3], "b")
    s = labelled([W[i][0] * x[0] + W[i][1] * x[1] + b[i] for i in range(3)], "s")
    assert _glyphs(s[0] * s[1] * s[2]) == ["W·x+b", "*"]
    weights = matrix([[1.0, 2.0]], "weights")
    t = labelled([sum(w * xj for w, xj in zip(weights[0], x, strict=True))], "t")
    assert _glyphs(t[0] * t[0])[0] == "·"  # long names: the bare operation


def test_reductions_dot_products_and_what_is_not_recognised() -> None:
    a, b = vector([1.0, 2.0, 3.0], "a"), vector([4.0, 5.0, 6.0], "b")
    assert _glyphs(a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) == ["a·b"]
    assert _glyphs(a[0] + a[1] + a[2]) == ["Σ"]
    assert _glyphs(a[0] ** 2 + a[1] ** 2 + a[2] ** 2) == ["‖·‖²"]
    # Built from the same * and + over every element, but not Σ a²: the numbers say so.
    assert _glyphs(a[0] * a[1] + a[1] * a[2] + a[2] * a[0]) == ["*,+"]
    assert _glyphs(a[0].exp() + a[1].exp() + a[2].exp()) == ["exp,+"]  # the operations it holds
    assert _glyphs((a[0].exp() + a[1].tanh() + a[2].sigmoid()).log()) == ["exp,tanh…"]  # the first of them


def test_a_scope_names_the_gate() -> None:
    s = vector([0.5, 2.0, -1.0], "s")
    with scope("hinge"):
        loss = maximum(0, s[0] - s[1] + 1) + maximum(0, s[2] - s[1] + 1)
    assert _glyphs(loss) == ["hinge"]


def test_the_linear_classifier_draws_as_the_lectures_opening_figure() -> None:
    W, x = matrix([[0.2, -0.5, 0.1], [1.5, 1.3, 2.1], [0.0, 0.25, 0.2]], "W"), vector([1.0, -0.5, 1.0], "x")
    s = labelled([sum(w * xj for w, xj in zip(row, x, strict=True)) for row in W], "s")
    with scope("hinge"):
        data = maximum(0, s[0] - s[1] + 1) + maximum(0, s[2] - s[1] + 1)
    data.label = "data loss"
    with scope("R"):
        R = 0.1 * sum(w * w for row in W for w in row)
    R.label = "R(W)"
    L = data + R
    L.label = "L"
    L.backward()
    scene = viz.draw(L, detail="vectors").scene
    assert [n.glyph for n in scene.nodes if isinstance(n, Gate)] == ["W·x", "hinge", "R", "+"]
    assert [w.name for w in scene.wires()] == ["x", "W", "s", "data loss", "R(W)", "L"]
    edges = {(e.tail, e.head) for e in scene.edges}
    ids = {n.glyph if isinstance(n, Gate) else n.name: n.id for n in scene.nodes}
    assert (ids["W"], ids["R"]) in edges and (ids["W"], ids["W·x"]) in edges and (ids["x"], ids["W·x"]) in edges
    assert (ids["data loss"], ids["+"]) in edges and (ids["R(W)"], ids["+"]) in edges


# ---- which scalars make a vector -----------------------------------------------------------------


def test_labels_decide_the_vectors_and_the_kth_x0_joins_the_kth_x() -> None:
    first, second = vector([1.0, 2.0], "x"), vector([3.0, 4.0], "x")
    total = (first[0] * first[1]) + (second[0] * second[1])
    tensors, _ = find_vectors(viz.scene.topological_order(total))
    assert [(t.name, t.shape) for t in tensors] == [("x", (2,)), ("x", (2,)), ("", ())]


def test_an_incomplete_vector_is_drawn_as_its_named_scalars() -> None:
    x = vector([1.0, 2.0, 3.0], "x")
    tensors, _ = find_vectors(viz.scene.topological_order(x[1] * x[2]))  # x[0] is not in the graph
    assert [(t.name, t.shape) for t in tensors] == [("x[1]", ()), ("x[2]", ()), ("", ())]


def test_unlabelled_inputs_are_wires_and_constants_fold() -> None:
    x = vector([1.0, 2.0], "x")
    w = Value(0.5)
    scene = vector_scene(viz.scene.topological_order((x[0] + x[1]) * w + 3), Style(grads=False))
    assert [(wire.name, wire.value) for wire in scene.wires()] == [("x", "[1.00, 2.00]"), ("", "0.50"), ("", "4.50")]


def test_a_lone_value_is_one_wire() -> None:
    for lone in (Value(2.0, label="a"), Constant(3.0), vector([1.0], "x")[0]):
        assert len(viz.draw(lone, detail="vectors").scene.wires()) == 1


def test_long_vectors_and_matrices_show_their_ends_and_their_size() -> None:
    x = vector(range(4096), "x")
    M = matrix([[i * 10 + j for j in range(8)] for i in range(9)], "M")
    h = labelled([xi.relu() for xi in x], "h")
    f = sum(hi * hi for hi in h) + sum(m for row in M for m in row)
    wires = {w.name: w for w in viz.draw(f, detail="vectors", grads=False).scene.wires()}
    assert wires["x (4,096)"].value == "[0.00, 1.00, 2.00, …, 4093.00, 4094.00, 4095.00]"
    grid = wires["M (9×8)"].grid
    assert (
        grid[0] == ("0.00", "1.00", "2.00", "…", "5.00", "6.00", "7.00") and grid[3] == ("⁝",) * 3 + ("",) + ("⁝",) * 3
    )
    assert grid[-1][-1] == "87.00" and len(grid) == 7


# ---- the policy ------------------------------------------------------------------------------------


def test_auto_draws_vectors_when_labels_say_so_and_the_graph_is_too_large_for_full_detail() -> None:
    assert viz.draw(lecture()).mode == "full"  # small: the lecture's scalar look, every value a wire
    x = vector([(i % 7) - 3.0 for i in range(4096)], "x")
    h = labelled([xi.relu() for xi in x], "h")
    f = sum(hi * hi for hi in h)
    drawing = viz.draw(f)
    assert drawing.mode == "vectors" and "drawn as vectors" in drawing.scene.note
    assert gates(drawing.svg) == ["relu", "‖·‖²"]
    unlabelled = sum(xi.data * Value(1.0) for xi in x[:300])
    assert viz.draw(unlabelled).mode != "vectors"


def test_detail_vectors_draws_graphs_beyond_the_full_detail_limit() -> None:
    x = vector([(i % 7) - 3.0 for i in range(4096)], "x")
    h = labelled([maximum(xi, 0) for xi in x], "h")  # 20,481 values with the 0 of each max
    f = sum(hi * hi for hi in h)
    assert viz.draw(f).mode == "summary"
    assert gates(viz.to_svg(f, detail="vectors")) == ["max", "‖·‖²"]


def test_auto_falls_back_when_the_vector_drawing_would_not_read_well() -> None:
    x = vector([1.0, 2.0], "x")
    named = [x[0] * i for i in range(260)]
    for i, v in enumerate(named):
        v.label = f"t{i}"  # 260 named scalars: 260 wires in a vector drawing
    assert viz.draw(sum(named)).mode == "sums"


def test_too_much_to_walk_or_to_draw_is_refused_at_once_saying_why(monkeypatch: pytest.MonkeyPatch) -> None:
    x = vector([1.0, 2.0], "x")
    shared = x[0] * x[1]
    for _ in range(50):
        shared = shared * 1.01
    ys = labelled([shared * i for i in range(30)], "y")
    monkeypatch.setattr(viz.vectors, "WORK_LIMIT", 500)
    with pytest.raises(ValueError, match="detail='vectors' refused: finding the operations behind each labelled"):
        viz.draw(sum(ys), detail="vectors")
    monkeypatch.setattr(viz.vectors, "MAX_WIRES", 4)
    with pytest.raises(ValueError, match="detail='vectors' refused: the labels give 4 separate wires"):
        viz.draw(x[0] * x[1] + Value(1.0) + Value(2.0), detail="vectors")


def test_a_label_is_drawn_literally() -> None:
    hostile = '<b>&"W'
    x = vector([1.0, 2.0], hostile)
    svg = viz.to_svg(x[0] + x[1], detail="vectors")
    assert hostile in vector_wires(svg)


@pytest.mark.browser
def test_in_chromium_every_number_of_the_vector_drawing_shows_inside_the_picture(page: Any) -> None:
    page.set_content(f"<html><body>{viz.to_svg(lecture(), detail='vectors', precision=3)}</body></html>")
    box = page.locator("svg").bounding_box()
    texts = page.locator("svg text")
    shown = [texts.nth(k).bounding_box() for k in range(texts.count())]
    assert box and len(shown) == 20  # 4 names, 2 glyphs, 7 green and 7 red texts
    for t in shown:
        assert t and box["x"] <= t["x"] and t["x"] + t["width"] <= box["x"] + box["width"] + 0.5
        assert box["y"] <= t["y"] and t["y"] + t["height"] <= box["y"] + box["height"] + 0.5
