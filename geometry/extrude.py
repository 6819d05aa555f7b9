"""Extrusion of footprints into watertight prisms (trimesh, Z-up, metres).

:func:`prism_arrays` builds a prism with numpy from one triangulation of its polygon: the
same vertices, triangles and order as ``trimesh.creation.extrude_polygon`` (then lifted to its
base), without building and processing a trimesh object per prism. A :class:`Prism` is lifted
to many heights cheaply (a storey's plan repeats on every floor).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import trimesh
from shapely.geometry import Polygon

PLATE_THICKNESS_M = 0.5
"""Default thickness of a :func:`flat_plate`, m."""
_MERGE_DIGITS = trimesh.util.decimal_to_digits(trimesh.tol.merge)
"""Decimals (m) to which vertices are merged, as trimesh merges them (1e-8 m)."""
# two side triangles per boundary edge (a, b), over the corners a0, a1, b0, b1 (0: base, 1: top)
_SIDE_CORNERS = np.array([[3, 1, 2], [2, 1, 0]])


@dataclass(frozen=True)
class Prism:
    """The arrays of a watertight prism mesh.

    Attributes
    ----------
    vertices : np.ndarray
        Float, shape (n, 3), m: the polygon's vertices at the base, then the same at the top.
    faces : np.ndarray
        Int64, shape (m, 3): base triangles (facing down), top triangles, two per side edge.
    """

    vertices: np.ndarray
    faces: np.ndarray

    def lifted(self, dz: float) -> trimesh.Trimesh:
        """A new mesh of this prism raised by ``dz`` m (arrays of its own)."""
        vertices = self.vertices + np.array([0.0, 0.0, dz])
        return trimesh.Trimesh(vertices=vertices, faces=self.faces.copy(), process=False)


def prism_arrays(polygon: Polygon, base: float, top: float) -> Prism:
    """The watertight prism over ``polygon`` (holes included) from ``base`` to ``top`` (m).

    Raises
    ------
    ValueError
        If ``top`` is not above ``base`` or the polygon has no area to triangulate.
    """
    if top <= base:
        raise ValueError(f"prism top {top} m must lie above its base {base} m")
    flat, triangles = trimesh.creation.triangulate_polygon(polygon)
    points = np.asarray(flat, dtype=np.float64).reshape(-1, 2)
    triangles = np.asarray(triangles, dtype=np.int64).reshape(-1, 3)
    if len(triangles) == 0:
        raise ValueError("cannot extrude a polygon without area")
    if not _mean_turn(points, triangles[:10]) > 0:  # trimesh checks the first ten triangles
        triangles = np.fliplr(triangles)
    ring, corners = _merged_corners(points, triangles)

    height = top - base
    n = len(corners)
    vertices = np.empty((2 * n, 3))
    vertices[:, :2] = np.vstack([corners, corners])
    vertices[:n, 2] = 0.0
    vertices[n:, 2] = height
    vertices[:, 2] += base

    boundary = _boundary_edges(triangles)
    a, b = ring[boundary[:, 0]], ring[boundary[:, 1]]
    quad = np.column_stack([a, a + n, b, b + n])  # corners a0, a1, b0, b1 of each side
    sides = quad[:, _SIDE_CORNERS].reshape(-1, 3)
    faces = np.vstack([ring[triangles[:, ::-1]], ring[triangles] + n, sides])
    return Prism(vertices=vertices, faces=faces)


def prism(polygon: Polygon, base: float, top: float) -> trimesh.Trimesh:
    """A watertight prism over ``polygon`` from height ``base`` to ``top`` (m)."""
    arrays = prism_arrays(polygon, base, top)
    return trimesh.Trimesh(vertices=arrays.vertices, faces=arrays.faces, process=False)


def flat_plate(
    polygon: Polygon, height: float, thickness: float = PLATE_THICKNESS_M
) -> trimesh.Trimesh:
    """A thin watertight slab (``thickness`` m) whose top lies at ``height`` m: ground outlines."""
    return prism(polygon, height - thickness, height)


def _merged_corners(points: np.ndarray, triangles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The triangulation's corners, merged to 1e-8 m in the order first seen, as trimesh merges
    them; and for each point, the index of its corner.

    Returns
    -------
    ring : np.ndarray
        Int64, shape (len(points),): corner index of each point (0 for points no triangle uses).
    corners : np.ndarray
        Float, shape (n, 2), m.
    """
    used = np.flatnonzero(np.bincount(triangles.ravel(), minlength=len(points)))
    keys = np.round(points[used] * 10.0**_MERGE_DIGITS).astype(np.int64)
    first: dict[tuple[int, int], int] = {}
    corner = [first.setdefault((x, y), len(first)) for x, y in keys.tolist()]
    ring = np.zeros(len(points), dtype=np.int64)
    ring[used] = corner
    kept = used[np.unique(corner, return_index=True)[1]]
    return ring, points[kept]


def _boundary_edges(triangles: np.ndarray) -> np.ndarray:
    """Directed edges (shape (k, 2)) used by one triangle only: the polygon's rings.

    Ordered by (larger, smaller) point index, as ``trimesh.grouping.group_rows`` orders them,
    so the side faces come in trimesh's order.
    """
    edges = triangles[:, [0, 1, 1, 2, 2, 0]].reshape(-1, 2)
    low, high = edges.min(axis=1), edges.max(axis=1)
    keys = (high << 32) | low
    _, first, counts = np.unique(keys, return_index=True, return_counts=True)
    return edges[first[counts == 1]]


def _mean_turn(points: np.ndarray, triangles: np.ndarray) -> float:
    """Mean 2D cross product of the triangles' first two edges (> 0: anticlockwise), m²."""
    first = points[triangles[:, 0]] - points[triangles[:, 1]]
    second = points[triangles[:, 1]] - points[triangles[:, 2]]
    cross = first[:, 0] * second[:, 1] - first[:, 1] * second[:, 0]
    return float(cross.mean())
