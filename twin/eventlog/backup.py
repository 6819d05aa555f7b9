"""Portable backups of the whole log: JSON Lines, gzip-compressed when the name ends in .gz.

A backup is a header line, one line per event in seq order, then one line per row of the
measurements store (series, raw readings, rollups, recent keys: see
:mod:`twin.eventlog.measurements.dump`), and a trailer line with the counts, so a truncated
file is refused rather than half restored. Format 1 (events only, before the measurements
store) is still restored.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

import orjson
from sqlalchemy import Connection, func, select, text

from twin.eventlog.engine import lock_log, writer
from twin.eventlog.errors import RestoreRefused, UnstorableText
from twin.eventlog.measurements import dump as measurements
from twin.eventlog.rows import COLUMNS, check_storable, insert_many, time_value
from twin.eventlog.schema import events

if TYPE_CHECKING:
    from twin.eventlog.store import EventStore

FORMAT = "flying-fish-twin/eventlog"
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
_CHUNK = 5000
_TIMES = ("effective_at", "recorded_at")


def backup(store: EventStore, path: str | Path) -> int:
    """Write every event of ``store`` and its measurements to ``path``; return the number of
    events written.

    The file is written beside ``path`` and renamed into place, so ``path`` is either the
    previous file or a complete backup. Everything is read in one transaction (repeatable
    read on PostgreSQL): a consistent snapshot, taken while writers carry on.
    """
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    count = last = rows = 0
    snapshot = store.engine
    if store.dialect == "postgresql":
        snapshot = snapshot.execution_options(isolation_level="REPEATABLE READ")
    try:
        with _open(partial, "w") as out, snapshot.begin() as conn:
            header = {"format": FORMAT, "format_version": FORMAT_VERSION}
            _write(out, header | {"created_at": datetime.now(UTC)})
            query = select(events).order_by(events.c.seq)
            for row in conn.execution_options(yield_per=_CHUNK).execute(query):
                _write(out, row._asdict())
                count, last = count + 1, row.seq
            for record in measurements.dump(conn):
                _write(out, record)
                rows += 1
            _write(out, {"end": True, "count": count, "head": last, "measurements": rows})
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return count


def restore(store: EventStore, path: str | Path) -> int:
    """Load a backup into the empty log of ``store``; return the number of events.

    Every event keeps its seq, stream, version, type, data, times, actor and key; the
    measurements store gets back its series, readings, rollups and keys. All or nothing:
    one transaction.

    Raises
    ------
    RestoreRefused
        If the log already holds events, or the file is not a complete backup.
    """
    path = Path(path)
    with writer(store.engine).begin() as conn:
        lock_log(conn)
        present = conn.execute(select(func.count()).select_from(events)).scalar_one()
        if present or not measurements.is_empty(conn):
            raise RestoreRefused(
                f"restore refused: the log at {store.engine.url.render_as_string()} already "
                f"holds {present} events; restore only into an empty database"
            )
        with _open(path, "r") as source:
            count = _load(conn, path, _lines(source, path))
        if conn.dialect.name == "postgresql":
            conn.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('events', 'seq'), "
                    "COALESCE(MAX(seq), 1), MAX(seq) IS NOT NULL) FROM events"
                )
            )
    return count


def _load(conn: Connection, path: Path, lines: Iterator[tuple[int, dict[str, Any]]]) -> int:
    first = next(lines, None)
    if first is None or first[1].get("format") != FORMAT:
        raise RestoreRefused(f"{path} is not a twin event-log backup (no {FORMAT!r} header)")
    if first[1].get("format_version") not in READABLE_VERSIONS:
        raise RestoreRefused(f"{path}: backup format {first[1].get('format_version')} unknown")
    time = time_value(conn.dialect.name)
    rows: list[tuple[Any, ...]] = []
    count = 0
    trailer: dict[str, Any] | None = None
    loader = measurements.Loader(conn)
    for number, record in lines:
        if trailer is not None:
            raise RestoreRefused(f"{path}:{number}: data after the end of the backup")
        if record.get("end") is True:
            trailer = record
            continue
        if measurements.is_row(record):
            try:
                loader.add(record)
            except (TypeError, ValueError, IndexError) as exc:
                raise RestoreRefused(f"{path}:{number}: not a row of measurements ({exc})") from exc
            continue
        try:
            rows.append(_row(record, time))
        except (KeyError, TypeError, ValueError) as exc:
            raise RestoreRefused(f"{path}:{number}: not an event ({exc})") from exc
        except UnstorableText as exc:
            raise RestoreRefused(
                f"{path}:{number}: event seq {record.get('seq')} cannot be restored: {exc} "
                "(`twin db check --quarantine` on the source log sets such events aside)"
            ) from exc
        count += 1
        if len(rows) >= _CHUNK:
            insert_many(conn, rows, with_seq=True)
            rows = []
    insert_many(conn, rows, with_seq=True)
    loader.finish()
    if trailer is None or trailer.get("count") != count:
        raise RestoreRefused(f"{path} is truncated: {count} events and no matching end line")
    if trailer.get("measurements", 0) != loader.count:
        raise RestoreRefused(
            f"{path} is truncated: {loader.count} rows of measurements, "
            f"{trailer.get('measurements')} at the end line"
        )
    return count


def _row(record: dict[str, Any], time: Callable[[datetime], Any]) -> tuple[Any, ...]:
    values = [record[name] for name in COLUMNS]
    for name in _TIMES:
        values[COLUMNS.index(name)] = time(datetime.fromisoformat(record[name]))
    if not isinstance(record["data"], dict):
        raise TypeError("data is not an object")
    values[COLUMNS.index("data")] = json.dumps(record["data"], allow_nan=False)
    data = values[COLUMNS.index("data")]  # JSON text: checked fast
    check_storable(
        record["stream"], record["type"], record["actor"], record["idempotency_key"], data
    )
    return tuple(values)


def _lines(source: IO[bytes], path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RestoreRefused(f"{path}:{number}: not JSON ({exc.msg})") from exc
        if not isinstance(record, dict):
            raise RestoreRefused(f"{path}:{number}: not a JSON object")
        yield number, record


def _open(path: Path, mode: str) -> IO[bytes]:
    if mode == "r":
        with path.open("rb") as probe:
            compressed = probe.read(2) == b"\x1f\x8b"
    else:
        compressed = path.name.removesuffix(".partial").endswith(".gz")
    if compressed:
        return cast(IO[bytes], gzip.open(path, mode + "b", compresslevel=6))
    return path.open(mode + "b")


def _write(out: IO[bytes], record: dict[str, Any]) -> None:
    try:
        line = orjson.dumps(record)  # fast; writes aware datetimes as RFC 3339
    except TypeError:  # integers beyond 64 bits
        line = json.dumps(record, default=datetime.isoformat, separators=(",", ":")).encode()
    out.write(line + b"\n")
