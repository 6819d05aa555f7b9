"""Time-dependent properties: a building's stage, a facility's status, at one instant."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from starlette.concurrency import run_in_threadpool

from api.ogc.specs import CollectionSpec
from assets.history import current_stage
from twin.runtime import Twin

Live = dict[str, dict[str, Any]]
"""Feature id -> its time-dependent properties."""


def _values(spec: CollectionSpec, state: Mapping[str, Any]) -> dict[str, Any]:
    """The allow-listed time-dependent properties from one stream's state."""
    if spec.live == "building":
        stage, status = current_stage(dict(state))
        values: dict[str, Any] = {"stage": stage, "status": status}
    else:
        values = {"status": state.get("status", "planned")}
    return {name: values.get(name) for name in spec.live_properties}


def live_properties(twin: Twin, spec: CollectionSpec, at: datetime) -> Live:
    """Feature id -> the time-dependent properties of ``spec``'s features at ``at``.

    Empty for collections without history (zones, parcels, floors, units).
    """
    if spec.live is None:
        return {}
    prefix = f"{spec.live}:"
    return {
        stream.removeprefix(prefix): _values(spec, state)
        for stream, state in twin.state_at(at, prefix).items()
    }


async def live_at(twin: Twin, spec: CollectionSpec, at: datetime) -> Live:
    """:func:`live_properties` for async endpoints: static collections answer at once; live
    ones read the projection (which may first catch up with the log) in a worker thread."""
    if spec.live is None:
        return {}
    return await run_in_threadpool(live_properties, twin, spec, at)


def with_live(
    features: Iterable[dict[str, Any]], spec: CollectionSpec, live: Live
) -> list[dict[str, Any]]:
    """Copies of ``features`` carrying their time-dependent properties; the shared dicts stay
    untouched. A feature whose history has not begun gets the state before any event."""
    if spec.live is None:
        return list(features)
    before = _values(spec, {})
    return [{**f, "properties": {**f["properties"], **live.get(f["id"], before)}} for f in features]


def live_values(spec: CollectionSpec, live: Live, feature_id: str) -> dict[str, Any]:
    """The time-dependent properties of one feature in ``live`` (the state before any event
    when its history has not begun)."""
    found = live.get(feature_id)
    return found if found is not None else _values(spec, {})
