"""The viewer's deal pipeline (leasing mode, leasing token): prospects listed per stage;
choosing one lights the spaces that fit it and its best proposal's units together, read from
the page's state and the colours it painted; desktop and phone, English and Chinese, with
screenshots (``TWIN_SHOTS=DIR`` keeps them, e.g. for docs/images)."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from viewer_browser import PHONE, VIEWPORT, ViewerPage, open_with_token

LEASING = "/api/v1/leasing"
WEB = Path(__file__).resolve().parents[2] / "viewer" / "web" / "src"


def _colour(module: str, name: str) -> str:
    """A colour constant of the web client, as the page paints it."""
    found = re.search(rf'export const {name} = "(#[0-9a-fA-F]{{6}})"', (WEB / module).read_text())
    assert found, f"no {name} in {module}"
    return found.group(1).lower()


PROPOSAL_COLOR = _colour("pipeline.js", "PROPOSAL_COLOR")
MATCH_COLOR = _colour("leasing.js", "MATCH_COLOR")
READY_BY = date(date.today().year + 1, 6, 1)


@pytest.fixture(scope="module")
def pipeline_twin(leasing_twin):
    """A server with a prospect for 500 m² of offices at the tour stage, and what the API
    says fits it: its matching spaces and its proposals (500-600 m², as the viewer asks)."""
    live, tokens = leasing_twin
    staff = {"Authorization": f"Bearer {tokens['leasing']}"}
    with httpx.Client(base_url=live.url, headers=staff, timeout=120) as client:
        made = client.post(
            f"{LEASING}/prospects",
            json={
                "id": "fish-ai",
                "company": "Fish AI Co. (sample)",
                "contact": {"name": "Zhou"},
                "requirement": {"kind": "office", "area_m2": 500, "ready_by": str(READY_BY)},
            },
        )
        assert made.status_code == 201, made.text
        moved = client.post(f"{LEASING}/prospects/fish-ai/advance", json={"stage": "tour"})
        assert moved.status_code == 200, moved.text
        matches = client.get(f"{LEASING}/prospects/fish-ai/matches", params={"limit": 500})
        proposals = client.get(
            f"{LEASING}/proposals",
            params={"min_area_m2": 500, "max_area_m2": 600, "ready_by": str(READY_BY), "limit": 5},
        )
    expected = {
        "matches": matches.json()["ready_by"]["ids"],
        "proposals": [[u["id"] for u in p["units"]] for p in proposals.json()["items"]],
        "outlines": [p["outline"] for p in proposals.json()["items"]],
    }
    assert len(expected["proposals"]) >= 2, proposals.text
    return live, tokens["leasing"], expected


def _open(browser: Any, live: Any, token: str, query: str, size: dict[str, int]) -> ViewerPage:
    v = open_with_token(browser, live.url, token, query, size)
    v.page.wait_for_selector("#pipeline button[data-prospect='fish-ai']")
    return v


def _outline_drawn(v: ViewerPage, outline: dict[str, Any], units: list[str]) -> None:
    """The proposal's outline is drawn as the API gives it: a line loop per ring (its vertices
    without the closing one), each at its floor's height, around its units and no further."""
    drawn = v.js("window.twin.outline")
    rings = [
        (f["properties"]["floor"], ring)
        for f in outline["features"]
        for ring in (
            f["geometry"]["coordinates"]
            if f["geometry"]["type"] == "Polygon"
            else [r for p in f["geometry"]["coordinates"] for r in p]
        )
    ]
    assert [(d["floor"], d["vertices"]) for d in drawn] == [(f, len(r) - 1) for f, r in rings]
    exterior = {d["floor"]: d for d in reversed(drawn)}  # each floor's first ring
    for loop in exterior.values():
        here = [u for u in units if u.startswith(f"{loop['floor']}/")]
        boxes = [v.js(f"window.twin.extent('{u}')") for u in here]
        low = [min(b["min"][i] for b in boxes) for i in range(3)]
        high = [max(b["max"][i] for b in boxes) for i in range(3)]
        assert loop["min"][1] == pytest.approx(low[1] + 0.15, abs=0.01)  # on the floor slab
        assert loop["max"][1] == pytest.approx(low[1] + 0.15, abs=0.01)
        for i in (0, 2):  # east and south: the units' footprints' union, to a few cm
            assert loop["min"][i] == pytest.approx(low[i], abs=0.05), (i, loop, low)
            assert loop["max"][i] == pytest.approx(high[i], abs=0.05), (i, loop, high)


def _shot(v: ViewerPage, tmp_path: Path, name: str) -> Path:
    where = Path(os.environ.get("TWIN_SHOTS", tmp_path))
    where.mkdir(parents=True, exist_ok=True)
    path = where / f"viewer-pipeline-{name}.png"
    v.page.wait_for_timeout(1500)  # the flight to the proposal's building
    v.js("document.querySelector('#pipeline [aria-pressed=true]')?.scrollIntoView()")
    v.page.screenshot(path=str(path))
    return path


