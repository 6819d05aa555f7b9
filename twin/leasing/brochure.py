"""What a brochure for a unit, a floor or a building says: public facts only.

Everything here is what the public role may see: areas, the public status of each space
(available, unavailable or not ready, judged now), the building's readiness from the
construction forecast (:func:`occupancy.status.readiness`, the one truth every view reads)
and the published campus facts that apply. No rent, term, hold, lease or tenant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from assets.history import CAMPUS_TZ
from assets.models import Fact
from occupancy.errors import LeasingNotFound
from occupancy.plans import VACANT, FloorPlan, StackingPlan
from occupancy.status import NOT_READY, Readiness
from twin.leasing.plans import building_stacking_plan, floor_plan
from twin.leasing.read import buildings_at, spaces_of
from twin.runtime import Twin

Scope = Literal["unit", "floor", "building"]


@dataclass(frozen=True)
class Brochure:
    """A brochure's content. ``area_m2``: the unit's, or the leasable area of the floor or
    building; ``vacant_m2``: of that, what is neither held nor let (public statuses)."""

    scope: Scope
    id: str
    building: str
    name_en: str
    name_zh: str
    level: int | None
    area_m2: float
    vacant_m2: float
    spaces: int
    status: str | None  # the unit's public status
    storeys: int
    gfa_m2: float
    readiness: Readiness
    facts: list[Fact]
    at: datetime
    floor_plan: FloorPlan | None
    stacking_plan: StackingPlan | None


def scope_of(twin: Twin, any_id: str) -> tuple[Scope, str, int | None]:
    """(scope, building, level) of a building id, a floor id (``b/L12``) or a unit id;
    :class:`LeasingNotFound` naming the id otherwise."""
    campus = twin.campus
    if any_id in campus.buildings and spaces_of(twin).by_building.get(any_id):
        return "building", any_id, None
    space = spaces_of(twin).get(any_id)
    if space is not None:
        return "unit", space.building, space.level
    building = any_id.rsplit("/", 1)[0]
    for floor in campus.floors(building) if building in campus.buildings else []:
        if floor.id == any_id and spaces_of(twin).on_floor(floor.id):
            return "floor", building, floor.level
    raise LeasingNotFound(f"no leasable unit, floor or building {any_id!r}")


def brochure(twin: Twin, any_id: str, expect: Scope | None = None) -> Brochure:
    """The brochure of a unit, floor or building as the public sees it now (``expect``: only
    that scope, else :class:`LeasingNotFound`)."""
    scope, building, level = scope_of(twin, any_id)
    if expect is not None and scope != expect:
        raise LeasingNotFound(f"no leasable {expect} {any_id!r}")
    at = datetime.now(UTC)
    campus = twin.campus_at(at)
    b = campus.buildings[building]
    parcel = campus.parcels[b.parcel]
    fact_ids = dict.fromkeys([*b.facts, *parcel.facts, *campus.zones[parcel.zone].facts])
    facts = [campus.facts[f] for f in fact_ids if f in campus.facts]
    ready = buildings_at(twin.fresh(), twin, at).get(building, NOT_READY)
    plan = floor_plan(twin, building, level, at, staff=False) if level else None
    stack = building_stacking_plan(twin, building, at, staff=False) if scope == "building" else None
    if scope == "unit":
        assert plan is not None
        cell = next(c for c in plan.cells if c.space.id == any_id)
        cells = [cell]
    elif plan is not None:
        cells = plan.cells
    else:
        assert stack is not None
        cells = [c for f in stack.floors for c in f.cells]
    return Brochure(
        scope=scope,
        id=any_id,
        building=building,
        name_en=b.name.en,
        name_zh=b.name.zh,
        level=level,
        area_m2=sum(c.space.area_m2 for c in cells),
        vacant_m2=sum(c.space.area_m2 for c in cells if c.status in VACANT),
        spaces=len(cells),
        status=cells[0].status if scope == "unit" else None,
        storeys=b.storeys,
        gfa_m2=campus.gfa_m2(building),
        readiness=ready,
        facts=facts,
        at=at.astimezone(CAMPUS_TZ),
        floor_plan=plan,
        stacking_plan=stack,
    )
