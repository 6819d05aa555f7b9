"""``twin leasing import-rent-roll FILE``: an existing rent roll (.xlsx or .csv) into the ledger,
all rows or none, with a dry run that lists what it would add or change (amendments)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.app import CliError, console
from cli.leasing import _actor, leasing_app
from cli.options import Database, DataDir, open_twin
from occupancy.rent_roll_rows import FIELDS, read_mapping
from twin.leasing.rent_roll_import import ImportRefused, import_rent_roll


@leasing_app.command("import-rent-roll")
def import_rent_roll_file(
    file: Annotated[Path, typer.Argument(help="The rent roll: .xlsx (first sheet) or .csv.")],
    mapping: Annotated[
        Path | None,
        typer.Option(
            help="Lines 'field = Column header' for columns named otherwise than the export's "
            f"({', '.join(FIELDS)})."
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what it would do; write nothing.")
    ] = False,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Sign every row's lease in one batch; any bad row refuses the whole file, naming the row,
    the column and the rule. Rows whose lease is already signed as given stay unchanged; a row
    for a signed lease with another end or rent terms amends it."""
    try:
        columns = read_mapping(mapping.read_text(encoding="utf-8")) if mapping else dict(FIELDS)
        actions = import_rent_roll(
            open_twin(data, db),
            file.name,
            file.read_bytes(),
            columns,
            dry_run=dry_run,
            actor=_actor(),
        )
    except ImportRefused as refused:
        for problem in refused.problems:
            console.print(f"refused: {problem}")
        raise CliError(f"{len(refused.problems)} problem(s): nothing imported") from refused
    except (ValueError, OSError) as bad:
        raise CliError(str(bad)) from bad
    if dry_run:
        console.print("dry run: nothing written")
    for action in actions:
        console.print(str(action), soft_wrap=True)
    added = sum(a.action == "add" for a in actions)
    changed = sum(a.action == "change" for a in actions)
    verb = ("would add", "would amend") if dry_run else ("added", "amended")
    amended = f", {verb[1]} {changed}" if changed else ""
    console.print(f"{verb[0]} {added} leases{amended}; {len(actions) - added - changed} unchanged")
