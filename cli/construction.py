"""``twin construction status|late|milestones|gfa``: construction as of any date, as tables.

The write commands (start, progress, complete, reschedule) are in
:mod:`cli.construction_write`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated

import typer
from rich.table import Table

from assets.clock import CAMPUS_TZ
from assets.construction.forecast import StageSchedule, late_stages
from assets.construction.gfa import GFA_STATES, by_scope
from cli.app import CliError, app, console
from cli.options import Database, DataDir, open_twin
from twin.construction import view
from twin.construction.queries import milestone_states
from twin.runtime import Twin

construction_app = typer.Typer(
    help="Construction: stages, late work, milestones, floor space; record progress.",
    no_args_is_help=True,
)
app.add_typer(construction_app, name="construction")

At = Annotated[
    str | None,
    typer.Option(
        "--at", help="As of this ISO date (end of day, UTC+8) or datetime (default: now)."
    ),
]
ParcelOpt = Annotated[
    str | None, typer.Option("--parcel", help="Only this parcel, e.g. fish-head.")
]


def parse_at(value: str | None) -> datetime:
    """An aware instant from ``--at`` (a date means the end of that day, campus time)."""
    if not value:
        return datetime.now(UTC)
    try:
        if len(value.strip()) == 10:
            return datetime.combine(date.fromisoformat(value.strip()), time.max, CAMPUS_TZ)
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise CliError(
            f"--at {value!r} is not an ISO date (2024-09-12) or datetime (2024-09-12T10:00)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=CAMPUS_TZ)


def _twin(data: DataDir, db: Database) -> Twin:
    return open_twin(data, db)


def _d(value: date | None) -> str:
    return value.isoformat() if value else "—"


def _percent(s: StageSchedule) -> str:
    """A stage's percent as the API gives it; ``~`` marks an estimate."""
    return f"~{s.percent:g}" if s.percent_basis == "estimate" else f"{s.percent:g}"


def _slip(days: int | None) -> str:
    if days is None:
        return "—"
    return f"[red]+{days}[/]" if days > 0 else str(days)


@construction_app.command()
def status(
    parcel: ParcelOpt = None, at: At = None, db: Database = None, data: DataDir = None
) -> None:
    """Each building's and work package's current stage, percent and plan."""
    v = view(_twin(data, db), parse_at(at), parcel)
    table = Table(title=f"Construction as of {v.today}", title_justify="left")
    for column in (
        "building",
        "parcel",
        "stage",
        "status",
        "%",
        "planned end",
        "forecast end",
        "slip d",
    ):
        table.add_column(column, justify="right" if column in ("%", "slip d") else "left")
    for e in v.entities:
        schedules = v.schedules[e.id]
        begun = [s for s in schedules if s.status != "planned"]
        current = begun[-1] if begun else (schedules[0] if schedules else None)
        if current is None:
            table.add_row(e.id, e.parcel, "—", "planned", "0", "—", "—", "—")
            continue
        name = e.stage_name(current.stage)[1]
        late = any(s.late for s in schedules)
        table.add_row(
            f"[red]{e.id}[/]" if late else e.id,
            e.parcel,
            name,
            current.status,
            _percent(current),
            _d(current.record.planned_end),
            _d(current.forecast_end),
            _slip(current.slip_days),
        )
    console.print(table)
    console.print("[red]red[/]: a stage is behind plan (see twin construction late)")
    console.print("~: an estimate from the planned duration (no progress reported yet)")


@construction_app.command()
def late(
    parcel: ParcelOpt = None,
    completed: Annotated[
        bool, typer.Option("--completed", help="Also stages that finished late.")
    ] = False,
    at: At = None,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Stages behind plan, most slip first, with their forecast completion."""
    v = view(_twin(data, db), parse_at(at), parcel)
    rows = late_stages(v.all_schedules(), completed)
    table = Table(title=f"Late stages as of {v.today}: {len(rows)}", title_justify="left")
    columns = ("building", "stage", "why", "planned end", "forecast end", "basis", "%", "slip d")
    for column in columns:
        table.add_column(column, justify="right" if column in ("%", "slip d") else "left")
    for s in rows:
        table.add_row(
            s.entity,
            s.stage,
            s.lateness.replace("_", " "),
            _d(s.record.planned_end),
            _d(s.forecast_end),
            s.basis,
            _percent(s),
            _slip(s.slip_days),
        )
    console.print(table)


@construction_app.command()
def milestones(at: At = None, db: Database = None, data: DataDir = None) -> None:
    """Published milestones (F5, F6, F7): achieved, on track, at risk or late."""
    twin = _twin(data, db)
    moment = parse_at(at)
    states = milestone_states(twin, moment)
    table = Table(
        title=f"Milestones as of {moment.astimezone(CAMPUS_TZ).date()}", title_justify="left"
    )
    for column in (
        "milestone",
        "due",
        "status",
        "reached",
        "actual",
        "forecast",
        "margin d",
        "facts",
    ):
        table.add_column(column)
    colours = {"late": "red", "at_risk": "yellow", "achieved_late": "yellow"}
    for m in states:
        colour = colours.get(m.status, "green")
        table.add_row(
            m.milestone.name_en,
            m.milestone.due.isoformat(),
            f"[{colour}]{m.status.replace('_', ' ')}[/]",
            f"{m.reached}/{len(m.milestone.entities)}",
            _d(m.actual),
            _d(m.forecast),
            "—" if m.margin_days is None else str(m.margin_days),
            ", ".join(m.milestone.facts),
        )
    console.print(table)


@construction_app.command()
def gfa(at: At = None, db: Database = None, data: DataDir = None) -> None:
    """Floor space (m²) topped out, accepted and in use, per parcel and campus: actual / plan."""
    v = view(_twin(data, db), parse_at(at))
    table = Table(
        title=f"Floor space by state as of {v.today} (m², actual / planned)", title_justify="left"
    )
    table.add_column("scope")
    table.add_column("total m²", justify="right")
    for state in GFA_STATES:
        table.add_column(state.replace("_", " "), justify="right")
    for t in by_scope(v.buildings(), v.today):
        cells = [f"{t.actual_m2[s]:,.0f} / {t.planned_m2[s]:,.0f}" for s in GFA_STATES]
        table.add_row(t.scope, f"{t.total_m2:,.0f}", *cells)
    console.print(table)
