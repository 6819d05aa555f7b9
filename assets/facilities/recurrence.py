"""Recurrence of planned maintenance: every N days, weeks or months from a first start.

A deliberately small model (not RFC 5545): occurrence *n* (1 = the first) starts at
``first + (n - 1) * every unit``; months keep the first start's day of month, clamped to the
month's last day (31 January, every month: 28/29 February, 31 March...). A recurrence may end
``until`` an instant (no occurrence starts after it).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

Unit = Literal["day", "week", "month"]
UNITS: tuple[Unit, ...] = ("day", "week", "month")


@dataclass(frozen=True)
class Recurrence:
    """Every ``every`` ``unit`` (days, weeks or months), optionally ``until`` an instant."""

    every: int
    unit: Unit
    until: datetime | None = None

    def __post_init__(self) -> None:
        if self.every < 1:
            raise ValueError(f"a recurrence repeats every 1 or more {self.unit}s, not {self.every}")
        if self.unit not in UNITS:
            raise ValueError(f"a recurrence's unit is one of {', '.join(UNITS)}, not {self.unit!r}")

    def start_of(self, first: datetime, occurrence: int) -> datetime:
        """The start of occurrence ``occurrence`` (1: ``first``)."""
        steps = (occurrence - 1) * self.every
        if self.unit == "day":
            return first + timedelta(days=steps)
        if self.unit == "week":
            return first + timedelta(weeks=steps)
        return add_months(first, steps)

    def next_after(self, first: datetime, occurrence: int) -> datetime | None:
        """The start of the occurrence after ``occurrence``, or None past ``until``."""
        start = self.start_of(first, occurrence + 1)
        return None if self.until is not None and start > self.until else start

    def as_data(self) -> dict[str, Any]:
        """As event data (JSON)."""
        until = None if self.until is None else self.until.isoformat()
        return {"every": self.every, "unit": self.unit, "until": until}

    @classmethod
    def of_data(cls, data: dict[str, Any]) -> Recurrence:
        """From event data (:meth:`as_data`)."""
        until = data.get("until")
        return cls(data["every"], data["unit"], datetime.fromisoformat(until) if until else None)


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` ``months`` later, on the same day of month or the month's last day."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)
