"""``twin leasing rent-roll|wale|expiries|worth|occupancy``: lease economics from a terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.table import Table

from cli.app import CliError, console
from cli.leasing import At, _at, leasing_app
from cli.options import Database, DataDir, open_twin
from occupancy.errors import LeasingError
from occupancy.occupancy_kpis import OCCUPANCIES
from twin.leasing.economics import expiries, occupancy, roll, wale_by_scope, worth
from twin.leasing.read import agreement
from viewer.spreadsheets import rent_roll_xlsx

Building = Annotated[str | None, typer.Option(help="Only this building.")]
Xlsx = Annotated[Path | None, typer.Option("--xlsx", help="Write an .xlsx file instead.")]


@leasing_app.command("rent-roll")
def rent_roll(
    building: Building = None,
    xlsx: Xlsx = None,
    at: At = None,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Every lease in force: tenant, area, dates, current rent, next escalation, expiry."""
    rows = roll(open_twin(data, db), _at(at), building)
    if xlsx is not None:
        xlsx.write_bytes(rent_roll_xlsx(rows))
        console.print(f"{xlsx}: {len(rows)} leases")
        return
    table = Table(title="Rent roll", title_justify="left")
    for column in ("lease", "tenant", "area m²", "start", "expiry", "rent", "unit", "next step"):
        table.add_column(column, justify="right" if column in ("area m²", "rent") else "left")
    for r in rows:
        step = f"{r.next_escalation} → {r.next_rent:,.2f}" if r.next_escalation else "-"
        table.add_row(
            r.lease,
            r.tenant,
            f"{r.area_m2:,.0f}",
            str(r.start),
            str(r.expiry),
            f"{r.rent:,.2f}" if r.rent is not None else "-",
            r.rent_unit or "-",
            step,
        )
    console.print(table)
    income = sum(r.annual_rent_cny or 0 for r in rows)
    console.print(
        f"{len(rows)} leases, {sum(r.area_m2 for r in rows):,.0f} m², {income:,.0f} CNY a year"
    )


@leasing_app.command("wale")
def wale(at: At = None, db: Database = None, data: DataDir = None) -> None:
    """WALE (years) by area and by income: the campus, the fish and each building."""
    campus, fish, buildings = wale_by_scope(open_twin(data, db), _at(at))
    table = Table(title="WALE, years", title_justify="left")
    for column in ("scope", "leases", "area m²", "by area", "by income"):
        table.add_column(column, justify="left" if column == "scope" else "right")
    for w in (campus, fish, *buildings):
        table.add_row(
            w.scope,
            str(w.leases),
            f"{w.area_m2:,.0f}",
            f"{w.by_area_years:.2f}" if w.by_area_years is not None else "-",
            f"{w.by_income_years:.2f}" if w.by_income_years is not None else "-",
        )
    console.print(table)


@leasing_app.command("expiries")
def expiry_profile(
    building: Building = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="PNG or SVG chart.")] = None,
    at: At = None,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Area and income expiring per year; with ``-o``, the chart too."""
    moment = _at(at)
    years = expiries(open_twin(data, db), moment, building)
    table = Table(title="Lease expiries", title_justify="left")
    for column in ("year", "leases", "area m²", "CNY a year"):
        table.add_column(column, justify="right")
    for y in years:
        table.add_row(str(y.year), str(y.leases), f"{y.area_m2:,.0f}", f"{y.annual_rent_cny:,.0f}")
    console.print(table)
    if output is not None:
        from viewer.leasing_charts import expiry_chart

        fmt: Literal["png", "svg"] = "svg" if output.suffix.lower() == ".svg" else "png"
        title = f"Lease expiries, {building or 'campus'}, as of {moment.date()}"
        output.write_bytes(expiry_chart(years, title, fmt))
        console.print(f"wrote {output}")


@leasing_app.command("worth")
def lease_worth(
    ref: Annotated[str, typer.Argument(help="A lease id (L-…) or a hold id (H-…).")],
    discount_rate: Annotated[float, typer.Option(help="A year, for NER (0.08 = 8 %).")] = 0.08,
    at: At = None,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Total contract value and net effective rent of a lease, or of a hold's proposal."""
    twin = open_twin(data, db)
    kind = "hold" if ref.startswith("H-") else "lease"
    found = agreement(twin, kind, ref, _at(at))
    if found is None:
        raise CliError(f"no {kind} {ref!r}")
    try:
        e = worth(twin, found, discount_rate)
    except LeasingError as exc:
        raise CliError(str(exc)) from exc
    console.print(
        f"{ref}: {e.months} months, TCV {e.total_contract_value_cny:,.2f} CNY, "
        f"NER {e.net_effective_rent:,.4f} {e.rent_unit} at {e.discount_rate:.2%} a year, "
        f"deposit {e.deposit_cny:,.2f} CNY, service charge {e.service_charge_total_cny:,.2f} CNY",
        highlight=False,
    )


@leasing_app.command("occupancy")
def show_occupancy(at: At = None, db: Database = None, data: DataDir = None) -> None:
    """Occupied, signed, pre-leased, held and vacant (count and m²): campus, fish, buildings."""
    campus, fish, buildings = occupancy(open_twin(data, db), _at(at))
    table = Table(title="Occupancy: spaces / m²", title_justify="left")
    table.add_column("scope")
    for kind in OCCUPANCIES:
        table.add_column(kind.replace("_", "-"), justify="right")
    for t in (campus, fish, *buildings):
        table.add_row(t.scope, *(f"{t.count[k]:,} / {t.area_m2[k]:,.0f}" for k in OCCUPANCIES))
    console.print(table)
