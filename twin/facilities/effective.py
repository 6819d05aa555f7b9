"""Effective status at an instant, by facility and by scene feature (buildings and floors):
the one read of it that the facilities mode's colours, the feature cards and the API share.

Effective status (:mod:`assets.facilities.effective`) is a facility's own report combined
with its power (no power, lost redundancy); the construction stage of a building never
enters it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from assets.facilities.effective import building_status, effective_statuses, worst_effective

if TYPE_CHECKING:
    from twin.runtime import Twin

FLOOR_KINDS = ("hall", "substation", "ups")
"""Facilities that colour the floor they stand on."""


def effective_at(twin: Twin, at: datetime) -> dict[str, str]:
    """Every facility's effective status at ``at`` (facility id -> status)."""
    services = twin.facilities
    reported = {fid: s.status for fid, s in services.fresh().statuses(at).items()}
    return effective_statuses(services.topology, reported)


def feature_statuses(twin: Twin, at: datetime) -> dict[str, str]:
    """Effective status by scene feature id (buildings and their floors) at ``at``.

    A building takes the worst effective status of its facilities (in-service ones first,
    :func:`~assets.facilities.effective.building_status`); a floor the worst of the halls,
    substations and UPS on it, else its building's.
    """
    services = twin.facilities
    statuses = effective_at(twin, at)
    by_floor: dict[str, list[str]] = {}
    for node in services.topology.facilities.values():
        if node.floor and node.kind in FLOOR_KINDS:
            by_floor.setdefault(node.floor, []).append(statuses[node.id])
    out: dict[str, str] = {}
    campus = twin.campus_at(at)
    buildings = {n.building for n in services.topology.facilities.values() if n.building}
    for building in sorted(buildings):
        if building not in campus.buildings:
            continue
        out[building] = status = building_status(services.topology, building, statuses)
        for floor in campus.floors(building):
            out[floor.id] = worst_effective(by_floor.get(floor.id, [status]))
    return out
