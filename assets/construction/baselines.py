"""Baseline variance: how far the current schedule has moved from a saved baseline.

Variance = current - baseline, in days (positive: later than the baseline), for each
activity's start and finish, and per building or work package: its first start and last
finish over the activities that plan its stages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from assets.construction.activities import Activity, ScheduleError, State


@dataclass(frozen=True)
class Variance:
    """Current against baseline dates of one activity (or one building's span), days."""

    subject: str
    baseline_start: date
    baseline_finish: date
    start: date
    finish: date

    @property
    def start_days(self) -> int:
        return (self.start - self.baseline_start).days

    @property
    def finish_days(self) -> int:
        return (self.finish - self.baseline_finish).days


def baseline_plan(schedule: State, name: str) -> dict[str, tuple[date, date]]:
    """Baseline ``name``'s planned start and finish by activity id.

    Raises
    ------
    ScheduleError
        ``known-baseline`` (not found) when no baseline has that name.
    """
    saved = schedule.get("baselines", {}).get(name)
    if saved is None:
        known = ", ".join(schedule.get("baselines", {})) or "none yet"
        error = ScheduleError("schedule", None, "known-baseline", f"no baseline {name!r} ({known})")
        error.kind = "not_found"
        raise error
    return {
        k: (date.fromisoformat(s), date.fromisoformat(f))
        for k, (s, f) in saved["activities"].items()
    }


def activity_variance(
    acts: Mapping[str, Activity], plan: Mapping[str, tuple[date, date]]
) -> list[Variance]:
    """Variance of each activity in both the baseline and the schedule, in schedule order.
    The current dates are the actual ones where known, else the plan's."""
    out = []
    for k, a in acts.items():
        if k in plan:
            start = a.actual_start or a.start
            finish = a.actual_finish or a.finish
            out.append(Variance(k, plan[k][0], plan[k][1], start, finish))
    return out


def building_variance(acts: Mapping[str, Activity], per_activity: list[Variance]) -> list[Variance]:
    """Per building or work package: its first start and last finish, baseline against now."""
    spans: dict[str, list[Variance]] = {}
    for v in per_activity:
        entity = acts[v.subject].entity
        if entity:
            spans.setdefault(entity, []).append(v)
    return [
        Variance(
            entity,
            min(v.baseline_start for v in vs),
            max(v.baseline_finish for v in vs),
            min(v.start for v in vs),
            max(v.finish for v in vs),
        )
        for entity, vs in spans.items()
    ]
