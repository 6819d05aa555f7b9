"""Accessibility of the viewer: axe-core (npm, injected from Playwright) finds no serious or
critical violation in any mode, in Chinese and English, on a desktop and a phone viewport, with
the tour open; the panel, modes, slider and tour work from the keyboard."""

from __future__ import annotations

from typing import Any

import pytest
from viewer_browser import WEB, ViewerPage

AXE = WEB / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
MODES = ["visitor", "leasing", "construction", "facilities"]
RUN_AXE = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
  .filter((v) => v.impact === 'serious' || v.impact === 'critical')
  .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)"""


@pytest.fixture
def page_at(browser: Any, live_twin: Any):
    contexts: list[Any] = []

    def open_page(query: str, viewport: dict[str, int], **options: Any) -> ViewerPage:
        # the page's CSP allows no inline script: axe is injected as one, so only here bypassed
        context = browser.new_context(viewport=viewport, bypass_csp=True, **options)
        contexts.append(context)
        return ViewerPage(context.new_page(), live_twin.url).open(query)

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("mode", MODES)
def test_axe_finds_nothing_serious(page_at, mode, lang, viewport) -> None:
    if not AXE.is_file():
        pytest.fail("axe-core is not installed in viewer/web/node_modules: run `make install`")
    v = page_at(f"mode={mode}&lang={lang}&tour=3&sel=fish-head", VIEWPORTS[viewport])
    v.wait_ready("window.twin.tour && window.twin.tour.step === 3 && !window.twin.tour.flying")
    v.page.wait_for_function("() => document.querySelector('#card dl')")
    assert v.js("document.documentElement.lang") == ("zh-CN" if lang == "zh" else "en")
    v.page.add_script_tag(path=str(AXE))
    assert v.page.evaluate(RUN_AXE) == []


def _focus(v: ViewerPage, selector: str, limit: int = 40) -> None:
    """Press Tab until ``selector`` has the focus (it must be reachable by keyboard)."""
    for _ in range(limit):
        if v.js(f"document.activeElement.matches({selector!r})"):
            return
        v.page.keyboard.press("Tab")
    raise AssertionError(f"{selector} is not reachable with Tab")


def test_modes_slider_and_search_work_from_the_keyboard(page_at) -> None:
    v = page_at("mode=visitor&lang=en&at=2024-01-01", VIEWPORTS["desktop"])
    _focus(v, "#modes button[aria-selected=true]")
    outline = v.js("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # a visible focus
    v.page.keyboard.press("ArrowRight")
    v.page.wait_for_function("() => window.twin.mode === 'leasing'")
    _focus(v, "#search-input")
    v.page.keyboard.type("data center")
    v.page.keyboard.press("Enter")
    v.page.wait_for_function("() => window.twin.selected === 'data-centre'")
    _focus(v, "#time")
    v.page.keyboard.press("ArrowRight")
    v.page.wait_for_function("() => window.twin.at === '2024-01-02'")
    assert v.js("document.querySelector('#time').getAttribute('aria-valuetext')") == "2024-01-02"
    _focus(v, "#card .close")
    v.page.keyboard.press("Escape")  # the card closes from the keyboard
    v.page.wait_for_function("() => window.twin.selected === null")
    _focus(v, "#tour-start")
    v.page.keyboard.press("Enter")
    v.wait_ready("window.twin.tour.step === 1")
