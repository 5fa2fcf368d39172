"""viz.explore: sliders on a function's inputs redraw its graph; the redraw works without a browser.

The drawings are read back with the wire reader of test_viz_svg (xml.etree):
each wire's name, green value and red gradient.
"""

from __future__ import annotations

import math
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_viz_svg import by_name, parse

import viz
from autograd import Value, examples
from viz.explore import Explorer, Slider, slider_for
from viz.scene import format_number


def add_mul(x: Value, y: Value, z: Value) -> Value:
    q = x + y
    q.label = "q"
    return q * z


def neuron(w0: Value, x0: Value, w1: Value, x1: Value, w2: Value) -> Value:
    return 1 / (1 + (-(w0 * x0 + w1 * x1 + w2)).exp())


def numbers(svg: str) -> dict[str, tuple[str | None, str | None]]:
    return {name: (wire.value, wire.grad) for name, wire in by_name(svg).items()}


def test_update_redraws_values_and_gradients_at_the_new_inputs() -> None:
    explorer = Explorer(add_mul, x=-2, y=5, z=-4)
    assert numbers(explorer.drawing.svg) == {
        "x": ("-2.00", "-4.00"), "y": ("5.00", "-4.00"), "q": ("3.00", "-4.00"), "z": ("-4.00", "3.00"),
        "f": ("-12.00", "1.00"),
    }  # fmt: skip
    drawing = explorer.update(x=1.0, z=2)
    assert numbers(drawing.svg) == {
        "x": ("1.00", "2.00"), "y": ("5.00", "2.00"), "q": ("6.00", "2.00"), "z": ("2.00", "6.00"),
        "f": ("12.00", "1.00"),
    }  # fmt: skip
    assert explorer.values == {"x": 1.0, "y": 5.0, "z": 2.0}
    assert explorer.update() is explorer.drawing  # nothing changed: drawn again at the same values
    assert numbers(explorer.drawing.svg)["f"] == ("12.00", "1.00")


@given(st.lists(st.floats(-4, 4), min_size=5, max_size=5))
def test_the_explorer_draws_what_the_lecture_neuron_gives_at_any_slider_position(position) -> None:
    names = ["w0", "x0", "w1", "x1", "w2"]
    values = dict(zip(names, position, strict=True))
    explorer = Explorer(neuron, **{name: (0.0, -4, 4) for name in names})
    drawn = numbers(explorer.update(**values).svg)
    f, inputs = examples.sigmoid_neuron(**values)
    f.backward()
    for name in names:
        assert drawn[name] == (format_number(inputs[name].data, 2), format_number(inputs[name].grad, 2))
        assert explorer.inputs[name].grad == pytest.approx(inputs[name].grad, abs=1e-12)
    assert drawn["f"][0] == format_number(f.data, 2)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (-2, Slider("x", -2.0, -5.0, 5.0, 0.05)),
        (5, Slider("x", 5.0, -10.0, 10.0, 0.1)),
        (0, Slider("x", 0.0, -2.0, 2.0, 0.02)),
        (0.3, Slider("x", 0.3, -2.0, 2.0, 0.02)),
        (-7.5, Slider("x", -7.5, -20.0, 20.0, 0.2)),
        (150, Slider("x", 150.0, -500.0, 500.0, 5.0)),
        ((0.5, 0, 1), Slider("x", 0.5, 0.0, 1.0, 0.005)),
        ((-3, -3, 3.0), Slider("x", -3.0, -3.0, 3.0, 0.03)),
    ],
)
def test_a_slider_spans_its_starting_value_and_zero_or_the_given_range(spec, expected) -> None:
    slider = slider_for("x", spec)
    assert slider == expected
    assert slider.min <= slider.value <= slider.max


@pytest.mark.parametrize(
    ("spec", "error", "message"),
    [
        ("a", TypeError, "x= takes a starting number or a \\(value, min, max\\) tuple, got str 'a'"),
        (True, TypeError, "got bool"),
        ((1, 2), TypeError, "got tuple"),
        ([0, -1, 1], TypeError, "got list"),
        (math.nan, ValueError, "x= needs finite numbers"),
        ((0, -math.inf, 1), ValueError, "x= needs finite numbers"),
        ((3, 0, 1), ValueError, "needs min < max and value between them, got \\(3, 0, 1\\)"),
        ((1, 1, 1), ValueError, "needs min < max"),
        (1e308, ValueError, "too large to derive a range from; give x=\\(value, min, max\\)"),
    ],
)
def test_a_bad_slider_says_what_is_accepted(spec, error, message) -> None:
    with pytest.raises(error, match=message):
        Explorer(lambda x: x, x=spec)


def test_the_widget_redraws_when_a_slider_moves() -> None:
    explorer = Explorer(add_mul, x=-2, y=5, z=(-4, -10, 10))
    box = explorer.widget()
    assert [s.description for s in box.children[0].children] == ["x", "y", "z"]
    assert (explorer.controls["z"].min, explorer.controls["z"].max, explorer.controls["x"].step) == (-10, 10, 0.05)
    before = numbers(explorer.view.value)
    assert before["f"] == ("-12.00", "1.00")
    explorer.controls["x"].value = 1.0  # as if dragged: ipywidgets calls the observer
    after = numbers(explorer.view.value)
    assert after["x"] == ("1.00", "-4.00") and after["q"] == ("6.00", "-4.00") and after["f"] == ("-24.00", "1.00")
    explorer.controls["z"].value = 0.5
    assert numbers(explorer.view.value)["x"] == ("1.00", "0.50")
    parse(explorer.view.value)  # inline SVG: no XML prolog, still well-formed


