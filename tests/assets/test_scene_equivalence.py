"""The scene builder against a straightforward reference: one trimesh extrusion per part.

The reference walks the campus as the scene does (ground slabs, then per building and floor: the
plate of a floor without units, else its core and its units) and extrudes every part with
``trimesh.creation.extrude_polygon``; the builder's parts must come in the same order, with the
same feature ids, kinds and groups, and the same solids.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pytest
import shapely
import trimesh
from mesh_equivalence import assert_same_mesh
from shapely.geometry import Polygon

from assets.campus import Campus
from assets.dataset import build_campus
from assets.models import FloorPlan, UnitPlan
from assets.scene import GROUND, GROUND_TOPS_M, SLAB_GAP_M, CampusScene, build_scene
from assets.synthetic import synthesize

SLAB_M = 0.5
"""Thickness of a ground slab, m."""


@dataclass
class Reference:
    """The features (id, kind) and the parts (feature id, group, mesh or None) of a scene."""

    features: list[tuple[str, str]] = field(default_factory=list)
    parts: list[tuple[str, str, trimesh.Trimesh | None]] = field(default_factory=list)


def reference_scene(campus: Campus, buildings: set[str]) -> Reference:
    """Every feature and part in scene order; meshes for the ground and ``buildings`` only."""
    ref = Reference()

    def extrude(polygon: Polygon, base: float, top: float) -> trimesh.Trimesh:
        # holes stay open: the core around the pod does not cover it
        rings = [
            campus.frame.to_planar(np.asarray(r.coords))[:, :2]
            for r in (polygon.exterior, *polygon.interiors)
        ]
        mesh = trimesh.creation.extrude_polygon(Polygon(rings[0], rings[1:]), top - base)
        mesh.apply_translation((0.0, 0.0, base))
        return mesh

    for zone in campus.zones.values():
        ref.features.append((zone.id, zone.kind))
        if zone.kind != "complex":
            top = GROUND_TOPS_M[zone.kind]
            mesh = extrude(campus.zone_polygons[zone.id], top - SLAB_M, top)
            ref.parts.append((zone.id, GROUND, mesh))
    for parcel in campus.parcels.values():
        ref.features.append((parcel.id, "parcel"))
        top = GROUND_TOPS_M["parcel"]
        mesh = extrude(campus.parcel_polygons[parcel.id], top - SLAB_M, top)
        ref.parts.append((parcel.id, GROUND, mesh))
    for building in campus.buildings.values():
        ref.features.append((building.id, "building"))
        for floor in campus.floors(building.id):
            ref.features.append((floor.id, "floor"))
            units = [u for u in campus.units(building.id) if u.floor == floor.id]
            ref.features += [(u.id, "unit") for u in units]
            solids = [(u.id, u.polygon) for u in units]
            if not units:
                solids = [(floor.id, floor.plate)]
            elif floor.core is not None:
                solids.insert(0, (floor.id, floor.core))
            for feature, polygon in solids:
                mesh = None
                if building.id in buildings:
                    mesh = extrude(polygon, floor.base_m, floor.top_m - SLAB_GAP_M)
                ref.parts.append((feature, building.id, mesh))
    return ref


def assert_scene_matches(scene: CampusScene, campus: Campus, buildings: set[str]) -> None:
    """The scene has the reference's features and parts (solids compared for ``buildings``)."""
    ref = reference_scene(campus, buildings)
    assert list(zip(scene.feature_ids, scene.kinds.values(), strict=True)) == ref.features
    assert scene.kinds == dict(ref.features)
    assert len(scene.parts) == len(ref.parts)
    compared = 0
    for part, (feature, group, mesh) in zip(scene.parts, ref.parts, strict=True):
        assert {scene.feature_ids[i] for i in part.feature_index} == {feature}
        assert part.group == group, feature
        if mesh is not None:
            assert_same_mesh(part.mesh, mesh, feature)
            compared += 1
    assert compared >= len(buildings)


def test_the_flying_fish_scene_is_the_reference_extrusion(campus: Campus) -> None:
    # units and a core on every floor; plates only (no units); a small service building
    picked = {"fish-head-t3", "office-building", "data-centre", "service-centre"}
    assert_scene_matches(build_scene(campus), campus, picked)


def drawn_campus() -> Campus:
    """A small synthetic campus whose first building draws three floors: units around a core
    with a hole (a pod in its middle), units that cover the plate (no core), and no units."""
    synthetic = synthesize(2, seed=5)
    first, *others = synthetic.buildings.buildings
    x0, y0, x1, y1 = shapely.geometry.Polygon(first.footprint).bounds
    xm, ym = (x0 + x1) / 2, (y0 + y1) / 2

    def box(code: str, a: float, b: float, c: float, d: float) -> UnitPlan:
        return UnitPlan(code=code, polygon=[(a, b), (c, b), (c, d), (a, d)])

    south = [box("S1", x0, y0, xm, y0 + 10), box("S2", xm, y0, x1, y0 + 10)]
    pod = box("POD", xm - 4, ym + 2, xm + 4, ym + 8)
    halves = [box("W", x0, y0, xm, y1), box("E", xm, y0, x1, y1)]
    floors = [
        FloorPlan(level=1, polygon=first.footprint, units=[*south, pod]),
        FloorPlan(level=2, polygon=first.footprint, units=halves),
        FloorPlan(level=3, polygon=first.footprint),
    ]
    drawn = first.model_copy(update={"layout": None, "floors": floors, "storeys": 3})
    site = synthetic.site
    return build_campus(
        site.origin,
        site.zones,
        site.parcels,
        [drawn, *others],
        synthetic.facilities.facilities,
        synthetic.facts.facts,
    )


def test_a_synthetic_campus_with_drawn_floors_is_the_reference_extrusion() -> None:
    campus = drawn_campus()
    first = next(iter(campus.buildings))
    cored, covered, empty = campus.floors(first)
    assert cored.core is not None and len(cored.core.interiors) == 1  # the pod's hole
    assert covered.core is None and empty.core is None
    per_floor = Counter(u.floor for u in campus.units(first))
    assert [per_floor[f.id] for f in (cored, covered, empty)] == [3, 2, 0]
    assert_scene_matches(build_scene(campus), campus, set(campus.buildings))


@pytest.mark.parametrize("wrong", ["order", "height"])
def test_the_comparison_sees_a_wrong_scene(campus: Campus, wrong: str) -> None:
    """Two parts swapped, or a storey 1 % too tall, fail the reference check."""
    scene = build_scene(campus)
    parts = list(scene.parts)
    if wrong == "order":
        parts[-1], parts[-2] = parts[-2], parts[-1]
    else:
        parts[-1].mesh.vertices[:, 2] *= 1.01
    broken = CampusScene(parts, scene.feature_ids, scene.kinds)
    with pytest.raises(AssertionError):
        assert_scene_matches(broken, campus, {"service-centre"})
