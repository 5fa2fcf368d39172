"""Labels are data, never markup: what a user names a Value cannot end the step
player's script, add an element to the page, or break the renderer (SPEC §7)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

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
