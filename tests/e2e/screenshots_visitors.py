"""Screenshots for docs/visitors.md: ``python tests/e2e/screenshots_visitors.py [name-part]``.

Starts a real `twin serve` on a fresh database and writes ``docs/images/visitors-*.png``: the
guided tour, the phone layout and the page a source link opens, desktop 1280×800, tablet 768×1024 and phone 390×844 (touch),
in Chinese and English. Look at each picture before committing it.
"""

from __future__ import annotations

import sys

from screenshots import IMAGES, live_browser
from viewer_browser import ViewerPage

DESKTOP, TABLET, PHONE = (1280, 800), (768, 1024), (390, 844)
SHOTS = {  # name -> (viewport, query)
    "visitors-tour-desktop-en": (DESKTOP, "lang=en&tour=3"),
    "visitors-tour-desktop-zh": (DESKTOP, "lang=zh&tour=4"),
    "visitors-tablet-en": (TABLET, "lang=en&tour=2"),
    "visitors-phone-zh": (PHONE, "lang=zh"),
    "visitors-tour-phone-zh": (PHONE, "lang=zh&tour=3"),
    "visitors-tour-phone-en": (PHONE, "lang=en&tour=5"),
    "visitors-card-phone-en": (PHONE, "lang=en&sel=fish-head"),
    "visitors-source-phone-zh": (PHONE, "lang=zh&tour=3"),  # the page its source link opens
}
TOUR_SETTLED = "window.twin.tour && window.twin.tour.step > 0 && !window.twin.tour.flying"


def main(only: str = "") -> None:
    with live_browser() as (browser, base):
        for name, ((width, height), query) in SHOTS.items():
            if only not in name:
                continue
            touch = width < 500
            context = browser.new_context(
                viewport={"width": width, "height": height}, is_mobile=touch, has_touch=touch
            )
            v = ViewerPage(context.new_page(), base).open(query)
            if "tour=" in query:
                v.wait_ready(TOUR_SETTLED)
            if "sel=" in query:
                v.page.wait_for_function("() => document.querySelector('#card dl')")
            v.page.wait_for_timeout(600)  # labels placed
            page = v.page
            if "source" in name:
                with context.expect_page() as opened:
                    v.page.click("#tour-sources a")
                page = opened.value
                page.wait_for_load_state()
            page.screenshot(path=str(IMAGES / f"{name}.png"))
            print(f"wrote {name}.png", *v.errors)
            context.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
