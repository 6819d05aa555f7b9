"""The lease ledger's rules, without a database: never two overlapping bookings of a space."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from ledger_helpers import NOW, UNIT_A, UNIT_B, UNIT_C, Book

from occupancy import ledger
from occupancy.errors import BookingConflict, LeasingInvalid, LeasingNotFound, LeasingRefused

Y26, Y27, Y28 = date(2026, 1, 1), date(2027, 1, 1), date(2028, 1, 1)


@pytest.fixture
def book(spaces) -> Book:
    return Book(spaces)


def test_a_hold_writes_the_agreement_and_every_space(book):
    events = book.hold("H-1", (UNIT_A, UNIT_B), Y26, Y27)
    assert [e.stream for e in events] == ["hold:H-1", f"space:{UNIT_A}", f"space:{UNIT_B}"]
    assert book.agreement("hold:H-1").status == "held"


@pytest.mark.parametrize(
    ("start", "end", "clash"),
    [
        (Y26, Y27, True),  # the same period
        (date(2026, 6, 1), Y28, True),  # overlaps the end
        (date(2025, 6, 1), date(2026, 1, 2), True),  # overlaps the first day
        (Y27, Y28, False),  # starts the day the hold ends: [start, end) periods meet
        (date(2025, 1, 1), Y26, False),  # ends the day the hold starts
    ],
)
def test_a_second_booking_may_not_overlap(book, start, end, clash):
    book.hold("H-1", (UNIT_A,), Y26, Y27)
    if clash:
        with pytest.raises(BookingConflict) as info:
            book.hold("H-2", (UNIT_A,), start, end, tenant="beta")
        assert [c.ref for c in info.value.clashes] == ["H-1"]
        assert "hold H-1" in str(info.value)
    else:
        book.hold("H-2", (UNIT_A,), start, end, tenant="beta")


def test_a_conflict_names_every_booking_in_the_way_and_writes_nothing(book):
    book.hold("H-1", (UNIT_A,), Y26, Y27)
    book.sign("L-1", (UNIT_C,), Y26, Y28)
    before = dict(book.states)
    with pytest.raises(BookingConflict) as info:
        book.hold("H-2", (UNIT_A, UNIT_B, UNIT_C), Y26, Y27, tenant="beta")
    assert {(c.space, c.ref, c.kind) for c in info.value.clashes} == {
        (UNIT_A, "H-1", "hold"),
        (UNIT_C, "L-1", "lease"),
    }
    assert book.states == before


def test_a_hold_lapses_by_itself_at_its_expiry(book):
    book.hold("H-1", (UNIT_A,), Y26, Y27, days=7)
    later = NOW + timedelta(days=7)
    assert book.agreement("hold:H-1", later).status == "expired"
    book.hold("H-2", (UNIT_A,), Y26, Y27, tenant="beta", now=later)
    with pytest.raises(LeasingRefused, match="expired"):
        book.sign("L-1", (UNIT_A,), Y26, Y27, hold="H-1", now=later)


def test_a_released_hold_frees_its_spaces(book):
    book.hold("H-1", (UNIT_A,), Y26, Y27)
    book.add(ledger.release_hold("H-1", book.agreement("hold:H-1"), now=NOW))
    assert book.agreement("hold:H-1").status == "released"
    book.hold("H-2", (UNIT_A,), Y26, Y27, tenant="beta")
    with pytest.raises(LeasingRefused):
        ledger.release_hold("H-1", book.agreement("hold:H-1"), now=NOW)
    with pytest.raises(LeasingNotFound):
        ledger.release_hold("H-9", None, now=NOW)


def test_signing_a_hold_takes_its_place(book):
    book.hold("H-1", (UNIT_A, UNIT_B), Y26, Y27)
    book.sign("L-1", (UNIT_A, UNIT_B), Y26, Y27, hold="H-1")
    assert book.agreement("hold:H-1").status == "signed"
    assert book.agreement("lease:L-1").hold == "H-1"
    with pytest.raises(BookingConflict) as info:
        book.hold("H-2", (UNIT_B,), Y26, Y27, tenant="beta")
    assert [c.ref for c in info.value.clashes] == ["L-1"]  # the hold no longer counts


def test_a_lease_in_a_building_not_in_use_must_be_a_pre_lease(book):
    with pytest.raises(LeasingRefused, match="pre-lease"):
        book.sign("L-1", (UNIT_A,), Y26, Y27, pre_lease=False, in_use=False)
    book.sign("L-1", (UNIT_A,), Y26, Y27, pre_lease=False, in_use=True)
    book.sign("L-2", (UNIT_B,), Y26, Y27, pre_lease=True, in_use=False)


@pytest.mark.parametrize(
    ("pre_lease", "in_use", "starts"), [(False, True, True), (True, False, True)]
)
def test_a_lease_starts_once_its_building_is_in_use_unless_pre_let(book, pre_lease, in_use, starts):
    book.sign("L-1", (UNIT_A,), Y26, Y27, pre_lease=pre_lease, in_use=True)
    lease = book.agreement("lease:L-1")
    decide = lambda: ledger.start_lease(  # noqa: E731
        "L-1", lease, catalog=book.cat, in_use={"office-building": in_use}, now=NOW
    )
    if starts:
        book.add(decide())
        assert book.agreement("lease:L-1").status == "active"


def test_a_signed_lease_does_not_start_before_its_building_is_in_use(book):
    book.sign("L-1", (UNIT_A,), Y26, Y27, pre_lease=False, in_use=True)
    with pytest.raises(LeasingRefused, match="not in use"):
        ledger.start_lease(
            "L-1",
            book.agreement("lease:L-1"),
            catalog=book.cat,
            in_use={"office-building": False},
            now=NOW,
        )


def test_terminating_a_lease_frees_its_spaces_from_that_day(book):
    book.sign("L-1", (UNIT_A,), Y26, Y28)
    book.add(ledger.terminate_lease("L-1", book.agreement("lease:L-1"), Y27, now=NOW))
    assert book.agreement("lease:L-1").status == "terminated"
    with pytest.raises(BookingConflict):
        book.hold("H-1", (UNIT_A,), date(2026, 12, 1), Y28, tenant="beta")
    book.hold("H-2", (UNIT_A,), Y27, Y28, tenant="beta")
    with pytest.raises(LeasingRefused, match="terminated"):
        ledger.terminate_lease("L-1", book.agreement("lease:L-1"), Y26, now=NOW)


def test_a_lease_cannot_be_terminated_after_it_ends(book):
    book.sign("L-1", (UNIT_A,), Y26, Y27)
    with pytest.raises(LeasingInvalid) as info:
        ledger.terminate_lease("L-1", book.agreement("lease:L-1"), Y28, now=NOW)
    assert info.value.field == "on"


@pytest.mark.parametrize(
    ("ids", "tenant", "start", "end", "field"),
    [
        ((), "acme", Y26, Y27, "spaces"),
        (("office-building/L99/U01",), "acme", Y26, Y27, "spaces"),
        ((UNIT_A, UNIT_A), "acme", Y26, Y27, "spaces"),
        ((UNIT_A,), "nobody", Y26, Y27, "tenant"),
        ((UNIT_A,), "acme", Y27, Y26, "end"),
        ((UNIT_A,), "acme", Y27, Y27, "end"),
    ],
)
def test_invalid_terms_name_the_field(book, ids, tenant, start, end, field):
    with pytest.raises(LeasingInvalid) as info:
        book.hold("H-1", ids, start, end, tenant=tenant)
    assert info.value.field == field


@pytest.mark.parametrize("days", [0, -1, 181])
def test_a_hold_expires_in_the_future_within_limits(book, days):
    with pytest.raises(LeasingInvalid) as info:
        book.hold("H-1", (UNIT_A,), Y26, Y27, days=days)
    assert info.value.field == "expires_at"


def test_an_amendment_extends_a_lease_into_free_time_only_and_lists_its_changes(book):
    book.sign("L-1", (UNIT_A,), Y26, Y27)
    book.sign("L-2", (UNIT_A,), Y28, Y28.replace(year=2029))
    lease = book.agreement("lease:L-1")
    dearer = replace(lease.terms, rent=3.5)
    made = book.add(
        ledger.amend_lease(
            "L-1",
            lease,
            end=Y28,
            money=dearer,
            catalog=book.cat,
            spaces=book.spaces((UNIT_A,)),
            now=NOW,
        )
    )
    assert [e.type for e in made] == ["LeaseAmended", "SpaceLeaseAmended"]
    assert made[0].data["changes"] == {"end": [str(Y27), str(Y28)], "rent": ["3", "3.5"]}
    amended = book.agreement("lease:L-1")
    assert (amended.end, amended.terms.rent, amended.status) == (Y28, 3.5, "signed")
    with pytest.raises(BookingConflict):  # into L-2
        ledger.amend_lease(
            "L-1",
            amended,
            end=Y28 + timedelta(days=1),
            money=dearer,
            catalog=book.cat,
            spaces=book.spaces((UNIT_A,)),
            now=NOW,
        )
    book.add(ledger.terminate_lease("L-1", amended, Y27, now=NOW))
    with pytest.raises(LeasingRefused, match="terminated"):
        ledger.amend_lease(
            "L-1",
            book.agreement("lease:L-1"),
            end=Y28,
            money=dearer,
            catalog=book.cat,
            spaces=book.spaces((UNIT_A,)),
            now=NOW,
        )
