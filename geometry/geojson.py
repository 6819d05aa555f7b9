"""GeoJSON export (RFC 7946): EPSG:4326 lon/lat, counter-clockwise exterior rings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import shapely

from geometry.crs import to_lonlat
from geometry.features import Feature

COORDINATE_DECIMALS = 7
"""Decimal places of lon/lat: 1e-7 degree is about 1 cm."""


def feature_to_geojson(feature: Feature) -> dict[str, Any]:
    """One feature as a GeoJSON Feature object, reprojected to lon/lat."""
    lonlat = shapely.set_precision(to_lonlat(feature.geometry), 10.0**-COORDINATE_DECIMALS)
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
