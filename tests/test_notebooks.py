"""The teaching notebooks: each runs top to bottom, and the committed copies are what a reader should see.

Every notebook is executed in a fresh Jupyter kernel with nbclient, in fast
mode (GRAPHGRAD_FAST=1 shrinks the training runs), from a scratch working
directory; any error in any cell fails the test. The committed copies must
carry the outputs of a full run (every code cell executed, drawings or plots
visible), match their sources in notebooks/source/, and define no engine or
drawing code of their own: they teach by calling the packages.
"""

from __future__ import annotations

import ast
import xml.etree.ElementTree as ET
from pathlib import Path

import nbformat
import pytest
from conftest import load_script
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
EXPECTED = [
    "01-backprop-by-hand",
    "02-sigmoid-neuron",
    "03-activations-and-initializers",
    "04-training-on-moons",
    "05-handwritten-digits",
    "06-derivatives-of-derivatives",
    "07-from-scalars-to-vectors",
]
IMAGE_TYPES = ("image/svg+xml", "image/png")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
CELL_TIMEOUT = 300  # seconds; fast mode needs a few at most, this only stops a hang
MAX_TOTAL_BYTES = 6_000_000  # seven notebooks, each drawing as SVG and PNG: still light enough to browse
# Engine or drawing code has no place in a notebook: these names belong to the packages.
PACKAGE_INTERNALS = {"backward", "_backward", "forward", "draw", "to_svg", "to_dot", "render", "topological_order"}


build = load_script(NOTEBOOK_DIR / "build.py")


def _code_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def _images(nb) -> list[str]:
    return [
        kind for cell in _code_cells(nb) for out in cell.outputs for kind in out.get("data", {}) if kind in IMAGE_TYPES
    ]


def test_the_notebooks_are_committed_with_their_sources() -> None:
    assert [p.stem for p in NOTEBOOKS] == EXPECTED
    assert sorted(p.stem for p in build.SOURCES.glob("*.py")) == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom_in_fast_mode(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRAPHGRAD_FAST", "1")  # the kernel inherits this process's environment
    nb = nbformat.read(path, as_version=4)
    for cell in _code_cells(nb):
        cell.outputs, cell.execution_count = [], None
    client = NotebookClient(
        nb, timeout=CELL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError, naming the cell, on the first error
    assert all(cell.execution_count for cell in _code_cells(nb))
    assert _images(nb), f"{path.name} showed no drawing or plot when run"
    assert list(tmp_path.iterdir()) == [], "a notebook wrote files into its working directory"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebook_carries_the_outputs_of_a_run(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    cells = _code_cells(nb)
    unexecuted = [i for i, cell in enumerate(cells) if cell.execution_count is None]
    assert not unexecuted, f"{path.name}: code cells {unexecuted} were never run; rebuild with notebooks/build.py"
    assert [cell.execution_count for cell in cells] == list(range(1, len(cells) + 1)), "not one run, top to bottom"
    errors = [out for cell in cells for out in cell.outputs if out.output_type == "error"]
    assert not errors, f"{path.name} was saved with an error: {errors[0].get('ename')}"
    assert _images(nb), f"{path.name} has no drawing or plot among its outputs"
    for cell in cells:
        for out in cell.outputs:
            svg = out.get("data", {}).get("image/svg+xml")
            if svg is not None:  # a drawing a browser can show: well-formed XML with an <svg> root
                assert ET.fromstring(svg.encode("utf-8")).tag == "{http://www.w3.org/2000/svg}svg"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_drawing_shows_in_a_notebook_opened_fresh(path: Path) -> None:
    """A notebook nobody re-ran is untrusted: front ends refuse SVG, run no script and render no
    widget there, so every picture must come with a PNG (tests/test_browser_notebooks.py looks)."""
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(_code_cells(nb)):
        for out in cell.outputs:
            data = out.get("data", {})
            where = f"{path.name}, code cell {index}"
            ours = WIDGET_VIEW in data and data["text/plain"].startswith("GraphWidget(")  # not tqdm's bar
            if "image/svg+xml" in data or ours:
                assert "image/png" in data, f"{where}: a drawing or widget with no PNG to show untrusted"
            html = data.get("text/html", "")
            if "<svg" in html:  # the step player: its SVG is stripped where scripts do not run
                still = '<div class="gg-still"><img src="data:image/png;base64,'
                assert still in html, f"{where}: a step player with no still picture"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebook_matches_its_source(path: Path) -> None:
    committed = nbformat.read(path, as_version=4)
    fresh = build.notebook(build.SOURCES / f"{path.stem}.py")
    assert [(c.cell_type, c.source) for c in committed.cells] == [(c.cell_type, c.source) for c in fresh.cells], (
        f"{path.name} differs from notebooks/source/{path.stem}.py; rebuild with notebooks/build.py"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_defines_no_engine_or_drawing_code(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in _code_cells(nb):
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, ast.ClassDef), f"{path.name} defines class {node.name}:\n{cell.source}"
            if isinstance(node, ast.FunctionDef):
                assert node.name not in PACKAGE_INTERNALS, f"{path.name} defines {node.name}():\n{cell.source}"
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                modules = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                assert "graphviz" not in modules, f"{path.name} draws with graphviz itself instead of viz"


def test_every_notebook_opens_with_its_title() -> None:
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# "), f"{path.name}: no title"


def test_committed_notebooks_stay_small() -> None:
    total = sum(p.stat().st_size for p in NOTEBOOKS)
    assert total < MAX_TOTAL_BYTES, f"the notebooks weigh {total:,} bytes; keep drawings condensed"


def test_source_cells_split_on_percent_markers() -> None:
    cells = build.cells('"""doc"""\n\n# %% [markdown]\n# # Title\n#\n# text\n\n# %%\nx = 1\n\n\n# %%\ny = 2\n')
    assert [(c.cell_type, c.source) for c in cells] == [
        ("markdown", "# Title\n\ntext"),
        ("code", "x = 1"),
        ("code", "y = 2"),
    ]


def test_a_markdown_line_that_is_not_a_comment_is_refused() -> None:
    with pytest.raises(ValueError, match="must be comments"):
        build.cells("# %% [markdown]\n# fine\nnot a comment\n")
