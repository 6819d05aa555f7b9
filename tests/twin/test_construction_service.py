"""Construction commands through the service layer on a real log (SQLite and PostgreSQL):
written with the actor, refused without a trace, conflicts typed; views and 3D colours."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from assets.clock import end_of
from assets.construction import (
    CompleteStage,
    ConstructionError,
    ReportProgress,
    RescheduleStage,
    StartStage,
    decide,
    entity,
)
from twin.commands import run_command
from twin.construction import run, view
from twin.construction.queries import milestone_states
from twin.eventlog import NewEvent, VersionConflict
from twin.runtime import Twin
from twin.settings import Settings
from viewer import modes as colors

ACTOR = "construction:alice"


@pytest.fixture
def twin(database_url):
    t = Twin(Settings.from_env(db=database_url))
    yield t
    t.close()


def test_commands_are_recorded_with_the_actor_and_change_the_view(twin):
    now = datetime.now(UTC)
    recorded = run(twin, "fish-body-b1", StartStage("foundation"), actor=ACTOR)
    assert [(e.stream, e.type, e.actor) for e in recorded] == [
        ("building:fish-body-b1", "StageStarted", ACTOR)
    ]
    run(twin, "fish-body-b1", ReportProgress("foundation", 25), actor=ACTOR)
    moved = run(
        twin,
        "fish-body-b1",
        RescheduleStage("structure", "foundation started two years late", None, date(2029, 3, 31)),
        actor=ACTOR,
    )
    v = view(twin, datetime.now(UTC), "fish-body")
    stages = {s.stage: s for s in v.schedules["fish-body-b1"]}
    assert (
        stages["foundation"].record.percent == 25 and stages["foundation"].status == "in_progress"
    )
    assert stages["structure"].record.planned_end == date(2029, 3, 31)
    assert stages["structure"].record.baseline_end == date(2027, 3, 31)
    # Time travel: before the commands, the building was as genesis left it.
    before = view(twin, end_of(date(2024, 9, 12)), "fish-body").schedules["fish-body-b1"]
    assert [s.status for s in before if s.stage == "foundation"] == ["planned"]
    events = twin.store.read(stream="building:fish-body-b1", limit=None)
    # The structure's own event, then the stages that wait for it, moved with it (#20).
    mine = [e for e in events if e.actor == ACTOR and e.type == "StageRescheduled"]
    assert [e.data["stage"] for e in mine] == ["structure", "envelope_mep", "acceptance"]
    assert mine[0].data["reason"] == "foundation started two years late"
    assert {e.data["caused_by"] for e in mine[1:]} == {"structure"}
    assert [e.seq for e in mine] == [e.seq for e in moved]  # one command, one append
    assert events[-1].effective_at >= now.replace(microsecond=0)


def test_a_refused_command_writes_nothing(twin):
    head = twin.store.head()
    with pytest.raises(ConstructionError, match=r"fish-body-b1, stage acceptance: .*topping out"):
        run(twin, "fish-body-b1", StartStage("acceptance"), actor=ACTOR)
    with pytest.raises(ConstructionError, match="known-entity"):
        run(twin, "no-such-building", StartStage("design"), actor=ACTOR)
    assert twin.store.head() == head


def test_a_write_between_decision_and_append_is_a_version_conflict(twin, database_url):
    target = entity(twin.campus, "fish-head-t2")
    now = datetime.now(UTC)

    def racing(states, _now):
        state = states[target.stream]
        # Someone else reports progress on the same building while we decide.
        twin.store.append(
            target.stream,
            twin.store.stream_version(target.stream),
            [NewEvent("StageProgressed", {"stage": "envelope_mep", "percent": 50}, now, "bob")],
        )
        return decide(target, ReportProgress("envelope_mep", 40), state, now)

    with pytest.raises(VersionConflict):
        run_command(twin.store, twin.projection, [target.stream], racing, actor=ACTOR)
    events = twin.store.read(stream=target.stream, limit=None)
    assert events[-1].actor == "bob"  # ours was not written
    # Decided again on the latest state, the lower percent is refused as going backwards.
    with pytest.raises(ConstructionError, match="progress-forward"):
        run(twin, "fish-head-t2", ReportProgress("envelope_mep", 40), actor=ACTOR)


def test_completing_the_fish_head_puts_the_milestone_back_on_the_books(twin):
    day = date(2026, 11, 2)
    for i in range(1, 7):
        building = f"fish-head-t{i}"
        run(twin, building, CompleteStage("envelope_mep", date(2026, 10, 30)), actor=ACTOR)
        run(twin, building, StartStage("acceptance", day), actor=ACTOR)
    (ready,) = [
        m
        for m in milestone_states(twin, datetime.now(UTC))
        if m.milestone.id == "fish-head-ready-for-acceptance"
    ]
    assert ready.status == "achieved_late" and ready.actual == day and ready.margin_days == -306
    then = milestone_states(twin, end_of(date(2024, 9, 12)))
    assert {m.milestone.id: m.status for m in then}["fish-head-ready-for-acceptance"] == "on_track"


def test_the_construction_colours_follow_the_stages_and_the_rising_structure(twin):
    early = colors.coloring(twin, "construction", end_of(date(2023, 6, 1))).colors
    article = colors.coloring(twin, "construction", end_of(date(2024, 9, 12))).colors
    today = colors.coloring(twin, "construction", datetime.now(UTC)).colors
    floors = twin.campus.floors("fish-head-t1")
    # Mid-structure, the lower storeys stand and the upper ones do not yet.
    assert early[floors[0].id] != early[floors[-1].id]
    # Topped out by the article: every storey and unit takes the building's colour.
    unit = twin.campus.units("fish-head-t1")[0]
    assert article[floors[-1].id] == article[unit.id] == article["fish-head-t1"] == "#9a8c00"
    assert today["fish-head-t1"] == "#d0102a"  # late: nothing recorded since
    assert article["service-centre"] == today["service-centre"] == "#2a7a3c"  # in use
    assert {"construction", "visitor"} <= set(colors.modes())
    legend = colors.coloring(twin, "construction", datetime.now(UTC)).legend
    assert ("Behind plan", "滞后", "#d0102a") in legend
