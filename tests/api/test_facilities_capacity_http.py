"""PUE and power capacity over a real HTTP server, worked by hand, on SQLite and PostgreSQL:
readings posted through the API, a hold taken through the leasing API, then the figures,
the "where do 40 racks of 8 kW fit with 2N?" answer and the leasing search agreeing with it.

The scenario (schematic design: 25 racks × 8 kW = 200 kW per row, halls 1-6 2N, 7-8 N):
- rows of halls 1-5 draw 190 kW (10 kW headroom: one 8 kW rack each, 15 per hall, but 11 in
  hall 1, whose first 4 rows the sample rack lease takes whole);
- rows of hall 6 draw 120 kW (80 kW: 10 racks each); a hold on 20 racks of its row 1 makes
  160 kW allocated there (40 kW: 5 racks, and only 5 positions are free);
- so 40 racks of 8 kW on 2N fit in hall 6 alone, which takes 5 + 14 × 10 = 145.
IT load: 75 rows × 190 + 15 × 120 = 16,050 kW. Feeds at t0: 10,000 + 9,260 = 19,260 kW
(PUE 1.2); an hour later 11,865 + 9,000 = 20,865 kW (PUE 1.3). Hall 6's PDUs: 1,000 + 980 =
1,980 kW over its rows' 1,800 kW: partial PUE 1.1.
"""

from __future__ import annotations

import httpx
import pytest
from capacity_scenario import T0, T1, post_scenario
from live_server import start_twin, stop_twin

from twin.auth import ROLES, TokenStore
from twin.eventlog import open_store


def test_pue_capacity_and_fit_worked_by_hand(database_url, tmp_path):
    live = start_twin(tmp_path, "--db", database_url, env={"TWIN_ANON_RATE": "0"})
    try:
        with open_store(database_url) as store:
            tokens = {r: TokenStore(store.engine).create(r, f"cap-{r}") for r in ROLES}
        ops = {"Authorization": f"Bearer {tokens['operations']}"}
        leasing = {"Authorization": f"Bearer {tokens['leasing']}"}
        with httpx.Client(base_url=live.url, timeout=120) as client:
            post_scenario(client, ops, leasing)
            _check_pue(client, ops)
            _check_capacity(client, ops)
            _check_fit(client, leasing)
            _check_leasing_search_agrees(client, leasing)
    finally:
        stop_twin(live)


def _check_pue(client: httpx.Client, ops: dict) -> None:
    body = client.get("/api/v1/facilities/pue", params={"at": T0.isoformat()}, headers=ops)
    assert body.status_code == 200, body.text
    dc = body.json()["data_centres"][0]
    assert dc["pue"]["total_kw"] == 19_260 and dc["pue"]["it_kw"] == 16_050
    assert dc["pue"]["value"] == pytest.approx(1.2)
    halls = {h["hall"]: h["partial_pue"] for h in dc["halls"]}
    assert halls["dc/hall-6"]["value"] == pytest.approx(1.1)
    assert halls["dc/hall-7"]["value"] is None  # no readings there
    assert body.json()["design_pue"] == {
        "value": 1.3,
        "provenance": "schematic",
        "source": "assets/facilities/kinds.py: the pue metric's alarm limit",
    }
    series = client.get(
        "/api/v1/facilities/pue",
        params={"start": T0.isoformat(), "end": T1.isoformat(), "step": "30min"},
        headers=ops,
    ).json()
    points = series["series"][0]["points"]
    assert [p["pue"] for p in points] == [pytest.approx(1.2), pytest.approx(1.2), 1.3]
    assert points[0]["at"] == T0.isoformat() and series["step_s"] == 1800


def _check_capacity(client: httpx.Client, ops: dict) -> None:
    body = client.get("/api/v1/facilities/capacity", headers=ops)
    assert body.status_code == 200, body.text
    found = {c["facility"]: c for c in body.json()["facilities"]}
    row = found["dc/hall-6/row-01"]
    assert (row["design_kw"], row["allocated_kw"], row["drawn_kw"]) == (200, 160, 120)
    assert row["headroom_kw"] == 40 and row["racks_allocated"] == 20 and row["level"] == "2N"
    leased = found["dc/hall-1/row-01"]  # the sample rack lease: H1's first 100 racks
    assert (leased["allocated_kw"], leased["headroom_kw"], leased["load_share"]) == (200, 0, 0.95)
    assert found["dc/hall-1/row-05"]["headroom_kw"] == 10
    hall = found["dc/hall-6"]
    assert (hall["design_kw"], hall["allocated_kw"], hall["drawn_kw"]) == (3000, 160, 1800)
    assert hall["headroom_kw"] == 1200
    feed = found["feed-a"]  # 3,000 racks × 8 kW × 1.3; (100 + 20) × 8 × 1.3 allocated
    assert (feed["design_kw"], feed["allocated_kw"], feed["drawn_kw"]) == (31_200, 1248, 11_865)
    assert feed["headroom_kw"] == 31_200 - 11_865
    assert found["feed-b"]["design_kw"] == 2250 * 8 * 1.3  # 2N halls only
    assert found["dc/ups-a"]["design_kw"] == 24_000


