"""GeoPackage export: one layer per feature kind, EPSG:4326 (as GDAL and QGIS expect)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd

from geometry.crs import GEOGRAPHIC, PROJECTED
from geometry.features import Feature


def write_gpkg(features: Iterable[Feature], path: str | Path) -> list[str]:
    """Write one layer per kind to ``path`` (replacing the file); returns the layer names."""
    target = Path(path)
    target.unlink(missing_ok=True)
    by_kind: dict[str, list[Feature]] = {}
    for f in features:
        by_kind.setdefault(f.kind, []).append(f)
    for kind, items in by_kind.items():
        rows = [{"id": f.id, **f.properties} for f in items]
        frame = gpd.GeoDataFrame(rows, geometry=[f.geometry for f in items], crs=PROJECTED)
        frame.to_crs(GEOGRAPHIC).to_file(target, layer=kind, driver="GPKG", engine="pyogrio")
    return list(by_kind)
