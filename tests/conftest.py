"""Fixtures shared by the tests: figures closed after each test, and headless Chromium.

The browser tests (marker ``browser``) drive Debian's Chromium with Playwright; a test tool cannot
download a browser of its own here. Without Chromium they are skipped, except under CI (``CI``
set), where they fail: ``make browser`` installs it.
"""

from __future__ import annotations

import os
import shutil

import matplotlib.pyplot as plt
import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def needed(message: str) -> None:
    """Skip a browser test for want of ``message``'s tool, or fail under CI."""
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI is set: the browser tests must run)")
    pytest.skip(message)


@pytest.fixture(scope="module")
def chromium_path() -> str:
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    path = shutil.which("chromium")
    if path is None:
        needed("Chromium is not installed (/usr/bin/chromium or chromium on PATH): make browser")
    return path


@pytest.fixture(scope="module")
def browser(chromium_path):
    """Headless Chromium, launched by Playwright for the module's tests."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        needed("Playwright for Python is not installed (requirements.txt lists it): make setup")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
