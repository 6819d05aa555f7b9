"""State at any instant from the log, and the genesis history, on SQLite and PostgreSQL."""

from datetime import UTC, datetime

import pytest

from assets import history
from assets.dataset import load_campus
from assets.events import DomainError, DomainEvent
from twin.commands import run_command
from twin.eventlog import NewEvent, VersionConflict, open_store
from twin.genesis import ensure_genesis
from twin.projection import Projection


@pytest.fixture(scope="module")
def campus():
    return load_campus()


@pytest.fixture
def store(database_url, campus):
    with open_store(database_url) as s:
        ensure_genesis(s, campus)
        yield s


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=history.CAMPUS_TZ)


def _projection(store):
    p = Projection(history.apply)
    p.catch_up(store)
    return p


def test_fish_head_is_topped_out_and_not_accepted_as_of_the_article(store):  # F5
    p = _projection(store)
    for tower in ("fish-head-t1", "fish-head-t6"):
        state = p.stream_at(f"building:{tower}", at("2024-09-12"))
        assert state["stages"]["structure"]["actual_end"] <= "2024-09-12"
        assert "actual_start" not in state["stages"]["acceptance"]
        assert state["stages"]["acceptance"]["planned_end"] == "2025-12-31"
    # Before topping out the structure was still going up.
    earlier = p.stream_at("building:fish-head-t1", at("2023-01-01"))
    assert history.current_stage(earlier) == ("structure", "in_progress")


def test_office_fit_out_starts_in_the_second_half_of_2024(store):  # F7
    p = _projection(store)
    stages = p.stream_at("building:office-building", at("2024-09-12"))["stages"]
    assert "2024-07-01" <= stages["fit_out"]["actual_start"] <= "2024-12-31"
    assert stages["in_use"]["planned_start"].startswith("2025")
    assert "fit_out" not in p.stream_at("building:office-building", at("2024-06-30"))["stages"] or (
        "actual_start"
        not in p.stream_at("building:office-building", at("2024-06-30"))["stages"]["fit_out"]
    )


def test_unveiling_enterprises_and_the_data_centre(store):  # F1, S5, F9, F6, S2, F8
    p = _projection(store)
    assert "park-unveiled" not in p.stream_at("campus", at("2023-10-26")).get("milestones", [])
    unveiled = p.stream_at("campus", at("2023-10-27"))
    assert "park-unveiled" in unveiled["milestones"] and unveiled["enterprises"] == 25
    assert p.stream_at("campus", at("2024-09-12"))["enterprises"] >= 40
    assert (
        p.stream_at("building:data-centre", at("2021-06-20"))["stages"]["foundation"][
            "actual_start"
        ]
        == "2021-06-20"
    )
    assert p.stream_at("facility:feed-a", at("2024-09-12"))["status"] == "under_construction"
    assert p.stream_at("facility:feed-b", at("2024-09-12"))["planned_operational"].startswith(
        "2025"
    )
    assert p.stream_at("facility:cross-border-centre", at("2024-09-12"))["status"] == "operational"
    assert p.all_at(at("2019-01-01")) == {}


def test_the_future_is_only_planned(store):
    events = store.read(limit=None)
    assert all(e.effective_at <= at("2024-09-12") for e in events)
    assert {e.data.get("provenance") for e in events} == {"published", "schematic", "sample"}


def test_genesis_runs_once(store, campus):
    head = store.head()
    assert ensure_genesis(store, campus) == 0 and store.head() == head


def test_a_back_dated_event_changes_the_past_from_its_date_on(store):
    p = _projection(store)
    stream = "facility:feed-a"
    _, version = p.latest(stream)
    store.append(
        stream,
        version,
        [NewEvent("FacilityStatusChanged", {"status": "fault"}, at("2024-05-01"), "ops")],
    )
    assert p.catch_up(store) == 1
    assert p.stream_at(stream, at("2024-04-30"))["status"] == "under_construction"
    assert p.stream_at(stream, at("2024-05-02"))["status"] == "fault"
    assert p.stream_at(stream, at("2024-03-01"))["status"] == "under_construction"


