"""``twin facilities alarms list|ack|shelve|unshelve|sweep``: the alarm lifecycle from a shell
(the same commands and derived state as ``/api/v1/facilities/alarms``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer
from rich.table import Table

from cli.app import CliError, console
from cli.facilities import facilities_app
from cli.options import Database, DataDir, open_twin

alarms_app = typer.Typer(help="Alarms: list, acknowledge, shelve, sweep.", no_args_is_help=True)
facilities_app.add_typer(alarms_app, name="alarms")
By = Annotated[str, typer.Option("--by", help="Who takes the step (recorded on the alarm).")]
Comment = Annotated[str, typer.Option(help="What is done about it, or why.")]


def _age(seconds: float) -> str:
    minutes = int(seconds // 60)
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h"


def _refused(step: Callable[[], object]) -> object:
    from assets.facilities.alarms import AlarmRefused

    try:
        return step()
    except AlarmRefused as exc:
        raise CliError(str(exc)) from None


@alarms_app.command("list")
def list_alarms(
    state: Annotated[
        list[str] | None, typer.Option(help="Only these states (repeat the option).")
    ] = None,
    severity: Annotated[list[str] | None, typer.Option(help="Only these severities.")] = None,
    facility: Annotated[list[str] | None, typer.Option(help="Only these facilities.")] = None,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Alarms, the newest raised first, with state, severity, age and who acknowledged."""
    from assets.facilities.alarms import SEVERITIES, STATES, age_s
    from twin.facilities.alarms import listed

    for name, given, known in (("state", state, STATES), ("severity", severity, SEVERITIES)):
        unknown = sorted(set(given or ()) - set(known))
        if unknown:
            raise CliError(f"unknown {name} {', '.join(unknown)}: one of {', '.join(known)}")
    twin = open_twin(data, db)
    now = datetime.now(UTC)
    found = listed(
        twin.facilities.state,
        None,
        set(state or ()),
        set(severity or ()),
        set(facility or ()),
    )
    table = Table("id", "state", "severity", "esc.", "age", "facility", "message", "by")
    for a in found:
        ack = (a.get("acknowledged") or {}).get("by", "")
        table.add_row(
            a["id"],
            a["state"],
            a["severity"],
            str(a["escalation"]),
            _age(age_s(a, now)),
            a["facility"],
            a["message"],
            ack,
        )
    console.print(table)
    console.print(f"{len(found)} alarms")


@alarms_app.command("ack")
def ack(
    alarm: str, by: By, comment: Comment = "", db: Database = None, data: DataDir = None
) -> None:
    """Acknowledge ALARM (its id, see `list`)."""
    from twin.facilities.alarms import acknowledge

    twin = open_twin(data, db)
    _refused(lambda: acknowledge(twin.facilities.state, alarm, by, comment))
    console.print(f"acknowledged {alarm} by {by}")


@alarms_app.command("shelve")
def shelve(
    alarm: str,
    by: By,
    minutes: Annotated[float, typer.Option(min=1, help="How long, min.")] = 60,
    comment: Comment = "",
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Shelve ALARM for some minutes (it unshelves by itself then)."""
    from twin.facilities.alarms import shelve as shelve_alarm

    twin = open_twin(data, db)
    until = datetime.now(UTC) + timedelta(minutes=minutes)
    _refused(lambda: shelve_alarm(twin.facilities.state, alarm, by, until, comment))
    console.print(f"shelved {alarm} until {until.isoformat(timespec='seconds')}")


@alarms_app.command("unshelve")
def unshelve(alarm: str, by: By, db: Database = None, data: DataDir = None) -> None:
    """Show a shelved ALARM again."""
    from twin.facilities.alarms import unshelve as unshelve_alarm

    twin = open_twin(data, db)
    _refused(lambda: unshelve_alarm(twin.facilities.state, alarm, by))
    console.print(f"unshelved {alarm}")


@alarms_app.command("sweep")
def sweep(db: Database = None, data: DataDir = None) -> None:
    """Record what fell due by now: delayed raises, shelf expiries, escalations (what `twin
    serve` does every TWIN_ALARM_SWEEP_INTERVAL seconds)."""
    from twin.facilities.sweep import sweep as run_sweep

    twin = open_twin(data, db)
    done = run_sweep(twin.facilities.state)
    for e in done:
        console.print(f"{e.effective_at.isoformat()} {e.type} {e.data.get('alarm', '')}")
    console.print(f"{len(done)} steps recorded")
