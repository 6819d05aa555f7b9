"""Lease economics and the deal pipeline over HTTP against a real `twin serve`: a prospect
from enquiry to signature, terms proposed on its hold and signed, the rent roll, WALE, the
expiry profile and the funnel; bad terms refused naming the field; confidential throughout."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

LEASING = "/api/v1/leasing"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def server(leasing_twin):
    live, tokens = leasing_twin
    with httpx.Client(base_url=live.url, timeout=120) as client:
        yield client, {"Authorization": f"Bearer {tokens['leasing']}"}, tokens


@pytest.fixture(scope="module")
def deal(server):
    """A prospect taken from enquiry to a signed lease on its hold's proposal."""
    client, staff, _ = server
    ready_by = date(date.today().year + 1, 6, 1)
    made = client.post(
        f"{LEASING}/prospects",
        headers=staff,
        json={
            "id": "deep-ai",
            "company": "Deep AI Co. (sample)",
            "contact": {"name": "Li Wei", "email": "li@example.com"},
            "requirement": {
                "kind": "office",
                "area_m2": 300,
                "ready_by": ready_by.isoformat(),
                "budget": 3.5,
            },
        },
    )
    assert made.status_code == 201, made.text
    assert made.headers["location"] == f"{LEASING}/prospects/deep-ai"
    assert made.json()["stage"] == "enquiry" and made.json()["history"][0]["by"]
    fits = client.get(f"{LEASING}/prospects/deep-ai/matches", headers=staff)
    assert fits.status_code == 200, fits.text
    for step in ({"stage": "tour"}, {"stage": "proposal", "note": "3.3 asked"}):
        moved = client.post(f"{LEASING}/prospects/deep-ai/advance", headers=staff, json=step)
        assert moved.status_code == 200, moved.text
    units = fits.json()["ready_by"]["ids"][:2]
    start, end = ready_by, ready_by.replace(year=ready_by.year + 5)
    held = client.post(
        f"{LEASING}/holds",
        headers=staff,
        json={
            "spaces": units,
            "tenant": "deep-ai",  # a prospect holds under the id it takes as a tenant
            "start": start.isoformat(),
            "end": end.isoformat(),
            "expires_at": (datetime.now(UTC) + timedelta(days=10)).isoformat(),
            "terms": {"rent": 3.3, "rent_unit": "cny_per_m2_day", "rent_free_months": 3},
        },
    )
    assert held.status_code == 201, held.text
    hold = held.json()
    moved = client.post(
        f"{LEASING}/prospects/deep-ai/advance",
        headers=staff,
        json={"stage": "hold", "hold": hold["id"]},
    )
    assert moved.status_code == 200 and moved.json()["hold"] == hold["id"]
    return {"fits": fits.json(), "hold": hold, "start": start, "end": end, "units": units}


def test_matches_now_and_at_the_ready_by_day(server, deal):
    client, staff, _ = server
    fits = deal["fits"]
    later = fits["ready_by"]
    assert later["on"] == deal["start"].isoformat()
    assert later["spaces"] >= 2 and later["blocks"] >= 1 and later["ids"]
    # offices in blocks of at least the 300 m² asked: the blocks hold at least that much
    assert later["area_m2"] >= 300
    # now: the same search's spaces free and ready today (`available`, not `not_ready`)
    assert fits["now"]["on"] is None and fits["now"]["ids"]
    for building in {i.split("/")[0] for i in fits["now"]["ids"]}:
        search = client.get(
            f"{LEASING}/availability",
            headers=staff,
            params={
                "building": building,
                "kind": "office",
                "min_contiguous_m2": 300,
                "limit": 2000,
            },
        ).json()
        status = {s["id"]: s["status"] for s in search["items"]}
        shown = [i for i in fits["now"]["ids"] if i.startswith(building + "/")]
        assert {status[i] for i in shown} == {"available"}, building


