"""Small polygon constructors and measures (metres, m²)."""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import Polygon


def rectangle(
    center: tuple[float, float], width: float, depth: float, angle_deg: float = 0
) -> Polygon:
    """A rectangle of ``width`` x ``depth`` metres centred on ``center``, rotated counter-clockwise."""
    cx, cy = center
    box = shapely.box(cx - width / 2, cy - depth / 2, cx + width / 2, cy + depth / 2)
    return oriented(affinity.rotate(box, angle_deg, origin=(cx, cy)))


def rectangle_of_area(
    center: tuple[float, float], area: float, aspect: float, angle_deg: float = 0
) -> Polygon:
    """A rectangle of ``area`` m² whose width is ``aspect`` times its depth."""
    depth = math.sqrt(area / aspect)
    return rectangle(center, depth * aspect, depth, angle_deg)


def scale_to_area(polygon: Polygon, area: float) -> Polygon:
    """Scale ``polygon`` about its centroid so that it covers ``area`` m²."""
    factor = math.sqrt(area / polygon.area)
    return oriented(affinity.scale(polygon, factor, factor, origin="centroid"))


def oriented(polygon: Polygon) -> Polygon:
    """The polygon with a counter-clockwise exterior ring (RFC 7946 and glTF winding)."""
    return shapely.orient_polygons(polygon)


def rounded(polygon: Polygon, decimals: int = 2) -> Polygon:
    """Coordinates rounded to ``decimals`` places (cm by default), ring orientation kept."""
    return oriented(shapely.set_precision(polygon, 10.0**-decimals, mode="pointwise"))


def ring_coords(polygon: Polygon) -> np.ndarray:
    """Exterior ring vertices (n, 2), counter-clockwise, without the closing repeat."""
    return np.asarray(oriented(polygon).exterior.coords)[:-1, :2]
