"""Finding and setting aside events the log cannot read back (``twin db check``).

A log written before text was checked at the edge may hold events whose text no answer can
carry (a lone surrogate, a NUL) or that no longer decode (not UTF-8, not JSON, a broken
time). Every projection folding such an event fails, so the endpoints showing it answer 500,
after a restart too. :func:`find_unreadable` reads every row as raw text and names them;
:func:`quarantine` moves them, whole and lossless, into ``events_quarantine``.

Stream versions: a quarantined event leaves a gap in its stream's versions. That is
deliberate: history is not rewritten (no other event changes seq or version), appends go on
after the stream's highest version (so nothing conflicts), folds go by ``seq`` and do not
need versions to be contiguous, and the quarantine row keeps the seq, stream and version
that explain the gap.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, text

from assets.text import text_problem
from twin.eventlog.engine import lock_log, writer
from twin.eventlog.errors import UnstorableText
from twin.eventlog.rows import check_storable

_PAGE = 5000
_TEXT = ("stream", "type", "actor", "idempotency_key", "data", "effective_at", "recorded_at")


@dataclass(frozen=True)
class Unreadable:
    """An event the log cannot read back.

    Attributes
    ----------
    seq, version : int
        Its place in the log and in its stream.
    stream : str
        Its stream, escaped as ASCII where it holds unsafe text.
    problem : str
        What cannot be read, for a person.
    record : str
        The whole row as ASCII JSON (lossless: bad text as ``\\udXXX`` escapes).
    """

    seq: int
    version: int
    stream: str
    problem: str
    record: str


def find_unreadable(engine: Engine) -> list[Unreadable]:
    """Return every event of the log at ``engine`` that cannot be read back, in seq order."""
    with engine.connect() as conn:
        return [found for record in _raw_rows(conn) if (found := _check(record)) is not None]


def quarantine(engine: Engine, found: Sequence[Unreadable]) -> int:
    """Move ``found`` from ``events`` to ``events_quarantine`` in one write transaction.

    Returns the number of events moved (those still in the log).
    """
    moved = 0
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    with writer(engine).begin() as conn:
        lock_log(conn)
        restore_guard = _lift_delete_guard(conn)
        for event in found:
            gone = conn.execute(text("DELETE FROM events WHERE seq = :seq"), {"seq": event.seq})
            if gone.rowcount:
                conn.execute(
                    text(
                        "INSERT INTO events_quarantine "
                        "(seq, stream, version, problem, quarantined_at, record) "
                        "VALUES (:seq, :stream, :version, :problem, :stamp, :record)"
                    ),
                    {
                        "seq": event.seq,
                        "stream": event.stream,
                        "version": event.version,
                        "problem": event.problem,
                        "stamp": stamp,
                        "record": event.record,
                    },
                )
                moved += 1
        restore_guard()
    return moved


def _lift_delete_guard(conn: Connection) -> Callable[[], object]:
    """Lift the log's append-only guard against DELETE inside this transaction only (the one
    sanctioned exception: quarantine); returns what puts it back before the commit."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("ALTER TABLE events DISABLE TRIGGER events_append_only"))
        return lambda: conn.execute(text("ALTER TABLE events ENABLE TRIGGER events_append_only"))
    guard = conn.execute(
        text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'events_no_delete'")
    ).scalar_one()
    conn.execute(text("DROP TRIGGER events_no_delete"))
    return lambda: conn.execute(text(guard))


def _raw_rows(conn: Connection) -> Iterator[dict[str, Any]]:
    """Every row, text columns as bytes (SQLite) or text (PostgreSQL), a page at a time."""
    if conn.dialect.name == "sqlite":  # as bytes: a text the driver could not decode is named
        columns = ", ".join(f"CAST({name} AS BLOB) AS {name}" for name in _TEXT)
    else:
        columns = ", ".join(f"CAST({name} AS TEXT) AS {name}" for name in _TEXT)
    query = text(
        f"SELECT seq, version, {columns} FROM events WHERE seq > :last ORDER BY seq LIMIT {_PAGE}"
    )
    last = 0
    while True:
        page = [dict(row._mapping) for row in conn.execute(query, {"last": last})]
        yield from page
        if len(page) < _PAGE:
            return
        last = page[-1]["seq"]


def _check(record: dict[str, Any]) -> Unreadable | None:
    values: dict[str, Any] = {"seq": record["seq"], "version": record["version"]}
    problems: list[str] = []
    for name in _TEXT:
        raw = record[name]
        if isinstance(raw, bytes | memoryview):
            try:
                raw = bytes(raw).decode("utf-8")
            except UnicodeDecodeError as exc:
                problems.append(f"{name} is not UTF-8 text ({exc.reason} at byte {exc.start})")
                raw = bytes(raw).decode("utf-8", "surrogateescape")
        values[name] = raw
    if not problems:
        problems.extend(_content_problems(values))
    if not problems:
        return None
    record_json = json.dumps(values, ensure_ascii=True)
    return Unreadable(
        values["seq"], values["version"], _shown(values["stream"]), "; ".join(problems), record_json
    )


def _shown(value: str) -> str:
    return value if text_problem(value) is None else ascii(value)[1:-1]


def _content_problems(values: dict[str, Any]) -> list[str]:
    try:
        data = json.loads(values["data"])
    except (TypeError, ValueError) as exc:
        return [f"data is not JSON ({exc})"]
    if not isinstance(data, dict):
        return ["data is not a JSON object"]
    for name in ("effective_at", "recorded_at"):
        try:
            datetime.fromisoformat(values[name])
        except (TypeError, ValueError):
            return [f"{name} {values[name]!r} is not a time"]
    try:
        check_storable(
            values["stream"], values["type"], values["actor"], values["idempotency_key"], data
        )
    except UnstorableText as exc:
        return [f"{exc.where} {exc.problem}"]
    return []
