"""The schedule in the viewer (#20 part 4), in real headless Chromium against a real `twin
serve` of the bundled campus: a building's card in construction mode lists its stages with
planned, forecast and actual dates, percent and slip (as the construction API gives them); a
click in construction mode selects the building, not a unit; the Gantt chart opens from the
construction panel, readable (colours, labels that fit, the slider's day, tips inside the
window); past today the forecast raises the buildings storey by storey. Desktop 1280×800 and
phone 390×844, English and Chinese; screenshots are written to the test's directory
(``TWIN_SHOTS=DIR`` keeps them, e.g. for docs/images)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from viewer_browser import VIEWPORT, ViewerPage

from assets.clock import local_date

PHONE = {"width": 390, "height": 844}
SIZES = [(VIEWPORT, "en"), (VIEWPORT, "zh"), (PHONE, "en"), (PHONE, "zh")]
IDS = ["desktop-en", "desktop-zh", "phone-en", "phone-zh"]
BUILDING = "office-building"
UNIT = "office-building/L12/U03"
INSIDE = """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
  return r.left >= 0 && r.top >= 0 && r.right <= innerWidth + 0.5 && r.bottom <= innerHeight + 0.5; }"""


@pytest.fixture
def open_page(browser: Any, live_twin: Any):
    contexts: list[Any] = []

    def opener(query: str, size: dict) -> ViewerPage:
        phone = size == PHONE
        context = browser.new_context(viewport=size, is_mobile=phone, has_touch=phone)
        contexts.append(context)
        return ViewerPage(context.new_page(), live_twin.url).open(query)

    yield opener
    for context in contexts:
        context.close()


def _name(size: dict, lang: str) -> str:
    return f"{'desktop' if size == VIEWPORT else 'phone'}-{lang}"


def _shot(tmp_path: Path, what: str, size: dict, lang: str) -> Path:
    where = Path(os.environ.get("TWIN_SHOTS", tmp_path))
    where.mkdir(parents=True, exist_ok=True)
    return where / f"viewer-schedule-{what}-{_name(size, lang)}.png"


@pytest.mark.parametrize(("size", "lang"), SIZES, ids=IDS)
def test_a_buildings_card_lists_its_stages(open_page, live_twin, tmp_path, size, lang) -> None:
    api = httpx.get(f"{live_twin.url}/api/v1/construction/buildings/fish-head-t1", timeout=60)
    stages = api.json()["stages"]
    v = open_page(f"mode=construction&lang={lang}&sel=fish-head-t1", size)
    v.page.wait_for_selector("#card .stages .stage-item")
    items = v.page.locator("#card .stage-item")
    assert items.count() == len(stages) == 7
    shown = [items.nth(i).get_attribute("data-stage") for i in range(items.count())]
    assert shown == [s["stage"] for s in stages]
    text = v.page.inner_text("#card .stages")
    for s in stages:  # the API's dates, one derivation
        assert f"{s['planned_start']} → {s['planned_end']}" in text
        if s["actual_start"]:
            assert s["actual_start"] in text
        if s["status"] != "completed" and s["forecast_end"]:
            assert s["forecast_end"] in text
    words = (
        ("计划", "预测", "实际", "竣工验收")
        if lang == "zh"
        else ("Planned", "Forecast", "Actual", "Completion acceptance")
    )
    assert all(w in text for w in words)
    late = [s for s in stages if s["slip_days"]]
    assert late and all(
        f"+{s['slip_days']}" in text.replace(",", "") for s in late if s["slip_days"] > 0
    )
    v.page.locator("#card .stages").scroll_into_view_if_needed()
    v.page.screenshot(path=_shot(tmp_path, "card", size, lang))
    assert v.errors == []


def test_a_click_in_construction_mode_selects_the_building(open_page) -> None:
    v = open_page("mode=leasing&lang=en", VIEWPORT)
    v.js(f"window.twin.select('{UNIT}')")  # fly there so the unit faces the camera
    v.page.click("#card .close")
    v.page.wait_for_function("() => window.twin.selected === null")
    point = v.js(f"window.twin.screenPoint('{UNIT}')")
    v.page.mouse.click(point["x"], point["y"])
    v.page.wait_for_function(f"() => window.twin.selected === '{UNIT}'")  # leasing: the unit
    v.page.click("#card .close")
    v.page.click("#modes button[data-mode=construction]")
    v.wait_ready("window.twin.mode === 'construction'")
    v.page.mouse.click(point["x"], point["y"])
    v.page.wait_for_function(f"() => window.twin.selected === '{BUILDING}'")
    v.page.wait_for_selector("#card .stages .stage-item")
    assert v.page.get_attribute("#card", "data-feature") == BUILDING
    assert v.errors == []


@pytest.mark.parametrize(("size", "lang"), SIZES, ids=IDS)
def test_the_gantt_opens_from_the_construction_panel(open_page, tmp_path, size, lang) -> None:
    v = open_page(f"mode=construction&lang={lang}", size)
    if size == PHONE:
        v.page.tap("#sheet-toggle")
    v.page.click("#gantt-open")
    v.page.wait_for_selector("#gantt .gantt-svg .bar")
    assert v.page.evaluate(INSIDE, "#gantt")
    bars = v.page.locator("#gantt .gantt-svg .bar")
    kinds = v.js(
        "[...document.querySelectorAll('#gantt .gantt-svg .bar')].map((b) => b.getAttribute('class'))"
    )
    assert (
        bars.count() > 50
        and any("critical" in k for k in kinds)
        and any("done" in k for k in kinds)
    )
    fills = v.js(
        "['critical', 'float', 'done'].map((k) => getComputedStyle(document.querySelector(`#gantt .bar.${k}`)).fill)"
    )
    assert len(set(fills)) == 3, fills  # distinct colours
    # The slider's day: a dashed line down the rows, named on the axis that stays in view.
    assert v.page.locator("#gantt svg.gantt-svg:not(.gantt-axis) .today").count() == 1
    assert v.page.text_content("#gantt .gantt-axis .today-label") == v.js("window.twin.at")
    # Labels fit their column: cut with an ellipsis, whole in their title.
    fit = v.js(
        """[...document.querySelectorAll('#gantt .gantt-label')].every((l) =>
        l.getBoundingClientRect().right <= document.querySelector('#gantt').getBoundingClientRect().right && l.title.length > 0)"""
    )
    assert fit
    words = ("关键", "甘特图") if lang == "zh" else ("Critical", "Gantt")
    assert all(w in v.page.inner_text("#gantt") for w in words)
    # A tip for a bar far right stays inside the window.
    last = v.js(
        """(() => { const bars = [...document.querySelectorAll('#gantt .gantt-svg .bar')];
        const b = bars.reduce((a, c) => c.getBoundingClientRect().right > a.getBoundingClientRect().right ? c : a);
        b.scrollIntoView({block: 'center', inline: 'end'}); const r = b.getBoundingClientRect();
        return {x: Math.min(r.right - 1, innerWidth - 2), y: r.top + r.height / 2}; })()"""
    )
    v.page.mouse.move(last["x"], last["y"])
    v.page.wait_for_selector("#gantt-tip:not([hidden])")
    assert v.page.evaluate(INSIDE, "#gantt-tip")
    v.page.screenshot(path=_shot(tmp_path, "gantt", size, lang))
    # One building's rows: its seven stages.
    v.page.select_option("#gantt-building", "fish-head-t1")
    assert v.page.locator("#gantt .gantt-label:not(.gantt-heading)").count() == 7
    assert v.page.locator("#gantt .gantt-heading").count() == 1
    assert v.errors == []


@pytest.mark.parametrize(
    ("size", "lang"), [(VIEWPORT, "en"), (PHONE, "zh")], ids=["desktop-en", "phone-zh"]
)
def test_past_today_forecast_ghosts_fill_storey_by_storey(
    open_page, live_twin, tmp_path, size, lang
) -> None:
    today = local_date(datetime.now(UTC))
    card = httpx.get(
        f"{live_twin.url}/api/v1/construction/buildings/fish-body-b1", timeout=60
    ).json()
    structure = next(s for s in card["stages"] if s["stage"] == "structure")
    start = max(datetime.fromisoformat(structure["forecast_start"]).date(), today)
    end = datetime.fromisoformat(structure["forecast_end"]).date()
    middle = start + (end - start) / 2
    v = open_page(f"mode=construction&lang={lang}&at={middle.isoformat()}", size)
    mid = v.js("window.twin.storeys('fish-body-b1')")
    assert 0 < mid["forecast"] < mid["storeys"] and mid["standing"] < mid["forecast"], mid
    legend = v.page.inner_text("#legend-box")
    assert ("预测届时建成的楼层" if lang == "zh" else "Forecast storeys by this date") in legend
    v.page.screenshot(path=_shot(tmp_path, "forecast", size, lang))
    later = (middle + timedelta(days=(end - middle).days // 2)).isoformat()
    v.page.evaluate(  # the slider moves on, as a user drags it
        """(day) => { const input = document.querySelector('#time');
        input.value = Math.round((Date.parse(day + 'T00:00:00Z') - Date.parse('2019-01-01T00:00:00Z')) / 864e5);
        input.dispatchEvent(new Event('input')); }""",
        later,
    )
    v.wait_ready(f"window.twin.at === '{later}'")
    more = v.js("window.twin.storeys('fish-body-b1')")
    assert mid["forecast"] < more["forecast"] <= more["storeys"], (mid, more)
    v.page.screenshot(path=_shot(tmp_path, "forecast-later", size, lang))
    v.open(f"mode=construction&lang={lang}&at={today.isoformat()}")
    now = v.js("window.twin.storeys('fish-body-b1')")
    assert now["forecast"] == now["standing"]  # up to today: what stands, no forecast
    assert v.errors == []
