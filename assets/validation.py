"""The invariants every campus dataset must keep, checked from its geometry.

Each rule raises :class:`assets.errors.DatasetError` naming the file, the entity and the rule.
Coordinates are stored to the centimetre, so shared boundaries may overlap by rounding:
overlaps under :data:`OVERLAP_TOLERANCE_M2` are not overlaps.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import shapely
from shapely.geometry import Polygon
from shapely.strtree import STRtree

from assets.campus import Campus
from assets.errors import DatasetError
from assets.models import Claim
from geometry.floorplate import FloorLayout, subdivide

OVERLAP_TOLERANCE_M2 = 1.0
CONTAINMENT_TOLERANCE_M = 0.05
SITE, BUILDINGS, FACILITIES = "site.json", "buildings.json", "facilities.json"


def validate(campus: Campus) -> None:
    """Raise :class:`DatasetError` on the first broken rule; return quietly otherwise.

    Ids must already be unique (:func:`unique_ids`).
    """
    _references(campus)
    _valid_polygons(campus)
    _containment(campus)
    _no_overlaps(SITE, "parcel", campus.parcel_polygons)
    _no_overlaps(BUILDINGS, "footprint", campus.footprints)
    _layouts(campus)
    _floor_plans(campus)
    _claims(campus)


def _entities(campus: Campus) -> Iterator[tuple[str, str, list[str]]]:
    """(file, id, cited fact ids) of every entity."""
    for z in campus.zones.values():
        yield SITE, z.id, z.facts + [f for c in z.claims for f in c.facts]
    for p in campus.parcels.values():
        yield SITE, p.id, p.facts + [f for c in p.claims for f in c.facts]
    for b in campus.buildings.values():
        yield BUILDINGS, b.id, b.facts + [f for c in b.claims for f in c.facts]
    for f in campus.facilities.values():
        yield FACILITIES, f.id, f.facts


def unique_ids(entities: Iterable[tuple[str, str]]) -> None:
    """Refuse a second entity with an id already used; ``entities`` are (file, id) pairs.

    Checked on the files' lists, before entities are indexed by id.
    """
    seen: dict[str, str] = {}
    for file, entity_id in entities:
        if entity_id in seen:
            raise DatasetError(
                file, entity_id, "unique-id", f"id already used in {seen[entity_id]}"
            )
        seen[entity_id] = file


def _unknown(file: str, entity: str, field: str, target: str, known: dict[str, object]) -> None:
    if target not in known:
        raise DatasetError(file, entity, "unknown-id", f"{field} '{target}' does not exist")


def _references(campus: Campus) -> None:
    for z in campus.zones.values():
        if z.parent is not None:
            _unknown(SITE, z.id, "parent", z.parent, campus.zones)  # type: ignore[arg-type]
    for p in campus.parcels.values():
        _unknown(SITE, p.id, "zone", p.zone, campus.zones)  # type: ignore[arg-type]
    for b in campus.buildings.values():
        _unknown(BUILDINGS, b.id, "parcel", b.parcel, campus.parcels)  # type: ignore[arg-type]
    for f in campus.facilities.values():
        if f.building is not None:
            _unknown(FACILITIES, f.id, "building", f.building, campus.buildings)  # type: ignore[arg-type]
    for file, entity_id, facts in _entities(campus):
        for fact in facts:
            _unknown(file, entity_id, "fact", fact, campus.facts)  # type: ignore[arg-type]


def _polygons(campus: Campus) -> Iterator[tuple[str, str, Polygon]]:
    yield from ((SITE, k, p) for k, p in campus.zone_polygons.items())
    yield from ((SITE, k, p) for k, p in campus.parcel_polygons.items())
    yield from ((BUILDINGS, k, p) for k, p in campus.footprints.items())


def _valid_polygons(campus: Campus) -> None:
    for file, entity_id, polygon in _polygons(campus):
        _valid(entity_id, polygon, file)


def _inside(inner: Polygon, outer: Polygon) -> bool:
    return bool(outer.buffer(CONTAINMENT_TOLERANCE_M, join_style="mitre").contains(inner))


def _containment(campus: Campus) -> None:
    zones, parcels = campus.zone_polygons, campus.parcel_polygons
    for z in campus.zones.values():
        if z.parent is not None and not _inside(zones[z.id], zones[z.parent]):
            raise DatasetError(SITE, z.id, "containment", f"zone must lie inside zone {z.parent}")
    for p in campus.parcels.values():
        if not _inside(parcels[p.id], zones[p.zone]):
            raise DatasetError(SITE, p.id, "containment", f"parcel must lie inside zone {p.zone}")
    for b in campus.buildings.values():
        if not _inside(campus.footprints[b.id], parcels[b.parcel]):
            raise DatasetError(
                BUILDINGS, b.id, "containment", f"footprint must lie inside parcel {b.parcel}"
            )


def _no_overlaps(file: str, what: str, polygons: dict[str, Polygon]) -> None:
    ids, shapes = list(polygons), list(polygons.values())
    if len(shapes) < 2:
        return
    tree = STRtree(shapes)
    left, right = tree.query(shapes, predicate="intersects")
    for i, j in zip(left, right, strict=True):
        if i < j:
            shared = shapes[i].intersection(shapes[j]).area
            if shared > OVERLAP_TOLERANCE_M2:
                raise DatasetError(
                    file, ids[j], "overlap", f"{what} overlaps {ids[i]} by {shared:,.1f} m²"
                )


def _layouts(campus: Campus) -> None:
    for b in campus.buildings.values():
        if b.layout is None:
            continue
        try:
            subdivide(campus.footprints[b.id], FloorLayout(b.layout.depth_m, b.layout.bay_width_m))
        except ValueError as exc:
            raise DatasetError(BUILDINGS, b.id, "floor-layout", str(exc)) from exc


def _valid(entity_id: str, polygon: Polygon, file: str = BUILDINGS) -> None:
    if polygon.is_empty or polygon.area <= 0 or not polygon.is_valid:
        reason = shapely.is_valid_reason(polygon) if not polygon.is_empty else "empty"
        raise DatasetError(file, entity_id, "valid-polygon", f"invalid polygon: {reason}")


def _floor_plans(campus: Campus) -> None:
    """Drawn floors: one plan per storey, valid plates, units unique, inside, not overlapping."""
    for b in campus.buildings.values():
        if b.floors is None:
            continue
        if b.layout is not None:
            raise DatasetError(
                BUILDINGS, b.id, "floor-plans", "give either a layout or drawn floors, not both"
            )
        levels = sorted(f.level for f in b.floors)
        if levels != list(range(1, b.storeys + 1)):
            raise DatasetError(
                BUILDINGS,
                b.id,
                "floor-plans",
                f"drawn floors must be levels 1..{b.storeys} once each, got {levels}",
            )
        for floor in campus.floors(b.id):
            _valid(floor.id, floor.plate)
            units = {u.id: u.polygon for u in campus.units(b.id) if u.floor == floor.id}
            if len(units) < sum(len(f.units) for f in b.floors if f.level == floor.level):
                raise DatasetError(BUILDINGS, floor.id, "unique-id", "two units share a code")
            for unit_id, polygon in units.items():
                _valid(unit_id, polygon)
                if not _inside(polygon, floor.plate):
                    raise DatasetError(
                        BUILDINGS, unit_id, "containment", f"unit must lie inside {floor.id}"
                    )
            _no_overlaps(BUILDINGS, "unit", units)


def measured(campus: Campus, entity_id: str, claim: Claim) -> float:
    """The quantity a claim is about, computed from the geometry (m²)."""
    if claim.quantity == "area_m2":
        polygons = {**campus.zone_polygons, **campus.parcel_polygons, **campus.footprints}
        return float(polygons[entity_id].area)
    if entity_id in campus.buildings:
        return campus.gfa_m2(entity_id)
    if entity_id in campus.parcels:
        return campus.parcel_gfa_m2(entity_id)
    return campus.zone_gfa_m2(entity_id)


def _claims(campus: Campus) -> None:
    owners = [
        *((SITE, z.id, z.claims) for z in campus.zones.values()),
        *((SITE, p.id, p.claims) for p in campus.parcels.values()),
        *((BUILDINGS, b.id, b.claims) for b in campus.buildings.values()),
    ]
    for file, entity_id, claims in owners:
        for claim in claims:
            value = measured(campus, entity_id, claim)
            if abs(value - claim.value) > claim.tolerance * claim.value:
                raise DatasetError(
                    file,
                    entity_id,
                    "published-total",
                    f"{claim.quantity} is {value:,.0f} but {'/'.join(claim.facts)} publishes "
                    f"{claim.value:,.0f} (±{claim.tolerance:.1%})",
                )
