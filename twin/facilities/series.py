"""Metric values in memory, compactly: per stream two arrays (time, value) sorted by time.

16 bytes a reading instead of an event object, so history queries, downsampling and "the
value at instant t" are a binary search and a numpy reduction. Caught up from the log by
sequence number, like the projection; a late (out-of-order) reading is inserted in its place.
"""

from __future__ import annotations

import bisect
import json
import threading
from array import array
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import Engine, text

from assets.facilities.readings import metric_stream
from assets.facilities.reducers import METRIC_OBSERVED

CATCH_UP_BATCH = 50_000
_NEW_VALUES = text(
    "SELECT seq, stream, effective_at, data FROM events"
    " WHERE type = :type AND seq > :head ORDER BY seq LIMIT :limit"
)


def _timestamp(value: str | datetime) -> float:
    """POSIX time of ``effective_at`` as the driver gives it (SQLite: naive UTC text)."""
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC).timestamp()
    return value.timestamp()


class Series:
    """One metric's values: ``times`` (POSIX s) ascending, ``values`` alongside."""

    __slots__ = ("times", "values")

    def __init__(self) -> None:
        self.times = array("d")
        self.values = array("d")

    def add(self, t: float, value: float) -> None:
        if not self.times or t >= self.times[-1]:
            self.times.append(t)
            self.values.append(value)
        else:
            i = bisect.bisect_right(self.times, t)
            self.times.insert(i, t)
            self.values.insert(i, value)

    def at(self, t: float) -> tuple[float, float] | None:
        """The last (time, value) at or before ``t``."""
        i = bisect.bisect_right(self.times, t)
        return (self.times[i - 1], self.values[i - 1]) if i else None

    def between(self, start: float, end: float) -> tuple[np.ndarray, np.ndarray]:
        """Times and values with ``start <= t <= end`` (copies)."""
        i = bisect.bisect_left(self.times, start)
        j = bisect.bisect_right(self.times, end)
        return (
            np.frombuffer(self.times, dtype=np.float64)[i:j].copy(),
            np.frombuffer(self.values, dtype=np.float64)[i:j].copy(),
        )


class SeriesIndex:
    """Every metric stream's values, caught up from the log."""

    def __init__(self) -> None:
        self._series: dict[str, Series] = {}
        self._lock = threading.Lock()
        self.head = 0

    def catch_up(self, engine: Engine) -> int:
        """Fold in the metric values recorded since :attr:`head`; returns how many.

        Reads raw driver values (no SQLAlchemy type processing): this runs after every batch.
        """
        with self._lock:
            folded = 0
            while True:
                params = {"type": METRIC_OBSERVED, "head": self.head, "limit": CATCH_UP_BATCH}
                with engine.connect() as conn:
                    rows = conn.execute(_NEW_VALUES, params).all()
                for seq, stream, at, data in rows:
                    series = self._series.get(stream)
                    if series is None:
                        series = self._series[stream] = Series()
                    value = (json.loads(data) if isinstance(data, str) else data)["value"]
                    series.add(_timestamp(at), float(value))
                    self.head = seq
                folded += len(rows)
                if len(rows) < CATCH_UP_BATCH:
                    return folded

    def at(self, stream: str, at: datetime) -> tuple[datetime, float] | None:
        """The stream's last value at or before ``at``, with its time."""
        with self._lock:
            series = self._series.get(stream)
            found = series.at(at.timestamp()) if series else None
        if found is None:
            return None
        return datetime.fromtimestamp(found[0], UTC), found[1]

    def between(self, stream: str, start: datetime, end: datetime) -> tuple[np.ndarray, np.ndarray]:
        """Times (POSIX s) and values of the stream from ``start`` to ``end`` inclusive."""
        with self._lock:
            series = self._series.get(stream)
            if series is None:
                return np.empty(0), np.empty(0)
            return series.between(start.timestamp(), end.timestamp())

    def latest(self, facility: str, metric: str) -> tuple[datetime, float] | None:
        """The last value of a facility's metric by observation time, with that time."""
        with self._lock:
            series = self._series.get(metric_stream(facility, metric))
            if series is None or not series.times:
                return None
            t, value = series.times[-1], series.values[-1]
        return datetime.fromtimestamp(t, UTC), value

    def count(self, stream: str) -> int:
        with self._lock:
            series = self._series.get(stream)
            return len(series.times) if series else 0
