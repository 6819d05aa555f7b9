"""Stacking plans (JSON, SVG, PNG) and floor plans (SVG, PNG) of any building at any time.

Staff see held and leased spaces apart, with tenants; the public sees available, unavailable
(held or let: never which, never by whom) and not-ready space, judged no later than now.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Path
from fastapi.responses import JSONResponse, Response

from api.auth import WhoDep
from api.deps import TwinDep
from api.leasing.convert import json_of
from api.leasing.plan_schemas import (
    PublicStackCell,
    PublicStackFloor,
    PublicStackingPlan,
    StaffStackCell,
    StaffStackFloor,
    StaffStackingPlan,
    StatusKey,
)
from api.pictures import PictureFormat, picture, picture_responses
from api.problems import problem_responses
from api.schemas import LocalisedName
from api.strict_query import api_router
from api.timeparam import at_param
from occupancy.palette import STATUS_COLORS
from occupancy.plans import StackingPlan
from twin.leasing.plans import building_stacking_plan, floor_plan
from viewer.plans import draw_floor_plan, draw_stacking_plan

router = api_router("/api/v1/leasing/buildings", ["leasing"])
Building = Annotated[
    str, Path(examples=["office-building"], description="A building id (unknown ids: 404)")
]
Level = Annotated[int, Path(ge=1, le=200, description="Floor, 1 = ground", examples=[5])]
NOT_FOUND = problem_responses(described={404: "No such building or floor"})


def _seen(at: datetime, staff: bool) -> datetime:
    return at if staff else min(at, datetime.now(UTC))


def _plan_json(plan: StackingPlan, staff: bool) -> StaffStackingPlan | PublicStackingPlan:
    floors: list[StaffStackFloor] | list[PublicStackFloor]
    if staff:
        floors = [
            StaffStackFloor(
                floor=f.floor,
                level=f.level,
                area_m2=round(f.area_m2, 2),
                vacant_m2=round(f.vacant_m2, 2),
                counts={s: f.count(s) for s in plan.statuses},
                cells=[
                    StaffStackCell(
                        space=c.space.id,
                        label=c.label,
                        area_m2=round(c.space.area_m2, 2),
                        status=c.status,
                        **(vars(c.detail) if c.detail else {}),
                    )
                    for c in f.cells
                ],
            )
            for f in plan.floors
        ]
    else:
        floors = [
            PublicStackFloor(
                floor=f.floor,
                level=f.level,
                area_m2=round(f.area_m2, 2),
                vacant_m2=round(f.vacant_m2, 2),
                counts={s: f.count(s) for s in plan.statuses},
                cells=[
                    PublicStackCell(
                        space=c.space.id,
                        label=c.label,
                        area_m2=round(c.space.area_m2, 2),
                        status=c.status,
                    )
                    for c in f.cells
                ],
            )
            for f in plan.floors
        ]
    model = StaffStackingPlan if staff else PublicStackingPlan
    return model(
        building=plan.building,
        name=LocalisedName(zh=plan.name_zh, en=plan.name_en),
        at=plan.at,
        statuses=list(plan.statuses),
        legend=[
            StatusKey(
                status=s,
                color=STATUS_COLORS[s][0],
                name=LocalisedName(zh=STATUS_COLORS[s][2], en=STATUS_COLORS[s][1]),
            )
            for s in plan.statuses
        ],
        area_m2=round(plan.area_m2, 2),
        vacant_m2=round(plan.vacant_m2, 2),
        floors=floors,
    )


@router.get(
    "/{building}/stacking-plan",
    operation_id="getStackingPlan",
    summary="Stacking plan of a building (JSON)",
    responses={200: {"model": StaffStackingPlan | PublicStackingPlan}, **NOT_FOUND},
)
def stacking_plan_json(
    who: WhoDep,
    twin: TwinDep,
    building: Building,
    at: datetime = Depends(at_param),
) -> JSONResponse:
    """Floors top first, each with its spaces in order, their status and area, and the floor's
    vacant area (m²). Staff cells name the tenant and hold or lease."""
    staff = who.may("leasing")
    plan = building_stacking_plan(twin, building, _seen(at, staff), staff=staff)
    return json_of(_plan_json(plan, staff))


STACKING = "Floors by spaces, coloured by status, with the vacant area of each floor (m²)."
FLOOR = (
    "Unit outlines coloured by status, labelled with id and area (m²), and tenant for staff; "
    "a data-centre floor shows its halls and racks."
)


@router.get(
    "/{building}/stacking-plan.{fmt}",
    operation_id="getStackingPlanPicture",
    summary="Stacking plan of a building (PNG or SVG)",
    description=STACKING,
    response_class=Response,
    responses={**picture_responses("The plan"), **NOT_FOUND},
)
def stacking_plan_picture(
    who: WhoDep,
    twin: TwinDep,
    building: Building,
    fmt: PictureFormat,
    at: datetime = Depends(at_param),
) -> Response:
    staff = who.may("leasing")
    plan = building_stacking_plan(twin, building, _seen(at, staff), staff=staff)
    return picture(draw_stacking_plan(plan, fmt), fmt, "no-store")  # staff plans name tenants


@router.get(
    "/{building}/floors/{level}/plan.{fmt}",
    operation_id="getFloorPlanPicture",
    summary="Floor plan of one floor (PNG or SVG)",
    description=FLOOR,
    response_class=Response,
    responses={**picture_responses("The plan"), **NOT_FOUND},
)
def floor_plan_picture(
    who: WhoDep,
    twin: TwinDep,
    building: Building,
    level: Level,
    fmt: PictureFormat,
    at: datetime = Depends(at_param),
) -> Response:
    staff = who.may("leasing")
    plan = floor_plan(twin, building, level, _seen(at, staff), staff=staff)
    return picture(draw_floor_plan(plan, fmt), fmt, "no-store")
