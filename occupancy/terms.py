"""Lease terms and what they are worth: face rent, rent-free months, escalation, deposit,
service charge; the rent schedule, total contract value (TCV) and net effective rent (NER).

Rent follows the local convention: office units in CNY per m² per day (元/㎡/天), racks in
CNY per rack per month. A lease is cut into months from its start day (the last one may be
short); office rent is charged on a month's actual days, rack rent per whole month (a short
last month pro rata by days). The first ``rent_free_months`` months are free. Escalation
changes the face rent on each anniversary of the start: ``fixed`` by a percentage a year
(compounded), ``stepped`` to a given rent from a given lease year.

Money is CNY. Service charge (物业费) is CNY per m² per month, charged on rent-free months too.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from occupancy.errors import LeasingInvalid

RentUnit = Literal["cny_per_m2_day", "cny_per_rack_month"]
RENT_UNITS: dict[str, RentUnit] = {"office": "cny_per_m2_day", "rack": "cny_per_rack_month"}
MAX_RENT: dict[RentUnit, float] = {"cny_per_m2_day": 100.0, "cny_per_rack_month": 100_000.0}
"""Upper bounds of a face rent, by unit (anything above is a typing error)."""


@dataclass(frozen=True)
class Step:
    """From lease year ``year`` (1 = the first) the face rent is ``rent``."""

    year: int
    rent: float


@dataclass(frozen=True)
class LeaseTerms:
    """The money terms of a lease or of a hold's proposal."""

    rent: float
    rent_unit: RentUnit
    rent_free_months: int = 0
    escalation: Literal["none", "fixed", "stepped"] = "none"
    escalation_percent: float = 0.0
    steps: tuple[Step, ...] = field(default_factory=tuple)
    deposit_months: float = 0.0
    service_charge_cny_per_m2_month: float = 0.0
    provenance: str = "recorded"

    def rent_in_year(self, year: int) -> float:
        """The face rent in lease year ``year`` (0 = the first), in :attr:`rent_unit`."""
        if self.escalation == "fixed":
            return self.rent * (1 + self.escalation_percent / 100) ** year
        if self.escalation == "stepped":
            rent = self.rent
            for s in sorted(self.steps, key=lambda s: s.year):
                if s.year - 1 <= year:
                    rent = s.rent
            return rent
        return self.rent

    def to_data(self) -> dict[str, Any]:
        """The terms as event data."""
        return {
            "rent": self.rent,
            "rent_unit": self.rent_unit,
            "rent_free_months": self.rent_free_months,
            "escalation": self.escalation,
            "escalation_percent": self.escalation_percent,
            "steps": [{"year": s.year, "rent": s.rent} for s in self.steps],
            "deposit_months": self.deposit_months,
            "service_charge_cny_per_m2_month": self.service_charge_cny_per_m2_month,
            "provenance": self.provenance,
        }


def terms_of(data: Mapping[str, Any] | None) -> LeaseTerms | None:
    """The terms event data describe (None: no terms)."""
    if not data:
        return None
    return LeaseTerms(
        rent=float(data["rent"]),
        rent_unit=data["rent_unit"],
        rent_free_months=int(data.get("rent_free_months", 0)),
        escalation=data.get("escalation", "none"),
        escalation_percent=float(data.get("escalation_percent", 0.0)),
        steps=tuple(Step(int(s["year"]), float(s["rent"])) for s in data.get("steps", [])),
        deposit_months=float(data.get("deposit_months", 0.0)),
        service_charge_cny_per_m2_month=float(data.get("service_charge_cny_per_m2_month", 0.0)),
        provenance=data.get("provenance", "recorded"),
    )


def check_terms(terms: LeaseTerms, kinds: Collection[str], start: date, end: date) -> None:
    """Refuse terms that do not fit the spaces' kind or the period, naming the field."""
    if len(kinds) != 1:
        raise LeasingInvalid("spaces", "let office units and racks in separate agreements")
    wanted = RENT_UNITS[next(iter(kinds))]
    if terms.rent_unit != wanted:
        raise LeasingInvalid("terms.rent_unit", f"these spaces are let in {wanted}")
    if not 0 < terms.rent <= MAX_RENT[wanted]:
        raise LeasingInvalid("terms.rent", f"must lie within 0 .. {MAX_RENT[wanted]:,.0f}")
    months = len(periods(start, end))
    if terms.rent_free_months >= months:
        raise LeasingInvalid("terms.rent_free_months", f"the lease has only {months} months")
    if terms.escalation == "stepped":
        years = [s.year for s in terms.steps]
        if not years or len(set(years)) != len(years) or min(years) < 2:
            raise LeasingInvalid("terms.steps", "give each step once, from lease year 2 on")
        if any(not 0 < s.rent <= MAX_RENT[wanted] for s in terms.steps):
            raise LeasingInvalid("terms.steps", f"a rent must lie within 0 .. {MAX_RENT[wanted]}")
    elif terms.steps:
        raise LeasingInvalid("terms.steps", "steps are for a stepped escalation only")
    if terms.escalation != "fixed" and terms.escalation_percent:
        raise LeasingInvalid("terms.escalation_percent", "a percentage is for fixed escalation")


