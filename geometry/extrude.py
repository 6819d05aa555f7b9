"""Extrusion of footprints into watertight prisms (trimesh, Z-up, metres)."""

from __future__ import annotations

import trimesh
from shapely.geometry import Polygon


def prism(polygon: Polygon, base: float, top: float) -> trimesh.Trimesh:
    """A watertight prism over ``polygon`` from height ``base`` to ``top`` (m)."""
    if top <= base:
        raise ValueError(f"prism top {top} m must lie above its base {base} m")
    mesh = trimesh.creation.extrude_polygon(polygon, top - base)
    mesh.apply_translation((0.0, 0.0, base))
    return mesh


def flat_plate(polygon: Polygon, height: float, thickness: float = 0.5) -> trimesh.Trimesh:
    """A thin watertight slab (``thickness`` m) whose top lies at ``height`` m: ground outlines."""
    return prism(polygon, height - thickness, height)
