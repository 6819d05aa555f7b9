"""The append-only event store: optimistic appends, idempotent retries, reads by seq.

Appends are serialised by the log's write lock (SQLite ``BEGIN IMMEDIATE``; a PostgreSQL
transaction-scoped advisory lock), so sequence numbers become visible in commit order and a
reader catching up with ``read(since_seq=...)`` never skips an event. The ``UNIQUE(stream,
version)`` and ``UNIQUE(idempotency_key)`` constraints stay the last line of defence: an
``IntegrityError`` is re-examined in a fresh transaction and reported as a conflict or replay.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError

from twin.eventlog.bulk import BulkWriter
from twin.eventlog.engine import lock_log, make_engine, writer
from twin.eventlog.errors import VersionConflict
from twin.eventlog.idempotency import find_replay
from twin.eventlog.migrate import upgrade_engine
from twin.eventlog.models import NewEvent, RecordedEvent, utc
from twin.eventlog.rows import check_storable, event_row, select_recorded, to_recorded
from twin.eventlog.rows import stream_version as version_in
from twin.eventlog.schema import events as table

#: Attempts of one append when the database reports a race (integrity or serialization).
MAX_ATTEMPTS = 3
_RETRYABLE_SQLSTATES = {"40001", "40P01"}  # serialization failure, deadlock detected


class EventStore:
    """The twin's event log on one database (see :func:`open_store`).

    Parameters
    ----------
    engine : Engine
        An engine made by :func:`twin.eventlog.engine.make_engine`, migrated to head.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = writer(engine)

    @property
    def dialect(self) -> str:
        """Backend name: ``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    def close(self) -> None:
        """Release the store's connections."""
        self.engine.dispose()

    def __enter__(self) -> EventStore:
        return self

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"EventStore({self.engine.url.render_as_string(hide_password=True)!r})"

    # -- writing -------------------------------------------------------------------------

    def append(
        self, stream: str, expected_version: int, events: Sequence[NewEvent]
    ) -> list[RecordedEvent]:
        """Append events to a stream atomically, as versions ``expected_version + 1, ...``.

        Parameters
        ----------
        stream : str
            The stream, e.g. ``"unit:fish-head-t1/L12/U03"``.
        expected_version : int
            The stream's version the caller decided on (0: a new stream).
        events : sequence of NewEvent
            One or more events, written all or none.

        Returns
        -------
        list of RecordedEvent
            The events as recorded, in version order.

        Raises
        ------
        VersionConflict
            If the stream is not at ``expected_version``; nothing is written.
        IdempotencyConflict
            If a batch reuses a recorded idempotency key but is not a retry of its write.
        UnstorableText
            If an event holds text the log could not read back (a lone surrogate or a NUL in
            the stream, type, actor, key or data); nothing is written.

        Notes
        -----
        Idempotency is per batch and decided by its first event's key. If that key is in the
        log, the append is a replay: nothing is written and the originally recorded events
        (versions ``v .. v + n - 1`` of the stream, ``v`` the key's version) are returned,
        whatever ``expected_version`` says. A batch that is not such a retry (another stream,
        another length or types, keys that differ, or a recorded key on a later event only)
        raises :class:`IdempotencyConflict`.
        """
        batch = _checked_batch(stream, expected_version, events)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                with self._writer.begin() as conn:
                    return _append(conn, stream, expected_version, batch)
            except IntegrityError:  # a racing writer won: the next attempt reports how
                if attempt == MAX_ATTEMPTS:
                    raise
            except OperationalError as exc:
                sqlstate = getattr(exc.orig, "sqlstate", None)
                if sqlstate not in _RETRYABLE_SQLSTATES or attempt == MAX_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def append_many(
        self,
        batches: Iterable[tuple[str, int, Sequence[NewEvent]]],
        *,
        chunk_size: int = 10_000,
    ) -> int:
        """Append many batches in one transaction (bulk loading, benchmarks).

        Each item is ``(stream, expected_version, events)`` with the same rule as
        :meth:`append`; a later item for the same stream continues from the earlier one.
        Either every event is written or, on any conflict, none is. Recorded idempotency
        keys are refused (no replay in bulk).

        Returns
        -------
        int
            Number of events written.
        """
        with self._writer.begin() as conn:
            lock_log(conn)
            bulk = BulkWriter(conn, chunk_size=chunk_size)
            for stream, expected_version, events in batches:
                bulk.add(stream, expected_version, _checked_batch(stream, expected_version, events))
            return bulk.finish()

    # -- reading -------------------------------------------------------------------------

    def stream_version(self, stream: str) -> int:
        """Return the stream's current version (0 if it has no events)."""
        with self.engine.connect() as conn:
            return version_in(conn, stream)

    def read_stream(self, stream: str, after_version: int = 0) -> list[RecordedEvent]:
        """Return the stream's events with version > ``after_version``, in version order."""
        query = (
            select_recorded()
            .where(table.c.stream == stream, table.c.version > after_version)
            .order_by(table.c.version)
        )
        with self.engine.connect() as conn:
            return [to_recorded(row) for row in conn.execute(query)]

    def read(
        self,
        since_seq: int = 0,
        limit: int | None = 1000,
        *,
        stream: str | None = None,
        stream_prefix: str | None = None,
        types: str | Iterable[str] | None = None,
        until_effective: datetime | None = None,
    ) -> list[RecordedEvent]:
        """Return events with ``seq > since_seq`` in seq order, filtered.

        Parameters
        ----------
        since_seq : int
            Last seq the caller has seen (0: from the start).
        limit : int or None
            At most this many events (None: all).
        stream : str, optional
            Only this stream.
        stream_prefix : str, optional
            Only streams starting with this text (case-sensitive), e.g. ``"unit:"``.
        types : str or iterable of str, optional
            Only these event types.
        until_effective : datetime, optional
            Only events with ``effective_at <= until_effective`` (aware): time travel.
        """
        query = select_recorded().where(table.c.seq > since_seq)
        if stream is not None:
            query = query.where(table.c.stream == stream)
        if stream_prefix:
            head = func.substr(table.c.stream, 1, len(stream_prefix))
            query = query.where(head == stream_prefix)
        if types is not None:
            wanted = [types] if isinstance(types, str) else list(types)
            if not wanted:
                return []
            query = query.where(table.c.type.in_(wanted))
        if until_effective is not None:
            query = query.where(table.c.effective_at <= utc(until_effective, "until_effective"))
        query = query.order_by(table.c.seq)
        if limit is not None:
            if limit < 1:
                raise ValueError(f"limit must be at least 1, not {limit}")
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return [to_recorded(row) for row in conn.execute(query)]

    def iter_all(
        self, batch: int = 5000, *, since_seq: int = 0, **filters: Any
    ) -> Iterator[RecordedEvent]:
        """Yield every event (``seq > since_seq``) in seq order, reading ``batch`` at a time.

        ``filters`` are those of :meth:`read`.
        """
        last = since_seq
        while True:
            page = self.read(since_seq=last, limit=batch, **filters)
            yield from page
            if len(page) < batch:
                return
            last = page[-1].seq

    def head(self) -> int:
        """Return the last seq in the log (0 if the log is empty)."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.coalesce(func.max(table.c.seq), 0))).scalar_one())

    def count(self) -> int:
        """Return the number of events in the log."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def open_store(url: str) -> EventStore:
    """Open the event log at ``url``, migrating its database to head.

    Parameters
    ----------
    url : str
        ``sqlite:///path/to/twin.db`` (the parent directory is created) or
        ``postgresql+psycopg://user@host/db``.
    """
    engine = make_engine(url)
    try:
        upgrade_engine(engine)
    except BaseException:
        engine.dispose()
        raise
    return EventStore(engine)


