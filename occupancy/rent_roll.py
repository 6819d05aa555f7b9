"""The rent roll, WALE and the lease-expiry profile, from the leases in force on a day.

A lease is *in force* on ``day`` when it is signed (started or not: a pre-lease counts) and
its period ends after ``day``. Its remaining term is ``(end - day) / 365`` years (a lease not
started yet counts its whole remaining contract). WALE (weighted average lease expiry) weighs
remaining terms by let area (m²) or by income (the face rent in force on ``day`` as CNY a
year, rent-free months aside); a lease without terms counts by area only.

A lease over several buildings is split by area: each building gets its area and that share
of the income.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from occupancy.agreements import Agreement
from occupancy.spaces import SpaceCatalog
from occupancy.terms import annual_rent, current_rent, next_escalation, rent_free_until


@dataclass(frozen=True)
class RentRollRow:
    """One lease in force on ``day``."""

    lease: str
    tenant: str
    status: str
    pre_lease: bool
    spaces: tuple[str, ...]
    buildings: tuple[str, ...]
    area_m2: float
    racks: int
    start: date
    end: date
    expiry: date
    """The last day covered (``end`` - 1 day)."""
    rent: float | None
    """Face rent in force on the day, in ``rent_unit``; None: no terms recorded."""
    rent_unit: str | None
    annual_rent_cny: float | None
    rent_free_until: date | None
    next_escalation: date | None
    next_rent: float | None
    remaining_years: float
    area_by_building: Mapping[str, float]


def in_force(lease: Agreement, day: date) -> bool:
    """Whether a lease still binds on ``day`` (signed, not yet over)."""
    return lease.kind == "lease" and lease.end > lease.start and lease.end > day


def rent_roll(leases: Iterable[Agreement], catalog: SpaceCatalog, day: date) -> list[RentRollRow]:
    """Every lease in force on ``day``, by expiry then id."""
    rows = []
    for a in leases:
        if not in_force(a, day):
            continue
        spaces = [catalog.spaces[s] for s in a.spaces if s in catalog.spaces]
        by_building: dict[str, float] = {}
        for s in spaces:
            by_building[s.building] = by_building.get(s.building, 0.0) + s.area_m2
        area = sum(by_building.values())
        racks = sum(1 for s in spaces if s.kind == "rack")
        t = a.terms
        nxt = next_escalation(t, a.start, a.end, day) if t else None
        rows.append(
            RentRollRow(
                lease=a.id,
                tenant=a.tenant,
                status=a.status,
                pre_lease=a.pre_lease,
                spaces=a.spaces,
                buildings=tuple(sorted(by_building)),
                area_m2=area,
                racks=racks,
                start=a.start,
                end=a.end,
                expiry=a.end - timedelta(days=1),
                rent=current_rent(t, a.start, day) if t else None,
                rent_unit=t.rent_unit if t else None,
                annual_rent_cny=annual_rent(t, a.start, day, area, racks) if t else None,
                rent_free_until=rent_free_until(t, a.start) if t else None,
                next_escalation=nxt[0] if nxt else None,
                next_rent=nxt[1] if nxt else None,
                remaining_years=(a.end - day).days / 365,
                area_by_building=by_building,
            )
        )
    return sorted(rows, key=lambda r: (r.end, r.lease))


@dataclass(frozen=True)
class Wale:
    """WALE of one scope (a building, the fish, the campus), years."""

    scope: str
    leases: int
    area_m2: float
    annual_rent_cny: float
    by_area_years: float | None
    by_income_years: float | None


def _share(row: RentRollRow, buildings: frozenset[str] | None) -> float:
    """The share of a row's area inside ``buildings`` (None: everywhere)."""
    if buildings is None or not row.area_m2:
        return 1.0
    inside = sum(a for b, a in row.area_by_building.items() if b in buildings)
    return inside / row.area_m2


def wale(scope: str, rows: Iterable[RentRollRow], buildings: frozenset[str] | None) -> Wale:
    """WALE of the rows' leases inside ``buildings`` (None: all of them).

    by area = Σ areaᵢ·yearsᵢ / Σ areaᵢ; by income = Σ rentᵢ·yearsᵢ / Σ rentᵢ.
    """
    n = 0
    area = area_years = income = income_years = 0.0
    for r in rows:
        share = _share(r, buildings)
        if share <= 0:
            continue
        n += 1
        area += r.area_m2 * share
        area_years += r.area_m2 * share * r.remaining_years
        if r.annual_rent_cny is not None:
            income += r.annual_rent_cny * share
            income_years += r.annual_rent_cny * share * r.remaining_years
    return Wale(
        scope=scope,
        leases=n,
        area_m2=area,
        annual_rent_cny=income,
        by_area_years=area_years / area if area else None,
        by_income_years=income_years / income if income else None,
    )


@dataclass(frozen=True)
class ExpiryYear:
    """Leases whose last day falls in ``year``: their area and income a year."""

    year: int
    leases: int
    area_m2: float
    annual_rent_cny: float


def expiry_profile(
    rows: Iterable[RentRollRow], buildings: frozenset[str] | None
) -> list[ExpiryYear]:
    """Area and income expiring per calendar year (of each lease's last day), every year from
    the first to the last expiry included (years with nothing expiring are zeros)."""
    by_year: dict[int, list[float]] = {}
    for r in rows:
        share = _share(r, buildings)
        if share <= 0:
            continue
        cell = by_year.setdefault(r.expiry.year, [0, 0.0, 0.0])
        cell[0] += 1
        cell[1] += r.area_m2 * share
        cell[2] += (r.annual_rent_cny or 0.0) * share
    if not by_year:
        return []
    return [
        ExpiryYear(y, int(by_year.get(y, [0])[0]), *(by_year.get(y, [0, 0.0, 0.0])[1:]))
        for y in range(min(by_year), max(by_year) + 1)
    ]


UNUSUAL_BELOW, UNUSUAL_ABOVE = 0.5, 2.0
"""A face rent under half the lowest, or over twice the highest, of a building's rents in force
(same unit) is far outside its range: it is asked to be confirmed."""
MIN_LEASES_FOR_RANGE = 3
"""A building needs this many rents in force before its range means anything."""


def rent_ranges(rows: Iterable[RentRollRow]) -> dict[tuple[str, str], tuple[float, float, int]]:
    """(building, rent unit) -> (lowest, highest, how many) face rents of the rows."""
    out: dict[tuple[str, str], tuple[float, float, int]] = {}
    for r in rows:
        if r.rent is None or r.rent_unit is None:
            continue
        for b in r.buildings:
            low, high, n = out.get((b, r.rent_unit), (r.rent, r.rent, 0))
            out[(b, r.rent_unit)] = (min(low, r.rent), max(high, r.rent), n + 1)
    return out


def unusual_rent(
    rent: float,
    unit: str,
    buildings: Iterable[str],
    ranges: Mapping[tuple[str, str], tuple[float, float, int]],
) -> str | None:
    """Why ``rent`` is far outside a building's range, or None when it is not (or the
    building has too few rents in force to tell)."""
    for b in sorted(set(buildings)):
        low, high, n = ranges.get((b, unit), (0.0, 0.0, 0))
        if n < MIN_LEASES_FOR_RANGE:
            continue
        if rent < UNUSUAL_BELOW * low or rent > UNUSUAL_ABOVE * high:
            return (
                f"{rent:g} {unit} is far outside the {low:g}-{high:g} of the {n} leases in force "
                f"in {b}: send it again with confirm_unusual_rent: true if it is meant"
            )
    return None
