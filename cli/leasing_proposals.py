"""``twin leasing proposals``: adjacent units that together fit the area a prospect asks for."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from cli.app import CliError, console
from cli.leasing import At, _at, leasing_app
from cli.options import Database, DataDir, open_twin
from occupancy.errors import LeasingError
from occupancy.proposals import ProposalQuery
from twin.leasing.proposals import Where, proposals_at


@leasing_app.command("proposals")
def show_proposals(
    min_area: Annotated[float, typer.Option(help="Least total area, m².")],
    max_area: Annotated[float | None, typer.Option(help="Most total area, m².")] = None,
    building: Annotated[str | None, typer.Option(help="Only this building.")] = None,
    parcel: Annotated[str | None, typer.Option(help="Only this parcel (e.g. fish-head).")] = None,
    zone: Annotated[str | None, typer.Option(help="Only this zone (e.g. fish).")] = None,
    ready_by: Annotated[str | None, typer.Option(help="Free and ready by (ISO day).")] = None,
    stacked: Annotated[bool, typer.Option(help="Also join floors above and below.")] = False,
    limit: Annotated[int, typer.Option(help="Proposals shown.")] = 10,
    at: At = None,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Sets of adjacent free units whose total area is in the range, best fit first."""
    try:
        where = Where(building, parcel, zone, date.fromisoformat(ready_by) if ready_by else None)
        found, total = proposals_at(
            open_twin(data, db), _at(at), where, ProposalQuery(min_area, max_area, stacked, limit)
        )
    except (LeasingError, ValueError) as exc:
        raise CliError(str(exc)) from exc
    table = Table(title="Proposals, best fit first", title_justify="left")
    for column in ("#", "units", "area m²", "excess m²", "shape", "ready from"):
        table.add_column(column, justify="left" if column == "units" else "right")
    for rank, p in enumerate(found, 1):
        table.add_row(
            str(rank),
            "\n".join(p.ids),
            f"{p.area_m2:,.0f}",
            f"{p.excess_m2:,.0f}",
            f"{p.shape:.2f}",
            str(p.ready_from),
        )
    console.print(table)
    console.print(f"{total:,} proposals found, {len(found)} shown")
