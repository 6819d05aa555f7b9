"""The campus as 3D parts for the GLB and pyvista: ground slabs, unit prisms, cores, floors.

Every vertex carries the index of the feature it belongs to (a unit, a floor, a parcel or a
zone), so a click on the scene resolves to an id. Meshes are in the local planar frame
(metres east, north, up of the campus origin); one draw-call group per building, plus one for
the ground.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from shapely.geometry import Polygon

from assets.campus import Campus, Unit
from geometry.extrude import PLATE_THICKNESS_M, Prism, prism_arrays
from geometry.gltf import FeatureMesh

SLAB_GAP_M = 0.35
"""Gap left under each floor's ceiling so storeys read as separate bands, m."""
GROUND_TOPS_M = {"park": -0.6, "core": -0.4, "complex": -0.3, "parcel": -0.2}
"""Top of each ground slab, m: nested slabs are stacked so they never z-fight."""
GROUND = "ground"


@dataclass(frozen=True)
class CampusScene:
    """Mesh parts and the feature table they index (``feature_ids[part.feature_index]``)."""

    parts: list[FeatureMesh]
    feature_ids: list[str]
    kinds: dict[str, str]


class _Builder:
    def __init__(self, campus: Campus):
        self.campus = campus
        self.parts: list[FeatureMesh] = []
        self.feature_ids: list[str] = []
        self.kinds: dict[str, str] = {}
        self._prisms: dict[tuple[bytes, float], Prism] = {}
        self._wkbs: dict[int, tuple[Polygon, bytes]] = {}  # by id(): storeys share polygons

    def feature(self, entity_id: str, kind: str) -> int:
        self.feature_ids.append(entity_id)
        self.kinds[entity_id] = kind
        return len(self.feature_ids) - 1

    def _local(self, polygon: Polygon) -> Polygon:
        """``polygon`` in the scene frame (m), holes kept: a core around a unit stays open."""
        to_planar = self.campus.frame.to_planar
        rings = [
            to_planar(np.asarray(r.coords))[:, :2] for r in (polygon.exterior, *polygon.interiors)
        ]
        return Polygon(rings[0], rings[1:])

    def _wkb(self, polygon: Polygon) -> bytes:
        """The polygon's WKB, computed once per polygon object (kept alive with its id)."""
        found = self._wkbs.get(id(polygon))
        if found is None:
            found = self._wkbs[id(polygon)] = (polygon, polygon.wkb)
        return found[1]

    def add(self, polygon: Polygon, base: float | None, top: float, index: int, group: str) -> None:
        """One part: a prism from ``base`` to ``top`` (m), or a ground plate (``base`` None)
        whose top lies at ``top``."""
        if base is None:
            base = top - PLATE_THICKNESS_M
        # storeys repeat their plan: extrude once, then lift copies
        key = (self._wkb(polygon), round(top - base, 3))
        if key not in self._prisms:
            self._prisms[key] = prism_arrays(self._local(polygon), 0.0, top - base)
        mesh = self._prisms[key].lifted(base)
        fids = np.full(len(mesh.vertices), index, dtype=np.int64)
        self.parts.append(FeatureMesh(mesh=mesh, feature_index=fids, group=group))


def build_scene(campus: Campus) -> CampusScene:
    """All parts of the campus scene, in a stable order."""
    b = _Builder(campus)
    for z in campus.zones.values():
        index = b.feature(z.id, z.kind)
        if z.kind != "complex":  # the fish is drawn by its parcels
            b.add(campus.zone_polygons[z.id], None, GROUND_TOPS_M[z.kind], index, GROUND)
    for p in campus.parcels.values():
        b.add(
            campus.parcel_polygons[p.id],
            None,
            GROUND_TOPS_M["parcel"],
            b.feature(p.id, "parcel"),
            GROUND,
        )
    for building in campus.buildings.values():
        b.feature(building.id, "building")
        units = _units_by_floor(campus.units(building.id))
        for floor in campus.floors(building.id):
            floor_index = b.feature(floor.id, "floor")
            ceiling = floor.top_m - SLAB_GAP_M
            on_floor = units.get(floor.id, [])
            if not on_floor:
                b.add(floor.plate, floor.base_m, ceiling, floor_index, building.id)
                continue
            if floor.core is not None:
                b.add(floor.core, floor.base_m, ceiling, floor_index, building.id)
            for unit in on_floor:
                b.add(unit.polygon, floor.base_m, ceiling, b.feature(unit.id, "unit"), building.id)
    return CampusScene(parts=b.parts, feature_ids=b.feature_ids, kinds=b.kinds)


def _units_by_floor(units: list[Unit]) -> dict[str, list[Unit]]:
    """The units of each floor id, in their given order."""
    out: dict[str, list[Unit]] = {}
    for unit in units:
        out.setdefault(unit.floor, []).append(unit)
    return out
