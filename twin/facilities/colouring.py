"""The ``facilities`` viewer mode: the data centre, the service centre and the office
building coloured by the status of what they hold, floor by floor."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from assets.facilities.kinds import worst

if TYPE_CHECKING:
    from twin.runtime import Twin

STATUS_COLOURS = {
    "operational": ("#3fa34d", "Operational", "运行中"),
    "degraded": ("#e3c93a", "Degraded", "降级运行"),
    "fault": ("#d64545", "Fault", "故障"),
    "offline": ("#4a4a4a", "Offline", "离线"),
    "maintenance": ("#5b8def", "Maintenance", "维护中"),
    "under_construction": ("#f0a830", "Under construction", "建设中"),
    "planned": ("#a7b1bc", "Planned", "计划中"),
}
"""status -> (colour, label en, label zh)."""


def facility_colours(twin: Twin, at: datetime) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """Colours by feature id (buildings and floors) and the legend (en, zh, colour).

    A building takes the worst status of the facilities in it that have no parent (the data
    centre itself, the service centre, the office building's systems); a floor the worst of
    the facilities on it (halls, the plant floor's substations and UPS), else its building's.
    """
    services = twin.facilities
    state = services.fresh()
    statuses = {fid: s.status for fid, s in state.statuses(at).items()}
    by_building: dict[str, list[str]] = {}
    by_floor: dict[str, list[str]] = {}
    for node in services.topology.facilities.values():
        status = statuses.get(node.id, "planned")
        if node.building and node.parent is None:
            by_building.setdefault(node.building, []).append(status)
        if node.floor and node.kind in ("hall", "substation", "ups"):
            by_floor.setdefault(node.floor, []).append(status)
    colours: dict[str, str] = {}
    campus = twin.campus_at(at)
    for building, found in by_building.items():
        if building not in campus.buildings:
            continue
        status = worst(found)
        colours[building] = STATUS_COLOURS[status][0]
        for floor in campus.floors(building):
            colours[floor.id] = STATUS_COLOURS[worst(by_floor.get(floor.id, [status]))][0]
    legend = [(en, zh, colour) for colour, en, zh in STATUS_COLOURS.values()]
    return colours, legend
