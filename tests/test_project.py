"""The project's own promises: the README's commands, CI, packaging, lint."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    block = re.search(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert block, "README.md must start with a ```bash block holding the two commands"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_starts_with_exactly_two_commands() -> None:
    head = (ROOT / "README.md").read_text().split("```bash")[0]
    assert head.strip().startswith("# graphgrad") and head.count("\n") <= 3  # the commands come first
    demo, tests = readme_commands()
    assert "pip install ." in demo and "graphgrad demo" in demo
    assert "pip install -e '.[test]'" in tests and "pytest" in tests


def test_ci_runs_the_readme_test_command() -> None:
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert readme_commands()[1] in ci_lines


def test_pyproject_names_the_three_packages_and_keeps_torch_test_only() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["tool"]["setuptools"]["packages"] == ["autograd", "nn", "viz"]
    assert not any("torch" in dep for dep in project["project"]["dependencies"])
    assert "torch==2.13.0" in project["project"]["optional-dependencies"]["test"]


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "autograd", "nn", "viz", "tests", "benchmarks"],
        ["ruff", "format", "--check", "autograd", "nn", "viz", "tests", "benchmarks"],
        ["mypy"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_lint(command: list[str]) -> None:
    tool = shutil.which(command[0], path=str(Path(sys.executable).parent)) or shutil.which(command[0])
    assert tool, f"{command[0]} is part of the test extra; install with pip install -e '.[test]'"
    result = subprocess.run([tool, *command[1:]], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
