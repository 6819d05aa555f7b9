"""The campus schedule (the campus's stages and what is imported from MS Project or
Primavera P6, one network): activities with the
critical path at any instant, what-if slips (nothing written), named baselines and the
variance against them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Query
from pydantic import StringConstraints

from api.auth import require
from api.construction.schedule_schemas import (
    ActivityOut,
    BaselineBody,
    BaselineOut,
    BaselinesReport,
    LinkOut,
    MoveOut,
    ScheduleReport,
    VarianceOut,
    VarianceReport,
    WhatIfReport,
)
from api.deps import TwinDep
from api.problems import problem_responses
from api.strict_query import api_router
from api.timeparam import answer_time, at_param
from assets.construction.activities import ScheduleError
from assets.construction.baselines import Variance
from twin.auth import Principal
from twin.construction.schedule import (
    activities_at,
    baselines_at,
    critical_at,
    save_baseline,
    variance_at,
    what_if_at,
)

router = api_router("/api/v1/construction/schedule", ["construction"])
SLIP = r"^[^:]{1,200}:-?[0-9]{1,4}(\.[0-9]+)?$"


def _iso(at: datetime) -> str:
    return answer_time(at, at.tzinfo)


@router.get(
    "",
    operation_id="getConstructionActivities",
    summary="The schedule's activities with early and late dates, floats and the critical path",
    responses=problem_responses(described={422: "The links loop (rule no-cycle)"}),
)
def schedule(twin: TwinDep, at: datetime = Depends(at_param)) -> ScheduleReport:
    """Every activity of the one schedule network as known at `at`: the imported schedule's
    activities (one that plans a stage carries the stage's current dates) and every stage of
    every building and work package no activity plans (id `<building>/<stage>`, linked by the
    stage rules, starting no earlier than its planned start), with the forward and backward pass worked on
    `at`'s date: early and late start and finish, total and free float (calendar days) and
    whether it is critical (total float 0 or less, not finished)."""
    acts = activities_at(twin, at)
    timings = critical_at(twin, at)
    out = [
        ActivityOut(
            id=a.id,
            name=a.name,
            building=a.entity,
            stage=a.stage,
            start=a.start,
            finish=a.finish,
            actual_start=a.actual_start,
            actual_finish=a.actual_finish,
            percent=a.percent,
            milestone=a.milestone,
            predecessors=[
                LinkOut(activity=p.activity, type=p.type, lag_days=p.lag_days)
                for p in a.predecessors
            ],
            early_start=t.early_start,
            early_finish=t.early_finish,
            late_start=t.late_start,
            late_finish=t.late_finish,
            total_float=t.total_float,
            free_float=t.free_float,
            critical=t.critical,
        )
        for a, t in ((acts[k], timings[k]) for k in acts)
    ]
    critical = sorted(
        (t for t in timings.values() if t.critical), key=lambda t: (t.early_start, t.early_finish)
    )
    finish = max((t.early_finish for t in timings.values()), default=None)
    return ScheduleReport(
        at=_iso(at), finish=finish, critical_path=[t.activity for t in critical], activities=out
    )


def _slips(values: list[str], known: set[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for value in values:
        activity, days = value.rsplit(":", 1)
        if activity not in known:
            error = ScheduleError("schedule", activity, "known-activity", "no such activity")
            error.kind = "not_found"
            raise error
        out[activity] = out.get(activity, 0.0) + float(days)
    return out


@router.get(
    "/what-if",
    operation_id="getConstructionWhatIf",
    summary="What moves if activities slip: a what-if that writes nothing",
    responses=problem_responses(described={404: "No such activity"}),
)
def what_if(
    twin: TwinDep,
    slip: Annotated[
        list[Annotated[str, StringConstraints(pattern=SLIP, max_length=210)]],
        Query(
            description="ACTIVITY:DAYS, e.g. `A1020:10` (repeatable): that activity lasts DAYS "
            "longer (negative: shorter)",
            min_length=1,
            max_length=50,
        ),
    ],
    at: datetime = Depends(at_param),
) -> WhatIfReport:
    """The activities and milestones whose early finish moves, and by how many days, if the
    activities named in `slip` take that many days longer, worked on the schedule as known
    at `at`. Nothing is written."""
    slips = _slips(slip, set(activities_at(twin, at)))
    answer = what_if_at(twin, at, slips)
    moved = [
        MoveOut(
            activity=m.activity,
            milestone=m.milestone,
            finish_before=m.finish_before,
            finish_after=m.finish_after,
            days=m.days,
        )
        for m in answer.moves
    ]
    return WhatIfReport(
        at=_iso(at),
        slips=slips,
        finish_before=answer.finish_before,
        finish_after=answer.finish_after,
        moved=moved,
    )


@router.get(
    "/baselines",
    operation_id="listConstructionBaselines",
    summary="Saved baselines of the schedule",
)
def baselines(twin: TwinDep, at: datetime = Depends(at_param)) -> BaselinesReport:
    """Each named baseline saved by `at`, with when it was saved."""
    saved = baselines_at(twin, at)
    return BaselinesReport(
        at=_iso(at), baselines=[BaselineOut(name=k, saved_at=v) for k, v in saved.items()]
    )


@router.post(
    "/baselines",
    operation_id="saveConstructionBaseline",
    summary="Save the schedule's current planned dates as a named baseline",
    status_code=201,
    responses=problem_responses(
        401,
        described={
            403: "The token's role is not construction (or admin)",
            422: "The name is taken, or there are no activities (rule named)",
        },
    ),
)
def save(
    twin: TwinDep, body: BaselineBody, who: Principal = Depends(require("construction"))
) -> BaselineOut:
    """Keep every activity's planned start and finish under `name` (an event in the log)."""
    recorded = save_baseline(twin, body.name, actor=who.actor)
    return BaselineOut(name=body.name, saved_at=recorded[0].effective_at.isoformat())


def _variance(v: Variance) -> VarianceOut:
    return VarianceOut(
        subject=v.subject,
        baseline_start=v.baseline_start,
        baseline_finish=v.baseline_finish,
        start=v.start,
        finish=v.finish,
        start_days=v.start_days,
        finish_days=v.finish_days,
    )


@router.get(
    "/baselines/{name}/variance",
    operation_id="getConstructionBaselineVariance",
    summary="Start and finish variance against a baseline, per activity and per building",
    responses=problem_responses(described={404: "No such baseline"}),
)
def variance(twin: TwinDep, name: str, at: datetime = Depends(at_param)) -> VarianceReport:
    """Current (actual, else planned) start and finish against baseline `name`, in days
    (positive: later than the baseline), per activity and per building or work package (its
    first start and last finish), as known at `at`."""
    per_activity, per_building = variance_at(twin, at, name)
    return VarianceReport(
        at=_iso(at),
        baseline=name,
        activities=[_variance(v) for v in per_activity],
        buildings=[_variance(v) for v in per_building],
    )
