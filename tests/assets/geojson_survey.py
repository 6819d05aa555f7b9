"""Helpers of the GeoJSON import tests: a surveyor's FeatureCollection in lon/lat, and reading it."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from assets.imports import geojson
from assets.imports.records import ImportBatch, ReadOptions
from geometry.crs import utm_to_lonlat


def lonlat(ring: list[tuple[float, float]]) -> list[list[float]]:
    """A closed lon/lat ring, 8 decimals, as a surveyor's GIS would write it."""
    points = [[round(c, 8) for c in utm_to_lonlat(x, y)] for x, y in ring]
    return [*points, points[0]]


def polygon(ring: list[tuple[float, float]]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [lonlat(ring)]}


def feature(geometry: dict[str, Any] | None, fid: Any = None, **properties: Any) -> dict:
    out = {"type": "Feature", "geometry": geometry, "properties": properties}
    return out if fid is None else {**out, "id": fid}


def write(tmp_path: Path, features: list[dict], name: str = "survey.geojson", **extra) -> Path:
    path = tmp_path / name
    document = {"type": "FeatureCollection", **extra, "features": features}
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def read(path: Path, mapping: str | None = None) -> ImportBatch:
    return geojson.read(path, ReadOptions(mapping=tomllib.loads(mapping) if mapping else None))
