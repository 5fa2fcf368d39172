"""The explorable drawing (viz/widget.py): the data the page steps and explains with, edits that
redraw, and display data that still shows the drawing where no kernel runs the widget.

The page itself (widget.js) is driven in JupyterLab by tests/test_browser_notebooks.py.
"""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

import pytest
from IPython.core.formatters import DisplayFormatter
from test_viz_svg import NS, by_name, parse

import viz
from autograd import Value, examples
from viz.drawing import make_drawing
from viz.widget import GraphWidget, widget_data

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def add_mul(x: Value, y: Value, z: Value) -> Value:
    q = x + y
    q.label = "q"
    return q * z


def test_every_part_the_page_can_click_has_its_explanation() -> None:
    f, _ = examples.sigmoid_neuron()
    f.backward()
    data = widget_data(make_drawing(f))
    classes = [set((g.get("class") or "").split()) for g in parse(data["svg"]).iter(f"{NS}g")]
    for part, explained in data["parts"].items():
        assert any(part in names for names in classes), f"no SVG group is classed {part}"
        assert explained["title"], f"{part} explains nothing"
    edges = [names for names in classes if "edge" in names]
    assert len([p for p in data["parts"] if p.startswith("e")]) == len(edges)


def test_the_passes_step_one_wire_at_a_time_in_the_slides_words() -> None:
    f, _ = examples.add_mul()
    f.backward()
    data = widget_data(make_drawing(f))
    assert [s["id"] for s in data["forward"]] == ["v0", "v1", "v2", "v3", "v4"]  # inputs first, as computed
    assert data["forward"][2]["caption"] == "the + gate computes q = 3.00 from x = -2.00 and y = 5.00"
    assert [s["id"] for s in data["backward"]] == ["v4", "v3", "v2", "v1", "v0"]  # from the output back
    assert data["backward"][0]["caption"] == "the seed: ∂f/∂f = 1.00; the backward pass starts at the output"
    assert data["backward"][-1]["caption"] == (
        "at the + gate: upstream ∂f/∂q = -4.00 × local ∂q/∂x = 1.00 = downstream ∂f/∂x = -4.00"
    )


def test_before_backward_there_is_only_the_forward_pass_to_step() -> None:
    f, _ = examples.add_mul()
    w = viz.explore(f)
    assert len(w.forward) == 5 and w.backward == []


def test_an_edit_recomputes_and_redraws_values_and_gradients() -> None:
    w = viz.explore(add_mul, x=-2, y=5, z=-4)
    assert by_name(w.svg)["x"].grad == "-4.00"
    w.set_input("z", 2.0)
    assert (by_name(w.svg)["x"].grad, by_name(w.svg)["f"].value) == ("2.00", "6.00")
    assert w.explain("v0").splitlines()[0] == "∂f/∂x = ∂f/∂q · ∂q/∂x = 2.00 × 1.00 = 2.00"
    assert w.error == ""


def test_an_error_in_the_function_is_shown_and_the_last_drawing_kept() -> None:
    def picky(x: Value) -> Value:
        if x.data > 1:
            raise ValueError("x must stay <= 1")
        return x * 2

    w = viz.explore(picky, x=0.5)
    before = w.svg
    w.set_input("x", 1.5)
    assert w.error == "ValueError: x must stay <= 1" and w.svg == before
    w.set_input("x", 0.25)
    assert w.error == "" and by_name(w.svg)["x"].value == "0.25"


def test_without_a_kernel_the_display_data_still_shows_the_drawing() -> None:
    f, _ = examples.add_mul()
    f.backward()
    w = viz.explore(f)
    data, _ = DisplayFormatter().format(w)
    assert WIDGET_VIEW in data  # a live notebook shows the widget
    assert data["image/svg+xml"] == viz.draw(f).svg  # an untrusted one or GitHub, the drawing
    assert base64.b64decode(data["image/png"])[:4] == b"\x89PNG"


def test_explore_of_a_value_takes_no_inputs() -> None:
    f, _ = examples.add_mul()
    with pytest.raises(TypeError, match=r"inputs \(x\) go with a function"):
        viz.explore(f, x=1)


def test_the_page_module_is_valid_javascript(tmp_path: Path) -> None:
    source = Path(viz.__file__).with_name("widget.js")
    module = tmp_path / "widget.mjs"  # node checks an .mjs file as an ES module
    module.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    checked = subprocess.run(["node", "--check", str(module)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "export default { render }" in source.read_text(encoding="utf-8")


def test_the_widget_shows_the_same_picture_as_draw() -> None:
    f, _ = examples.max_gate()
    f.backward()
    w = GraphWidget(make_drawing(f, show_local=True))
    drawn = viz.to_svg(f, show_local=True)
    assert w.svg == drawn[drawn.index("<svg") :]
