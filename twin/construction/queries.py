"""What construction looked like at an instant: every entity's state and schedule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from assets.clock import local_date
from assets.construction.catalogue import Entity, parcel_scope
from assets.construction.forecast import StageSchedule, schedule
from assets.construction.gfa import BuildingDates, building_dates
from assets.construction.milestones import MilestoneState, milestone_state, milestones
from assets.construction.stages import State
from twin.runtime import Twin


@dataclass(frozen=True)
class ConstructionView:
    """Buildings and work packages (of one parcel, or all) as known at ``at``."""

    at: datetime
    today: date
    """The campus-local date of ``at``: forecasts and lateness are judged on it."""
    entities: list[Entity]
    states: dict[str, State]
    schedules: dict[str, list[StageSchedule]]

    def buildings(self) -> list[BuildingDates]:
        """GFA dates of the buildings in view (work packages have no floor area)."""
        return [building_dates(e, self.states[e.id]) for e in self.entities if e.kind == "building"]

    def all_schedules(self) -> list[StageSchedule]:
        return [s for e in self.entities for s in self.schedules[e.id]]


def view(twin: Twin, at: datetime, parcel: str | None = None) -> ConstructionView:
    """The construction view at ``at``.

    Raises
    ------
    ConstructionError
        For an unknown ``parcel``.
    """
    chosen = parcel_scope(twin.campus_at(at), parcel)
    projection = twin.fresh()
    today = local_date(at)
    states = {e.id: projection.stream_at(e.stream, at) for e in chosen}
    schedules = {e.id: schedule(e, states[e.id], today) for e in chosen}
    return ConstructionView(at, today, chosen, states, schedules)


def milestone_states(twin: Twin, at: datetime) -> list[MilestoneState]:
    """Every published milestone as known at ``at``, on the campus as built then."""
    v = view(twin, at)
    return [milestone_state(m, v.schedules, v.today) for m in milestones(twin.campus_at(at))]
