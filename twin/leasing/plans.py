"""Stacking and floor plans of a building at an instant, for staff or for the public."""

from __future__ import annotations

from datetime import date, datetime

from assets.history import CAMPUS_TZ, local_day
from occupancy.bookings import blocking
from occupancy.errors import LeasingNotFound
from occupancy.palette import PUBLIC_ORDER, STAFF_ORDER
from occupancy.plans import Cell, Detail, FloorPlan, StackingPlan, stacking_plan
from occupancy.tenants import tenant_of
from twin.leasing.read import spaces_of
from twin.leasing.statuses import statuses
from twin.runtime import Twin


def _check(twin: Twin, building: str, at: datetime) -> None:
    """Raise unless ``building`` stands at ``at`` with leasable space."""
    found = twin.campus_at(at).buildings
    if building not in found or not spaces_of(twin, at).by_building.get(building):
        raise LeasingNotFound(f"no building with leasable space {building!r}")


def _details(twin: Twin, building: str, at: datetime) -> dict[str, Detail]:
    """The booking that takes each space now or next (staff only)."""
    projection = twin.fresh()
    day = date.fromisoformat(local_day(at))
    names: dict[str, str] = {}
    out: dict[str, Detail] = {}
    for sid in spaces_of(twin, at).by_building[building]:
        live = [b for b in blocking(projection.stream_at(f"space:{sid}", at), at) if b.end > day]
        if not live:
            continue
        b = min(live, key=lambda x: (x.kind != "lease", x.start))
        if b.tenant not in names:
            t = tenant_of(b.tenant, projection.stream_at(f"tenant:{b.tenant}", at))
            names[b.tenant] = t.name_en if t else b.tenant
        out[sid] = Detail(b.tenant, names[b.tenant], b.ref, b.kind, b.end.isoformat())
    return out


def _names(twin: Twin, building: str, at: datetime) -> tuple[str, str]:
    b = twin.campus_at(at).buildings[building]
    return b.name.en, b.name.zh


def building_stacking_plan(twin: Twin, building: str, at: datetime, *, staff: bool) -> StackingPlan:
    """Floors of ``building`` by spaces, coloured by status at ``at``."""
    _check(twin, building, at)
    cat = spaces_of(twin, at)
    spaces = [cat.spaces[s] for s in cat.by_building[building]]
    found = statuses(twin, at, staff=staff, spaces=spaces)
    return stacking_plan(
        cat,
        building,
        _names(twin, building, at),
        at.astimezone(CAMPUS_TZ).isoformat(),
        found,
        STAFF_ORDER if staff else PUBLIC_ORDER,
        _details(twin, building, at) if staff else None,
    )


def floor_plan(twin: Twin, building: str, level: int, at: datetime, *, staff: bool) -> FloorPlan:
    """One floor of ``building``: its plate, core, halls and spaces by status at ``at``."""
    _check(twin, building, at)
    cat = spaces_of(twin, at)
    floors = {f.level: f for f in twin.campus_at(at).floors(building)}
    if level not in floors:
        raise LeasingNotFound(f"{building} has no floor {level} (floors 1 .. {len(floors)})")
    floor = floors[level]
    spaces = cat.on_floor(floor.id)
    found = statuses(twin, at, staff=staff, spaces=spaces)
    details = _details(twin, building, at) if staff else {}
    halls = [
        (h.id, h.outline, h.id in {s.group for s in spaces if s.id in cat.design_two_n})
        for h in cat.halls.values()
        if h.floor == floor.id
    ]
    return FloorPlan(
        building=building,
        name_en=_names(twin, building, at)[0],
        name_zh=_names(twin, building, at)[1],
        floor=floor.id,
        level=level,
        at=at.astimezone(CAMPUS_TZ).isoformat(),
        statuses=STAFF_ORDER if staff else PUBLIC_ORDER,
        plate=floor.plate,
        core=floor.core,
        halls=halls,
        cells=[Cell(s, found[s.id], details.get(s.id)) for s in spaces],
    )
