"""The facilities mode's rack-row heat map and metric chart in headless Chromium, on the worked
scenario (tests/capacity_scenario.py), with an operations token set in Settings: cells and the
data centre's floors take the colours of the API's load figures, a legend names them, and a
click on a row or a facility opens its metric history as an SVG chart. Screenshots at desktop
and phone size in English and Chinese go to the test's directory (and, for the docs,
``docs/images/viewer-heatmap.png`` when ``TWIN_WRITE_DOC_IMAGES=1``)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import httpx
import pytest
from capacity_scenario import post_scenario
from viewer_browser import ViewerPage

from twin.auth import TokenStore
from twin.eventlog import open_store

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
DOC_IMAGE = Path(__file__).resolve().parents[2] / "docs" / "images" / "viewer-heatmap.png"


@pytest.fixture(scope="module")
def scenario_twin(tmp_path_factory):
    """A `twin serve` holding the worked scenario, and an operations token for it."""
    from live_server import start_twin, stop_twin

    workdir = tmp_path_factory.mktemp("viewer-heat")
    db = workdir / "twin.db"
    live = start_twin(workdir, "--db", str(db))
    with open_store(f"sqlite:///{db}") as store:
        ops = TokenStore(store.engine).create("operations", "heat-ops")
        leasing = TokenStore(store.engine).create("leasing", "heat-leasing")
    with httpx.Client(base_url=live.url, timeout=120) as client:
        post_scenario(
            client, {"Authorization": f"Bearer {ops}"}, {"Authorization": f"Bearer {leasing}"}
        )
    yield live, ops
    stop_twin(live)


def _open(browser, live, token: str | None, query: str, size: str) -> tuple[ViewerPage, object]:
    context = browser.new_context(viewport=SIZES[size], is_mobile=size == "phone")
    if token:  # as Settings keeps it: this tab only
        context.add_init_script(f"sessionStorage.setItem('twin.leasingToken', '{token}')")
    return ViewerPage(context.new_page(), live.url).open(query), context


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_heat_map_colours_and_chart_appear(browser, scenario_twin, tmp_path, size, lang) -> None:
    live, token = scenario_twin
    v, context = _open(browser, live, token, f"mode=facilities&lang={lang}", size)
    try:
        cells = v.page.locator(".heat-cell")
        assert cells.count() == 120  # 8 halls × 15 rows
        colour = "(id) => document.querySelector(`.heat-cell[data-facility='${id}']`).dataset.color"
        assert v.page.evaluate(colour, "dc/hall-1/row-05") == "#c2362b"  # 190/200 kW: ≥ 80 %
        assert v.page.evaluate(colour, "dc/hall-6/row-01") == "#f28e2b"  # 120/200 kW: 60-80 %
        assert v.page.evaluate(colour, "dc/hall-7/row-01") == "#c9ced4"  # no reading
        floors = v.js("window.twin.heatFloors")
        red, grey = "#c2362b", "#c9ced4"  # a floor takes its busiest hall's colour
        assert floors == {
            "data-centre/L02": red,  # halls 1 and 2: 95 %
            "data-centre/L03": red,
            "data-centre/L04": red,  # hall 5 at 95 % outweighs hall 6 at 60 %
            "data-centre/L05": grey,  # halls 7 and 8: no reading
        }
        for floor, hex_ in floors.items():
            assert v.js(f"window.twin.colorOf('{floor}')") == hex_
        legend = v.page.inner_text("#legend")
        assert ("Load ≥ 80%" if lang == "en" else "负载 ≥ 80%") in legend
        if size == "phone":  # the longer legend stays clear of the opened sheet
            v.page.click("#sheet-toggle")
            legend = v.page.locator("#legend-box").bounding_box()
            assert legend["y"] + legend["height"] <= v.page.locator("#panel").bounding_box()["y"]
        else:  # the data centre in view, its floors coloured by their halls' load
            v.page.evaluate("window.twin.select('data-centre')")
        v.page.locator(".heat-cell[data-facility='dc/hall-6/row-01']").click()
        v.page.wait_for_selector("#metric-chart:not([hidden]) .metric-svg polyline")
        # Today's chart is the 24 hours up to now, as the API answers without `end`, at any hour
        # (the campus day of UTC+8 begins at 16:00 UTC: readings of 3 hours ago are yesterday's).
        day = httpx.get(
            f"{live.url}/api/v1/facilities/metrics",
            params={"facility": "dc/hall-6/row-01", "metric": "load_kw"},
            headers={"Authorization": f"Bearer {token}"},
        ).json()
        assert len(day["points"]) >= 2  # hourly readings (posted at the session's start)
        assert int(v.page.get_attribute("#metric-chart", "data-points")) == len(day["points"])
        assert v.page.get_attribute("#metric-chart", "data-metric") == "load_kw"
        shot = tmp_path / f"heatmap-{size}-{lang}.png"
        v.page.screenshot(path=str(shot))
        keep = os.environ.get("TWIN_SCREENSHOTS")
        if keep:
            shutil.copy(shot, Path(keep) / shot.name)
        if size == "desktop" and lang == "en" and os.environ.get("TWIN_WRITE_DOC_IMAGES") == "1":
            shutil.copy(shot, DOC_IMAGE)
        v.page.locator("#metric-chart .close").click()
        assert v.page.locator("#metric-chart").is_hidden()
        assert v.errors == []
    finally:
        context.close()


def test_a_click_on_a_facility_opens_its_chart(browser, scenario_twin) -> None:
    live, token = scenario_twin
    v, context = _open(browser, live, token, "mode=facilities&lang=en", "desktop")
    try:
        v.page.locator("#mode-body button[data-facility='feed-a']").click()
        v.page.wait_for_selector("#metric-chart:not([hidden]) .metric-svg polyline")
        assert v.page.inner_text("#metric-chart .id") == "feed-a"
        assert int(v.page.get_attribute("#metric-chart", "data-points")) >= 2
        v.page.select_option("#metric-chart select", "voltage_kv")
        v.page.wait_for_selector("#metric-chart[data-metric='voltage_kv'] .metric-svg text.empty")
        v.page.select_option("#metric-chart select", "load_kw")
        v.page.wait_for_selector("#metric-chart[data-metric='load_kw'] .metric-svg polyline")
        v.page.evaluate(  # back to 2024 on the time bar: the open chart follows, no readings then
            "() => { const s = document.querySelector('#time');"
            " s.value = String(Number(s.value) - 900); s.dispatchEvent(new Event('input')); }"
        )
        v.page.wait_for_selector("#metric-chart[data-metric='load_kw'] .metric-svg text.empty")
        assert v.errors == []
    finally:
        context.close()


def test_without_a_token_no_heat_map_and_the_chart_asks_for_one(browser, scenario_twin) -> None:
    live, _ = scenario_twin
    v, context = _open(browser, live, None, "mode=facilities&lang=en", "desktop")
    try:
        assert v.page.locator(".heat-cell").count() == 0
        assert "Load" not in v.page.inner_text("#legend")
        v.page.locator("#mode-body button[data-facility='feed-a']").click()
        v.page.wait_for_selector("#metric-chart:not([hidden]) .status.error")
        assert "operations token" in v.page.inner_text("#metric-chart")
    finally:
        context.close()
