"""The campus's history from 2019 to the last published fact (2024-09-12), as events.

Built from campus-facts.md. Where a source gives only a year or a half-year, the day is
schematic and the event says so (``provenance: "schematic"``). Nothing after the article's
date is recorded as done: what the sources expect (acceptance by end 2025, operation in 2025)
is recorded as a plan (``StagePlanned``, ``FacilityPlanned``) made before that date.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from assets.campus import Campus
from assets.events import DomainEvent
from assets.history import CAMPUS_TZ

ARTICLE_DATE = "2024-09-12"
"""The date of the source article: the last day whose state the facts describe."""


def _at(day: str) -> datetime:
    """Midnight of a day in Shanghai, as an aware datetime."""
    return datetime.fromisoformat(day).replace(tzinfo=CAMPUS_TZ)


def _event(
    stream: str, type_: str, day: str, facts: list[str], exact: bool = False, **data: Any
) -> DomainEvent:
    provenance = "published" if exact else "schematic"
    return DomainEvent(stream, type_, _at(day), {**data, "facts": facts, "provenance": provenance})


def _milestones() -> list[DomainEvent]:
    rows = [  # (day, id, zh, en, facts, day published?)
        (
            "2019-08-20",
            "special-area-established",
            "临港新片区设立,规划国际数据港",
            "Lingang Special Area established; international data port planned",
            ["F10"],
            False,
        ),
        (
            "2020-06-01",
            "flying-fish-concept",
            "信息飞鱼概念设计发布",
            "Information Flying Fish concept design published",
            ["S1"],
            True,
        ),
        (
            "2020-07-01",
            "data-port-task-force",
            "国际数据港设施体系提出,成立专班",
            "International data port facility system proposed; task force set up",
            ["F10"],
            False,
        ),
        ("2021-07-01", "pilot-exploration", "点上探索", "Pilot exploration", ["F10"], False),
        (
            "2021-11-01",
            "collaboration-zone-launched",
            "国际创新协同区启动",
            "International Innovation Collaboration Zone launched",
            ["S3"],
            True,
        ),
        (
            "2022-03-01",
            "regulations-issued",
            "临港新片区条例出台",
            "Lingang Special Area Regulations issued",
            ["F10"],
            False,
        ),
        (
            "2023-06-01",
            "five-scenario-pilots",
            "5个场景试点完成,数据跨境流动操作指引发布",
            "5 scenario pilots completed; data flow operating guidelines issued",
            ["F10"],
            False,
        ),
        (
            "2023-10-27",
            "park-unveiled",
            "国际数据经济产业园揭牌",
            "International Data Economy Industrial Park unveiled",
            ["F1"],
            True,
        ),
    ]
    out = [
        _event(
            "campus",
            "MilestoneReached",
            day,
            facts,
            exact,
            milestone=mid,
            name={"zh": zh, "en": en},
        )
        for day, mid, zh, en, facts, exact in rows
    ]
    out.append(
        _event(
            "campus",
            "EnterprisesReported",
            "2023-10-27",
            ["S5"],
            True,
            count=25,
            qualifier="first batch signed at the unveiling",
        )
    )
    out.append(
        _event(
            "campus",
            "EnterprisesReported",
            ARTICLE_DATE,
            ["F9"],
            True,
            count=40,
            qualifier="more than",
        )
    )
    return out


def _stages(
    building: str,
    facts: list[str],
    done: list[tuple[str, str, str]],
    started: list[tuple[str, str]],
    plans: list[tuple[str, str, str]],
    planned_on: str,
) -> list[DomainEvent]:
    """Events of one building: ``done`` (stage, start, end), ``started`` (stage, start) and
    ``plans`` (stage, planned start, planned end), the plan recorded on ``planned_on``."""
    stream = f"building:{building}"
    out = [
        _event(stream, "StagePlanned", planned_on, facts, stage=s, planned_start=a, planned_end=b)
        for s, a, b in plans
    ]
    for stage, start, end in done:
        out.append(_event(stream, "StageStarted", start, facts, stage=stage))
        out.append(_event(stream, "StageCompleted", end, facts, stage=stage))
    out += [_event(stream, "StageStarted", start, facts, stage=s) for s, start in started]
    return out


def _buildings(campus: Campus) -> list[DomainEvent]:
    out: list[DomainEvent] = []
    for b in campus.buildings.values():
        if b.parcel == "fish-head":  # F5: topped out by 2024-09, acceptance by end 2025
            out += _stages(
                b.id,
                ["F5", "S1"],
                done=[
                    ("design", "2020-06-01", "2021-02-28"),
                    ("foundation", "2021-03-15", "2022-03-31"),
                    ("structure", "2022-04-01", "2024-06-28"),
                ],
                started=[("envelope_mep", "2024-07-01")],
                plans=[
                    ("design", "2020-06-01", "2021-02-28"),
                    ("foundation", "2021-03-15", "2022-03-31"),
                    ("structure", "2022-04-01", "2024-06-30"),
                    ("envelope_mep", "2024-07-01", "2025-10-31"),
                    ("acceptance", "2025-11-01", "2025-12-31"),
                    ("fit_out", "2026-01-01", "2026-09-30"),
                    ("in_use", "2026-03-01", "2027-06-30"),
                ],
                planned_on="2021-03-01",
            )
        elif b.parcel in ("fish-body", "fish-tail"):  # F4 minus F5: no status published
            out += _stages(
                b.id,
                ["F4"],
                done=[("design", "2021-06-01", "2023-06-30")],
                started=[],
                plans=[
                    ("foundation", "2024-10-01", "2025-09-30"),
                    ("structure", "2025-10-01", "2027-03-31"),
                    ("envelope_mep", "2027-01-01", "2027-12-31"),
                    ("acceptance", "2028-01-01", "2028-03-31"),
                ],
                planned_on="2023-06-30",
            )
        elif b.id == "office-building":  # F7: fit-out from H2 2024, operation in 2025
            out += _stages(
                b.id,
                ["F7"],
                done=[
                    ("design", "2020-09-01", "2021-03-31"),
                    ("foundation", "2021-04-01", "2021-12-31"),
                    ("structure", "2022-01-01", "2023-06-30"),
                    ("envelope_mep", "2023-07-01", "2024-05-31"),
                    ("acceptance", "2024-06-01", "2024-08-30"),
                ],
                started=[("fit_out", "2024-09-02")],
                plans=[
                    ("fit_out", "2024-09-01", "2025-03-31"),
                    ("in_use", "2025-04-01", "2025-06-30"),
                ],
                planned_on="2024-06-01",
            )
        elif (
            b.id == "data-centre"
        ):  # S2 groundbreaking 2021-06-20; F6 civil works done, equipment 2025
            out += _stages(
                b.id,
                ["F6", "S2"],
                done=[
                    ("design", "2020-10-01", "2021-06-19"),
                    ("foundation", "2021-06-20", "2022-03-31"),
                    ("structure", "2022-04-01", "2023-09-30"),
                ],
                started=[("envelope_mep", "2023-10-01")],
                plans=[
                    ("envelope_mep", "2023-10-01", "2025-09-30"),
                    ("acceptance", "2025-10-01", "2025-12-31"),
                    ("in_use", "2026-01-01", "2026-03-31"),
                ],
                planned_on="2021-06-20",
            )
        elif b.id == "service-centre":  # F8: operating by 2024-09
            out += _stages(
                b.id,
                ["F8"],
                done=[
                    ("structure", "2022-03-01", "2022-12-31"),
                    ("acceptance", "2023-03-01", "2023-05-31"),
                    ("fit_out", "2023-06-01", "2023-09-30"),
                ],
                started=[("in_use", "2023-10-27")],
                plans=[],
                planned_on="2022-03-01",
            )
    return out


def _facilities() -> list[DomainEvent]:
    return [
        _event(
            "facility:dc",
            "FacilityStatusChanged",
            "2021-06-20",
            ["S2"],
            True,
            status="under_construction",
        ),
        _event(
            "facility:dc", "FacilityPlanned", "2021-06-20", ["F6"], planned_operational="2025-12-31"
        ),
        *(
            e
            for feed in ("feed-a", "feed-b")
            for e in (
                _event(
                    f"facility:{feed}",
                    "FacilityStatusChanged",
                    "2024-03-01",
                    ["F6"],
                    status="under_construction",
                ),
                _event(
                    f"facility:{feed}",
                    "FacilityPlanned",
                    "2024-03-01",
                    ["F6"],
                    planned_operational="2025-12-31",
                ),
            )
        ),
        _event(
            "facility:cross-border-centre",
            "FacilityStatusChanged",
            "2023-10-27",
            ["F8"],
            status="operational",
        ),
    ]


def genesis_events(campus: Campus) -> list[DomainEvent]:
    """The whole history, in order of effective time (stable for equal times)."""
    events = _milestones() + _buildings(campus) + _facilities()
    return sorted(events, key=lambda e: e.effective_at.astimezone(UTC))
