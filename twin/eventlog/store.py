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

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from twin.eventlog.bulk import BulkWriter
from twin.eventlog.engine import lock_log, make_engine, writer
from twin.eventlog.idempotency import find_replay, recorded_append
from twin.eventlog.measurements import (
    Measurement,
    Readings,
    Retention,
    Skipped,
    provenance,
    retention,
)
from twin.eventlog.measurements.write import record as record_measurements
from twin.eventlog.migrate import upgrade_engine
from twin.eventlog.models import NewEvent, RecordedEvent, utc
from twin.eventlog.observations import Observation, append_observations
from twin.eventlog.rows import check_storable, select_recorded, to_recorded
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
    read_engine : Engine, optional
        An engine on a read replica of ``engine``'s database, for :attr:`history`.
    """

    def __init__(self, engine: Engine, read_engine: Engine | None = None) -> None:
        self.engine = engine
        self._writer = writer(engine)
        self._read_engine = read_engine
        self.readings = Readings(engine)
        """Reads of the measurements store (facility metric values) on the primary: what
        decisions read (alert rules, the latest values)."""
        self.history = Readings(read_engine) if read_engine is not None else self.readings
        """Reads of metric history, on the read replica when there is one (it may lag the
        primary by the replication delay)."""

    @property
    def dialect(self) -> str:
        """Backend name: ``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    def close(self) -> None:
        """Release the store's connections."""
        self.engine.dispose()
        if self._read_engine is not None:
            self._read_engine.dispose()

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
        """Append events to one stream atomically, as versions ``expected_version + 1, ...``.

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
        VersionConflict, IdempotencyConflict, UnstorableText
            As :meth:`append_streams`, of which this is the one-stream case.
        """
        return self.append_streams([(stream, expected_version, events)])

    def append_streams(
        self, batches: Sequence[tuple[str, int, Sequence[NewEvent]]]
    ) -> list[RecordedEvent]:
        """Append to several streams in one transaction, each at the version decided on.

        The write primitive of commands (see :mod:`twin.commands`).

        Parameters
        ----------
        batches : sequence of (stream, expected_version, events)
            Each stream at most once; ``expected_version`` 0 for a new stream.

        Returns
        -------
        list of RecordedEvent
            The events as recorded, in append order.

        Raises
        ------
        VersionConflict
            If a stream is not at its ``expected_version``; nothing is written.
        IdempotencyConflict
            If the append reuses a recorded idempotency key but is not a retry of its write.
        UnstorableText
            If an event holds text the log could not read back (a lone surrogate or a NUL in
            the stream, type, actor, key or data); nothing is written.

        Notes
        -----
        Idempotency is per append and decided by its first event's key. If that key is in
        the log, the append is a replay: nothing is written and the events recorded by the
        original append are returned, whatever the expected versions say. An append that is
        not such a retry (other streams, lengths or types, keys that differ, or a recorded
        key on a later event only) raises :class:`IdempotencyConflict`.
        """
        checked = [(s, v, _checked_batch(s, v, events)) for s, v, events in batches]
        if not checked:
            raise ValueError("nothing to append: no batches")
        streams = [s for s, _, _ in checked]
        if len(streams) != len(set(streams)):
            raise ValueError("an append names a stream twice: give each stream one batch")
        keys = [e.idempotency_key for _, _, b in checked for e in b if e.idempotency_key]
        if len(keys) != len(set(keys)):
            raise ValueError("an append repeats an idempotency key")
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                with self._writer.begin() as conn:
                    return _append_streams(conn, checked)
            except IntegrityError:  # a racing writer won: the next attempt reports how
                if attempt == MAX_ATTEMPTS:
                    raise
            except OperationalError as exc:
                sqlstate = getattr(exc.orig, "sqlstate", None)
                if sqlstate not in _RETRYABLE_SQLSTATES or attempt == MAX_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def recorded_under(self, key: str) -> list[RecordedEvent]:
        """Return the events of the append whose first event carries ``key`` (empty: none).

        What a retried command answers without deciding again (see :mod:`twin.commands`).
        """
        with self.engine.connect() as conn:
            return recorded_append(conn, key)

    def append_observations(self, observations: Sequence[Observation], actor: str) -> set[str]:
        """Record observations at whatever version their streams are, in one transaction.

        Observations (facility readings) need no expected version; those whose key is
        already recorded are skipped. See :mod:`twin.eventlog.observations`.

        Returns
        -------
        set of str
            The keys that were already recorded (nothing written for them).

        Raises
        ------
        UnstorableText
            If an observation holds text the log could not read back; nothing is written.
        """
        if not observations:
            return set()
        with self._writer.begin() as conn:
            lock_log(conn)
            return append_observations(conn, observations, actor)

    def record_readings(
        self,
        statuses: Sequence[Observation],
        measurements: Sequence[Measurement],
        actor: str,
        simulated: bool = False,
    ) -> Skipped:
        """Record facility readings in one transaction: status reports as observations in
        the log, metric values in the measurements store (with their rollups). ``simulated``:
        the values are simulated, and their series are marked so (checking that no reading
        is of the other kind is the caller's: :mod:`twin.facilities.ingest`).

        Returns
        -------
        Skipped
            The keys not recorded: ``duplicates`` (a status's key in the log; a value's key in
            the store's recent keys, or a value already recorded at that instant) and
            ``expired`` (values observed before the kept raw readings).

        Raises
        ------
        UnstorableText
            If a status holds text the log could not read back; nothing is written.
        """
        if not statuses and not measurements:
            return Skipped(set(), set())
        with self._writer.begin() as conn:
            lock_log(conn)
            known = append_observations(conn, statuses, actor) if statuses else set()
            values = record_measurements(conn, measurements, self.readings.series)
            if simulated:
                provenance.mark_simulated(conn, {(m.facility, m.metric) for m in measurements})
            return Skipped(known | values.duplicates, values.expired)

    def apply_retention(
        self,
        raw_days: int = retention.RAW_DAYS,
        key_days: int = retention.KEY_DAYS,
        now: datetime | None = None,
    ) -> Retention:
        """Drop raw readings older than ``raw_days`` days (rollups are kept) and reading keys
        older than ``key_days``; see :mod:`twin.eventlog.measurements.retention`."""
        with self._writer.begin() as conn:
            lock_log(conn)
            return retention.apply(conn, raw_days, key_days, now or datetime.now(UTC))

    def append_many(
        self,
        batches: Iterable[tuple[str, int, Sequence[NewEvent]]],
        *,
        chunk_size: int = 10_000,
    ) -> int:
        """Append many batches in one transaction (bulk loading, benchmarks).

        Each item is ``(stream, expected_version, events)`` with the same rule as
        :meth:`append_streams`; a later item for the same stream continues from the earlier
        one. Either every event is written or, on any conflict, none is. Recorded
        idempotency keys are refused (no replay in bulk). Nothing is read back.

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
        exclude_prefixes: Iterable[str] = (),
        types: str | Iterable[str] | None = None,
        until_effective: datetime | None = None,
        until_seq: int | None = None,
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
        exclude_prefixes : iterable of str
            Leave out streams starting with any of these, e.g. ``("metric:",)``.
        types : str or iterable of str, optional
            Only these event types.
        until_effective : datetime, optional
            Only events with ``effective_at <= until_effective`` (aware): time travel.
        until_seq : int, optional
            Only events with ``seq <= until_seq``.
        """
        query = select_recorded().where(table.c.seq > since_seq)
        if until_seq is not None:
            query = query.where(table.c.seq <= until_seq)
        for prefix in exclude_prefixes:
            query = query.where(func.substr(table.c.stream, 1, len(prefix)) != prefix)
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


def open_store(url: str, read_url: str | None = None) -> EventStore:
    """Open the event log at ``url``, migrating its database to head.

    Parameters
    ----------
    url : str
        ``sqlite:///path/to/twin.db`` (the parent directory is created) or
        ``postgresql+psycopg://user@host/db``.
    read_url : str, optional
        A read replica of ``url``'s database (PostgreSQL streaming replication), for metric
        history; never migrated or written.
    """
    engine = make_engine(url)
    try:
        upgrade_engine(engine)
    except BaseException:
        engine.dispose()
        raise
    return EventStore(engine, make_engine(read_url) if read_url else None)


def _append_streams(
    conn: Connection, batches: list[tuple[str, int, list[NewEvent]]]
) -> list[RecordedEvent]:
    lock_log(conn)
    replay = find_replay(conn, [(stream, batch) for stream, _, batch in batches])
    if replay is not None:
        return replay
    before = conn.execute(select(func.coalesce(func.max(table.c.seq), 0))).scalar_one()
    bulk = BulkWriter(conn, keys_checked=True)
    for stream, expected_version, batch in batches:
        bulk.add(stream, expected_version, batch)
    bulk.finish()
    query = select_recorded().where(table.c.seq > before).order_by(table.c.seq)
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
