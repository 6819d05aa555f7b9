"""``twin export``: the campus as GeoJSON, GeoPackage or GLB."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from assets.features import campus_features
from geometry.geojson import feature_collection
from geometry.gpkg import write_gpkg
from twin.cli.app import CliError, app, console
from twin.cli.options import DataDir, open_twin


class Format(StrEnum):
    geojson = "geojson"
    gpkg = "gpkg"
    glb = "glb"


@app.command()
def export(
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    data: DataDir = None,
) -> None:
    """Export the campus: GeoJSON (EPSG:4326), GeoPackage (a layer per kind) or GLB (3D)."""
    if not output.parent.exists():
        raise CliError(f"cannot write {output}: directory {output.parent} does not exist")
    twin = open_twin(data)
    with console.status(f"Exporting {format.value}…"):
        if format is Format.glb:
            output.write_bytes(twin.scene().glb)
        elif format is Format.geojson:
            text = json.dumps(feature_collection(campus_features(twin.campus)), ensure_ascii=False)
            output.write_text(text, encoding="utf-8")
        else:
            write_gpkg(campus_features(twin.campus), output)
    console.print(f"wrote {output} ({output.stat().st_size / 1e6:.2f} MB)")
