"""Brochures over HTTP: public PDFs of a unit, a floor and a building in both languages, read
back as a person would (the text with pypdf, the pages as pictures), with no confidential
field in them."""

from __future__ import annotations

import io
from datetime import date

import httpx
import numpy as np
import pypdfium2
import pytest
from pdf_text import pdf_text

LEASING = "/api/v1/leasing"
UNIT = "office-building/L04/U02"
SECRET_RENT = "12.345"


@pytest.fixture(scope="module")
def signed(leasing_twin):
    """A signed lease with a rent on UNIT, and the tenant's names."""
    live, tokens = leasing_twin
    staff = {"Authorization": f"Bearer {tokens['leasing']}"}
    with httpx.Client(base_url=live.url, timeout=180) as client:
        start = date(date.today().year + 1, 3, 1)
        lease = client.post(
            f"{LEASING}/leases",
            headers=staff,
            json={
                "spaces": [UNIT],
                "tenant": "sample-03",
                "start": start.isoformat(),
                "end": start.replace(year=start.year + 3).isoformat(),
                "pre_lease": True,
                "terms": {
                    "rent": float(SECRET_RENT),
                    "rent_unit": "cny_per_m2_day",
                    "confirm_unusual_rent": True,
                },
            },
        )
        assert lease.status_code == 201, lease.text
        tenants = client.get(f"{LEASING}/tenants", headers=staff).json()["items"]
        tenant = next(t for t in tenants if t["id"] == "sample-03")
        plan = client.get(f"{LEASING}/buildings/office-building/stacking-plan").json()
    cells = {c["space"]: c for f in plan["floors"] for c in f["cells"]}
    return live, lease.json()["id"], tenant["name"], cells[UNIT]["area_m2"]


@pytest.fixture(scope="module")
def brochures(signed):
    """The public's PDFs (no token): the unit in English, its floor in Chinese, the building in
    both."""
    live, *_ = signed
    paths = {
        ("unit", "en"): f"{LEASING}/buildings/office-building/floors/4/units/U02/brochure.pdf",
        ("floor", "zh"): f"{LEASING}/buildings/office-building/floors/4/brochure.pdf",
        ("building", "zh"): f"{LEASING}/buildings/office-building/brochure.pdf",
    }
    out = {}
    with httpx.Client(base_url=live.url, timeout=300) as client:
        for (scope, lang), path in paths.items():
            response = client.get(path, params={"lang": lang})
            assert response.status_code == 200, (path, response.text[:300])
            assert response.headers["content-type"] == "application/pdf"
            out[scope, lang] = response.content
    return out


def test_the_unit_brochure_names_the_unit_and_its_area_and_no_secret(signed, brochures):
    _, lease_id, tenant, area = signed
    text = pdf_text(brochures["unit", "en"])
    assert UNIT in text and f"{area:,.2f} m²" in text
    assert "Let or reserved" in text  # the public status: never "Leased"
    assert ("Readiness" in text and "construction forecast" in text) or "In use since" in text
    assert "Source: Shanghai Municipal People's Government, 2024-09-12 (F7)" in text
    assert "As of September 2024" in text  # a dated statement shows its date
    for secret in (SECRET_RENT, lease_id, tenant["en"], tenant["zh"], "sample-03", "Leased"):
        assert secret not in text, secret


def test_floor_and_building_brochures_are_in_chinese(signed, brochures):
    _, lease_id, tenant, _ = signed
    floor, building = pdf_text(brochures["floor", "zh"]), pdf_text(brochures["building", "zh"])
    assert "office-building/L04" in floor and "可租面积" in floor and "平面图" in floor
    assert "综合办公楼" in building and "楼层堆叠图" in building and "截至2024年9月" in building
    for text in (floor, building):
        for secret in (SECRET_RENT, lease_id, tenant["en"], tenant["zh"]):
            assert secret not in text, secret


def test_the_pages_are_pictures_a_person_can_read(brochures):
    """Page 1 carries the 3D render (many colours, the highlight among them), page 2 the plan."""
    for pdf in brochures.values():
        document = pypdfium2.PdfDocument(io.BytesIO(pdf))
        assert len(document) == 2
        first = np.asarray(document[0].render(scale=1).to_pil().convert("RGB")).astype(int)
        colours = {tuple(v // 16 for v in px) for px in first.reshape(-1, 3)[::7]}
        assert len(colours) > 40  # not a blank page
        r, g, b = first[..., 0], first[..., 1], first[..., 2]
        orange = (r - g > 40) & (r - b > 70)  # the highlight (a unit's floor: its tint)
        assert orange.sum() > 150, orange.sum()
        document.close()


def test_bad_ids_and_languages_are_refused_naming_them(signed):
    live, *_ = signed
    with httpx.Client(base_url=live.url, timeout=60) as client:
        for path, named in (
            (
                f"{LEASING}/buildings/office-building/floors/4/units/U99/brochure.pdf",
                "office-building/L04/U99",
            ),
            (f"{LEASING}/buildings/no-such-tower/brochure.pdf", "no-such-tower"),
            (f"{LEASING}/buildings/office-building/floors/99/brochure.pdf", "office-building/L99"),
        ):
            response = client.get(path)
            assert response.status_code == 404, path
            assert named in response.json()["detail"], response.text
        response = client.get(
            f"{LEASING}/buildings/office-building/brochure.pdf", params={"lang": "fr"}
        )
        assert response.status_code == 422 and "'fr'" in response.json()["detail"]
