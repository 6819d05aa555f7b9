"""Leasing over HTTP against a real `twin serve`: holds, leases, search, pictures, errors."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

LEASING = "/api/v1/leasing"
TERMS = {"rent": 3.2, "rent_unit": "cny_per_m2_day", "rent_free_months": 2}


@pytest.fixture(scope="module")
def server(leasing_twin):
    live, tokens = leasing_twin
    with httpx.Client(base_url=live.url, timeout=60) as client:
        yield client, tokens


def _auth(tokens, role="leasing"):
    return {"Authorization": f"Bearer {tokens[role]}"}


def _expires(days: int = 7) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


def _period(years_ahead: int = 2) -> tuple[str, str]:
    start = date(date.today().year + years_ahead, 1, 1)
    return start.isoformat(), start.replace(year=start.year + 1).isoformat()


def _free(client, tokens, **filters) -> list[dict]:
    response = client.get(f"{LEASING}/availability", params=filters, headers=_auth(tokens))
    assert response.status_code == 200, response.text
    return [s for s in response.json()["items"] if s["status"] in ("available", "not_ready")]


def test_hold_sign_start_terminate(server):
    client, tokens = server
    unit = _free(client, tokens, building="office-building", min_level=3)[0]["id"]
    start, end = _period()
    body = {"spaces": [unit], "tenant": "sample-05", "start": start, "end": end}
    held = client.post(
        f"{LEASING}/holds", json={**body, "expires_at": _expires()}, headers=_auth(tokens)
    )
    assert held.status_code == 201, held.text
    hold = held.json()
    assert held.headers["location"].endswith(f"/holds/{hold['id']}")
    assert hold["status"] == "held" and hold["spaces"] == [unit] and hold["area_m2"] > 0
    assert hold["recorded_at"].endswith("+08:00")  # campus time, as every answer's times

    again = client.post(
        f"{LEASING}/holds",
        json={**body, "tenant": "sample-06", "expires_at": _expires()},
        headers=_auth(tokens),
    )
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    assert hold["id"] in again.json()["detail"]
    assert again.json()["conflicts"][0]["ref"] == hold["id"]

    # the office building is not in use yet: only a pre-lease can be signed there
    bare = client.post(f"{LEASING}/holds/{hold['id']}/sign", json={}, headers=_auth(tokens))
    assert bare.status_code == 422 and bare.json()["errors"][0]["field"] == "terms"
    refused = client.post(
        f"{LEASING}/holds/{hold['id']}/sign", json={"terms": TERMS}, headers=_auth(tokens)
    )
    assert refused.status_code == 409 and "pre-lease" in refused.json()["detail"]
    signed = client.post(
        f"{LEASING}/holds/{hold['id']}/sign",
        json={"pre_lease": True, "terms": TERMS},
        headers=_auth(tokens),
    )
    assert signed.status_code == 201, signed.text
    lease = signed.json()
    assert lease["hold"] == hold["id"] and lease["terms"]["rent"] == 3.2
    got = client.get(f"{LEASING}/holds/{hold['id']}", headers=_auth(tokens)).json()
    assert got["status"] == "signed" and got["lease"] == lease["id"]

    started = client.post(f"{LEASING}/leases/{lease['id']}/start", headers=_auth(tokens))
    assert started.status_code == 200 and started.json()["status"] == "active"
    ended = client.post(
        f"{LEASING}/leases/{lease['id']}/terminate",
        json={"on": start},
        headers=_auth(tokens),
    )
    assert ended.status_code == 200 and ended.json()["status"] == "terminated"
    assert unit in {s["id"] for s in _free(client, tokens, building="office-building")}


def test_a_direct_lease_in_a_building_in_use_starts(server):
    client, tokens = server
    free = [
        s for s in _free(client, tokens, building="service-centre") if s["status"] == "available"
    ]
    assert free, "the service centre is in use since 2023-10-27 (F8)"
    start, end = _period(1)
    signed = client.post(
        f"{LEASING}/leases",
        json={
            "spaces": [free[0]["id"]],
            "tenant": "sample-07",
            "start": start,
            "end": end,
            "terms": TERMS,
        },
        headers=_auth(tokens),
    )
    assert signed.status_code == 201, signed.text
    lease_id = signed.json()["id"]
    started = client.post(f"{LEASING}/leases/{lease_id}/start", headers=_auth(tokens))
    assert started.status_code == 200 and started.json()["started_on"]
    listed = client.get(
        f"{LEASING}/leases",
        params={"tenant": "sample-07", "status": "active"},
        headers=_auth(tokens),
    ).json()
    assert lease_id in {lease["id"] for lease in listed["items"]}


def test_a_released_hold_frees_its_spaces_and_holds_list(server):
    client, tokens = server
    units = [s["id"] for s in _free(client, tokens, building="fish-head-t3", min_level=5)[:3]]
    start, end = _period(3)
    hold = client.post(
        f"{LEASING}/holds",
        json={
            "spaces": units,
            "tenant": "sample-08",
            "start": start,
            "end": end,
            "expires_at": _expires(),
        },
        headers=_auth(tokens),
    ).json()
    listed = client.get(f"{LEASING}/holds", params={"status": "held"}, headers=_auth(tokens)).json()
    assert hold["id"] in {h["id"] for h in listed["items"]}
    released = client.post(f"{LEASING}/holds/{hold['id']}/release", headers=_auth(tokens))
    assert released.status_code == 200 and released.json()["status"] == "released"
    again = client.post(f"{LEASING}/holds/{hold['id']}/release", headers=_auth(tokens))
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (
            {"spaces": [], "tenant": "sample-05", "start": "2030-01-01", "end": "2031-01-01"},
            ["spaces"],
        ),
        ({"spaces": ["office-building/L03/U01"], "start": "2030-01-01"}, ["tenant", "end"]),
        (
            {
                "spaces": ["nowhere/L01/U01"],
                "tenant": "sample-05",
                "start": "2030-01-01",
                "end": "2031-01-01",
            },
            ["spaces"],
        ),
        (
            {
                "spaces": ["office-building/L03/U01"],
                "tenant": "sample-05",
                "start": "2031-01-01",
                "end": "2030-01-01",
            },
            ["end"],
        ),
        (
            {
                "spaces": ["office-building/L03/U01"],
                "tenant": "sample-05",
                "start": "2030-01-01",
                "end": "2031-01-01",
                "expires_at": "2030-01-01T00:00:00",
            },
            ["expires_at"],
        ),
    ],
)
def test_invalid_holds_are_422_naming_the_fields(server, body, fields):
    client, tokens = server
    body = {"expires_at": _expires(), **body}
    response = client.post(f"{LEASING}/holds", json=body, headers=_auth(tokens))
    assert response.status_code == 422
    named = " ".join(e["field"] for e in response.json()["errors"])
    assert all(f in named for f in fields), response.json()


def test_a_lease_on_a_hold_takes_no_other_terms(server):
    client, tokens = server
    response = client.post(
        f"{LEASING}/leases", json={"hold": "H-1", "spaces": ["x"]}, headers=_auth(tokens)
    )
    assert response.status_code == 422 and "spaces" in response.json()["detail"]
    missing = client.post(f"{LEASING}/leases", json={"hold": "H-NOPE"}, headers=_auth(tokens))
    assert missing.status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/holds"),
        ("get", "/holds"),
        ("post", "/leases"),
        ("get", "/leases"),
        ("post", "/tenants"),
        ("post", "/leases/L-S0001/terminate"),
    ],
)
def test_commands_need_the_leasing_role(server, method, path):
    client, tokens = server
    anonymous = client.request(method.upper(), f"{LEASING}{path}", json={})
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"].startswith("Bearer")
    wrong = client.request(
        method.upper(), f"{LEASING}{path}", json={}, headers=_auth(tokens, "construction")
    )
    assert wrong.status_code == 403
    admin = client.request(
        method.upper(), f"{LEASING}{path}", json={}, headers=_auth(tokens, "admin")
    )
    assert admin.status_code not in (401, 403)


def test_tenants_register_once(server):
    client, tokens = server
    body = {
        "id": "example-co",
        "name": {"zh": "示例公司", "en": "Example Co."},
        "category": "ecosystem",
        "public": True,
    }
    first = client.post(f"{LEASING}/tenants", json=body, headers=_auth(tokens))
    assert first.status_code == 201 and first.json()["public"] is True
    assert client.post(f"{LEASING}/tenants", json=body, headers=_auth(tokens)).status_code == 409
    public = client.get(f"{LEASING}/tenants").json()
    assert "Example Co." in {t["name"]["en"] for t in public["named"]}


def test_availability_filters_and_totals(server):
    client, _tokens = server
    racks = client.get(
        f"{LEASING}/availability", params={"kind": "rack", "two_n": True, "limit": 5}
    ).json()
    assert racks["racks"] == racks["racks_two_n"] == racks["total"] > 0
    assert len(racks["items"]) == 5 and all(r["two_n"] for r in racks["items"])
    blocks = client.get(
        f"{LEASING}/availability",
        params={"building": "fish-head-t1", "min_contiguous_m2": 1500, "sort": "block"},
    ).json()
    assert blocks["items"] and all(s["block_area_m2"] >= 1500 for s in blocks["items"])
    fish = client.get(
        f"{LEASING}/availability",
        params={"zone": "fish", "max_area_m2": 120, "kind": "office", "limit": 2000},
    ).json()
    assert fish["items"] and all(s["area_m2"] <= 120 for s in fish["items"])
    assert {s["parcel"] for s in fish["items"]} <= {
        "fish-head",
        "fish-body",
        "fish-tail",
        "fish-fin-dorsal",
        "fish-fin-pelvic",
    }
    nowhere = client.get(f"{LEASING}/availability", params={"zone": "atlantis"})
    assert nowhere.status_code == 404 and "atlantis" in nowhere.json()["detail"]
    bad = client.get(f"{LEASING}/availability", params={"kind": "house", "min_level": 0})
    assert bad.status_code == 422
    assert {"query.kind", "query.min_level"} <= {e["field"] for e in bad.json()["errors"]}


def test_plans_as_json_svg_and_png(server):
    client, tokens = server
    plan = client.get(
        f"{LEASING}/buildings/office-building/stacking-plan", params={"at": "2024-09-12"}
    )
    assert plan.status_code == 200
    body = plan.json()
    assert [f["level"] for f in body["floors"]] == list(range(20, 0, -1))
    assert body["vacant_m2"] == pytest.approx(sum(f["vacant_m2"] for f in body["floors"]), abs=0.1)
    staff = client.get(
        f"{LEASING}/buildings/office-building/stacking-plan",
        params={"at": "2024-09-12"},
        headers=_auth(tokens),
    ).json()
    assert {"held", "leased"} <= {c["status"] for f in staff["floors"] for c in f["cells"]}
    # the plan names its statuses' colours and labels (the viewer draws it with them)
    assert [e["status"] for e in staff["legend"]] == staff["statuses"]
    assert [e["status"] for e in body["legend"]] == body["statuses"]
    available = next(e for e in body["legend"] if e["status"] == "available")
    assert available["color"] == "#2e8540" and available["name"] == {
        "zh": "可租",
        "en": "Available",
    }
    png = client.get(f"{LEASING}/buildings/office-building/stacking-plan.png")
    assert png.headers["content-type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    svg = client.get(f"{LEASING}/buildings/data-centre/floors/2/plan.svg", headers=_auth(tokens))
    assert svg.headers["content-type"].startswith("image/svg+xml") and b"<svg" in svg.content
    floor = client.get(f"{LEASING}/buildings/office-building/floors/5/plan.png")
    assert floor.status_code == 200 and floor.content[:4] == b"\x89PNG"
    assert client.get(f"{LEASING}/buildings/office-building/floors/99/plan.png").status_code == 404
    assert client.get(f"{LEASING}/buildings/nowhere/stacking-plan").status_code == 404


def test_every_leasing_operation_is_documented(server):
    client, _ = server
    spec = client.get("/openapi.json").json()
    operations = [
        op
        for path, item in spec["paths"].items()
        if path.startswith(LEASING)
        for op in item.values()
    ]
    assert len(operations) >= 17
    for op in operations:
        assert op.get("operationId") and op.get("summary") and op.get("description"), op


def test_kpis_reproduce_f7_and_f9_and_count_against_f2(live_twin):
    import httpx as _httpx

    body = _httpx.get(
        f"{live_twin.url}/api/v1/leasing/kpis", params={"at": "2024-09-12"}, timeout=60
    ).json()
    office = next(b for b in body["buildings"] if b["scope"] == "office-building")
    assert 0.70 <= office["share"] <= 0.80  # F7: 70-80 % signed
    assert body["enterprises"] >= 40 and body["head_enterprise_target"] == 100  # F9, F2
    assert 0 < body["campus"]["share"] < office["share"]
    unveiling = _httpx.get(
        f"{live_twin.url}/api/v1/leasing/kpis", params={"at": "2023-10-27"}, timeout=60
    ).json()
    assert unveiling["enterprises"] == 25  # S5
