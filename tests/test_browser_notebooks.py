"""The committed notebooks and the explorable widget in a real JupyterLab, in headless Chromium.

A fresh clone's notebooks are untrusted: JupyterLab then refuses SVG and runs no script, and shows
the richest *safe* output instead. So we open the committed notebooks *without* re-running them
and check that every drawing shows anyway: each output that holds a picture shows an <img> or
<svg> of non-zero size that has loaded, no wider than its output area. JupyterLab 4 renders only
the cells near the viewport; the settings here turn that windowing off, so every cell is there to
measure. Then, in a notebook run in a live kernel, the widget must render and answer a click, a
step and an edit, and a wide drawing shown as trusted SVG must fit.

The same checks run in Notebook 7 (the classic-looking app built from JupyterLab's parts, which
the one server also serves, at ``/notebooks/``): the committed notebooks opened fresh, and the
widget answering a click.

Screenshots go to ``browser-screenshots/`` (git-ignored; GRAPHGRAD_SCREENSHOTS moves it): look at
them. Run with ``pytest -m browser`` (needs the browser extra and Debian's chromium).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SHOTS = Path(os.environ.get("GRAPHGRAD_SCREENSHOTS") or ROOT / "browser-screenshots")
TOKEN = "graphgrad-browser-test"
START_TIMEOUT = 90  # seconds for JupyterLab to answer
PICTURES = ("image/png", "image/svg+xml", "image/jpeg")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
SETTINGS = {  # JupyterLab user settings, by plugin: render every cell; fetch nothing from the internet
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}
LIVE_NOTEBOOK = [  # run in a live kernel: the widget, a wide drawing (trusted SVG), the step player
    "import viz\nfrom autograd import Value, examples\nf, _ = examples.add_mul()\nf.backward()",
    "viz.explore(lambda x, y, z: (x + y) * z, x=-2.0, y=5.0, z=-4.0)",
    "x1, x2, w1, w2 = Value(2.0, label='x1'), Value(0.0, label='x2'), Value(-3.0, label='w1'), Value(1.0, label='w2')\n"
    "n = x1 * w1 + x2 * w2 + Value(6.8813735870195432, label='b')\n"
    "e = (2 * n).exp()\no = (e - 1) / (e + 1)\no.label = 'o'\no.backward()\nviz.draw(o)",
    "viz.backward_steps(f)",
]


CELLS = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell"  # the notebook in front (cells are not nested)
IDLE = "() => window.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel?.status === 'idle'"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A JupyterLab server on a free local port, serving copies of the notebooks; yields its URL."""
    home = tmp_path_factory.mktemp("lab")
    served = home / "notebooks"
    served.mkdir()
    for path in NOTEBOOKS:  # copies: nothing JupyterLab does can touch the committed files
        shutil.copy(path, served / path.name)
    live = nbformat.v4.new_notebook()
    live.cells = [nbformat.v4.new_code_cell(source) for source in LIVE_NOTEBOOK]
    live.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(live, served / "live.ipynb")
    for plugin, values in SETTINGS.items():
        target = home / "settings" / f"{plugin}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values))
    env = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
    }
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={served}", "--LabApp.expose_app_in_browser=True",
         "--JupyterNotebookApp.expose_app_in_browser=True",
         "--allow-root", "--LabApp.extension_manager=readonly", "--LabApp.news_url=None"],  # CI runs as root, offline
        env=env, stdout=subprocess.DEVNULL, stderr=(home / "lab.log").open("wb"),
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not start: {(home / 'lab.log').read_text()[-2000:]}") from None
                time.sleep(0.5)
        SHOTS.mkdir(parents=True, exist_ok=True)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


FRONT_ENDS = {"jupyterlab": "JupyterLab", "notebook7": "Jupyter Notebook"}  # each front end, and its app's name


