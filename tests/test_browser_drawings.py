"""Drawings measured in a real browser (Chromium, its own fonts): the labels at arrow heads cover
nothing, and a saved SVG explains each wire on hover. Run with ``pytest -m browser``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import viz
from autograd import Value, examples

# Every text inside an arrow's group is a label at its head; this measures them against each other,
# against every other text, gate and wire, and against every arrow's path, sampled each pixel.
_OVERLAPS = """svg => {
  const box = e => e.getBoundingClientRect();
  const inside = (p, r) => p.x > r.left && p.x < r.right && p.y > r.top && p.y < r.bottom;
  const meet = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const labels = [...svg.querySelectorAll('g.edge text')].map(t => [t.textContent, box(t)]);
  const others = [...svg.querySelectorAll('g.node text, g.node ellipse')].map(e => [e.textContent || 'gate', box(e)]);
  const ctm = p => { const m = p.getScreenCTM(); return q => new DOMPoint(q.x, q.y).matrixTransform(m); };
  const problems = [];
  labels.forEach(([text, r], k) => {
    labels.slice(k + 1).forEach(([other, s]) => meet(r, s) && problems.push(`${text} meets label ${other}`));
    others.forEach(([other, s]) => meet(r, s) && problems.push(`${text} meets ${other}`));
    svg.querySelectorAll('g.edge path').forEach(path => {
      const to = ctm(path);
      for (let d = 0; d <= path.getTotalLength(); d += 1) {
        if (inside(to(path.getPointAtLength(d)), r)) { problems.push(`an arrow runs under ${text}`); break; }
      }
    });
  });
  return [labels.length, problems];
}"""


def _drawings() -> list[Value]:
    graphs = [build()[0] for build in (examples.add_mul, examples.sigmoid_neuron, examples.max_gate)]
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    graphs += [(a + b) * -2, (a * b) * 2, a.max(b) * 2, a * b + a, a * b + a.exp()]
    for f in graphs:
        f.backward()
    return graphs


@pytest.mark.browser
@pytest.mark.parametrize("f", _drawings(), ids=lambda f: f"{len(viz.draw(f).scene.nodes)}-nodes")
def test_in_chromium_no_label_at_an_arrow_head_covers_anything(page: Any, f: Value) -> None:
    svg = viz.to_svg(f, show_local=True)
    page.set_content(f"<!DOCTYPE html><html><body>{svg[svg.index('<svg') :]}</body></html>")
    count, problems = page.locator("svg").evaluate(_OVERLAPS)
    assert count > 0 and problems == []


@pytest.mark.browser
def test_in_chromium_a_saved_svg_explains_the_wire_under_the_pointer(page: Any, tmp_path: Path) -> None:
    a, b = Value(1.5, label="a"), Value(3.0, label="b")
    f = a * b + a.exp()
    f.backward()
    path = viz.save(f, tmp_path / "f.svg")
    page.goto(path.as_uri())
    red = page.locator("g.wire text[fill='#c00000']", has_text="7.48")
    box = red.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    hovered = page.evaluate(
        """([x, y]) => {
             const g = document.elementFromPoint(x, y).closest('g');
             return g.querySelector(':scope > title').textContent;
           }""",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert hovered.splitlines()[0] == "∂f/∂a = 3.00 (via *) + 4.48 (via exp) = 7.48"
