"""Reading viz's SVG back with xml.etree (never grepping), shared by the viz tests.

A wire is an SVG group of class ``wire``: a polyline (the wire itself),
the name (black text), the value (green text) and the gradient (red
text). A gate is a node group holding an ellipse and its glyph.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

import viz
from autograd import Value

NS = "{http://www.w3.org/2000/svg}"


@dataclass
class DrawnWire:
    name: str
    value: str | None
    grad: str | None
    wire_y: float
    start_x: float
    end_x: float
    value_y: float | None
    grad_y: float | None


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.encode("utf-8"))


def _classes(g: ET.Element) -> list[str]:
    return (g.get("class") or "").split()


def _topological_index(g: ET.Element) -> int:
    """Node ids are v<i> (wire) and g<i> (gate) for the node's topological index i."""
    title = g.findtext(f"{NS}title") or ""
    return int(title[1:]) if title[1:].isdigit() else -1


def wires(svg: str) -> list[DrawnWire]:
    """Every wire in drawing order (topological: inputs first, the output last)."""
    found = []
    for g in sorted(parse(svg).iter(f"{NS}g"), key=_topological_index):
        if "wire" not in _classes(g):
            continue
        line = g.find(f"{NS}polyline")
        assert line is not None, "a wire without its line"
        points = [tuple(float(c) for c in point.split(",")) for point in (line.get("points") or "").split()]
        ys = {y for _, y in points}
        assert len(ys) == 1, f"the wire is not horizontal: {ys}"
        name, value, grad, value_y, grad_y = "", None, None, None, None
        for text in g.iter(f"{NS}text"):
            content = (text.text or "").replace("\xa0", " ").strip()
            fill = text.get("fill")
            if fill == viz.VALUE_COLOR:
                value, value_y = content, float(text.get("y") or 0)
            elif fill == viz.GRAD_COLOR:
                grad, grad_y = content, float(text.get("y") or 0)
            else:
                name = content
        xs = [x for x, _ in points]
        found.append(DrawnWire(name, value, grad, ys.pop(), min(xs), max(xs), value_y, grad_y))
    return found


def by_name(svg: str) -> dict[str, DrawnWire]:
    return {w.name: w for w in wires(svg) if w.name}


def gates(svg: str) -> list[str]:
    """The glyphs in the gate circles, in drawing order."""
    out = []
    for g in sorted(parse(svg).iter(f"{NS}g"), key=_topological_index):
        if "node" in _classes(g) and g.find(f"{NS}ellipse") is not None:
            out.append("".join(t.text or "" for t in g.iter(f"{NS}text")))
    return out


def texts_with_fill(svg: str, fill: str) -> list[str]:
    return [t.text or "" for t in parse(svg).iter(f"{NS}text") if t.get("fill") == fill]


def test_the_reader_sees_one_wire_per_value() -> None:
    x = Value(2.0, label="x")
    svg = viz.to_svg(x.exp(), grads=False)
    drawn = wires(svg)
    assert [w.name for w in drawn] == ["x", ""]
    assert [w.value for w in drawn] == ["2.00", "7.39"]
    assert gates(svg) == ["exp"]
