"""/docs and /redoc in real headless Chromium on a campus network without internet: every
request to another host is blocked (and recorded), and both pages still show the operations."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from viewer_browser import CHROMIUM_ARGS, VIEWPORT, chromium_path

pytestmark = [pytest.mark.browser]

CAMPUS_HOST = "twin.campus.test"
"""The twin's name on the campus network (resolved to the live server by Chromium), so the
pages are seen as a user sees them: Swagger UI, for one, behaves differently on 127.0.0.1."""
CSP_REFUSAL = re.compile(r"^Loading the \w+ '([^']+)' violates the following Content Security")
REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
"""ReDoc's sidebar credit shows Redocly's logo from their CDN (no option turns it off): the page's
Content-Security-Policy stops it in the browser, before any request."""


@pytest.fixture(scope="module")
def offline_browser(browser: Any) -> Iterator[Any]:
    """A Chromium that resolves :data:`CAMPUS_HOST` to 127.0.0.1 (the live twin)."""
    chromium = browser.browser_type.launch(
        executable_path=chromium_path(),
        args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {CAMPUS_HOST} 127.0.0.1"],
    )
    yield chromium
    chromium.close()


class OfflinePage:
    """A page that may reach the twin only; requests elsewhere are aborted and recorded."""

    def __init__(self, browser: Any, base: str):
        self.context = browser.new_context(viewport=VIEWPORT)
        self.page = self.context.new_page()
        self.base = base
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.refused: list[str] = []  # loads the page's own policy stopped before any request
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: m.type == "error" and self._console(m.text))
        self.page.route("**/*", self._route)

    def _console(self, text: str) -> None:
        refused = CSP_REFUSAL.search(text)
        (self.refused if refused else self.errors).append(refused[1] if refused else text)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if urlsplit(url).scheme in {"http", "https"} and not url.startswith(self.base + "/"):
            self.blocked.append(url)
            route.abort("internetdisconnected")
        else:
            route.continue_()


@pytest.fixture
def offline(offline_browser: Any, live_twin: Any) -> Iterator[OfflinePage]:
    port = urlsplit(live_twin.url).port
    page = OfflinePage(offline_browser, f"http://{CAMPUS_HOST}:{port}")
    yield page
    page.context.close()


def test_swagger_ui_shows_the_operations_offline(offline: OfflinePage, tmp_path: Path) -> None:
    page = offline.page
    page.goto(offline.base + "/docs")
    operation = page.locator("#operations-Events-listEvents, [id$='-listEvents']").first
    operation.wait_for(state="visible", timeout=30_000)
    assert "/events" in operation.inner_text()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(tmp_path / "docs.png"))
    assert offline.blocked == []
    assert offline.errors == []
    assert offline.refused == []


def test_redoc_shows_the_operations_offline(offline: OfflinePage, tmp_path: Path) -> None:
    page = offline.page
    page.goto(offline.base + "/redoc")
    operation = page.locator("[id='operation/listEvents']")
    operation.wait_for(state="visible", timeout=30_000)
    assert "The event log, in order" in operation.inner_text()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(tmp_path / "redoc.png"))
    assert offline.blocked == []
    assert offline.errors == []
    assert set(offline.refused) <= {REDOCLY_LOGO}
