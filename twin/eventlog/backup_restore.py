"""Restoring a backup into an empty database: a backup directory (format 3), or a file of
format 1 or 2.

Every segment a manifest names is checked first (present, and its SHA-256 what the manifest
says): a missing or corrupt one refuses the restore, naming the file, before the database is
touched. Then everything is loaded in one transaction: all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, select

from twin.eventlog.backup import Progress, segments_of
from twin.eventlog.backup_files import MANIFEST, Segment, read_manifest, read_segment, verify
from twin.eventlog.backup_lines import EventLoader, load_legacy
from twin.eventlog.engine import lock_log, writer
from twin.eventlog.errors import RestoreRefused
from twin.eventlog.measurements import dump as measurements
from twin.eventlog.schema import events

if TYPE_CHECKING:
    from twin.eventlog.store import EventStore


def restore(store: EventStore, path: str | Path, progress: Progress | None = None) -> int:
    """Load a backup into the empty log of ``store``; return the number of events.

    Every event keeps its seq, stream, version, type, data, times, actor and key; the
    measurements store gets back its series, readings, rollups, keys and horizon.

    Raises
    ------
    RestoreRefused
        If the database already holds events or readings, or the backup is not complete.
    """
    path = Path(path)
    tell = progress or (lambda what, done, total: None)
    load: Callable[[Connection], int]
    if path.is_dir() or path.name == MANIFEST:
        root = path if path.is_dir() else path.parent
        manifest = read_manifest(root)
        segments = segments_of(manifest)
        verify(root, segments, tell)
        load = lambda conn: _load(conn, root, manifest, tell)  # noqa: E731
    elif path.is_file():
        load = lambda conn: load_legacy(conn, path)  # noqa: E731
    else:
        raise RestoreRefused(f"cannot restore {path}: no such backup")
    with writer(store.engine).begin() as conn:
        lock_log(conn)
        present = conn.execute(select(func.count()).select_from(events)).scalar_one()
        if present or not measurements.is_empty(conn):
            raise RestoreRefused(
                f"restore refused: the log at {store.engine.url.render_as_string()} already "
                f"holds {present} events; restore only into an empty database"
            )
        return load(conn)


def _load(conn: Connection, root: Path, manifest: dict[str, Any], tell: Progress) -> int:
    stored = manifest["measurements"]
    rows = measurements.Loader(conn)
    if stored.get("series"):
        _rows(rows, root, Segment.of(stored["series"]), ("series",))
    loaded = EventLoader(conn)
    chunks = manifest["events"]["chunks"]
    steps = len(chunks) + len(stored["days"])
    for number, chunk in enumerate(chunks):
        tell(f"events {chunk['after'] + 1:,}–{chunk['through']:,}", number, steps)
        for where, record in read_segment(root, Segment.of(chunk)):
            loaded.add(record, where)
    loaded.finish()
    if loaded.count != manifest["events"]["count"]:
        raise RestoreRefused(
            f"{root / MANIFEST}: {loaded.count} events in the chunks, "
            f"{manifest['events']['count']} in the manifest"
        )
    keys_from = stored.get("keys_from")
    for number, day in enumerate(stored["days"], start=len(chunks)):
        tell(f"readings of {day['day']}", number, steps)
        _rows(rows, root, Segment.of(day["values"]), ("r", "u"))
        if day["keys"]:
            _rows(rows, root, Segment.of(day["keys"]), ("k",), lambda r: _held(r, keys_from))
    if stored.get("raw_from") is not None:
        rows.add({"h": stored["raw_from"]})
    rows.finish()
    tell("done", steps, steps)
    return loaded.count


def _rows(
    loader: measurements.Loader,
    root: Path,
    segment: Segment,
    kinds: tuple[str, ...],
    keep: Callable[[dict[str, Any]], bool] = lambda record: True,
) -> None:
    """Load the rows of ``kinds`` of a segment that ``keep`` keeps."""
    for where, record in read_segment(root, segment):
        kind = next(iter(record), None)
        if not measurements.is_row(record) or kind not in kinds:
            raise RestoreRefused(f"{where}: not a row of {' or '.join(kinds)}")
        try:
            if keep(record):
                loader.add(record)
        except (TypeError, ValueError, IndexError) as exc:
            raise RestoreRefused(f"{where}: not a row of measurements ({exc})") from exc


def _held(record: dict[str, Any], keys_from: int | None) -> bool:
    """Whether the database still held a backed-up key: keys are pruned by when they were
    recorded, so it held those recorded at or after the earliest it held (none: no key)."""
    return keys_from is not None and int(record["k"][3]) >= keys_from
