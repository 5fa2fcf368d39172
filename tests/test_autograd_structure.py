"""The engine a learner reads: no import circles in autograd/ (counting imports made only
for type checking too), and the modules' reading order starts with one file."""

from __future__ import annotations

import ast
from pathlib import Path

import autograd

PACKAGE = Path(autograd.__file__).resolve().parent


def internal_imports(path: Path) -> set[str]:
    """The autograd modules ``path`` imports, wherever the import statement stands."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:  # from . import x / from .x import y
                if node.module:
                    found.add(node.module.split(".")[0])
                else:
                    found.update(alias.name for alias in node.names)
            elif node.level == 0 and node.module and node.module.split(".")[0] == "autograd":
                parts = node.module.split(".")
                found.add(parts[1] if len(parts) > 1 else "__init__")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "autograd" and len(parts) > 1:
                    found.add(parts[1])
    return found


def import_graph() -> dict[str, set[str]]:
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    return {p.stem: internal_imports(p) & modules - {p.stem} for p in PACKAGE.glob("*.py") if p.stem != "__init__"}


def test_no_module_of_autograd_imports_itself_back() -> None:
    graph = import_graph()
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> None:  # depth-first search for a back edge
        state[module] = "open"
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "open":
                raise AssertionError("import circle: " + " -> ".join([*path, module, target]))
            if target not in state:
                visit(target, [*path, module])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [])
    assert "engine" in graph and not graph["numerics"]  # numerics imports nothing of ours


def test_the_engine_file_holds_value_apply_the_walk_and_backward() -> None:
    from autograd import engine

    assert {"Value", "apply", "topological_order"} <= set(vars(engine))
    assert hasattr(engine.Value, "backward") and hasattr(engine.Value, "backward_step")
    assert "for parent, local in zip(self.parents, self.local_grads" in (PACKAGE / "engine.py").read_text()


def test_the_package_docstring_starts_the_reading_order_with_one_file() -> None:
    assert autograd.__doc__ is not None
    reading = autograd.__doc__.split("\n\n")[1]
    assert reading.startswith("Start with ``engine.py``")
