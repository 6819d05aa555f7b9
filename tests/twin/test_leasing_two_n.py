"""Racks offered with 2N power follow the live status of the data centre's feeds."""

from datetime import UTC, datetime

from twin.eventlog import NewEvent
from twin.leasing.read import racks_on_two_n
from twin.runtime import Twin
from twin.settings import Settings


def _status(twin: Twin, facility: str, status: str, when: datetime) -> None:
    stream = f"facility:{facility}"
    twin.store.append(
        stream,
        twin.store.stream_version(stream),
        [NewEvent("FacilityStatusChanged", {"status": status}, when, "test")],
    )


def test_a_feed_fault_takes_2n_away_from_racks(tmp_path):
    twin = Twin(Settings.from_env(db=tmp_path / "t.db"))
    design = racks_on_two_n(twin, datetime(2024, 9, 12, tzinfo=UTC))
    assert len(design) == 2250  # halls 1-6 (schematic), feeds still under construction (F6)
    for feed in ("feed-a", "feed-b"):
        _status(twin, feed, "operational", datetime(2025, 12, 1, tzinfo=UTC))
    _status(twin, "feed-b", "fault", datetime(2026, 1, 10, tzinfo=UTC))
    twin.projection.catch_up(twin.store)
    assert racks_on_two_n(twin, datetime(2025, 12, 2, tzinfo=UTC)) == design
    assert racks_on_two_n(twin, datetime(2026, 1, 11, tzinfo=UTC)) == frozenset()
