"""How events change the state of each stream: the pure reducers of the campus's history.

A stream's state is a small JSON-like dict, never mutated: every reducer returns a new one.
Streams: ``campus`` (milestones, enterprises), ``building:<id>`` and ``works:<id>``
(construction stages, reduced by :mod:`assets.construction.reducers`, included here so
:func:`apply` folds every stream), ``facility:<id>`` (status). Unknown event types leave the
state as it was. The clock (``CAMPUS_TZ``, ``local_day``) lives in :mod:`assets.clock`, the
stages (``STAGES``, ``current_stage``) in :mod:`assets.construction.stages`; both are
re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from assets.clock import CAMPUS_TZ, local_day
from assets.construction import reducers as construction
from assets.construction.stages import STAGE_NAMES, STAGES, current_stage

__all__ = ["CAMPUS_TZ", "STAGES", "STAGE_NAMES", "apply", "current_stage", "local_day"]

State = dict[str, Any]
Reducer = Callable[[State, Mapping[str, Any], datetime], State]

FACILITY_STATUSES = (
    "planned",
    "under_construction",
    "operational",
    "degraded",
    "fault",
    "offline",
    "maintenance",
)


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
    **construction.REDUCERS,
    "FacilityStatusChanged": facility_status_changed,
    "FacilityPlanned": facility_planned,
    "MilestoneReached": milestone_reached,
    "EnterprisesReported": enterprises_reported,
}


def apply(state: State, event_type: str, data: Mapping[str, Any], effective_at: datetime) -> State:
    """The stream's state after one event (unknown types change nothing)."""
    reducer = REDUCERS.get(event_type)
    return reducer(state, data, effective_at) if reducer else state
