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
same player shows inline. A notebook opened before its cells are re-run
(untrusted) runs no script and shows no inline SVG, so there the player
shows the finished drawing as a PNG instead, and ``steps.frame(k)`` shows
frame k as SVG and PNG like any drawing.

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
from typing import Any

from autograd import Value

from .display import DISPLAY_WIDTH, picture_bundle
from .dot import GRAD_COLOR, visible_text
from .drawing import Drawing, make_drawing, write_atomic
from .render import render

__all__ = ["Frame", "Steps", "backward_steps", "script_json"]

# A wire, or an arrow showing the red share of a branch, revealed at backward step s<k>.
_REVEALED = re.compile(r'<g id="[^"]*" class="(?:node wire|edge e\d+ branch) s(\d+)\b')
_GRAD_FILL = f'fill="{GRAD_COLOR}"'
_COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)


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

    def frame(self, k: int) -> Frame:
        """Frame ``k`` as a picture a notebook shows (SVG and PNG), also when opened untrusted.

        >>> from autograd import Value
        >>> f = Value(2.0, label="x") * 2
        >>> f.backward()
        >>> backward_steps(f).frame(1)
        Frame(1 of 2: f: 1.00 (the seed, ∂f/∂f))
        """
        self[k]  # IndexError for a frame that does not exist
        return Frame(self, k % len(self))

    def save_html(self, path: str | os.PathLike[str]) -> Path:
        """Write the HTML player (``to_html``) to ``path``."""
        target = Path(path)
        write_atomic(target, self.to_html().encode("utf-8"))
        return target

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        """The player, after a still of the finished drawing that its script hides: a front end
        that runs no script (an untrusted notebook, GitHub) shows the still; PNG and text besides."""
        d = self.drawing
        data = picture_bundle(d.svg, d.png, d.size, DISPLAY_WIDTH, repr(self))
        del data["image/svg+xml"]  # the player shows it
        still = (
            f'<div class="gg-still"><img src="data:image/png;base64,{data["image/png"]}" '
            f'alt="{html.escape(self.captions[-1])}"></div>'
        )
        data["text/html"] = still + "\n" + self._player(inline=False)
        return data

    def _repr_html_(self) -> str:
        """The player as an HTML fragment, its SVG inline."""
        return self._player(inline=True)

    def _player(self, inline: bool) -> str:
        """The player. ``inline=False`` hands the SVG to its script in a data block (a ``<script>``
        of type image/svg+xml, which no browser runs): a notebook that runs no script strips an
        inline SVG's tags but keeps their text, which would spill every label and hover text into
        the page, while it drops a script with all it holds."""
        svg = self.drawing.svg
        svg = svg[svg.index("<svg") :]  # inline SVG: no XML prolog or doctype inside HTML
        picture, data = svg, ""
        if not inline:
            svg = _COMMENT.sub("", svg)  # Graphviz's <!-- … --> comments: none in a script's text
            if "</script" in svg.lower():  # labels are escaped by Graphviz (&lt;), so this cannot happen
                raise ValueError("the drawing's SVG holds '</script'; it cannot go into the step player")
            picture, data = "", f'<script type="image/svg+xml" class="gg-svg">{svg}</script>\n'
        player = "gg-steps-" + self.drawing.graph_id
        last = len(self) - 1
        return f"""<div id="{player}" style="font-family:Helvetica,Arial,sans-serif">
<div class="gg-controls" style="margin:4px 0;display:none">
<button type="button" data-move="-1">&#9664; back</button>
<input type="range" min="0" max="{last}" value="{last}" step="1" aria-label="step">
<button type="button" data-move="1">next &#9654;</button>
<span class="caption" style="margin-left:8px">{html.escape(self.captions[last])}</span>
</div>
<div class="gg-picture">{picture}</div>
{data}<script>
(function () {{
  var player = document.currentScript.parentNode;  // this player, even if the page shows the same one twice
  var still = player.previousElementSibling;  // the PNG shown where no script runs
  if (still && still.className === "gg-still") {{ still.style.display = "none"; }}
  player.querySelector(".gg-controls").style.display = "";
  var data = player.querySelector("script.gg-svg");  // the SVG, where it was not inline
  if (data) {{ player.querySelector(".gg-picture").innerHTML = data.textContent; }}
  var captions = {script_json(self.captions)};
  var slider = player.querySelector("input");
  var caption = player.querySelector(".caption");
  var wires = Array.prototype.slice.call(player.querySelectorAll("g.wire, g.branch"));
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


class Frame:
    """One frame of the backward pass, shown in a notebook as SVG and PNG (same layout as the others)."""

    def __init__(self, steps: Steps, k: int) -> None:
        self.steps = steps
        self.k = k

    @property
    def svg(self) -> str:
        """The frame as an SVG document."""
        return self.steps[self.k]

    def png(self, dpi: float | None = None) -> bytes:
        """The frame as PNG bytes: the gradients not reached yet are drawn transparent."""
        drawing = self.steps.drawing
        return render(drawing.frame_source(self.k), "png", drawing.renderer, dpi)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        """SVG and PNG, at most DISPLAY_WIDTH pixels wide, as for any drawing."""
        return picture_bundle(self.svg, self.png, self.steps.drawing.size, DISPLAY_WIDTH, repr(self))

    def __repr__(self) -> str:
        return f"Frame({self.k} of {len(self.steps) - 1}: {self.steps.captions[self.k].split(' — ')[-1]})"


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
        node = _REVEALED.match(line)
        if node:
            hide = int(node.group(1)) >= k
        elif line.startswith("</g>"):
            hide = False
        if hide and _GRAD_FILL in line:
            line = line.replace("<text ", '<text visibility="hidden" ', 1)
        out.append(line)
    return "".join(out)
