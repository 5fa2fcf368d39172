"""Shared test settings: hypothesis profiles (CI runs a fixed, modest budget),
and a headless Chromium page for the tests marked ``browser``."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import settings

settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True)
settings.register_profile("dev", max_examples=200, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

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
