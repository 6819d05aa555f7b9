"""Schedule pictures and the S-curve: the activity Gantt chart (critical path, links,
baseline bars) and planned against actual percent complete with the SPI."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, Query, Response
from pydantic import BaseModel, Field

from api.deps import TwinDep
from api.pictures import PictureFormat, picture, picture_responses
from api.problems import problem_responses
from api.strict_query import api_router
from api.timeparam import answer_time, at_param
from twin.construction.scurve import s_curve
from viewer.construction_charts import schedule_gantt_bytes
from viewer.scurve_chart import s_curve_chart

router = api_router("/api/v1/construction", ["construction"])
Scope = Annotated[
    str,
    Query(
        description="`campus`, `fish` (every fish parcel), a parcel (e.g. fish-head) or a "
        "building or work package id",
        max_length=100,
    ),
]
NO_SCOPE = problem_responses(described={404: "No such parcel, building or work package"})


@router.get(
    "/schedule/gantt.{fmt}",
    operation_id="getConstructionScheduleGantt",
    summary="The schedule's Gantt chart: critical path, links, baseline bars (PNG or SVG)",
    response_class=Response,
    responses={
        **picture_responses("The chart"),
        **problem_responses(described={404: "No such baseline", 422: "The links loop"}),
    },
)
def schedule_gantt(
    twin: TwinDep,
    fmt: PictureFormat,
    baseline: Annotated[
        str | None,
        Query(description="Draw this baseline's bars under the current ones", max_length=100),
    ] = None,
    at: datetime = Depends(at_param),
) -> Response:
    """One row per activity at its early dates as of `at`: critical activities red, links
    drawn as arrows, milestones as diamonds, total float at each bar's end, a dashed line
    on `at`'s date and, with `baseline`, that baseline's bars under each activity."""
    return picture(schedule_gantt_bytes(twin, at, baseline, fmt), fmt, "no-cache")


class SCurvePointOut(BaseModel):
    day: date
    planned_percent: float
    actual_percent: float | None = Field(description="Null after `at`")


class SCurveReport(BaseModel):
    at: str
    scope: str
    planned_percent: float = Field(description="Planned (baseline) percent on `at`'s date")
    actual_percent: float = Field(description="Recorded percent on `at`'s date")
    spi: float | None = Field(description="Schedule performance index: actual / planned")
    points: list[SCurvePointOut] = Field(description="Monthly, over the baseline's span")


S_CURVE_DOC = """Percent complete over time of `scope`, each stage weighted by its baseline
(first planned) duration in days: planned from the baseline, linear within a stage; actual
as the history recorded it by each month (0 before a start, the latest report, 100 once
completed; never an estimate). SPI = actual / planned on `at`'s date (below 1: behind)."""


@router.get(
    "/s-curve",
    operation_id="getConstructionSCurve",
    summary="Planned against actual percent complete over time, with the SPI",
    description=S_CURVE_DOC,
    responses=NO_SCOPE,
)
def s_curve_json(
    twin: TwinDep, scope: Scope = "campus", at: datetime = Depends(at_param)
) -> SCurveReport:
    curve = s_curve(twin, at, scope)
    return SCurveReport(
        at=answer_time(at, at.tzinfo),
        scope=scope,
        planned_percent=curve.now.planned,
        actual_percent=curve.now.actual or 0.0,
        spi=curve.spi,
        points=[
            SCurvePointOut(day=p.day, planned_percent=p.planned, actual_percent=p.actual)
            for p in curve.points
        ],
    )


@router.get(
    "/s-curve.{fmt}",
    operation_id="getConstructionSCurvePicture",
    summary="The S-curve as a picture (PNG or SVG)",
    description=S_CURVE_DOC,
    response_class=Response,
    responses={**picture_responses("The chart"), **NO_SCOPE},
)
def s_curve_picture(
    twin: TwinDep, fmt: PictureFormat, scope: Scope = "campus", at: datetime = Depends(at_param)
) -> Response:
    return picture(s_curve_chart(s_curve(twin, at, scope), fmt), fmt, "no-cache")
