"""The facilities mode's active alarms in headless Chromium: severity and age in both
languages, new alarms arriving live from the stream, a click flying to the facility; pictures
at desktop and phone size in English and Chinese (``TWIN_ALARM_SHOTS``: where to keep them)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from live_server import start_twin, stop_twin
from viewer_browser import VIEWPORT, ViewerPage

PHONE = {"width": 390, "height": 844}
TOKEN_KEY = "twin.leasingToken"
ALARM = "#alarms button.alarm"


@pytest.fixture(scope="module")
def alarmed_twin(tmp_path_factory):
    """A server with a token of the operations role and feed A down for 2 hours."""
    from twin.auth import TokenStore
    from twin.eventlog import open_store

    workdir = tmp_path_factory.mktemp("viewer-alarms")
    live = start_twin(
        workdir, "--db", str(workdir / "twin.db"), env={"TWIN_ALARM_SWEEP_INTERVAL": "1"}
    )
    with open_store(f"sqlite:///{workdir / 'twin.db'}") as store:
        token = TokenStore(store.engine).create("operations", "shift-lead")
    now = datetime.now(UTC)
    ids = httpx.get(f"{live.url}/api/v1/facilities", timeout=30).json()["facilities"]
    up = [
        {
            "facility": f["id"],
            "status": "operational",
            "observed_at": (now - timedelta(hours=3)).isoformat(),
        }
        for f in ids
        if f["id"] != "cross-border-centre"
    ]
    down = {
        "facility": "feed-a",
        "status": "fault",
        "observed_at": (now - timedelta(hours=2)).isoformat(),
    }
    send(live, token, [*up, down])
    yield live, token
    stop_twin(live)


def send(live, token, readings):
    answer = httpx.post(
        f"{live.url}/api/v1/facilities/readings",
        json={"readings": readings},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert answer.status_code == 200 and not answer.json()["refused"], answer.text


def page_with_token(browser: Any, live: Any, token: str | None, viewport: dict, **extra: Any):
    context = browser.new_context(viewport=viewport, **extra)
    if token:
        context.add_init_script(f"sessionStorage.setItem('{TOKEN_KEY}', '{token}')")
    return context, ViewerPage(context.new_page(), live.url)


def shots_dir(tmp_path: Path) -> Path:
    where = Path(os.environ.get("TWIN_ALARM_SHOTS", tmp_path))
    where.mkdir(parents=True, exist_ok=True)
    return where


def test_active_alarms_live_with_severity_and_age_and_a_click_flies(
    browser, alarmed_twin, tmp_path
):
    live, token = alarmed_twin
    context, v = page_with_token(browser, live, token, VIEWPORT)
    try:
        v.open("mode=facilities&lang=en")
        v.page.wait_for_selector(ALARM, timeout=60_000)
        rows = v.page.locator(ALARM).all_inner_texts()
        assert any("Critical" in r and "2 h" in r for r in rows), rows  # feed A, 2 hours
        assert any("Major" in r for r in rows), rows  # the 2N halls on one feed
        v.page.wait_for_function(  # critical, 2 h unacknowledged: escalated by the sweep
            f"() => document.querySelector('{ALARM}').title.includes('escalation level 3')"
        )
        before = len(rows)
        send(
            live,
            token,
            [
                {
                    "facility": "feed-b",
                    "status": "fault",
                    "observed_at": datetime.now(UTC).isoformat(),
                }
            ],
        )
        v.page.wait_for_function(
            f"() => document.querySelectorAll('{ALARM}').length > {before}", timeout=30_000
        )  # from the stream: no reload
        fresh = v.page.locator(ALARM).all_inner_texts()
        assert any("0 min" in r for r in fresh), fresh
        v.page.screenshot(path=str(shots_dir(tmp_path) / "alarms-desktop-en.png"))
        camera = v.js("JSON.stringify(window.twin.camera)")
        v.page.locator(ALARM).first.click()
        v.page.wait_for_function("() => window.twin.selected === 'data-centre'", timeout=30_000)
        v.page.wait_for_function(
            f"() => JSON.stringify(window.twin.camera) !== {camera!r}", timeout=30_000
        )
        v.page.click("#lang")
        v.page.wait_for_function(
            "() => document.querySelector('#alarms h2').textContent === '活动告警'"
        )
        rows = v.page.locator(ALARM).all_inner_texts()
        assert any("紧急" in r and "小时" in r for r in rows), rows
        v.page.screenshot(path=str(shots_dir(tmp_path) / "alarms-desktop-zh.png"))
        assert v.errors == []
    finally:
        context.close()


def test_without_an_operations_token_the_list_says_what_it_needs(browser, alarmed_twin):
    live, _ = alarmed_twin
    context, v = page_with_token(browser, live, None, VIEWPORT)
    try:
        v.open("mode=facilities&lang=en")
        v.page.wait_for_function("() => document.querySelector('#alarms p')")
        assert "operations role" in v.page.inner_text("#alarms")
        assert v.page.locator(ALARM).count() == 0
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_on_a_phone_the_alarms_are_in_the_sheet(browser, alarmed_twin, tmp_path, lang):
    live, token = alarmed_twin
    context, v = page_with_token(browser, live, token, PHONE, is_mobile=True, has_touch=True)
    try:
        v.open(f"mode=facilities&lang={lang}")
        v.page.tap("#sheet-toggle")
        v.page.wait_for_function(
            "() => document.querySelector('#panel').classList.contains('open')"
        )
        v.page.wait_for_selector(ALARM, timeout=60_000)
        box = v.page.locator(ALARM).first.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5
        v.page.screenshot(path=str(shots_dir(tmp_path) / f"alarms-phone-{lang}.png"))
        assert v.errors == []
    finally:
        context.close()
