"""GeoJSON reader: a FeatureCollection of polygons -> import records (EPSG:32651, cm).

RFC 7946 GeoJSON is lon/lat (EPSG:4326). A legacy ``crs`` member (the 2008 GeoJSON spec, still
written by older tools) naming another CRS is honoured: ``EPSG:32651`` (metres, as the dataset
keeps them), or any CRS pyproj knows, e.g. ``urn:ogc:def:crs:EPSG::4490`` (CGCS2000). The file
is one layer named by its stem (``surveyed_footprints.geojson`` -> ``surveyed_footprints``) for a
mapping's ``[layers]``. Feature kinds and fields: :mod:`assets.imports.features`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import shapely.geometry
from shapely.errors import GEOSException
from shapely.geometry.base import BaseGeometry

from assets.errors import DatasetError
from assets.imports.features import SourceFeature, records_of
from assets.imports.mapping import parse_mapping
from assets.imports.records import ImportBatch, ReadOptions
from geometry.crs import GEOGRAPHIC

_EPSG_URN = re.compile(r"^urn:ogc:def:crs:EPSG:[0-9.]*:(\d+)$", re.IGNORECASE)
_CRS84 = re.compile(r"^(urn:ogc:def:crs:OGC:1\.3:)?CRS84$", re.IGNORECASE)


def read(path: Path, options: ReadOptions) -> ImportBatch:
    """The records of the GeoJSON file at ``path``.

    Raises
    ------
    DatasetError
        Rule ``format`` (not a FeatureCollection), ``crs``, ``mapping``, ``kind``, ``schema``
        or ``geometry``, naming the feature (``features[i]``, 0-based) and what is wrong.
    """
    mapping = parse_mapping(options.mapping, path.name)
    document = _document(path)
    crs = _crs(document, path.name)
    raw_features = document.get("features")
    if not isinstance(raw_features, list):
        raise DatasetError(path.name, "(file)", "format", "'features' is not a list")
    features = (_feature(path, crs, i, f) for i, f in enumerate(raw_features))
    return records_of(features, file=path.name, mapping=mapping)


def _document(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DatasetError(path.name, "(file)", "format", f"not readable JSON: {exc}") from exc
    kind = document.get("type") if isinstance(document, dict) else type(document).__name__
    if kind != "FeatureCollection":
        raise DatasetError(
            path.name, "(file)", "format", f"not a GeoJSON FeatureCollection (type: {kind!r})"
        )
    return document


def _crs(document: dict[str, Any], file: str) -> str:
    """The CRS of the coordinates: EPSG:4326 (RFC 7946), or what a legacy ``crs`` member names."""
    member = document.get("crs")
    if member is None:
        return GEOGRAPHIC
    name = member.get("properties", {}).get("name") if isinstance(member, dict) else None
    if not isinstance(name, str) or member.get("type") != "name":
        raise DatasetError(
            file, "crs", "crs", f"crs member {member!r} is not {{type: name, properties: {{name}}}}"
        )
    if _CRS84.match(name):
        return GEOGRAPHIC
    urn = _EPSG_URN.match(name)
    return f"EPSG:{urn.group(1)}" if urn else name


def _feature(path: Path, crs: str, index: int, raw: Any) -> SourceFeature:
    where = f"features[{index}]"
    if not isinstance(raw, dict) or raw.get("type") != "Feature":
        raise DatasetError(path.name, where, "format", "not a GeoJSON Feature")
    properties = raw.get("properties") or {}
    if not isinstance(properties, dict):
        raise DatasetError(path.name, where, "format", "properties is not an object")
    geometry = _geometry(path, where, raw)
    return SourceFeature(where, path.stem, properties, geometry, crs, raw.get("id"))


def _geometry(path: Path, where: str, raw: dict[str, Any]) -> BaseGeometry | None:
    geometry = raw.get("geometry")
    if geometry is None:
        return None
    try:
        return shapely.geometry.shape(geometry)
    except (GEOSException, ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
        raise DatasetError(
            path.name, where, "geometry", f"not a GeoJSON geometry (type {kind!r}, malformed)"
        ) from exc
