"""The three CS231n figures, wire by wire, and the drawing's conventions.

Each expected row is (name or position, green value, red gradient) as the
course notes' figures print them (SPEC §5; VIZ-NOTES §1 lists every wire).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from test_viz_svg import NS, by_name, gates, parse, texts_with_fill, wires

import viz
from autograd import Value, examples

Figure = tuple[Callable[..., tuple[Value, dict[str, Value]]], dict[str, bool], list[tuple[str, str, str]], list[str]]

# Every wire of each figure, in drawing order: (name, value, gradient); then the gate glyphs.
FIGURES: dict[str, Figure] = {
    "add_mul": (
        examples.add_mul,
        {},
        [("x", "-2.00", "-4.00"), ("y", "5.00", "-4.00"), ("q", "3.00", "-4.00"), ("z", "-4.00", "3.00"),
         ("f", "-12.00", "1.00")],
        ["+", "*"],
    ),
    "sigmoid_neuron": (
        examples.sigmoid_neuron,
        {},
        [("w0", "2.00", "-0.20"), ("x0", "-1.00", "0.39"), ("", "-2.00", "0.20"), ("w1", "-3.00", "-0.39"),
         ("x1", "-2.00", "-0.59"), ("", "6.00", "0.20"), ("", "4.00", "0.20"), ("w2", "-3.00", "0.20"),
         ("", "1.00", "0.20"), ("", "-1.00", "-0.20"), ("", "0.37", "-0.53"), ("", "1.37", "-0.53"),
         ("f", "0.73", "1.00")],
        ["*", "*", "+", "+", "*-1", "exp", "+1", "1/x"],
    ),
    "sigmoid_gate": (
        examples.sigmoid_neuron,
        {"single_gate": True},
        [("w0", "2.00", "-0.20"), ("x0", "-1.00", "0.39"), ("", "-2.00", "0.20"), ("w1", "-3.00", "-0.39"),
         ("x1", "-2.00", "-0.59"), ("", "6.00", "0.20"), ("", "4.00", "0.20"), ("w2", "-3.00", "0.20"),
         ("", "1.00", "0.20"), ("f", "0.73", "1.00")],
        ["*", "*", "+", "+", "σ"],
    ),
    "max_gate": (
        examples.max_gate,
        {},
        [("x", "3.00", "-8.00"), ("y", "-4.00", "6.00"), ("", "-12.00", "2.00"), ("z", "2.00", "2.00"),
         ("w", "-1.00", "0.00"), ("", "2.00", "2.00"), ("", "-10.00", "2.00"), ("f", "-20.00", "1.00")],
        ["*", "max", "+", "*2"],
    ),
}  # fmt: skip


def _drawn(figure: str, **options: object) -> str:
    build, kwargs, _, _ = FIGURES[figure]
    f, _ = build(**kwargs)
    f.backward()
    return viz.to_svg(f, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("figure", FIGURES)
def test_every_wire_reads_as_in_the_lecture(figure: str) -> None:
    expected = FIGURES[figure][2]
    assert [(w.name, w.value, w.grad) for w in wires(_drawn(figure))] == expected


@pytest.mark.parametrize("figure", FIGURES)
def test_gates_hold_their_glyphs_with_constants_folded(figure: str) -> None:
    assert gates(_drawn(figure)) == FIGURES[figure][3]


@pytest.mark.parametrize("figure", FIGURES)
def test_values_sit_above_the_wire_and_gradients_below(figure: str) -> None:
    for wire in wires(_drawn(figure)):
        assert wire.value_y is not None and wire.grad_y is not None
        assert wire.value_y < wire.wire_y < wire.grad_y  # SVG's y grows downwards


@pytest.mark.parametrize("figure", FIGURES)
def test_inputs_are_stacked_at_the_left_in_argument_order(figure: str) -> None:
    svg = _drawn(figure)
    drawn = by_name(svg)
    build, kwargs, _, _ = FIGURES[figure]
    inputs = list(build(**kwargs)[1])
    gate_xs = [float(e.get("cx") or 0) for e in parse(svg).iter(f"{NS}ellipse")]
    assert max(drawn[name].end_x for name in inputs) < min(gate_xs), "every input left of every gate"
    assert sorted(inputs, key=lambda name: drawn[name].wire_y) == inputs, "top to bottom in argument order"
    assert max(w.start_x for w in wires(svg)) == drawn["f"].start_x, "the output is the rightmost wire"


def test_colours_are_the_lecture_green_and_a_red_hex() -> None:
    svg = _drawn("add_mul")
    assert viz.VALUE_COLOR == "#008000"
    assert sorted(texts_with_fill(svg, "#008000")) == sorted(["-2.00", "5.00", "3.00", "-4.00", "-12.00"])
    assert sorted(texts_with_fill(svg, viz.GRAD_COLOR)) == sorted(["-4.00", "-4.00", "-4.00", "3.00", "1.00"])
    red, green, blue = (int(viz.GRAD_COLOR[i : i + 2], 16) for i in (1, 3, 5))
    assert red >= 0xC0 and green == blue == 0


def test_precision_changes_every_number() -> None:
    drawn = by_name(_drawn("add_mul", precision=3))
    assert (drawn["f"].value, drawn["f"].grad, drawn["x"].grad) == ("-12.000", "1.000", "-4.000")
    assert by_name(_drawn("add_mul", precision=0))["q"].value == "3"


def test_before_backward_no_red_number_is_drawn() -> None:
    f, _ = examples.add_mul()
    before = viz.to_svg(f)
    assert texts_with_fill(before, viz.GRAD_COLOR) == []
    assert [w.value for w in wires(before)] == ["-2.00", "5.00", "3.00", "-4.00", "-12.00"]
    assert len(texts_with_fill(viz.to_svg(f, grads=True), viz.GRAD_COLOR)) == 5  # forced: all 0.00
    f.backward()
    assert by_name(viz.to_svg(f))["f"].grad == "1.00"  # the seed
    assert texts_with_fill(viz.to_svg(f, grads=False), viz.GRAD_COLOR) == []


def test_labels_are_drawn_literally() -> None:
    a = Value(1.0, label='a<b & "c"')
    b = Value(2.0, label="it's")
    out = a * b
    out.label = "<f>"
    assert [w.name for w in wires(viz.to_svg(out))] == ['a<b & "c"', "it's", "<f>"]


def test_a_value_used_twice_has_one_wire_and_two_arrows() -> None:
    a = Value(3.0, label="a")
    f = a * a + a
    f.backward()
    svg = viz.to_svg(f)
    assert [w.name for w in wires(svg)].count("a") == 1
    assert by_name(svg)["a"].grad == "7.00"  # 2a + 1: the gradients of the three uses add up
    assert viz.to_dot(f).count("v0:v:se ->") == 3


@pytest.mark.parametrize(
    ("expression", "glyphs"),
    [
        (lambda x: 2 + x, ["+2"]),
        (lambda x: x - 3, ["-3"]),  # subtracting a constant reads as written, not +-3
        (lambda x: x - 1, ["-1"]),
        (lambda x: x + -1.5, ["-1.5"]),
        (lambda x: x / 3, ["/3"]),  # not *0.333333
        (lambda x: x / 7, ["/7"]),
        (lambda x: x / 4, ["*0.25"]),  # a multiplier that prints exactly stays one
        (lambda x: x * 0.1, ["*0.1"]),
        (lambda x: -x, ["*-1"]),  # the lecture's *-1
        (lambda x: 1 - x, ["*-1", "+1"]),
        (lambda x: 1 / x, ["1/x"]),
        (lambda x: x**2, ["**2"]),
        (lambda x: x**0.5, ["**0.5"]),
        (lambda x: x.tanh().relu().leaky_relu(), ["tanh", "relu", "lrelu"]),
        (lambda x: x.log().sigmoid(), ["log", "σ"]),
        (lambda x: x.max(0), ["max"]),
    ],
)
def test_gate_glyphs_come_from_the_op_table(expression, glyphs) -> None:  # type: ignore[no-untyped-def]
    assert gates(viz.to_svg(expression(Value(2.0, label="x")))) == glyphs


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"precision": "2"}, TypeError, "precision= takes an int"),
        ({"precision": -1}, ValueError, "0 to 15 decimals"),
        ({"precision": True}, TypeError, "precision= takes an int"),
        ({"grads": "yes"}, TypeError, "grads= takes True or False"),
        ({"detail": "ful"}, ValueError, "did you mean 'full'"),
        ({"renderer": 3}, TypeError, "renderer= takes a program path"),
    ],
)
def test_bad_options_say_what_is_accepted(options: dict[str, object], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        viz.draw(Value(1.0) * 2, **options)  # type: ignore[arg-type]


def test_drawing_something_else_than_a_value_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="viz draws a Value .* got list"):
        viz.to_svg([1, 2])  # type: ignore[arg-type]
