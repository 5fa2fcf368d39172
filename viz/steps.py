"""The backward pass one red number at a time, as the lecture reveals it slide by slide.

The graph is laid out once, with every gradient in place; each frame is
that same SVG with the gradients the backward pass has not reached yet
hidden (``visibility="hidden"``, which every SVG viewer honours), so
nothing moves between frames. Frame 0 is the forward pass alone; frame 1
shows the output's seed 1.00; each later frame reveals one more wire's
gradient, right to left in reverse topological order, captioned with how
the chain rule made it: upstream × local (+ … for a value used twice).

Frames save as numbered SVGs for slides, or as one self-contained HTML
page with a step control (no external scripts or fonts); in Jupyter the
same player shows inline.

>>> from autograd import examples
>>> f, _ = examples.add_mul()
>>> f.backward()
>>> steps = backward_steps(f)
>>> steps
Steps(6 frames: steps[k] is frame k's SVG; .save(folder), .save_html(path))
>>> steps.captions[1]
'step 1 of 5 — f: 1.00 (the seed, ∂f/∂f)'
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

from autograd import Value

from .dot import GRAD_COLOR, visible_text
from .drawing import Drawing, make_drawing, write_atomic

__all__ = ["Steps", "backward_steps", "script_json"]

_WIRE_NODE = re.compile(r'<g id="[^"]*" class="node wire s(\d+)">')
_GRAD_FILL = f'fill="{GRAD_COLOR}"'


class Steps:
    """Frames of the backward pass sharing one layout: ``steps[k]`` is frame k's SVG.

    >>> from autograd import Value
    >>> f = Value(3.0, label="x").exp()
    >>> f.backward()
    >>> steps = backward_steps(f)
    >>> [frame.count('visibility="hidden"') for frame in steps]
    [2, 1, 0]
    """

    def __init__(self, drawing: Drawing) -> None:
        self.drawing = drawing
        wires = sorted(drawing.scene.wires(), key=lambda w: w.step)
        total = len(wires)
        self.captions = ["the forward pass: values only"] + [
            f"step {k} of {total} — {visible_text(wire.explain)}" for k, wire in enumerate(wires, start=1)
        ]

    def __len__(self) -> int:
        return len(self.captions)

    def __iter__(self) -> Iterator[str]:
        return (self[k] for k in range(len(self)))

    def __repr__(self) -> str:
        return f"Steps({len(self)} frames: steps[k] is frame k's SVG; .save(folder), .save_html(path))"

    def __getitem__(self, k: int) -> str:
        if not -len(self) <= k < len(self):
            raise IndexError(f"frame {k} out of range: there are {len(self)} frames (0 to {len(self) - 1})")
        return _frame(self.drawing.svg, k % len(self))

    def save(self, directory: str | os.PathLike[str]) -> list[Path]:
        """Write every frame as ``step-00.svg``, ``step-01.svg``, … into ``directory`` (created if needed).

        >>> import tempfile
        >>> from autograd import Value
        >>> f = Value(1.0) + 1
        >>> f.backward()
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     len(backward_steps(f).save(tmp))
        3
        """
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        width = max(2, len(str(len(self) - 1)))
        paths = []
        for k, frame in enumerate(self):
            path = folder / f"step-{k:0{width}d}.svg"
            write_atomic(path, frame.encode("utf-8"))
            paths.append(path)
        return paths

    def to_html(self) -> str:
        """One self-contained HTML page: the drawing with back/next buttons and a slider.

        >>> from autograd import Value
        >>> f = Value(2.0) * 2
        >>> f.backward()
        >>> page = backward_steps(f).to_html()
        >>> page.startswith("<!DOCTYPE html>"), "<script src" in page
        (True, False)
        """
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            "<title>graphgrad: the backward pass step by step</title>\n</head>\n<body>\n"
            f"{self._repr_html_()}\n</body>\n</html>\n"
        )

    def save_html(self, path: str | os.PathLike[str]) -> Path:
        """Write the HTML player (``to_html``) to ``path``."""
        target = Path(path)
        write_atomic(target, self.to_html().encode("utf-8"))
        return target

    def _repr_html_(self) -> str:
        """The player as an HTML fragment (what Jupyter shows inline)."""
        svg = self.drawing.svg
        svg = svg[svg.index("<svg") :]  # inline SVG: no XML prolog or doctype inside HTML
        player = "gg-steps-" + self.drawing.graph_id
        last = len(self) - 1
        return f"""<div id="{player}" style="font-family:Helvetica,Arial,sans-serif">
