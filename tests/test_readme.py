"""The README's claims that can drift: the op table and the committed drawings."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from autograd import OPS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def readme_op_table() -> list[list[str]]:
    section = README.split("## The operations", 1)[1].split("\n\n|", 1)[1]
    rows = ("|" + section).split("\n\n")[0].splitlines()  # the table ends at the first blank line
    # a cell may hold an escaped bar: `\|x\|`
    cells = (re.split(r"(?<!\\)\|", row.strip("|")) for row in rows[2:])
    return [[cell.strip().strip("`").replace("\\|", "|") for cell in row] for row in cells]


def test_readme_op_table_is_the_engine_table() -> None:
    rows = readme_op_table()
    assert len(rows) == len(OPS)
    for (method, symbol, glyph, derivative), op in zip(rows, OPS.values(), strict=True):
        operator = {"add": "a + b", "mul": "a * b", "pow": "a ** n", "pow_value": "a ** b"}.get(op.name)
        assert method == operator or method.startswith(f"a.{op.name}("), (method, op.name)
        assert symbol == op.symbol + ("n" if op.name == "pow" else "")
        assert glyph == op.glyph + ("n" if op.name == "pow" else "")
        assert derivative == op.derivative


def test_readme_micrograd_table_covers_every_name_graphgrad_answers() -> None:
    from autograd.familiar import FROM_MICROGRAD

    section = README.split("## Coming from micrograd", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    mentioned = " ".join(row.split("|")[1] for row in rows)
    for name in FROM_MICROGRAD:
        assert name in mentioned, name


def test_readme_drawings_are_what_the_command_makes(tmp_path: Path) -> None:
    images = sorted(re.findall(r"\]\((docs/img/[^)]+\.svg)\)", README))
    assert len(images) == 4
    subprocess.run([sys.executable, "-m", "viz", "examples", "-o", str(tmp_path)], check=True, capture_output=True)
    for image in images:
        assert (tmp_path / Path(image).name).read_bytes() == (ROOT / image).read_bytes(), image