def test_choosing_a_prospect_lights_its_spaces_and_its_proposal(browser, pipeline_twin, tmp_path):
    live, token, expected = pipeline_twin
    v = _open(browser, live, token, "mode=leasing&lang=en", VIEWPORT)
    try:
        tour = v.page.locator("#pipeline section", has_text="Tour · ")  # the samples' too
        assert tour.count() == 1, v.page.inner_text("#pipeline")
        assert tour.locator("button[data-prospect='fish-ai']").count() == 1
        assert "500 m²" in tour.inner_text()
        v.page.click("#pipeline button[data-prospect='fish-ai']")
        v.page.wait_for_function("() => window.twin.leasing.prospect === 'fish-ai'")
        v.page.wait_for_selector("#pipeline .proposal-list button[data-proposal='1']")
        state = v.js("window.twin.leasing")
        assert state["matches"] == expected["matches"]
        assert state["proposal"] == expected["proposals"][0]
        for unit in state["proposal"]:  # painted together, in the proposal's colour
            assert v.js(f"window.twin.colorOf('{unit}')").lower() == PROPOSAL_COLOR
        others = [m for m in state["matches"] if m not in state["proposal"]]
        if others:
            assert v.js(f"window.twin.colorOf('{others[0]}')").lower() == MATCH_COLOR
        assert "Units of the chosen proposal" in v.page.inner_text("#legend")
        _outline_drawn(v, expected["outlines"][0], state["proposal"])
        _shot(v, tmp_path, "desktop-en")
        v.page.click("#pipeline .proposal-list button[data-proposal='2']")
        v.page.wait_for_function(
            "(ids) => JSON.stringify(window.twin.leasing.proposal) === JSON.stringify(ids)",
            arg=expected["proposals"][1],
        )
        _outline_drawn(v, expected["outlines"][1], expected["proposals"][1])
        v.page.click("#pipeline button[data-prospect='fish-ai']")  # chosen again: let go
        v.page.wait_for_function("() => window.twin.leasing.prospect === null")
        assert v.js("window.twin.outline") == []
        assert v.js(f"window.twin.colorOf('{expected['proposals'][1][0]}')").lower() != (
            PROPOSAL_COLOR
        )
        assert v.errors == []
    finally:
        v.page.context.close()


def test_the_pipeline_on_a_phone_in_chinese(browser, pipeline_twin, tmp_path):
    live, token, expected = pipeline_twin
    v = _open(browser, live, token, "mode=leasing&lang=zh", PHONE)
    try:
        assert "招商管道" in v.page.inner_text("#mode-body")
        assert v.page.locator("#pipeline section", has_text="看房 · ").count() == 1
        v.page.click("#pipeline button[data-prospect='fish-ai']")
        v.page.wait_for_function("() => window.twin.leasing.prospect === 'fish-ai'")
        v.page.wait_for_selector("#pipeline .proposal-list button[data-proposal='1']")
        assert v.js("window.twin.leasing.proposal") == expected["proposals"][0]
        assert "所选方案的单元" in v.page.inner_text("#legend")
        _shot(v, tmp_path, "phone-zh")
        assert v.errors == []
    finally:
        v.page.context.close()


def test_without_a_token_there_is_no_pipeline(viewer):
    v = viewer("mode=leasing&lang=en")
    assert v.page.locator("#pipeline").count() == 0
    assert v.js("window.twin.leasing") == {"prospect": None, "matches": [], "proposal": []}


def test_hold_and_sign_from_the_unit_card_and_see_the_kpis(browser, pipeline_twin, tmp_path):
    live, token, _ = pipeline_twin
    staff = {"Authorization": f"Bearer {token}"}
    free = httpx.get(
        f"{live.url}{LEASING}/availability",
        params={"building": "office-building", "kind": "office", "limit": 1},
        headers=staff,
        timeout=60,
    ).json()["items"][0]["id"]
    v = _open(browser, live, token, f"mode=leasing&lang=en&sel={free}", VIEWPORT)
    try:
        vacant = v.page.locator("#leasing-kpis tr.vacant")
        vacant.wait_for()
        before = vacant.inner_text()
        v.page.wait_for_selector("#deal-hold")
        start = date(date.today().year + 1, 1, 1)
        v.page.fill("#deal-hold [name=tenant]", "sample-05")
        v.page.fill("#deal-hold [name=rent]", "3.5")
        v.page.fill("#deal-hold [name=start]", str(start))
        v.page.fill("#deal-hold [name=end]", str(start.replace(year=start.year + 3)))
        v.page.click("#deal-hold button[type=submit]")
        # the card is drawn again as it now is: held, with the hold made and a sign form
        v.page.wait_for_selector("#card #deal-sign")
        assert "Held H-" in v.page.inner_text("#deal-status")
        v.page.click("#deal-sign")
        v.page.wait_for_function(
            "() => /Signed L-/.test(document.querySelector('#deal-status')?.textContent) || "
            "document.querySelector('#deal-status')?.classList.contains('error')"
        )
        if "pre_lease" in v.page.inner_text("#deal-status"):  # the API says how: as a pre-lease
            v.page.check("#deal-prelease")
            v.page.click("#deal-sign")
            v.page.wait_for_function(
                "() => /Signed L-/.test(document.querySelector('#deal-status')?.textContent)"
            )
        assert "Signed L-" in v.page.inner_text("#deal-status"), v.page.inner_text("#deal-status")
        # the ledger says so, and the panel's KPIs follow
        plan = httpx.get(
            f"{live.url}{LEASING}/buildings/office-building/stacking-plan",
            headers=staff,
            timeout=60,
        ).json()
        cell = next(c for f in plan["floors"] for c in f["cells"] if c["space"] == free)
        assert cell["status"] == "leased" and cell["tenant"] == "sample-05"
        v.page.wait_for_function(
            "(before) => document.querySelector('#leasing-kpis tr.vacant')?.innerText !== before",
            arg=before,
        )
        _shot(v, tmp_path, "card-signed-desktop-en")
        # the browser logs the refused first signature (409): nothing else went wrong
        assert [e for e in v.errors if "409 (Conflict)" not in e] == []
    finally:
        v.page.context.close()
