"""OGC API - Features Part 2: the coordinate reference systems the items are offered in.

Features are stored in CRS84 (lon, lat degrees). An answer in another CRS is transformed on
the way out with pyproj, in that CRS's authority axis order, as Part 2 asks: EPSG:4326 and
EPSG:4490 (CGCS2000) are latitude first, EPSG:4550 (CGCS2000 / 3-degree Gauss-Kruger CM 123E)
is northing first, EPSG:32651 (UTM 51N) easting first. ``bbox-crs`` and ``filter-crs`` are
read the same way, in the named CRS's axis order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry.base import BaseGeometry

from api.ogc.specs import CRS84

EPSG_URI = "http://www.opengis.net/def/crs/EPSG/0/"


@dataclass(frozen=True)
class OfferedCrs:
    """One CRS of the API: its URI (as in ``crs=``) and what pyproj calls it."""

    uri: str
    code: str
    title: str


OFFERED: tuple[OfferedCrs, ...] = (
    OfferedCrs(CRS84, "OGC:CRS84", "WGS 84 longitude, latitude (the default)"),
    OfferedCrs(EPSG_URI + "4326", "EPSG:4326", "WGS 84 latitude, longitude"),
    OfferedCrs(EPSG_URI + "4490", "EPSG:4490", "CGCS2000 latitude, longitude"),
    OfferedCrs(
        EPSG_URI + "4550",
        "EPSG:4550",
        "CGCS2000 / 3-degree Gauss-Kruger CM 123E: northing, easting (m)",
    ),
    OfferedCrs(EPSG_URI + "32651", "EPSG:32651", "WGS 84 / UTM zone 51N: easting, northing (m)"),
)
BY_URI = {c.uri: c for c in OFFERED}
URIS = [c.uri for c in OFFERED]


def content_crs(uri: str) -> str:
    """The ``Content-Crs`` header's value for ``uri`` (the URI in angle brackets)."""
    return f"<{uri}>"


def check_crs(name: str, value: str | None) -> str:
    """The offered CRS URI ``value`` of parameter ``name`` (CRS84 when absent); ValueError
    naming it and listing the offered ones otherwise. ``EPSG:4490`` is read as its URI."""
    if value is None:
        return CRS84
    uri = value.strip()
    if uri.upper().startswith("EPSG:"):
        uri = EPSG_URI + uri[5:]
    if uri not in BY_URI:
        raise ValueError(f"{name}={value!r} is not offered; use one of {', '.join(URIS)}")
    return uri


@cache
def transformer(source: str, target: str) -> Transformer:
    """The pyproj transformer between two offered CRS URIs, authority axis order on both sides
    (``always_xy=False``: CRS84 is lon, lat by definition), built once per pair."""
    return Transformer.from_crs(BY_URI[source].code, BY_URI[target].code, always_xy=False)


def _coords(source: str, target: str) -> Callable[[np.ndarray], np.ndarray]:
    t = transformer(source, target)

    def move(coords: np.ndarray) -> np.ndarray:
        first, second = t.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([first, second])

    return move


def transform_shape(geometry: BaseGeometry, source: str, target: str) -> BaseGeometry:
    """``geometry`` from CRS ``source`` to ``target`` (offered URIs)."""
    if source == target:
        return geometry
    return shapely.transform(geometry, _coords(source, target))


def transform_geojson(geometry: dict[str, Any], target: str) -> dict[str, Any]:
    """A CRS84 GeoJSON geometry in ``target``'s coordinates and axis order (a new dict)."""
    if target == CRS84:
        return geometry
    moved = transform_shape(shapely.geometry.shape(geometry), CRS84, target)
    return dict(shapely.geometry.mapping(moved))


def transform_features(features: list[dict[str, Any]], target: str) -> list[dict[str, Any]]:
    """Copies of CRS84 GeoJSON ``features`` with their geometry in ``target`` (one pyproj
    call for the coordinates of the whole page)."""
    if target == CRS84 or not features:
        return features
    shapes = np.array([shapely.geometry.shape(f["geometry"]) for f in features], dtype=object)
    moved = shapely.transform(shapes, _coords(CRS84, target))
    return [
        {**f, "geometry": dict(shapely.geometry.mapping(g))}
        for f, g in zip(features, moved, strict=True)
    ]


@cache
def domain(source: str) -> tuple[float, float, float, float]:
    """The bounds, in ``source``'s coordinates and axis order, of the area where ``source`` is
    defined (its EPSG area of use): a box beyond them means nothing in that CRS."""
    used = CRS(BY_URI[source].code).area_of_use
    assert used is not None  # every offered CRS has one
    region = shapely.segmentize(shapely.box(*used.bounds), 0.5)  # (degrees) edges stay edges
    low_x, low_y, high_x, high_y = transform_shape(region, CRS84, source).bounds
    return low_x, low_y, high_x, high_y


def box_in_crs84(numbers: tuple[float, float, float, float], source: str) -> BaseGeometry:
    """The region of a bbox given in ``source`` (axis order of that CRS: first axis min, second
    axis min, first axis max, second axis max) as a CRS84 polygon, edges densified so a
    projected box stays the same region once in degrees. The box is first clipped to where
    ``source`` is defined (:func:`domain`); a box wholly beyond it is an empty region."""
    if source == CRS84:
        return shapely.box(*numbers)
    d = domain(source)
    low = (max(numbers[0], d[0]), max(numbers[1], d[1]))
    high = (min(numbers[2], d[2]), min(numbers[3], d[3]))
    if low[0] > high[0] or low[1] > high[1]:
        return shapely.Polygon()
    width = max(high[0] - low[0], high[1] - low[1])
    if width == 0 or low[0] == high[0] or low[1] == high[1]:  # a point or a line
        corners = shapely.MultiPoint([low, high])
        return transform_shape(corners, source, CRS84).envelope
    box = shapely.box(*low, *high)
    return transform_shape(shapely.segmentize(box, width / 64), source, CRS84)
