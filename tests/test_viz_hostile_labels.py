"""Labels are data, never markup: what a user names a Value cannot end the step
player's script, add an element to the page, or break the renderer (SPEC §7)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

import viz
from autograd import Value

INJECTION = "</script><img src=x onerror=alert(document.domain)>"


class _Elements(HTMLParser):
    """Every start tag of a page, and the text inside each <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def _player(label: str) -> str:
    x = Value(2.0, label=label)
    f = x * 3
    f.label = label
    f.backward()
    return viz.backward_steps(f).to_html()


def test_a_label_cannot_close_the_step_players_script() -> None:
    page = _player(INJECTION)
    parsed = _Elements()
    parsed.feed(page)
    assert "img" not in parsed.tags  # no element came out of the label
    assert len(parsed.scripts) == 1  # the player's own script, whole
    assert "</script" not in parsed.scripts[0].lower() and "<img" not in parsed.scripts[0]
    assert parsed.scripts[0].rstrip().endswith("})();")  # it was not cut short


def test_the_label_still_reads_literally_in_the_captions() -> None:
    x = Value(2.0, label=INJECTION)
    f = x * 3
    f.backward()
    steps = viz.backward_steps(f)
    assert any(INJECTION in caption for caption in steps.captions)


@pytest.mark.browser
def test_in_chromium_the_label_runs_nothing_and_adds_nothing(page: Any, tmp_path: Path) -> None:
    path = tmp_path / "steps.html"
    path.write_text(_player(INJECTION), encoding="utf-8")
    page.goto(path.as_uri())
    page.wait_for_timeout(300)
    assert page.dialogs == []  # no alert ran
    assert page.locator("img").count() == 0  # no element was injected
    page.click("text=next")  # the player still works: its script ran to the end
    assert INJECTION in page.locator(".caption").inner_text()


# Labels the renderer used to choke on or misdraw (issue 8), and how each must read in the drawing:
# what Python's repr shows for a character it cannot print, and everything else exactly as typed.
HOSTILE = {
    "nul\x00": "nul\\x00",
    "soh\x01": "soh\\x01",
    "vt\x0b": "vt\\x0b",
    "esc\x1b[31m": "esc\\x1b[31m",
    "del\x7f": "del\\x7f",
    "nel\x85": "nel\\x85",
    "nonchar\ufffe": "nonchar\\ufffe",
    "lone\ud800": "lone\\ud800",
    "tab\there": "tab\\there",
    "cr\rhere": "cr\\rhere",
    "two\nlines": "two\\nlines",
    "sep\u2028": "sep\\u2028",
    "\\N \\G \\L \\l \\E \\T \\H": "\\N \\G \\L \\l \\E \\T \\H",  # DOT's escapes: the graph's name, ...
    "\\\\": "\\\\",
    "\\": "\\",
    "a<b & \"c\" 'd'": "a<b & \"c\" 'd'",
    "&lt;&#92;N": "&lt;&#92;N",  # entities typed by the user stay entities
    INJECTION: INJECTION,
    "<script>alert(1)</script>": "<script>alert(1)</script>",
    "é σ ∂ 😀": "é σ ∂ 😀",
}


def _drawn(label: str) -> Value:
    x = Value(2.0, label=label)
    f = x * 3
    f.label = "f"
    f.backward()
    return f


def _texts(svg: str) -> list[str]:
    root = ElementTree.fromstring(svg.encode("utf-8"))  # an XML parser, not a regex: the SVG must be well-formed
    return [("".join(t.itertext())).strip() for t in root.iter("{http://www.w3.org/2000/svg}text")]


@pytest.mark.parametrize("label", list(HOSTILE), ids=[repr(label) for label in HOSTILE])
def test_any_label_draws_as_visible_literal_text(label: str) -> None:
    texts = _texts(viz.to_svg(_drawn(label)))
    assert HOSTILE[label] in texts  # the name cell shows the label, and only the label
    assert "f" in texts and "graphgrad" not in texts  # \N or \G did not become a node's or the graph's name