def _append(
    conn: Connection, stream: str, expected_version: int, batch: list[NewEvent]
) -> list[RecordedEvent]:
    lock_log(conn)
    replay = find_replay(conn, stream, batch)
    if replay is not None:
        return replay
    actual = version_in(conn, stream)
    if actual != expected_version:
        raise VersionConflict(stream, expected_version, actual)
    recorded_at = datetime.now(UTC)
    rows = [
        event_row(stream, expected_version + i, event, recorded_at)
        for i, event in enumerate(batch, start=1)
    ]
    conn.execute(insert(table), rows)
    query = (
        select_recorded()
        .where(table.c.stream == stream, table.c.version > expected_version)
        .order_by(table.c.version)
    )
    return [to_recorded(row) for row in conn.execute(query)]


def _checked_batch(
    stream: str, expected_version: int, events: Sequence[NewEvent]
) -> list[NewEvent]:
    if not isinstance(stream, str) or not stream:
        raise ValueError("stream must be a non-empty string")
    if isinstance(expected_version, bool) or not isinstance(expected_version, int):
        raise TypeError(f"expected_version must be an int, not {type(expected_version).__name__}")
    if expected_version < 0:
        raise ValueError(f"expected_version must be 0 (new stream) or more, not {expected_version}")
    batch = list(events)
    if not batch:
        raise ValueError(f"nothing to append to stream {stream!r}: the batch is empty")
    for event in batch:
        if not isinstance(event, NewEvent):
            raise TypeError(f"append takes NewEvent objects, not {type(event).__name__}")
        check_storable(stream, event.type, event.actor, event.idempotency_key, event.data)
    keys = [e.idempotency_key for e in batch if e.idempotency_key is not None]
    if len(keys) != len(set(keys)):
        raise ValueError(f"a batch for stream {stream!r} repeats an idempotency key")
    return batch
