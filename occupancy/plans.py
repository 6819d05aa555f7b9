"""Stacking plans and floor plans as data: what the pictures and the JSON show.

A stacking plan lists a building's floors, top first, each with its spaces in order, their
status and area, and the floor's vacant area (spaces neither held nor leased). A floor plan
holds the floor plate, its core and each space's outline. Staff plans name the tenant and
booking of each taken space; public plans never do (``detail`` stays None).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from shapely.geometry import Polygon

from occupancy.spaces import Space, SpaceCatalog

VACANT = ("available", "not_ready")
"""Statuses whose area counts as vacant."""


@dataclass(frozen=True)
class Detail:
    """Who takes a space (staff only): tenant, hold or lease id, until (exclusive end)."""

    tenant: str
    tenant_name: str
    ref: str
    kind: str
    until: str


@dataclass(frozen=True)
class Cell:
    space: Space
    status: str
    detail: Detail | None = None

    @property
    def label(self) -> str:
        """The short name of the space on its floor: ``U03`` or ``H1/R03/K12``."""
        prefix = f"{self.space.building}/"
        rest = self.space.id.removeprefix(prefix)
        return rest.split("/", 1)[1] if self.space.kind == "office" else rest


@dataclass(frozen=True)
class StackFloor:
    floor: str
    level: int
    cells: list[Cell]

    @property
    def area_m2(self) -> float:
        return sum(c.space.area_m2 for c in self.cells)

    @property
    def vacant_m2(self) -> float:
        return sum(c.space.area_m2 for c in self.cells if c.status in VACANT)

    def count(self, status: str) -> int:
        return sum(1 for c in self.cells if c.status == status)


@dataclass(frozen=True)
class StackingPlan:
    building: str
    name_en: str
    name_zh: str
    at: str
    statuses: tuple[str, ...]
    floors: list[StackFloor]  # top floor first

    @property
    def area_m2(self) -> float:
        return sum(f.area_m2 for f in self.floors)

    @property
    def vacant_m2(self) -> float:
        return sum(f.vacant_m2 for f in self.floors)


def stacking_plan(
    catalog: SpaceCatalog,
    building: str,
    names: tuple[str, str],
    at: str,
    status: Mapping[str, str],
    statuses: tuple[str, ...],
    details: Mapping[str, Detail] | None = None,
) -> StackingPlan:
    """The building's stacking plan from each space's ``status`` (and staff ``details``)."""
    floors = []
    for floor, level in reversed(catalog.floors(building)):
        cells = [Cell(s, status[s.id], (details or {}).get(s.id)) for s in catalog.on_floor(floor)]
        floors.append(StackFloor(floor, level, cells))
    return StackingPlan(building, names[0], names[1], at, statuses, floors)


@dataclass(frozen=True)
class FloorPlan:
    building: str
    name_en: str
    name_zh: str
    floor: str
    level: int
    at: str
    statuses: tuple[str, ...]
    plate: Polygon
    core: Polygon | None
    halls: list[tuple[str, Polygon, bool]]  # (hall id, outline, fed 2N)
    cells: list[Cell]

    @property
    def vacant_m2(self) -> float:
        return sum(c.space.area_m2 for c in self.cells if c.status in VACANT)
