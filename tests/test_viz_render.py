"""Rendering with no system Graphviz, finding the program, files, and Jupyter's display protocol."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from test_viz_svg import NS, parse, wires

import viz
from autograd import Value, examples
from viz import render

DRAW_SIGMOID = (
    "import viz; from autograd import examples; f, _ = examples.sigmoid_neuron(); f.backward(); "
    "import sys; sys.stdout.write(viz.to_svg(f))"
)


def _run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != render.ENV_VAR} | env
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=False)


def test_draws_with_nothing_on_path() -> None:
    # As in a Jupyter kernel whose PATH lacks the environment's bin/: no dot, no graphviz-pure.
    done = _run_python(DRAW_SIGMOID, PATH="/nonexistent")
    assert done.returncode == 0, done.stderr
    root = parse(done.stdout)
    assert root.tag == f"{NS}svg"
    assert len(wires(done.stdout)) == 13
    # Self-contained: nothing refers outside the document.
    for element in root.iter():
        for name, value in element.attrib.items():
            if name.endswith("href"):
                assert value.startswith("#"), value
        assert element.tag not in (f"{NS}image", f"{NS}script")


def test_the_same_graph_gives_the_same_bytes_in_two_processes() -> None:
    first, second = _run_python(DRAW_SIGMOID), _run_python(DRAW_SIGMOID, PYTHONHASHSEED="123")
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout
    assert first.stdout == viz.to_svg(_sigmoid())  # and the same as in this process


def _sigmoid() -> Value:
    f, _ = examples.sigmoid_neuron()
    f.backward()
    return f


def test_two_different_graphs_get_different_svg_ids() -> None:
    ids = {parse(viz.to_svg(f)).find(f"{NS}g").get("id") for f in (_sigmoid(), examples.add_mul()[0])}  # type: ignore[union-attr]
    assert len(ids) == 2


def test_renderer_from_the_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    program = render.find_renderer()
    monkeypatch.setenv(render.ENV_VAR, program)
    assert render.find_renderer() == program
    monkeypatch.setenv(render.ENV_VAR, "/nonexistent/dot")
    with pytest.raises(RuntimeError, match=r"GRAPHGRAD_DOT is '/nonexistent/dot'.*pip install graphviz-pure"):
        viz.to_svg(Value(1.0))
    assert viz.to_dot(Value(1.0)).startswith("digraph")  # DOT needs no program


def test_an_explicit_renderer_that_does_not_exist_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="renderer= is 'no-such-program'"):
        viz.to_svg(Value(1.0), renderer="no-such-program")


@pytest.fixture
def real_renderer() -> str:
    """The program found on this machine, before a test hides it."""
    return render.find_renderer()


@pytest.fixture
def no_graphviz_pure(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A machine where the graphviz-pure wheel is not installed, and PATH is an empty folder."""
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.delenv(render.ENV_VAR, raising=False)
    monkeypatch.setattr(sysconfig, "get_path", lambda name: str(empty))

    def missing(name: str) -> None:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "distribution", missing)
    monkeypatch.setenv("PATH", str(empty))
    return empty


def test_without_any_renderer_the_error_says_how_to_fix_it(no_graphviz_pure: Path) -> None:
    with pytest.raises(RuntimeError, match="no layout program found.*pip install graphviz-pure.*Graphviz"):
        viz.to_svg(Value(1.0))
    assert "digraph" in viz.to_dot(Value(1.0))


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for a system dot")
def test_falls_back_to_a_system_dot(real_renderer: str, no_graphviz_pure: Path) -> None:
    system_dot = no_graphviz_pure / "dot"  # stands in for Debian's Graphviz: the same command line
    system_dot.write_text(f'#!/bin/sh\nexec "{real_renderer}" "$@"\n')
    system_dot.chmod(0o755)
    assert render.find_renderer() == str(system_dot)
    assert len(wires(viz.to_svg(_sigmoid()))) == 13


def test_a_failing_renderer_reports_its_error() -> None:
    with pytest.raises(RuntimeError, match="failed"):
        render.render("digraph { a -> }", "svg")


@pytest.mark.parametrize(
    ("suffix", "check"),
    [
        (".svg", lambda data: parse(data.decode()).tag == f"{NS}svg"),
        (".SVG", lambda data: parse(data.decode()).tag == f"{NS}svg"),
        (".png", lambda data: data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 1000),
        (".dot", lambda data: data.startswith(b"digraph") and b"1/x" in data),
    ],
)
def test_save_picks_the_format_from_the_suffix(tmp_path: Path, suffix: str, check) -> None:  # type: ignore[no-untyped-def]
    path = viz.save(_sigmoid(), tmp_path / f"f{suffix}")
    assert check(path.read_bytes())
    assert os.listdir(tmp_path) == [f"f{suffix}"]  # no temporary file left behind


@pytest.mark.parametrize("name", ["f.pdf", "f", "f.svg.txt"])
def test_an_unknown_suffix_raises_and_writes_nothing(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match=r"known: \.svg, \.png, \.dot"):
        viz.save(_sigmoid(), tmp_path / name)
    assert os.listdir(tmp_path) == []


def test_saving_into_a_missing_folder_names_the_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="the folder .*missing.* does not exist"):
        viz.save(_sigmoid(), tmp_path / "missing" / "f.svg")


def test_a_failed_save_leaves_the_old_file_intact(tmp_path: Path) -> None:
    old = tmp_path / "f.png"
    old.write_bytes(b"the old drawing")
    with pytest.raises(RuntimeError):
        viz.save(_sigmoid(), old, renderer="/nonexistent/graphviz-pure")
    assert old.read_bytes() == b"the old drawing"
    assert os.listdir(tmp_path) == ["f.png"]


def test_jupyter_displays_the_drawing_as_svg() -> None:
    from IPython.core.formatters import DisplayFormatter

    drawing = viz.draw(_sigmoid())
    data, _ = DisplayFormatter().format(drawing)
    assert "image/svg+xml" in data
    svg = parse(data["image/svg+xml"])
    assert "max-width:100%" in (svg.get("style") or "")  # shrinks to fit: never clipped
    assert data["text/plain"].startswith("Drawing(full, 15 values")
    assert drawing._repr_svg_() == data["image/svg+xml"]
    assert drawing.source == drawing.dot and drawing.source.startswith("digraph")


def test_import_viz_works_without_the_graphviz_package_and_drawing_says_what_to_install() -> None:
    code = (
        "import sys; sys.modules['graphviz'] = None\n"  # as if the package were not installed
        "import viz\n"
        "from autograd import Value\n"
        "try:\n    viz.to_dot(Value(1.0, label='x') * 2)\n"
        "except ImportError as e:\n    print(e)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parent.parent
    )
    assert result.returncode == 0, result.stderr
    assert "pip install graphviz" in result.stdout
