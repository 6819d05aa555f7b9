"""The history of the data centre's work packages up to the article (2024-09-12), as events.

F6: the data centre's civil works are basically complete; the two external power feeds and
the internal facilities and equipment are under construction, expected to finish in 2025.
Days inside the years are schematic (``provenance: "schematic"``); nothing after the article's
date is recorded as done, only planned.
"""

from __future__ import annotations

from datetime import date

from assets.campus import Campus
from assets.clock import start_of
from assets.construction.catalogue import WORK_PACKAGES
from assets.events import DomainEvent

_FEED_PLAN = [  # (stage, planned start, planned end): finished in 2025 (F6)
    ("design", "2023-06-01", "2024-02-29"),
    ("envelope_mep", "2024-03-01", "2025-09-30"),
    ("acceptance", "2025-10-01", "2025-11-30"),
    ("in_use", "2025-12-01", "2025-12-31"),
]
_EQUIPMENT_PLAN = [
    ("design", "2022-10-01", "2023-09-30"),
    ("envelope_mep", "2023-10-01", "2025-09-30"),
    ("acceptance", "2025-10-01", "2025-12-31"),
    ("in_use", "2026-01-01", "2026-03-31"),
]
HISTORY = {  # package: (plan, planned on, design completed on, installation started on)
    "feed-a": (_FEED_PLAN, "2023-06-01", "2024-02-29", "2024-03-01"),
    "feed-b": (_FEED_PLAN, "2023-06-01", "2024-02-29", "2024-03-01"),
    "dc-equipment": (_EQUIPMENT_PLAN, "2022-10-01", "2023-09-30", "2023-10-01"),
}


def _event(stream: str, type_: str, day: str, facts: list[str], **data: str) -> DomainEvent:
    at = start_of(date.fromisoformat(day))
    return DomainEvent(stream, type_, at, {**data, "facts": facts, "provenance": "schematic"})


def works_genesis_events(campus: Campus) -> list[DomainEvent]:
    """Plans and actuals of every work package whose building is in ``campus``."""
    out: list[DomainEvent] = []
    for package in WORK_PACKAGES:
        if package.building not in campus.buildings or package.id not in HISTORY:
            continue
        plan, planned_on, designed, installing = HISTORY[package.id]
        stream, facts = f"works:{package.id}", list(package.facts)
        design_start = plan[0][1]
        out += [
            _event(
                stream, "StagePlanned", planned_on, facts, stage=s, planned_start=a, planned_end=b
            )
            for s, a, b in plan
        ]
        out.append(_event(stream, "StageStarted", design_start, facts, stage="design"))
        out.append(_event(stream, "StageCompleted", designed, facts, stage="design"))
        out.append(_event(stream, "StageStarted", installing, facts, stage="envelope_mep"))
    return out
