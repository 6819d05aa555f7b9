"""Construction commands (role ``construction``): start, report progress, complete, reschedule.

A refused command is a 422 problem+json naming the building, the stage and the rule (also as
the members ``building``, ``stage``, ``rule``); an unknown building or stage is a 404 of the
same form; a concurrent write to the same building is a 409. Nothing is written on a refusal. Send ``Idempotency-Key`` to make a retry safe.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Header, Response

from api.auth import require
from api.construction.schemas import (
    CommandResult,
    CompleteBody,
    ProgressBody,
    RescheduleBody,
    StartBody,
    stage_out,
)
from api.deps import TwinDep
from api.etags import etag_of, if_match
from api.problems import problem_responses
from api.strict_query import api_router
from assets.construction.catalogue import entity as find_entity
from assets.construction.commands import (
    Command,
    CompleteStage,
    ReportProgress,
    RescheduleStage,
    StartStage,
)
from twin.auth import Principal
from twin.construction import run, view
from twin.runtime import Twin

router = api_router("/api/v1/construction/buildings", ["construction"])
PROBLEMS = problem_responses(
    401,
    described={
        412: "If-Match names a version the building is no longer at",
        403: "The token's role is not construction (or admin)",
        404: "No such building, work package or stage of it",
        409: "Someone else changed the building meanwhile: reload and retry",
        422: "Refused: the detail names the building, the stage and the rule",
    },
)
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", max_length=200, description="Makes a retry safe"),
]
PATH = "/{building_id}/stages/{stage}"


def _run(
    twin: Twin,
    who: Principal,
    building_id: str,
    command: Command,
    key: str | None,
    version: int | None,
    response: Response,
) -> CommandResult:
    recorded = run(
        twin, building_id, command, actor=who.actor, idempotency_key=key, if_version=version
    )
    e = find_entity(twin.campus, building_id)
    response.headers["ETag"] = etag_of(twin.projection.latest(e.stream)[1])
    schedules = view(twin, datetime.now(UTC), e.parcel).schedules[e.id]
    stage = next(s for s in schedules if s.stage == command.stage)
    return CommandResult(building=e.id, events=[r.seq for r in recorded], stage=stage_out(e, stage))


@router.post(
    f"{PATH}/start",
    operation_id="startConstructionStage",
    summary="Record that a stage started",
    responses=PROBLEMS,
)
def start(
    twin: TwinDep,
    building_id: str,
    stage: str,
    body: StartBody,
    key: IdempotencyKey = None,
    version: int | None = Depends(if_match),
    response: Response = None,  # type: ignore[assignment]
    who: Principal = Depends(require("construction")),
) -> CommandResult:
    """Start `stage` of a building or work package on `on` (default today; never in the
    future). Stages follow their order: a stage may not start before its predecessor has;
    completion acceptance needs topping out and the works complete; fit-out needs topping
    out; use needs acceptance."""
    return _run(twin, who, building_id, StartStage(stage, body.on), key, version, response)


@router.post(
    f"{PATH}/progress",
    operation_id="reportConstructionProgress",
    summary="Report a stage's percent complete",
    responses=PROBLEMS,
)
def progress(
    twin: TwinDep,
    building_id: str,
    stage: str,
    body: ProgressBody,
    key: IdempotencyKey = None,
    version: int | None = Depends(if_match),
    response: Response = None,  # type: ignore[assignment]
    who: Principal = Depends(require("construction")),
) -> CommandResult:
    """Report `percent` (0-100) of a started, unfinished stage on `on` (default today).
    Progress never goes backwards unless `correction_reason` says why (kept in history)."""
    command = ReportProgress(stage, body.percent, body.on, body.correction_reason)
    return _run(twin, who, building_id, command, key, version, response)


@router.post(
    f"{PATH}/complete",
    operation_id="completeConstructionStage",
    summary="Record that a stage completed",
    responses=PROBLEMS,
)
def complete(
    twin: TwinDep,
    building_id: str,
    stage: str,
    body: CompleteBody,
    key: IdempotencyKey = None,
    version: int | None = Depends(if_match),
    response: Response = None,  # type: ignore[assignment]
    who: Principal = Depends(require("construction")),
) -> CommandResult:
    """Complete a started `stage` on `on` (default today; not before its start, not in the
    future, not before its predecessor completed). Completing `structure` is topping out."""
    return _run(twin, who, building_id, CompleteStage(stage, body.on), key, version, response)


@router.post(
    f"{PATH}/reschedule",
    operation_id="rescheduleConstructionStage",
    summary="Change a stage's planned dates, with a reason",
    responses=PROBLEMS,
)
def reschedule(
    twin: TwinDep,
    building_id: str,
    stage: str,
    body: RescheduleBody,
    key: IdempotencyKey = None,
    version: int | None = Depends(if_match),
    response: Response = None,  # type: ignore[assignment]
    who: Principal = Depends(require("construction")),
) -> CommandResult:
    """Set new planned dates for an unfinished `stage` (either or both); the planned end may
    not precede the planned start. The reason and the former dates stay in the history; the
    first plan is kept as the baseline."""
    command = RescheduleStage(stage, body.reason, body.planned_start, body.planned_end)
    return _run(twin, who, building_id, command, key, version, response)