def test_a_revised_proposal_is_worth_what_the_arithmetic_says(server, deal):
    client, staff, _ = server
    hold = deal["hold"]
    revised = client.put(
        f"{LEASING}/holds/{hold['id']}/terms",
        headers=staff,
        json={"rent": 3.0, "rent_unit": "cny_per_m2_day", "deposit_months": 2},
    )
    assert revised.status_code == 200, revised.text
    assert (
        revised.json()["terms"]["rent"] == 3.0 and revised.json()["terms"]["rent_free_months"] == 0
    )
    worth = client.get(
        f"{LEASING}/holds/{hold['id']}/economics", headers=staff, params={"discount_rate": 0}
    )
    assert worth.status_code == 200, worth.text
    e = worth.json()
    # a flat 3.00 元/㎡/天 with nothing free: TCV = 3.00 × area × days; NER = 3.00 at any rate
    days = (deal["end"] - deal["start"]).days
    # (the area answered is rounded to 0.01 m²: within 2e-5 of the area charged)
    assert e["total_contract_value_cny"] == pytest.approx(3.0 * hold["area_m2"] * days, rel=2e-5)
    assert e["net_effective_rent"] == pytest.approx(3.0) and e["months"] == 60
    # deposit: 2 months of the first year's rent, 3.00 × area × (its days) / 12
    first_year = (deal["start"].replace(year=deal["start"].year + 1) - deal["start"]).days
    assert e["deposit_cny"] == pytest.approx(2 * 3.0 * hold["area_m2"] * first_year / 12, rel=2e-5)


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"rent": 3.0, "rent_unit": "cny_per_rack_month"}, "terms.rent_unit"),
        ({"rent": 300.0, "rent_unit": "cny_per_m2_day"}, "terms.rent"),
        (
            {"rent": 3.0, "rent_unit": "cny_per_m2_day", "rent_free_months": 60},
            "terms.rent_free_months",
        ),
        ({"rent": 3.0, "rent_unit": "cny_per_m2_day", "escalation": "stepped"}, "terms.steps"),
        (
            {"rent": 3.0, "rent_unit": "cny_per_m2_day", "rent_free_months": -1},
            "body.rent_free_months",
        ),
        ({"rent": 0, "rent_unit": "cny_per_m2_day"}, "body.rent"),
        ({"rent": 3.0, "rent_unit": "cny_per_m2_week"}, "body.rent_unit"),
        ({"rent": 3.0, "rent_unit": "cny_per_m2_day", "deposit_months": 99}, "body.deposit_months"),
        ({"rent": 3.0, "rent_unit": "cny_per_m2_day", "discount": 1}, "body.discount"),
    ],
)
def test_bad_terms_are_refused_naming_the_field_and_change_nothing(server, deal, terms, field):
    client, staff, _ = server
    url = f"{LEASING}/holds/{deal['hold']['id']}"
    before = client.get(url, headers=staff).json()
    refused = client.put(f"{url}/terms", headers=staff, json=terms)
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert field in {e["field"] for e in refused.json()["errors"]}, refused.json()
    assert client.get(url, headers=staff).json() == before


def test_signing_makes_the_prospect_a_tenant_on_the_proposal(server, deal):
    client, staff, _ = server
    signed = client.post(
        f"{LEASING}/prospects/deep-ai/sign",
        headers=staff,
        json={
            "name": {"zh": "深度智能(示例)", "en": "Deep AI Co. (sample)"},
            "category": "ecosystem",
            "hold": deal["hold"]["id"],
            "pre_lease": True,
        },
    )
    assert signed.status_code == 201, signed.text
    assert signed.json()["stage"] == "signed"
    lease_url = signed.headers["location"]
    lease = client.get(lease_url, headers=staff).json()
    assert lease["tenant"] == "deep-ai" and lease["hold"] == deal["hold"]["id"]
    assert lease["terms"]["rent"] == 3.0 and lease["terms"]["deposit_months"] == 2
    tenants = client.get(f"{LEASING}/tenants", headers=staff).json()["items"]
    assert "deep-ai" in {t["id"] for t in tenants}
    steps = [h["stage"] for h in signed.json()["history"]]
    assert steps == ["enquiry", "tour", "proposal", "hold", "signed"]
    again = client.post(f"{LEASING}/prospects/deep-ai/lose", headers=staff, json={"reason": "x"})
    assert again.status_code == 409

    roll = client.get(f"{LEASING}/rent-roll", headers=staff)
    assert roll.status_code == 200, roll.text
    row = next(r for r in roll.json()["items"] if r["lease"] == lease["id"])
    building = row["buildings"][0]
    only = client.get(f"{LEASING}/rent-roll", headers=staff, params={"building": building}).json()
    assert only["items"] and all(building in r["buildings"] for r in only["items"])
    assert (
        lease["id"] in {r["lease"] for r in only["items"]} and only["total"] < roll.json()["total"]
    )
    assert (
        row["tenant"] == "deep-ai" and row["rent"] == 3.0 and row["rent_unit"] == "cny_per_m2_day"
    )
    assert row["expiry"] == (deal["end"] - timedelta(days=1)).isoformat()
    assert row["annual_rent_cny"] == pytest.approx(3.0 * row["area_m2"] * 365, rel=2e-5)
    # the sample's office pre-leases escalate 3 % a year: the next step is named with its rent
    sample = [r for r in roll.json()["items"] if r["lease"].startswith("L-S")]
    assert sample and all(r["next_escalation"] and r["next_rent"] > r["rent"] for r in sample)


