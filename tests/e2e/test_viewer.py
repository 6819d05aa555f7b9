"""The browser client in real headless Chromium against a real `twin serve`: it loads without
errors and draws the campus, picks units, travels in time, speaks two languages and restores
a shared view from its URL."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import httpx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

UNIT = "office-building/L12/U03"
CANVAS_PIXELS = """() => {
  const canvas = document.querySelector('#view canvas');
  const copy = Object.assign(document.createElement('canvas'), {width: canvas.width, height: canvas.height});
  const g = copy.getContext('2d');
  g.drawImage(canvas, 0, 0);
  const data = g.getImageData(0, 0, copy.width, copy.height).data;
  const colours = new Set();
  let samples = 0, opaque = 0, teal = 0;
  for (let i = 0; i < data.length; i += 4 * 101) {
    samples++;
    if (data[i + 3] > 0) { opaque++; colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]); }
    if (data[i + 2] > data[i] + 30 && data[i + 1] > data[i] + 20) teal++;
  }
  return {samples, opaque, teal, colours: colours.size};
}"""


def slider_to(v, day: str) -> None:
    """Drag the time slider to ``day`` (sets its value and fires the input event, as a drag)."""
    index = (date.fromisoformat(day) - date(2019, 1, 1)).days
    v.page.eval_on_selector(
        "#time",
        "(s, i) => { s.value = i; s.dispatchEvent(new Event('input', {bubbles: true})); }",
        index,
    )
    v.wait_ready(f"window.twin.at === '{day}'")


def test_page_loads_without_console_errors_and_draws_the_campus(viewer) -> None:
    v = viewer()
    assert v.js("window.twin.mode") == "visitor"
    assert v.js("window.twin.colorOf('fish-head')") == "#2f86a0"  # the fish, in teal
    pixels = v.js(CANVAS_PIXELS)
    assert pixels["opaque"] > 0.95 * pixels["samples"]  # ground all the way to the horizon
    assert pixels["colours"] > 50  # shaded buildings, fish, park: not a blank canvas
    assert pixels["teal"] > 0.05 * pixels["samples"]  # the fish fills a good part of the view
    labels = v.page.locator(".poi-label").all_inner_texts()
    assert "Fish head" in labels and len(labels) == 4
    assert v.errors == []


def test_clicking_a_unit_opens_its_card(viewer) -> None:
    v = viewer("mode=leasing")
    v.js(f"window.twin.select('{UNIT}')")  # fly there: the unit's side faces the camera
    v.page.click("#card .close")
    v.page.wait_for_function("() => window.twin.selected === null")
    point = v.js(f"window.twin.screenPoint('{UNIT}')")
    v.page.mouse.click(point["x"], point["y"])
    v.page.wait_for_function(f"() => document.querySelector('#card').dataset.feature === '{UNIT}'")
    card = v.page.inner_text("#card")
    assert UNIT in card and "L12" in card and "m²" in card
    assert "Ready" in card and "Office building" in card
    assert "Internal" not in card  # no leasing token: public fields only
    assert v.js("window.twin.selected") == UNIT
    assert v.errors == []


def test_internal_fields_need_a_leasing_token_kept_out_of_the_url(viewer, live_tokens) -> None:
    v = viewer(f"mode=leasing&sel={UNIT}")
    v.page.wait_for_selector("#card:not([hidden])")
    v.page.click("#settings-toggle")
    v.page.fill("#token", live_tokens["leasing"])
    v.page.click("#token-form button[type=submit]")
    v.page.wait_for_selector("#card .internal")
    assert "Status" in v.page.inner_text("#card .internal")
    assert live_tokens["leasing"] not in v.page.url
    assert v.js("sessionStorage.getItem('twin.leasingToken')") == live_tokens["leasing"]


def test_slider_to_2023_changes_the_fish_head_colour_in_construction_mode(viewer) -> None:
    v = viewer("mode=construction")
    now = v.js("window.twin.colorOf('fish-head-t1')")
    slider_to(v, "2023-01-01")
    then = v.js("window.twin.colorOf('fish-head-t1')")
    assert re.fullmatch(r"#[0-9a-f]{6}", then) and then != now
    assert v.page.inner_text("#date") == "2023-01-01"
    assert "at=2023-01-01" in v.page.url
    assert v.errors == []


def test_the_language_switch_changes_every_label(viewer) -> None:
    v = viewer("lang=en")
    assert v.page.inner_text("[data-mode=visitor]") == "Visit"
    v.page.click("#lang")
    v.page.wait_for_function("() => document.documentElement.lang === 'zh-CN'")
    assert v.page.inner_text("[data-mode=visitor]") == "参观"
    assert v.page.inner_text("h1") == "信息飞鱼"
    assert "鱼头" in v.page.locator(".poi-label").all_inner_texts()
    assert "信息飞鱼" in v.page.inner_text("#legend")
    assert v.page.get_attribute("#search-input", "placeholder") == "搜索楼宇、单元或编号"
    v.page.click("#lang")
    v.page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert v.page.inner_text("[data-mode=visitor]") == "Visit"


def test_a_shared_url_restores_the_view(viewer) -> None:
    first = viewer("mode=construction&lang=zh")
    slider_to(first, "2023-06-30")
    first.js("window.twin.select('data-centre')")
    first.page.wait_for_function("() => location.search.includes('sel=data-centre')")
    first.page.wait_for_function("() => location.search.includes('cam=')")
    shared, camera = first.page.url, first.js("window.twin.camera")

    second = viewer(shared)
    state = second.js("({mode: twin.mode, at: twin.at, lang: twin.lang, selected: twin.selected})")
    assert state == {
        "mode": "construction",
        "at": "2023-06-30",
        "lang": "zh",
        "selected": "data-centre",
    }
    assert second.js("window.twin.camera") == camera
    second.page.wait_for_selector("#card:not([hidden])")
    assert "数据中心" in second.page.inner_text("#card")
    assert second.errors == []


def test_search_by_chinese_name_flies_to_the_building(viewer) -> None:
    v = viewer()
    before = v.js("window.twin.camera")
    v.page.fill("#search-input", "一楼观全港")
    v.page.press("#search-input", "Enter")
    v.page.wait_for_function("() => window.twin.selected === 'office-building'")
    v.page.wait_for_function(
        "(before) => JSON.stringify(window.twin.camera) !== JSON.stringify(before)", arg=before
    )
    assert v.page.locator("#card").is_visible()


@pytest.fixture(scope="module")
def writable_twin(tmp_path_factory):
    """A `twin serve` of its own that this module may write to, and an operations token."""
    from live_server import start_twin, stop_twin

    from twin.auth import TokenStore
    from twin.eventlog import open_store

    workdir = tmp_path_factory.mktemp("viewer-live")
    live = start_twin(workdir, "--db", str(workdir / "twin.db"))
    with open_store(f"sqlite:///{workdir / 'twin.db'}") as store:
        token = TokenStore(store.engine).create("operations", "test-viewer")
    yield live, token
    stop_twin(live)


def test_facility_colours_follow_the_live_stream(browser, writable_twin) -> None:
    from viewer_browser import VIEWPORT, ViewerPage

    live, token = writable_twin
    context = browser.new_context(viewport=VIEWPORT)
    try:
        v = ViewerPage(context.new_page(), live.url).open("mode=facilities")
        before = v.js("window.twin.colorOf('service-centre')")
        reading = {
            "facility": "cross-border-centre",
            "status": "fault",
            "observed_at": datetime.now(UTC).isoformat(),
        }
        answer = httpx.post(
            f"{live.url}/api/v1/facilities/readings",
            json={"readings": [reading]},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert answer.json()["accepted"] == 1, answer.text
        v.page.wait_for_function(
            f"() => window.twin.ready && window.twin.colorOf('service-centre') !== '{before}'",
            timeout=60_000,
        )
        assert v.errors == []
    finally:
        context.close()


def test_a_link_to_an_unknown_feature_says_not_found_in_both_languages(viewer) -> None:
    v = viewer("sel=nope&lang=en")
    v.page.wait_for_selector("#card[data-missing='true']:not([hidden])")
    assert v.page.inner_text("#card h2") == "Not found"
    assert "nope" in v.page.inner_text("#card .id")
    assert "no building, floor or unit" in v.page.inner_text("#card")
    v.page.click("#lang")
    v.page.wait_for_function("() => document.querySelector('#card h2').textContent === '未找到'")
    v.js("window.twin.select('data-centre')")  # a real feature afterwards: a real card
    v.page.wait_for_function("() => document.querySelector('#card').dataset.feature === 'data-centre'")
    assert v.page.get_attribute("#card", "data-missing") is None
    assert "数据中心" in v.page.inner_text("#card h2")


def test_construction_mode_counts_and_tints_late_work_not_begun(viewer) -> None:
    """On 2026-06-01 the fish body and tail blocks should have started their foundations: the
    panel counts them late with the buildings under way, and their ghosts are tinted late."""
    v = viewer("mode=construction&at=2026-06-01")
    progress = v.js(
        "fetch('/api/v1/scene/progress?at=2026-06-01').then((r) => r.json()).then((b) => b.buildings)"
    )
    late = sum(1 for p in progress.values() if p["late"])
    assert late >= 12 + 1 and not progress["fish-body-b1"]["begun"]
    panel = v.page.inner_text("#panel")
    assert re.search(rf"Buildings late\s*{late}\b", panel), panel
    assert v.js("window.twin.colorOf('fish-body-b1')") == "#9a3f52"  # a late ghost
    v.js("window.twin.select('fish-head-t1')")
    v.page.wait_for_selector("#card:not([hidden])")
    card = v.page.inner_text("#card")
    tower = progress["fish-head-t1"]
    shown = re.search(r"(\d+)% complete", card)
    assert shown and abs(int(shown.group(1)) - tower["stage_percent"]) <= 0.5, card
    assert ("(estimate)" in card) == (tower["percent_basis"] == "estimate")
    assert v.errors == []
