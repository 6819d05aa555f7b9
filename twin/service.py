"""The service layer: a command is decided by a pure function and appended with the stream
version it was decided on; a conflict means someone else wrote first."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from assets.events import DomainEvent
from twin.eventlog import EventStore, NewEvent, RecordedEvent, VersionConflict
from twin.projection import Projection


class PreconditionFailed(Exception):
    """The stream is not at the version the caller saw (HTTP If-Match): nothing was written."""

    def __init__(self, stream: str, expected: int, actual: int):
        self.stream, self.expected, self.actual = stream, expected, actual
        super().__init__(
            f"{stream} is at version {actual}, not {expected} as the request expects (If-Match): "
            "reload it and decide again"
        )


Decide = Callable[[dict[str, Any]], Sequence[DomainEvent]]
"""A pure decision: the stream's current state -> events, or raises DomainError."""


def to_new_events(events: Sequence[DomainEvent], actor: str, key: str | None) -> list[NewEvent]:
    """Domain events as log entries; a key is suffixed per event so each stays unique."""
    return [
        NewEvent(
            type=e.type,
            data=dict(e.data),
            effective_at=e.effective_at,
            actor=actor,
            idempotency_key=None if key is None else (key if i == 0 else f"{key}#{i}"),
        )
        for i, e in enumerate(events)
    ]


def execute(
    store: EventStore,
    projection: Projection,
    stream: str,
    decide: Decide,
    *,
    actor: str,
    idempotency_key: str | None = None,
    retries: int = 0,
    if_version: int | None = None,
) -> list[RecordedEvent]:
    """Decide on the stream's latest state and append the result.

    ``retries`` > 0 only for idempotent commands: on a conflict the state is re-read and
    the decision taken again; otherwise :class:`VersionConflict` reaches the caller.
    ``if_version``: the version the caller saw (If-Match); another one raises
    :class:`PreconditionFailed` before anything is decided.
    """
    for attempt in range(retries + 1):
        projection.catch_up(store)
        state, version = projection.latest(stream)
        if if_version is not None and version != if_version:
            raise PreconditionFailed(stream, if_version, version)
        events = decide(state)
        if not events:
            return []
        try:
            recorded = store.append(stream, version, to_new_events(events, actor, idempotency_key))
        except VersionConflict:
            if attempt == retries:
                raise
            continue
        projection.catch_up(store)
        return recorded
    raise AssertionError("unreachable")
