"""Screenshots of the viewer in each mode for the docs: ``python tests/e2e/screenshots.py``.

Starts a real `twin serve` on a fresh database, opens each view in headless Chromium and writes
``docs/images/viewer-<mode>.png`` (1440×900).
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # after tests/e2e: live_server

from live_server import start_twin, stop_twin
from playwright.sync_api import sync_playwright
from viewer_browser import CHROMIUM_ARGS, READY_TIMEOUT_MS, chromium_path

IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
VIEWS = {  # mode -> (query, what to do once ready)
    "visitor": ("mode=visitor&lang=en", []),
    "leasing": (
        "mode=leasing&lang=en",
        [
            "window.twin.select('office-building/L12/U03')",
            "document.querySelector('#leasing-filters [name=building]').value = 'office-building'",
            "document.querySelector('#leasing-filters [name=min_area_m2]').value = '100'",
            "document.querySelector('#leasing-filters button[type=submit]').click()",
        ],
    ),
    "construction": ("mode=construction&lang=en&at=2023-06-30&cam=1450,560,980,640,40,90", []),
    "facilities": ("mode=facilities&lang=zh", ["window.twin.select('data-centre')"]),
}


@contextmanager
def live_browser() -> Iterator[tuple[Any, str]]:
    """Headless Chromium and the base URL of a real `twin serve` on a fresh database."""
    executable = chromium_path()
    if executable is None:
        sys.exit("Chromium not installed: apt-get install chromium")
    with tempfile.TemporaryDirectory() as work, sync_playwright() as p:
        live = start_twin(Path(work), "--db", str(Path(work) / "twin.db"))
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser, live.url
        finally:
            browser.close()
            stop_twin(live)


def main(modes: list[str]) -> None:
    with live_browser() as (browser, base):
        for mode in modes:
            query, steps = VIEWS[mode]
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(f"{base}/?{query}")
            page.wait_for_function(
                "() => window.twin && window.twin.ready", timeout=READY_TIMEOUT_MS
            )
            for step in steps:
                page.evaluate(step)
            page.wait_for_timeout(2500)  # flights over, labels placed, cards filled
            path = IMAGES / f"viewer-{mode}.png"
            page.screenshot(path=str(path))
            print(f"wrote {path}")
            page.close()


if __name__ == "__main__":
    main(sys.argv[1:] or list(VIEWS))
