"""The campus as loaded: zones, parcels, buildings with their floors and units, facilities.

Areas are planar m² in EPSG:32651; heights in metres above ground. Floors and units are
derived from each building's footprint, storeys and layout (ids stable as long as the footprint's
vertex order is), unless the building draws its floor plans explicitly (a survey or BIM import):
then unit ids are ``<building>/L<nn>/<code>`` with the codes as drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from shapely import union_all
from shapely.geometry import Point, Polygon

from assets.models import Building, Facility, Fact, FloorPlan, Origin, Parcel, Zone
from geometry.crs import lonlat_to_utm
from geometry.floorplate import FloorLayout, subdivide
from geometry.frame import LocalFrame
from geometry.shapes import oriented


@dataclass(frozen=True)
class Floor:
    """One storey of a building: ``level`` 1 is the ground floor; heights in m."""

    id: str
    building: str
    level: int
    base_m: float
    top_m: float
    plate: Polygon
    core: Polygon | None

    @property
    def area_m2(self) -> float:
        """Gross floor area of the plate, m²."""
        return float(self.plate.area)


@dataclass(frozen=True)
class Unit:
    """A leasable office unit along a floor's facade."""

    id: str
    floor: str
    building: str
    level: int
    polygon: Polygon

    @property
    def area_m2(self) -> float:
        """Net leasable area, m²."""
        return float(self.polygon.area)


def polygon_of(ring: list[tuple[float, float]]) -> Polygon:
    """A dataset ring as a counter-clockwise shapely polygon (closing vertex optional)."""
    return oriented(Polygon(ring))


def floor_id(building_id: str, level: int) -> str:
    """The id of a building's floor: ``<building>/L<nn>`` (level 1 is the ground floor)."""
    return f"{building_id}/L{level:02d}"


MIN_CORE_M2 = 1.0
"""Smallest remainder of a drawn plate (plate minus its units) drawn as the floor's core, m²."""


def drawn_core(plan: FloorPlan) -> Polygon | None:
    """The largest part of a drawn plate not covered by its units (the core), or ``None``."""
    plate = polygon_of(plan.polygon)
    if not plan.units:
        return None
    rest = plate.difference(union_all([polygon_of(u.polygon) for u in plan.units]))
    pieces = [g for g in getattr(rest, "geoms", [rest]) if isinstance(g, Polygon)]
    best = max(pieces, key=lambda g: g.area, default=None)
    return oriented(best) if best is not None and best.area >= MIN_CORE_M2 else None


