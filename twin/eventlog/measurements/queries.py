"""Every read of readings: latest values, raw ranges, rollups and summaries of a range.

The one place that reads the measurements store. Nothing is held in memory but the small
dictionary of series (:mod:`.series`, one entry per facility metric); every answer is a query.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import Engine

from twin.eventlog.measurements.models import (
    WIDTHS_S,
    RecordedReading,
    Summary,
    Times,
    bucket_us,
    from_us,
    to_us,
)
from twin.eventlog.measurements.retention import raw_from_us
from twin.eventlog.measurements.series import SeriesCatalogue

RAW_LIMIT = 200_000
"""Most raw readings a summary reads; a range holding more is answered from rollups."""
_FAR = datetime(9999, 1, 1, tzinfo=UTC)


def _iso(at_us: float) -> str:
    return datetime.fromtimestamp(at_us / 1e6, UTC).isoformat()


class Readings:
    """Reads of the measurements store on ``engine`` (``EventStore.readings``)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._times = Times(engine.dialect.name)
        self._mark = "?" if self._times.sqlite else "%s"
        self.series = SeriesCatalogue(engine)
        """The dictionary of series, shared with the write path (``EventStore``)."""

    def series_id(self, facility: str, metric: str) -> int | None:
        """The id of a facility's metric series (None: nothing recorded for it)."""
        found = self.series.get((facility, metric))
        return None if found is None else found.id

    def series_kinds(self, of: Collection[tuple[str, str]]) -> dict[tuple[str, str], bool]:
        """Of the series ``of`` (facility, metric), those that exist -> whether they hold
        simulated readings."""
        return self.series.kinds(of)

    # -- values -----------------------------------------------------------------------------

    def latest(
        self, facility: str, metric: str, at: datetime | None = None
    ) -> tuple[datetime, float] | None:
        """The last value at or before ``at`` (None: the latest of all), with its time."""
        series = self.series_id(facility, metric)
        if series is None:
            return None
        m = self._mark
        query = (
            f"SELECT at, value FROM readings WHERE series = {m} AND at <= {m} "
            "ORDER BY at DESC LIMIT 1"
        )
        bound = self._times.to_db(to_us(at or _FAR))
        with self.engine.connect() as conn:
            row = conn.exec_driver_sql(query, (series, bound)).first()
        if row is None:
            return None
        return from_us(self._times.from_db(row[0])), float(row[1])

    def latest_all(
        self, at: datetime | None = None, of: Iterable[tuple[str, str]] | None = None
    ) -> dict[tuple[str, str], tuple[datetime, float]]:
        """Every series' last value at or before ``at`` (None: the latest), by (facility,
        metric), or only those of the series ``of``: one query, an index lookup per series."""
        wanted = None
        if of is not None:
            ids = (self.series_id(facility, metric) for facility, metric in of)
            wanted = sorted({i for i in ids if i is not None})
            if not wanted:
                return {}
        only = "" if wanted is None else f" WHERE s.id IN ({', '.join(map(str, wanted))})"
        if self._times.sqlite:
            query = (
                "SELECT s.id, r.at, r.value FROM reading_series s JOIN readings r "
                "ON r.series = s.id AND r.at = (SELECT max(at) FROM readings "
                f"WHERE series = s.id AND at <= ?){only}"
            )
        else:
            query = (
                "SELECT s.id, r.at, r.value FROM reading_series s CROSS JOIN LATERAL "
                "(SELECT at, value FROM readings WHERE series = s.id AND at <= %s "
                f"ORDER BY at DESC LIMIT 1) r{only}"
            )
        bound = self._times.to_db(to_us(at or _FAR))
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(query, (bound,)).all()
        out = {}
        for series, when, value in rows:
            known = self.series.by_id(int(series))
            facility, metric = known.facility, known.metric
            out[facility, metric] = (from_us(self._times.from_db(when)), float(value))
        return out

    def between(
        self,
        facility: str,
        metric: str,
        start: datetime,
        end: datetime,
        *,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Raw times (µs since the epoch, ascending) and values from ``start`` to ``end``
        inclusive; only the first ``limit`` of them in time order (the newest with
        ``newest_first``), read from the (series, time) key, when given."""
        series = self.series_id(facility, metric)
        if series is None:
            return np.empty(0, dtype=np.int64), np.empty(0)
        m, t = self._mark, self._times
        query = (
            f"SELECT at, value FROM readings WHERE series = {m} AND at >= {m} AND at <= {m} "
            f"ORDER BY at{' DESC' if newest_first else ''}"
            + (f" LIMIT {int(limit)}" if limit is not None else "")
        )
        params = (series, t.to_db(to_us(start)), t.to_db(to_us(end)))
        with self.engine.connect() as conn:
            rows = list(conn.exec_driver_sql(query, params).all())
        if newest_first:
            rows.reverse()
        times = np.fromiter((t.from_db(r[0]) for r in rows), dtype=np.int64, count=len(rows))
        return times, np.fromiter((r[1] for r in rows), dtype=np.float64, count=len(rows))

    def rollups(
        self, facility: str, metric: str, width_s: int, start: datetime, end: datetime
    ) -> list[dict[str, Any]]:
        """The rollups of ``width_s`` (60, 3600 or 86400) whose bucket starts in
        ``[start, end]``: ``bucket`` (aware), ``count``, ``sum``, ``min``, ``max``."""
        if width_s not in WIDTHS_S:
            raise ValueError(f"rollups are {WIDTHS_S} s wide, not {width_s}")
        series = self.series_id(facility, metric)
        if series is None:
            return []
        m, t = self._mark, self._times
        query = (
            f"SELECT bucket, n, total, low, high FROM reading_rollups WHERE series = {m} "
            f"AND width_s = {m} AND bucket >= {m} AND bucket <= {m} ORDER BY bucket"
        )
        params = (series, width_s, t.to_db(to_us(start)), t.to_db(to_us(end)))
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(query, params).all()
        return [
            {"bucket": from_us(t.from_db(b)), "count": int(n), "sum": s, "min": lo, "max": hi}
            for b, n, s, lo, hi in rows
        ]

    def raw_from(self) -> datetime:
        """Raw readings are complete from this instant on (retention dropped older ones)."""
        with self.engine.connect() as conn:
            return from_us(raw_from_us(conn))

    def summary(
        self, facility: str, metric: str, start: datetime, end: datetime, points: int
    ) -> Summary:
        """The series from ``start`` to ``end``: raw points if there are at most ``points``,
        else ``points`` equal buckets (empty ones left out) of mean, min, max and count.

        Raw readings answer when they cover the range and are at most :data:`RAW_LIMIT`;
        otherwise the widest rollup no wider than a bucket does (1 minute at least), each
        rollup counted in the bucket where it starts."""
        if points < 1:
            raise ValueError(f"points must be at least 1, not {points}")
        day = self.rollups(facility, metric, 86400, from_us(bucket_us(to_us(start), 86400)), end)
        estimate = sum(r["count"] for r in day)
        if start >= self.raw_from() and estimate <= RAW_LIMIT:
            times, values = self.between(facility, metric, start, end)
            return _from_raw(times, values, start, end, points)
        width_s = (end - start).total_seconds() / points
        resolution = max([w for w in WIDTHS_S if w <= width_s] or [WIDTHS_S[0]])
        rows = self.rollups(facility, metric, resolution, start, end)
        t0, width_us = to_us(start), width_s * 1e6
        buckets: dict[int, list[float]] = {}
        for r in rows:
            k = min(int((to_us(r["bucket"]) - t0) // width_us), points - 1) if width_us else 0
            acc = buckets.setdefault(k, [0, 0.0, r["min"], r["max"]])
            acc[0] += r["count"]
            acc[1] += r["sum"]
            acc[2], acc[3] = min(acc[2], r["min"]), max(acc[3], r["max"])
        out = [
            {
                "at": _iso(t0 + k * width_us),
                "value": s / n,
                "min": float(lo),
                "max": float(hi),
                "count": int(n),
            }
            for k, (n, s, lo, hi) in sorted(buckets.items())
        ]
        total = int(sum(acc[0] for acc in buckets.values()))
        return Summary(width_s, out, total, f"rollup_{resolution}s")

    # -- what was recorded -------------------------------------------------------------------

    def count(self) -> int:
        """Raw readings held."""
        with self.engine.connect() as conn:
            return int(conn.exec_driver_sql("SELECT count(*) FROM readings").scalar_one())

    def recorded(
        self, facility: str | None = None, metric: str | None = None
    ) -> list[RecordedReading]:
        """Raw readings (of one facility, or one of its metrics) in time order, with their keys
        while those are kept (audits and tests)."""
        m = self._mark
        query = (
            "SELECT s.facility, s.metric, r.at, r.value, s.unit, k.key FROM readings r "
            "JOIN reading_series s ON s.id = r.series "
            "LEFT JOIN reading_keys k ON k.series = r.series AND k.at = r.at WHERE 1 = 1"
        )
        params: list[Any] = []
        for column, value in (("facility", facility), ("metric", metric)):
            if value is not None:
                query += f" AND s.{column} = {m}"
                params.append(value)
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(query + " ORDER BY r.at, s.id", tuple(params)).all()
        return [
            RecordedReading(f, mt, from_us(self._times.from_db(at)), float(v), u, k)
            for f, mt, at, v, u, k in rows
        ]


def _from_raw(
    times: np.ndarray, values: np.ndarray, start: datetime, end: datetime, points: int
) -> Summary:
    if len(times) <= points:
        raw = [{"at": _iso(t), "value": float(v)} for t, v in zip(times, values, strict=True)]
        return Summary(None, raw, len(times), "raw")
    t0 = to_us(start)
    width_us = (to_us(end) - t0) / points
    bucket = np.minimum(((times - t0) // width_us).astype(np.int64), points - 1)
    keys, first = np.unique(bucket, return_index=True)
    counts = np.diff(np.append(first, len(times)))
    sums = np.add.reduceat(values, first)
    lows, highs = np.minimum.reduceat(values, first), np.maximum.reduceat(values, first)
    out = [
        {
            "at": _iso(t0 + k * width_us),
            "value": float(s / n),
            "min": float(lo),
            "max": float(hi),
            "count": int(n),
        }
        for k, s, n, lo, hi in zip(keys, sums, counts, lows, highs, strict=True)
    ]
    return Summary(width_us / 1e6, out, len(times), "raw")
