"""Browser fixtures: real headless Chromium (Debian's, through Playwright for Python) against a
real `twin serve`. Without Chromium, Playwright or three.js installed the tests skip, unless
``TWIN_REQUIRE_BROWSER=1`` (CI), which makes them fail."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any, NoReturn

import pytest
from viewer_browser import (
    CHROMIUM_ARGS,
    REQUIRE_BROWSER_ENV,
    VIEWPORT,
    WEB,
    ViewerPage,
    chromium_path,
)


def _missing(reason: str) -> NoReturn:
    if os.environ.get(REQUIRE_BROWSER_ENV) == "1":
        pytest.fail(f"{reason} ({REQUIRE_BROWSER_ENV}=1 requires the browser tests to run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session."""
    executable = chromium_path()
    if executable is None:
        _missing("Chromium not installed: apt-get install chromium")
    if not (WEB / "node_modules" / "three" / "build" / "three.module.js").is_file():
        _missing("three.js not installed in viewer/web/node_modules: run `make install`")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python not installed: pip install -e '.[dev]'")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def viewer(browser: Any, live_twin: Any) -> Iterator[Callable[..., ViewerPage]]:
    """Open viewer pages (a fresh browser context each: own sessionStorage) on the live twin."""
    contexts: list[Any] = []

    def open_page(query: str = "") -> ViewerPage:
        context = browser.new_context(viewport=VIEWPORT)
        contexts.append(context)
        return ViewerPage(context.new_page(), live_twin.url).open(query)

    yield open_page
    for context in contexts:
        context.close()