def test_a_command_is_decided_on_the_latest_state_and_conflicts_are_typed(store):
    p = _projection(store)

    def degrade(states, _now):
        if states["facility:feed-b"].get("status") == "degraded":
            raise DomainError("feed-b is already degraded")
        return [
            DomainEvent(
                "facility:feed-b",
                "FacilityStatusChanged",
                datetime.now(UTC),
                {"status": "degraded"},
            )
        ]

    recorded = run_command(store, p, ["facility:feed-b"], degrade, actor="ops", idempotency_key="k1")
    assert recorded[0].actor == "ops" and p.latest("facility:feed-b")[0]["status"] == "degraded"
    with pytest.raises(DomainError, match="already degraded"):
        run_command(store, p, ["facility:feed-b"], degrade, actor="ops")
    # Someone else writes after our projection read: the append is refused, not overwritten.
    stale = Projection(history.apply)
    stale.catch_up(store)
    store.append(
        "facility:feed-b",
        store.stream_version("facility:feed-b"),
        [NewEvent("FacilityStatusChanged", {"status": "operational"}, datetime.now(UTC), "other")],
    )
    _, version = stale.latest("facility:feed-b")
    with pytest.raises(VersionConflict):
        store.append(
            "facility:feed-b",
            version,
            [NewEvent("FacilityStatusChanged", {"status": "offline"}, datetime.now(UTC), "ops")],
        )


def test_projection_equals_a_naive_replay_with_back_dated_events_in_several_batches(tmp_path):
    import random
    from datetime import timedelta

    rng = random.Random(7)
    start = datetime(2019, 1, 1, tzinfo=UTC)
    with open_store(f"sqlite:///{tmp_path / 'p.db'}") as store:
        projection = Projection(history.apply)
        versions: dict[str, int] = {}
        for _ in range(4):  # four catch-ups, each with events back-dated before earlier ones
            for _ in range(150):
                stream = f"facility:f{rng.randrange(12)}"
                when = start + timedelta(days=rng.randrange(3000))
                store.append(stream, versions.get(stream, 0), [NewEvent(
                    "FacilityStatusChanged", {"status": rng.choice(history.FACILITY_STATUSES)}, when, "t")])
                versions[stream] = versions.get(stream, 0) + 1
            projection.catch_up(store)
        events = store.read(limit=None)
        for _ in range(30):
            t = start + timedelta(days=rng.randrange(3100))
            naive: dict[str, dict] = {}
            for e in sorted((e for e in events if e.effective_at <= t), key=lambda e: (e.effective_at, e.seq)):
                naive[e.stream] = history.apply(naive.get(e.stream, {}), e.type, e.data, e.effective_at)
            assert projection.all_at(t) == naive


def test_skipped_streams_are_left_out_by_the_query_and_the_head_passes_them(store, monkeypatch):
    from twin.projection import CATCH_UP_BATCH

    projection = Projection(history.apply, ("metric:",))
    projection.catch_up(store)
    when = at("2024-01-01")
    reading = NewEvent("MetricObserved", {"value": 1.0}, when, "t")
    for n in range(3):
        store.append("metric:dc/hall-1:load_kw", n, [reading])
    status = NewEvent("FacilityStatusChanged", {"status": "operational"}, when, "t")
    store.append("facility:feed-x", 0, [status])
    store.append("metric:dc/hall-1:load_kw", 3, [reading])
    monkeypatch.setattr("twin.projection.CATCH_UP_BATCH", 1)  # one event a page
    assert CATCH_UP_BATCH > 1 and projection.catch_up(store) == 1  # only the status is read
    assert projection.head == store.head()  # past the readings after it
    assert projection.events("metric:") == []
    assert projection.stream_at("facility:feed-x", when)["status"] == "operational"
    assert projection.catch_up(store) == 0
