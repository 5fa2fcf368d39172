"""The Jacobian picture (viz.draw_jacobian): a heat-map grid with the numbers, the diagonal of an
elementwise operation obvious at a glance. The SVG is read back with xml.etree: each cell is a filled
polygon with its number as text inside it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from test_viz_svg import NS, parse

import viz
from autograd import jacobian, labelled, matrix, maximum, vector
from viz.grid import heat_color
from viz.jacobian import MAX_SIDE

BLUE, ORANGE, WHITE = "#2166ac", "#e66101", "#ffffff"


def cells(svg: str) -> list[tuple[str, str]]:
    """(fill, text) of every heat-map cell, row by row: a filled polygon and the text drawn on it."""
    found = []
    node = next(g for g in parse(svg).iter(f"{NS}g") if "node" in (g.get("class") or "").split())
    items = list(node)
    for k, item in enumerate(items):
        fill = item.get("fill")
        if item.tag == f"{NS}polygon" and fill not in (None, "none", "white", "transparent"):
            text = next((t for t in items[k + 1 :] if t.tag == f"{NS}text"), None)
            found.append((fill, (text.text or "").strip() if text is not None else ""))
    return found


def max_jacobian(numbers: list[float]) -> tuple[list[list[float]], list[Any], list[Any]]:
    x = vector(numbers, "x")
    h = labelled([maximum(xi, 0) for xi in x], "h")
    return jacobian(h, x), h, x


def test_the_elementwise_max_jacobian_is_a_diagonal_heat_map() -> None:
    J, h, x = max_jacobian([0.5, -1.2, 2.0, -0.3])
    drawing = viz.draw_jacobian(J, rows=h, cols=x)
    assert repr(drawing) == "JacobianDrawing(∂h/∂x: 4 × 4, 2 of 16 nonzero, diagonal: .svg, .source, .save(path))"
    drawn = cells(drawing.svg)
    assert len(drawn) == 16
    diagonal = [drawn[5 * i] for i in range(4)]
    assert diagonal == [(BLUE, "1.00"), (WHITE, "0"), (BLUE, "1.00"), (WHITE, "0")]
    assert all(cell == (WHITE, "0") for k, cell in enumerate(drawn) if k % 5)  # every off-diagonal cell
    texts = [t.text for t in parse(drawing.svg).iter(f"{NS}text")]
    assert "∂h/∂x: 4 × 4 · 2 of 16 nonzero · diagonal" in texts
    assert [f"h[{i}]" in texts and f"x[{i}]" in texts for i in range(4)] == [True] * 4


def test_the_jacobian_of_w_times_x_is_w_with_its_signs_in_colour() -> None:
    W, x = matrix([[0.1, 0.5], [-0.3, 0.8]], "W"), vector([0.2, 0.4], "x")
    q = labelled([W[i][0] * x[0] + W[i][1] * x[1] for i in range(2)], "q")
    drawn = cells(viz.draw_jacobian(jacobian(q, x), rows=q, cols=x).svg)
    assert [text for _, text in drawn] == ["0.10", "0.50", "-0.30", "0.80"]
    assert [fill for fill, _ in drawn] == [heat_color(w, 0.8) for w in (0.1, 0.5, -0.3, 0.8)]
    assert drawn[3][0] == BLUE and drawn[2][0] == heat_color(-0.3, 0.8) != WHITE  # the largest: full blue


def test_colours_go_from_white_to_blue_or_orange_by_size() -> None:
    assert heat_color(0.0, 2.0) == WHITE
    assert heat_color(2.0, 2.0) == BLUE and heat_color(-2.0, 2.0) == ORANGE
    assert heat_color(5.0, 2.0) == BLUE  # beyond the scale: the end of it
    assert heat_color(1.0, 0.0) == WHITE  # an all-zero matrix has no scale
    assert heat_color(float("inf"), 1.0) == heat_color(float("nan"), 1.0) == "#d9d9d9"


def test_names_and_title() -> None:
    J = [[1.0, 0.0], [0.0, 2.0]]
    assert "∂y/∂a" in repr(viz.draw_jacobian(J, rows="y", cols="a"))
    assert "J: 2 × 2" in repr(viz.draw_jacobian(J))  # no names: positions, titled J
    assert "∇²f: 2 × 2" in repr(viz.draw_jacobian(J, rows=["a", "b"], cols=["a", "b"], title="∇²f"))
    texts = [t.text for t in parse(viz.draw_jacobian(J, rows=["p", "q"]).svg).iter(f"{NS}text")]
    assert {"p", "q", "0", "1"} <= set(texts)


def test_a_large_jacobian_shows_its_corners_and_says_its_size() -> None:
    J, h, x = max_jacobian([(-1.0) ** i * (i + 1) for i in range(40)])
    drawing = viz.draw_jacobian(J, rows=h, cols=x)
    assert "40 × 40, 20 of 1,600 nonzero, diagonal" in repr(drawing)
    texts = [t.text for t in parse(drawing.svg).iter(f"{NS}text")]
    assert "x[0]" in texts and "x[39]" in texts and "x[20]" not in texts and "…" in texts and "⁝" in texts
    assert len(cells(drawing.svg)) == (MAX_SIDE - 1) ** 2  # one row and one column stand for those left out


def test_numpy_arrays_nan_and_inf_draw_too() -> None:
    drawing = viz.draw_jacobian(np.array([[np.nan, 1.0], [np.inf, 0.0]]))
    assert [text for _, text in cells(drawing.svg)] == ["nan", "1.00", "inf", "0"]
    assert cells(drawing.svg)[0][0] == "#d9d9d9"
    assert "2 × 2, 3 of 4 nonzero: " in repr(drawing)  # nan and inf are not zero; not diagonal


def test_it_displays_and_saves_like_any_drawing(tmp_path: Path) -> None:
    drawing = viz.draw_jacobian([[2.0]], rows=["f"], cols=["x"])
    bundle = drawing._repr_mimebundle_()
    assert ET.fromstring(bundle["image/svg+xml"].encode()).tag == f"{NS}svg"
    assert drawing.png()[:4] == b"\x89PNG"
    assert drawing.save(tmp_path / "J.svg").read_text(encoding="utf-8") == drawing.svg
    assert viz.draw_jacobian([[2.0]], rows=["f"], cols=["x"]).svg == drawing.svg  # the same bytes every time
    assert viz.draw_jacobian([[3.0]]).graph_id != drawing.graph_id  # two drawings on one page: distinct ids


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: viz.draw_jacobian([[1.0, 2.0], [3.0]]), ValueError, r"rectangular matrix: row 1 has 1 entries"),
        (lambda: viz.draw_jacobian([]), ValueError, r"nothing to draw"),
        (lambda: viz.draw_jacobian([[]]), ValueError, r"nothing to draw"),
        (
            lambda: viz.draw_jacobian(3.0),
            TypeError,
            r"takes a list of rows of numbers \(autograd.jacobian\), got float",
        ),
        (lambda: viz.draw_jacobian([1.0, 2.0]), TypeError, r"row 0 is float 1.0"),
        (lambda: viz.draw_jacobian([["1"]]), TypeError, r"entry \[0\]\[0\] is str '1'"),
        (lambda: viz.draw_jacobian([[True]]), TypeError, r"entry \[0\]\[0\] is bool True"),
        (lambda: viz.draw_jacobian([[1.0]], rows=["a", "b"]), ValueError, r"rows= names 2 entries, but the Jacobian"),
        (lambda: viz.draw_jacobian([[1.0]], cols=[3]), TypeError, r"cols= takes Values or str; entry 0 is int 3"),
        (lambda: viz.draw_jacobian([[1.0]], rows=5), TypeError, r"rows= takes a name, a list of Values or a list"),
        (lambda: viz.draw_jacobian([[1.0]], precision=-1), ValueError, r"precision= takes an int from 0 to 15"),
        (lambda: viz.draw_jacobian([[1.0]], title=3), TypeError, r"title= takes a str, got int 3"),
    ],
)
def test_bad_input_says_what_was_wrong(call, error, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=message):
        call()


def test_labels_are_drawn_literally() -> None:
    hostile = '<b>&"x'
    texts = [t.text for t in parse(viz.draw_jacobian([[1.0]], rows=[hostile], title=hostile).svg).iter(f"{NS}text")]
    assert hostile in texts


@pytest.mark.browser
def test_in_chromium_the_heat_map_shows_every_number_inside_its_cell(page: Any) -> None:
    J, h, x = max_jacobian([0.5, -1.2, 2.0])
    page.set_content(f"<html><body>{viz.draw_jacobian(J, rows=h, cols=x).svg}</body></html>")
    polygons = page.locator("svg g.node polygon")
    texts = page.locator("svg g.node text")
    boxes = [polygons.nth(k).bounding_box() for k in range(polygons.count())]
    cells_ = [b for b in boxes if b and b["width"] < 100]  # the cells (the node's own outline is larger)
    numbers = [texts.nth(k) for k in range(texts.count()) if texts.nth(k).inner_html() in ("0", "1.00")]
    assert len(numbers) == 9
    for text in numbers:
        t = text.bounding_box()
        assert t and any(
            c["x"] <= t["x"]
            and t["x"] + t["width"] <= c["x"] + c["width"]
            and c["y"] <= t["y"] + t["height"] / 2 <= c["y"] + c["height"]
            for c in cells_
        )
