"""Idempotent retries, the log's one mechanism: an append whose first key is recorded replays
the original write; the keys of readings already recorded are skipped."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, select

from twin.eventlog.errors import IdempotencyConflict
from twin.eventlog.models import NewEvent, RecordedEvent
from twin.eventlog.rows import IN_CLAUSE, select_recorded, to_recorded
from twin.eventlog.schema import events


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), IN_CLAUSE):
        yield items[start : start + IN_CLAUSE]


def _origins(conn: Connection, keys: Sequence[str]) -> dict[str, Any]:
    """Recorded ``keys`` -> their row (key, stream, seq)."""
    found: dict[str, Any] = {}
    for part in _chunks(keys):
        query = select(events.c.idempotency_key, events.c.stream, events.c.seq).where(
            events.c.idempotency_key.in_(part)
        )
        found.update({row.idempotency_key: row for row in conn.execute(query)})
    return found


def recorded_keys(conn: Connection, keys: Sequence[str]) -> set[str]:
    """The ``keys`` that the log already holds."""
    return set(_origins(conn, keys))


def find_replay(
    conn: Connection, batches: Sequence[tuple[str, Sequence[NewEvent]]]
) -> list[RecordedEvent] | None:
    """Return the recorded events a retried append stands for, or None if it is new.

    ``batches`` are ``(stream, events)`` in append order. The append is a retry when its
    first event's key is recorded: the events recorded from that one on (one append is
    contiguous in ``seq``) must then match it stream by stream, type by type and key by key.

    Raises
    ------
    IdempotencyConflict
        If a key of the append is recorded but the append is not a retry of that write.
    """
    flat = [(stream, event) for stream, batch in batches for event in batch]
    keys = [event.idempotency_key for _, event in flat if event.idempotency_key is not None]
    if not keys:
        return None
    found = _origins(conn, keys)
    if not found:
        return None
    first = flat[0][1].idempotency_key
    if first is None or first not in found:
        key = next(iter(found))
        raise IdempotencyConflict(key, "this batch's first event does not carry a recorded key")
    origin = found[first]
    if origin.stream != flat[0][0]:
        raise IdempotencyConflict(first, f"it was recorded on stream {origin.stream!r}")
    query = select_recorded().where(events.c.seq >= origin.seq).order_by(events.c.seq)
    recorded = [to_recorded(row) for row in conn.execute(query.limit(len(flat)))]
    same = len(recorded) == len(flat) and all(
        old.stream == stream
        and new.type == old.type
        and new.idempotency_key in (None, old.idempotency_key)
        for (stream, new), old in zip(flat, recorded, strict=False)
    )
    if not same:
        raise IdempotencyConflict(
            first, "the batch differs from the recorded one (streams, types or keys)"
        )
    return recorded


def event_key(key: str, index: int) -> str:
    """The key of the ``index``-th event (0-based) of an append made under ``key``:
    ``key``, ``key#1``, ``key#2``... so each event's key stays unique."""
    return key if index == 0 else f"{key}#{index}"


def recorded_append(conn: Connection, key: str, page: int = 64) -> list[RecordedEvent]:
    """The events recorded under ``key`` and its :func:`event_key` successors (empty: none),
    in append order; one indexed lookup when the key is new."""
    found: list[RecordedEvent] = []
    while True:
        wanted = [event_key(key, i) for i in range(len(found), len(found) + (page if found else 1))]
        query = select_recorded().where(events.c.idempotency_key.in_(wanted))
        rows = {row.idempotency_key: to_recorded(row) for row in conn.execute(query)}
        for wanted_key in wanted:
            if wanted_key not in rows:
                return found
            found.append(rows[wanted_key])