def test_wale_and_the_expiry_profile(server, deal):
    client, staff, _ = server
    wale = client.get(f"{LEASING}/wale", headers=staff)
    assert wale.status_code == 200, wale.text
    body = wale.json()
    scopes = {w["scope"]: w for w in body["buildings"]}
    # the service centre's sample leases ended on 2026-10-27: not in force now
    assert {"office-building", "data-centre"} <= set(scopes)
    campus = body["campus"]
    assert campus["leases"] >= sum(1 for _ in scopes) and campus["area_m2"] > 0
    assert 0 < campus["by_area_years"] < 10 and 0 < campus["by_income_years"] < 10
    assert body["fish"]["area_m2"] <= campus["area_m2"]
    # a WALE of the past is of the leases in force then: fewer years left later on
    then = client.get(f"{LEASING}/wale", headers=staff, params={"at": "2024-09-12"}).json()
    assert "service-centre" in {w["scope"] for w in then["buildings"]}
    office_then = next(w for w in then["buildings"] if w["scope"] == "office-building")
    assert office_then["by_area_years"] > 5  # pre-leases 2025-04-01 .. 2030-04-01, 5.5 years out

    profile = client.get(f"{LEASING}/expiry-profile", headers=staff).json()
    years = {y["year"]: y for y in profile["years"]}
    assert years[deal["end"].year]["leases"] >= 1 or years[(deal["end"] - timedelta(days=1)).year]
    assert sum(y["area_m2"] for y in profile["years"]) == pytest.approx(campus["area_m2"], abs=1)
    png = client.get(f"{LEASING}/expiry-profile.png", headers=staff)
    assert png.status_code == 200 and png.content.startswith(PNG)
    svg = client.get(f"{LEASING}/expiry-profile.svg", headers=staff)
    assert svg.headers["content-type"].startswith("image/svg+xml") and b"<svg" in svg.content
    missing = client.get(f"{LEASING}/expiry-profile", headers=staff, params={"building": "nope"})
    assert missing.status_code == 404


def test_a_lost_deal_and_the_funnel(server, deal):
    client, staff, _ = server
    client.post(
        f"{LEASING}/prospects",
        headers=staff,
        json={
            "id": "rack-buyer",
            "company": "Rack Buyer Ltd (sample)",
            "contact": {"name": "Zhang"},
            "requirement": {"kind": "rack", "racks": 20, "ready_by": "2027-01-01"},
        },
    ).raise_for_status()
    lost = client.post(
        f"{LEASING}/prospects/rack-buyer/lose", headers=staff, json={"reason": "price"}
    )
    assert lost.status_code == 200 and lost.json()["lost_reason"] == "price"
    this_year = {"from": f"{date.today().year}-01-01", "to": f"{date.today().year}-12-31"}
    f = client.get(f"{LEASING}/pipeline/funnel", headers=staff, params=this_year)
    assert f.status_code == 200, f.text
    body = f.json()
    assert body["prospects"] == 2 and body["lost"] == 1 and body["lost_reasons"] == {"price": 1}
    stages = {s["stage"]: s for s in body["stages"]}
    assert [stages[s]["reached"] for s in ("enquiry", "tour", "proposal", "hold", "signed")] == [
        2, 1, 1, 1, 1
    ]  # fmt: skip
    assert stages["enquiry"]["area_m2"] == 300 and stages["enquiry"]["racks"] == 20
    assert stages["tour"]["conversion"] == 0.5
    nothing = client.get(
        f"{LEASING}/pipeline/funnel",
        headers=staff,
        params={"from": "2020-01-01", "to": "2020-12-31"},
    ).json()
    assert nothing["prospects"] == 0
    # the sample's ten prospects enquired in 2024 (three lost)
    sample = client.get(
        f"{LEASING}/pipeline/funnel",
        headers=staff,
        params={"from": "2024-01-01", "to": "2024-12-31"},
    ).json()
    assert (sample["prospects"], sample["lost"]) == (10, 3)
    chart = client.get(f"{LEASING}/pipeline/funnel.png", headers=staff)
    assert chart.status_code == 200 and chart.content.startswith(PNG)
    listed = client.get(f"{LEASING}/prospects", headers=staff, params={"stage": "lost"}).json()
    assert "rack-buyer" in [p["id"] for p in listed["items"]]
    assert {p["stage"] for p in listed["items"]} == {"lost"}
    unknown = client.get(f"{LEASING}/pipeline/funnel", headers=staff, params={"stage": "x"})
    assert unknown.status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/rent-roll",
        "/wale",
        "/expiry-profile",
        "/expiry-profile.png",
        "/prospects",
        "/pipeline/funnel",
    ],
)
def test_anonymous_callers_get_401_and_other_roles_403(server, path):
    client, _, tokens = server
    assert client.get(f"{LEASING}{path}").status_code == 401
    other = {"Authorization": f"Bearer {tokens['construction']}"}
    forbidden = client.get(f"{LEASING}{path}", headers=other)
    assert forbidden.status_code == 403
    assert forbidden.headers["content-type"] == "application/problem+json"


