"""Helpers of the GeoJSON and GeoPackage import tests: rings as a surveyor would draw them."""

from __future__ import annotations

import shapely

from assets.campus import polygon_of

Ring = list[tuple[float, float]]


def cm(polygon: shapely.Polygon) -> Ring:
    """The polygon's exterior as an unclosed ring rounded to the cm (EPSG:32651 m)."""
    return [(round(x, 2), round(y, 2)) for x, y in polygon.exterior.coords[:-1]]


def halves(ring: Ring) -> list[Ring]:
    """A floor plate cut in two through its centroid (west, east), counter-clockwise, cm."""
    plate = polygon_of(ring)
    cx, cy = plate.centroid.coords[0]
    west = shapely.box(cx - 500, cy - 500, cx, cy + 500)
    parts = shapely.orient_polygons([plate.intersection(west), plate.difference(west)])
    return [cm(part) for part in parts]
