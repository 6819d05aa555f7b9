"""CityJSON geometry boundaries from polygons: shared integer vertices, surfaces and LoD1 solids.

Vertices are stored once, as integer centimetres relative to ``translate`` (EPSG:32651 m):
``x = ix * 0.01 + translate[0]``. Surfaces follow the CityJSON rules: no repeated closing
vertex; an upward surface runs counter-clockwise seen from above, holes clockwise; every face
of a solid is oriented so that its normal points out of the solid.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from shapely.geometry import Polygon

from assets.cityjson.vocabulary import SCALE_M
from geometry.shapes import oriented

XY = tuple[int, int]
P = TypeVar("P")
Surface = list[list[int]]
"""A surface: its exterior ring then its holes, each a list of vertex indices."""

GROUND, ROOF, WALL = 0, 1, 2
SEMANTIC_SURFACES: list[dict[str, Any]] = [
    {"type": "GroundSurface"},
    {"type": "RoofSurface"},
    {"type": "WallSurface"},
]
"""Semantic surfaces of an LoD1 building block, indexed by GROUND, ROOF, WALL."""


class VertexPool:
    """The file's vertex list: each distinct (x, y, z) centimetre point once."""

    def __init__(self, translate: tuple[float, float, float]):
        self.translate = translate
        self._index: dict[tuple[int, int, int], int] = {}

    def grid(self, x: float, y: float) -> XY:
        """A plan point (EPSG:32651 m) in integer centimetres from ``translate``."""
        return round((x - self.translate[0]) / SCALE_M), round((y - self.translate[1]) / SCALE_M)

    def ring(self, coords: Sequence[Sequence[float]]) -> list[XY]:
        """A ring's points on the grid, without consecutive repeats or a closing vertex."""
        out: list[XY] = []
        for x, y, *_ in coords:
            point = self.grid(x, y)
            if not out or out[-1] != point:
                out.append(point)
        while len(out) > 1 and out[0] == out[-1]:
            out.pop()
        return out

    def at(self, ring: Sequence[XY], z_m: float) -> list[int]:
        """Vertex indices of a grid ring lifted to height ``z_m`` (m above translate z)."""
        iz = round((z_m - self.translate[2]) / SCALE_M)
        return [self._index.setdefault((ix, iy, iz), len(self._index)) for ix, iy in ring]

    @property
    def vertices(self) -> list[list[int]]:
        """The ``vertices`` array, in index order."""
        return [list(key) for key in self._index]


def reversed_ring(ring: Sequence[P]) -> list[P]:
    """The ring run the other way, starting from the same vertex."""
    return [ring[0], *reversed(ring[1:])]


def plan_rings(pool: VertexPool, polygon: Polygon) -> list[list[XY]] | None:
    """Exterior (counter-clockwise) and holes (clockwise) on the grid; None when degenerate."""
    shape = oriented(polygon)
    rings = [pool.ring(shape.exterior.coords), *(pool.ring(r.coords) for r in shape.interiors)]
    if len(rings[0]) < 3:
        return None
    return [r for r in rings if len(r) >= 3]


def upward_surface(pool: VertexPool, polygon: Polygon, z_m: float) -> Surface | None:
    """The polygon as a horizontal surface at ``z_m`` facing up (an LoD0 footprint)."""
    rings = plan_rings(pool, polygon)
    return None if rings is None else [pool.at(r, z_m) for r in rings]


def block(
    pool: VertexPool, polygon: Polygon, base_m: float, top_m: float
) -> tuple[list[Surface], list[int]] | None:
    """The polygon extruded from ``base_m`` to ``top_m``: one closed shell, faces outward.

    Returns the shell's surfaces (ground, roof, then one wall per edge) and their semantic
    values (indices into :data:`SEMANTIC_SURFACES`); None when the polygon is degenerate.
    """
    rings = plan_rings(pool, polygon)
    if rings is None:
        return None
    ground = [pool.at(reversed_ring(r), base_m) for r in rings]
    roof = [pool.at(r, top_m) for r in rings]
    walls: list[Surface] = []
    for ring in rings:
        low, high = pool.at(ring, base_m), pool.at(ring, top_m)
        for i in range(len(ring)):
            j = (i + 1) % len(ring)
            walls.append([[low[i], low[j], high[j], high[i]]])
    return [ground, roof, *walls], [GROUND, ROOF] + [WALL] * len(walls)
