"""Baselines and the S-curve in the viewer (#20 part 3), in real headless Chromium against a
real `twin serve` of the bundled campus (a log of its own: a baseline is saved on the
campus's own stages, then one stage is rescheduled): the Gantt chart draws the chosen
baseline's bars under the current ones, with a legend entry and the variance in the tips; the
construction panel draws the S-curve (planned against actual, the SPI, the slider's day) for
the campus, the fish or the selected building, as the API answers it. Desktop 1280×800 and
phone 390×844, English and Chinese; screenshots in the test's directory (``TWIN_SHOTS=DIR``
keeps them)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from live_server import start_twin, stop_twin
from viewer_browser import VIEWPORT, ViewerPage

from twin.auth import TokenStore
from twin.eventlog import open_store

PHONE = {"width": 390, "height": 844}
SIZES = [(VIEWPORT, "en"), (VIEWPORT, "zh"), (PHONE, "en"), (PHONE, "zh")]
IDS = ["desktop-en", "desktop-zh", "phone-en", "phone-zh"]
API = "/api/v1/construction"
SLIP = 12
INSIDE = """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
  return r.left >= 0 && r.top >= 0 && r.right <= innerWidth + 0.5 && r.bottom <= innerHeight + 0.5; }"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict]]:
    """A writable twin: baseline ``contract`` saved, then one stage not begun moved SLIP days
    later. Yields the URL and that stage's activity."""
    workdir = tmp_path_factory.mktemp("baselines")
    db = workdir / "twin.db"
    live = start_twin(workdir, "--db", str(db))
    with open_store(f"sqlite:///{db}") as store:
        token = TokenStore(store.engine).create("construction", "site-manager")
    auth = {"Authorization": f"Bearer {token}"}
    try:
        with httpx.Client(base_url=live.url, timeout=120) as c:
            saved = c.post(f"{API}/schedule/baselines", json={"name": "contract"}, headers=auth)
            assert saved.status_code == 201, saved.text
            acts = c.get(f"{API}/schedule").json()["activities"]
            ahead = next(
                a
                for a in acts
                if a["building"] == "fish-head-t1" and a["stage"] and not a["actual_start"]
            )
            later = {
                k: (date.fromisoformat(ahead[f]) + timedelta(days=SLIP)).isoformat()
                for k, f in (("planned_start", "start"), ("planned_end", "finish"))
            }
            moved = c.post(
                f"{API}/buildings/{ahead['building']}/stages/{ahead['stage']}/reschedule",
                json={**later, "reason": "permit"},
                headers=auth,
            )
            assert moved.status_code == 200, moved.text
        yield live.url, ahead
    finally:
        stop_twin(live)


@pytest.fixture
def open_page(browser: Any, site: tuple[str, dict]):
    contexts: list[Any] = []

    def opener(query: str, size: dict) -> ViewerPage:
        phone = size == PHONE
        context = browser.new_context(viewport=size, is_mobile=phone, has_touch=phone)
        contexts.append(context)
        return ViewerPage(context.new_page(), site[0]).open(query)

    yield opener
    for context in contexts:
        context.close()


def _shot(tmp_path: Path, what: str, size: dict, lang: str) -> Path:
    where = Path(os.environ.get("TWIN_SHOTS", tmp_path))
    where.mkdir(parents=True, exist_ok=True)
    kind = "desktop" if size == VIEWPORT else "phone"
    return where / f"viewer-schedule-{what}-{kind}-{lang}.png"


