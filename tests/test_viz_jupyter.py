"""A drawing in a notebook (SPEC §3, "In Jupyter"): SVG and PNG in its display data, scaled to fit
the output area, hover texts that give each gradient as the chain rule, branch shares in red,
numbers that never hide a small gradient as 0.00, and arrow labels that never cover anything.

SVGs are read with xml.etree; label boxes are measured from the rendered SVG's text positions.
"""

from __future__ import annotations

import base64
import re
import struct
import xml.etree.ElementTree as ET

import pytest
from IPython.core.formatters import DisplayFormatter
from test_viz_svg import NS, by_name, parse, texts_with_fill, wires

import viz
from autograd import Value, examples
from viz.display import DISPLAY_WIDTH
from viz.labels import Box, text_box
from viz.scene import format_number

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    return width, height


def fan_out() -> Value:
    """f = a·b + exp(a) at a = 1.5, b = 3: a is used twice, ∂f/∂a = b + e^a = 3 + 4.48."""
    a, b = Value(1.5, label="a"), Value(3.0, label="b")
    f = a * b + a.exp()
    f.backward()
    return f


def tanh_neuron_with_exp() -> Value:
    """The lecture's tanh neuron written with exp: a drawing wider than a notebook's output area."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2, b = Value(-3.0, label="w1"), Value(1.0, label="w2"), Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    e = (2 * n).exp()
    o = (e - 1) / (e + 1)
    o.label = "o"
    o.backward()
    return o


def titles(svg: str) -> dict[str, str]:
    """Each wire's hover text, by the wire's name (or "=value" for an unnamed one)."""
    found = {}
    for g in parse(svg).iter(f"{NS}g"):
        if "wire" in (g.get("class") or "").split():
            drawn = [w for w in wires(ET.tostring(_svg_of(g), encoding="unicode"))][0]
            found[drawn.name or f"={drawn.value}"] = g.findtext(f"{NS}title") or ""
    return found


def _svg_of(group: ET.Element) -> ET.Element:
    root = ET.Element(f"{NS}svg")
    root.append(group)
    return root


# --- display data ------------------------------------------------------------------------------


def test_the_display_data_carries_svg_and_png_and_a_line_of_text() -> None:
    f, _ = examples.add_mul()
    f.backward()
    drawing = viz.draw(f)
    bundle = drawing._repr_mimebundle_()
    assert {"image/svg+xml", "image/png", "text/plain"} <= set(bundle)
    data, _ = DisplayFormatter().format(drawing)  # what IPython sends to the notebook
    assert {kind: data[kind] for kind in bundle} == bundle
    assert ET.fromstring(data["image/svg+xml"].encode()).tag == f"{NS}svg"
    # The PNG is as big as the drawing is shown: one pixel per CSS pixel, no metadata needed.
    assert png_size(base64.b64decode(data["image/png"])) == pytest.approx(drawing.size, abs=1)
    assert data["text/plain"] == "Drawing(full, 5 values: .svg, .source, .save(path))"


def test_a_drawing_wider_than_the_output_area_is_scaled_to_fit() -> None:
    drawing = viz.draw(tanh_neuron_with_exp())
    natural_width, natural_height = drawing.size
    assert natural_width > DISPLAY_WIDTH  # the case the rule is for: ≈1,500 px at full size
    data = drawing._repr_mimebundle_()
    svg = ET.fromstring(data["image/svg+xml"].encode())
    width, height = (float(svg.get(side, "").removesuffix("px")) for side in ("width", "height"))
    assert width == pytest.approx(DISPLAY_WIDTH, rel=1e-3)
    assert height == pytest.approx(natural_height * DISPLAY_WIDTH / natural_width, rel=1e-3)
    assert svg.get("viewBox") == ET.fromstring(drawing.svg.encode()).get("viewBox")  # the same picture, smaller
    assert png_size(base64.b64decode(data["image/png"]))[0] == pytest.approx(DISPLAY_WIDTH, abs=2)
    assert "max-width:100%" in (svg.get("style") or "")  # where the SVG is inlined, it shrinks further


def test_a_drawing_that_fits_is_shown_at_its_own_size() -> None:
    drawing = viz.draw(fan_out())
    data = drawing._repr_mimebundle_()
    assert drawing.size[0] < DISPLAY_WIDTH
    assert data["image/svg+xml"] == drawing.svg
    assert png_size(base64.b64decode(data["image/png"])) == pytest.approx(drawing.size, abs=1)


def test_full_size_shows_a_wide_drawing_unscaled() -> None:
    drawing = viz.draw(tanh_neuron_with_exp())
    data, metadata = DisplayFormatter().format(drawing.full_size())
    assert data["image/svg+xml"] == drawing.svg
    assert png_size(base64.b64decode(data["image/png"]))[0] == pytest.approx(drawing.size[0], abs=1)
    assert metadata["image/png"]["unconfined"] is True and metadata["image/svg+xml"]["unconfined"] is True


# --- hover texts and branch shares ----------------------------------------------------------------


def test_every_wire_explains_its_gradient_as_upstream_times_local() -> None:
    f, _ = examples.add_mul()
    f.backward()
    hover = titles(viz.to_svg(f))
    assert hover["x"].splitlines()[0] == "∂f/∂x = ∂f/∂q · ∂q/∂x = -4.00 × 1.00 = -4.00"
    assert hover["z"].splitlines()[0] == "∂f/∂z = ∂f/∂f · ∂f/∂z = 1.00 × 3.00 = 3.00"  # the * gate swaps
    assert hover["f"].splitlines()[0] == "∂f/∂f = 1.00 (the seed: the backward pass starts here)"
    assert hover["x"].splitlines()[-1] == "x = -2.00"


def test_at_a_value_used_twice_the_hover_text_sums_the_branches() -> None:
    hover = titles(viz.to_svg(fan_out()))
    assert hover["a"].splitlines()[0] == "∂f/∂a = 3.00 (via *) + 4.48 (via exp) = 7.48"
    assert "∂f/∂(a*b) · ∂(a*b)/∂a = 1.00 × 3.00 = 3.00" in hover["a"]
    assert "∂f/∂(exp(a)) · ∂(exp(a))/∂a = 1.00 × 4.48 = 4.48" in hover["a"]


def test_each_branch_of_a_reused_value_shows_its_share_in_red_and_the_wire_their_sum() -> None:
    svg = viz.to_svg(fan_out())
    assert by_name(svg)["a"].grad == "7.48"
    branches = {}
    for g in parse(svg).iter(f"{NS}g"):
        if "edge" in (g.get("class") or "").split():
            red = [t.text for t in g.iter(f"{NS}text") if t.get("fill") == viz.GRAD_COLOR]
            if red:
                branches[red[0]] = g.findtext(f"{NS}title") or ""
    assert sorted(branches) == ["3.00", "4.48"]  # b is used once: its arrow has no share of its own
    assert branches["3.00"].startswith("carries back 3.00 to a")
    assert sorted(texts_with_fill(svg, viz.GRAD_COLOR)) == sorted(["7.48", "1.50", "3.00", "4.48"] + ["1.00"] * 3)


def test_a_value_used_twice_by_one_gate_names_both_operands() -> None:
    a = Value(3.0, label="a")
    f = a * a
    f.backward()
    hover = titles(viz.to_svg(f))
    assert hover["a"].splitlines()[0] == "∂f/∂a = 3.00 (via *, operand 1) + 3.00 (via *, operand 2) = 6.00"


def test_gates_with_the_same_glyph_are_told_apart_by_what_they_compute() -> None:
    f, _ = examples.sigmoid_neuron()
    f.backward()
    svg = viz.to_svg(f)
    hover = titles(svg)
    assert hover["x0"].splitlines()[0] == "∂f/∂x0 = ∂f/∂(w0*x0) · ∂(w0*x0)/∂x0 = 0.20 × 2.00 = 0.39"
    captions = viz.backward_steps(f).captions[1:]
    names = [caption.split(" — ")[1].rsplit(": ", 1)[0] for caption in captions]
    assert len(set(names)) == len(names), "two steps name the same thing"
    assert not any("output" in name for name in names)
    assert "w0*x0 + w1*x1: 0.20 × 1.00 = 0.20" in [caption.split(" — ")[1] for caption in captions]


def test_hovering_a_gate_tells_upstream_local_and_downstream() -> None:
    f, _ = examples.add_mul()
    f.backward()
    gate_titles = [
        g.findtext(f"{NS}title") or ""
        for g in parse(viz.to_svg(f)).iter(f"{NS}g")
        if "gate" in (g.get("class") or "").split()
    ]
    assert gate_titles[1].splitlines() == [
        "* gate: f = -12.00",
        "local ∂f/∂q = -4.00, ∂f/∂z = 3.00",
        "upstream ∂f/∂f = 1.00",
        "downstream 1.00 × -4.00 = -4.00 to q, 1.00 × 3.00 = 3.00 to z",
        "(the mul gate swaps: each input's local gradient is the other input)",
    ]


def test_before_backward_the_hover_text_gives_the_value() -> None:
    f, _ = examples.add_mul()
    hover = titles(viz.to_svg(f))
    assert hover["q"] == "q = 3.00" and texts_with_fill(viz.to_svg(f), viz.GRAD_COLOR) == []


def test_hover_texts_hold_labels_literally() -> None:
    a = Value(1.0, label='a<b & "c"')
    f = a * a
    f.backward()
    assert titles(viz.to_svg(f))['a<b & "c"'].startswith('∂f/∂(a<b & "c") = ')


def test_a_backslash_in_a_label_shows_in_the_hover_text_and_is_no_graphviz_escape() -> None:
    a = Value(1.0, label="a\\N")
    f = a * 2
    f.backward()
    title = parse(viz.to_svg(f)).find(f".//{NS}g[@class='node wire s1 v0']/{NS}title")
    assert title is not None and title.text is not None
    assert title.text.startswith("∂f/∂(a\\N) = ") and "v0" not in title.text  # literally, not the node's name


# --- numbers and glyphs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "precision", "text"),
    [
        (3.1e-05, 2, "3.1e-05"),
        (-3.1e-05, 2, "-3.1e-05"),
        (0.004, 2, "0.004"),
        (0.0012345, 2, "0.0012"),
        (-0.0, 2, "0.00"),
        (0.0, 2, "0.00"),
        (-0.004, 3, "-0.004"),
        (0.0004, 3, "0.0004"),
        (0.73105, 2, "0.73"),
        (-12.0, 0, "-12"),
        (0.2, 0, "0.2"),
        (float("inf"), 2, "inf"),
        (float("nan"), 2, "nan"),
    ],
)
def test_a_number_smaller_than_the_precision_shows_in_significant_digits(x: float, precision: int, text: str) -> None:
    assert format_number(x, precision) == text


def test_a_vanishing_gradient_is_not_drawn_as_zero() -> None:
    x = Value(0.5, label="x")
    y = x
    for _ in range(12):
        y = (y * 0.3).tanh()
    y.backward()
    assert 0 < abs(x.grad) < 1e-4
    assert by_name(viz.to_svg(y))["x"].grad == format_number(x.grad, 2) != "0.00"


def test_precision_zero_draws_the_first_lecture_figure_in_integers() -> None:
    f, _ = examples.add_mul()
    f.backward()
    assert [(w.name, w.value, w.grad) for w in wires(viz.to_svg(f, precision=0))] == [
        ("x", "-2", "-4"), ("y", "5", "-4"), ("q", "3", "-4"), ("z", "-4", "3"), ("f", "-12", "1"),
    ]  # fmt: skip


# --- nothing covers anything ----------------------------------------------------------------------


def _label_boxes(svg: str) -> list[tuple[str, Box]]:
    """The boxes of the labels at arrow heads (texts inside edge groups)."""
    found = []
    for g in parse(svg).iter(f"{NS}g"):
        if "edge" in (g.get("class") or "").split():
            for t in g.iter(f"{NS}text"):
                box = text_box(float(t.get("x") or 0), float(t.get("y") or 0), t.text or "",
                               float(t.get("font-size") or 9), t.get("text-anchor") or "start")  # fmt: skip
                found.append((t.text or "", box))
    return found


def _other_boxes(svg: str) -> list[Box]:
    found = []
    for g in parse(svg).iter(f"{NS}g"):
        if "node" in (g.get("class") or "").split():
            for t in g.iter(f"{NS}text"):
                found.append(text_box(float(t.get("x") or 0), float(t.get("y") or 0), t.text or "",
                                      float(t.get("font-size") or 12), t.get("text-anchor") or "start"))  # fmt: skip
            for e in g.iter(f"{NS}ellipse"):
                cx, cy, r = (float(e.get(k) or 0) for k in ("cx", "cy", "rx"))
                found.append(Box(cx - r, cy - r, cx + r, cy + r))
    return found


def _arrow_segments(svg: str) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Every arrow as straight segments through its path's points (the drawings use straight lines)."""
    segments = []
    for g in parse(svg).iter(f"{NS}g"):
        if "edge" in (g.get("class") or "").split():
            path = g.find(f"{NS}path")
            points = [(float(x), float(y)) for x, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", path.get("d") or "")]
            segments += list(zip(points, points[1:], strict=False))
    return segments


def _gate_patterns() -> list[Value]:
    graphs = []
    for build in (examples.add_mul, examples.sigmoid_neuron, examples.max_gate):
        f, _ = build()
        graphs.append(f)
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    graphs += [(a + b) * -2, (a * b) * 2, a.max(b) * 2, a * b + a, fan_out(), tanh_neuron_with_exp()]
    for f in graphs:
        f.backward()
    return graphs


@pytest.mark.parametrize("f", _gate_patterns(), ids=lambda f: f"{len(viz.draw(f).scene.nodes)}-nodes")
def test_labels_at_arrow_heads_cover_no_text_no_gate_no_arrow_and_no_other_label(f: Value) -> None:
    svg = viz.to_svg(f, show_local=True)
    labels = _label_boxes(svg)
    assert labels, "show_local draws the local derivatives"
    others = _other_boxes(svg)
    segments = _arrow_segments(svg)
    for k, (text, box) in enumerate(labels):
        assert not any(box.overlaps(other) for _, other in labels[k + 1 :]), f"{text} overlaps another label"
        assert not any(box.overlaps(other) for other in others), f"{text} covers a name, number or gate"
        assert not any(box.crosses(a, b) for a, b in segments), f"{text} lies under an arrow"


@pytest.mark.parametrize("f", _gate_patterns(), ids=lambda f: f"{len(viz.draw(f).scene.nodes)}-nodes")
def test_no_arrow_crosses_a_name(f: Value) -> None:
    svg = viz.to_svg(f)
    segments = _arrow_segments(svg)
    for wire in parse(svg).iter(f"{NS}g"):
        if "wire" not in (wire.get("class") or "").split():
            continue
        for t in wire.iter(f"{NS}text"):
            if t.get("fill") is None and (t.text or "").strip():  # the name (values and gradients are coloured)
                box = text_box(float(t.get("x") or 0), float(t.get("y") or 0), (t.text or "").strip(), 12)
                assert not any(box.crosses(a, b) for a, b in segments), f"an arrow crosses the name {t.text!r}"


# --- model.summary() ---------------------------------------------------------------------------


def test_a_models_summary_displays_as_the_table_and_still_prints_and_compares_as_text(capsys) -> None:
    import nn

    model = nn.MLP(3, [3, 2, 2])
    table = model.summary()
    data, _ = DisplayFormatter().format(table)
    assert data["text/plain"] == str(table) and data["text/plain"].splitlines()[-1] == "Total params: 26"
    assert repr(table) == str(table)  # the repr is the table, not an escaped one-line string
    assert isinstance(table, str) and table == nn.summary(model) and table.splitlines()[0].startswith("Model: MLP")
    print(table)
    assert capsys.readouterr().out == str(table) + "\n"
