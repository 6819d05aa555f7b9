"""``twin info``: tables of zones, parcels and buildings with areas and counts."""

from __future__ import annotations

from rich.table import Table

from assets.summary import summarize
from cli.app import app, console
from cli.options import DataDir, open_twin


def _m2(value: float) -> str:
    return f"{value:,.0f}"


@app.command()
def info(data: DataDir = None) -> None:
    """Show zones and buildings with their areas, GFA by parcel, counts of floors and units."""
    s = summarize(open_twin(data).campus)
    zones = Table(title="Zones", title_justify="left")
    for column in ("id", "name", "area m²", "area km²", "GFA m²", "facts"):
        zones.add_column(column, justify="right" if "m²" in column else "left")
    for z in s.zones:
        zones.add_row(
            z.id,
            f"{z.name_en} {z.name_zh}",
            _m2(z.area_m2),
            f"{z.area_m2 / 1e6:.2f}",
            _m2(z.gfa_m2),
            ",".join(z.facts),
        )
    parcels = Table(title="Parcels", title_justify="left")
    for column in ("id", "name", "role", "area m²", "GFA m²"):
        parcels.add_column(column, justify="right" if "m²" in column else "left")
    for p in s.parcels:
        parcels.add_row(p.id, f"{p.name_en} {p.name_zh}", p.kind, _m2(p.area_m2), _m2(p.gfa_m2))
    buildings = Table(title="Buildings", title_justify="left")
    for column in ("id", "parcel", "use", "storeys", "height m", "GFA m²", "floors", "units"):
        buildings.add_column(
            column, justify="left" if column in ("id", "parcel", "use") else "right"
        )
    for b in s.buildings:
        buildings.add_row(
            b.id,
            b.parcel,
            b.use,
            str(b.storeys),
            f"{b.height_m:.1f}",
            _m2(b.gfa_m2),
            str(b.floors),
            str(b.units),
        )
    for table in (zones, parcels, buildings):
        console.print(table)
    console.print(", ".join(f"{n:,} {k}" for k, n in s.counts.items()))
