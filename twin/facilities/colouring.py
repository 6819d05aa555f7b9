"""The ``facilities`` viewer mode: the data centre, the service centre and the office
building coloured by the effective status of what they hold, floor by floor.

Effective status (:mod:`assets.facilities.effective`) is a facility's own report combined
with its power (no power, lost redundancy); the construction stage of a building never
colours this mode. The feature card reads the same :func:`feature_statuses`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from assets.facilities.effective import building_status, effective_statuses, worst_effective
from twin.facilities.services import facilities_of

if TYPE_CHECKING:
    from twin.runtime import Twin

STATUS_COLOURS = {
    "operational": ("#3fa34d", "Operational", "运行中"),
    "degraded": ("#e3c93a", "Degraded", "降级运行"),
    "lost_redundancy": ("#f28e2b", "Lost redundancy (one feed)", "失去冗余(单路供电)"),
    "no_power": ("#8b1a1a", "No power", "无电"),
    "fault": ("#d64545", "Fault", "故障"),
    "offline": ("#4a4a4a", "Offline", "离线"),
    "maintenance": ("#5b8def", "Maintenance", "维护中"),
    "under_construction": ("#f0a830", "Under construction", "建设中"),
    "planned": ("#a7b1bc", "Planned", "计划中"),
}
"""effective status -> (colour, label en, label zh)."""
FLOOR_KINDS = ("hall", "substation", "ups")
"""Facilities that colour the floor they stand on."""


def effective_at(twin: Twin, at: datetime) -> dict[str, str]:
    """Every facility's effective status at ``at`` (facility id -> status)."""
    services = facilities_of(twin)
    reported = {fid: s.status for fid, s in services.fresh().statuses(at).items()}
    return effective_statuses(services.topology, reported)


def feature_statuses(twin: Twin, at: datetime) -> dict[str, str]:
    """Effective status by scene feature id (buildings and their floors) at ``at``.

    A building takes the worst effective status of its facilities (in-service ones first,
    :func:`~assets.facilities.effective.building_status`); a floor the worst of the halls,
    substations and UPS on it, else its building's.
    """
    services = facilities_of(twin)
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


def facility_colours(twin: Twin, at: datetime) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """Colours by feature id (buildings and floors) and the legend (en, zh, colour)."""
    colours = {fid: STATUS_COLOURS[s][0] for fid, s in feature_statuses(twin, at).items()}
    legend = [(en, zh, colour) for colour, en, zh in STATUS_COLOURS.values()]
    return colours, legend
