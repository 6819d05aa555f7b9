"""``twin export``: the campus as GeoJSON, GeoPackage, GLB or a 3D Tiles tileset."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from assets.cityjson import campus_cityjson
from assets.features import campus_features
from cli.app import CliError, app, console
from cli.export_tiles import export_tileset
from cli.options import DataDir, open_twin
from geometry.geojson import feature_collection
from geometry.gpkg import write_gpkg
from twin.semantic.brick import campus_turtle


class Format(StrEnum):
    geojson = "geojson"
    gpkg = "gpkg"
    glb = "glb"
    cityjson = "cityjson"
    tiles = "3dtiles"
    brick = "brick"


@app.command()
def export(
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="File (3dtiles: a new or empty directory).")
    ],
    data: DataDir = None,
    sta_url: Annotated[
        str,
        typer.Option(
            "--sta-url",
            help="brick: the SensorThings root the points' time series refer to.",
        ),
    ] = "http://127.0.0.1:8000/sta/v1.1",
) -> None:
    """Export the campus: GeoJSON (EPSG:4326), GeoPackage (a layer per kind), GLB (3D) or
    3D Tiles 1.1 (a directory: tileset.json and tiles/*.glb), or Brick with RealEstateCore
    (Turtle: the site, spaces, power chain and every metric's point and Datastream)."""
    if not output.parent.exists():
        raise CliError(f"cannot write {output}: directory {output.parent} does not exist")
    if format is Format.tiles:
        export_tileset(output, data)
        return
    twin = open_twin(data)
    with console.status(f"Exporting {format.value}…"):
        if format is Format.glb:
            output.write_bytes(twin.scene().glb)
        elif format is Format.brick:
            text = campus_turtle(twin.campus, twin.facilities.topology, sta_url)
            output.write_text(text, encoding="utf-8")
        elif format is Format.cityjson:
            document = campus_cityjson(twin.campus)
            text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
            output.write_text(text, encoding="utf-8")
        elif format is Format.geojson:
            text = json.dumps(feature_collection(campus_features(twin.campus)), ensure_ascii=False)
            output.write_text(text, encoding="utf-8")
        else:
            write_gpkg(campus_features(twin.campus), output)
    console.print(f"wrote {output} ({output.stat().st_size / 1e6:.2f} MB)")
