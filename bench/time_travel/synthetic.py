"""The synthetic history: N events over many streams, most of them back-dated in their stream.

Streams are half ``facility:*`` (``FacilityStatusChanged``) and half ``building:*``
(``StageProgressed``); effective times are uniformly random in START .. END, so most events
arrive out of order relative to their stream's earlier versions: the hard case for the
projection.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from assets import history
from twin.eventlog import EventStore, NewEvent

START = datetime(2019, 1, 1, tzinfo=UTC)
END = datetime(2026, 12, 31, tzinfo=UTC)
PROGRESS_STEP = 1000
ACTOR = "bench"


def stream_count(size: int) -> int:
    """Number of streams the ``size`` events are spread over."""
    return max(1000, size // 100)


def stream_names(count: int) -> list[str]:
    """``count`` stream names, alternately ``facility:bench-NNNNNN`` and ``building:...``."""
    return [
        f"facility:bench-{i:06d}" if i % 2 == 0 else f"building:bench-{i:06d}" for i in range(count)
    ]


def random_instant(rng: random.Random) -> datetime:
    """A uniformly random aware instant in START .. END (microsecond resolution)."""
    span_us = int((END - START) / timedelta(microseconds=1))
    return START + timedelta(microseconds=rng.randrange(span_us + 1))


def synthetic_event(stream: str, rng: random.Random) -> NewEvent:
    """A status change for a facility, a stage's progress for a building."""
    if stream.startswith("facility:"):
        data: dict[str, object] = {"status": rng.choice(history.FACILITY_STATUSES)}
        kind = "FacilityStatusChanged"
    else:
        data = {"stage": rng.choice(history.STAGES), "percent": rng.randint(0, 100)}
        kind = "StageProgressed"
    return NewEvent(type=kind, data=data, effective_at=random_instant(rng), actor=ACTOR)


def synthetic_batches(
    size: int, streams: Sequence[str], rng: random.Random, advance: Callable[[int], None]
) -> Iterator[tuple[str, int, list[NewEvent]]]:
    """``size`` one-event batches for ``append_many``, each on a random stream.

    ``advance(k)`` is called every PROGRESS_STEP events (and once at the end).
    """
    versions = dict.fromkeys(streams, 0)
    for i in range(1, size + 1):
        stream = rng.choice(streams)
        version = versions[stream]
        versions[stream] = version + 1
        yield stream, version, [synthetic_event(stream, rng)]
        if i % PROGRESS_STEP == 0:
            advance(PROGRESS_STEP)
    advance(size % PROGRESS_STEP)


def load(
    store: EventStore, size: int, streams: Sequence[str], rng: random.Random, console: Console
) -> float:
    """Bulk-load ``size`` synthetic events (one transaction) with a progress bar; time taken, s."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(f"loading {size:,} events ({store.dialect})", total=size)
        started = time.perf_counter()
        store.append_many(
            synthetic_batches(size, streams, rng, lambda k: progress.advance(task, k))
        )
        return time.perf_counter() - started
