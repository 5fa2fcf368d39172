"""The backward pass drawn as a graph of its own (viz/backward.py): a create_graph gradient
draws like any Value; draw_backward and side_by_side put drawings side by side, in SVG
(parsed with xml.etree), PNG and Jupyter's display data; labels stay data; and in Chromium
the panels are laid out apart, inside the picture."""

from __future__ import annotations

import base64
import io
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

import viz
from autograd import Value, examples, grad

SVG = "{http://www.w3.org/2000/svg}"


def add_mul_panels(seed: float | Value = 1.0) -> tuple[viz.Panels, dict[str, Value]]:
    f, xs = examples.add_mul()
    return viz.draw_backward(f, [xs["x"], xs["y"], xs["z"]], grad_output=seed), xs


def texts(svg: str) -> list[str]:
    """Every text the SVG shows (a wire's name ends in a no-break space: stripped)."""
    return ["".join(t.itertext()).strip() for t in ET.fromstring(svg.encode("utf-8")).iter(f"{SVG}text")]


def test_a_create_graph_gradient_draws_like_any_value() -> None:
    x = Value(0.5, label="x")
    (d,) = grad(x.tanh(), [x], create_graph=True)
    source = viz.to_dot(d)
    for glyph in ("tanh", "*", "*-1", "+1"):  # 1 − tanh², from the op table's gates
        assert f"label={glyph}" in source or f'label="{glyph}"' in source, glyph
    assert ET.fromstring(viz.to_svg(d).encode("utf-8")).tag == f"{SVG}svg"


def test_the_swap_multiplier_shows_as_two_star_gates() -> None:
    g = Value(1.0, label="g")
    panels, xs = add_mul_panels(seed=g)
    assert panels.titles == ["forward: f", "backward: ∂f/∂x = ∂f/∂y", "backward: ∂f/∂z"]
    dx, dy, dz = panels.grads
    assert dx is dy and dx.op == "*" and dx.parents == (g, xs["z"])  # upstream × z
    assert dz.op == "*" and dz.parents[0] is g and dz.parents[1].label == "q"  # upstream × q
    assert (dx.label, dz.label) == ("∂f/∂x = ∂f/∂y", "∂f/∂z")  # the new nodes say what they are
    shown = texts(panels.svg)
    assert {"∂f/∂x = ∂f/∂y", "-4.00", "∂f/∂z", "3.00", "g", "q"} <= set(shown)


def test_a_seed_of_one_folds_and_the_gradients_are_forward_values() -> None:
    panels, xs = add_mul_panels()
    dx, dy, dz = panels.grads
    assert dx is dy is xs["z"] and dz.label == "q"  # no new gate: z and q were there already
    assert xs["z"].label == "z" and len(panels.drawings) == 3  # nothing of the forward graph relabelled


def test_backward_graphs_alone_and_numbers_share_a_panel() -> None:
    x, y, unused = Value(2.0, label="x"), Value(3.0, label="y"), Value(1.0, label="w")
    panels = viz.draw_backward(x * 3 + y * 3 + unused * 0, [x, y, unused], forward=False)
    assert panels.titles == ["backward: ∂f/∂x = ∂f/∂y", "backward: ∂f/∂w"]  # the numbers 3, 3 and 0
    assert [g.data for g in panels.grads] == [3.0, 3.0, 0.0]


def test_the_svg_holds_every_panel_once_at_its_own_size() -> None:
    panels, _ = add_mul_panels()
    root = ET.fromstring(panels.svg.encode("utf-8"))
    nested = root.findall(f"{SVG}svg")
    assert len(nested) == 2 * len(panels.drawings)  # a title and a drawing each
    width = float(root.get("viewBox", "").split()[2])
    for element in nested:
        x, w = float(element.get("x", "nan")), float(element.get("width", "nan"))
        assert 0 < x and x + w < width
    assert panels.svg == add_mul_panels()[0].svg  # the same bytes every time


def test_labels_are_data_in_titles_and_drawings() -> None:
    hostile = '</svg><script>alert(1)</script> \\N a<b & "c"'
    x = Value(0.5, label=hostile)
    panels = viz.draw_backward(x * x, [x])
    root = ET.fromstring(panels.svg.encode("utf-8"))
    assert not list(root.iter(f"{SVG}script"))
    assert f"backward: ∂f/∂{hostile}" in texts(panels.svg)
    assert panels.png()[:4] == b"\x89PNG"


def test_a_title_shows_control_characters_as_escapes() -> None:
    title = viz.backward._title_svg("∂f/∂a\x00b\tc", None)
    assert texts(title) == ["∂f/∂a\\x00b\\tc"]


