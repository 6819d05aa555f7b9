"""State at any instant: a temporal index over the event log, caught up by sequence number.

Each stream keeps its events sorted by effective time (ties by seq) with the state after each,
so the state of any stream at any instant is one binary search, and the whole campus at an
instant is one search per stream: nothing is replayed per request. An event whose effective
time falls before later ones of its stream (a back-dated correction) re-folds that stream from
there on. Several processes share one database: each catches up on what the others wrote.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from twin.eventlog import EventStore, RecordedEvent

State = dict[str, Any]
Apply = Callable[[State, str, Mapping[str, Any], datetime], State]
CATCH_UP_BATCH = 20_000


@dataclass
class _Timeline:
    keys: list[tuple[float, int]] = field(default_factory=list)  # (effective ts, seq)
    times: list[float] = field(default_factory=list)  # effective ts alone: fast bisect
    events: list[RecordedEvent] = field(default_factory=list)
    states: list[State] = field(default_factory=list)
    version: int = 0


class Projection:
    """The campus's streams as of any instant, built from the log with a pure ``apply``."""

    def __init__(self, apply: Apply, skip_prefixes: tuple[str, ...] = ()):
        """``skip_prefixes``: streams not kept (high-volume ones read from the log directly)."""
        self._apply = apply
        self._skip = skip_prefixes
        self._streams: dict[str, _Timeline] = {}
        self._lock = threading.RLock()
        self.head = 0
        """The last seq folded in."""

    def catch_up(self, store: EventStore) -> int:
        """Fold in every event recorded since :attr:`head`; returns how many were read.

        Streams skipped are left out by the query itself (a busy log is mostly metric
        readings: they are neither sent nor decoded), and :attr:`head` still moves to the
        log's last seq, so the next catch-up starts after them."""
        with self._lock:
            last = store.head() if self._skip else None
            pending: list[RecordedEvent] = []
            since = self.head
            while True:  # read everything first: one fold per stream, however many pages
                page = self._read(store, since, last)
                pending += page
                if len(page) < CATCH_UP_BATCH:
                    break
                since = page[-1].seq
            self._fold_batch(pending)
            if last is not None:
                self.head = max(self.head, last)
            return len(pending)

    def _read(self, store: EventStore, since: int, last: int | None) -> list[RecordedEvent]:
        """One page of events after ``since`` (up to ``last``), skipped streams left out."""
        return store.read(
            since_seq=since, limit=CATCH_UP_BATCH, until_seq=last, exclude_prefixes=self._skip
        )

    def _fold_batch(self, batch: list[RecordedEvent]) -> None:
        """Merge a batch into each stream's timeline, re-folding each stream once from the
        earliest instant the batch touches (O(n log n) for a cold build, not O(n²))."""
        by_stream: dict[str, list[RecordedEvent]] = {}
        for event in batch:
            if not event.stream.startswith(self._skip):
                by_stream.setdefault(event.stream, []).append(event)
        for stream, new in by_stream.items():
            line = self._streams.setdefault(stream, _Timeline())
            keyed = sorted(((e.effective_at.timestamp(), e.seq), e) for e in new)
            start = bisect.bisect_right(line.keys, keyed[0][0])
            merged = sorted(
                [*zip(line.keys[start:], line.events[start:], strict=True), *keyed],
                key=lambda pair: pair[0],
            )
            line.keys[start:] = [k for k, _ in merged]
            line.times[start:] = [k[0] for k, _ in merged]
            line.events[start:] = [e for _, e in merged]
            state = line.states[start - 1] if start else {}
            states = []
            for _, e in merged:
                state = self._apply(state, e.type, e.data, e.effective_at)
                states.append(state)
            line.states[start:] = states
            line.version = max(line.version, *(e.version for e in new))
        if batch:
            self.head = batch[-1].seq

    def stream_at(self, stream: str, at: datetime) -> State:
        """The stream's state at ``at`` (empty before its first event)."""
        with self._lock:
            line = self._streams.get(stream)
            if line is None:
                return {}
            i = bisect.bisect_right(line.times, at.timestamp())
            return line.states[i - 1] if i else {}

    def version_at(self, stream: str, at: datetime) -> int:
        """The version of the stream's event in effect at ``at`` (0 before its first event)."""
        with self._lock:
            line = self._streams.get(stream)
            if line is None:
                return 0
            i = bisect.bisect_right(line.times, at.timestamp())
            return line.events[i - 1].version if i else 0

    def all_at(self, at: datetime, prefix: str = "") -> dict[str, State]:
        """Every stream (whose name starts with ``prefix``) that has begun by ``at``."""
        with self._lock:
            moment = at.timestamp()
            out: dict[str, State] = {}
            for name, line in self._streams.items():
                if not name.startswith(prefix):
                    continue
                i = bisect.bisect_right(line.times, moment)
                if i:
                    out[name] = line.states[i - 1]
            return out

    def events(self, prefix: str) -> list[RecordedEvent]:
        """Every event of the streams whose name starts with ``prefix``, in no set order."""
        with self._lock:
            return [
                e
                for name, line in self._streams.items()
                if name.startswith(prefix)
                for e in line.events
            ]

    def latest(self, stream: str) -> tuple[State, int]:
        """The stream's state after all its events, and its version (for a command)."""
        with self._lock:
            line = self._streams.get(stream)
            if line is None or not line.states:
                return {}, 0
            return line.states[-1], line.version
