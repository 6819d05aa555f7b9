"""Construction, as of any instant: stages and percent, late work, milestones, GFA by state."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Query, Response

from api.construction.charts import FromDay, ToDay, span
from api.construction.schemas import (
    BuildingsReport,
    EntitySchedule,
    GfaPoint,
    GfaReport,
    GfaScope,
    GfaSeries,
    LateReport,
    LocalisedName,
    MilestoneOut,
    MilestonesReport,
    entity_status,
    late_stage,
    stage_out,
)
from api.deps import TwinDep
from api.etags import etag_of
from api.problems import problem_responses
from api.strict_query import api_router
from api.timeparam import answer_time, at_param
from assets.construction.catalogue import entity as find_entity
from assets.construction.forecast import late_stages
from assets.construction.gfa import by_scope, series
from twin.construction import view
from twin.construction.queries import milestone_states

router = api_router("/api/v1/construction", ["construction"])
NO_PARCEL = problem_responses(described={404: "No such parcel"})
Parcel = Annotated[
    str | None,
    Query(description="Only this parcel, e.g. fish-head, fish-body, fish-tail", max_length=100),
]


def _iso(at: datetime) -> str:
    return answer_time(at, at.tzinfo)


@router.get(
    "/buildings",
    operation_id="listConstructionStatus",
    responses=NO_PARCEL,
    summary="Each building's and work package's current stage and percent",
)
def buildings(
    twin: TwinDep,
    parcel: Parcel = None,
    at: datetime = Depends(at_param),
) -> BuildingsReport:
    """Every building, then the data centre's work packages (its two external power feeds
    and internal equipment, F6), with the latest stage begun by `at`, its percent complete,
    and whether any open stage is behind plan."""
    v = view(twin, at, parcel)
    out = [entity_status(e, v.schedules[e.id]) for e in v.entities]
    return BuildingsReport(at=_iso(at), buildings=out)


@router.get(
    "/buildings/{building_id}",
    operation_id="getConstructionSchedule",
    summary="One building's or work package's stages: plan, actual, forecast",
    responses=problem_responses(described={404: "No such building or work package"}),
)
def building(
    twin: TwinDep,
    building_id: str,
    response: Response,
    at: datetime = Depends(at_param),
) -> EntitySchedule:
    """Every stage the history mentions, as known at `at`: planned and first-planned dates,
    actual dates, percent, the forecast (from the progress rate so far, else the plan) and
    the slip in days."""
    e = find_entity(twin.campus_at(at), building_id)  # unknown: 404 problem naming it
    response.headers["ETag"] = etag_of(twin.fresh().latest(e.stream)[1])  # for If-Match
    schedules = view(twin, at, e.parcel).schedules[e.id]
    return EntitySchedule(
        **entity_status(e, schedules).model_dump(),
        stages=[stage_out(e, s) for s in schedules],
    )


@router.get(
    "/late",
    operation_id="listLateStages",
    responses=NO_PARCEL,
    summary="Stages behind plan, most slip first",
)
def late(
    twin: TwinDep,
    parcel: Parcel = None,
    completed: Annotated[
        bool, Query(description="Also list stages that finished after their planned end")
    ] = False,
    at: datetime = Depends(at_param),
) -> LateReport:
    """Open stages that are overdue (planned end passed), started late or forecast to end
    late, as known at `at`, with the days of slip against the current plan and the first
    plan and the forecast end. Forecast: the progress rate so far carried to 100 %, else the
    planned duration; never earlier than `at` for unfinished work."""
    v = view(twin, at, parcel)
    by_id = {e.id: e for e in v.entities}
    stages = [late_stage(by_id[s.entity], s) for s in late_stages(v.all_schedules(), completed)]
    return LateReport(at=_iso(at), count=len(stages), stages=stages)


@router.get(
    "/milestones",
    operation_id="listConstructionMilestones",
    summary="Published milestones: on track, at risk or late",
)
def milestones(twin: TwinDep, at: datetime = Depends(at_param)) -> MilestonesReport:
    """The milestones the sources publish, e.g. the fish head ready for completion acceptance
    by 2025-12-31 (F5), the data centre's dual feed and equipment complete in 2025 (F6), the
    office building in operation in 2025 (F7), each judged on `at` from actuals and forecasts."""
    out = [
        MilestoneOut(
            id=m.milestone.id,
            name=LocalisedName(zh=m.milestone.name_zh, en=m.milestone.name_en),
            due=m.milestone.due,
            facts=list(m.milestone.facts),
            stage=m.milestone.stage,
            edge=m.milestone.edge,
            buildings=list(m.milestone.entities),
            status=m.status,
            reached=m.reached,
            actual=m.actual,
            forecast=m.forecast,
            margin_days=m.margin_days,
        )
        for m in milestone_states(twin, at)
    ]
    return MilestonesReport(at=_iso(at), milestones=out)


@router.get(
    "/gfa",
    operation_id="getConstructionGfa",
    summary="Floor space topped out, accepted and in use, per parcel and campus",
)
def gfa(twin: TwinDep, at: datetime = Depends(at_param)) -> GfaReport:
    """Gross floor area (m²) of the buildings topped out (structure completed), accepted
    (completion acceptance completed) and in use (use started) by `at`, per parcel and for
    the campus, next to what the plan (as known at `at`) said for that date."""
    v = view(twin, at)
    scopes = [
        GfaScope(scope=t.scope, total_m2=t.total_m2, actual_m2=t.actual_m2, planned_m2=t.planned_m2)
        for t in by_scope(v.buildings(), v.today)
    ]
    return GfaReport(at=_iso(at), scopes=scopes)


@router.get(
    "/gfa/series",
    operation_id="getConstructionGfaSeries",
    responses=NO_PARCEL,
    summary="Floor space by state over time, actual and planned",
)
def gfa_series(
    twin: TwinDep,
    response: Response,
    parcel: Parcel = None,
    start: FromDay = "2019-01-01",
    end: ToDay = "2027-12-31",
    at: datetime = Depends(at_param),
) -> GfaSeries:
    """Monthly GFA (m²) topped out, accepted and in use from `from` to `to` (either order;
    within 2000-2100, a date outside moved to the bound and named in the `Twin-Clamped`
    header), as known at `at`: actual values up to `at` (null after it), planned
    values throughout."""
    first, last = span(start, end, response.headers)
    v = view(twin, at, parcel)
    buildings = v.buildings()
    points = [
        GfaPoint(day=p.day, actual_m2=p.actual_m2, planned_m2=p.planned_m2)
        for p in series(buildings, first, last, v.today)
    ]
    total = round(sum(b.gfa_m2 for b in buildings), 1)
    return GfaSeries(at=_iso(at), scope=parcel or "campus", total_m2=total, points=points)
