"""Running the layout program: DOT text in, SVG or PNG bytes out.

graphgrad depends on the ``graphviz-pure`` wheel (one static binary, a
Rust port of Graphviz's ``dot`` with its fonts' metrics built in), so a
plain ``pip install`` draws on a machine with no system Graphviz, and the
same graph gives the same bytes on every platform. The wheel installs a
program called ``graphviz-pure``, never ``dot``, and a Jupyter kernel often
runs without the environment's ``bin/`` on PATH, so we look for it where
pip put it rather than on PATH. We run it ourselves (DOT on stdin, the
drawing on stdout) instead of through the ``graphviz`` package, which
would only look for ``dot`` and cannot parse this program's version line.

Where the program is looked for, first found wins:

1. ``renderer=`` given to a drawing function, else the ``GRAPHGRAD_DOT``
   environment variable (a path, or a program name on PATH);
2. ``graphviz-pure`` in this Python's scripts directory (``sysconfig``);
3. the files the ``graphviz-pure`` distribution recorded at install;
4. ``graphviz-pure`` on PATH;
5. a system Graphviz ``dot`` on PATH (machines with no graphviz-pure wheel).

>>> render('digraph { a -> b }', "svg").startswith(b"<?xml")
True
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sysconfig
from collections.abc import Iterator

__all__ = ["ENV_VAR", "FORMATS", "find_renderer", "render"]

ENV_VAR = "GRAPHGRAD_DOT"
FORMATS = ("svg", "png")
# Only a guard against a runaway program: the size policy (policy.py) refuses, before any layout,
# every drawing that would take long; the largest it allows takes 12-22 s here.
TIMEOUT_SECONDS = 120
# A PNG is a bitmap: graphviz-pure took 51 s for the 13,237-node drawing of an MLP's loss at 96 dpi
# (210 million pixels) and 7-10 s once scaled to fit 40 inches (3,840 px at 96 dpi). A drawing larger
# than that is scaled down to fit (Graphviz's size attribute); the SVG keeps every detail.
PNG_MAX_INCHES = 40
_PROGRAM = "graphviz-pure.exe" if os.name == "nt" else "graphviz-pure"
_HOW_TO_FIX = (
    "pip install graphviz-pure (wheels for Linux, macOS and Windows on x86-64 and arm64), "
    "or install Graphviz so that `dot` is on PATH, "
    f"or set {ENV_VAR} to the program's path; viz.to_dot() works without any of them"
)


def find_renderer(renderer: str | None = None) -> str:
    """The path of the layout program that will draw (see the module docstring for the search order).

    >>> os.path.basename(find_renderer()) in ("graphviz-pure", "graphviz-pure.exe", "dot", "dot.exe")
    True
    """
    chosen, where = (renderer, "renderer=") if renderer else (os.environ.get(ENV_VAR), ENV_VAR)
    if chosen:  # asked for by name: use exactly that, or say why not
        path = shutil.which(chosen)
        if path is None:
            raise RuntimeError(f"{where} is {chosen!r}, which is not an executable program; {_HOW_TO_FIX}")
        return path
    for path in _candidates():
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    raise RuntimeError(f"no layout program found to draw with (looked for graphviz-pure and dot); {_HOW_TO_FIX}")


def _candidates() -> Iterator[str | None]:
    scripts = sysconfig.get_path("scripts")
    yield os.path.join(scripts, _PROGRAM) if scripts else None
    try:  # where pip recorded the file, e.g. a --user or --target install
        files = importlib.metadata.distribution("graphviz-pure").files or []
    except importlib.metadata.PackageNotFoundError:
        files = []
    for file in files:
        if file.name == _PROGRAM:
            yield str(file.locate())
    yield shutil.which("graphviz-pure")
    yield shutil.which("dot")


def render(dot_source: str, fmt: str, renderer: str | None = None, dpi: float | None = None) -> bytes:
    """Lay out and draw DOT text as ``fmt`` ("svg" or "png"); RuntimeError if the program fails.

    >>> render('digraph { a }', "png")[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    program = find_renderer(renderer)
    command = [program, f"-T{fmt}"] + ([f"-Gdpi={dpi:g}"] if dpi else [])
    if fmt == "png":
        command.append(f"-Gsize={PNG_MAX_INCHES},{PNG_MAX_INCHES}")
    try:
        done = subprocess.run(command, input=dot_source.encode("utf-8"), capture_output=True, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise RuntimeError(
            f"{program} did not finish within {TIMEOUT_SECONDS} s (the size policy should have refused this "
            "drawing: please report it); draw with detail='summary'"
        ) from None
    if done.returncode != 0 or not done.stdout:
        raise RuntimeError(f"{program} failed (exit code {done.returncode}): {_errors(done.stderr)}")
    return done.stdout


def _errors(stderr: bytes) -> str:
    """The program's error lines, without the warnings graphviz-pure prints for every non-ASCII glyph."""
    lines = stderr.decode("utf-8", "replace").splitlines()
    kept = [line.strip() for line in lines if line.strip() and "non-ASCII" not in line and "metrics" not in line]
    return " | ".join(kept) or "no error message"
