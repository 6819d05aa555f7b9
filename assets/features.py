"""The campus as generic features (EPSG:32651) for GeoJSON, GeoPackage and OGC API output."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from shapely.geometry import Point

from assets.campus import Campus
from geometry.features import Feature

KINDS = ("park", "core", "complex", "parcel", "building", "floor", "unit", "facility")
"""Feature kinds in drawing order, outermost first."""


def _zones(campus: Campus) -> Iterator[Feature]:
    for z in campus.zones.values():
        polygon = campus.zone_polygons[z.id]
        props = {
            "name": z.name.en,
            "name_zh": z.name.zh,
            "parent": z.parent,
            "area_m2": round(polygon.area, 1),
            "provenance": z.provenance,
            "facts": ",".join(z.facts),
        }
        if z.kind == "complex":
            props["gfa_m2"] = round(campus.zone_gfa_m2(z.id), 1)
        yield Feature(z.id, z.kind, polygon, props)


def _parcels(campus: Campus) -> Iterator[Feature]:
    for p in campus.parcels.values():
        polygon = campus.parcel_polygons[p.id]
        yield Feature(
            p.id,
            "parcel",
            polygon,
            {
                "name": p.name.en,
                "name_zh": p.name.zh,
                "zone": p.zone,
                "role": p.role,
                "area_m2": round(polygon.area, 1),
                "gfa_m2": round(campus.parcel_gfa_m2(p.id), 1),
                "provenance": p.provenance,
                "facts": ",".join(p.facts),
            },
        )


def _buildings(campus: Campus) -> Iterator[Feature]:
    for b in campus.buildings.values():
        yield Feature(
            b.id,
            "building",
            campus.footprints[b.id],
            {
                "name": b.name.en,
                "name_zh": b.name.zh,
                "parcel": b.parcel,
                "use": b.use,
                "gfa_m2": round(campus.gfa_m2(b.id), 1),
                "storeys": b.storeys,
                "height_m": round(campus.height_m(b.id), 2),
                "provenance": b.provenance,
                "facts": ",".join(b.facts),
            },
        )


def _floors(campus: Campus) -> Iterator[Feature]:
    for f in campus.all_floors():
        yield Feature(
            f.id,
            "floor",
            f.plate,
            {
                "name": f.id,
                "building": f.building,
                "level": f.level,
                "base_m": round(f.base_m, 2),
                "area_m2": round(f.area_m2, 1),
                "derived": campus.buildings[f.building].floors is None,
            },
        )


def _units(campus: Campus) -> Iterator[Feature]:
    for u in campus.units():
        yield Feature(
            u.id,
            "unit",
            u.polygon,
            {
                "name": u.id,
                "building": u.building,
                "floor": u.floor,
                "level": u.level,
                "area_m2": round(u.area_m2, 1),
                "derived": campus.buildings[u.building].floors is None,
            },
        )


def _facilities(campus: Campus) -> Iterator[Feature]:
    for f in campus.facilities.values():
        where = campus.facility_location(f.id) or Point(
            campus.frame.origin_x, campus.frame.origin_y
        )
        yield Feature(
            f.id,
            "facility",
            where,
            {
                "name": f.name.en,
                "name_zh": f.name.zh,
                "facility_kind": f.kind,
                "building": f.building,
                "rack_quota": f.rack_quota,
                "provenance": f.provenance,
                "facts": ",".join(f.facts),
            },
        )


def campus_features(campus: Campus, kinds: Iterable[str] = KINDS) -> list[Feature]:
    """Every feature of the requested kinds, zones first, in a stable order.

    Raises
    ------
    ValueError
        For a kind that is not one of :data:`KINDS`.
    """
    wanted = set(kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValueError(
            f"unknown feature kind(s): {', '.join(sorted(unknown))}; use {', '.join(KINDS)}"
        )
    out: list[Feature] = []
    if wanted & {"park", "core", "complex"}:
        out += [f for f in _zones(campus) if f.kind in wanted]
    producers = {
        "parcel": _parcels,
        "building": _buildings,
        "floor": _floors,
        "unit": _units,
        "facility": _facilities,
    }
    for kind, produce in producers.items():
        if kind in wanted:
            out += list(produce(campus))
    return out
