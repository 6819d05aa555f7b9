"""The campus's clock: local time (UTC+8) and local calendar dates.

Dates in the history (planned and actual stage dates) are campus-local calendar dates in ISO
format; an instant becomes a date in China Standard Time (no daylight saving).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

CAMPUS_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
"""The campus's local time (China Standard Time, no daylight saving): dates are local dates."""


def local_day(at: datetime) -> str:
    """The campus-local calendar date of an aware instant, ISO format."""
    return at.astimezone(CAMPUS_TZ).date().isoformat()


def local_date(at: datetime) -> date:
    """The campus-local calendar date of an aware instant."""
    return at.astimezone(CAMPUS_TZ).date()


def start_of(day: date) -> datetime:
    """Midnight at the start of a campus-local date, as an aware instant."""
    return datetime.combine(day, time.min, CAMPUS_TZ)


def end_of(day: date) -> datetime:
    """The last instant of a campus-local date (what ``at=2024-09-12`` means)."""
    return datetime.combine(day, time.max, CAMPUS_TZ)
