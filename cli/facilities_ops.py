"""``twin facilities pue|capacity``: the data centre's efficiency and power capacity from a
terminal, from the figures the API serves (:mod:`twin.facilities.capacity`)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.table import Table

from assets.facilities.capacity import RACK_DESIGN_KW
from assets.facilities.efficiency import DESIGN_PUE
from cli.app import CliError, console
from cli.facilities import facilities_app
from cli.leasing import At, _at
from cli.options import Database, DataDir, open_twin
from twin.facilities import capacity as figures

DEFAULT_KINDS = ("power_feed", "ups", "hall")
"""Kinds listed without --kind."""
STEPS = {"s": 1, "min": 60, "h": 3600, "d": 86400}


def _kw(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _step(value: str) -> timedelta:
    number = value.rstrip("abcdefghijklmnopqrstuvwxyz")
    unit = value[len(number) :]
    if not number.isdigit() or unit not in STEPS or int(number) < 1:
        raise CliError(f"--step {value!r} is not a duration like 15min, 1h or 900s")
    return timedelta(seconds=int(number) * STEPS[unit])


@facilities_app.command("pue")
def show_pue(
    at: At = None,
    start: Annotated[str | None, typer.Option(help="Series from (ISO; with --end).")] = None,
    end: Annotated[str | None, typer.Option(help="Series to (ISO; default now).")] = None,
    step: Annotated[str, typer.Option(help="Between the series' instants: 15min, 1h.")] = "1h",
    chart: Annotated[Path | None, typer.Option(help="Write the series as .png or .svg.")] = None,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """PUE (feeds' load over rack rows' load) at --at, partial PUE per hall, and with --start
    the PUE every --step (design target: the pue metric's alarm limit, schematic)."""
    twin = open_twin(data, db)
    moment = _at(at)
    table = Table(
        title=f"PUE at {moment.isoformat()} (design {DESIGN_PUE:g})", title_justify="left"
    )
    for column in ("facility", "ratio", "input kW", "IT kW", "no reading"):
        table.add_column(column, justify="left" if column == "facility" else "right")
    for e in figures.efficiency_at(twin, moment):
        parts = [(e.data_centre + " PUE", e.pue)] + [(h + " pPUE", r) for h, r in e.halls.items()]
        for name, r in parts:
            value = "-" if r.value is None else f"{r.value:.3f}"
            table.add_row(name, value, _kw(r.total_kw), _kw(r.it_kw), str(len(r.missing)))
    console.print(table)
    if start is None:
        if chart is not None:
            raise CliError("--chart draws the series: give --start")
        return
    until = _at(end)
    since = _at(start)
    if len(start) == 10:  # a date: from its start
        since = since.replace(hour=0, minute=0, second=0, microsecond=0)
    try:
        series = figures.efficiency_series(twin, since, until, _step(step))
    except ValueError as bad:
        raise CliError(f"--start/--end/--step: {bad}") from None
    points = [(t, effs[0].pue.value if effs else None) for t, effs in series]
    for t, pue in points:
        console.print(f"{t.isoformat()}  {'-' if pue is None else f'{pue:.3f}'}")
    if chart is not None:
        from viewer.pue_chart import pue_chart

        fmt: Literal["png", "svg"] = "svg" if chart.suffix.lower() == ".svg" else "png"
        chart.write_bytes(pue_chart(points, DESIGN_PUE, fmt))
        console.print(f"wrote {chart}")


@facilities_app.command("capacity")
def show_capacity(
    at: At = None,
    kind: Annotated[str | None, typer.Option(help="Only this kind: hall, rack_row, ups…")] = None,
    racks: Annotated[int | None, typer.Option(help="Where do this many racks fit?")] = None,
    kw_per_rack: Annotated[float, typer.Option(help="Power of each rack, kW.")] = RACK_DESIGN_KW,
    redundancy: Annotated[str | None, typer.Option(help="2N or N (default: any).")] = None,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Design, allocated, drawn and headroom (kW) per feed, UPS, hall and row; with --racks,
    the halls where that many racks of --kw-per-rack fit."""
    if redundancy not in (None, "2N", "N"):
        raise CliError(f"--redundancy {redundancy!r}: use 2N or N")
    if racks is not None and (racks < 1 or kw_per_rack <= 0):
        raise CliError("--racks and --kw-per-rack must be positive")
    twin = open_twin(data, db)
    moment = _at(at)
    if racks is None:
        found, answer = figures.capacity_at(twin, moment), None
    else:
        found, answer = figures.fit_at(twin, moment, racks, kw_per_rack, redundancy)  # type: ignore[arg-type]
    table = Table(title=f"Power capacity at {moment.isoformat()}", title_justify="left")
    for column in (
        "facility",
        "level",
        "racks",
        "design kW",
        "allocated kW",
        "drawn kW",
        "headroom kW",
    ):
        table.add_column(column, justify="left" if column in ("facility", "level") else "right")
    for c in found:
        if c.kind not in ((kind,) if kind else DEFAULT_KINDS):
            continue
        table.add_row(
            c.facility,
            c.level or "",
            f"{c.racks_allocated:,}/{c.racks:,}",
            _kw(c.design_kw),
            _kw(c.allocated_kw),
            _kw(c.drawn_kw),
            _kw(c.headroom_kw),
        )
    console.print(table)
    if answer is None:
        return
    fits = [h for h in answer.halls if h.fits]
    level = f" with {answer.level}" if answer.level else ""
    console.print(
        f"{answer.racks} racks of {answer.kw_per_rack:g} kW{level}: "
        + (", ".join(f"{h.hall} (room for {h.placeable})" for h in fits) or "fit in no hall")
    )
