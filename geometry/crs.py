"""Coordinate reference systems: EPSG:32651 (UTM 51N, metres) <-> EPSG:4326 (lon/lat degrees)."""

from __future__ import annotations

from functools import cache
from typing import TypeVar

import numpy as np
import shapely
from pyproj import Transformer
from pyproj.exceptions import CRSError
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


def to_utm_from(geometry: G, source: str) -> G:
    """Reproject a shapely geometry from any CRS pyproj knows (``"EPSG:4490"``, WKT...) to
    EPSG:32651, x = east / longitude first whatever the CRS's axis order.

    Raises
    ------
    ValueError
        When pyproj does not know ``source``. Points outside the source CRS's domain come back
        as ``inf``: callers check the result is finite.
    """
    try:
        _transformer(source, PROJECTED)
    except CRSError as exc:
        raise ValueError(f"unknown CRS {source!r}: {exc}") from exc
    return shapely.transform(geometry, lambda c: _transform_coords(c, source, PROJECTED))