def _open(page: Any, lab: str, name: str, front_end: str = "jupyterlab") -> None:
    """Open a notebook in JupyterLab (or Notebook 7) and wait until every cell and output is on the page."""
    if front_end == "notebook7":
        page.goto(f"{lab}/notebooks/{name}?token={TOKEN}")
    else:
        workspace = Path(name).stem  # a workspace of its own: nothing opened before comes back with it
        page.goto(f"{lab}/lab/workspaces/{workspace}/tree/{name}?token={TOKEN}")
    page.wait_for_selector(CELLS, state="visible", timeout=60_000)
    page.wait_for_function(IDLE, timeout=60_000)  # its kernel started: the notebook is loaded
    page.wait_for_function(
        f"n => document.querySelectorAll('{CELLS}').length >= n",
        arg=len(nbformat.read(ROOT / "notebooks" / name, as_version=4).cells) if name != "live.ipynb" else 1,
        timeout=60_000,
    )
    page.wait_for_function("() => [...document.images].every(img => img.complete)", timeout=30_000)


_MEASURE = """cell => {
  const area = cell.querySelector('.jp-Cell-outputArea');
  if (!area) return [];
  return [...area.querySelectorAll('.jp-OutputArea-output img, .jp-OutputArea-output svg')]
    .filter(e => e.parentElement.closest('svg') === null && e.getClientRects().length > 0)
    .map(e => {
      const box = e.getBoundingClientRect();
      const out = e.closest('.jp-OutputArea-output').getBoundingClientRect();
      return {tag: e.tagName.toLowerCase(), width: box.width, height: box.height, right: box.right,
              outRight: out.right, loaded: e.tagName.toLowerCase() !== 'img' || (e.complete && e.naturalWidth > 0)};
    });
}"""


def _pictures(output: dict[str, Any]) -> bool:
    """Whether an output holds a picture (a drawing, a plot, our widget; tqdm's bar is text untrusted)."""
    data = output.get("data", {})
    return any(kind in data for kind in PICTURES)


@pytest.mark.browser
@pytest.mark.parametrize("front_end", FRONT_ENDS)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_drawing_of_a_committed_notebook_shows_when_opened_fresh(
    lab: str, page: Any, path: Path, front_end: str
) -> None:
    nb = nbformat.read(path, as_version=4)
    _open(page, lab, path.name, front_end)
    assert page.evaluate("() => window.jupyterapp.name") == FRONT_ENDS[front_end]
    shots = path.stem if front_end == "jupyterlab" else f"{front_end}-{path.stem}"
    cells = page.locator(CELLS)
    assert cells.count() == len(nb.cells)
    checked = 0
    for index, cell in enumerate(nb.cells):
        expected = sum(_pictures(out) for out in cell.get("outputs", []))
        if not expected:
            continue
        shown = cells.nth(index).evaluate(_MEASURE)
        visible = [p for p in shown if p["width"] > 0 and p["height"] > 0 and p["loaded"]]
        assert len(visible) >= expected, f"{path.name} cell {index}: {expected} drawings, {len(visible)} shown: {shown}"
        for picture in visible:
            assert picture["right"] <= picture["outRight"] + 1, f"{path.name} cell {index}: wider than its output"
        cells.nth(index).locator(".jp-Cell-outputArea").screenshot(path=SHOTS / f"{shots}-cell{index:02d}.png")
        checked += expected
    assert checked > 0
    page.screenshot(path=SHOTS / f"{shots}.png")


