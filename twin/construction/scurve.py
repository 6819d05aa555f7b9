"""The S-curve of a building, a parcel, the fish or the campus, as known at an instant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from assets.clock import end_of, local_date
from assets.construction.catalogue import Entity, entities, entity
from assets.construction.errors import ConstructionError
from assets.construction.scurve import (
    CurvePoint,
    actual_percent,
    months,
    planned_percent,
    spi,
)
from assets.construction.stages import StageRecord, stage_record
from twin.runtime import Twin

FISH = "fish"
"""The scope of every parcel of the fish (``fish-head``, ``fish-body``, ``fish-tail``, fins)."""


@dataclass(frozen=True)
class SCurve:
    scope: str
    today: date
    points: list[CurvePoint]
    now: CurvePoint
    spi: float | None


def scope_entities(twin: Twin, at: datetime, scope: str) -> list[Entity]:
    """The buildings and work packages of ``scope``: ``campus``, ``fish``, a parcel or one
    building or work package.

    Raises
    ------
    ConstructionError
        For a scope that is none of these (``known-entity``, HTTP 404).
    """
    campus = twin.campus_at(at)
    everything = entities(campus)
    if scope == "campus":
        return everything
    if scope == FISH:
        return [e for e in everything if e.parcel.startswith("fish-")]
    if scope in campus.parcels:
        return [e for e in everything if e.parcel == scope]
    try:
        return [entity(campus, scope)]
    except ConstructionError:
        raise ConstructionError(
            scope,
            None,
            "known-entity",
            f"no scope {scope!r}: use campus, fish, a parcel ({', '.join(campus.parcels)}) "
            "or a building or work package id",
        ) from None


def _records(twin: Twin, chosen: list[Entity], at: datetime) -> list[StageRecord]:
    projection = twin.fresh()
    return [
        stage_record(projection.stream_at(e.stream, at), stage)
        for e in chosen
        for stage in e.stages
    ]


def s_curve(twin: Twin, at: datetime, scope: str = "campus") -> SCurve:
    """Monthly planned and actual percent of ``scope`` over its baseline, as known at ``at``."""
    chosen = scope_entities(twin, at, scope)
    today = local_date(at)
    now_records = _records(twin, chosen, at)
    spans = [d for r in now_records for d in (r.baseline_start, r.baseline_end) if d]
    first, last = min(spans, default=today), max([*spans, today])
    points = []
    for day in months(first, last):
        then = _records(twin, chosen, end_of(day)) if day <= today else None
        actual = None if then is None else round(actual_percent(now_records, then), 2)
        points.append(CurvePoint(day, round(planned_percent(now_records, day), 2), actual))
    planned_now = round(planned_percent(now_records, today), 2)
    now = CurvePoint(today, planned_now, round(actual_percent(now_records, now_records), 2))
    return SCurve(scope, today, points, now, spi(now))