<div style="margin:4px 0">
<button type="button" data-move="-1">&#9664; back</button>
<input type="range" min="0" max="{last}" value="{last}" step="1" aria-label="step">
<button type="button" data-move="1">next &#9654;</button>
<span class="caption" style="margin-left:8px">{html.escape(self.captions[last])}</span>
</div>
{svg}
<script>
(function () {{
  var player = document.currentScript.parentNode;  // this player, even if the page shows the same one twice
  var captions = {script_json(self.captions)};
  var slider = player.querySelector("input");
  var caption = player.querySelector(".caption");
  var wires = Array.prototype.slice.call(player.querySelectorAll("g.wire"));
  function show(k) {{
    k = Math.max(0, Math.min({last}, k));
    slider.value = k;
    caption.textContent = captions[k];
    wires.forEach(function (g) {{
      var step = +/\\bs(\\d+)\\b/.exec(g.getAttribute("class"))[1];
      g.querySelectorAll('text[{_GRAD_FILL}]').forEach(function (t) {{
        t.style.visibility = step < k ? "visible" : "hidden";
        t.style.fontWeight = step === k - 1 ? "bold" : "normal";
      }});
    }});
  }}
  slider.addEventListener("input", function () {{ show(+slider.value); }});
  player.querySelectorAll("button").forEach(function (b) {{
    b.addEventListener("click", function () {{ show(+slider.value + +b.getAttribute("data-move")); }});
  }});
  show(0);
}})();
</script>
</div>"""


def backward_steps(
    root: Value,
    *,
    precision: int = 2,
    detail: str = "auto",
    show_local: bool = False,
    renderer: str | None = None,
) -> Steps:
    """The backward pass of ``root`` (after ``root.backward()``) as frames, one gradient each.

    >>> from autograd import Value
    >>> backward_steps(Value(1.0, label="x") * 2)
    Traceback (most recent call last):
    ...
    ValueError: backward_steps shows gradients: call backward() on the output first (its gradient is 0)
    """
    if isinstance(root, Value) and root.grad == 0.0:
        raise ValueError("backward_steps shows gradients: call backward() on the output first (its gradient is 0)")
    return Steps(make_drawing(root, precision, True, detail, show_local, renderer))


# The characters that could end a <script> element or open markup inside it
# ("</script>", "<!--"). JSON may write any character as a \u escape, which
# JavaScript reads back as the same character; Django's json_script does the
# same. (json.dumps already escapes every non-ASCII character, U+2028 included.)
_SCRIPT_UNSAFE = {ord(c): f"\\u{ord(c):04x}" for c in "<>&"}


def script_json(data: object) -> str:
    r"""``data`` as JSON that is safe to put inside a ``<script>`` element: no
    label can end the script early, whatever it holds.

    >>> script_json(["</script><img src=x>"])
    '["\\u003c/script\\u003e\\u003cimg src=x\\u003e"]'
    """
    return json.dumps(data).translate(_SCRIPT_UNSAFE)


def _frame(svg: str, k: int) -> str:
    """The SVG with the gradients of wires the backward pass reaches at step k or later hidden."""
    out = []
    hide = False
    for line in svg.splitlines(keepends=True):
        node = _WIRE_NODE.match(line)
        if node:
            hide = int(node.group(1)) >= k
        elif line.startswith("</g>"):
            hide = False
        if hide and _GRAD_FILL in line:
            line = line.replace("<text ", '<text visibility="hidden" ', 1)
        out.append(line)
    return "".join(out)
