"""What a leasing head reports: every space as occupied, signed, pre-leased, held or vacant,
counted and summed (m²) per scope (pure).

On a campus day, a space is:

- ``occupied``: a lease covers the day, in a building in use;
- ``signed``: otherwise a lease takes it from a later day, in a building in use;
- ``pre_leased``: otherwise a lease takes it (now or later) in a building not in use yet;
- ``held``: otherwise a live hold takes it;
- ``vacant``: nothing takes it (whether its building is in use or not).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from assets.history import State
from occupancy.bookings import blocking
from occupancy.spaces import Space
from occupancy.status import NOT_READY, Readiness

Occupancy = Literal["occupied", "signed", "pre_leased", "held", "vacant"]
OCCUPANCIES: tuple[Occupancy, ...] = ("occupied", "signed", "pre_leased", "held", "vacant")


def occupancy_of(state: State, now: datetime, day: date, ready: Readiness) -> Occupancy:
    """The class of a space whose stream is in ``state``, on ``day`` at instant ``now``."""
    taking = [b for b in blocking(state, now) if b.end > day]
    leases = [b for b in taking if b.kind == "lease"]
    if leases:
        if not ready.in_use:
            return "pre_leased"
        return "occupied" if any(b.start <= day for b in leases) else "signed"
    return "held" if taking else "vacant"


@dataclass
class Tally:
    """Spaces and m² of each class in one scope (a building, the fish, the campus)."""

    scope: str
    count: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OCCUPANCIES, 0))
    area_m2: dict[str, float] = field(default_factory=lambda: dict.fromkeys(OCCUPANCIES, 0.0))

    def add(self, kind: Occupancy, area: float) -> None:
        self.count[kind] += 1
        self.area_m2[kind] += area


def occupancy_tallies(
    spaces: Iterable[Space],
    states: Mapping[str, State],
    ready: Mapping[str, Readiness],
    now: datetime,
    day: date,
    fish: frozenset[str],
) -> tuple[Tally, Tally, list[Tally]]:
    """Tallies of the campus, the fish (the buildings in ``fish``) and each building."""
    campus, in_fish = Tally("campus"), Tally("fish")
    buildings: dict[str, Tally] = {}
    for s in spaces:
        kind = occupancy_of(states.get(s.stream, {}), now, day, ready.get(s.building, NOT_READY))
        for t in (campus, buildings.setdefault(s.building, Tally(s.building))):
            t.add(kind, s.area_m2)
        if s.building in fish:
            in_fish.add(kind, s.area_m2)
    return campus, in_fish, [buildings[b] for b in sorted(buildings)]
