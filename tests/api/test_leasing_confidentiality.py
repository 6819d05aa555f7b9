"""Confidentiality: the public sees whether a space is available and the names of tenants who
consented, never rents, lease dates, holds or other tenants. Walks every leasing endpoint in
the OpenAPI document anonymously, after staff have made holds and leases with rents."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from pdf_text import pdf_text

LEASING = "/api/v1/leasing"
FORBIDDEN_KEYS = {
    "terms",
    "rent",
    "net_effective_rent",
    "total_contract_value_cny",
    "annual_rent_cny",
    "by_income_years",
    "company",
    "contact",
    "requirement",
    "tenant",
    "tenant_name",
    "ref",
    "kind_of_booking",
    "expires_at",
    "free_from",
    "start",
    "end",
    "until",
    "pre_lease",
    "hold",
    "lease",
    "spaces",
    "started_on",
    "terminated_on",
    "actor",
    "head_enterprise",
    "public",
    "provenance",
    "items_held",
}
FORBIDDEN_STATUSES = {"held", "leased", "signed", "active"}
SECRET_RENT = 12.345
RENT = re.compile(rf"(?<![\d.]){re.escape(str(SECRET_RENT))}(?!\d)")
"""The rent as a number of its own (a time such as ``20:15:12.345678`` is not it)."""
TERMS = {  # 12.345 元/㎡/天 is far above the office building's range: confirmed
    "rent": SECRET_RENT,
    "rent_unit": "cny_per_m2_day",
    "rent_free_months": 3,
    "confirm_unusual_rent": True,
}
GUARDED = (
    "/availability.xlsx",
    "/holds",
    "/leases",
    "/prospects",
    "/pipeline",
    "/rent-roll",
    "/wale",
    "/expiry",
    "/occupancy",
)


@pytest.fixture(scope="module")
def walked(leasing_twin):
    """Staff book spaces, then every GET of the leasing API is called without a token."""
    live, tokens = leasing_twin
    staff = {"Authorization": f"Bearer {tokens['leasing']}"}
    with httpx.Client(base_url=live.url, timeout=60) as client:
        start = date(date.today().year + 1, 3, 1)
        end = start.replace(year=start.year + 3)
        expires = (datetime.now(UTC) + timedelta(days=10)).isoformat()
        hold = client.post(
            f"{LEASING}/holds",
            headers=staff,
            json={
                "spaces": ["office-building/L04/U01"],
                "tenant": "sample-02",
                "start": start.isoformat(),
                "end": end.isoformat(),
                "expires_at": expires,
                "terms": TERMS,
            },
        ).json()
        lease = client.post(
            f"{LEASING}/leases",
            headers=staff,
            json={
                "spaces": ["office-building/L04/U02"],
                "tenant": "sample-03",
                "start": start.isoformat(),
                "end": end.isoformat(),
                "pre_lease": True,
                "terms": TERMS,
            },
        ).json()
        requirement = {"kind": "office", "area_m2": 500, "ready_by": start.isoformat()}
        prospect = {
            "id": "secret-prospect",
            "company": "Secret Prospect Co.",
            "contact": {"name": "Wang"},
        }
        made = client.post(
            f"{LEASING}/prospects", headers=staff, json={**prospect, "requirement": requirement}
        )
        assert made.status_code == 201, made.text
        tenants = client.get(f"{LEASING}/tenants", headers=staff).json()["items"]
        values = {
            "building": "office-building",
            "level": "4",
            "hold_id": hold["id"],
            "lease_id": lease["id"],
            "prospect_id": "secret-prospect",
            "unit": "U02",  # brochures: the leased unit's (level 4)
        }
        spec = client.get("/openapi.json").json()
        pages = {}
        for path, item in spec["paths"].items():
            if not path.startswith(LEASING):
                continue
            formats = ("png", "svg") if "{fmt}" in path else ("",)  # pictures: both formats
            for url, method in itertools.product(
                [path.format(**values, fmt=f) for f in formats], item
            ):
                declared = {p["name"] for p in item[method].get("parameters", [])}
                # `at` only where the operation takes it: others refuse it (400) as unknown
                for at in (None, "2024-09-12", "2040-01-01") if "at" in declared else (None,):
                    params = {"at": at} if at else {}
                    if method == "get" and "availability" in path:
                        params |= {
                            "available_from": (end + timedelta(days=1)).isoformat(),
                            "building": "office-building",
                        }
                        if not path.endswith(".xlsx"):  # the sheet is never paged
                            params["limit"] = 2000
                    response = client.request(method.upper(), url, params=params, json={})
                    pages[(method, url, at)] = response
        colours = client.get("/api/v1/scene/colors", params={"mode": "leasing"})
        pages[("get", "/api/v1/scene/colors?mode=leasing", None)] = colours
    return pages, hold, lease, tenants, (start, end)


def _keys(value) -> set[str]:  # type: ignore[no-untyped-def]
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def _statuses(value) -> set[str]:  # type: ignore[no-untyped-def]
    if isinstance(value, dict):
        own = {value["status"]} if isinstance(value.get("status"), str) else set()
        return own | {s for v in value.values() for s in _statuses(v)}
    if isinstance(value, list):
        return {s for v in value for s in _statuses(v)}
    return set()


def test_commands_and_ledgers_refuse_the_public(walked):
    pages, *_ = walked
    guarded = set()
    for (method, url, _), response in pages.items():
        if method != "get" or any(g in url for g in GUARDED):
            assert response.status_code == 401, (method, url)
            guarded.add((method, url))
    # tenants, holds, release, sign a hold, leases, start, terminate; the ledgers and one of
    # each; the terms of a hold; prospects: register, advance, lose, sign
    assert sorted(m for m, _ in guarded if "/holds" in _ or "/leases" in _) == (
        ["get"] * 6 + ["post"] * 6 + ["put"]
    ), sorted(guarded)
    # the economics and the pipeline, every one of them
    for part in (
        "/economics",
        "/rent-roll",
        "/wale",
        "/expiry-profile",
        "/prospects",
        "/funnel",
        "/occupancy",
    ):
        assert any(part in url for _, url in guarded), part
    assert len(guarded) == 33, sorted(guarded)  # with the .xlsx sheets and the import


def test_public_answers_name_no_secret(walked):
    pages, hold, lease, tenants, (_, end) = walked
    private = [t["name"] for t in tenants if not t["public"]]
    assert private, "the sample has tenants who did not consent"
    names = re.compile(
        "|".join(rf"{re.escape(n['en'])}(?!\d)|{re.escape(n['zh'])}(?!\d)" for n in private)
    )
    seen = 0
    for (method, url, at), response in pages.items():
        if response.status_code != 200:
            continue
        seen += 1
        kind = response.headers["content-type"]
        text = pdf_text(response.content) if kind == "application/pdf" else response.text
        text = "" if "png" in kind else text
        where = f"{method} {url} at={at}"
        secrets = (hold["id"], lease["id"], end.isoformat(), "L-S0", "H-S0")
        for secret in (*secrets, "Secret Prospect", "secret-prospect"):
            assert secret not in text, (where, secret)
        assert not RENT.search(text), (where, RENT.search(text))
        assert not names.search(text), (where, names.search(text))
        if response.headers["content-type"].startswith("application/json"):
            body = response.json()
            assert not (_keys(body) & FORBIDDEN_KEYS), (where, _keys(body) & FORBIDDEN_KEYS)
            assert not (_statuses(body) & FORBIDDEN_STATUSES), where
        if "svg" in response.headers["content-type"]:
            assert "Held" not in text and "Leased" not in text and "Sample Data Co." not in text
    assert seen >= 8
    brochures = [
        u for (_, u, _), r in pages.items() if r.headers["content-type"] == "application/pdf"
    ]
    assert len(brochures) == 3, brochures  # unit, floor, building: read back above


def test_the_public_cannot_read_a_lease_end_off_a_future_date(walked):
    pages, *_ = walked
    asked = []
    for (_, url, at), response in pages.items():
        if url.endswith("/availability") and at != "2024-09-12":  # signed after that day
            assert response.status_code == 200
            ids = {s["id"] for s in response.json()["items"]}
            assert len(ids) > 10, at  # the rest of the building is offered
            assert "office-building/L04/U02" not in ids, at  # let now, whatever `at` says
            asked.append(at)
    assert sorted(asked, key=str) == ["2040-01-01", None]


def test_consented_names_are_public(walked):
    pages, _, _, tenants, _ = walked
    public = {t["name"]["en"] for t in tenants if t["public"]}
    listed = pages[("get", f"{LEASING}/tenants", None)].json()
    assert {t["name"]["en"] for t in listed["named"]} == public
    assert listed["total"] == len(tenants)