def test_explore_returns_the_explorable_widget_and_an_edit_redraws_it() -> None:
    from viz.widget import GraphWidget

    w = viz.explore(lambda a: a.tanh(), a=0.5, precision=3)
    assert isinstance(w, GraphWidget)
    assert w.inputs == [{"name": "a", "value": 0.5, "min": -2.0, "max": 2.0, "step": 0.02}]
    w.set_input("a", -1.0)  # as the page does when the slider moves
    assert numbers(w.svg)["a"] == ("-1.000", "0.420")
    assert numbers(w.svg)["f"] == ("-0.762", "1.000")
    assert w.svg == w.drawing.svg[w.drawing.svg.index("<svg") :]  # the widget shows viz.draw's own SVG


def test_without_anywidget_explore_falls_back_to_ipywidgets_sliders(monkeypatch: pytest.MonkeyPatch) -> None:
    import ipywidgets

    monkeypatch.setitem(sys.modules, "anywidget", None)  # import anywidget now fails, as if not installed
    monkeypatch.delitem(sys.modules, "viz.widget", raising=False)
    box = viz.explore(lambda a: a.tanh(), a=0.5, precision=3)
    assert isinstance(box, ipywidgets.VBox)
    slider, view = box.children[0].children[0], box.children[1]
    assert isinstance(slider, ipywidgets.FloatSlider) and isinstance(view, ipywidgets.HTML)
    slider.value = -1.0
    assert numbers(view.value)["a"] == ("-1.000", "0.420")
    assert numbers(view.value)["f"] == ("-0.762", "1.000")


def test_an_error_in_the_function_shows_in_place_of_the_drawing_until_the_inputs_are_good_again() -> None:
    def picky(x: Value) -> Value:
        if x.data > 1:
            raise ValueError("x must stay <= 1")
        return x * 2

    explorer = Explorer(picky, x=0.0)
    explorer.widget()
    explorer.controls["x"].value = 1.5
    assert explorer.view.value == '<pre style="color:#c00000">ValueError: x must stay &lt;= 1</pre>'
    explorer.controls["x"].value = 0.5
    assert numbers(explorer.view.value)["x"] == ("0.50", "2.00")


def test_without_ipywidgets_explore_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in ("ipywidgets", "anywidget"):  # importing them now fails, as if not installed
        monkeypatch.setitem(sys.modules, module, None)
    monkeypatch.delitem(sys.modules, "viz.widget", raising=False)
    with pytest.raises(ImportError, match=r"needs ipywidgets for its sliders: pip install 'graphgrad\[widgets\]'"):
        viz.explore(add_mul, x=-2, y=5, z=-4)
    explorer = Explorer(add_mul, x=-2, y=5, z=-4)  # the redraw itself needs no ipywidgets
    assert numbers(explorer.update(y=0).svg)["f"] == ("8.00", "1.00")


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: Explorer(3, x=1), TypeError, "explore takes a function of the inputs, got int 3"),
        (lambda: Explorer(add_mul), TypeError, "needs at least one input with its starting value"),
        (lambda: Explorer(add_mul, x=1, y=2), TypeError, r"add_mul\(x, y, z\) cannot take inputs x, y: missing .* 'z'"),
        (lambda: Explorer(add_mul, x=1, y=2, z=3, w=4), TypeError, "cannot take inputs x, y, z, w"),
        (lambda: Explorer(lambda x: 2.0, x=1), TypeError, "must return one Value \\(the output\\), got float"),
        (lambda: Explorer(lambda x: [x, x], x=1), TypeError, "must return one Value \\(the output\\), got list"),
        (lambda: Explorer(add_mul, x=1, y=2, z=3).update(w=1), TypeError, "unknown input 'w'; inputs: x, y, z$"),
        (lambda: Explorer(add_mul, x=1, y=2, z=3).update(x="2"), TypeError, "x takes a number, got str '2'"),
        (lambda: Explorer(add_mul, x=1, y=2, z=3, precision=-1), ValueError, "precision= takes 0 to 15 decimals"),
    ],
)  # fmt: skip
def test_bad_calls_say_what_was_wrong(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


def test_a_failed_update_changes_no_input() -> None:
    explorer = Explorer(add_mul, x=1, y=2, z=3)
    with pytest.raises(TypeError):
        explorer.update(x=5, y="oops")
    assert explorer.values == {"x": 1.0, "y": 2.0, "z": 3.0}


def test_an_input_may_be_called_fn_and_the_output_keeps_its_own_label() -> None:
    def labelled(fn: Value) -> Value:
        out = fn * 3
        out.label = "loss"
        return out

    explorer = Explorer(labelled, fn=2)
    assert numbers(explorer.drawing.svg) == {"fn": ("2.00", "3.00"), "loss": ("6.00", "1.00")}
    assert repr(explorer) == "Explorer(fn=2: output 6; .update(**values), .widget())"
