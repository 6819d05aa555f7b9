"""What the browser draws over the GLB: zone outlines, points of interest, public feature cards.

Positions are in the GLB's scene frame (metres x east, y up, z south of the campus origin).
Everything here is public: names, published facts and the physical campus.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from shapely.geometry import Polygon

from assets.campus import Campus
from geometry.frame import LocalFrame
from viewer.sources import citation, visitor_text

TARGETS_2025 = {"enterprises": 100, "platforms": 10, "scenarios": 50}
"""The park's 2025 targets (fact F2): head enterprises, cooperation platforms, scenarios."""
LABEL_CLEARANCE_M = 12.0
"""Height of a label above its building's roof (or its parcel's ground), m."""
POI_FACTS = {
    "fish-head": "F5",
    "data-centre": "F6",
    "office-building": "F7",
    "service-centre": "F8",
}
"""Points of interest shown to visitors (a parcel or building id) and the fact describing each."""


@dataclass(frozen=True)
class Poi:
    """A labelled place: ``feature`` is the scene id the camera flies to."""

    id: str
    feature: str
    name: dict[str, str]
    description: dict[str, str]
    facts: list[str]
    position: list[float]
    sources: list[dict[str, object]]


def _scene_xz(frame: LocalFrame, polygon: Polygon) -> np.ndarray:
    """A polygon's exterior ring in scene (x, z) metres, rounded to the decimetre."""
    planar = frame.to_planar(np.asarray(polygon.exterior.coords))
    return np.round(np.stack([planar[:, 0], -planar[:, 1]], axis=1), 1)


def _anchor(frame: LocalFrame, polygon: Polygon, height: float) -> list[float]:
    point = polygon.representative_point()
    x, y = frame.to_planar(np.array([[point.x, point.y]]))[0]
    return [round(float(x), 1), round(height, 1), round(float(-y), 1)]


def outlines(campus: Campus) -> list[dict[str, Any]]:
    """The park, core and fish outlines: id, kind, name and ring [[x, z], ...] (scene frame)."""
    return [
        {
            "id": z.id,
            "kind": z.kind,
            "name": {"zh": z.name.zh, "en": z.name.en},
            "ring": _scene_xz(campus.frame, campus.zone_polygons[z.id]).tolist(),
        }
        for z in campus.zones.values()
    ]


def names(campus: Campus) -> dict[str, dict[str, str]]:
    """Names (zh, en) of the named scene features: zones, parcels and buildings."""
    out = {}
    for table in (campus.zones, campus.parcels, campus.buildings):
        for entity in table.values():
            out[entity.id] = {"zh": entity.name.zh, "en": entity.name.en}
    return out


def facilities(campus: Campus) -> list[dict[str, Any]]:
    """Facilities with their names, kind and the building that houses them (if any)."""
    return [
        {
            "id": f.id,
            "kind": f.kind,
            "name": {"zh": f.name.zh, "en": f.name.en},
            "building": f.building,
        }
        for f in campus.facilities.values()
    ]


def points_of_interest(campus: Campus) -> list[Poi]:
    """The fish head, the data centre, the office building and the cross-border data service
    centre, each with the published fact that describes it (zh and en, dated by its source, no
    relative years), the fact's citation and a label anchor."""
    pois = []
    for feature, fact_id in POI_FACTS.items():
        known = feature in campus.parcels or feature in campus.buildings
        if fact_id not in campus.facts or not known:
            continue  # a dataset without them (twin synth) has no such point of interest
        fact = campus.facts[fact_id]
        if feature in campus.parcels:
            entity: Any = campus.parcels[feature]
            polygon = campus.parcel_polygons[feature]
            height = 0.0  # a place on the ground: labelled low, among its towers
        else:
            entity = campus.buildings[feature]
            polygon = campus.footprints[feature]
            height = campus.height_m(feature)
        pois.append(
            Poi(
                id=feature,
                feature=feature,
                name={"zh": entity.name.zh, "en": entity.name.en},
                description=visitor_text(fact),  # dated: "As of September 2024: ..."
                facts=sorted({fact_id, *entity.facts}, key=_fact_order),
                position=_anchor(campus.frame, polygon, height + LABEL_CLEARANCE_M),
                sources=[citation(fact)],
            )
        )
    return pois


def _fact_order(fact_id: str) -> tuple[str, int]:
    return fact_id[0], int(fact_id[1:])


def feature_card(campus: Campus, feature_id: str) -> dict[str, Any] | None:
    """Public facts of a scene feature (zone, parcel, building, floor or unit); ``None`` for an
    unknown id. Areas in m² (EPSG:32651 planar), heights in m. ``area_basis`` says what
    ``area_m2`` measures: ``land`` (a zone or parcel; its buildings' floor space in ``gfa_m2``)
    or ``floor`` (a floor or unit). A building gives its floor space, ``gfa_m2``."""
    parts = feature_id.split("/")
    building = campus.buildings.get(parts[0])
    if building is None:
        for kind, table in (("zone", campus.zones), ("parcel", campus.parcels)):
            if feature_id in table:
                entity: Any = table[feature_id]
                area = campus.zone_polygons if kind == "zone" else campus.parcel_polygons
                floor_space = campus.zone_gfa_m2 if kind == "zone" else campus.parcel_gfa_m2
                gfa = round(floor_space(feature_id), 1)
                return {
                    "id": feature_id,
                    "kind": getattr(entity, "kind", kind),
                    "name": {"zh": entity.name.zh, "en": entity.name.en},
                    "area_m2": round(float(area[feature_id].area), 1),
                    "area_basis": "land",
                    **({"gfa_m2": gfa} if gfa > 0 else {}),  # the buildings on it, where any
                    "facts": list(entity.facts),
                    "sources": _citations(campus, entity.facts),
                }
        return None
    card: dict[str, Any] = {
        "id": feature_id,
        "kind": "building",
        "building": building.id,
        "name": {"zh": building.name.zh, "en": building.name.en},
        "use": building.use,
        "facts": list(building.facts),
        "sources": _citations(campus, building.facts),
    }
    if len(parts) == 1:
        return card | {
            "storeys": building.storeys,
            "height_m": round(campus.height_m(building.id), 1),
            "gfa_m2": round(campus.gfa_m2(building.id), 1),
        }
    floor = next((f for f in campus.floors(building.id) if f.id == "/".join(parts[:2])), None)
    if floor is None:
        return None
    card |= {"kind": "floor", "floor": floor.id, "level": floor.level}
    if len(parts) == 2:
        return card | {"area_m2": round(floor.area_m2, 1), "area_basis": "floor"}
    unit = next((u for u in campus.units(building.id) if u.id == feature_id), None)
    if unit is None or len(parts) != 3:
        return None
    return card | {"kind": "unit", "area_m2": round(unit.area_m2, 1), "area_basis": "floor"}


def _citations(campus: Campus, fact_ids: list[str]) -> list[dict[str, object]]:
    """The source (name, date, link) of each fact the campus has, in order."""
    return [citation(campus.facts[f]) for f in fact_ids if f in campus.facts]
