"""Reading any supported source: the format is told by the file's suffix and content."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from assets.errors import DatasetError
from assets.imports.records import ImportBatch, ReadOptions

FORMATS = {
    "geojson": "assets.imports.geojson",
    "cityjson": "assets.imports.cityjson",
    "gpkg": "assets.imports.gpkg",
    "ifc": "assets.imports.ifc",
}
"""Each format's reader module: it has ``read(path, options) -> ImportBatch``."""
JSON_SNIFF_BYTES = 4096


def source_format(path: Path) -> str:
    """``geojson``, ``cityjson``, ``gpkg`` or ``ifc``; DatasetError when it is none of them."""
    suffix = path.suffix.lower()
    if suffix == ".gpkg":
        return "gpkg"
    if suffix == ".ifc":
        return "ifc"
    if suffix in (".json", ".geojson"):
        with path.open("rb") as stream:
            head = stream.read(JSON_SNIFF_BYTES).decode("utf-8", errors="replace")
        if '"CityJSON"' in head:
            return "cityjson"
        if '"FeatureCollection"' in head or suffix == ".geojson":
            return "geojson"
        try:  # the type member may come late in a large file: parse to be sure
            kind = json.loads(path.read_text(encoding="utf-8")).get("type")
        except (ValueError, AttributeError) as exc:
            raise DatasetError(path.name, "(file)", "format", f"not valid JSON: {exc}") from exc
        if kind == "CityJSON":
            return "cityjson"
        if kind == "FeatureCollection":
            return "geojson"
    raise DatasetError(
        path.name,
        "(file)",
        "format",
        "not a GeoJSON FeatureCollection, CityJSON, GeoPackage (.gpkg) or IFC (.ifc) file",
    )


def read_source(path: Path, options: ReadOptions | None = None) -> ImportBatch:
    """Everything ``path`` says about the campus, as records (EPSG:32651 m).

    Raises
    ------
    DatasetError
        Naming the file, the entity (or place in the file) and the rule.
    """
    if not path.is_file():
        raise DatasetError(path.name, "(file)", "missing-file", f"no file at {path}")
    reader = importlib.import_module(FORMATS[source_format(path)])
    batch: ImportBatch = reader.read(path, options or ReadOptions())
    return batch
