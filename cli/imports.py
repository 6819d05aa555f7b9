"""``twin import FILE``: bring surveyed geometry or a BIM model into the twin, as of a date.

GeoJSON, GeoPackage, CityJSON and IFC. ``--dry-run`` prints what would change (entities added,
removed and changed with their area and GFA deltas; the leases, holds and stages touched) and
writes nothing. Otherwise the change is recorded as events effective from ``--effective``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from assets.history import CAMPUS_TZ
from assets.imports.diff import CampusDiff, EntityChange
from assets.imports.mapping import load_mapping
from assets.imports.read import read_source
from assets.imports.records import ReadOptions
from cli.app import CliError, app, console
from cli.options import Database, DataDir, open_twin
from twin.auth.tokens import NAME_PATTERN
from twin.imports.service import ImportPlan, plan_import, record_import

LISTED_CHANGES = 25
"""Changes listed one by one in the diff; beyond that, counts only."""


def parse_effective(value: str | None) -> datetime:
    """``--effective``: a date is the start of that day, campus time; default now."""
    if not value:
        return datetime.now(UTC)
    text = value.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time.min, CAMPUS_TZ)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise CliError(
            f"--effective {value!r} is not an ISO date (2026-12-01) or datetime (2026-12-01T08:00)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=CAMPUS_TZ)


def _anchor(value: str | None) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        x, y = (float(v) for v in value.split(","))
    except ValueError:
        raise CliError(
            f"--anchor {value!r} must be X,Y in EPSG:32651 metres, e.g. 395120.5,3420210"
        ) from None
    return x, y


def _mapping(path: Path | None) -> dict | None:
    return load_mapping(path) if path is not None else None


@app.command("import")
def import_(
    source: Annotated[Path, typer.Argument(help="GeoJSON, GeoPackage, CityJSON or IFC file.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would change; write nothing.")
    ] = False,
    effective: Annotated[
        str | None,
        typer.Option("--effective", help="When the change takes effect (date: start of day)."),
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="Attribute mapping file (TOML).")
    ] = None,
    prune: Annotated[
        bool,
        typer.Option("--prune", help="Remove zones/parcels/buildings of a kind the file omits."),
    ] = False,
    building: Annotated[
        str | None, typer.Option("--building", help="IFC: the building's id.")
    ] = None,
    parcel: Annotated[str | None, typer.Option("--parcel", help="IFC: its parcel.")] = None,
    anchor: Annotated[
        str | None, typer.Option("--anchor", help="IFC: X,Y of the model origin, EPSG:32651 m.")
    ] = None,
    rotation: Annotated[
        float, typer.Option("--rotation", help="IFC with --anchor: x axis, ° from east (ccw).")
    ] = 0.0,
    actor: Annotated[str, typer.Option("--actor", help="Who records this.")] = "import",
    data: DataDir = None,
    db: Database = None,
) -> None:
    """Import surveyed geometry or a BIM model; --dry-run shows the diff first."""
    if not NAME_PATTERN.match(actor):
        raise CliError(f"--actor {actor!r} must be 1-100 letters, digits, spaces or ._@_-")
    options = ReadOptions(
        mapping=_mapping(mapping),
        building=building,
        parcel=parcel,
        anchor=_anchor(anchor),
        rotation_deg=rotation,
    )
    at = parse_effective(effective)
    twin = open_twin(data, db)
    try:
        with console.status(f"Reading {source.name}…"):
            batch = read_source(source, options)
        for note in batch.notes:
            console.print(f"{batch.source}: {note}", markup=False, soft_wrap=True)
        with console.status("Merging and validating…"):
            plan = plan_import(twin, batch, at, prune=prune)
        show_plan(plan)
        if dry_run and not plan.diff.is_empty:
            console.print("dry run: nothing was written")
        if dry_run or plan.diff.is_empty:
            return
        with console.status("Recording…"):
            written = record_import(twin, plan, f"import:{actor}")
        console.print(
            f"recorded {written} geometry event(s) effective {at.isoformat()}: "
            "the scene and every at= read from then on show the new campus"
        )
    finally:
        twin.close()


def show_plan(plan: ImportPlan) -> None:
    """The diff, then the bookings and stages it touches."""
    diff = plan.diff
    if diff.is_empty:
        console.print(f"{plan.source}: no change: the campus already matches it")
        return
    console.print(_counts(diff))
    console.print(_changes([c for c in diff.changes if c.kind != "unit"] + _units(diff)))
    console.print(
        f"campus GFA {diff.gfa_before_m2:,.0f} m² → {diff.gfa_after_m2:,.0f} m² "
        f"({diff.gfa_after_m2 - diff.gfa_before_m2:+,.0f} m²), effective "
        f"{plan.effective_at.isoformat()}"
    )
    for b in plan.bookings:
        verb = "REFUSED: removes" if b.unit_change == "removed" else "changes"
        console.print(f"{verb} {b.unit}, booked by {b.kind} {b.ref} ({b.start} → {b.end})")
    for s in plan.stages:
        console.print(f"{s.building_change} building {s.building}: stage {s.stage} ({s.status})")


def _units(diff: CampusDiff) -> list[EntityChange]:
    units = [c for c in diff.changes if c.kind == "unit"]
    return units[:LISTED_CHANGES]


def _counts(diff: CampusDiff) -> Table:
    table = Table(title="Changes")
    for header in ("kind", "added", "removed", "changed"):
        table.add_column(header, justify="left" if header == "kind" else "right")
    for kind, row in diff.counts().items():
        table.add_row(kind, *(f"{row[k]:,}" for k in ("added", "removed", "changed")))
    return table


def _changes(changes: list[EntityChange]) -> Table:
    table = Table(title=f"Entities (first {LISTED_CHANGES} units)")
    for header in ("kind", "id", "change", "area m²", "Δ area m²", "Δ GFA m²", "fields"):
        table.add_column(header, justify="right" if "m²" in header else "left")
    for c in changes:
        area = c.area_after_m2 if c.area_after_m2 is not None else c.area_before_m2
        gfa = f"{c.gfa_delta_m2:+,.1f}" if c.gfa_before_m2 or c.gfa_after_m2 else ""
        table.add_row(
            c.kind,
            c.id,
            c.change,
            f"{area:,.1f}" if area is not None else "",
            f"{c.area_delta_m2:+,.1f}",
            gfa,
            ", ".join(c.fields),
        )
    return table
