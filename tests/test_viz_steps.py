"""The backward pass step by step: frames that share one layout and reveal one gradient each."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_viz_svg import NS, by_name, parse, texts_with_fill, wires

import viz
from autograd import Value, examples

HIDDEN = ' visibility="hidden"'


def _visible_grads(frame: str) -> dict[str, str]:
    """Name (else "=" and its value) → gradient, for the gradients this frame shows."""
    shown = {}
    for g in (e for e in parse(frame).iter() if "wire" in (e.get("class") or "")):
        name = "".join(t.text or "" for t in g.iter() if t.tag.endswith("text") and t.get("fill") is None).strip()
        for text in g.iter():
            if text.get("fill") == viz.GRAD_COLOR and text.get("visibility") != "hidden":
                value = "".join(t.text or "" for t in g.iter() if t.get("fill") == viz.VALUE_COLOR)
                shown[name or f"={value}"] = text.text or ""
    return shown


@pytest.fixture
def neuron() -> Value:
    f, _ = examples.sigmoid_neuron()
    f.backward()
    return f


def test_one_frame_per_wire_plus_the_forward_pass(neuron: Value) -> None:
    steps = viz.backward_steps(neuron)
    assert len(steps) == 13 + 1
    assert len(list(steps)) == len(steps.captions) == 14


def test_every_frame_has_the_same_layout(neuron: Value) -> None:
    frames = list(viz.backward_steps(neuron))
    assert len({frame.replace(HIDDEN, "") for frame in frames}) == 1
    assert frames[-1] == viz.to_svg(neuron)  # the last frame is the finished drawing


def test_each_frame_reveals_one_more_gradient_right_to_left(neuron: Value) -> None:
    steps = viz.backward_steps(neuron)
    shown = [_visible_grads(frame) for frame in steps]
    assert shown[0] == {}  # the forward pass: no red number yet
    assert shown[1] == {"f": "1.00"}  # the seed
    for before, after in zip(shown, shown[1:], strict=False):
        assert len(after) == len(before) + 1 and before.items() <= after.items()
    revealed = [next(iter(after.keys() - before.keys())) for before, after in zip(shown, shown[1:], strict=False)]
    # Right to left: the seed, the 1/x gate's input, …, the first product (w0·x0 = -2) and its inputs.
    assert revealed[:3] == ["f", "=1.37", "=0.37"]
    assert revealed[-5:] == ["x1", "w1", "=-2.00", "x0", "w0"]
    assert shown[-1] == {k: v for k, v in _visible_grads(viz.to_svg(neuron)).items()}


def test_captions_show_upstream_times_local(neuron: Value) -> None:
    captions = viz.backward_steps(neuron).captions
    assert captions[1] == "step 1 of 13 — f: 1.00 (the seed, ∂f/∂f)"
    assert captions[-1] == "step 13 of 13 — w0: 0.20 × -1.00 = -0.20"  # upstream × local (x0) = downstream


def test_a_value_used_twice_sums_its_two_contributions() -> None:
    a = Value(3.0, label="a")
    f = a * a
    f.backward()
    assert viz.backward_steps(f).captions[-1] == "step 2 of 2 — a: 1.00 × 3.00 + 1.00 × 3.00 = 6.00"


def test_frames_save_as_numbered_svgs(neuron: Value, tmp_path: Path) -> None:
    paths = viz.save_frames(neuron, tmp_path / "frames")
    assert [p.name for p in paths] == [f"step-{k:02d}.svg" for k in range(14)]
    assert [len(texts_with_fill(p.read_text(), viz.GRAD_COLOR)) for p in paths] == [13] * 14
    assert _visible_grads(paths[1].read_text()) == {"f": "1.00"}


def test_the_html_player_is_self_contained(neuron: Value, tmp_path: Path) -> None:
    page = viz.backward_steps(neuron).save_html(tmp_path / "steps.html").read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page)  # no external scripts, styles or fonts
    assert page.count("<svg") == 1 and 'type="range"' in page and "<script>" in page
    assert "step 13 of 13 — w0: 0.20 × -1.00 = -0.20" in page


def test_jupyter_shows_the_player(neuron: Value) -> None:
    from IPython.core.formatters import DisplayFormatter

    data, _ = DisplayFormatter().format(viz.backward_steps(neuron))
    assert "<svg" in data["text/html"] and "<script>" in data["text/html"]


def test_steps_need_a_backward_pass_first() -> None:
    f, _ = examples.add_mul()
    with pytest.raises(ValueError, match=r"call backward\(\) on the output first"):
        viz.backward_steps(f)


def test_local_derivatives_on_the_arrows() -> None:
    f, _ = examples.add_mul()
    f.backward()
    svg = viz.to_svg(f, show_local=True)
    locals_drawn = sorted(t for t in texts_with_fill(svg, "#707070"))
    assert locals_drawn == sorted(["×1.00", "×1.00", "×-4.00", "×3.00"])  # + gives 1, 1; * swaps: z, q
    assert by_name(svg)["q"].grad == "-4.00" and len(wires(svg)) == 5


def test_a_frame_shows_in_a_notebook_as_svg_and_png_with_the_same_layout(neuron: Value) -> None:
    import base64

    from IPython.core.formatters import DisplayFormatter

    steps = viz.backward_steps(neuron)
    pngs = []
    for k in (0, 1, len(steps) - 1):
        data, _ = DisplayFormatter().format(steps.frame(k))
        assert _visible_grads(data["image/svg+xml"]) == _visible_grads(steps[k])
        pngs.append(base64.b64decode(data["image/png"]))
    assert len(set(pngs)) == 3, "each frame's PNG shows its own gradients"
    sizes = {png[16:24] for png in pngs}  # the IHDR width and height
    assert len(sizes) == 1, "frames share one layout, so one size"
    last = steps.frame(len(steps) - 1)
    assert last.png(dpi=72) == steps.drawing.png(dpi=72)  # the last frame is the finished drawing


def test_the_player_in_a_notebook_keeps_a_still_for_front_ends_that_run_no_script(neuron: Value) -> None:
    from IPython.core.formatters import DisplayFormatter

    steps = viz.backward_steps(neuron)
    data, _ = DisplayFormatter().format(steps)
    page = data["text/html"]
    still, player = page.split("\n", 1)
    assert still.startswith('<div class="gg-still"><img src="data:image/png;base64,') and "<script" not in still
    assert 'class="gg-controls" style="margin:4px 0;display:none"' in player
    # The SVG waits in a data block the script reads: where scripts are stripped, so is all its text.
    block = player.split('<script type="image/svg+xml" class="gg-svg">', 1)[1].split("</script>", 1)[0]
    assert block.startswith("<svg") and "<!--" not in block and parse(block).tag == f"{NS}svg"
    assert player.split('<div class="gg-picture">', 1)[1].startswith("</div>")
    assert "image/png" in data  # for viewers that show no HTML
    assert "<img" not in steps.to_html()  # a page of its own always runs its script


def test_a_label_cannot_break_out_of_the_players_data_block_in_a_notebook() -> None:
    from html.parser import HTMLParser

    from IPython.core.formatters import DisplayFormatter

    injection = "</script><img src=x onerror=alert(1)><!--"
    x = Value(2.0, label=injection)
    f = x * 3
    f.backward()
    page = DisplayFormatter().format(viz.backward_steps(f))[0]["text/html"]

    class Tags(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.found: list[tuple[str, dict[str, str | None]]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.found.append((tag, dict(attrs)))

    tags = Tags()
    tags.feed(page)
    images = [attrs for tag, attrs in tags.found if tag == "img"]
    assert len(images) == 1 and (images[0]["src"] or "").startswith("data:image/png;base64,")  # the still only
    assert [attrs.get("type") for tag, attrs in tags.found if tag == "script"] == ["image/svg+xml", None]
    assert page.rstrip().endswith("})();\n</script>\n</div>")  # the player's script was not cut short
