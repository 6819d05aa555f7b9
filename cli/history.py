"""``twin history``, ``twin backup``, ``twin restore``, ``twin db upgrade``, ``twin db check``
and ``twin db retention``."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from assets.history import CAMPUS_TZ, local_day
from cli.app import CliError, app, console
from cli.options import Database, DataDir, open_twin
from twin.eventlog import backup as backup_log
from twin.eventlog import open_store, upgrade
from twin.eventlog import restore as restore_log
from twin.eventlog.check import find_unreadable
from twin.eventlog.check import quarantine as quarantine_events
from twin.retention import apply_retention
from twin.settings import Settings

db_app = typer.Typer(help="The event log's database.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@app.command()
def history(
    stream: Annotated[
        str | None, typer.Option(help="Only this stream, e.g. building:fish-head-t1.")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Only events effective on or after this ISO date.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many rows.")] = 200,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Show the event log as a table, in order of effective time."""
    try:
        start = datetime.fromisoformat(since).date().isoformat() if since else None
    except ValueError:
        raise CliError(f"--since {since!r} is not an ISO date such as 2024-09-12") from None
    twin = open_twin(data, db)
    events = twin.store.read(limit=None, stream=stream)
    events.sort(key=lambda e: (e.effective_at, e.seq))
    if start:
        events = [e for e in events if local_day(e.effective_at) >= start]
    table = Table(title=f"History{' of ' + stream if stream else ''}", title_justify="left")
    for column in ("seq", "effective (UTC+8)", "stream", "type", "data", "actor"):
        table.add_column(column, overflow="fold")
    for e in events[:limit]:
        detail = ", ".join(
            f"{k}={v}" for k, v in e.data.items() if k not in ("facts", "provenance", "name")
        )
        table.add_row(
            str(e.seq),
            e.effective_at.astimezone(CAMPUS_TZ).strftime("%Y-%m-%d %H:%M"),
            e.stream,
            e.type,
            detail,
            e.actor,
        )
    console.print(table)
    shown = min(limit, len(events))
    console.print(f"{shown} of {len(events)} events shown")


def _progress() -> Progress:
    columns = (TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn())
    return Progress(  # a log (no terminal) gets the summary line only
        *columns,
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


@app.command()
def backup(
    dest: Annotated[
        Path,
        typer.Argument(help="Backup directory: new, empty, or an earlier backup to update."),
    ],
    full: Annotated[
        bool, typer.Option("--full", help="Write every segment again, not only what changed.")
    ] = False,
    db: Database = None,
) -> None:
    """Back up the event log and the measurements store into a directory; onto an earlier
    backup, only the new events and the days of readings that changed are written."""
    with open_store(Settings.from_env(db=db).database_url) as store, _progress() as bar:
        task = bar.add_task("Backing up", total=None)

        def tell(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=total)

        done = backup_log(store, dest, full=full, progress=tell)
        readings = store.readings.count()
    kind = "incremental backup" if done.incremental else "full backup"
    console.print(
        f"{kind} {done.generation} in {dest}: wrote {done.events_written:,} of "
        f"{done.events:,} events ({done.chunks_written} chunks), {done.days_written} of "
        f"{done.days} days of readings, {done.bytes_written:,} bytes; it holds "
        f"{readings:,} raw readings (with rollups)"
    )


@app.command()
def restore(
    source: Annotated[
        Path, typer.Argument(help="Backup directory made by twin backup (or an older file).")
    ],
    db: Database = None,
) -> None:
    """Load a backup into an empty database (refused if it holds events or readings)."""
    if not source.exists():
        raise CliError(f"cannot restore {source}: no such backup")
    with open_store(Settings.from_env(db=db).database_url) as store, _progress() as bar:
        task = bar.add_task("Checking the segments", total=None)

        def tell(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=total)

        count = restore_log(store, source, progress=tell)
    console.print(f"restored {count:,} events from {source}")


@db_app.command("upgrade")
def db_upgrade(db: Database = None) -> None:
    """Migrate the event log's schema to the latest version."""
    url = Settings.from_env(db=db).database_url
    upgrade(url)
    console.print("database is at the latest schema")


@db_app.command("retention")
def db_retention(
    raw_days: Annotated[
        int | None,
        typer.Option(
            min=1, help="Days raw readings are kept (default TWIN_READINGS_RAW_DAYS, 90)."
        ),
    ] = None,
    key_days: Annotated[
        int | None,
        typer.Option(min=1, help="Days reading keys are kept (default TWIN_READING_KEYS_DAYS, 7)."),
    ] = None,
    db: Database = None,
) -> None:
    """Drop raw metric readings older than the retention (their rollups are kept)."""
    settings = Settings.from_env(db=db)
    settings = replace(
        settings,
        readings_raw_days=raw_days or settings.readings_raw_days,
        reading_keys_days=key_days or settings.reading_keys_days,
    )
    with open_store(settings.database_url) as store:
        done = apply_retention(store, settings)
    console.print(
        f"dropped {done.readings_dropped:,} raw readings and {done.keys_dropped:,} reading keys; "
        f"raw readings are kept from {done.raw_from.isoformat()} (rollups always)"
    )


@db_app.command("check")
def db_check(
    quarantine: Annotated[
        bool,
        typer.Option(
            "--quarantine",
            help="Move the events found into the events_quarantine table (stop twin serve first).",
        ),
    ] = False,
    db: Database = None,
) -> None:
    """Find events the log cannot read back (bad text stored by older versions).

    Exits with 1 if such events remain in the log.
    """
    with open_store(Settings.from_env(db=db).database_url) as store, console.status("Checking…"):
        found = find_unreadable(store.engine)
    for event in found:
        console.print(
            f"seq {event.seq} ({event.stream} v{event.version}): {event.problem}", markup=False
        )
    if not found:
        console.print("every event of the log reads back")
        return
    if not quarantine:
        raise CliError(
            f"{len(found)} events cannot be read back: run `twin db check --quarantine` "
            "(with twin serve stopped) to move them out of the log"
        )
    with open_store(Settings.from_env(db=db).database_url) as store:
        moved = quarantine_events(store.engine, found)
    console.print(f"moved {moved} events to the events_quarantine table; restart twin serve")
