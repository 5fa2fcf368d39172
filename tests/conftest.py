"""Shared test settings: hypothesis profiles (CI runs a fixed, modest budget),
a headless Chromium page for the tests marked ``browser``, and the run
without PyTorch that ``.ci/run`` makes on its other Pythons."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import settings

settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True)
settings.register_profile("dev", max_examples=200, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# PyTorch, the oracle, installs here only for Python 3.11 (torch==2.13.0 is a local wheel). On the
# other Pythons .ci/run asks for the tests without it (GRAPHGRAD_WITHOUT_TORCH=1): the files that import
# torch, or the oracle built on it, are then not collected. Anywhere else a missing torch is an error.
_IMPORTS_TORCH = re.compile(r"^(import torch|from torch|from _oracle import|import _oracle)", re.M)
WITHOUT_TORCH = os.environ.get("GRAPHGRAD_WITHOUT_TORCH") == "1" and importlib.util.find_spec("torch") is None
collect_ignore = (
    sorted(p.name for p in Path(__file__).parent.glob("*.py") if _IMPORTS_TORCH.search(p.read_text("utf-8")))
    if WITHOUT_TORCH
    else []
)


def pytest_report_header() -> str | None:
    if collect_ignore:
        return f"without PyTorch (GRAPHGRAD_WITHOUT_TORCH=1): not collected: {', '.join(collect_ignore)}"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without PyTorch, the doctests that call it (``model.to_torch()``) are left out as the files are."""
    if not WITHOUT_TORCH:
        return
    from _pytest.doctest import DoctestItem

    def needs_torch(item: pytest.Item) -> bool:
        test = getattr(item, "dtest", None)
        return isinstance(item, DoctestItem) and test is not None and any("torch" in e.source for e in test.examples)

    left_out = [item for item in items if needs_torch(item)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not needs_torch(item)]


def load_script(path: Path) -> ModuleType:
    """A script of the project (a benchmark, notebooks/build.py) as a module, for tests of its functions."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Debian's Chromium (apt-get install chromium); no browser download is possible here.
CHROMIUM = os.environ.get("GRAPHGRAD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps dialing Google's hosts on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium through Playwright (``pip install -e '.[browser]'``; ``.ci/run`` installs both)."""
    from playwright.sync_api import sync_playwright  # an ImportError, not a skip: a missing tool is a failure

    if not os.path.exists(CHROMIUM):
        raise RuntimeError(f"browser tests need Chromium at {CHROMIUM}: apt-get install chromium chromium-driver")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page; every dialog it opens (alert, confirm) is recorded in ``page.dialogs`` and dismissed."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    new_page = context.new_page()
    new_page.dialogs = []
    new_page.on("dialog", lambda dialog: (new_page.dialogs.append(dialog.message), dialog.dismiss()))
    yield new_page
    context.close()
