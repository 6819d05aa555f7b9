"""Floor plates: a central core for lifts, stairs and corridors, and units along the facade.

The leasable ring between the facade and the core is cut into one band per facade edge
(mitred at the corners) and each band into bays of about ``bay_width`` metres. The pieces tile
the ring exactly: units never overlap and lie inside the plate. Works for convex plates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from shapely.geometry import Polygon

from geometry.shapes import oriented, ring_coords


@dataclass(frozen=True)
class FloorLayout:
    """How a plate is divided: ``depth`` m from facade to core, bays of about ``bay_width`` m."""

    depth: float = 12.0
    bay_width: float = 16.0


@dataclass(frozen=True)
class SubdividedPlate:
    """A floor plate cut into its core and its units (units in facade order)."""

    core: Polygon
    units: list[Polygon]


def inset(polygon: Polygon, distance: float) -> np.ndarray:
    """Vertices of a convex polygon moved ``distance`` m inwards with mitred corners.

    Returns an (n, 2) array whose i-th row is the inset of the i-th exterior vertex.
    """
    ring = ring_coords(polygon)
    edges = np.roll(ring, -1, axis=0) - ring
    edges /= np.linalg.norm(edges, axis=1)[:, None]
    inward = np.column_stack([-edges[:, 1], edges[:, 0]])  # left normal of a CCW ring
    before = np.roll(inward, 1, axis=0)
    bisector = (before + inward) / (1 + np.einsum("ij,ij->i", before, inward))[:, None]
    return ring + distance * bisector


def subdivide(plate: Polygon, layout: FloorLayout) -> SubdividedPlate:
    """Cut a convex ``plate`` into a core and units along its facade.

    Raises
    ------
    ValueError
        If the plate is not convex or too small for the facade depth.
    """
    if abs(plate.convex_hull.area - plate.area) > 1e-6 * plate.area:
        raise ValueError("floor plate is not convex")
    outer = ring_coords(plate)
    inner = inset(plate, layout.depth)
    core = Polygon(inner)
    shrunk = plate.buffer(-layout.depth, join_style="mitre")
    if shrunk.is_empty or abs(shrunk.area - core.area) > 1e-3 * plate.area:
        raise ValueError(f"floor plate too small for a {layout.depth} m facade depth")
    units: list[Polygon] = []
    n = len(outer)
    for i in range(n):
        a, b = outer[i], outer[(i + 1) % n]
        c, d = inner[(i + 1) % n], inner[i]
        bays = max(1, round(float(np.linalg.norm(b - a)) / layout.bay_width))
        for k in range(bays):
            f0, f1 = k / bays, (k + 1) / bays
            quad = [a + (b - a) * f0, a + (b - a) * f1, d + (c - d) * f1, d + (c - d) * f0]
            units.append(oriented(Polygon(quad)))
    return SubdividedPlate(core=oriented(core), units=units)
