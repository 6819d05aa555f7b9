"""The viewer's availability filters for a zone or parcel (the fish, the fish head) and a
largest area: the units lit are those the API finds for the same filters, and the count said is
its total; desktop in English and a phone in Chinese, with screenshots (``TWIN_SHOTS=DIR``)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import httpx
from viewer_browser import PHONE, VIEWPORT, ViewerPage, open_with_token

WEB = Path(__file__).resolve().parents[2] / "viewer" / "web" / "src"
MATCH_COLOR = re.search(r'MATCH_COLOR = "(#\w{6})"', (WEB / "leasing.js").read_text())[1].lower()  # type: ignore[index]


def _found(live: Any, token: str, **params: Any) -> dict[str, Any]:
    answer = httpx.get(
        f"{live.url}/api/v1/leasing/availability",
        params={"kind": "office", "limit": 2000, **params},
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def _open(browser: Any, live: Any, token: str, query: str, size: dict[str, int]) -> ViewerPage:
    v = open_with_token(browser, live.url, token, query, size)
    v.page.wait_for_selector("#leasing-kpis")  # the panel drawn again for the token
    return v


def _filter(v: ViewerPage, place: str, max_area: str) -> str:
    v.page.select_option("#leasing-filters [name=place]", place)
    v.page.fill("#leasing-filters [name=max_area_m2]", max_area)
    v.page.click("#leasing-filters button[type=submit]")
    v.page.wait_for_function(
        "() => { const s = document.querySelector('#leasing-status');"
        " return /\\d/.test(s.textContent) || s.classList.contains('error'); }"
    )
    assert "error" not in (v.page.get_attribute("#leasing-status", "class") or ""), (
        v.page.inner_text("#leasing-status"),
        v.errors,
    )
    return v.page.inner_text("#leasing-status")


def _shot(v: ViewerPage, tmp_path: Path, name: str) -> None:
    where = Path(os.environ.get("TWIN_SHOTS", tmp_path))
    where.mkdir(parents=True, exist_ok=True)
    v.page.wait_for_timeout(500)
    v.page.screenshot(path=str(where / f"viewer-leasing-filters-{name}.png"))


def test_zone_and_largest_area_light_what_the_api_finds(browser, leasing_twin, tmp_path):
    live, tokens = leasing_twin
    v = _open(browser, live, tokens["leasing"], "mode=leasing&lang=en", VIEWPORT)
    try:
        options = v.page.inner_text("#leasing-filters [name=place]")
        assert "zone" in options and "parcel" in options
        said = _filter(v, "zone:fish", "120")
        found = _found(live, tokens["leasing"], zone="fish", max_area_m2=120)
        assert found["total"] > 0 and said.startswith(f"{found['total']:,} units match")
        assert all(s["area_m2"] <= 120 and s["parcel"].startswith("fish-") for s in found["items"])
        for s in found["items"][:: max(1, len(found["items"]) // 20)]:  # a sample of them
            assert v.js(f"window.twin.colorOf('{s['id']}')").lower() == MATCH_COLOR, s["id"]
        assert v.js("window.twin.colorOf('office-building/L03/U02')").lower() != MATCH_COLOR
        _shot(v, tmp_path, "desktop-en")
        # a parcel and no largest area: the fish head's units, and only those
        said = _filter(v, "parcel:fish-head", "")
        head = _found(live, tokens["leasing"], parcel="fish-head")
        assert said.startswith(f"{head['total']:,} units match")
        assert head["total"] > 0 and {s["parcel"] for s in head["items"]} == {"fish-head"}
        assert v.errors == []
    finally:
        v.page.context.close()


def test_the_filters_on_a_phone_in_chinese(browser, leasing_twin, tmp_path):
    live, tokens = leasing_twin
    v = _open(browser, live, tokens["leasing"], "mode=leasing&lang=zh", PHONE)
    try:
        form = v.page.inner_text("#leasing-filters")
        assert "最大面积" in form and "区域或地块" in form
        said = _filter(v, "parcel:fish-head", "150")
        head = _found(live, tokens["leasing"], parcel="fish-head", max_area_m2=150)
        assert said.startswith(f"{head['total']:,}") and "个单元符合" in said
        box = v.page.locator("#leasing-filters").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        _shot(v, tmp_path, "phone-zh")
        assert v.errors == []
    finally:
        v.page.context.close()
