"""Headless Chromium for the viewer's tests: flags, the viewport and a page wrapper."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

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
            f"() => window.twin && window.twin.ready && ({condition})", timeout=READY_TIMEOUT_MS
        )

    def js(self, expression: str) -> Any:
        return self.page.evaluate(expression)


PHONE = {"width": 390, "height": 844}


def open_with_token(
    browser: Any, base: str, token: str, query: str, size: dict[str, int]
) -> ViewerPage:
    """A viewer page in a fresh context at ``size`` (a phone: touch, the sheet opened), with
    ``token`` saved in its settings."""
    phone = size == PHONE
    context = browser.new_context(viewport=size, is_mobile=phone, has_touch=phone)
    v = ViewerPage(context.new_page(), base).open(query)
    if phone:
        v.page.click("#sheet-toggle")
    v.page.click("#settings-toggle")
    v.page.fill("#token", token)
    v.page.click("#token-form button[type=submit]")
    v.page.click("#settings-toggle")  # closed again
    return v