def test_png_puts_the_panels_together() -> None:
    panels, _ = add_mul_panels()
    picture = Image.open(io.BytesIO(panels.png()))
    widths = [Image.open(io.BytesIO(d.png())).size[0] for d in panels.drawings]
    assert picture.size[0] > widths[0] + max(widths[1:])  # two columns, side by side
    assert Image.open(io.BytesIO(panels.png(dpi=192))).size[0] > 1.9 * picture.size[0]


def test_jupyter_gets_svg_png_and_text_no_wider_than_the_output_area() -> None:
    f, xs = examples.sigmoid_neuron()
    data, metadata = viz.draw_backward(f, list(xs.values()))._repr_mimebundle_()
    assert sorted(data) == ["image/png", "image/svg+xml", "text/plain"]
    assert data["text/plain"].startswith("Panels(forward: f | backward: ∂f/∂w0 |")
    shown = ET.fromstring(data["image/svg+xml"].encode("utf-8"))
    assert shown.get("width") == f"{metadata['image/png']['width']}px" and metadata["image/png"]["width"] <= 800
    png = Image.open(io.BytesIO(base64.b64decode(data["image/png"])))
    assert png.size[0] >= metadata["image/png"]["width"]  # sharp: at least one pixel per shown pixel


def test_without_pillow_jupyter_gets_the_svg_and_png_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "PIL", None)  # `import PIL` now raises ImportError
    panels, _ = add_mul_panels()
    data, _ = panels._repr_mimebundle_()
    assert sorted(data) == ["image/svg+xml", "text/plain"]
    with pytest.raises(ImportError, match="pip install pillow"):
        panels.png()


def test_save_writes_svg_and_png_and_refuses_other_suffixes(tmp_path: Path) -> None:
    panels, _ = add_mul_panels()
    assert ET.parse(panels.save(tmp_path / "both.svg")).getroot().tag == f"{SVG}svg"
    assert panels.save(tmp_path / "both.PNG").read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(ValueError, match=r"'\.dot' is not a format panels are saved in; known: \.svg, \.png"):
        panels.save(tmp_path / "both.dot")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["both.PNG", "both.svg"]


def test_side_by_side_checks_what_it_is_given() -> None:
    x = Value(1.0, label="x")
    assert viz.side_by_side([x, x.exp()], precision=3).titles == ["x", "exp"]
    assert "1.000" in texts(viz.side_by_side([x], precision=3).svg)
    stacked = viz.side_by_side([x, x.exp(), x.tanh()], columns=2)
    assert [[title for title, _ in column] for column in stacked.columns] == [["x", "exp"], ["tanh"]]
    with pytest.raises(ValueError, match=r"columns=\) takes a whole number of columns, 1 or more; got 0"):
        viz.side_by_side([x], columns=0)
    with pytest.raises(ValueError, match="at least one Value"):
        viz.side_by_side([])
    with pytest.raises(TypeError, match=r"titles=\) takes one str per Value \(2\)"):
        viz.side_by_side([x, x], titles=["only one"])
    with pytest.raises(TypeError, match="viz draws a Value"):
        viz.side_by_side([x, 2.0])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="grad\\(\\) inputs must be Values"):
        viz.draw_backward(x * 2, [2.0])  # type: ignore[list-item]


@pytest.mark.browser
def test_in_chromium_the_panels_sit_apart_inside_the_picture(page, tmp_path: Path) -> None:
    f, xs = examples.sigmoid_neuron()
    panels = viz.draw_backward(f, list(xs.values()), grad_output=Value(1.0, label="g"))
    page.set_content(f"<html><body style='margin:0'>{panels._repr_mimebundle_()[0]['image/svg+xml']}</body></html>")
    boxes = page.eval_on_selector_all(
        "body > svg > svg",
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })",
    )
    outer = page.eval_on_selector(
        "body > svg", "e => { const r = e.getBoundingClientRect(); return [r.right, r.bottom]; }"
    )
    assert len(boxes) == 12  # forward + five gradients, each with its title
    for i, (left, top, right, bottom) in enumerate(boxes):
        assert 0 <= left < right <= outer[0] + 0.5 and 0 <= top < bottom <= outer[1] + 0.5, boxes[i]
        for other in boxes[i + 1 :]:
            overlap = min(right, other[2]) - max(left, other[0]), min(bottom, other[3]) - max(top, other[1])
            assert min(overlap) <= 0.5, (boxes[i], other)  # no two panels or titles overlap
    page.screenshot(path=str(tmp_path / "neuron-backward.png"))
