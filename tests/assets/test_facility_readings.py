"""Checking readings and the alert rules (pure, no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from assets.facilities import build_topology, design_statuses
from assets.facilities.alerts import (
    ALERT_STREAM,
    CLEARED,
    RAISED,
    StatusAt,
    alert_events,
    feed_conditions,
    hall_conditions,
    metric_condition,
)
from assets.facilities.readings import Reading, Refusal, check_reading
from assets.facilities.reducers import REDUCERS

NOW = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
T = "2026-01-05T10:00:00+08:00"


@pytest.fixture(scope="module")
def topology(campus):
    return build_topology(campus)


def metric(**over):
    return {
        "facility": "dc/hall-1",
        "metric": "supply_temp_c",
        "value": 23.5,
        "unit": "°C",
        "observed_at": T,
        **over,
    }


def test_a_good_metric_and_status_are_admitted(topology):
    m = check_reading(topology, metric(), NOW)
    assert (
        isinstance(m, Reading) and m.value == 23.5 and m.stream == "metric:dc/hall-1:supply_temp_c"
    )
    assert m.observed_at == NOW and m.key.startswith("auto:")
    s = check_reading(
        topology,
        {
            "facility": "feed-a",
            "status": "fault",
            "note": "trip",
            "observed_at": T,
            "idempotency_key": "k-1",
        },
        NOW,
    )
    assert isinstance(s, Reading) and (s.status, s.key, s.stream) == (
        "fault",
        "k-1",
        "facility:feed-a",
    )
    alias = check_reading(topology, metric(unit="degC"), NOW)
    assert isinstance(alias, Reading) and alias.unit == "°C"


def test_the_same_observation_gets_the_same_derived_key(topology):
    a, b = check_reading(topology, metric(), NOW), check_reading(topology, metric(value=24), NOW)
    c = check_reading(topology, metric(observed_at="2026-01-05T10:00:01+08:00"), NOW)
    assert isinstance(a, Reading) and isinstance(b, Reading) and isinstance(c, Reading)
    assert a.key == b.key != c.key


@pytest.mark.parametrize(
    ("raw", "reason", "words"),
    [
        (metric(facility="dc/hall-9"), "unknown_facility", "dc/hall-9"),
        (metric(metric="pressure_bar"), "unknown_metric", "supply_temp_c"),
        (metric(unit="K"), "wrong_unit", "°C"),
        (metric(unit=None), "wrong_unit", "°C"),
        (metric(value=float("nan")), "not_finite", "nan"),
        (metric(value=float("inf")), "not_finite", "inf"),
        (metric(value=10**400), "not_finite", "beyond any float"),  # JSON allows it
        (metric(value=61), "out_of_range", "-10..60"),
        (metric(value="23.5"), "malformed", "number"),
        (metric(value=True), "malformed", "number"),
        (metric(observed_at="2026-01-05T10:00:00"), "bad_time", "time zone"),
        (metric(observed_at="yesterday"), "bad_time", "ISO"),
        (metric(observed_at="2030-01-01T00:00:00Z"), "bad_time", "future"),
        (metric(observed_at="2010-01-01T00:00:00Z"), "bad_time", "2019"),
        (metric(observed_at=1767578400), "bad_time", "string"),
        (metric(idempotency_key=""), "bad_key", "1 to 200"),
        (metric(idempotency_key="k" * 201), "bad_key", "1 to 200"),
        (metric(colour="red"), "malformed", "colour"),
        ({"facility": "feed-a", "status": "broken", "observed_at": T}, "bad_status", "operational"),
        (
            {"facility": "feed-a", "status": "fault", "note": "x" * 501, "observed_at": T},
            "oversized",
            "500",
        ),
        (
            {"facility": "feed-a", "status": "fault", "metric": "load_kw", "observed_at": T},
            "malformed",
            "either",
        ),
        ({"facility": "feed-a", "observed_at": T}, "malformed", "either"),
        ({"status": "fault", "observed_at": T}, "malformed", "facility"),
        ([1, 2], "malformed", "object"),
        (
            {
                "facility": "office/lifts",
                "metric": "load_kw",
                "value": 1,
                "unit": "kW",
                "observed_at": T,
            },
            "unknown_metric",
            "status only",
        ),
    ],
)
def test_each_bad_reading_is_refused_with_its_reason(topology, raw, reason, words):
    found = check_reading(topology, raw, NOW)
    assert isinstance(found, Refusal) and found.reason == reason, found
    assert words in found.detail


def test_the_topic_names_the_facility(topology):
    raw = {"metric": "load_kw", "value": 10, "unit": "kW", "observed_at": T}
    assert isinstance(check_reading(topology, raw, NOW, facility="feed-a"), Reading)
    clash = check_reading(topology, {**raw, "facility": "feed-b"}, NOW, facility="feed-a")
    assert isinstance(clash, Refusal) and clash.reason == "malformed"


def statuses(topology, **over):
    since = NOW - timedelta(days=1)
    out = {k: StatusAt(v, since) for k, v in design_statuses(topology).items()}
    return out | {k.replace("_", "-"): StatusAt(v, NOW) for k, v in over.items()}


def active(conditions):
    return {c.key for c in conditions if c.active}


def test_a_feed_down_raises_feed_and_hall_alerts(topology):
    down = statuses(topology, feed_a="fault")
    assert active(feed_conditions(topology, down)) == {"feed-down:feed-a"}
    halls = active(hall_conditions(topology, down))
    assert halls == {f"hall-redundancy:dc/hall-{k}" for k in range(1, 7)} | {
        "hall-power:dc/hall-7",
        "hall-power:dc/hall-8",
    }
    assert all(c.at == NOW for c in hall_conditions(topology, down) if c.active)
    assert not active(
        feed_conditions(topology, statuses(topology))
        + hall_conditions(topology, statuses(topology))
    )


def test_halls_not_in_service_raise_nothing(topology):
    down = statuses(topology, feed_a="fault")
    for hall in topology.of_kind("hall"):
        down[hall.id] = StatusAt("under_construction", NOW)
    assert not active(hall_conditions(topology, down))


def test_alerts_are_raised_once_and_cleared_when_the_condition_ends(topology):
    hot = metric_condition(topology, "dc/hall-1", "supply_temp_c", 29.0, NOW)
    assert hot.active and "above its limit 27" in hot.message
    raised = alert_events({}, [hot])
    assert [(e.stream, e.type) for e in raised] == [(ALERT_STREAM, RAISED)]
    state: dict = {}
    for e in raised:
        state = REDUCERS[e.type](state, e.data, e.effective_at)
    assert alert_events(state["active"], [hot]) == []  # not twice
    cool = metric_condition(
        topology, "dc/hall-1", "supply_temp_c", 22.0, NOW + timedelta(minutes=5)
    )
    cleared = alert_events(state["active"], [cool])
    assert [e.type for e in cleared] == [CLEARED]
    state = REDUCERS[CLEARED](state, cleared[0].data, cleared[0].effective_at)
    assert state["active"] == {}
    early = metric_condition(topology, "dc/hall-1", "supply_temp_c", 22.0, NOW - timedelta(hours=1))
    assert alert_events({hot.key: {"since": NOW.isoformat()}}, [early])[0].effective_at == NOW


def test_a_repeated_status_keeps_its_since():
    reduce = REDUCERS["FacilityStatusReported"]
    t0, t1 = NOW, NOW + timedelta(minutes=1)
    s = reduce({}, {"status": "fault"}, t0)
    s = reduce(s, {"status": "fault"}, t1)
    assert s["since"] == t0.isoformat() and s["reported_at"] == t1.isoformat()
    assert reduce(s, {"status": "operational"}, t1)["since"] == t1.isoformat()


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("note", "x\ud800y"),
        ("note", "a\x00b"),
        ("idempotency_key", "k\udfff"),
        ("idempotency_key", "k\x00"),
    ],
)
def test_text_that_could_not_be_stored_is_refused_as_bad_text(topology, field, bad):
    raw = {"facility": "feed-a", "status": "fault", "observed_at": T, field: bad}
    found = check_reading(topology, raw, NOW)
    assert isinstance(found, Refusal) and found.reason == "bad_text", found
    assert field in found.detail and "U+" in found.detail
    assert found.key is None or found.key.isprintable()  # never echoes the bad text back


def test_a_pue_alert_reads_as_a_pure_number_and_limits_carry_their_unit(topology):
    pue = metric_condition(topology, "dc", "pue", 1.42, NOW)
    assert pue.active
    assert pue.message == "dc pue = 1.42, above its limit 1.3"  # not "1.42 1"
    hot = metric_condition(topology, "dc/hall-1", "supply_temp_c", 29.0, NOW)
    assert hot.message == "dc/hall-1 supply_temp_c = 29 °C, above its limit 27 °C"


def test_an_out_of_range_pue_is_refused_in_words_without_a_unit_one(topology):
    refused = check_reading(topology, metric(facility="dc", metric="pue", value=7.5, unit="1"), NOW)
    assert isinstance(refused, Refusal)
    assert "pue = 7.5 is outside its valid range 1..5" in refused.detail
