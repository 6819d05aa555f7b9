"""Lease economics against cases worked by hand (the arithmetic is in the comments)."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

import pytest
from shapely.geometry import box

from occupancy.agreements import Agreement
from occupancy.errors import LeasingInvalid
from occupancy.occupancy_kpis import occupancy_of
from occupancy.rent_roll import expiry_profile, rent_ranges, rent_roll, unusual_rent, wale
from occupancy.spaces import Space, SpaceCatalog
from occupancy.status import Readiness
from occupancy.terms import (
    LeaseTerms,
    Step,
    check_terms,
    economics,
    next_escalation,
    periods,
)

OFFICE = LeaseTerms(
    rent=3.00,
    rent_unit="cny_per_m2_day",
    rent_free_months=3,
    escalation="fixed",
    escalation_percent=5.0,
    deposit_months=3,
    service_charge_cny_per_m2_month=25.0,
)


def test_tcv_and_ner_undiscounted_with_rent_free_months_and_fixed_escalation():
    # 1,000 m² from 2027-01-01 to 2029-01-01 at 3.00 元/㎡/天, 3 months free, +5 % a year.
    # Year 1 (2027, 365 days): Jan+Feb+Mar free = 31+28+31 = 90 days; paid 275 days:
    #   275 × 1,000 × 3.00 = 825,000
    # Year 2 (2028, a leap year: 366 days) at 3.00 × 1.05 = 3.15:
    #   366 × 1,000 × 3.15 = 1,152,900
    # TCV = 825,000 + 1,152,900 = 1,977,900 CNY
    # NER at 0 %: TCV / (1,000 m² × 731 days) = 1,977,900 / 731,000 = 2.705746 元/㎡/天
    # Service charge: 25 × 1,000 × 24 months = 600,000; deposit: 3 months of the first
    # year's rent = 3 × (3.00 × 1,000 × 365 / 12) = 3 × 91,250 = 273,750.
    e = economics(OFFICE, date(2027, 1, 1), date(2029, 1, 1), 1000.0, 0, 0.0)
    assert e.months == 24
    assert e.total_contract_value_cny == pytest.approx(1_977_900.0)
    assert e.net_effective_rent == pytest.approx(2.705746, abs=1e-6)
    assert e.service_charge_total_cny == pytest.approx(600_000.0)
    assert e.deposit_cny == pytest.approx(273_750.0)


def test_ner_discounted_weighs_the_rent_free_month_at_its_date():
    # 100 m² from 2027-01-01 to 2027-03-01 at 3.00 元/㎡/天, January free, r = 10 % a year.
    # February pays 3 × 100 × 28 = 8,400, due on day 31: v = 1.1^(-31/365)
    #   ln 1.1 = 0.0953102; × 31/365 = 0.0080948; v = e^-0.0080948 = 0.9919378
    # NER = 8,400 v / (100 × 31 + 100 × 28 × v) = 8,332.278 / 5,877.426 = 1.417675
    # Undiscounted it would be 8,400 / 5,900 = 1.423729: discounting lowers it.
    terms = LeaseTerms(rent=3.0, rent_unit="cny_per_m2_day", rent_free_months=1)
    e = economics(terms, date(2027, 1, 1), date(2027, 3, 1), 100.0, 0, 0.10)
    assert e.total_contract_value_cny == pytest.approx(8_400.0)
    assert e.net_effective_rent == pytest.approx(1.417675, abs=2e-6)
    flat = economics(terms, date(2027, 1, 1), date(2027, 3, 1), 100.0, 0, 0.0)
    assert flat.net_effective_rent == pytest.approx(8_400 / 5_900)
    # no incentive, no escalation: NER is the face rent whatever the rate
    plain = LeaseTerms(rent=3.0, rent_unit="cny_per_m2_day")
    assert economics(
        plain, date(2027, 1, 1), date(2030, 1, 1), 50.0, 0, 0.12
    ).net_effective_rent == (pytest.approx(3.0))


def test_racks_per_rack_month_with_a_short_last_month():
    # 10 racks at 6,000 元/rack/month from 2027-01-01 to 2027-04-16: Jan, Feb, Mar whole,
    # April 1-15 is 15 of 30 days = 0.5 month; January free.
    # TCV = 6,000 × 10 × (1 + 1 + 0.5) = 150,000
    terms = LeaseTerms(rent=6000.0, rent_unit="cny_per_rack_month", rent_free_months=1)
    e = economics(terms, date(2027, 1, 1), date(2027, 4, 16), 25.0, 10, 0.0)
    assert [p.fraction for p in periods(date(2027, 1, 1), date(2027, 4, 16))] == [1, 1, 1, 0.5]
    assert e.total_contract_value_cny == pytest.approx(150_000.0)
    # NER at 0 %: 150,000 / (10 racks × 3.5 months) = 4,285.71 元/rack/month
    assert e.net_effective_rent == pytest.approx(150_000 / 35)


def test_stepped_escalation_and_the_next_step():
    # 3.00 for lease years 1-2, 3.50 from year 3 (2029-01-01) on.
    terms = LeaseTerms(
        rent=3.0, rent_unit="cny_per_m2_day", escalation="stepped", steps=(Step(3, 3.5),)
    )
    assert [terms.rent_in_year(y) for y in range(4)] == [3.0, 3.0, 3.5, 3.5]
    start, end = date(2027, 1, 1), date(2032, 1, 1)
    assert next_escalation(terms, start, end, date(2027, 6, 1)) == (date(2029, 1, 1), 3.5)
    assert next_escalation(terms, start, end, date(2029, 1, 1)) is None
    # fixed: every anniversary, compounded: 3.00, 3.09, 3.1827
    fixed = LeaseTerms(
        rent=3.0, rent_unit="cny_per_m2_day", escalation="fixed", escalation_percent=3
    )
    assert fixed.rent_in_year(2) == pytest.approx(3.0 * 1.03 * 1.03)
    assert next_escalation(fixed, start, end, date(2028, 2, 1)) == (
        date(2029, 1, 1),
        pytest.approx(3.1827),
    )


@pytest.mark.parametrize(
    ("terms", "kinds", "field"),
    [
        (LeaseTerms(3.0, "cny_per_rack_month"), {"office"}, "terms.rent_unit"),
        (LeaseTerms(3.0, "cny_per_m2_day"), {"office", "rack"}, "spaces"),
        (LeaseTerms(300.0, "cny_per_m2_day"), {"office"}, "terms.rent"),
        (
            LeaseTerms(3.0, "cny_per_m2_day", rent_free_months=12),
            {"office"},
            "terms.rent_free_months",
        ),
        (LeaseTerms(3.0, "cny_per_m2_day", escalation="stepped"), {"office"}, "terms.steps"),
        (
            LeaseTerms(3.0, "cny_per_m2_day", escalation="stepped", steps=(Step(1, 4.0),)),
            {"office"},
            "terms.steps",
        ),
        (
            LeaseTerms(3.0, "cny_per_m2_day", escalation_percent=3),
            {"office"},
            "terms.escalation_percent",
        ),
    ],
)
def test_terms_that_do_not_fit_are_refused_naming_the_field(terms, kinds, field):
    with pytest.raises(LeasingInvalid) as refused:
        check_terms(terms, kinds, date(2027, 1, 1), date(2028, 1, 1))  # 12 months
    assert refused.value.field == field


def _space(sid: str, building: str, area: float) -> Space:
    return Space(
        sid,
        "office",
        "fish-head",
        building,
        f"{building}/L03",
        3,
        f"{building}/L03",
        box(0, 0, 1, 1),
        area,
    )


def _lease(lid: str, spaces: tuple[str, ...], start: date, end: date, rent: float) -> Agreement:
    return Agreement(
        id=lid, kind="lease", status="signed", tenant=f"t-{lid}", spaces=spaces, start=start,
        end=end, expires_at=None, pre_lease=False,
        terms=LeaseTerms(rent=rent, rent_unit="cny_per_m2_day"), hold=None, lease=None,
        recorded_on=datetime(2026, 1, 1, tzinfo=UTC).isoformat(), started_on=None,
        terminated_on=None, provenance="recorded",
    )  # fmt: skip


def test_wale_by_area_and_by_income_and_the_expiry_profile():
    # On 2029-01-01:
    #   A: 1,000 m² in building a, at 3.00, ends 2030-01-01: 365 days = 1 year left;
    #      income 3.00 × 1,000 × 365 = 1,095,000 a year
    #   B: 3,000 m² in building b, at 2.00, ends 2032-01-01: 365 × 3 = 1,095 days = 3 years;
    #      income 2.00 × 3,000 × 365 = 2,190,000 a year
    #   C: ended 2028-12-31: not in force.
    # WALE by area = (1,000 × 1 + 3,000 × 3) / 4,000 = 2.5 years
    # WALE by income = (1,095,000 × 1 + 2,190,000 × 3) / 3,285,000 = 7,665,000 / 3,285,000 = 2.3333
    cat = SpaceCatalog(
        spaces={
            "a/L03/U01": _space("a/L03/U01", "a", 1000.0),
            "b/L03/U01": _space("b/L03/U01", "b", 1000.0),
            "b/L03/U02": _space("b/L03/U02", "b", 2000.0),
        }
    )
    leases = [
        _lease("L-A", ("a/L03/U01",), date(2028, 1, 1), date(2030, 1, 1), 3.0),
        _lease("L-B", ("b/L03/U01", "b/L03/U02"), date(2027, 1, 1), date(2032, 1, 1), 2.0),
        _lease("L-C", ("a/L03/U01",), date(2026, 1, 1), date(2028, 12, 31), 9.0),
    ]
    rows = rent_roll(leases, cat, date(2029, 1, 1))
    assert [r.lease for r in rows] == ["L-A", "L-B"]
    campus = wale("campus", rows, None)
    assert campus.by_area_years == pytest.approx(2.5)
    assert campus.by_income_years == pytest.approx(7_665_000 / 3_285_000)
    assert math.isclose(campus.annual_rent_cny, 3_285_000)
    only_b = wale("b", rows, frozenset({"b"}))
    assert (only_b.leases, only_b.by_area_years, only_b.by_income_years) == (1, 3.0, 3.0)
    # expiries by the year of the last day: A's is 2029-12-31, B's 2031-12-31; 2030 is empty
    profile = expiry_profile(rows, None)
    assert [(y.year, y.leases, y.area_m2, y.annual_rent_cny) for y in profile] == [
        (2029, 1, 1000.0, 1_095_000.0),
        (2030, 0, 0.0, 0.0),
        (2031, 1, 3000.0, 2_190_000.0),
    ]


def test_a_rent_far_outside_the_buildings_range_is_named():
    # building a has rents 2.0, 3.0 and 4.0 in force: under 0.5 × 2.0 = 1.0 or over
    # 2 × 4.0 = 8.0 is far outside; building b has one rent only: too few to tell.
    cat = SpaceCatalog(
        spaces={f"a/L03/U0{k}": _space(f"a/L03/U0{k}", "a", 100.0) for k in (1, 2, 3)}
        | {"b/L03/U01": _space("b/L03/U01", "b", 100.0)}
    )
    leases = [
        _lease(f"L-{k}", (f"a/L03/U0{k}",), date(2027, 1, 1), date(2030, 1, 1), rent)
        for k, rent in ((1, 2.0), (2, 3.0), (3, 4.0))
    ] + [_lease("L-B", ("b/L03/U01",), date(2027, 1, 1), date(2030, 1, 1), 3.0)]
    ranges = rent_ranges(rent_roll(leases, cat, date(2028, 1, 1)))
    assert ranges[("a", "cny_per_m2_day")] == (2.0, 4.0, 3)
    for fine in (1.0, 3.5, 8.0):
        assert unusual_rent(fine, "cny_per_m2_day", ["a"], ranges) is None
    for far in (0.99, 8.01, 30.0):
        why = unusual_rent(far, "cny_per_m2_day", ["a"], ranges)
        assert why is not None and "2-4" in why and "confirm_unusual_rent" in why
    assert unusual_rent(30.0, "cny_per_m2_day", ["b"], ranges) is None
    assert unusual_rent(30.0, "cny_per_rack_month", ["a"], ranges) is None  # another unit


def test_occupancy_classes_of_a_space():
    # one unit's bookings on 2027-06-01: a lease 2027-01-01..2028-01-01 covers the day;
    # one from 2028-01-01 takes it later; a hold to 2027-06-08 (expiring) takes it now.
    on, now = date(2027, 6, 1), datetime(2027, 6, 1, 2, tzinfo=UTC)
    ready, waiting = Readiness(True, date(2025, 1, 1)), Readiness(False, date(2029, 1, 1))

    def lease(start: str, end: str) -> dict:
        return {"kind": "lease", "tenant": "t", "start": start, "end": end}

    hold = {
        "kind": "hold", "tenant": "t", "start": "2027-06-01", "end": "2028-01-01",
        "expires_at": "2027-06-08T00:00:00+00:00", "released": False,
    }  # fmt: skip
    covering = {"bookings": {"L-1": lease("2027-01-01", "2028-01-01")}}
    later = {"bookings": {"L-2": lease("2028-01-01", "2030-01-01")}}
    ended = {"bookings": {"L-3": lease("2026-01-01", "2027-06-01")}}  # ended: [start, end)
    assert occupancy_of(covering, now, on, ready) == "occupied"
    assert occupancy_of(later, now, on, ready) == "signed"
    assert occupancy_of(later, now, on, waiting) == "pre_leased"
    assert occupancy_of({"bookings": {"H-1": hold}}, now, on, ready) == "held"
    lapsed = datetime(2027, 6, 9, tzinfo=UTC)
    assert occupancy_of({"bookings": {"H-1": hold}}, lapsed, date(2027, 6, 9), ready) == "vacant"
    assert occupancy_of(ended, now, on, ready) == "vacant"
    assert occupancy_of({}, now, on, waiting) == "vacant"