def _check_fit(client: httpx.Client, who: dict) -> None:
    params = {"racks": 40, "kw_per_rack": 8, "redundancy": "2N", "kind": "hall"}
    body = client.get("/api/v1/facilities/capacity", params=params, headers=who)
    assert body.status_code == 200, body.text
    fit = body.json()["fit"]
    assert fit["fits"] == ["dc/hall-6"] and fit["total_kw"] == 320
    halls = {h["hall"]: h for h in fit["halls"]}
    assert halls["dc/hall-6"]["placeable"] == 145
    assert halls["dc/hall-6"]["rows"][0] == {
        "row": "dc/hall-6/row-01",
        "space": "data-centre/H6/R01",
        "free_racks": 5,
        "headroom_kw": 40,
        "placeable": 5,
    }
    assert halls["dc/hall-1"]["placeable"] == 11 and not halls["dc/hall-1"]["fits"]
    assert halls["dc/hall-7"]["placeable"] == 0  # fed N: not counted for 2N
    anywhere = client.get(
        "/api/v1/facilities/capacity", params={"racks": 40, "kw_per_rack": 8}, headers=who
    ).json()["fit"]
    assert anywhere["fits"] == ["dc/hall-7", "dc/hall-8", "dc/hall-6"]


def _check_leasing_search_agrees(client: httpx.Client, leasing: dict) -> None:
    params = {"kind": "rack", "two_n": "true", "min_racks": 40, "kw_per_rack": 8, "limit": 1000}
    body = client.get("/api/v1/leasing/availability", params=params, headers=leasing)
    assert body.status_code == 200, body.text
    assert body.json()["racks"] == 145
    assert {s["id"].split("/")[1] for s in body.json()["items"]} == {"H6"}
    public = client.get("/api/v1/leasing/availability", params=params)
    assert public.status_code == 401 and "kw_per_rack" in public.json()["detail"]


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"kw_per_rack": 8}, "kw_per_rack"),
        ({"redundancy": "2N"}, "redundancy"),
        ({"racks": 0}, "racks"),
        ({"racks": 40, "kw_per_rack": -1}, "kw_per_rack"),
        ({"racks": 40, "kw_per_rack": 5e-324}, "kw_per_rack"),  # a denormal: was a 500
        ({"racks": 40, "redundancy": "3N"}, "redundancy"),
        ({"kind": "chiller"}, "kind"),
    ],
)
def test_bad_capacity_parameters_are_refused_naming_them(live_twin, live_tokens, params, named):
    headers = {"Authorization": f"Bearer {live_tokens['operations']}"}
    got = httpx.get(f"{live_twin.url}/api/v1/facilities/capacity", params=params, headers=headers)
    assert got.status_code == 422, got.text
    assert got.headers["content-type"] == "application/problem+json"
    assert named in got.text


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"start": "2026-01-02", "end": "2026-01-01"}, "start"),
        ({"start": "2026-01-01", "end": "2026-03-01", "step": "1min"}, "step"),
        ({"start": "2026-01-01", "step": "fortnight"}, "step"),
        ({"at": "yesterday"}, "at"),
    ],
)
def test_bad_pue_parameters_are_refused_naming_them(live_twin, live_tokens, params, named):
    headers = {"Authorization": f"Bearer {live_tokens['operations']}"}
    got = httpx.get(f"{live_twin.url}/api/v1/facilities/pue", params=params, headers=headers)
    assert got.status_code == 422, got.text
    assert got.headers["content-type"] == "application/problem+json"
    assert named in got.text


@pytest.mark.parametrize("path", ["/api/v1/facilities/pue", "/api/v1/facilities/capacity"])
def test_figures_made_of_readings_are_for_staff_only(live_twin, live_tokens, path):
    assert httpx.get(f"{live_twin.url}{path}").status_code == 401
    construction = {"Authorization": f"Bearer {live_tokens['construction']}"}
    assert httpx.get(f"{live_twin.url}{path}", headers=construction).status_code == 403


def test_a_vanishing_rack_power_is_refused_by_the_search_too(live_twin, live_tokens):
    headers = {"Authorization": f"Bearer {live_tokens['operations']}"}
    got = httpx.get(
        f"{live_twin.url}/api/v1/leasing/availability",
        params={"kw_per_rack": 5e-324},
        headers=headers,
    )
    assert got.status_code == 422 and "kw_per_rack" in got.text, got.text