@pytest.mark.parametrize("label", ["nul\x00", "lone\ud800", "\\N \\G \\L \\l \\E \\T \\H", "tab\there"], ids=repr)
def test_png_and_dot_files_of_a_hostile_label_save(label: str, tmp_path: Path) -> None:
    f = _drawn(label)
    assert viz.save(f, tmp_path / "f.png").read_bytes().startswith(b"\x89PNG")
    assert HOSTILE[label].encode() in viz.save(f, tmp_path / "f.dot").read_bytes().replace(b"\\\\", b"\\")


def test_the_condensed_and_summary_drawings_show_hostile_labels_literally() -> None:
    x = Value(1.0, label="x\x00\\N")
    total = x
    for _ in range(300):  # more than the full drawing shows: the labels go into a condensed drawing
        total = total + x
    total.label = "sum\x1b"
    total.backward()
    for detail in ("sums", "summary"):
        texts = " ".join(_texts(viz.to_svg(total, detail=detail)))
        assert "sum\\x1b" in texts, detail


def test_label_text_is_what_every_dot_string_goes_through() -> None:
    from viz.dot import label_text

    assert label_text("a<b") == "a&lt;b"
    assert label_text("\\N") == "\\\\N"  # Graphviz reads \\ as one backslash
    assert label_text("\\N", tooltip=True) == "\\\\\\\\N"  # tooltips are expanded twice
    assert label_text("\x00\ud800") == "\\\\x00\\\\ud800"
    assert label_text("x") == "x"


@pytest.mark.parametrize("label", ["nul\x00", "lone\ud800", "esc\x1b[31m", "tab\there", "\\"], ids=repr)
def test_the_step_player_shows_hostile_labels_visibly(label: str, tmp_path: Path) -> None:
    x = Value(2.0, label=label)
    f = x * 3
    f.backward()
    steps = viz.backward_steps(f)
    assert any(HOSTILE[label] in caption for caption in steps.captions)
    page = steps.save_html(tmp_path / "steps.html").read_text(encoding="utf-8")  # saving does not crash
    parsed = _Elements()
    parsed.feed(page)
    assert parsed.tags.count("script") == 1 and "img" not in parsed.tags
    assert label not in page or label.isprintable()  # the raw control character never reaches the page


@pytest.mark.browser
def test_in_chromium_hostile_labels_read_literally(page: Any, tmp_path: Path) -> None:
    label = "nul\x00 esc\x1b tab\t \\N </script>"
    x = Value(2.0, label=label)
    f = x * 3
    f.backward()
    path = viz.backward_steps(f).save_html(tmp_path / "steps.html")
    page.goto(path.as_uri())
    page.wait_for_timeout(300)
    assert page.dialogs == []
    assert "nul\\x00 esc\\x1b tab\\t \\N </script>" in page.locator("svg").text_content()
    page.click("text=next")
    page.click("text=next")  # step 2: the gradient of x, whose caption names it
    assert "nul\\x00 esc\\x1b tab\\t \\N </script>" in page.locator(".caption").inner_text()
    page.screenshot(path=str(tmp_path / "player.png"))


def _titles(svg: str) -> list[str]:
    root = ElementTree.fromstring(svg.encode("utf-8"))
    titles = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}title")]
    links = [a.get("{http://www.w3.org/1999/xlink}title") or "" for a in root.iter("{http://www.w3.org/2000/svg}a")]
    return titles + links


@pytest.mark.parametrize("label", ["nul\x00", "\\N \\G \\L \\l \\E \\T \\H", INJECTION, "lone\ud800"], ids=repr)
def test_every_other_drawing_shows_hostile_labels_literally(label: str) -> None:
    import nn

    model = nn.MLP(2, [2, 1], seed=0)
    model.layers[0].neurons[0].w[0].label = label  # a weight's name, in its hover text
    assert any(HOSTILE[label] in t for t in _titles(viz.draw_model(model).svg))
    f = _drawn(label)
    x = f.parents[0]
    texts = _texts(viz.draw_backward(f, [x]).svg)  # the panels' titles and drawings
    assert any(HOSTILE[label] in t for t in texts)
    jacobian = viz.draw_jacobian([[1.0]], rows=[label], cols=["x"])
    assert HOSTILE[label] in _texts(jacobian.svg)
