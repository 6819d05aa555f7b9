"""The one write path of commands: read the streams, decide, append at the versions read.

A command names the streams it reads and a pure decision ``decide(states, now) -> events``
(raising a domain error to refuse). :func:`run_command` reads the streams' latest states and
versions from the projection, decides, and appends every stream the events name in one
transaction at the version it read (:meth:`~twin.eventlog.EventStore.append_streams`). If
another writer got there first the append raises :class:`VersionConflict`; a command that may
be decided again (``retries`` > 0) catches up and decides on the new state, else the conflict
reaches the caller. A command given an idempotency key is answered from the log when the key
is recorded (a retry is not decided again: a stage cannot start twice), and two racing
retries are told apart by the log itself (one writes, the other replays).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime

from assets.events import DomainEvent
from assets.history import State
from twin.eventlog import (
    EventStore,
    IdempotencyConflict,
    NewEvent,
    RecordedEvent,
    VersionConflict,
    event_key,
)
from twin.projection import Projection

Decide = Callable[[Mapping[str, State], datetime], Sequence[DomainEvent]]
"""A pure decision: the read streams' states and the decision time -> events (every one on a
read stream), or raises a domain error (nothing is written)."""

BACKOFF = 0.01
"""Upper bound of the random pause before the n-th retry, times n, s."""


class PreconditionFailed(Exception):
    """The stream is not at the version the caller saw (HTTP If-Match): nothing was written."""

    def __init__(self, stream: str, expected: int, actual: int):
        self.stream, self.expected, self.actual = stream, expected, actual
        super().__init__(
            f"{stream} is at version {actual}, not {expected} as the request expects (If-Match): "
            "reload it and decide again"
        )


def to_new_events(events: Sequence[DomainEvent], actor: str, key: str | None) -> list[NewEvent]:
    """Domain events as log entries; a key is suffixed per event (``key``, ``key#1``...)."""
    return [
        NewEvent(
            type=e.type,
            data=dict(e.data),
            effective_at=e.effective_at,
            actor=actor,
            idempotency_key=None if key is None else event_key(key, i),
        )
        for i, e in enumerate(events)
    ]


def run_command(
    store: EventStore,
    projection: Projection,
    streams: Iterable[str],
    decide: Decide,
    *,
    actor: str,
    idempotency_key: str | None = None,
    retries: int = 0,
    if_versions: Mapping[str, int] | None = None,
    now: datetime | None = None,
) -> list[RecordedEvent]:
    """Decide a command on the latest state of ``streams`` and append its events atomically.

    Parameters
    ----------
    store : EventStore
        The log (or a view of it with the same ``read``, ``append_streams`` and
        ``recorded_under``).
    projection : Projection
        Caught up from ``store`` before each decision and after the append.
    streams : iterable of str
        The streams the decision reads; every event must be on one of them.
    decide : Decide
        The pure decision.
    actor : str
        Who runs the command (recorded on each event).
    idempotency_key : str, optional
        A retry under a recorded key returns the events first recorded, undecided.
    retries : int
        Decisions taken again after a :class:`VersionConflict` (0: the conflict is raised).
    if_versions : mapping of str to int, optional
        Versions the caller saw (HTTP If-Match); another raises :class:`PreconditionFailed`
        before anything is decided.
    now : datetime, optional
        The decision time (default: the clock, read at each decision).

    Returns
    -------
    list of RecordedEvent
        The events recorded (or replayed), in append order; empty if the decision was none.

    Raises
    ------
    IdempotencyConflict
        If ``idempotency_key`` was recorded by a command on other streams.
    VersionConflict
        If a stream changed between the read and the append, ``retries`` times over.
    PreconditionFailed
        If a stream is not at its ``if_versions`` version.
    """
    wanted = list(dict.fromkeys(streams))
    if idempotency_key is not None:
        replay = store.recorded_under(idempotency_key)
        others = sorted({e.stream for e in replay} - set(wanted))
        if others:
            raise IdempotencyConflict(idempotency_key, f"it was recorded on stream {others[0]!r}")
        if replay:
            return replay
    for attempt in range(retries + 1):
        projection.catch_up(store)
        latest = {s: projection.latest(s) for s in wanted}
        for stream, expected in (if_versions or {}).items():
            if latest[stream][1] != expected:
                raise PreconditionFailed(stream, expected, latest[stream][1])
        states = {s: state for s, (state, _) in latest.items()}
        events = decide(states, now or datetime.now(UTC))
        if not events:
            return []
        try:
            recorded = store.append_streams(_batches(events, latest, actor, idempotency_key))
        except VersionConflict:
            if attempt == retries:
                raise
            time.sleep(random.uniform(0, BACKOFF * (attempt + 1)))
            continue
        projection.catch_up(store)
        return recorded
    raise AssertionError("unreachable")  # pragma: no cover


def _batches(
    events: Sequence[DomainEvent],
    latest: Mapping[str, tuple[State, int]],
    actor: str,
    key: str | None,
) -> list[tuple[str, int, list[NewEvent]]]:
    """The events grouped by stream (first appearance order), each at the version read."""
    by_stream: dict[str, list[DomainEvent]] = {}
    for e in events:
        if e.stream not in latest:
            raise AssertionError(f"the decision wrote {e.stream!r}, which it did not read")
        by_stream.setdefault(e.stream, []).append(e)
    ordered = [e for batch in by_stream.values() for e in batch]
    new = iter(to_new_events(ordered, actor, key))
    return [
        (stream, latest[stream][1], [next(new) for _ in batch])
        for stream, batch in by_stream.items()
    ]
