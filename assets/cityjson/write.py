"""The campus as a CityJSON 2.0 object (a JSON-ready dict); EPSG:32651 metres, heights in m.

Zones and parcels: ``LandUse`` with an LoD0 ``MultiSurface`` at ground level (CityJSON has no
parcel or district type; ``LandUse`` is land set aside for a use, which both are). Buildings:
``Building`` with an LoD1 ``Solid`` from the ground to ``storeys * storey_height_m``, with
ground, roof and wall semantics. Floors and units: ``BuildingStorey`` and ``BuildingUnit``
children of their building (CityJSON lets a building's subdivisions have only the building as
parent), LoD1 solids from the floor's base to its top; a unit names its floor in ``storey``.
A building whose units come from its ``layout`` exports them marked ``derived`` (the reader
skips them); drawn floors are exported unmarked, as the source of truth. Facilities are listed
on their building (id, kind, name) for other tools; they are not read back.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel
from shapely.geometry import Polygon

from assets.campus import Campus
from assets.cityjson.boundaries import SEMANTIC_SURFACES, VertexPool, block, upward_surface
from assets.cityjson.vocabulary import (
    BUILDING,
    DERIVED,
    ENTITY,
    FIELDS,
    LAND_USE,
    LOD_BLOCK,
    LOD_FOOTPRINT,
    MEASURED_HEIGHT,
    REFERENCE_SYSTEM,
    SCALE_M,
    STOREY,
    STOREYS_ABOVE_GROUND,
    UNIT,
    VERSION,
)

CityObject = dict[str, Any]


def campus_cityjson(campus: Campus, title: str | None = None) -> dict[str, Any]:
    """The whole campus as one CityJSON 2.0 object, ready for ``json.dumps``.

    ``title``: the dataset title in the metadata (default: the outermost zones' names).
    """
    pool = VertexPool(_translate(campus))
    objects: dict[str, CityObject] = {}
    for zone in campus.zones.values():
        objects[zone.id] = _land_use(pool, campus.zone_polygons[zone.id], zone, "zone")
    for parcel in campus.parcels.values():
        objects[parcel.id] = _land_use(pool, campus.parcel_polygons[parcel.id], parcel, "parcel")
    for building_id in campus.buildings:
        objects.update(_building(pool, campus, building_id))
    vertices = pool.vertices
    return {
        "type": "CityJSON",
        "version": VERSION,
        "transform": {"scale": [SCALE_M] * 3, "translate": list(pool.translate)},
        "metadata": {
            "title": title or _title(campus),
            "referenceSystem": REFERENCE_SYSTEM,
            "geographicalExtent": _extent(vertices, pool.translate),
        },
        "CityObjects": objects,
        "vertices": vertices,
    }


def _translate(campus: Campus) -> tuple[float, float, float]:
    """Whole metres just below the campus's south-west corner, so vertices stay small."""
    shapes = [*campus.zone_polygons.values(), *campus.parcel_polygons.values()]
    shapes += [*campus.footprints.values(), *(f.plate for f in campus.all_floors())]
    return (
        float(math.floor(min(s.bounds[0] for s in shapes))),
        float(math.floor(min(s.bounds[1] for s in shapes))),
        0.0,
    )


def _title(campus: Campus) -> str:
    roots = [z.name for z in campus.zones.values() if z.parent is None]
    return "; ".join(f"{n.en} ({n.zh})" for n in roots) or "Campus"


def _extent(vertices: list[list[int]], translate: tuple[float, float, float]) -> list[float]:
    """``[minx, miny, minz, maxx, maxy, maxz]`` in EPSG:32651 m."""
    if not vertices:
        return [*translate, *translate]
    lows = [min(v[k] for v in vertices) * SCALE_M + translate[k] for k in range(3)]
    highs = [max(v[k] for v in vertices) * SCALE_M + translate[k] for k in range(3)]
    return [round(c, 2) for c in (*lows, *highs)]


def _attributes(model: BaseModel, kind: str) -> dict[str, Any]:
    data = model.model_dump(mode="json")
    return {name: data[name] for name in FIELDS[kind]}


def _land_use(pool: VertexPool, polygon: Polygon, model: BaseModel, kind: str) -> CityObject:
    attributes = {ENTITY: kind, **_attributes(model, kind), "area_m2": round(polygon.area, 1)}
    surface = upward_surface(pool, polygon, 0.0)
    geometry = [{"type": "MultiSurface", "lod": LOD_FOOTPRINT, "boundaries": [surface]}]
    return {"type": LAND_USE, "attributes": attributes, "geometry": geometry if surface else []}


def _solid(
    pool: VertexPool, polygon: Polygon, base_m: float, top_m: float, semantics: bool = False
) -> list[dict[str, Any]]:
    built = block(pool, polygon, base_m, top_m)
    if built is None:
        return []
    shell, values = built
    geometry: dict[str, Any] = {"type": "Solid", "lod": LOD_BLOCK, "boundaries": [shell]}
    if semantics:
        geometry["semantics"] = {"surfaces": SEMANTIC_SURFACES, "values": [values]}
    return [geometry]


def _building(pool: VertexPool, campus: Campus, building_id: str) -> Iterator[tuple[str, Any]]:
    """The building's CityObject, then its storeys', then its units' (id, object) pairs."""
    b = campus.buildings[building_id]
    height = round(campus.height_m(building_id), 2)
    floors, units = campus.floors(building_id), campus.units(building_id)
    derived = b.floors is None
    facilities = [
        {"id": f.id, "kind": f.kind, "name": f.name.model_dump()}
        for f in campus.facilities.values()
        if f.building == building_id
    ]
    attributes = {
        **_attributes(b, "building"),
        STOREYS_ABOVE_GROUND: b.storeys,
        MEASURED_HEIGHT: height,
        "gfa_m2": round(campus.gfa_m2(building_id), 1),
        **({"facilities": facilities} if facilities else {}),
    }
    yield (
        building_id,
        {
            "type": BUILDING,
            "attributes": attributes,
            "geometry": _solid(pool, campus.footprints[building_id], 0.0, height, semantics=True),
            **({"children": [f.id for f in floors] + [u.id for u in units]} if floors else {}),
        },
    )
    for floor in floors:
        yield (
            floor.id,
            {
                "type": STOREY,
                "parents": [building_id],
                "attributes": {
                    "level": floor.level,
                    DERIVED: derived,
                    "area_m2": round(floor.area_m2, 1),
                },
                "geometry": _solid(pool, floor.plate, floor.base_m, floor.top_m),
            },
        )
    names = {(plan.level, unit.code): unit.name for plan in b.floors or [] for unit in plan.units}
    bases = {f.level: (f.base_m, f.top_m) for f in floors}
    for unit in units:
        code = unit.id.rsplit("/", 1)[1]
        name = names.get((unit.level, code))
        attributes = {
            "storey": unit.floor,
            "level": unit.level,
            "code": code,
            DERIVED: derived,
            "area_m2": round(unit.area_m2, 1),
            **({"name": name.model_dump()} if name is not None else {}),
        }
        yield (
            unit.id,
            {
                "type": UNIT,
                "parents": [building_id],
                "attributes": attributes,
                "geometry": _solid(pool, unit.polygon, *bases[unit.level]),
            },
        )