def add_months(day: date, months: int) -> date:
    """``day`` moved ``months`` calendar months on (the 31st becomes a shorter month's last)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Period:
    """Month ``index`` of a lease (0 = the first): ``[start, end)``, and the share of a whole
    month it covers (1 unless it is a short last month)."""

    index: int
    start: date
    end: date
    fraction: float

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def periods(start: date, end: date) -> list[Period]:
    """The lease's months, from its start day."""
    out: list[Period] = []
    k = 0
    while (begin := add_months(start, k)) < end:
        full = add_months(start, k + 1)
        stop = min(full, end)
        out.append(Period(k, begin, stop, (stop - begin).days / (full - begin).days))
        k += 1
    return out


@dataclass(frozen=True)
class Payment:
    """What one month of a lease charges: rent (0 when rent-free) and service charge, CNY;
    ``quantity`` is what the rent is charged on (m²·days, or racks·months)."""

    period: Period
    face_rent: float
    quantity: float
    rent_cny: float
    service_charge_cny: float


def schedule(
    terms: LeaseTerms, start: date, end: date, area_m2: float, racks: int
) -> list[Payment]:
    """Month by month, what the lease charges over ``[start, end)``.

    ``area_m2`` is the let area (a rack lease: the racks' footprint, for the service charge);
    ``racks`` the number of racks (0 for offices).
    """
    out = []
    for p in periods(start, end):
        face = terms.rent_in_year(p.index // 12)
        quantity = area_m2 * p.days if terms.rent_unit == "cny_per_m2_day" else racks * p.fraction
        rent = 0.0 if p.index < terms.rent_free_months else face * quantity
        service = terms.service_charge_cny_per_m2_month * area_m2 * p.fraction
        out.append(Payment(p, face, quantity, rent, service))
    return out


@dataclass(frozen=True)
class Economics:
    """What a lease's terms are worth (CNY unless stated)."""

    total_contract_value_cny: float
    """TCV: every rent payment of the term, rent-free months given away, undiscounted."""
    net_effective_rent: float
    """NER: the level face rent (in the rent unit) whose present value over the term equals
    that of the rent actually paid, at ``discount_rate``."""
    discount_rate: float
    """A year, compounded; each month's payment is due on its first day."""
    service_charge_total_cny: float
    deposit_cny: float
    """``deposit_months`` of the first year's face rent."""
    months: int
    rent_unit: RentUnit


def economics(
    terms: LeaseTerms, start: date, end: date, area_m2: float, racks: int, discount_rate: float
) -> Economics:
    """TCV and NER of ``terms`` over ``[start, end)``, NER discounted at ``discount_rate``.

    NER = Σ rent_m · v_m / Σ quantity_m · v_m, with v_m = (1 + r) ^ -(days from the start to
    month m's first day / 365).
    """
    if not 0 <= discount_rate <= 1:
        raise LeasingInvalid("discount_rate", "must lie within 0 .. 1 (a year)")
    pays = schedule(terms, start, end, area_m2, racks)
    pv_rent = pv_quantity = 0.0
    for p in pays:
        v = (1 + discount_rate) ** (-(p.period.start - start).days / 365)
        pv_rent += p.rent_cny * v
        pv_quantity += p.quantity * v
    first = pays[: min(12, len(pays))]
    monthly = sum(terms.rent * p.quantity for p in first) / max(
        sum(p.period.fraction for p in first), 1e-9
    )
    return Economics(
        total_contract_value_cny=sum(p.rent_cny for p in pays),
        net_effective_rent=pv_rent / pv_quantity if pv_quantity else 0.0,
        discount_rate=discount_rate,
        service_charge_total_cny=sum(p.service_charge_cny for p in pays),
        deposit_cny=terms.deposit_months * monthly,
        months=len(pays),
        rent_unit=terms.rent_unit,
    )


def annual_rent(terms: LeaseTerms, start: date, day: date, area_m2: float, racks: int) -> float:
    """The face rent in force on ``day`` (the first year's before the start), as CNY a year:
    what a lease earns a year, rent-free months aside (the income weight of WALE)."""
    face = current_rent(terms, start, day)
    return face * area_m2 * 365 if terms.rent_unit == "cny_per_m2_day" else face * racks * 12


def lease_year(start: date, day: date) -> int:
    """The lease year ``day`` falls in (0 = the first; before the start: 0)."""
    year = 0
    while add_months(start, 12 * (year + 1)) <= day:
        year += 1
    return year


def current_rent(terms: LeaseTerms, start: date, day: date) -> float:
    """The face rent in force on ``day``, in the terms' unit."""
    return terms.rent_in_year(lease_year(start, day))


def next_escalation(
    terms: LeaseTerms, start: date, end: date, day: date
) -> tuple[date, float] | None:
    """The next anniversary after ``day`` (and before ``end``) on which the face rent changes,
    with the rent from then; None if it no longer changes."""
    year = lease_year(start, day) if day >= start else -1
    now = terms.rent_in_year(max(year, 0))
    k = year + 1
    while (on := add_months(start, 12 * k)) < end:
        rent = terms.rent_in_year(k)
        if on > day and abs(rent - now) > 1e-12:
            return on, rent
        k += 1
    return None


def rent_free_until(terms: LeaseTerms, start: date) -> date | None:
    """The first day rent is paid, if the lease begins rent-free."""
    return add_months(start, terms.rent_free_months) if terms.rent_free_months else None
