"""Idempotent retries: a batch whose first key is in the log replays the original write."""

from __future__ import annotations

from sqlalchemy import Connection, select

from twin.eventlog.errors import IdempotencyConflict
from twin.eventlog.models import NewEvent, RecordedEvent
from twin.eventlog.rows import select_recorded, to_recorded
from twin.eventlog.schema import events


def find_replay(conn: Connection, stream: str, batch: list[NewEvent]) -> list[RecordedEvent] | None:
    """Return the recorded events a retried ``batch`` stands for, or None if it is new.

    Raises
    ------
    IdempotencyConflict
        If a key of the batch is recorded but the batch is not a retry of that write.
    """
    keys = [event.idempotency_key for event in batch if event.idempotency_key is not None]
    if not keys:
        return None
    query = select(events.c.idempotency_key, events.c.stream, events.c.version).where(
        events.c.idempotency_key.in_(keys)
    )
    found = {row.idempotency_key: row for row in conn.execute(query)}
    if not found:
        return None
    first = batch[0].idempotency_key
    if first is None or first not in found:
        key = next(iter(found))
        raise IdempotencyConflict(key, "this batch's first event does not carry a recorded key")
    origin = found[first]
    if origin.stream != stream:
        raise IdempotencyConflict(first, f"it was recorded on stream {origin.stream!r}")
    query = (
        select_recorded()
        .where(
            events.c.stream == stream,
            events.c.version >= origin.version,
            events.c.version < origin.version + len(batch),
        )
        .order_by(events.c.version)
    )
    recorded = [to_recorded(row) for row in conn.execute(query)]
    same = len(recorded) == len(batch) and all(
        new.type == old.type and new.idempotency_key in (None, old.idempotency_key)
        for new, old in zip(batch, recorded, strict=False)
    )
    if not same:
        raise IdempotencyConflict(first, "the batch differs from the recorded one (types or keys)")
    return recorded
