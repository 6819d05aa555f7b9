"""Gross floor area by construction state: topped out, accepted, in use; actual and planned.

A building's whole GFA counts from the day it is topped out (``structure`` completed),
accepted (``acceptance`` completed) or in use (``in_use`` started: phased opening counts the
building from its first phase). The planned series uses the planned dates (planned end of
structure and acceptance, planned start of use), falling back to the actual date for a stage
that was never planned. Areas in m².
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from assets.construction.catalogue import Entity
from assets.construction.stages import State, stage_record

GFA_STATES = ("topped_out", "accepted", "in_use")
"""The states whose GFA is counted, in order."""
_EVENT = {
    "topped_out": ("structure", "end"),
    "accepted": ("acceptance", "end"),
    "in_use": ("in_use", "start"),
}


@dataclass(frozen=True)
class BuildingDates:
    """When a building reached (or is planned to reach) each GFA state."""

    building: str
    parcel: str
    gfa_m2: float
    actual: dict[str, date | None]
    planned: dict[str, date | None]


def building_dates(entity: Entity, state: State) -> BuildingDates:
    """The actual and planned dates of each GFA state of one building."""
    actual: dict[str, date | None] = {}
    planned: dict[str, date | None] = {}
    for key, (stage, edge) in _EVENT.items():
        r = stage_record(state, stage)
        actual[key] = r.actual_end if edge == "end" else r.actual_start
        plan = r.planned_end if edge == "end" else r.planned_start
        planned[key] = plan if plan is not None else actual[key]
    return BuildingDates(entity.id, entity.parcel, entity.gfa_m2, actual, planned)


@dataclass(frozen=True)
class GfaTotals:
    """GFA of one scope (a parcel or the campus) in each state on one day, m²."""

    scope: str
    total_m2: float
    actual_m2: dict[str, float]
    planned_m2: dict[str, float]


def totals(scope: str, buildings: list[BuildingDates], day: date) -> GfaTotals:
    """GFA of ``buildings`` in each state on ``day``: as it was, and as it was planned to be."""

    def area(which: str, key: str) -> float:
        return round(
            sum(
                b.gfa_m2
                for b in buildings
                if (d := (b.actual if which == "actual" else b.planned)[key]) is not None
                and d <= day
            ),
            1,
        )

    return GfaTotals(
        scope=scope,
        total_m2=round(sum(b.gfa_m2 for b in buildings), 1),
        actual_m2={k: area("actual", k) for k in GFA_STATES},
        planned_m2={k: area("planned", k) for k in GFA_STATES},
    )


def by_scope(buildings: list[BuildingDates], day: date) -> list[GfaTotals]:
    """Totals per parcel (in order of first appearance), then the whole campus (``campus``)."""
    parcels = list(dict.fromkeys(b.parcel for b in buildings))
    out = [totals(p, [b for b in buildings if b.parcel == p], day) for p in parcels]
    return [*out, totals("campus", buildings, day)]


@dataclass(frozen=True)
class SeriesPoint:
    """One day of a GFA series: actual (None after the as-of date: not yet known) and plan."""

    day: date
    actual_m2: dict[str, float] | None
    planned_m2: dict[str, float]


def month_starts(first: date, last: date) -> list[date]:
    """The first day of every month from ``first``'s month to ``last``'s, inclusive."""
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def series(
    buildings: list[BuildingDates], first: date, last: date, known_on: date
) -> list[SeriesPoint]:
    """Monthly GFA from ``first`` to ``last`` (and on ``known_on`` itself when inside), as
    known on ``known_on``: actual values stop there, planned ones go on."""
    days = sorted({*month_starts(first, last), *([known_on] if first <= known_on <= last else [])})
    out = []
    for day in days:
        t = totals("series", buildings, day)
        out.append(SeriesPoint(day, t.actual_m2 if day <= known_on else None, t.planned_m2))
    return out
