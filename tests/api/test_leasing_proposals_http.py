"""Proposals over HTTP against a real `twin serve`: adjacent free units in the fish head
that together fit 500-1,000 m², best fit first, with their outline; held units left out;
bad questions refused naming what is wrong; the public refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
import shapely
from shapely.geometry import shape

PROPOSALS = "/api/v1/leasing/proposals"
ASK = {"min_area_m2": 500, "max_area_m2": 1000, "parcel": "fish-head", "limit": 20}


@pytest.fixture(scope="module")
def server(leasing_twin):
    live, tokens = leasing_twin
    with httpx.Client(base_url=live.url, timeout=120) as client:
        yield client, {"Authorization": f"Bearer {tokens['leasing']}"}


def test_units_of_40_to_174_m2_answer_500_to_1000_m2_best_fit_first(server):
    client, staff = server
    answer = client.get(PROPOSALS, params=ASK, headers=staff)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    items = body["items"]
    assert items and body["found"] >= len(items) and "least excess" in body["ranking"]
    assert [p["rank"] for p in items] == list(range(1, len(items) + 1))
    assert [round(p["excess_m2"]) for p in items] == sorted(round(p["excess_m2"]) for p in items)
    for p in items:
        units = p["units"]
        assert p["unit_count"] == len(units) >= 2  # no fish-head unit is 500 m² alone
        assert 500 <= p["area_m2"] <= 1000
        assert p["area_m2"] == pytest.approx(sum(u["area_m2"] for u in units), abs=0.05)
        assert all(u["id"].startswith("fish-head-t") for u in units)
        assert len({u["floor"] for u in units}) == 1 == len(p["floors"])  # not stacked
        # the outline is one polygon (the units touch) of the units' area, in lon/lat
        (feature,) = p["outline"]["features"]
        outline = shape(feature["geometry"])
        assert outline.geom_type == "Polygon" and 121 < outline.centroid.x < 122


def test_a_held_unit_is_never_proposed_and_ready_by_is_kept(server):
    client, staff = server
    first = client.get(PROPOSALS, params=ASK, headers=staff).json()["items"][0]
    taken = first["units"][0]["id"]
    start = date(date.today().year + 1, 1, 1)
    held = client.post(
        "/api/v1/leasing/holds",
        headers=staff,
        json={
            "spaces": [taken],
            "tenant": "sample-02",
            "start": start.isoformat(),
            "end": start.replace(year=start.year + 3).isoformat(),
            "expires_at": (datetime.now(UTC) + timedelta(days=10)).isoformat(),
        },
    )
    assert held.status_code == 201, held.text
    ready_by = start.replace(year=start.year + 1)
    for params in (ASK, {**ASK, "ready_by": ready_by.isoformat()}):
        again = client.get(PROPOSALS, params=params, headers=staff).json()["items"]
        assert again and all(taken not in [u["id"] for u in p["units"]] for p in again)
    later = client.get(PROPOSALS, params={**ASK, "ready_by": ready_by.isoformat()}, headers=staff)
    assert all(date.fromisoformat(p["ready_from"]) <= ready_by for p in later.json()["items"])


def test_stacked_may_span_floors_and_zone_narrows(server):
    client, staff = server
    # fish-head-t3: floors of 152 and 163 m² units, the same plate on every floor
    ask = {"min_area_m2": 300, "max_area_m2": 310, "building": "fish-head-t3", "limit": 50}
    flat = client.get(PROPOSALS, params=ask, headers=staff).json()
    stacked = client.get(PROPOSALS, params={**ask, "stacked": "true"}, headers=staff).json()
    assert stacked["stacked"] is True and stacked["found"] > flat["found"] > 0
    spans = [p for p in stacked["items"] if len(p["floors"]) == 2]
    assert spans and all(len(p["outline"]["features"]) == 2 for p in spans)
    assert all(len(p["floors"]) == 1 for p in flat["items"])
    fish = {k: v for k, v in ASK.items() if k != "parcel"} | {"zone": "fish"}
    zone = client.get(PROPOSALS, params=fish, headers=staff)
    assert zone.status_code == 200 and zone.json()["items"]
    outlines = [
        shape(f["geometry"]) for p in zone.json()["items"] for f in p["outline"]["features"]
    ]
    assert all(shapely.is_valid(o) for o in outlines)


@pytest.mark.parametrize(
    ("params", "status", "named"),
    [
        ({"min_area_m2": 500, "max_area_m2": 400}, 422, "max_area_m2"),
        ({"min_area_m2": 500, "building": "nowhere"}, 404, "nowhere"),
        ({"min_area_m2": 500, "zone": "atlantis"}, 404, "atlantis"),
        ({"min_area_m2": 500, "parcel": "moon"}, 404, "moon"),
        ({"min_area_m2": 500, "size": "big"}, 400, "size"),
        ({"max_area_m2": 400}, 422, "min_area_m2"),
        ({"min_area_m2": 500, "ready_by": "soon"}, 422, "ready_by"),
    ],
)
def test_bad_questions_are_refused_naming_them(server, params, status, named):
    client, staff = server
    answer = client.get(PROPOSALS, params=params, headers=staff)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert named in answer.text


def test_the_public_and_other_roles_are_refused(leasing_twin, server):
    client, _ = server
    _, tokens = leasing_twin
    assert client.get(PROPOSALS, params=ASK).status_code == 401
    builder = {"Authorization": f"Bearer {tokens['construction']}"}
    assert client.get(PROPOSALS, params=ASK, headers=builder).status_code == 403
