"""The campus at a glance: zone areas, floor space by parcel and counts (m², m)."""

from __future__ import annotations

from dataclasses import dataclass

from assets.campus import Campus


@dataclass(frozen=True)
class AreaRow:
    """One zone or parcel: planar area and the gross floor area built on it, m²."""

    id: str
    kind: str
    name_zh: str
    name_en: str
    area_m2: float
    gfa_m2: float
    facts: tuple[str, ...]


@dataclass(frozen=True)
class BuildingRow:
    id: str
    name_en: str
    parcel: str
    use: str
    storeys: int
    height_m: float
    gfa_m2: float
    floors: int
    units: int


@dataclass(frozen=True)
class CampusSummary:
    zones: list[AreaRow]
    parcels: list[AreaRow]
    buildings: list[BuildingRow]
    counts: dict[str, int]


def summarize(campus: Campus) -> CampusSummary:
    """Areas, GFA and counts of the whole campus."""
    zones = [
        AreaRow(
            z.id,
            z.kind,
            z.name.zh,
            z.name.en,
            campus.zone_polygons[z.id].area,
            campus.zone_gfa_m2(z.id),
            tuple(z.facts),
        )
        for z in campus.zones.values()
    ]
    parcels = [
        AreaRow(
            p.id,
            p.role,
            p.name.zh,
            p.name.en,
            campus.parcel_polygons[p.id].area,
            campus.parcel_gfa_m2(p.id),
            tuple(p.facts),
        )
        for p in campus.parcels.values()
    ]
    buildings = [
        BuildingRow(
            b.id,
            b.name.en,
            b.parcel,
            b.use,
            b.storeys,
            campus.height_m(b.id),
            campus.gfa_m2(b.id),
            len(campus.floors(b.id)),
            len(campus.units(b.id)),
        )
        for b in campus.buildings.values()
    ]
    counts = {
        "zones": len(campus.zones),
        "parcels": len(campus.parcels),
        "buildings": len(campus.buildings),
        "floors": len(campus.all_floors()),
        "units": len(campus.units()),
        "facilities": len(campus.facilities),
    }
    return CampusSummary(zones, parcels, buildings, counts)
