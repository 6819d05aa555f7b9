"""Brochures as PDF for a unit, a floor or a building, in Chinese or English (public).

What a prospect takes away: a 3D render with the space highlighted, the floor plan (or the
building's stacking plan), areas, readiness from the construction forecast and the published
campus facts that apply with their sources. Public content only, whoever asks: no rent, term,
hold, lease or tenant (:mod:`twin.leasing.brochure`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Request, Response

from api.deps import TwinDep
from api.leasing.plans import Building, Level
from api.problems import problem_responses
from api.scene.render_gate import gated
from api.strict_query import api_router
from assets.campus import floor_id
from twin.leasing.brochure import Scope, brochure
from twin.runtime import Twin
from viewer.brochure import Lang, brochure_pdf

router = api_router("/api/v1/leasing", ["leasing"])
LangQuery = Annotated[Lang, Query(description="Language of the brochure: zh (中文) or en")]
Unit = Annotated[
    str,
    Path(
        description="A unit on the floor: the last part of its id (`U03` of "
        "`office-building/L12/U03`; unknown units: 404)",
        examples=["U03"],
        max_length=40,
    ),
]
RESPONSES = {
    200: {"content": {"application/pdf": {}}, "description": "The brochure, A4, two pages"},
    **problem_responses(
        described={
            404: "No such unit, floor or building (naming it)",
            422: "Unknown lang (naming it)",
            503: "Offscreen rendering unavailable, or the render queue is full",
        }
    ),
}
DESCRIPTION = (
    "A PDF a prospect takes away: a 3D render with the space highlighted, the floor plan (a "
    "building's: its stacking plan), leasable and vacant areas (m²), readiness from the "
    "construction forecast and the published campus facts that apply, dated, with sources. "
    "Public: the same document for every caller, with no rent, term or tenant."
)


def _pdf(request: Request, twin: Twin, any_id: str, scope: Scope, lang: Lang) -> Response:
    content = brochure(twin, any_id, scope)  # 404 naming the id before any drawing
    pdf = gated(request, lambda: brochure_pdf(twin, content, lang))
    if not isinstance(pdf, bytes):
        return pdf
    name = any_id.replace("/", "_")
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Cache-Control": "no-cache",
            "Content-Disposition": f'inline; filename="brochure-{name}-{lang}.pdf"',
        },
    )


@router.get(
    "/buildings/{building}/floors/{level}/units/{unit}/brochure.pdf",
    operation_id="getUnitBrochure",
    summary="Brochure of a unit (PDF)",
    description=DESCRIPTION,
    response_class=Response,
    responses=RESPONSES,
)
def unit_brochure(
    request: Request,
    twin: TwinDep,
    building: Building,
    level: Level,
    unit: Unit,
    lang: LangQuery = "zh",
) -> Response:
    return _pdf(request, twin, f"{floor_id(building, level)}/{unit}", "unit", lang)


@router.get(
    "/buildings/{building}/floors/{level}/brochure.pdf",
    operation_id="getFloorBrochure",
    summary="Brochure of a floor (PDF)",
    description=DESCRIPTION,
    response_class=Response,
    responses=RESPONSES,
)
def floor_brochure(
    request: Request, twin: TwinDep, building: Building, level: Level, lang: LangQuery = "zh"
) -> Response:
    return _pdf(request, twin, floor_id(building, level), "floor", lang)


@router.get(
    "/buildings/{building}/brochure.pdf",
    operation_id="getBuildingBrochure",
    summary="Brochure of a building (PDF)",
    description=DESCRIPTION,
    response_class=Response,
    responses=RESPONSES,
)
def building_brochure(
    request: Request, twin: TwinDep, building: Building, lang: LangQuery = "zh"
) -> Response:
    return _pdf(request, twin, building, "building", lang)
