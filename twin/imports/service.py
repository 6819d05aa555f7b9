"""Planning and recording an import: the campus before and after, what changes and what it touches.

An accepted import is one atomic append of ``geometry:`` events effective at one instant, each
written at the stream version the plan was made on: two imports racing for the same building
cannot both land (the second gets a conflict and must plan again).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import BaseModel

from assets.campus import Campus
from assets.events import DomainError, DomainEvent
from assets.history import State
from assets.imports.diff import CampusDiff, campus_diff
from assets.imports.merge import merge
from assets.imports.records import ImportBatch
from assets.imports.reducers import DEFINED, REMOVED, geometry_stream
from twin.commands import PreconditionFailed, run_command
from twin.eventlog import VersionConflict
from twin.imports.touches import TouchedBooking, TouchedStage, touched_bookings, touched_stages
from twin.runtime import Twin

TOP_KINDS = ("zone", "parcel", "building")
"""Kinds with a geometry stream of their own (floors and units travel with their building)."""


@dataclass(frozen=True)
class ImportPlan:
    """What importing a source would do, decided on the log as it stood (``head``)."""

    source: str
    effective_at: datetime
    before: Campus
    after: Campus
    diff: CampusDiff
    bookings: list[TouchedBooking]
    stages: list[TouchedStage]
    versions: dict[str, int] = field(default_factory=dict)
    """Stream -> version the plan was made on (for the atomic append)."""

    @property
    def blocking(self) -> list[TouchedBooking]:
        """Bookings on units the import would remove: they refuse it."""
        return [b for b in self.bookings if b.unit_change == "removed"]


def plan_import(
    twin: Twin, batch: ImportBatch, effective_at: datetime, *, prune: bool = False
) -> ImportPlan:
    """Merge ``batch`` over the campus as built at ``effective_at`` and say what changes.

    Raises
    ------
    DatasetError
        When the result would break a rule of the dataset.
    DomainError
        When ``effective_at`` is before the latest geometry change already recorded: geometry
        history is written forward (a correction takes effect from its own date).
    """
    projection = twin.fresh()
    latest = twin.versions.latest_change(projection)
    if latest is not None and effective_at < latest:
        raise DomainError(
            f"{batch.source}: the campus's geometry already changes on {latest.isoformat()}; "
            f"an import cannot take effect earlier ({effective_at.isoformat()}): give an "
            "effective date on or after it"
        )
    before = twin.campus_at(effective_at)
    after = merge(before, batch, prune=prune)
    diff = campus_diff(before, after)
    streams = [geometry_stream(c.kind, c.id) for c in diff.changes if c.kind in TOP_KINDS]
    streams += _buildings_with_new_plans(diff)
    return ImportPlan(
        source=batch.source,
        effective_at=effective_at,
        before=before,
        after=after,
        diff=diff,
        bookings=touched_bookings(diff, projection, effective_at),
        stages=touched_stages(diff, projection),
        versions={s: projection.latest(s)[1] for s in dict.fromkeys(streams)},
    )


def _buildings_with_new_plans(diff: CampusDiff) -> list[str]:
    """Streams of buildings whose floors or units change while the building itself does not."""
    return [
        geometry_stream("building", c.id.split("/", 1)[0])
        for c in diff.changes
        if c.kind in ("floor", "unit")
    ]


def record_import(twin: Twin, plan: ImportPlan, actor: str) -> int:
    """Append the plan's events; returns how many. Refuses when a removed unit is booked.

    Raises
    ------
    DomainError
        A unit the import removes is still leased or held.
    VersionConflict
        Someone changed the same geometry since the plan was made: plan again.
    """
    if plan.blocking:
        refs = ", ".join(f"{b.unit} ({b.kind} {b.ref} until {b.end})" for b in plan.blocking)
        raise DomainError(
            f"{plan.source}: the import removes units that are still booked: {refs}; "
            "terminate the leases or release the holds first"
        )
    import_id = uuid.uuid4().hex[:12]
    events = []
    for stream in plan.versions:
        kind, entity_id = stream.split(":", 2)[1:]
        events.append(_event(plan, stream, kind, entity_id, import_id))

    def decide(_states: Mapping[str, State], _now: datetime) -> list[DomainEvent]:
        return events  # decided when planned, on the versions the plan read

    try:
        recorded = run_command(
            twin.store,
            twin.projection,
            plan.versions,
            decide,
            actor=actor,
            if_versions=plan.versions,
        )
    except PreconditionFailed as stale:
        raise VersionConflict(stale.stream, stale.expected, stale.actual) from None
    return len(recorded)


def _event(plan: ImportPlan, stream: str, kind: str, entity_id: str, import_id: str) -> DomainEvent:
    after = plan.after
    model: BaseModel | None = (
        after.zones.get(entity_id)
        if kind == "zone"
        else after.parcels.get(entity_id)
        if kind == "parcel"
        else after.buildings.get(entity_id)
    )
    data: dict[str, object] = {
        "kind": kind,
        "id": entity_id,
        "import": import_id,
        "source": plan.source,
    }
    if model is not None:
        data["model"] = model.model_dump(mode="json")
    event_type = REMOVED if model is None else DEFINED
    return DomainEvent(stream=stream, type=event_type, data=data, effective_at=plan.effective_at)
