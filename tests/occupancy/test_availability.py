"""Availability search and statuses on the embedded campus, from in-memory ledger states."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from ledger_helpers import NOW, UNIT_A, UNIT_B, UNIT_C, Book

from occupancy.availability import AvailabilityQuery, search
from occupancy.status import Readiness, public_status, space_state

IN_USE = Readiness(True, date(2025, 4, 1))
Y26, Y27 = date(2026, 1, 1), date(2027, 1, 1)


@pytest.fixture
def book(spaces) -> Book:
    return Book(spaces)


def _find(book: Book, ready: dict[str, Readiness] | None = None, **query):  # type: ignore[no-untyped-def]
    buildings = ready or {b: IN_USE for b in book.cat.by_building}
    return search(book.cat, book.states, buildings, NOW, AvailabilityQuery(**query))


def test_filters_narrow_the_answer_and_totals_add_up(book):
    result = _find(book, building="office-building", min_level=3, max_level=4, kind="office")
    assert {m.space.floor for m in result.matches} == {"office-building/L03", "office-building/L04"}
    assert result.total_area_m2 == pytest.approx(sum(m.space.area_m2 for m in result.matches))
    small = _find(book, building="office-building", max_area_m2=100)
    assert small.matches and all(m.space.area_m2 <= 100 for m in small.matches)
    assert _find(book, parcel="fish-head", kind="office").matches[0].space.parcel == "fish-head"


def test_held_and_leased_spaces_are_not_available_while_booked(book):
    book.hold("H-1", (UNIT_A,), date(2026, 1, 1), Y27)
    book.sign("L-1", (UNIT_B,), date(2026, 1, 1), Y27)
    now = _find(book, building="office-building", min_level=3, max_level=3)
    ids = {m.space.id for m in now.matches}
    assert UNIT_A not in ids and UNIT_B not in ids and UNIT_C in ids
    later = _find(book, building="office-building", min_level=3, max_level=3, available_from=Y27)
    assert {UNIT_A, UNIT_B, UNIT_C} <= {m.space.id for m in later.matches}


def test_an_expired_hold_no_longer_takes_a_space(book):
    book.hold("H-1", (UNIT_A,), Y26, Y27, days=3)
    state = book.states[f"space:{UNIT_A}"]
    assert space_state(state, NOW, IN_USE).status == "held"
    assert space_state(state, NOW + timedelta(days=3), IN_USE).status == "available"


def test_available_from_needs_the_building_ready_by_then(book):
    ready = {b: IN_USE for b in book.cat.by_building}
    ready["office-building"] = Readiness(False, date(2027, 6, 1))
    before = _find(book, ready, building="office-building", available_from=date(2027, 1, 1))
    after = _find(book, ready, building="office-building", available_from=date(2027, 6, 1))
    anytime = _find(book, ready, building="office-building")
    assert not before.matches and after.matches
    assert {m.status for m in anytime.matches} == {"not_ready"}


def test_contiguous_blocks_join_touching_units_of_one_floor(book):
    floor = [s.id for s in book.cat.on_floor("office-building/L03")]
    book.sign("L-1", (floor[1], floor[5]), Y26, Y27)  # cuts the ring of nine into two runs
    result = _find(book, building="office-building", min_level=3, max_level=3)
    blocks = {m.block: m.block_spaces for m in result.matches}
    assert sorted(blocks.values()) == [3, 4]
    big = _find(book, building="office-building", min_level=3, max_level=3, min_contiguous_m2=450)
    assert {m.block_spaces for m in big.matches} == {4}
    assert big.matches and all(m.block_area_m2 >= 450 for m in big.matches)
    largest_first = _find(book, building="office-building", sort="block")
    assert largest_first.matches[0].block_area_m2 == max(
        m.block_area_m2 for m in largest_first.matches
    )


def test_racks_with_two_n_power_and_a_minimum_per_hall(book):
    two_n = _find(book, kind="rack", two_n=True)
    assert two_n.racks == two_n.racks_two_n == len(book.cat.design_two_n)
    single = _find(book, kind="rack", two_n=False)
    assert single.racks == 3000 - two_n.racks and single.racks_two_n == 0
    hall = [s for s in book.cat.by_group["data-centre/H1"]][:300]
    book.sign("L-1", tuple(hall), Y26, Y27)
    enough = _find(book, kind="rack", two_n=True, min_racks=100)
    assert "data-centre/H1" not in {m.block for m in enough.matches}  # 75 racks left there
    live = frozenset(book.cat.by_group["data-centre/H3"][:10])  # facility status may narrow 2N
    wired = search(
        book.cat,
        book.states,
        {b: IN_USE for b in book.cat.by_building},
        NOW,
        AvailabilityQuery(kind="rack", two_n=True),
        two_n=live,
    )
    assert wired.racks == 10


@pytest.mark.parametrize("sort", ["area", "-area", "location", "ready"])
def test_sorting(book, sort):
    result = _find(book, building="office-building", sort=sort)
    areas = [m.space.area_m2 for m in result.matches]
    if sort == "area":
        assert areas == sorted(areas)
    elif sort == "-area":
        assert areas == sorted(areas, reverse=True)
    else:
        assert [m.space.level for m in result.matches] == sorted(
            m.space.level for m in result.matches
        )


def test_the_public_never_sees_holds_or_the_future_of_bookings(book):
    book.sign("L-1", (UNIT_A,), Y26, Y27)
    book.hold("H-1", (UNIT_B,), Y26, Y27)
    lease, hold = book.states[f"space:{UNIT_A}"], book.states[f"space:{UNIT_B}"]
    assert (
        public_status(lease, NOW, NOW, IN_USE)
        == public_status(hold, NOW, NOW, IN_USE)
        == "unavailable"
    )
    after_end = datetime(2027, 2, 1, tzinfo=UTC)
    assert space_state(lease, after_end, IN_USE).status == "available"  # staff see the end
    assert public_status(lease, after_end, NOW, IN_USE) == "unavailable"  # the public does not


def test_a_zone_takes_the_spaces_of_every_parcel_in_it(book, campus):
    fish = _find(book, zone="fish", kind="office")
    parcels = set(campus.parcels_in_zone("fish"))
    assert fish.matches and {m.space.parcel for m in fish.matches} <= parcels
    one_by_one = [m.space.id for p in parcels for m in _find(book, parcel=p, kind="office").matches]
    assert sorted(m.space.id for m in fish.matches) == sorted(one_by_one)
    # the office building stands on the core, outside the fish: in the core, not in the fish
    assert "office-building" not in {m.space.building for m in fish.matches}
    core = _find(book, zone="core", kind="office", building="office-building")
    assert core.matches
    head = _find(book, zone="fish", parcel="fish-head", max_area_m2=120)
    assert head.matches and all(
        m.space.parcel == "fish-head" and m.space.area_m2 <= 120 for m in head.matches
    )
    assert not _find(book, zone="no-such-zone").matches
