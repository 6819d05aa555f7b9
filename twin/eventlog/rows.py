"""Conversions between rows of ``events`` and the log's value objects."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, func, select

from assets.text import first_unsafe, text_problem
from twin.eventlog.errors import UnstorableText
from twin.eventlog.models import RecordedEvent, utc
from twin.eventlog.schema import events, sqlite_text

#: ``events`` columns in :class:`RecordedEvent` field order.
RECORDED_COLUMNS = [events.c[field.name] for field in fields(RecordedEvent)]


def select_recorded() -> Select[Any]:
    """Return ``SELECT`` of the columns :func:`to_recorded` takes, to refine with ``where``."""
    return select(*RECORDED_COLUMNS)


def to_recorded(row: Sequence[Any]) -> RecordedEvent:
    """Convert a row of :func:`select_recorded` to a :class:`RecordedEvent`."""
    return RecordedEvent(*row)


#: What JSON text (``json.dumps``, ASCII) must contain if it holds a NUL or a surrogate.
_SUSPECT = ("\\u0000", "\\ud")


def _shown(value: str) -> str:
    return repr(value) if text_problem(value) is None else ascii(value)


def check_storable(
    stream: str, type_: str, actor: str, key: str | None, data: Mapping[str, Any] | str
) -> None:
    """Refuse an event holding text the log could not read back, on SQLite or PostgreSQL.

    Parameters
    ----------
    stream, type_, actor, key : str
        The event's text columns (``key`` may be None).
    data : Mapping or str
        Its data, or that data as the JSON text made by ``json.dumps`` (checked fast: only
        data whose JSON holds an escaped NUL or surrogate is walked).

    Raises
    ------
    UnstorableText
        Naming the event, the column or data path, and the problem.
    """
    for where, value in (("stream", stream), ("type", type_), ("actor", actor), ("key", key)):
        problem = text_problem(value) if isinstance(value, str) else None
        if problem is not None:
            raise UnstorableText(where, problem, f"{_shown(type_)} of stream {_shown(stream)}")
    text = data if isinstance(data, str) else json.dumps(data)  # C speed; walked only if suspect
    if not any(mark in text for mark in _SUSPECT):
        return
    if isinstance(data, str):
        data = json.loads(data)
    found = first_unsafe(data, "data")
    if found is not None:
        raise UnstorableText(found[0], found[1], f"{type_!r} of stream {stream!r}")


def stream_version(conn: Connection, stream: str) -> int:
    """Return the stream's current version in ``conn``'s transaction (0: no events)."""
    query = select(func.coalesce(func.max(events.c.version), 0)).where(events.c.stream == stream)
    return int(conn.execute(query).scalar_one())


IN_CLAUSE = 500
"""Values per ``IN (...)`` lookup."""


def stream_versions(conn: Connection, streams: Sequence[str]) -> dict[str, int]:
    """Return the current version of each stream (0 for a new one), 500 streams a query."""
    found = dict.fromkeys(streams, 0)
    for start in range(0, len(streams), IN_CLAUSE):
        query = (
            select(events.c.stream, func.max(events.c.version))
            .where(events.c.stream.in_(streams[start : start + IN_CLAUSE]))
            .group_by(events.c.stream)
        )
        found.update({stream: int(version) for stream, version in conn.execute(query)})
    return found


#: Columns of ``events`` in the order of :func:`insert_many`'s tuples.
COLUMNS = (
    "seq",
    "stream",
    "version",
    "type",
    "effective_at",
    "recorded_at",
    "actor",
    "data",
    "idempotency_key",
)


def time_value(dialect_name: str) -> Callable[[datetime], Any]:
    """Return how the driver of ``dialect_name`` takes an aware datetime for ``events``."""
    return sqlite_text if dialect_name == "sqlite" else utc


def insert_many(conn: Connection, rows: list[tuple[Any, ...]], *, with_seq: bool = False) -> None:
    """Insert rows through the driver's ``executemany``, without per-row SQLAlchemy work.

    Parameters
    ----------
    conn : Connection
        A connection in a write transaction.
    rows : list of tuple
        Values in :data:`COLUMNS` order (without ``seq`` unless ``with_seq``): times as made
        by :func:`time_value`, ``data`` as JSON text.
    with_seq : bool
        Whether the rows carry their ``seq`` (restore).

    Raises
    ------
    UnstorableText
        If a row holds text the log could not read back (nothing is inserted).
    """
    if not rows:
        return
    skip = 1 if with_seq else 0
    for row in rows:
        stream, _version, type_, _at, _rec, actor, data, key = row[skip:]
        check_storable(stream, type_, actor, key, data)
    names = ", ".join(COLUMNS if with_seq else COLUMNS[1:])
    if conn.dialect.name == "postgresql":  # COPY: the fastest way in
        driver = conn.connection.driver_connection
        assert driver is not None
        with driver.cursor() as cursor, cursor.copy(f"COPY events ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" * len(rows[0]))
        conn.exec_driver_sql(f"INSERT INTO events ({names}) VALUES ({marks})", rows)
