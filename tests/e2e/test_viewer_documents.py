"""A unit's card links to its brochure (the public PDF, in the viewer's language) and its floor
plan; followed as a visitor would, the brochure names the unit and its area."""

from __future__ import annotations

import io

import httpx
from pypdf import PdfReader

UNIT = "office-building/L12/U03"


def test_a_unit_card_links_to_its_brochure_and_floor_plan(viewer, live_twin) -> None:
    for lang in ("en", "zh"):
        v = viewer(f"mode=leasing&lang={lang}&sel={UNIT}")
        v.page.wait_for_selector("#card:not([hidden]) #doc-brochure")
        brochure = v.page.get_attribute("#doc-brochure", "href")
        plan = v.page.get_attribute("#doc-plan", "href")
        assert brochure == (
            f"/api/v1/leasing/buildings/office-building/floors/12/units/U03/brochure.pdf?lang={lang}"
        )
        assert plan == "/api/v1/leasing/buildings/office-building/floors/12/plan.svg"
        label = v.page.inner_text("#doc-brochure")
        assert label == ("Brochure (PDF)" if lang == "en" else "宣传册 (PDF)")
        pdf = httpx.get(live_twin.url + brochure, timeout=120)
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
        assert "U03" in text and "m²" in text
        svg = httpx.get(live_twin.url + plan, timeout=60)
        assert svg.status_code == 200 and svg.text.lstrip().startswith("<")
        assert v.errors == []
