"""Coordinate reference systems: EPSG:32651 (UTM 51N, metres) <-> EPSG:4326 (lon/lat degrees)."""

from __future__ import annotations

from functools import cache
from typing import TypeVar

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

PROJECTED = "EPSG:32651"
"""The CRS every measure is computed in (metres)."""
GEOGRAPHIC = "EPSG:4326"
"""The CRS of GeoJSON output (RFC 7946: lon, lat)."""

G = TypeVar("G", bound=BaseGeometry)


@cache
def _transformer(source: str, target: str) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def lonlat_to_utm(lon: float, lat: float) -> tuple[float, float]:
    """Project one lon/lat point (degrees) to EPSG:32651 (x, y in metres)."""
    x, y = _transformer(GEOGRAPHIC, PROJECTED).transform(lon, lat)
    return float(x), float(y)


def utm_to_lonlat(x: float, y: float) -> tuple[float, float]:
    """Unproject one EPSG:32651 point (metres) to lon/lat degrees."""
    lon, lat = _transformer(PROJECTED, GEOGRAPHIC).transform(x, y)
    return float(lon), float(lat)


def _transform_coords(coords: np.ndarray, source: str, target: str) -> np.ndarray:
    xs, ys = _transformer(source, target).transform(coords[:, 0], coords[:, 1])
    return np.column_stack([xs, ys])


def to_lonlat(geometry: G) -> G:
    """Reproject a shapely geometry from EPSG:32651 to EPSG:4326 (lon, lat)."""
    return shapely.transform(geometry, lambda c: _transform_coords(c, PROJECTED, GEOGRAPHIC))


def to_utm(geometry: G) -> G:
    """Reproject a shapely geometry from EPSG:4326 (lon, lat) to EPSG:32651."""
    return shapely.transform(geometry, lambda c: _transform_coords(c, GEOGRAPHIC, PROJECTED))
