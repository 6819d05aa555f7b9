"""``twin leasing availability|hold|sign|release|leases|plan``: the lease ledger from a terminal.

Commands act as the local operator (actor ``cli:<user>``), with the same rules as the API:
a space already held or let for an overlapping period is refused, naming the hold or lease.
"""

from __future__ import annotations

import getpass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.table import Table

from assets.history import CAMPUS_TZ
from cli.app import CliError, app, console
from cli.options import Database, DataDir, open_twin
from occupancy.availability import AvailabilityQuery
from occupancy.errors import LeasingError
from occupancy.ledger import Terms
from occupancy.terms import LeaseTerms
from twin.leasing import commands
from twin.leasing.places import known_places
from twin.leasing.read import agreements, availability, spaces_of
from viewer.spreadsheets import availability_xlsx

leasing_app = typer.Typer(help="Leasing: availability, holds, leases, plans.", no_args_is_help=True)
app.add_typer(leasing_app, name="leasing")
At = Annotated[str | None, typer.Option("--at", help="ISO date or datetime (default: now).")]


def _at(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    if len(value) == 10:
        return datetime.combine(date.fromisoformat(value), datetime.max.time(), CAMPUS_TZ)
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=CAMPUS_TZ)


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


@leasing_app.command("availability")
def show_availability(
    building: Annotated[str | None, typer.Option(help="Only this building.")] = None,
    parcel: Annotated[str | None, typer.Option(help="Only this parcel (e.g. fish-head).")] = None,
    zone: Annotated[str | None, typer.Option(help="Only this zone's parcels (e.g. fish).")] = None,
    kind: Annotated[str | None, typer.Option(help="office or rack.")] = None,
    min_area: Annotated[float | None, typer.Option(help="Smallest unit, m².")] = None,
    max_area: Annotated[float | None, typer.Option(help="Largest unit, m².")] = None,
    min_contiguous: Annotated[float | None, typer.Option(help="Contiguous block, m².")] = None,
    available_from: Annotated[str | None, typer.Option(help="Free and ready by (ISO).")] = None,
    limit: Annotated[int, typer.Option(help="Rows shown.")] = 30,
    xlsx: Annotated[
        Path | None, typer.Option("--xlsx", help="Write every match to an .xlsx file.")
    ] = None,
    at: At = None,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Available units and racks, with totals."""
    query = AvailabilityQuery(
        kind=kind,  # type: ignore[arg-type]
        building=building,
        parcel=parcel,
        zone=zone,
        min_area_m2=min_area,
        max_area_m2=max_area,
        min_contiguous_m2=min_contiguous,
        available_from=date.fromisoformat(available_from) if available_from else None,
    )
    twin, when = open_twin(data, db), _at(at)
    try:
        known_places(twin, when, building=building, parcel=parcel, zone=zone)
    except LeasingError as exc:
        raise CliError(str(exc)) from exc
    result = availability(twin, when, query)
    if xlsx is not None:
        xlsx.write_bytes(availability_xlsx(result.matches))
        console.print(f"{xlsx}: {len(result.matches):,} spaces")
        return
    table = Table(title="Available space", title_justify="left")
    for column in ("space", "status", "area m²", "free from", "ready on", "block m²"):
        table.add_column(column, justify="right" if "m²" in column else "left")
    for m in result.matches[:limit]:
        table.add_row(
            m.space.id,
            m.status,
            f"{m.space.area_m2:,.0f}",
            str(m.free_from),
            str(m.ready_on or "-"),
            f"{m.block_area_m2:,.0f}",
        )
    console.print(table)
    console.print(
        f"{len(result.matches):,} spaces, {result.total_area_m2:,.0f} m², "
        f"{result.racks:,} racks ({result.racks_two_n:,} on 2N)"
    )


@leasing_app.command("hold")
def hold(
    spaces: Annotated[list[str], typer.Argument(help="Space ids.")],
    tenant: Annotated[str, typer.Option(help="Tenant id.")],
    start: Annotated[str, typer.Option(help="First day (ISO).")],
    end: Annotated[str, typer.Option(help="First day no longer held (ISO).")],
    days: Annotated[int, typer.Option(help="Days until the hold lapses.")] = 14,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Hold spaces for a tenant; prints the hold id."""
    terms = Terms(tuple(spaces), tenant, date.fromisoformat(start), date.fromisoformat(end))
    expires = datetime.now(UTC) + timedelta(days=days)
    try:
        hold_id = commands.place_hold(open_twin(data, db), terms, expires, actor=_actor())
    except LeasingError as exc:
        raise CliError(str(exc)) from exc
    console.print(f"held until {expires:%Y-%m-%d %H:%M} UTC:", highlight=False)
    print(hold_id)


@leasing_app.command("sign")
def sign(
    hold_id: Annotated[str, typer.Argument(help="The hold to sign.")],
    pre_lease: Annotated[bool, typer.Option(help="Building not in use yet.")] = False,
    rent: Annotated[
        float | None,
        typer.Option(help="Face rent: 元/㎡/天 (offices), 元 per rack per month (racks)."),
    ] = None,
    racks: Annotated[bool, typer.Option(help="The rent is per rack per month.")] = False,
    rent_free: Annotated[int, typer.Option(help="Rent-free months at the start.")] = 0,
    escalation: Annotated[float, typer.Option(help="Fixed escalation, % a year.")] = 0.0,
    deposit: Annotated[float, typer.Option(help="Deposit, months of rent.")] = 0.0,
    service_charge: Annotated[float, typer.Option(help="Service charge, 元/㎡/月.")] = 0.0,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Sign a live hold into a lease (on the given terms, else the hold's proposal); prints the
    lease id."""
    money = None
    if rent is not None:
        money = LeaseTerms(
            rent=rent,
            rent_unit="cny_per_rack_month" if racks else "cny_per_m2_day",
            rent_free_months=rent_free,
            escalation="fixed" if escalation else "none",
            escalation_percent=escalation,
            deposit_months=deposit,
            service_charge_cny_per_m2_month=service_charge,
        )
    try:
        lease_id = commands.sign_lease(
            open_twin(data, db),
            None,
            hold_id=hold_id,
            pre_lease=pre_lease,
            money=money,
            actor=_actor(),
        )
    except LeasingError as exc:
        raise CliError(str(exc)) from exc
    print(lease_id)


@leasing_app.command("release")
def release(
    hold_id: Annotated[str, typer.Argument(help="The hold to give up.")],
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Give up a live hold."""
    try:
        commands.release_hold(open_twin(data, db), hold_id, actor=_actor())
    except LeasingError as exc:
        raise CliError(str(exc)) from exc
    console.print(f"released {hold_id}")


@leasing_app.command("leases")
def leases(at: At = None, db: Database = None, data: DataDir = None) -> None:
    """Every lease as it stands at ``--at``."""
    twin = open_twin(data, db)
    cat = spaces_of(twin)
    table = Table(title="Leases", title_justify="left")
    for column in ("lease", "status", "tenant", "spaces", "area m²", "start", "end"):
        table.add_column(column, justify="right" if column in ("spaces", "area m²") else "left")
    for a in agreements(twin, _at(at), "lease"):
        area = sum(cat.spaces[s].area_m2 for s in a.spaces if s in cat.spaces)
        table.add_row(
            a.id, a.status, a.tenant, str(len(a.spaces)), f"{area:,.0f}", str(a.start), str(a.end)
        )
    console.print(table)


@leasing_app.command("plan")
def plan(
    building: Annotated[str, typer.Argument(help="Building id.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="PNG or SVG file.")],
    level: Annotated[int | None, typer.Option(help="A floor plan of this floor.")] = None,
    at: At = None,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Write a stacking plan (or, with ``--level``, a floor plan) as PNG or SVG."""
    from twin.leasing.plans import building_stacking_plan, floor_plan
    from viewer.plans import draw_floor_plan, draw_stacking_plan

    fmt: Literal["png", "svg"] = "svg" if output.suffix.lower() == ".svg" else "png"
    twin = open_twin(data, db)
    try:
        if level is None:
            image = draw_stacking_plan(
                building_stacking_plan(twin, building, _at(at), staff=True), fmt
            )
        else:
            image = draw_floor_plan(floor_plan(twin, building, level, _at(at), staff=True), fmt)
    except LeasingError as exc:
        raise CliError(str(exc)) from exc
    output.write_bytes(image)
    console.print(f"wrote {output}")


# The short forms: `twin availability`, `twin stacking BUILDING`, `twin floorplan FLOOR`.
app.command(
    "availability", help="Available units and racks, with totals (= twin leasing availability)."
)(show_availability)


@app.command("stacking")
def stacking(
    building: Annotated[str, typer.Argument(help="Building id, e.g. office-building.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="PNG or SVG file.")],
    at: At = None,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Write a building's stacking plan as PNG or SVG."""
    plan(building, output, None, at, db, data)


@app.command("floorplan")
def floorplan(
    floor: Annotated[str, typer.Argument(help="Floor id, e.g. office-building/L07.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="PNG or SVG file.")],
    at: At = None,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Write a floor plan (units coloured by status, with ids and areas) as PNG or SVG."""
    building, _, level = floor.rpartition("/L")
    if not building or not level.isdigit():
        raise CliError(f"floor {floor!r} is not an id like office-building/L07")
    plan(building, output, int(level), at, db, data)
