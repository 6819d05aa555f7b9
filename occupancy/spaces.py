"""Leasable spaces: the campus's office units and the data centre's racks, one catalogue.

A space has a stable id (``fish-head-t1/L12/U03`` or ``data-centre/H1/R03/K12``), a kind
(``office`` or ``rack``), where it is (parcel, building, floor, level, and for a rack its hall)
and its footprint in EPSG:32651 with its area, m². Units on one floor that touch along an edge
are neighbours: a run of neighbours is contiguous space a tenant can take as one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import numpy as np
import shapely
from shapely.geometry import Polygon

from assets.campus import Campus
from occupancy.racks import Hall, Rack, campus_racks, design_two_n
from occupancy.space_index import SpaceArrays

Kind = Literal["office", "rack"]
KINDS: tuple[Kind, ...] = ("office", "rack")
TOUCH_TOLERANCE_M = 0.05
"""Gap under which two unit outlines count as touching, m (coordinates are rounded to the cm)."""
MIN_SHARED_EDGE_M = 1.0
"""Shared boundary needed for two units to be neighbours (a corner point is not enough), m."""


@dataclass(frozen=True)
class Space:
    """One leasable space. ``group`` is where contiguity is judged: the floor for an office
    unit, the hall for a rack. ``feeds`` are the external power feeds of a rack's hall."""

    id: str
    kind: Kind
    parcel: str
    building: str
    floor: str
    level: int
    group: str
    polygon: Polygon
    area_m2: float
    feeds: tuple[str, ...] = ()

    @cached_property
    def stream(self) -> str:
        """The event-log stream of the space's bookings."""
        return stream_of(self.id)


def stream_of(space_id: str) -> str:
    """The stream of a space: ``space:<id>``."""
    return f"space:{space_id}"


@dataclass
class SpaceCatalog:
    """Every leasable space of a campus, indexed; built once per campus (see :func:`catalog`)."""

    spaces: dict[str, Space]
    halls: dict[str, Hall] = field(default_factory=dict)
    design_two_n: frozenset[str] = frozenset()
    neighbours: dict[str, tuple[str, ...]] = field(default_factory=dict)
    by_building: dict[str, list[str]] = field(default_factory=dict)
    by_group: dict[str, list[str]] = field(default_factory=dict)
    zone_parcels: dict[str, frozenset[str]] = field(default_factory=dict)
    """The parcels of each zone, its inner zones' included (the campus's ``parcels_in_zone``)."""

    def __post_init__(self) -> None:
        for s in self.spaces.values():
            self.by_building.setdefault(s.building, []).append(s.id)
            self.by_group.setdefault(s.group, []).append(s.id)

    @cached_property
    def arrays(self) -> SpaceArrays:
        """Column arrays for fast static filters (:mod:`occupancy.space_index`)."""
        return SpaceArrays.of(self)

    @cached_property
    def order(self) -> dict[str, int]:
        """Position of each space in the catalogue: building, floor, unit (or hall, row, rack)."""
        return {sid: i for i, sid in enumerate(self.spaces)}

    def __len__(self) -> int:
        return len(self.spaces)

    def __contains__(self, space_id: object) -> bool:
        return space_id in self.spaces

    def get(self, space_id: str) -> Space | None:
        return self.spaces.get(space_id)

    def floors(self, building: str) -> list[tuple[str, int]]:
        """(floor id, level) of the building's floors that hold spaces, lowest first."""
        seen = {
            (self.spaces[s].floor, self.spaces[s].level) for s in self.by_building.get(building, [])
        }
        return sorted(seen, key=lambda f: f[1])

    def on_floor(self, floor: str) -> list[Space]:
        """Spaces on one floor, in id order."""
        building = floor.rsplit("/", 1)[0]
        return [
            self.spaces[s]
            for s in self.by_building.get(building, [])
            if self.spaces[s].floor == floor
        ]


def unit_spaces(campus: Campus) -> list[Space]:
    """The campus's office units as spaces."""
    out: list[Space] = []
    for bid, b in campus.buildings.items():
        for u in campus.units(bid):
            out.append(
                Space(
                    u.id, "office", b.parcel, bid, u.floor, u.level, u.floor, u.polygon, u.area_m2
                )
            )
    return out


def rack_spaces(campus: Campus, racks: Iterable[Rack]) -> list[Space]:
    """Racks as spaces: the area is the rack's footprint, m²."""
    return [
        Space(
            r.id,
            "rack",
            campus.buildings[r.building].parcel,
            r.building,
            r.floor,
            r.level,
            r.hall,
            r.polygon,
            float(r.polygon.area),
            r.feeds,
        )
        for r in racks
    ]


def touching(polygons: list[Polygon]) -> list[tuple[int, int]]:
    """Pairs (i < j) of polygons that share at least :data:`MIN_SHARED_EDGE_M` of boundary."""
    return [(i, j) for i, j, _ in shared_edges(polygons)]


def shared_edges(polygons: list[Polygon]) -> list[tuple[int, int, float]]:
    """(i < j, shared boundary length, m) of polygons that share at least
    :data:`MIN_SHARED_EDGE_M` of boundary."""
    if len(polygons) < 2:
        return []
    tree = shapely.STRtree(polygons)
    left, right = tree.query(polygons, predicate="dwithin", distance=TOUCH_TOLERANCE_M)
    keep = left < right
    left, right = left[keep], right[keep]
    if not len(left):
        return []
    geoms = np.asarray(polygons, dtype=object)
    grown = shapely.buffer(geoms[right], TOUCH_TOLERANCE_M)
    shared = shapely.length(shapely.intersection(shapely.boundary(geoms[left]), grown))
    return [
        (int(i), int(j), float(s))
        for i, j, s in zip(left, right, shared, strict=True)
        if s >= MIN_SHARED_EDGE_M
    ]


def _neighbours(units: list[Space]) -> dict[str, tuple[str, ...]]:
    """Neighbours of office units, judged floor by floor; floors of a building that repeat
    the same outlines reuse the first one's answer."""
    by_floor: dict[str, list[Space]] = {}
    for u in units:
        by_floor.setdefault(u.floor, []).append(u)
    out: dict[str, list[str]] = {u.id: [] for u in units}
    cache: dict[tuple[str, tuple[bytes, ...]], list[tuple[int, int]]] = {}
    for floor_units in by_floor.values():
        key = (floor_units[0].building, tuple(shapely.to_wkb(u.polygon) for u in floor_units))
        if key not in cache:
            cache[key] = touching([u.polygon for u in floor_units])
        for i, j in cache[key]:
            out[floor_units[i].id].append(floor_units[j].id)
            out[floor_units[j].id].append(floor_units[i].id)
    return {k: tuple(v) for k, v in out.items()}


def build_catalog(campus: Campus) -> SpaceCatalog:
    """Every office unit and rack of ``campus``, with unit neighbours on each floor."""
    halls, racks = campus_racks(campus)
    units = unit_spaces(campus)
    spaces = {s.id: s for s in [*units, *rack_spaces(campus, racks)]}
    return SpaceCatalog(
        spaces=spaces,
        halls={h.id: h for h in halls},
        design_two_n=design_two_n(racks),
        neighbours=_neighbours(units),
        zone_parcels={z: frozenset(campus.parcels_in_zone(z)) for z in campus.zones},
    )
