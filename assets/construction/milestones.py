"""Published construction milestones (F5, F6, F7) and whether they are on track on a date.

A milestone is reached when every one of its buildings or work packages has started (or
completed) one stage. On a day before it is reached it is ``on_track`` when the latest
forecast date is on or before the due date, ``at_risk`` when it is after, and ``late`` once
the due date has passed; reached, it is ``achieved`` or ``achieved_late``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from assets.campus import Campus
from assets.construction.forecast import StageSchedule

Edge = Literal["start", "end"]
MilestoneStatus = Literal["achieved", "achieved_late", "on_track", "at_risk", "late"]


@dataclass(frozen=True)
class Milestone:
    """A dated target: ``stage`` started (``edge="start"``) or completed by ``due``."""

    id: str
    name_zh: str
    name_en: str
    entities: tuple[str, ...]
    stage: str
    edge: Edge
    due: date
    facts: tuple[str, ...]


def milestones(campus: Campus) -> list[Milestone]:
    """The milestones the sources publish, those whose facts and entities ``campus`` has.

    Notes
    -----
    F5's "具备竣工验收条件" (ready for completion acceptance) is read as: acceptance can
    begin, which the rules allow only once the works are complete, so the milestone is
    reached when acceptance has started in every fish-head building.
    """
    head = tuple(campus.buildings_in_parcel("fish-head"))
    published = [
        Milestone(
            "fish-head-ready-for-acceptance",
            "鱼头具备竣工验收条件",
            "Fish head ready for completion acceptance",
            head,
            "acceptance",
            "start",
            date(2025, 12, 31),
            ("F5",),
        ),
        Milestone(
            "dc-dual-feed-complete",
            "数据中心外部两路供电建成",
            "Data centre's dual external power feed complete",
            ("feed-a", "feed-b"),
            "acceptance",
            "end",
            date(2025, 12, 31),
            ("F6",),
        ),
        Milestone(
            "dc-equipment-complete",
            "数据中心内部设施设备建成",
            "Data centre's internal facilities and equipment complete",
            ("dc-equipment",),
            "acceptance",
            "end",
            date(2025, 12, 31),
            ("F6",),
        ),
        Milestone(
            "office-building-in-operation",
            "综合办公楼投入运营",
            "Office building 一楼观全港 in operation",
            ("office-building",),
            "in_use",
            "start",
            date(2025, 12, 31),
            ("F7",),
        ),
    ]
    # a dataset that does not carry the facts (twin synth) or the entities has no such milestone
    return [m for m in published if m.entities and all(f in campus.facts for f in m.facts)]


@dataclass(frozen=True)
class MilestoneState:
    """A milestone on one day: reached or not, the forecast date and the margin."""

    milestone: Milestone
    status: MilestoneStatus
    reached: int
    """How many of its entities have reached it."""
    actual: date | None
    """When the last one reached it (reached only)."""
    forecast: date | None
    """When the last one is expected to reach it (None: no plan to tell)."""
    margin_days: int | None
    """Due date minus the actual or forecast date, days; negative is late."""


def milestone_state(
    m: Milestone, schedules: dict[str, list[StageSchedule]], today: date
) -> MilestoneState:
    """``m`` as known on ``today``, from each entity's schedule."""
    actual: list[date | None] = []
    forecast: list[date | None] = []
    for entity in m.entities:
        s = next((x for x in schedules.get(entity, []) if x.stage == m.stage), None)
        if s is None:
            actual.append(None)
            forecast.append(None)
            continue
        r = s.record
        actual.append(r.actual_start if m.edge == "start" else r.actual_end)
        forecast.append(s.forecast_start if m.edge == "start" else s.forecast_end)
    reached = sum(a is not None for a in actual)
    done = reached == len(m.entities) and reached > 0
    last_actual = max((a for a in actual if a is not None), default=None) if done else None
    expected = [a or f for a, f in zip(actual, forecast, strict=True)]
    last_forecast = None if None in expected else max(d for d in expected if d is not None)
    when = last_actual or last_forecast
    margin = (m.due - when).days if when is not None else None
    status: MilestoneStatus
    if done:
        status = "achieved" if margin is not None and margin >= 0 else "achieved_late"
    elif today > m.due:
        status = "late"
    elif margin is None or margin < 0:
        status = "at_risk"
    else:
        status = "on_track"
    return MilestoneState(m, status, reached, last_actual, last_forecast, margin)
