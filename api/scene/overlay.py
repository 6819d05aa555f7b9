"""What the browser client draws over the scene: points of interest, outlines, construction
progress for ghosts and 4D playback, and public feature cards."""

from __future__ import annotations

import re
from datetime import datetime

from fastapi import Depends, HTTPException, Request

from api.deps import TwinDep
from api.problems import problem_responses
from api.scene.models import (
    FeatureCard,
    Pois,
    Progress,
    SceneProgress,
    ViewerCapabilities,
)
from api.strict_query import api_router
from api.timeparam import answer_time, at_param
from twin.facilities.effective import feature_statuses
from viewer import modes as colors
from viewer.overlay import (
    TARGETS_2025,
    facilities,
    feature_card,
    names,
    outlines,
    points_of_interest,
)
from viewer.progress import buildings_progress
from viewer.sources import citation

router = api_router("/api/v1", ["viewer"])


@router.get("/pois", operation_id="getPois", summary="Points of interest, outlines and targets")
def pois(twin: TwinDep, at: datetime = Depends(at_param)) -> Pois:
    """The fish head, the data centre, the office building 一楼观全港 and the cross-border
    data service centre with the published fact describing each (zh, en); the park, core and
    fish outlines; the park's 2025 targets (F2); the names of zones, parcels and buildings
    (for search), the facilities with their buildings and every fact's citation (source, date). Positions in the GLB's scene frame, m.
    All of the campus as built at ``at`` (default now): an import may add or rename buildings."""
    campus = twin.campus_at(at)
    return Pois.model_validate(
        {
            "pois": [vars(p) for p in points_of_interest(campus)],
            "outlines": outlines(campus),
            "targets": [{"id": k, "value": v, "facts": ["F2"]} for k, v in TARGETS_2025.items()],
            "names": names(campus),
            "facilities": facilities(campus),
            "citations": {f: citation(fact) for f, fact in campus.facts.items()},
        }
    )


@router.get(
    "/scene/progress",
    operation_id="getSceneProgress",
    summary="How far each building stands, at any time",
)
def progress(twin: TwinDep, at: datetime = Depends(at_param)) -> SceneProgress:
    """Per building: the latest stage begun and its percent, whether work after design has
    begun (else the viewer draws a ghost), the share of storeys standing, lateness and the
    date it enters use, from the construction history at `at`."""
    out = {b: Progress(**vars(p)) for b, p in buildings_progress(twin, at).items()}
    return SceneProgress(at=answer_time(at, at.tzinfo), buildings=out)


@router.get(
    "/scene/features/{feature_id:path}",
    operation_id="getSceneFeature",
    summary="Public facts of one scene feature",
    responses=problem_responses(described={404: "No such feature"}),
)
def feature(feature_id: str, twin: TwinDep, at: datetime = Depends(at_param)) -> FeatureCard:
    """Name, building, floor, area (m²) and the building's stage and ready date at `at`, for
    a zone, parcel, building, floor or unit id such as `fish-head-t1/L12/U03`."""
    card = feature_card(twin.campus_at(at), feature_id)
    if card is None:
        raise HTTPException(404, f"no feature {feature_id!r} in the scene")
    building = card.get("building")
    if building:
        p = buildings_progress(twin, at)[building]
        card |= {"stage": p.stage, "ready": p.ready, "late": p.late}
        card |= {"percent": p.stage_percent, "percent_basis": p.percent_basis}
        statuses = feature_statuses(twin, at)
        own = next((k for k in (feature_id, card.get("floor"), building) if k in statuses), None)
        if own is not None:
            card["facility_status"] = statuses[own]
    return FeatureCard.model_validate(card)


OPTIONAL_ROUTES = {
    "availability": r"^/api/v1/leasing/availability$",
    "stacking_plan": r"^/api/v1/leasing/buildings/\{[a-z_]+\}/stacking-plan$",
    "facilities_stream": r"^/api/v1/facilities/stream$",
    "alarms": r"^/api/v1/facilities/alarms$",
}
"""Endpoints of other services the viewer uses when this server has them."""


@router.get("/viewer", operation_id="getViewerCapabilities", summary="What the viewer can use here")
def capabilities(request: Request, twin: TwinDep) -> ViewerCapabilities:
    """The colouring modes and the optional endpoints (leasing availability, a building's
    stacking plan for the internal fields of a unit card, the facilities event stream, the
    facility alarms) this
    server offers, so the browser client asks only for what exists. A template's `{…}` takes
    the building id. `telemetry` says whether the facilities' data are simulated."""
    paths = list(request.app.openapi().get("paths", {}))  # cached by FastAPI after the first call
    found = {
        name: next((p for p in paths if re.match(pattern, p)), None)
        for name, pattern in OPTIONAL_ROUTES.items()
    }
    return ViewerCapabilities(modes=colors.modes(), telemetry=twin.facilities.telemetry, **found)
