"""What a geometry change touches: bookings on changed or removed units, stages of buildings.

A unit that disappears while a lease or a live hold still takes it (now or later) cannot be
imported away: the lease must be terminated or the hold released first. Changed units keep
their bookings, and the plan lists them so the leasing team can check the new areas.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from assets.construction.stages import current_stage
from assets.history import local_day
from assets.imports.diff import CampusDiff
from occupancy.bookings import blocking
from twin.projection import Projection


@dataclass(frozen=True)
class TouchedBooking:
    """A hold or lease on a unit the import changes or removes."""

    unit: str
    ref: str
    kind: str
    start: str
    end: str
    unit_change: str


@dataclass(frozen=True)
class TouchedStage:
    """A building the import changes or removes, and where its construction stands."""

    building: str
    stage: str
    status: str
    building_change: str


def touched_bookings(
    diff: CampusDiff, projection: Projection, effective_at: datetime
) -> list[TouchedBooking]:
    """Bookings still taking a changed or removed unit on or after the effective day."""
    day = local_day(effective_at)
    out = []
    for change in diff.changes:
        if change.kind != "unit" or change.change == "added":
            continue
        state, _ = projection.latest(f"space:{change.id}")
        for booking in blocking(state, effective_at):
            if booking.end.isoformat() > day:
                out.append(
                    TouchedBooking(
                        unit=change.id,
                        ref=booking.ref,
                        kind=booking.kind,
                        start=booking.start.isoformat(),
                        end=booking.end.isoformat(),
                        unit_change=change.change,
                    )
                )
    return out


def touched_stages(diff: CampusDiff, projection: Projection) -> list[TouchedStage]:
    """Changed or removed buildings with their current construction stage."""
    out = []
    for change in diff.changes:
        if change.kind == "building" and change.change != "added":
            stage, status = current_stage(projection.latest(f"building:{change.id}")[0])
            out.append(TouchedStage(change.id, stage, status, change.change))
    return out
