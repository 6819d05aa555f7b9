"""Plan shapes of IFC elements: each body tessellated by ifcopenshell.geom, its faces projected
on the plan and merged, in the model's local metres (the placement chain applied, not the
georeferencing).

Any body ifcopenshell can mesh works (extrusions, breps, booleans); vertical faces project to
nothing. A dataset ring has no holes, so outlines keep only their exterior (a courtyard or an
atrium counts as floor). Plates and footprints close the gaps walls leave between spaces.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

import ifcopenshell
import ifcopenshell.geom
import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from assets.errors import DatasetError

WALL_GAP_M = 1.0
"""Gaps narrower than this between an outline's parts (walls between spaces) are closed, m."""
GRID_M = 1e-4
"""Precision of the union of projected faces, m (removes slivers of float noise)."""
SIMPLIFY_M = 1e-3
"""Vertices closer than this to the line of their neighbours are dropped, m."""
GEOMETRY_LIBRARY: Final = "hybrid-cgal-simple-opencascade"
"""ifcopenshell's fast CGAL kernel, OpenCASCADE where it cannot (800 spaces: 0.4 s, not 3 s).
One thread: more were slower on this 2-core machine."""
MIN_FACE_M2 = 1e-8
"""Projected faces smaller than this (vertical faces) are ignored, m²."""


@dataclass(frozen=True)
class PlanShape:
    """An element's plan (local m, possibly in parts) and its vertical extent, m."""

    plan: BaseGeometry
    height_m: float


def where(element: ifcopenshell.entity_instance) -> str:
    """How error messages name an element: ``IfcSpace #32 '101'``."""
    return f"{element.is_a()} #{element.id()} {element.Name!r}"


def plan_shapes(
    model: ifcopenshell.file, elements: list[ifcopenshell.entity_instance], file: str
) -> dict[int, PlanShape]:
    """The plan of each element, by STEP id.

    Raises
    ------
    DatasetError
        Rule ``geometry`` naming the first element without a body whose plan has an area.
    """
    out: dict[int, PlanShape] = {}
    if elements:
        settings = ifcopenshell.geom.settings()
        settings.set("use-world-coords", True)
        iterator = ifcopenshell.geom.iterator(
            settings, model, 1, include=elements, geometry_library=GEOMETRY_LIBRARY
        )
        if iterator.initialize():
            while True:
                shape = iterator.get()
                out[shape.id] = _projected(shape.geometry)
                if not iterator.next():
                    break
    for element in elements:
        if element.id() not in out or out[element.id()].plan.area <= 0:
            raise DatasetError(
                file, where(element), "geometry", "has no 3D body (Body representation) to draw"
            )
    return out


def _projected(geometry: Any) -> PlanShape:
    """The plan of one tessellated body (ifcopenshell.geom triangulation, local m)."""
    verts = np.asarray(geometry.verts, dtype=np.float64).reshape(-1, 3)
    faces = np.asarray(geometry.faces, dtype=np.int64).reshape(-1, 3)
    if len(faces) == 0:
        return PlanShape(Polygon(), 0.0)
    triangles = verts[faces][:, :, :2]
    a, b, c = triangles[:, 0], triangles[:, 1], triangles[:, 2]
    area = 0.5 * np.abs((b - a)[:, 0] * (c - a)[:, 1] - (b - a)[:, 1] * (c - a)[:, 0])
    flat = shapely.polygons(triangles[area > MIN_FACE_M2])
    plan = shapely.union_all(flat, grid_size=GRID_M).simplify(SIMPLIFY_M)
    return PlanShape(plan, float(np.ptp(verts[:, 2])))


def _parts(geometry: BaseGeometry) -> list[Polygon]:
    return [g for g in getattr(geometry, "geoms", [geometry]) if isinstance(g, Polygon)]


def space_outline(shape: PlanShape, element: ifcopenshell.entity_instance, file: str) -> Polygon:
    """A space's plan as one polygon (exterior only).

    Raises
    ------
    DatasetError
        Rule ``geometry`` when the plan is in several parts.
    """
    parts = _parts(shape.plan)
    if len(parts) != 1:
        raise DatasetError(
            file, where(element), "geometry", f"the space's plan is in {len(parts)} separate parts"
        )
    return Polygon(parts[0].exterior)


def merged_outline(plans: Iterable[BaseGeometry], what: str, file: str) -> Polygon:
    """The union of ``plans`` as one polygon, gaps under :data:`WALL_GAP_M` closed, holes filled.

    Raises
    ------
    DatasetError
        Rule ``geometry`` when the union stays in several parts.
    """
    half = WALL_GAP_M / 2
    merged = shapely.union_all(list(plans), grid_size=GRID_M)
    closed = merged.buffer(half, join_style="mitre").buffer(-half, join_style="mitre")
    parts = _parts(closed.union(merged) if isinstance(closed, Polygon | MultiPolygon) else merged)
    if len(parts) != 1:
        raise DatasetError(
            file,
            what,
            "geometry",
            f"the plan is in {len(parts)} parts more than {WALL_GAP_M:g} m apart: "
            "a floor plate or footprint must be one polygon",
        )
    return Polygon(parts[0].exterior).simplify(SIMPLIFY_M)
