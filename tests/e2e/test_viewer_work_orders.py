"""Overdue work in the facilities mode, in real headless Chromium against a real `twin serve`:
the orders late at the date shown (worst priority first, late to start or to finish), none
before they were opened, a click selects the facility's building; in English and Chinese, on a
desktop and a phone (screenshots written to the test's directory, and looked at)."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
import pytest
from viewer_browser import VIEWPORT, ViewerPage

PHONE = {"width": 390, "height": 844}
LATER = (date.today() + timedelta(days=2)).isoformat()
BEFORE = (date.today() - timedelta(days=1)).isoformat()
SHOTS = "work-orders-{size}-{lang}.png"


@pytest.fixture(scope="module")
def orders(tmp_path_factory):
    """A twin of its own with three work orders: P1 on hall 2, P3 on feed B, and one done."""
    from live_server import start_twin, stop_twin

    from twin.auth import TokenStore
    from twin.eventlog import open_store

    workdir = tmp_path_factory.mktemp("viewer-work-orders")
    live = start_twin(workdir, "--db", str(workdir / "twin.db"))
    with open_store(f"sqlite:///{workdir / 'twin.db'}") as store:
        token = TokenStore(store.engine).create("operations", "test-work-orders")
    api = f"{live.url}/api/v1/facilities/work-orders"
    auth = {"Authorization": f"Bearer {token}"}

    def make(facility, priority, title):
        body = {"facility": facility, "kind": "corrective", "priority": priority, "title": title}
        answer = httpx.post(api, json=body, headers=auth, timeout=30)
        assert answer.status_code == 201, answer.text
        return answer.json()["id"]

    late_finish = make("dc/hall-2", "P1", "Leak under CRAH-1")
    late_start = make("feed-b", "P3", "Relay test")
    done = make("dc/hall-3", "P2", "Filter change")
    for step, body in (("assign", {"assignee": "Li Wei"}), ("start", {}), ("complete", {})):
        assert httpx.post(f"{api}/{done}/{step}", json=body, headers=auth).status_code == 200
    yield live, {"finish": late_finish, "start": late_start, "done": done}, workdir
    stop_twin(live)


def _page(browser, live, query, size):
    context = browser.new_context(viewport=size, is_mobile=size == PHONE, has_touch=size == PHONE)
    return context, ViewerPage(context.new_page(), live.url).open(query)


def test_overdue_work_is_listed_and_flies_to_its_building(browser, orders):
    live, _, workdir = orders
    context, v = _page(browser, live, f"mode=facilities&lang=en&at={LATER}", VIEWPORT)
    try:
        items = v.page.locator("[data-work-order]")
        assert items.count() == 2
        first, second = (items.nth(i).inner_text() for i in range(2))
        assert "P1" in first and "Leak under CRAH-1" in first and "Late to finish" in first
        assert "P3" in second and "Late to start" in second
        assert "Overdue work" in v.js("document.querySelector('#mode-body').textContent")
        v.page.screenshot(path=workdir / SHOTS.format(size="desktop", lang="en"))
        items.nth(0).click()
        v.page.wait_for_function(
            "() => document.querySelector('#card').dataset.feature === 'data-centre'"
        )
        v.page.click("#lang")
        v.page.wait_for_function(
            "() => document.querySelector('#mode-body').innerText.includes('逾期工单')"
        )
        assert "未按时完成" in v.page.inner_text(
            "[data-work-order]:first-child, .work-orders li:first-child"
        )
        v.js("document.querySelector('#card [data-close], #card .close')?.click()")
        v.page.screenshot(path=workdir / SHOTS.format(size="desktop", lang="zh"))
        assert v.errors == []
    finally:
        context.close()


def test_before_the_orders_opened_nothing_is_overdue(browser, orders):
    live, _, _ = orders
    context, v = _page(browser, live, f"mode=facilities&lang=zh&at={BEFORE}", VIEWPORT)
    try:
        assert v.page.locator("[data-work-order]").count() == 0
        assert "此日期无逾期工单" in v.page.inner_text("#mode-body")
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_overdue_work_on_a_phone(browser, orders, lang):
    live, _, workdir = orders
    context, v = _page(browser, live, f"mode=facilities&lang={lang}&at={LATER}", PHONE)
    try:
        v.page.tap("#sheet-toggle")
        v.page.locator("[data-work-order]").first.scroll_into_view_if_needed()
        box = v.page.locator("[data-work-order]").first.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5
        v.page.screenshot(path=workdir / SHOTS.format(size="phone", lang=lang))
        assert v.errors == []
    finally:
        context.close()
