"""``twin leasing prospect add|advance|lose|list|matches|funnel``: the deal pipeline."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.table import Table

from cli.app import CliError, console
from cli.leasing import At, _actor, _at, leasing_app
from cli.options import Database, DataDir, open_twin
from occupancy.errors import LeasingError
from occupancy.pipeline import Requirement, funnel
from twin.leasing import pipeline

prospect_app = typer.Typer(help="The deal pipeline: prospects.", no_args_is_help=True)
leasing_app.add_typer(prospect_app, name="prospect")


@prospect_app.command("add")
def add(
    prospect_id: Annotated[str, typer.Argument(help="Id (also its tenant id on signing).")],
    company: Annotated[str, typer.Option(help="Company name.")],
    contact: Annotated[str, typer.Option(help="Contact person.")],
    ready_by: Annotated[str, typer.Option(help="Ready-by day (ISO).")],
    area: Annotated[float | None, typer.Option(help="Office area asked, m².")] = None,
    racks: Annotated[int | None, typer.Option(help="Racks asked.")] = None,
    budget: Annotated[float | None, typer.Option(help="Face rent it can pay.")] = None,
    email: Annotated[str | None, typer.Option(help="Contact e-mail.")] = None,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Record a prospect's enquiry."""
    req = Requirement(
        "rack" if racks else "office", area, racks, date.fromisoformat(ready_by), budget
    )
    try:
        pipeline.register(
            open_twin(data, db),
            prospect_id,
            company,
            {"name": contact, "email": email, "phone": None},
            req,
            actor=_actor(),
        )
    except LeasingError as exc:
        raise CliError(str(exc)) from exc
    console.print(f"{prospect_id}: enquiry")


@prospect_app.command("advance")
def advance(
    prospect_id: Annotated[str, typer.Argument(help="The prospect.")],
    stage: Annotated[str, typer.Argument(help="tour, proposal or hold.")],
    note: Annotated[str | None, typer.Option(help="A note.")] = None,
    hold: Annotated[str | None, typer.Option(help="Its hold (stage hold).")] = None,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Move a prospect on to the next stage it reached."""
    try:
        pipeline.advance(
            open_twin(data, db), prospect_id, stage, actor=_actor(), note=note, hold=hold
        )
    except LeasingError as exc:
        raise CliError(str(exc)) from exc
    console.print(f"{prospect_id}: {stage}")


@prospect_app.command("lose")
def lose(
    prospect_id: Annotated[str, typer.Argument(help="The prospect.")],
    reason: Annotated[str, typer.Option(help="Why the deal was lost.")],
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Close a prospect's deal as lost."""
    try:
        pipeline.lose(open_twin(data, db), prospect_id, reason, actor=_actor())
    except LeasingError as exc:
        raise CliError(str(exc)) from exc
    console.print(f"{prospect_id}: lost ({reason})")


@prospect_app.command("list")
def list_prospects(at: At = None, db: Database = None, data: DataDir = None) -> None:
    """Every prospect and its stage."""
    table = Table(title="Prospects", title_justify="left")
    for column in ("prospect", "company", "stage", "asks", "ready by", "since"):
        table.add_column(column)
    for p in pipeline.prospects_at(open_twin(data, db), _at(at)):
        r = p.requirement
        asks = f"{r.area_m2:,.0f} m²" if r.kind == "office" else f"{r.racks} racks"
        table.add_row(
            p.id, p.company, p.stage, asks, str(r.ready_by), p.history[-1].at.date().isoformat()
        )
    console.print(table)


@prospect_app.command("matches")
def matches(
    prospect_id: Annotated[str, typer.Argument(help="The prospect.")],
    at: At = None,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Spaces that fit a prospect's requirement now and by its ready-by day."""
    twin = open_twin(data, db)
    try:
        p = pipeline.prospect(twin, prospect_id, _at(at))
    except LeasingError as exc:
        raise CliError(str(exc)) from exc
    now, ready = pipeline.matches(twin, p, _at(at))
    for label, found in (("now", now), (f"by {p.requirement.ready_by}", ready)):
        console.print(
            f"{label}: {len(found.matches)} spaces, {found.total_area_m2:,.0f} m², "
            f"{found.blocks} blocks; first: {', '.join(m.space.id for m in found.matches[:5])}",
            highlight=False,
        )


@prospect_app.command("funnel")
def show_funnel(
    start: Annotated[str, typer.Option("--from", help="First enquiry day (ISO).")] = "2019-01-01",
    end: Annotated[str, typer.Option("--to", help="Last enquiry day (ISO).")] = "2100-12-31",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="PNG or SVG chart.")] = None,
    at: At = None,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Count and area per stage, conversion and median days per stage."""
    f = funnel(
        pipeline.prospects_at(open_twin(data, db), _at(at)),
        date.fromisoformat(start),
        date.fromisoformat(end),
    )
    table = Table(title=f"Funnel: {f.prospects} prospects, {f.lost} lost", title_justify="left")
    for column in ("stage", "reached", "area m²", "conversion", "median days"):
        table.add_column(column, justify="left" if column == "stage" else "right")
    for s in f.stages:
        table.add_row(
            s.stage,
            str(s.reached),
            f"{s.area_m2:,.0f}",
            f"{s.conversion:.0%}" if s.conversion is not None else "-",
            f"{s.median_days:.1f}" if s.median_days is not None else "-",
        )
    console.print(table)
    if output is not None:
        from viewer.leasing_charts import funnel_chart

        fmt: Literal["png", "svg"] = "svg" if output.suffix.lower() == ".svg" else "png"
        output.write_bytes(funnel_chart(f, fmt))
        console.print(f"wrote {output}")
