"""GeoPackage reader: every polygon layer -> import records (EPSG:32651, cm).

Read with pyogrio (the GDAL that geopandas brings, as :mod:`geometry.gpkg` writes). Each layer
may be in any CRS GDAL/pyproj knows (EPSG:4326, EPSG:4490 CGCS2000, a local UTM...); a layer
without one is refused. A layer's kind comes from the mapping's ``[layers]`` or ``[kind]``, else
from its name when it is one of ours (``twin export --format gpkg`` writes layers ``park``,
``core``, ``complex``, ``parcel``, ``building``, ``floor``, ``unit``, ``facility``; facilities
are points and are skipped). Tables without geometry are skipped unless the mapping names them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyogrio
from pyogrio.errors import DataSourceError

from assets.errors import DatasetError
from assets.imports.features import SourceFeature, records_of
from assets.imports.mapping import parse_mapping
from assets.imports.records import ImportBatch, ReadOptions


def read(path: Path, options: ReadOptions) -> ImportBatch:
    """The records of every layer of the GeoPackage at ``path``, layer by layer.

    Raises
    ------
    DatasetError
        Rule ``format`` (not a GeoPackage), ``crs`` (a layer without a CRS), ``mapping``,
        ``kind``, ``schema`` or ``geometry``, naming the layer and the feature's fid.
    """
    mapping = parse_mapping(options.mapping, path.name)
    try:
        layers = pyogrio.list_layers(path)
    except DataSourceError as exc:
        raise DatasetError(path.name, "(file)", "format", f"not a GeoPackage: {exc}") from exc
    features: list[SourceFeature] = []
    for name, geometry_type in layers:
        if geometry_type is None and name not in mapping.layers:
            continue
        features += _layer_features(path, str(name))
    return records_of(features, file=path.name, mapping=mapping)


def _layer_features(path: Path, layer: str) -> Iterator[SourceFeature]:
    frame = pyogrio.read_dataframe(path, layer=layer, fid_as_index=True)
    if frame.crs is None and len(frame):
        raise DatasetError(path.name, f"layer {layer}", "crs", "the layer has no CRS")
    crs = frame.crs.to_string() if frame.crs is not None else ""
    columns = [c for c in frame.columns if c != frame.geometry.name]
    rows = frame[columns].to_dict("records")
    for fid, row, geometry in zip(frame.index, rows, frame.geometry, strict=True):
        properties = {k: _plain(v) for k, v in row.items()}
        yield SourceFeature(f"layer {layer}, fid {fid}", layer, properties, geometry, crs)


def _plain(value: Any) -> Any:
    """A pandas cell as a plain Python value; ``None`` for null (NaN, NA, None)."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    return value.item() if hasattr(value, "item") else value
