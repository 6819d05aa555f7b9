"""GeoJSON export (RFC 7946): EPSG:4326 lon/lat, counter-clockwise exterior rings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import shapely

from geometry.crs import to_lonlat
from geometry.features import Feature

COORDINATE_DECIMALS = 8
"""Decimal places of lon/lat: 1e-8 degree is about 1 mm, so EPSG:32651 coordinates rounded to the
cm come back to the same cm when the GeoJSON is read and projected again."""


def feature_to_geojson(feature: Feature) -> dict[str, Any]:
    """One feature as a GeoJSON Feature object, reprojected to lon/lat."""
    # pointwise: round each vertex in place, keeping the ring's first vertex and order (derived
    # unit ids follow a footprint's vertex order, so an export read back must not rotate it).
    grid = 10.0**-COORDINATE_DECIMALS
    lonlat = shapely.set_precision(to_lonlat(feature.geometry), grid, mode="pointwise")
    lonlat = shapely.orient_polygons(lonlat)
    return {
        "type": "Feature",
        "id": feature.id,
        "geometry": shapely.geometry.mapping(lonlat),
        "properties": {"kind": feature.kind, **feature.properties},
    }


def feature_collection(features: Iterable[Feature]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the features, in the order given."""
    return {"type": "FeatureCollection", "features": [feature_to_geojson(f) for f in features]}
