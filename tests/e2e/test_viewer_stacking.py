"""The viewer's stacking plan (leasing mode, leasing token): opened from the panel or a card,
floors top first, each space coloured as the API's stacking plan says, and a space picked in it
selected in 3D; desktop and phone, English and Chinese, with screenshots (``TWIN_SHOTS=DIR``
keeps them, e.g. for docs/images)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
from viewer_browser import PHONE, VIEWPORT, ViewerPage, open_with_token

PLAN = "/api/v1/leasing/buildings/office-building/stacking-plan"


def _open(browser: Any, live: Any, token: str, query: str, size: dict[str, int]) -> ViewerPage:
    v = open_with_token(browser, live.url, token, query, size)
    v.page.wait_for_selector("#stacking-open")
    return v


def _shot(v: ViewerPage, tmp_path: Path, name: str) -> Path:
    where = Path(os.environ.get("TWIN_SHOTS", tmp_path))
    where.mkdir(parents=True, exist_ok=True)
    path = where / f"viewer-stacking-{name}.png"
    v.page.wait_for_timeout(500)
    v.page.screenshot(path=str(path))
    return path


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def _plan(live: Any, token: str) -> dict[str, Any]:
    staff = {"Authorization": f"Bearer {token}"}
    return httpx.get(f"{live.url}{PLAN}", headers=staff, timeout=60).json()


def test_the_stacking_plan_from_the_panel_as_the_api_says(browser, leasing_twin, tmp_path):
    live, tokens = leasing_twin
    v = _open(browser, live, tokens["leasing"], "mode=leasing&lang=en", VIEWPORT)
    try:
        v.page.select_option("#stacking-building", "office-building")
        v.page.click("#stacking-open")
        v.page.wait_for_selector("#stacking[data-floors]")
        plan = _plan(live, tokens["leasing"])  # the API's, at the same moment
        rows = v.page.locator("#stacking .stack-floor[data-floor]")
        assert rows.count() == len(plan["floors"]) == 20
        assert rows.first.get_attribute("data-floor") == plan["floors"][0]["floor"]  # top first
        colours = {e["status"]: e["color"] for e in plan["legend"]}
        cells = [c for f in plan["floors"] for c in f["cells"]]
        shown = v.js(
            "[...document.querySelectorAll('#stacking .stack-cell')].map((c) =>"
            " [c.dataset.space, c.dataset.status, getComputedStyle(c).backgroundColor])"
        )
        assert [s[0] for s in shown] == [c["space"] for c in cells]
        assert [s[1] for s in shown] == [c["status"] for c in cells]
        assert {s[1]: s[2] for s in shown} == {
            c["status"]: _rgb(colours[c["status"]]) for c in cells
        }
        assert "leased" in {c["status"] for c in cells}  # staff see who took a space
        text = v.page.inner_text("#stacking")
        assert "Stacking plan" in text and "Leased" in text and "Vacant" in text
        leased = next(c for c in cells if c["status"] == "leased")
        title = v.page.get_attribute(
            f"#stacking .stack-cell[data-space='{leased['space']}']", "title"
        )
        assert (leased["tenant_name"] or leased["tenant"]) in title
        _shot(v, tmp_path, "desktop-en")
        # a space picked in the plan is selected in 3D, its card shown
        v.page.click(f"#stacking .stack-cell[data-space='{leased['space']}']")
        v.page.wait_for_function(f"() => window.twin.selected === '{leased['space']}'")
        v.page.wait_for_selector(f"#card[data-feature='{leased['space']}']")
        # the card offers the plan too; closing it hides the box
        v.page.click("#stacking .close")
        assert v.page.locator("#stacking").is_hidden()
        v.page.click("#card-stacking")
        v.page.wait_for_selector("#stacking[data-floors]")
        # another mode closes it
        v.page.click("#modes button[data-mode='visitor']")
        v.page.wait_for_function("() => document.querySelector('#stacking').hidden")
        assert v.errors == []
    finally:
        v.page.context.close()


def test_the_stacking_plan_on_a_phone_in_chinese(browser, leasing_twin, tmp_path):
    live, tokens = leasing_twin
    v = _open(browser, live, tokens["leasing"], "mode=leasing&lang=zh", PHONE)
    try:
        assert "楼层堆叠图" in v.page.inner_text("#mode-body")
        v.page.select_option("#stacking-building", "office-building")
        v.page.click("#stacking-open")
        v.page.wait_for_selector("#stacking[data-floors='20']")
        text = v.page.inner_text("#stacking")
        assert "楼层堆叠图" in text and "已租" in text and "空置" in text
        box = v.page.locator("#stacking").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5
        cell = v.page.locator("#stacking .stack-cell").first.bounding_box()
        assert cell and cell["height"] >= 16  # a finger can find it
        _shot(v, tmp_path, "phone-zh")
        assert v.errors == []
    finally:
        v.page.context.close()


def test_without_a_token_no_stacking_plan_is_offered(viewer):
    v = viewer("mode=leasing&lang=en")
    assert v.page.locator("#stacking-open").count() == 0
    assert v.page.locator("#stacking").is_hidden()
