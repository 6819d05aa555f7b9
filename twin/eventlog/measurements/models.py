"""Value objects of the measurements store, and its one way of writing times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
WIDTHS_S = (60, 3600, 86400)
"""Rollup widths, s: 1 minute, 1 hour, 1 day (UTC-aligned buckets)."""


class Measurement(NamedTuple):
    """One metric value to record (a light tuple: readings come by the thousand).

    ``observed_at`` is aware; ``key`` is the reading's idempotency key (a key already
    recorded, or a value already recorded for the same facility, metric and instant, is a
    duplicate and skipped)."""

    facility: str
    metric: str
    observed_at: datetime
    value: float
    unit: str
    key: str


class Skipped(NamedTuple):
    """Keys of the readings of a batch that were not recorded: ``duplicates`` (a key already
    recorded, or a value already at that instant) and ``expired`` (observed before the kept
    raw readings: retention dropped that range, so a retry could not be told from a new
    reading and would be counted twice in the rollups)."""

    duplicates: set[str]
    expired: set[str]


@dataclass(frozen=True)
class RecordedReading:
    """A reading as stored, with its key while ``reading_keys`` still holds it."""

    facility: str
    metric: str
    observed_at: datetime
    value: float
    unit: str
    key: str | None


@dataclass(frozen=True)
class Summary:
    """A series over a range: raw points, or per bucket the mean, min, max and count.

    ``bucket_s`` is None for raw points; ``total`` is the number of readings in the range;
    ``source`` says what answered (``raw``, or the rollup width such as ``rollup_3600s``)."""

    bucket_s: float | None
    points: list[dict[str, Any]]
    total: int
    source: str


@dataclass(frozen=True)
class Retention:
    """What one retention pass did: raw readings dropped, keys pruned, raw kept since."""

    readings_dropped: int
    keys_dropped: int
    raw_from: datetime


def to_us(value: datetime) -> int:
    """Microseconds since the epoch of an aware datetime."""
    return (value - EPOCH) // _US


def from_us(value: int) -> datetime:
    """The aware UTC datetime ``value`` microseconds after the epoch."""
    return EPOCH + timedelta(microseconds=value)


def bucket_us(at_us: int, width_s: int) -> int:
    """Start of the UTC-aligned bucket of ``width_s`` seconds holding ``at_us``, µs."""
    width = width_s * 1_000_000
    return at_us - at_us % width


class Times:
    """How a dialect stores times: SQLite as integer µs since the epoch, PostgreSQL as
    ``timestamptz`` (aware datetimes)."""

    def __init__(self, dialect: str) -> None:
        self.sqlite = dialect == "sqlite"

    def to_db(self, at_us: int) -> Any:
        return at_us if self.sqlite else from_us(at_us)

    def from_db(self, value: Any) -> int:
        return int(value) if self.sqlite else to_us(value)
