"""The lines of a backup: one JSON object a line, events as their rows, and the reader of
format 1 and 2 backups (one JSON Lines file, gzip-compressed or not).

A format 2 file is a header line, one line per event in seq order, then one line per row of
the measurements store (:mod:`twin.eventlog.measurements.dump`), and a trailer line with the
counts, so a truncated file is refused. Format 1 held events only. Both are still restored;
backups are written as format 3 (:mod:`twin.eventlog.backup`).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any, cast

import orjson
from sqlalchemy import Connection, text

from twin.eventlog.errors import RestoreRefused, UnstorableText
from twin.eventlog.measurements import dump as measurements
from twin.eventlog.rows import COLUMNS, check_storable, insert_many, time_value

LEGACY_FORMAT = "flying-fish-twin/eventlog"
LEGACY_VERSIONS = (1, 2)
CHUNK = 5000
_TIMES = ("effective_at", "recorded_at")


def encode(record: dict[str, Any]) -> bytes:
    """One line of a backup (with its newline); aware datetimes as RFC 3339."""
    try:
        line = orjson.dumps(record)  # fast
    except TypeError:  # integers beyond 64 bits
        line = json.dumps(record, default=datetime.isoformat, separators=(",", ":")).encode()
    return line + b"\n"


def lines(source: Iterable[bytes], name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """The JSON objects of ``source`` with their line numbers (``name`` names it in errors)."""
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RestoreRefused(f"{name}:{number}: not JSON ({exc.msg})") from exc
        if not isinstance(record, dict):
            raise RestoreRefused(f"{name}:{number}: not a JSON object")
        yield number, record


class EventLoader:
    """Inserts backed-up events, a chunk at a time, in the caller's transaction."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._time = time_value(conn.dialect.name)
        self._rows: list[tuple[Any, ...]] = []
        self.count = 0

    def add(self, record: dict[str, Any], where: str) -> None:
        """Queue one event line (``where``: file and line number, for errors)."""
        try:
            self._rows.append(event_row(record, self._time))
        except (KeyError, TypeError, ValueError) as exc:
            raise RestoreRefused(f"{where}: not an event ({exc})") from exc
        except UnstorableText as exc:
            raise RestoreRefused(
                f"{where}: event seq {record.get('seq')} cannot be restored: {exc} "
                "(`twin db check --quarantine` on the source log sets such events aside)"
            ) from exc
        self.count += 1
        if len(self._rows) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        """Insert what is queued."""
        insert_many(self._conn, self._rows, with_seq=True)
        self._rows = []

    def finish(self) -> None:
        """Insert what is queued and move PostgreSQL's seq sequence past the restored seqs."""
        self.flush()
        if self._conn.dialect.name == "postgresql":
            self._conn.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('events', 'seq'), "
                    "COALESCE(MAX(seq), 1), MAX(seq) IS NOT NULL) FROM events"
                )
            )


def event_row(record: dict[str, Any], time: Callable[[datetime], Any]) -> tuple[Any, ...]:
    """The row of ``events`` an event line stands for (its text checked)."""
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


def load_legacy(conn: Connection, path: Path) -> int:
    """Load a format 1 or 2 file into the caller's empty log; returns the events loaded."""
    with open_legacy(path) as source:
        found = lines(source, str(path))
        first = next(found, None)
        if first is None or first[1].get("format") != LEGACY_FORMAT:
            raise RestoreRefused(
                f"{path} is not a twin backup (no {LEGACY_FORMAT!r} header, no manifest.json)"
            )
        if first[1].get("format_version") not in LEGACY_VERSIONS:
            raise RestoreRefused(f"{path}: backup format {first[1].get('format_version')} unknown")
        events, rows = EventLoader(conn), measurements.Loader(conn)
        trailer: dict[str, Any] | None = None
        for number, record in found:
            if trailer is not None:
                raise RestoreRefused(f"{path}:{number}: data after the end of the backup")
            if record.get("end") is True:
                trailer = record
            elif measurements.is_row(record):
                try:
                    rows.add(record)
                except (TypeError, ValueError, IndexError) as exc:
                    raise RestoreRefused(
                        f"{path}:{number}: not a row of measurements ({exc})"
                    ) from exc
            else:
                events.add(record, f"{path}:{number}")
    events.finish()
    rows.finish()
    if trailer is None or trailer.get("count") != events.count:
        raise RestoreRefused(f"{path} is truncated: {events.count} events and no matching end line")
    if trailer.get("measurements", 0) != rows.count:
        raise RestoreRefused(
            f"{path} is truncated: {rows.count} rows of measurements, "
            f"{trailer.get('measurements')} at the end line"
        )
    return events.count


def open_legacy(path: Path) -> IO[bytes]:
    """A format 1 or 2 file for reading, decompressed if it is gzip."""
    with path.open("rb") as probe:
        compressed = probe.read(2) == b"\x1f\x8b"
    if compressed:
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")
