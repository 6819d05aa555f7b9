"""What is where: the campus's features by point (lon/lat, EPSG:32651 or local x/y) or box."""

from __future__ import annotations

from functools import cached_property

from assets.campus import Campus
from assets.features import campus_features
from geometry.crs import lonlat_to_utm
from geometry.index import SpatialIndex

PLAN_KINDS = ("park", "core", "complex", "parcel", "building", "facility")
"""Kinds looked up by default: floors and units stack on their building's footprint."""


class CampusLookup:
    """Spatial queries over a campus's features (ids answered innermost kind last)."""

    def __init__(self, campus: Campus, kinds: tuple[str, ...] = PLAN_KINDS):
        self.campus, self.kinds = campus, kinds

    @cached_property
    def _index(self) -> SpatialIndex:
        return SpatialIndex((f.id, f.geometry) for f in campus_features(self.campus, self.kinds))

    def at_utm(self, x: float, y: float) -> list[str]:
        """Ids of the features at an EPSG:32651 point (m)."""
        return self._index.at_point(x, y)

    def at_lonlat(self, lon: float, lat: float) -> list[str]:
        """Ids of the features at a lon/lat point (degrees)."""
        return self.at_utm(*lonlat_to_utm(lon, lat))

    def at_local(self, x: float, y: float) -> list[str]:
        """Ids of the features at a point of the local planar frame (m east, m north of the origin)."""
        frame = self.campus.frame
        return self.at_utm(x + frame.origin_x, y + frame.origin_y)

    def in_bbox_lonlat(self, west: float, south: float, east: float, north: float) -> list[str]:
        """Ids of the features meeting a lon/lat box (degrees)."""
        minx, miny = lonlat_to_utm(west, south)
        maxx, maxy = lonlat_to_utm(east, north)
        return self._index.in_bbox(
            min(minx, maxx), min(miny, maxy), max(minx, maxx), max(miny, maxy)
        )
