"""A spatial index over id-keyed geometries: what is at a point, what meets a box."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import shapely
from shapely.geometry.base import BaseGeometry
from shapely.strtree import STRtree


class SpatialIndex:
    """An STRtree over ``(id, geometry)`` pairs in one planar CRS (metres).

    Queries return ids in the order the pairs were given, so answers are stable.
    """

    def __init__(self, items: Iterable[tuple[str, BaseGeometry]]):
        pairs = list(items)
        self._ids: list[str] = [i for i, _ in pairs]
        self._geometries: Sequence[BaseGeometry] = [g for _, g in pairs]
        self._tree = STRtree(self._geometries)

    def __len__(self) -> int:
        return len(self._ids)

    def at_point(self, x: float, y: float) -> list[str]:
        """Ids of the geometries that contain or touch the point (x, y)."""
        hits = self._tree.query(shapely.Point(x, y), predicate="intersects")
        return [self._ids[i] for i in sorted(hits)]

    def in_bbox(self, minx: float, miny: float, maxx: float, maxy: float) -> list[str]:
        """Ids of the geometries that intersect the box (minx, miny, maxx, maxy)."""
        if minx > maxx or miny > maxy:
            raise ValueError("bbox must be (minx, miny, maxx, maxy) with min <= max")
        hits = self._tree.query(shapely.box(minx, miny, maxx, maxy), predicate="intersects")
        return [self._ids[i] for i in sorted(hits)]