class Campus:
    """The whole physical campus, indexed by id."""

    def __init__(
        self,
        origin: Origin,
        zones: list[Zone],
        parcels: list[Parcel],
        buildings: list[Building],
        facilities: list[Facility],
        facts: list[Fact],
    ):
        self.origin = origin
        self.zones = {z.id: z for z in zones}
        self.parcels = {p.id: p for p in parcels}
        self.buildings = {b.id: b for b in buildings}
        self.facilities = {f.id: f for f in facilities}
        self.facts = {f.id: f for f in facts}

    @cached_property
    def frame(self) -> LocalFrame:
        """The local scene frame centred on the dataset's origin (rounded to the cm)."""
        x, y = lonlat_to_utm(self.origin.lon, self.origin.lat)
        return LocalFrame(round(x, 2), round(y, 2))

    @cached_property
    def zone_polygons(self) -> dict[str, Polygon]:
        return {k: polygon_of(z.polygon) for k, z in self.zones.items()}

    @cached_property
    def parcel_polygons(self) -> dict[str, Polygon]:
        return {k: polygon_of(p.polygon) for k, p in self.parcels.items()}

    @cached_property
    def footprints(self) -> dict[str, Polygon]:
        return {k: polygon_of(b.footprint) for k, b in self.buildings.items()}

    def height_m(self, building_id: str) -> float:
        """Height of the building's roof above ground, m."""
        b = self.buildings[building_id]
        return b.storeys * b.storey_height_m

    def gfa_m2(self, building_id: str) -> float:
        """Gross floor area, m²: the drawn plates' areas, else footprint area times storeys."""
        b = self.buildings[building_id]
        if b.floors is not None:
            return sum(f.area_m2 for f in self.floors(building_id))
        return float(self.footprints[building_id].area) * b.storeys

    def buildings_in_parcel(self, parcel_id: str) -> list[str]:
        return [b.id for b in self.buildings.values() if b.parcel == parcel_id]

    def zone_lineage(self, zone_id: str) -> list[str]:
        """The zone and its ancestors, innermost first."""
        out: list[str] = []
        current: str | None = zone_id
        while current is not None and current not in out:
            out.append(current)
            current = self.zones[current].parent if current in self.zones else None
        return out

    def parcels_in_zone(self, zone_id: str) -> list[str]:
        """Parcels in the zone or any zone inside it."""
        return [p.id for p in self.parcels.values() if zone_id in self.zone_lineage(p.zone)]

    def parcel_gfa_m2(self, parcel_id: str) -> float:
        return sum(self.gfa_m2(b) for b in self.buildings_in_parcel(parcel_id))

    def zone_gfa_m2(self, zone_id: str) -> float:
        return sum(self.parcel_gfa_m2(p) for p in self.parcels_in_zone(zone_id))

    @cached_property
    def _floors(self) -> dict[str, list[Floor]]:
        return {b: self._build_floors(b) for b in self.buildings}

    def _build_floors(self, building_id: str) -> list[Floor]:
        b = self.buildings[building_id]
        if b.floors is not None:
            plans = sorted(b.floors, key=lambda f: f.level)
            return [self._floor(b, f.level, polygon_of(f.polygon), drawn_core(f)) for f in plans]
        plate = self.footprints[building_id]
        core = None
        if b.layout is not None:
            core = subdivide(plate, FloorLayout(b.layout.depth_m, b.layout.bay_width_m)).core
        return [self._floor(b, level, plate, core) for level in range(1, b.storeys + 1)]

    @staticmethod
    def _floor(b: Building, level: int, plate: Polygon, core: Polygon | None) -> Floor:
        return Floor(
            id=floor_id(b.id, level),
            building=b.id,
            level=level,
            base_m=(level - 1) * b.storey_height_m,
            top_m=level * b.storey_height_m,
            plate=plate,
            core=core,
        )

    def floors(self, building_id: str) -> list[Floor]:
        """The building's floors, ground floor first."""
        return self._floors[building_id]

    @cached_property
    def _units(self) -> dict[str, list[Unit]]:
        out: dict[str, list[Unit]] = {}
        for bid, b in self.buildings.items():
            out[bid] = []
            if b.floors is not None:
                out[bid] = [
                    Unit(
                        f"{floor_id(bid, f.level)}/{u.code}",
                        floor_id(bid, f.level),
                        bid,
                        f.level,
                        polygon_of(u.polygon),
                    )
                    for f in sorted(b.floors, key=lambda f: f.level)
                    for u in f.units
                ]
                continue
            if b.layout is None:
                continue
            layout = FloorLayout(b.layout.depth_m, b.layout.bay_width_m)
            shapes = subdivide(self.footprints[bid], layout).units
            for floor in self.floors(bid):
                out[bid] += [
                    Unit(f"{floor.id}/U{k:02d}", floor.id, bid, floor.level, shape)
                    for k, shape in enumerate(shapes, start=1)
                ]
        return out

    def units(self, building_id: str | None = None) -> list[Unit]:
        """Leasable units of one building, or of the whole campus."""
        if building_id is not None:
            return self._units[building_id]
        return [u for units in self._units.values() for u in units]

    def all_floors(self) -> list[Floor]:
        return [f for b in self.buildings for f in self.floors(b)]

    def facility_location(self, facility_id: str) -> Point | None:
        """Where a facility is: its own location, else its building's centroid (EPSG:32651)."""
        f = self.facilities[facility_id]
        if f.location is not None:
            return Point(f.location)
        if f.building is not None and f.building in self.footprints:
            return self.footprints[f.building].centroid
        return None
