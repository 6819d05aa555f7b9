"""The history's reducers, composed from the domain packages: one ``apply`` for the projection.

Each domain module exposes ``REDUCERS: dict[event type, reducer]``; register it here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from assets import facilities, history
from assets.construction import activities as schedule
from assets.construction import evidence
from assets.construction import reducers as construction
from assets.imports import reducers as geometry
from occupancy import reducers as occupancy

REDUCERS: dict[str, history.Reducer] = {
    **history.REDUCERS,
    **construction.REDUCERS,
    **schedule.REDUCERS,
    **evidence.REDUCERS,
    **occupancy.REDUCERS,
    **facilities.REDUCERS,
    **geometry.REDUCERS,
}


UNPROJECTED_PREFIXES = ("metric:",)
"""High-volume streams the projection does not keep: metric readings are queried from the log."""


def apply(
    state: dict[str, Any], event_type: str, data: Mapping[str, Any], effective_at: datetime
) -> dict[str, Any]:
    """The stream's state after one event (unknown types change nothing)."""
    reducer = REDUCERS.get(event_type)
    return reducer(state, data, effective_at) if reducer else state
