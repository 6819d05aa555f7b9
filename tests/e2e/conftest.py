"""Browser fixtures: real headless Chromium (Debian's, through Playwright for Python) against a
real `twin serve`. Without Chromium, Playwright or three.js installed the tests skip, unless
``TWIN_REQUIRE_BROWSER=1`` (CI), which makes them fail."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

REQUIRE_BROWSER_ENV = "TWIN_REQUIRE_BROWSER"
CHROMIUM_ARGS = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"]
VIEWPORT = {"width": 1280, "height": 800}
READY_TIMEOUT_MS = 120_000  # SwiftShader draws the first frame of the campus in 3-20 s
WEB = Path(__file__).resolve().parents[2] / "viewer" / "web"


def chromium_path() -> str | None:
    """Debian's Chromium (never one downloaded by `playwright install`)."""
    for candidate in (
        os.environ.get("TWIN_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


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


class ViewerPage:
    """A page of the viewer with the console errors and page errors it reported."""

    def __init__(self, page: Any, base: str):
        self.page, self.base = page, base
        self.errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))

    def open(self, query: str = "") -> ViewerPage:
        """Load the viewer at ``/?query`` (or a full URL) and wait until it is ready."""
        url = query if query.startswith("http") else f"{self.base}/{'?' + query if query else ''}"
        self.page.goto(url)
        self.wait_ready()
        return self

    def wait_ready(self, condition: str = "true") -> None:
        self.page.wait_for_function(
            f"window.twin && window.twin.ready && ({condition})", timeout=READY_TIMEOUT_MS
        )

    def js(self, expression: str) -> Any:
        return self.page.evaluate(expression)


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
