"""Reducers of the facility streams: status reports, alerts and alarms (see
:mod:`assets.facilities.alarms`) and work orders (metric values have none: they
are read from their own streams, not folded into state)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from assets.facilities import alarms, work_orders

State = dict[str, Any]
STATUS_REPORTED = "FacilityStatusReported"
METRIC_OBSERVED = "FacilityMetricObserved"


def status_reported(state: State, data: Mapping[str, Any], at: datetime) -> State:
    """A reported status; ``since`` moves only when the status differs from the one before."""
    status = data["status"]
    since = state.get("since") if state.get("status") == status else None
    return {
        **state,
        "status": status,
        "since": since or at.isoformat(),
        "reported_at": at.isoformat(),
        "note": data.get("note"),
    }


REDUCERS = {
    STATUS_REPORTED: status_reported,
    "FacilityAlertRaised": alarms.raised,
    "FacilityAlertCleared": alarms.cleared,
    **alarms.REDUCERS,
    **work_orders.REDUCERS,
}
