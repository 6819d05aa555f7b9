"""The API's availability answers are reused only while they are still the answer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from assets.clock import local_date
from occupancy.availability import Availability, AvailabilityQuery
from occupancy.ledger import Terms
from twin.leasing.availability_cache import LAST_EXPIRY, NO_EXPIRY, hold_window
from twin.leasing.commands import place_hold
from twin.leasing.read import availability, cached_availability
from twin.runtime import Twin
from twin.settings import Settings

OFFICE = AvailabilityQuery(kind="office", building="office-building")
EVERYTHING = AvailabilityQuery()
GENESIS_HOLD_LAPSES = datetime(2024, 9, 28, 2, tzinfo=UTC)
"""When the genesis's hold on office-building/L05 lapses (10:00 campus time)."""


@pytest.fixture
def twin(tmp_path) -> Iterator[Twin]:
    made = Twin(Settings.from_env(db=tmp_path / "twin.db"))
    yield made
    made.close()


def _answer(result: Availability) -> tuple[object, ...]:
    """What a client sees of an answer: the matches in order, with their status and days."""
    return (
        [(m.space.id, m.status, m.free_from, m.block) for m in result.matches],
        round(result.total_area_m2, 6),
        result.racks,
        result.blocks,
        result.day,
    )


def test_a_search_in_the_same_window_reuses_the_answer(twin):
    at = datetime(2026, 3, 1, 4, tzinfo=UTC)
    first = cached_availability(twin, at, OFFICE)
    assert cached_availability(twin, at + timedelta(seconds=30), OFFICE) is first
    assert _answer(first) == _answer(availability(twin, at, OFFICE))


def test_answers_match_a_fresh_search_across_the_history(twin):
    """Instants from 2019 to 2027, each asked twice in a shuffled order: every cached answer is
    the fresh search's (events take effect between them, days roll, holds lapse)."""
    instants = [datetime(2019, 1, 1, tzinfo=UTC) + timedelta(days=73 * k) for k in range(45)]
    instants += [GENESIS_HOLD_LAPSES + timedelta(seconds=s) for s in (-1, 0, 1)]
    order = instants + instants[::-1]
    for at in order:
        for query in (OFFICE, EVERYTHING):
            assert _answer(cached_availability(twin, at, query)) == _answer(
                availability(twin, at, query)
            ), (at, query)


def test_an_event_taking_effect_later_that_day_ends_the_answer(twin):
    placed = datetime(2024, 9, 7, 2, tzinfo=UTC)  # the genesis hold on L05, 10:00 campus time
    before = cached_availability(twin, placed - timedelta(seconds=1), OFFICE)
    after = cached_availability(twin, placed + timedelta(seconds=1), OFFICE)
    assert "office-building/L05/U01" in {m.space.id for m in before.matches}
    assert "office-building/L05/U01" not in {m.space.id for m in after.matches}


def test_a_hold_lapsing_ends_the_answer_without_any_event(twin):
    held = "office-building/L05/U01"
    before = cached_availability(twin, GENESIS_HOLD_LAPSES - timedelta(seconds=1), OFFICE)
    after = cached_availability(twin, GENESIS_HOLD_LAPSES + timedelta(seconds=1), OFFICE)
    assert held not in {m.space.id for m in before.matches}
    assert held in {m.space.id for m in after.matches}
    assert after is not before


def test_a_new_hold_is_seen_by_the_next_search(twin):
    now = datetime.now(UTC)
    before = cached_availability(twin, now, EVERYTHING)
    space = next(m.space.id for m in before.matches if m.status == "available")
    today = local_date(now)
    terms = Terms((space,), "sample-05", today, date(today.year + 2, 1, 1))
    place_hold(twin, terms, now + timedelta(days=7), actor="test")
    twin.projection.catch_up(twin.store)  # what twin.fresh() does within 0.1 s
    later = datetime.now(UTC)
    after = cached_availability(twin, later, EVERYTHING)
    assert space not in {m.space.id for m in after.matches}
    assert _answer(after) == _answer(availability(twin, later, EVERYTHING))


def test_the_hold_window_brackets_now_by_the_expiries_around_it():
    def hold(expires: str, released: bool = False) -> dict[str, object]:
        return {"kind": "hold", "expires_at": expires, "released": released, "end": "2030-01-01"}

    states = {
        "space:a": {"bookings": {"H-1": hold("2024-01-01T00:00:00.000000+00:00")}},
        "space:b": {"bookings": {"H-2": hold("2024-06-01T00:00:00.000000+00:00")}},
        "space:c": {"bookings": {"H-3": hold("2024-03-01T00:00:00.000000+00:00", True)}},
        "space:d": {"bookings": {"L-1": {"kind": "lease", "end": "2030-01-01"}}},
    }
    now = "2024-02-01T00:00:00.000000+00:00"
    assert hold_window(states, now) == (
        "2024-01-01T00:00:00.000000+00:00",
        "2024-06-01T00:00:00.000000+00:00",
    )
    assert hold_window({}, now) == (LAST_EXPIRY, NO_EXPIRY)
    assert LAST_EXPIRY <= now < NO_EXPIRY
