"""``twin gantt``: the construction Gantt chart, or floor space in use over time, to a file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.app import CliError, app, console
from cli.construction import At, ParcelOpt, parse_at
from cli.options import Database, DataDir, open_twin

if TYPE_CHECKING:
    from viewer.chart_style import ChartFormat


@app.command()
def gantt(
    output: Annotated[Path, typer.Option("--output", "-o", help="PNG or SVG file to write.")],
    parcel: ParcelOpt = None,
    at: At = None,
    gfa: Annotated[
        bool, typer.Option("--gfa", help="Floor space in use over time 2019-2027 instead.")
    ] = False,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Draw the construction Gantt chart (planned against actual, forecasts, late work in
    red) as of a date, or with --gfa the floor space topped out, accepted and in use."""
    suffix = output.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise CliError(f"cannot draw to {output}: the output must be a .png or .svg file")
    fmt: ChartFormat = "png" if suffix == ".png" else "svg"
    if not output.parent.exists():
        raise CliError(f"cannot write {output}: directory {output.parent} does not exist")
    from viewer.construction_charts import gantt_bytes, gfa_bytes

    twin = open_twin(data, db)
    moment = parse_at(at)
    with console.status("Drawing…"):
        if gfa:
            image = gfa_bytes(twin, moment, parcel, fmt=fmt)
        else:
            image = gantt_bytes(twin, moment, parcel, fmt)
    output.write_bytes(image)
    console.print(f"wrote {output}")
