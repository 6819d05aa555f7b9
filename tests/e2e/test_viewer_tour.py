"""The guided tour, dated words and search variants in headless Chromium on a real `twin serve`."""

from __future__ import annotations

import pytest

TOUR_READY = "window.twin.tour && window.twin.tour.step === {n} && !window.twin.tour.flying"


def _at_step(v, n: int) -> None:
    v.wait_ready(TOUR_READY.format(n=n))


def test_stepping_through_the_tour_moves_camera_slider_and_url(viewer) -> None:
    v = viewer("lang=en")
    v.page.click("#tour-start")
    _at_step(v, 1)
    assert v.page.locator("#tour-title").inner_text() == "The park and its core"
    assert v.js("window.twin.at") == "2023-10-27"  # a step about history moves the slider
    assert v.page.locator("#date").inner_text() == "2023-10-27"
    cameras = [v.js("window.twin.camera")]
    for n in range(2, 7):
        v.page.click("#tour-next")
        _at_step(v, n)
        cameras.append(v.js("window.twin.camera"))
        v.page.wait_for_function(f"() => location.search.includes('tour={n}')")
    assert len({tuple(round(x) for x in c) for c in cameras}) == 6  # six different flights
    assert "cross-border data service centre" in v.page.locator("#tour-title").inner_text()
    assert v.page.locator("#tour-next").is_disabled()
    v.page.click("#tour-prev")
    _at_step(v, 5)
    v.page.click("#tour-close")
    v.page.wait_for_function("() => !location.search.includes('tour=')")
    assert v.page.locator("#tour").is_hidden()
    assert not v.errors


def test_a_link_opens_its_step_in_chinese_with_dated_sources(viewer) -> None:
    v = viewer("tour=3&lang=zh")
    _at_step(v, 3)
    assert v.page.locator("#tour-title").inner_text() == "鱼头"
    text = v.page.locator("#tour-text").inner_text()
    assert "截至2024年9月" in text and "明年" not in text
    link = v.page.locator("#tour-sources a").first
    assert link.inner_text() == "Shanghai Municipal People's Government, 2024年9月12日"
    assert link.get_attribute("href") == "/facts/F5?lang=zh" and link.get_attribute("title") == "F5"
    assert v.js("window.twin.at") == "2024-09-12"
    v.page.click("#lang")  # the same step in English
    v.page.wait_for_function(
        "() => document.querySelector('#tour-title').textContent === 'The fish head'"
    )
    assert (
        "12 Sept 2024" in v.page.locator("#tour-sources").inner_text()
        or "12 Sep 2024" in v.page.locator("#tour-sources").inner_text()
    )
    assert not v.errors


@pytest.mark.parametrize(
    ("step", "lang", "words"),
    [("9", "en", "Tour step not found"), ("lobby", "zh", "未找到导览步骤")],
)
def test_a_bad_step_in_the_link_says_not_found(viewer, step, lang, words) -> None:
    v = viewer(f"tour={step}&lang={lang}")
    v.wait_ready(f"window.twin.tour && window.twin.tour.missing === '{step}'")
    assert v.page.locator("#tour-title").inner_text() == words
    assert v.page.locator("#tour-text[role=alert]").inner_text().endswith("1–6.")
    v.page.click("#tour-next")  # and the tour starts from its first step
    _at_step(v, 1)


def test_the_tour_is_driven_by_the_keyboard(viewer) -> None:
    v = viewer("lang=en")
    v.page.focus("#tour-start")
    v.page.keyboard.press("Enter")
    _at_step(v, 1)
    assert v.js("document.activeElement.id") == "tour-title"
    v.page.keyboard.press("ArrowRight")
    _at_step(v, 2)
    v.page.keyboard.press("Escape")
    v.page.wait_for_function("() => document.querySelector('#tour').hidden")
    assert v.js("document.activeElement.id") == "tour-start"


def test_autoplay_advances_and_reduced_motion_turns_it_off(browser, live_twin) -> None:
    from viewer_browser import VIEWPORT, ViewerPage

    context = browser.new_context(viewport=VIEWPORT, reduced_motion="reduce")
    try:
        v = ViewerPage(context.new_page(), live_twin.url).open("tour=2&lang=en")
        _at_step(v, 2)
        assert v.page.locator("#tour-auto").is_disabled()
    finally:
        context.close()
    context = browser.new_context(viewport=VIEWPORT)
    try:
        v = ViewerPage(context.new_page(), live_twin.url).open("tour=5&lang=en")
        _at_step(v, 5)
        v.page.click("#tour-auto")
        assert v.js("window.twin.tour.autoplay")
        v.page.wait_for_function("() => window.twin.tour.step === 6", timeout=30_000)
    finally:
        context.close()


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("data center", "data-centre"),
        ("IDC", "data-centre"),
        ("数据中心", "data-centre"),
        ("office building", "office-building"),
        ("办公楼", "office-building"),
    ],
)
def test_search_understands_variants_and_prefers_buildings(viewer, text, found) -> None:
    v = viewer("lang=en")
    assert v.js(f"window.twin.find({text!r})") == found


def test_the_fish_head_card_says_land_and_floor_space(viewer) -> None:
    v = viewer("lang=en&sel=fish-head")
    v.page.wait_for_function("() => document.querySelector('#card dl')")
    card = v.page.locator("#card").inner_text()
    assert "Land area" in card and "239,036 m²" in card
    assert "Floor space" in card and "≈ 400,0" in card
    assert "Shanghai Municipal People's Government" in card
