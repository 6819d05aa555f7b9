"""``twin construction start|progress|complete|reschedule``: record construction through the
same service as the API (decided on the latest state, appended with its version), as
``construction:<actor>``. A refusal prints the building, the stage and the rule; exit 1."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer

from assets.construction.commands import (
    Command,
    CompleteStage,
    ReportProgress,
    RescheduleStage,
    StartStage,
)
from cli.app import CliError, console
from cli.construction import construction_app
from cli.options import Database, DataDir, open_twin
from twin.auth.tokens import NAME_PATTERN, Principal
from twin.construction import run, view

Building = Annotated[str, typer.Argument(help="Building or work package id, e.g. fish-head-t1.")]
Stage = Annotated[str, typer.Argument(help="design, foundation, structure, envelope_mep, ...")]
Actor = Annotated[str, typer.Option("--actor", help="Who records this (kept in the history).")]
On = Annotated[
    str | None, typer.Option("--on", help="Actual date, ISO (default today, campus time).")
]


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CliError(f"{option} {value!r} is not an ISO date such as 2024-09-12") from None


def _write(building: str, command: Command, actor: str, db: str | None, data: Path | None) -> None:
    if not NAME_PATTERN.match(actor):
        raise CliError(f"--actor {actor!r} must be 1-100 letters, digits, spaces or ._@_-")
    twin = open_twin(data, db)
    who = Principal(actor, "construction")
    recorded = run(twin, building, command, actor=who.actor)
    v = view(twin, datetime.now(UTC))
    stage = next(s for s in v.schedules[building] if s.stage == command.stage)
    r = stage.record
    console.print(
        f"{building} {command.stage}: {stage.status}, {r.percent:g} %, planned "
        f"{r.planned_start or '—'} → {r.planned_end or '—'}, forecast end "
        f"{stage.forecast_end or '—'} (events {', '.join(str(e.seq) for e in recorded)}; "
        f"by {who.actor})"
    )


@construction_app.command()
def start(
    building: Building,
    stage: Stage,
    actor: Actor,
    on: On = None,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Record that a stage started."""
    _write(building, StartStage(stage, _date(on, "--on")), actor, db, data)


@construction_app.command()
def progress(
    building: Building,
    stage: Stage,
    percent: Annotated[float, typer.Argument(help="Percent complete, 0-100.")],
    actor: Actor,
    on: On = None,
    correction_reason: Annotated[
        str | None,
        typer.Option("--correction-reason", help="Required to set progress back."),
    ] = None,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Report a stage's percent complete (never backwards without a correction reason)."""
    command = ReportProgress(stage, percent, _date(on, "--on"), correction_reason)
    _write(building, command, actor, db, data)


@construction_app.command()
def complete(
    building: Building,
    stage: Stage,
    actor: Actor,
    on: On = None,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Record that a stage completed (completing structure is topping out, 结构封顶)."""
    _write(building, CompleteStage(stage, _date(on, "--on")), actor, db, data)


@construction_app.command()
def reschedule(
    building: Building,
    stage: Stage,
    actor: Actor,
    reason: Annotated[str, typer.Option("--reason", help="Why; kept in the history.")],
    planned_start: Annotated[
        str | None, typer.Option("--start", help="New planned start, ISO date.")
    ] = None,
    planned_end: Annotated[
        str | None, typer.Option("--end", help="New planned end, ISO date.")
    ] = None,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Change a stage's planned dates; the reason and the former dates stay in history."""
    command = RescheduleStage(
        stage, reason, _date(planned_start, "--start"), _date(planned_end, "--end")
    )
    _write(building, command, actor, db, data)
