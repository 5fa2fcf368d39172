"""Build the teaching notebooks from their sources and run them, so the committed copies carry outputs.

Each notebook is written as a plain Python file in ``notebooks/source/``, in
the "percent" format that Jupytext, VS Code and Spyder read: ``# %%`` starts
a code cell, ``# %% [markdown]`` a markdown cell whose lines are comments.
A script is easier to review and diff than notebook JSON; this file turns
each one into ``notebooks/NAME.ipynb`` and executes it top to bottom with
nbclient, in full mode (GRAPHGRAD_FAST unset), saving the outputs.

    python notebooks/build.py                  # all of them
    python notebooks/build.py 03 04            # the ones whose names start with 03 or 04
    python notebooks/build.py --no-execute     # cells only, no outputs

>>> [cell.cell_type for cell in cells("# %% [markdown]\\n# # Title\\n\\n# %%\\nx = 1\\n")]
['markdown', 'code']
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat.notebooknode import NotebookNode

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "source"
CELL_MARK = "# %%"
MARKDOWN_MARK = "# %% [markdown]"
TIMEOUT = 600  # seconds per cell: the full digits training is the longest, well under this


def cells(text: str) -> list[NotebookNode]:
    """Split a percent-format script into notebook cells (blank lines around each cell dropped)."""
    found: list[NotebookNode] = []
    kind: str | None = None
    lines: list[str] = []
    for line in [*text.splitlines(), CELL_MARK]:  # a final mark flushes the last cell
        if line.startswith(CELL_MARK):
            body = "\n".join(lines).strip("\n")
            if kind == "markdown":
                body = "\n".join(_uncomment(row) for row in body.splitlines())
                found.append(nbformat.v4.new_markdown_cell(body))
            elif kind == "code":
                found.append(nbformat.v4.new_code_cell(body))
            kind, lines = ("markdown" if line.strip() == MARKDOWN_MARK else "code"), []
        elif kind is not None:  # text before the first mark (a module docstring) is not a cell
            lines.append(line)
    return found


def _uncomment(row: str) -> str:
    if row.startswith("# "):
        return row[2:]
    if row.strip() == "#":
        return ""
    raise ValueError(f"a markdown cell's lines must be comments ('# ...'), got {row!r}")


def notebook(source: Path) -> NotebookNode:
    """The notebook for one source script, with no outputs yet."""
    nb = nbformat.v4.new_notebook()
    nb.cells = cells(source.read_text(encoding="utf-8"))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for index, cell in enumerate(nb.cells):
        cell.id = f"{source.stem[:2]}-{index:02d}"  # stable ids: rebuilding changes no id
    return nb


def execute(nb: NotebookNode, timeout: int = TIMEOUT) -> NotebookNode:
    """Run every cell in a fresh kernel started in notebooks/, keeping the outputs (no timing metadata)."""
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", record_timing=False, resources={"metadata": {"path": str(HERE)}}
    )
    client.execute()
    return nb


def main(argv: list[str] | None = None) -> int:
    """Write (and by default execute) the notebooks whose names start with the given prefixes."""
    parser = argparse.ArgumentParser(description="Build notebooks/*.ipynb from notebooks/source/*.py.")
    parser.add_argument("prefixes", nargs="*", help="only notebooks whose names start with these (e.g. 03)")
    parser.add_argument("--no-execute", action="store_true", help="write the cells without running them")
    args = parser.parse_args(argv)
    if os.environ.get("GRAPHGRAD_FAST"):
        print("GRAPHGRAD_FAST is set: committed notebooks come from a full run; unset it", file=sys.stderr)
        return 2
    sources = sorted(p for p in SOURCES.glob("*.py") if not args.prefixes or p.stem.startswith(tuple(args.prefixes)))
    if not sources:
        print(f"no source in {SOURCES} matches {' '.join(args.prefixes)}", file=sys.stderr)
        return 2
    for source in sources:
        nb = notebook(source)
        start = time.perf_counter()
        if not args.no_execute:
            execute(nb)
        target = HERE / f"{source.stem}.ipynb"
        partial = target.with_name(target.name + ".partial")  # replace the old file only once the new one is whole
        nbformat.write(nb, partial)
        os.replace(partial, target)
        print(f"{target.name}: {len(nb.cells)} cells, {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
