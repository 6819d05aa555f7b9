"""How events change the state of each stream: the pure reducers of the campus's history.

A stream's state is a small JSON-like dict, never mutated: every reducer returns a new one.
Streams: ``campus`` (milestones, enterprises), ``building:<id>`` (construction stages),
``facility:<id>`` (status). Unknown event types leave the state as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

State = dict[str, Any]
Reducer = Callable[[State, Mapping[str, Any], datetime], State]

CAMPUS_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
"""The campus's local time (China Standard Time, no daylight saving): dates are local dates."""


def local_day(at: datetime) -> str:
    """The campus-local calendar date of an aware instant, ISO format."""
    return at.astimezone(CAMPUS_TZ).date().isoformat()


STAGES = ("design", "foundation", "structure", "envelope_mep", "acceptance", "fit_out", "in_use")
"""Construction stages in order; completing ``structure`` is topping out (结构封顶)."""
STAGE_NAMES = {
    "design": ("设计", "Design"),
    "foundation": ("基础", "Foundation"),
    "structure": ("主体结构", "Structure"),
    "envelope_mep": ("幕墙与机电", "Envelope and MEP"),
    "acceptance": ("竣工验收", "Completion acceptance"),
    "fit_out": ("装修", "Fit-out"),
    "in_use": ("投用", "In use"),
}
FACILITY_STATUSES = (
    "planned",
    "under_construction",
    "operational",
    "degraded",
    "fault",
    "offline",
    "maintenance",
)


def _stage(state: State, stage: str) -> dict[str, Any]:
    return dict(state.get("stages", {}).get(stage, {}))


def _with_stage(state: State, stage: str, values: Mapping[str, Any]) -> State:
    stages = dict(state.get("stages", {}))
    stages[stage] = {**_stage(state, stage), **values}
    return {**state, "stages": stages}


def stage_planned(state: State, data: Mapping[str, Any], at: datetime) -> State:
    return _with_stage(
        state,
        data["stage"],
        {"planned_start": data["planned_start"], "planned_end": data["planned_end"]},
    )


def stage_started(state: State, data: Mapping[str, Any], at: datetime) -> State:
    return _with_stage(state, data["stage"], {"actual_start": local_day(at), "percent": 0})


def stage_progressed(state: State, data: Mapping[str, Any], at: datetime) -> State:
    return _with_stage(state, data["stage"], {"percent": data["percent"]})


def stage_completed(state: State, data: Mapping[str, Any], at: datetime) -> State:
    return _with_stage(state, data["stage"], {"actual_end": local_day(at), "percent": 100})


def facility_status_changed(state: State, data: Mapping[str, Any], at: datetime) -> State:
    return {**state, "status": data["status"], "since": at.isoformat()}


def facility_planned(state: State, data: Mapping[str, Any], at: datetime) -> State:
    return {**state, "planned_operational": data["planned_operational"]}


def milestone_reached(state: State, data: Mapping[str, Any], at: datetime) -> State:
    return {**state, "milestones": [*state.get("milestones", []), data["milestone"]]}


def enterprises_reported(state: State, data: Mapping[str, Any], at: datetime) -> State:
    return {
        **state,
        "enterprises": data["count"],
        "enterprises_qualifier": data.get("qualifier", ""),
    }


REDUCERS: dict[str, Reducer] = {
    "StagePlanned": stage_planned,
    "StageStarted": stage_started,
    "StageProgressed": stage_progressed,
    "StageCompleted": stage_completed,
    "FacilityStatusChanged": facility_status_changed,
    "FacilityPlanned": facility_planned,
    "MilestoneReached": milestone_reached,
    "EnterprisesReported": enterprises_reported,
}


def apply(state: State, event_type: str, data: Mapping[str, Any], effective_at: datetime) -> State:
    """The stream's state after one event (unknown types change nothing)."""
    reducer = REDUCERS.get(event_type)
    return reducer(state, data, effective_at) if reducer else state


def current_stage(state: State) -> tuple[str, str]:
    """A building's latest stage begun and whether it is ``planned``, ``in_progress`` or
    ``completed``; ``("design", "planned")`` before anything has started."""
    stages = state.get("stages", {})
    for stage in reversed(STAGES):
        s = stages.get(stage, {})
        if "actual_end" in s:
            return stage, "completed"
        if "actual_start" in s:
            return stage, "in_progress"
    return "design", "planned"