@pytest.mark.browser
def test_the_widget_answers_a_click_a_step_and_an_edit_in_a_live_kernel(lab: str, page: Any) -> None:
    _open(page, lab, "live.ipynb")
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    widget = page.locator(f"{CELLS} .gg-widget")
    widget.wait_for(timeout=60_000)
    page.wait_for_selector(".gg-widget .gg-picture svg g.wire", timeout=30_000)
    picture = widget.locator(".gg-picture svg")
    box = picture.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 50

    # Click: the wire of x explains its gradient.
    widget.locator(".gg-picture g.wire").first.click()
    assert widget.locator(".gg-explain").inner_text().startswith("∂f/∂x = ∂f/∂(x + y) · ∂(x + y)/∂x = -4.00 × 1.00")

    # Step: to the start, then one forward step, then into the backward pass.
    widget.get_by_role("button", name="forward pass").click()
    assert widget.locator(".gg-caption").inner_text().startswith("Nothing computed yet")
    widget.get_by_role("button", name="▶").click()
    assert widget.locator(".gg-caption").inner_text() == "forward 1 of 5: x = -2.00, an input"
    widget.get_by_role("button", name="backward pass").click()
    widget.get_by_role("button", name="▶").click()
    assert widget.locator(".gg-caption").inner_text().startswith("backward 1 of 5: the seed: ∂f/∂f = 1.00")
    hidden = widget.locator(".gg-picture text[fill='#c00000'][style*='hidden']").count()
    assert hidden == 4  # only the seed's gradient shows
    page.screenshot(path=SHOTS / "widget-stepping.png")

    # Edit: z = 2 makes f = (x + y)·z = 6, and x's gradient z = 2.
    number = widget.locator("input[type=number][aria-label=z]")
    number.fill("2")
    number.dispatch_event("change")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.gg-widget .gg-picture text')].some(t => t.textContent === '6.00')",
        timeout=30_000,
    )
    widget.get_by_role("button", name="all").click()
    widget.locator(".gg-picture g.wire").first.click()
    assert widget.locator(".gg-explain").inner_text().startswith("∂f/∂x = ∂f/∂(x + y) · ∂(x + y)/∂x = 2.00 × 1.00")

    # Three steps into the backward pass, the * gate clicked: the README's picture of the widget.
    widget.get_by_role("button", name="backward pass").click()
    for _ in range(3):
        widget.get_by_role("button", name="▶").click()
    assert widget.locator(".gg-caption").inner_text().startswith("backward 3 of 5: at the * gate: upstream")
    widget.locator(".gg-picture g.gate").nth(1).click()
    assert widget.locator(".gg-explain").inner_text().splitlines()[0] == "* gate: f = 6.00"
    widget.screenshot(path=SHOTS / "widget.png")

    # The wide drawing, trusted now: an SVG in an <img>, no wider than its output area.
    cells = page.locator(CELLS)
    wide = cells.nth(2)
    wide.locator(".jp-RenderedSVG img").wait_for(timeout=30_000)
    shown = wide.evaluate(_MEASURE)
    assert shown and all(p["right"] <= p["outRight"] + 1 and p["width"] > 500 for p in shown), shown
    wide.locator(".jp-Cell-outputArea").screenshot(path=SHOTS / "wide-drawing-trusted.png")

    # The step player, trusted: its script ran, the still is hidden and the SVG steps.
    player = cells.nth(3)
    player.locator("button[data-move='-1']").wait_for(timeout=30_000)
    assert player.locator(".gg-still").evaluate("e => getComputedStyle(e).display") == "none"
    player.locator("button[data-move='1']").click()
    assert player.locator(".caption").inner_text().startswith("step 1 of 5")

    # A dark theme: the drawing keeps its white background, so its numbers read the same.
    page.evaluate("() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Dark'})")
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'", timeout=30_000)
    background = widget.locator(".gg-picture").evaluate("e => getComputedStyle(e).backgroundColor")
    assert background == "rgb(255, 255, 255)"
    widget.screenshot(path=SHOTS / "widget-dark.png")
    page.evaluate("() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Light'})")


@pytest.mark.browser
def test_in_notebook_7_the_widget_renders_and_answers_a_click(lab: str, page: Any) -> None:
    _open(page, lab, "live.ipynb", "notebook7")
    assert page.evaluate("() => window.jupyterapp.name") == "Jupyter Notebook"
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    widget = page.locator(f"{CELLS} .gg-widget")
    widget.wait_for(timeout=60_000)
    page.wait_for_selector(".gg-widget .gg-picture svg g.wire", timeout=30_000)
    box = widget.locator(".gg-picture svg").bounding_box()
    assert box and box["width"] > 100 and box["height"] > 50
    widget.locator(".gg-picture g.wire").first.click()
    assert widget.locator(".gg-explain").inner_text().startswith("∂f/∂x = ∂f/∂(x + y) · ∂(x + y)/∂x = -4.00 × 1.00")
    widget.get_by_role("button", name="backward pass").click()
    widget.get_by_role("button", name="▶").click()
    assert widget.locator(".gg-caption").inner_text().startswith("backward 1 of 5: the seed: ∂f/∂f = 1.00")
    page.screenshot(path=SHOTS / "notebook7-widget.png")
