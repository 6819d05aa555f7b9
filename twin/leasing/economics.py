"""Lease economics of a running twin at an instant: the rent roll, WALE by scope, the
lease-expiry profile, and what one lease (or a hold's proposal) is worth."""

from __future__ import annotations

from datetime import date, datetime

from assets.history import local_day
from occupancy.agreements import Agreement
from occupancy.errors import LeasingNotFound
from occupancy.occupancy_kpis import Tally, occupancy_tallies
from occupancy.rent_roll import ExpiryYear, RentRollRow, Wale, expiry_profile, rent_roll, wale
from occupancy.terms import Economics, economics
from twin.leasing.read import agreements, buildings_at, spaces_of
from twin.runtime import Twin

FISH_ROLES = frozenset({"head", "body", "tail", "fin"})
"""Parcel roles that make up the fish (F4); ``plot`` parcels lie outside it."""


def day_of(at: datetime) -> date:
    """The campus day of an instant."""
    return date.fromisoformat(local_day(at))


def roll(twin: Twin, at: datetime, building: str | None = None) -> list[RentRollRow]:
    """The rent roll at ``at``: every lease in force (optionally only those in ``building``)."""
    rows = rent_roll(agreements(twin, at, "lease"), spaces_of(twin, at), day_of(at))
    return [r for r in rows if building is None or building in r.buildings]


def fish_buildings(twin: Twin, at: datetime) -> frozenset[str]:
    """Buildings on the fish's parcels at ``at``."""
    campus = twin.campus_at(at)
    fish = {p.id for p in campus.parcels.values() if p.role in FISH_ROLES}
    return frozenset(b.id for b in campus.buildings.values() if b.parcel in fish)


def wale_by_scope(twin: Twin, at: datetime) -> tuple[Wale, Wale, list[Wale]]:
    """WALE of the campus, the fish and each building with a lease in force, at ``at``."""
    rows = roll(twin, at)
    buildings = sorted({b for r in rows for b in r.buildings})
    return (
        wale("campus", rows, None),
        wale("fish", rows, fish_buildings(twin, at)),
        [wale(b, rows, frozenset({b})) for b in buildings],
    )


def expiries(twin: Twin, at: datetime, building: str | None = None) -> list[ExpiryYear]:
    """Area and income expiring per year, of the leases in force at ``at``."""
    rows = roll(twin, at, building)
    return expiry_profile(rows, frozenset({building}) if building else None)


def worth(twin: Twin, found: Agreement, discount_rate: float) -> Economics:
    """TCV and NER of a lease's terms, or of a hold's proposal (404 if it has none)."""
    if found.terms is None:
        raise LeasingNotFound(f"{found.kind} {found.id} has no terms recorded")
    cat = spaces_of(twin)
    spaces = [cat.spaces[s] for s in found.spaces if s in cat.spaces]
    area = sum(s.area_m2 for s in spaces)
    racks = sum(1 for s in spaces if s.kind == "rack")
    return economics(found.terms, found.start, found.end, area, racks, discount_rate)


def occupancy(twin: Twin, at: datetime) -> tuple[Tally, Tally, list[Tally]]:
    """Occupied, signed, pre-leased, held and vacant spaces (count, m²) of the campus, the
    fish and each building, at ``at``."""
    projection = twin.fresh()
    spaces = spaces_of(twin, at).spaces.values()
    states = projection.all_at(at, "space:")
    ready = buildings_at(projection, twin, at)
    return occupancy_tallies(spaces, states, ready, at, day_of(at), fish_buildings(twin, at))