@pytest.mark.parametrize(("size", "lang"), SIZES, ids=IDS)
def test_the_gantt_draws_a_chosen_baseline(open_page, site, tmp_path, size, lang) -> None:
    _, ahead = site
    v = open_page(f"mode=construction&lang={lang}", size)
    if size == PHONE:
        v.page.tap("#sheet-toggle")
    v.page.click("#gantt-open")
    v.page.wait_for_selector("#gantt .gantt-svg .bar")
    assert v.page.locator("#gantt .gantt-svg .baseline").count() == 0  # none by default
    options = v.js("[...document.querySelectorAll('#gantt-baseline option')].map((o) => o.value)")
    assert options == ["", "contract"]
    v.page.select_option("#gantt-baseline", "contract")
    v.page.wait_for_selector("#gantt .gantt-svg .baseline")
    bars = v.page.locator("#gantt .gantt-svg .bar").count()
    assert v.page.locator("#gantt .gantt-svg .baseline").count() == bars  # every activity
    legend = v.page.inner_text("#gantt .gantt-legend")
    assert ("基线 contract" if lang == "zh" else "Baseline contract") in legend
    assert "baseline=contract" in v.page.get_attribute("#gantt .files a", "href")
    # the moved stage: its baseline bar SLIP days left of the current one, the tip says so
    v.page.select_option("#gantt-building", ahead["building"])
    gap = v.js(
        f"""(() => {{ const q = (c) => document.querySelector(`#gantt .gantt-svg .${{c}}[data-activity="{ahead["id"]}"]`);
        const b = q('bar').getBoundingClientRect(), u = q('baseline').getBoundingClientRect();
        return {{ left: b.left - u.left, below: u.top - b.top }}; }})()"""
    )
    assert gap["left"] > 0 and gap["below"] > 0, gap
    bar = v.page.locator(f'#gantt .gantt-svg .bar[data-activity="{ahead["id"]}"]')
    bar.hover()
    v.page.wait_for_selector("#gantt-tip:not([hidden])")
    tip = v.page.inner_text("#gantt-tip")
    assert f"+{SLIP}" in tip and ("偏差" if lang == "zh" else "Variance") in tip, tip
    assert v.page.evaluate(INSIDE, "#gantt-tip")
    v.page.screenshot(path=_shot(tmp_path, "baseline", size, lang))
    v.page.select_option("#gantt-baseline", "")
    v.page.wait_for_function("() => document.querySelector('#gantt').dataset.baseline === ''")
    assert v.page.locator("#gantt .gantt-svg .baseline").count() == 0
    assert v.errors == []


@pytest.mark.parametrize(("size", "lang"), SIZES, ids=IDS)
def test_the_s_curve_in_construction_mode(open_page, site, tmp_path, size, lang) -> None:
    url, _ = site
    if size == PHONE:  # the building's card would cover the sheet: the building is chosen
        v = open_page(f"mode=construction&lang={lang}", size)
        v.page.tap("#sheet-toggle")
        v.page.wait_for_selector("#scurve .scurve-svg polyline.actual")
        assert v.page.input_value("#scurve-scope") == "campus"  # nothing selected
        v.page.select_option("#scurve-scope", "fish-head-t1")
        v.page.wait_for_function(
            "() => document.querySelector('#scurve').dataset.scope === 'fish-head-t1'"
        )
    else:  # the selected building by default
        v = open_page(f"mode=construction&lang={lang}&sel=fish-head-t1", size)
        v.page.wait_for_selector("#scurve .scurve-svg polyline.actual")
        assert v.page.input_value("#scurve-scope") == "fish-head-t1"
    at = v.js("window.twin.at")
    # the API's numbers, one derivation
    api = httpx.get(
        f"{url}{API}/s-curve", params={"scope": "fish-head-t1", "at": at}, timeout=60
    ).json()
    assert v.page.get_attribute("#scurve", "data-spi") == str(api["spi"])
    text = v.page.inner_text("#scurve")
    words = ("计划", "实际", "进度绩效指数") if lang == "zh" else ("Planned", "Actual", "SPI")
    assert all(w in text for w in words), text
    assert f"{api['spi']:.2f}" in text
    assert v.page.locator("#scurve .scurve-svg .today").count() == 1
    assert v.page.locator("#scurve .scurve-svg polyline.planned").count() == 1
    v.page.locator("#scurve").scroll_into_view_if_needed()
    assert v.page.evaluate(INSIDE, "#scurve .scurve-svg")
    width = v.js("document.querySelector('#scurve .scurve-svg').getBoundingClientRect().width")
    assert width >= 250, width  # readable: the panel's width
    v.page.screenshot(path=_shot(tmp_path, "s-curve", size, lang))
    v.page.select_option("#scurve-scope", "fish")
    v.page.wait_for_function("() => document.querySelector('#scurve').dataset.scope === 'fish'")
    fish = httpx.get(f"{url}{API}/s-curve", params={"scope": "fish", "at": at}, timeout=60).json()
    assert v.page.get_attribute("#scurve", "data-spi") == str(fish["spi"])
    # the slider moves: the chosen scope stays, the curve is as known on the new day
    v.page.evaluate(
        """(day) => { const input = document.querySelector('#time');
        input.value = Math.round((Date.parse(day + 'T00:00:00Z') - Date.parse('2019-01-01T00:00:00Z')) / 864e5);
        input.dispatchEvent(new Event('input')); }""",
        "2024-09-12",
    )
    v.wait_ready("window.twin.at === '2024-09-12'")
    v.page.wait_for_selector("#scurve[data-scope='fish'] .scurve-svg")
    then = httpx.get(
        f"{url}{API}/s-curve", params={"scope": "fish", "at": "2024-09-12"}, timeout=60
    ).json()
    v.page.wait_for_function(
        "(spi) => document.querySelector('#scurve').dataset.spi === spi", arg=str(then["spi"])
    )
    assert v.page.input_value("#scurve-scope") == "fish"
    assert v.errors == []
