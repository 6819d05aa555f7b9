"""``twin construction import-schedule|export-schedule|baseline|critical-path|schedule-gantt|
s-curve``: the construction managers' schedules (MS Project, Primavera P6) in and out,
baselines, the critical path and the S-curve. A refusal names the file, the activity and the rule; exit 1."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from assets.construction.schedule_file import read_schedule, write_mspdi
from cli.app import CliError, console
from cli.construction import At, construction_app, parse_at
from cli.options import Database, DataDir, open_twin
from twin.auth.tokens import NAME_PATTERN
from twin.construction.schedule import (
    activities_at,
    critical_at,
    import_schedule,
    plan_import,
    save_baseline,
)
from twin.construction.scurve import s_curve
from viewer.chart_style import ChartFormat
from viewer.construction_charts import schedule_gantt_bytes
from viewer.scurve_chart import s_curve_chart

Actor = Annotated[str, typer.Option("--actor", help="Who records this (kept in the history).")]


def _actor(actor: str) -> str:
    if not NAME_PATTERN.match(actor):
        raise CliError(f"--actor {actor!r} must be 1-100 letters, digits, spaces or ._@-")
    return f"construction:{actor}"


def _mapping(path: Path | None) -> dict[str, str]:
    if path is None:
        return {}
    try:
        mapping = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise CliError(f"{path}: not JSON ({e})") from None
    if not isinstance(mapping, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
    ):
        raise CliError(f'{path}: must be a JSON object {{"activity id": "building/stage"}}')
    return mapping


@construction_app.command("import-schedule")
def import_schedule_cmd(
    file: Annotated[Path, typer.Argument(help=".mpp, MSPDI .xml, .xer or P6 XML.", exists=True)],
    actor: Actor = "schedule-import",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List changes; write nothing.")
    ] = False,
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", help='JSON {"activity id": "building/stage"}.', exists=True),
    ] = None,
    data: DataDir = None,
    db: Database = None,
) -> None:
    """Import a schedule: activities (with links) kept, mapped ones plan their stages."""
    who = _actor(actor)
    incoming = read_schedule(file, _mapping(mapping))
    twin = open_twin(data, db)
    plan = plan_import(twin, file.name, incoming, datetime.now(UTC))
    for c in plan.changes:
        what = f" ({', '.join(c.fields)})" if c.fields else ""
        console.print(f"{c.kind} {c.activity}{what}")
    stage_events = [e for e in plan.events if not e.stream.startswith("schedule:")]
    for e in stage_events:
        console.print(f"{e.type} {e.stream} {e.data.get('stage')}")
    if dry_run:
        console.print(
            f"dry run: {len(plan.changes)} activities, {len(stage_events)} stage events; nothing written"
        )
        return
    recorded = import_schedule(twin, file.name, incoming, actor=who)
    console.print(f"imported {file.name}: {len(recorded)} events by {who}")


@construction_app.command("export-schedule")
def export_schedule_cmd(
    output: Annotated[Path, typer.Option("-o", "--output", help="MSPDI XML file to write.")],
    at: At = None,
    data: DataDir = None,
    db: Database = None,
) -> None:
    """Export the schedule (activities and every planned stage) as MSPDI XML."""
    acts = activities_at(open_twin(data, db), parse_at(at))
    write_mspdi(acts.values(), output)
    console.print(f"wrote {output}: {len(acts)} activities")


@construction_app.command("baseline")
def baseline_cmd(
    name: Annotated[str, typer.Argument(help="Baseline name, e.g. contract-2026.")],
    actor: Actor = "schedule",
    data: DataDir = None,
    db: Database = None,
) -> None:
    """Save the schedule's current planned dates as a named baseline."""
    recorded = save_baseline(open_twin(data, db), name, actor=_actor(actor))
    console.print(f"baseline {name} saved (event {recorded[0].seq})")


@construction_app.command("critical-path")
def critical_path_cmd(at: At = None, data: DataDir = None, db: Database = None) -> None:
    """Early and late dates, total and free float (days); critical activities starred."""
    timings = critical_at(open_twin(data, db), parse_at(at))
    table = Table("activity", "early start", "early finish", "late finish", "total", "free")
    for t in sorted(timings.values(), key=lambda t: (t.early_start, t.early_finish)):
        mark = "*" if t.critical else ""
        table.add_row(
            f"{mark}{t.activity}",
            str(t.early_start),
            str(t.early_finish),
            str(t.late_finish),
            f"{t.total_float:g}",
            f"{t.free_float:g}",
        )
    console.print(table)


@construction_app.command("schedule-gantt")
def schedule_gantt_cmd(
    output: Annotated[Path, typer.Option("-o", "--output", help="PNG or SVG file to write.")],
    baseline: Annotated[
        str | None, typer.Option("--baseline", help="Draw this baseline's bars under the bars.")
    ] = None,
    at: At = None,
    data: DataDir = None,
    db: Database = None,
) -> None:
    """The schedule's Gantt chart: critical path in red, links, baseline bars."""
    fmt = _picture_format(output)
    output.write_bytes(schedule_gantt_bytes(open_twin(data, db), parse_at(at), baseline, fmt))
    console.print(f"wrote {output}")


@construction_app.command("s-curve")
def s_curve_cmd(
    output: Annotated[Path, typer.Option("-o", "--output", help="PNG or SVG file to write.")],
    scope: Annotated[
        str, typer.Option("--scope", help="campus, fish, a parcel or a building id.")
    ] = "campus",
    at: At = None,
    data: DataDir = None,
    db: Database = None,
) -> None:
    """Planned against actual percent complete over time, with the SPI."""
    fmt = _picture_format(output)
    curve = s_curve(open_twin(data, db), parse_at(at), scope)
    output.write_bytes(s_curve_chart(curve, fmt))
    console.print(
        f"wrote {output}: planned {curve.now.planned:.1f} %, actual "
        f"{curve.now.actual:.1f} %, SPI {curve.spi if curve.spi is not None else '—'}"
    )


def _picture_format(output: Path) -> ChartFormat:
    suffix = output.suffix.lower().lstrip(".")
    if suffix == "png":
        return "png"
    if suffix == "svg":
        return "svg"
    raise CliError(f"{output}: write a .png or .svg file")