def _every_event(client: httpx.Client, headers: dict[str, str]) -> list[dict]:
    url: str | None = "/api/v1/events?limit=1000"
    found: list[dict] = []
    while url:
        page = client.get(url, headers=headers).json()
        found += page["events"]
        url = page["next"]
    return found


def test_the_public_event_list_never_shows_terms_or_prospects(server, deal):
    client, staff, _ = server
    seen_by_staff = _every_event(client, staff)
    types = {e["type"] for e in seen_by_staff}
    assert {"ProspectRegistered", "HoldTermsProposed", "LeaseSigned"} <= types  # they exist
    assert any("terms" in e["data"] for e in seen_by_staff)
    public = _every_event(client, {})
    assert public, "the public sees construction and milestones"
    text = str(public)
    for secret in ("terms", "rent", "deep-ai", "Deep AI", "prospect", "Prospect", "Lease", "Hold"):
        assert secret not in text, secret


def test_a_rent_far_outside_the_buildings_range_asks_for_confirmation(server):
    # the office building's sample pre-leases are let at about 2.8-4.1 元/㎡/天
    client, staff, _ = server
    body = {
        "spaces": ["office-building/L05/U02"],
        "tenant": "sample-09",
        "start": "2031-01-01",
        "end": "2032-01-01",
        "expires_at": (datetime.now(UTC) + timedelta(days=5)).isoformat(),
        "terms": {"rent": 30.0, "rent_unit": "cny_per_m2_day"},
    }
    asked = client.post(f"{LEASING}/holds", headers=staff, json=body)
    assert asked.status_code == 409, asked.text
    problem = asked.json()
    assert problem["confirm"] == "terms.confirm_unusual_rent"
    assert problem["errors"][0]["field"] == "terms.rent" and "office-building" in problem["detail"]
    held = client.get(f"{LEASING}/holds", headers=staff, params={"tenant": "sample-09"}).json()
    assert held["total"] == 0  # nothing written
    body["terms"]["confirm_unusual_rent"] = True
    confirmed = client.post(f"{LEASING}/holds", headers=staff, json=body)
    assert confirmed.status_code == 201, confirmed.text
    assert confirmed.json()["terms"]["rent"] == 30.0
    usual = client.put(
        f"{LEASING}/holds/{confirmed.json()['id']}/terms",
        headers=staff,
        json={"rent": 3.6, "rent_unit": "cny_per_m2_day"},
    )
    assert usual.status_code == 200, usual.text


def test_occupancy_by_class_on_the_day_of_the_article(server):
    # 2024-09-12: the service centre (in use since 2023-10-27, F8) houses 18 one-unit sample
    # leases; the office building (not in use) is pre-let as the KPIs' signed share (F7) and
    # two sample holds of 2 and 3 units are live.
    client, staff, _ = server
    got = client.get(f"{LEASING}/occupancy", headers=staff, params={"at": "2024-09-12"})
    assert got.status_code == 200, got.text
    by = {b["scope"]: b for b in got.json()["buildings"]}
    assert by["service-centre"]["occupied"]["count"] == 18
    office = by["office-building"]
    kpis = client.get(f"{LEASING}/kpis", params={"at": "2024-09-12"}).json()
    signed = next(b for b in kpis["buildings"] if b["scope"] == "office-building")["signed_m2"]
    assert office["pre_leased"]["area_m2"] == pytest.approx(signed, abs=0.1)
    assert office["held"]["count"] == 5 and office["occupied"]["count"] == 0
    campus = got.json()["campus"]
    total = sum(campus[k]["count"] for k in ("occupied", "signed", "pre_leased", "held", "vacant"))
    assert total == sum(
        b[k]["count"]
        for b in by.values()
        for k in ("occupied", "signed", "pre_leased", "held", "vacant")
    )
    assert client.get(f"{LEASING}/occupancy").status_code == 401
