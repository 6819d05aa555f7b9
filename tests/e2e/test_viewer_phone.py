"""The viewer on a phone (390×844) and a tablet (768×1024) with touch, in Chinese and English:
the panel is a bottom sheet, nothing overlaps or leaves the screen, a tap picks a building."""

from __future__ import annotations

from typing import Any

import pytest
from viewer_browser import ViewerPage

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "tablet": {"width": 768, "height": 1024}}
BOXES = """(selectors) => selectors.map((s) => {
  const el = document.querySelector(s);
  if (!el || el.hidden || getComputedStyle(el).display === 'none') return null;
  const r = el.getBoundingClientRect();
  return {s, left: r.left, top: r.top, right: r.right, bottom: r.bottom};
}).filter(Boolean)"""


@pytest.fixture
def touch_page(browser: Any, live_twin: Any):
    contexts: list[Any] = []

    def open_page(query: str, viewport: str) -> ViewerPage:
        size = VIEWPORTS[viewport]
        context = browser.new_context(viewport=size, is_mobile=True, has_touch=True)
        contexts.append(context)
        return ViewerPage(context.new_page(), live_twin.url).open(query)

    yield open_page
    for context in contexts:
        context.close()


def _apart(v: ViewerPage, selectors: list[str]) -> None:
    """The elements are inside the viewport and no two of them overlap."""
    size = v.page.viewport_size
    boxes = v.page.evaluate(BOXES, selectors)
    assert len(boxes) == len(selectors), boxes
    for b in boxes:
        assert b["left"] >= 0 and b["top"] >= 0, b
        assert b["right"] <= size["width"] + 0.5 and b["bottom"] <= size["height"] + 0.5, b
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            overlap = min(a["right"], b["right"]) > max(a["left"], b["left"]) and min(
                a["bottom"], b["bottom"]
            ) > max(a["top"], b["top"])
            assert not overlap, (a, b)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_nothing_overlaps_or_is_cut_off(touch_page, viewport, lang) -> None:
    v = touch_page(f"lang={lang}", viewport)
    _apart(v, ["#panel", "#toolbar", "#legend-box", "#timebar"])
    v.page.tap("#sheet-toggle")  # the sheet opens, still clear of the rest
    v.page.wait_for_function("() => document.querySelector('#panel').classList.contains('open')")
    _apart(v, ["#panel", "#toolbar", "#legend-box", "#timebar"])
    assert v.page.locator(".poi-list").is_visible()
    v.page.tap("#tour-start")  # the tour slides over the sheet, clear of bar and tools
    v.wait_ready("window.twin.tour.step === 1 && !window.twin.tour.flying")
    _apart(v, ["#tour", "#toolbar", "#legend-box", "#timebar"])
    for selector in ("#tour-prev", "#tour-next", "#tour-auto", "#tour-close"):
        assert v.page.locator(selector).is_visible()
    assert not v.errors


def test_a_tap_picks_a_unit(touch_page) -> None:
    unit = "office-building/L12/U03"
    v = touch_page("mode=leasing&lang=en", "phone")
    v.js(f"window.twin.select('{unit}')")  # fly there (its side faces the camera), let go of it
    v.page.wait_for_function("() => document.querySelector('#card dl')")
    v.page.tap("#card .close")
    v.page.wait_for_function("() => window.twin.selected === null")
    point = v.js(f"window.twin.screenPoint('{unit}')")
    v.page.touchscreen.tap(point["x"], point["y"])
    v.page.wait_for_function(f"() => window.twin.selected === '{unit}'")
    v.page.wait_for_function(f"() => document.querySelector('#card').dataset.feature === '{unit}'")
    assert v.page.locator("#card").is_visible() and "Floor area" in v.page.inner_text("#card")
