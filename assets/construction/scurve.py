"""The S-curve: planned against actual percent complete over time, and the schedule
performance index (SPI).

Each stage with a baseline (its first plan) weighs its baseline duration in days. Planned
percent on a day: the weighted share of each stage's baseline span elapsed by then
(linear within a stage). Actual percent: the weighted percent the history records by then
(0 before a stage starts, the latest report, 100 once completed; never an estimate).
SPI = actual / planned (earned over planned value): below 1 is behind the baseline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from assets.construction.stages import StageRecord


@dataclass(frozen=True)
class CurvePoint:
    """Percent complete (0-100) on ``day``: planned, and actual (None after the chart's date)."""

    day: date
    planned: float
    actual: float | None


def _weight(r: StageRecord) -> float:
    if r.baseline_start is None or r.baseline_end is None:
        return 0.0
    return float(max((r.baseline_end - r.baseline_start).days, 1))


def planned_percent(records: Iterable[StageRecord], day: date) -> float:
    """Weighted share (%) of the stages' baseline spans elapsed by ``day``."""
    done = total = 0.0
    for r in records:
        w = _weight(r)
        if not w or r.baseline_start is None:
            continue
        total += w
        done += w * min(max((day - r.baseline_start).days / w, 0.0), 1.0)
    return 100 * done / total if total else 0.0


def actual_percent(records: Iterable[StageRecord], then: Iterable[StageRecord]) -> float:
    """Weighted recorded percent (%) of the stages: weights from ``records`` (as known now),
    percents from ``then`` (the same stages, in the same order, as the history stood then)."""
    done = total = 0.0
    for r, past in zip(records, then, strict=True):
        w = _weight(r)
        total += w
        done += w * past.percent
    return done / total if total else 0.0


def spi(point: CurvePoint) -> float | None:
    """Schedule performance index at ``point``: actual / planned (None before any plan)."""
    if point.actual is None or point.planned <= 0:
        return None
    return round(point.actual / point.planned, 3)


def months(first: date, last: date) -> list[date]:
    """The first day of every month from ``first``'s to ``last``'s."""
    out, day = [], date(first.year, first.month, 1)
    while day <= last:
        out.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return out
