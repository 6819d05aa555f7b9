"""Every rule of the construction commands: what is allowed, what is refused and how the
refusal names the building, the stage and the rule (pure: no database)."""

from __future__ import annotations

import math

import pytest
from construction_helpers import Site, d, fold, genesis_states, noon

from assets.construction import (
    CompleteStage,
    ConstructionError,
    ReportProgress,
    RescheduleStage,
    StartStage,
    entity,
    stage_record,
)
from assets.construction.stages import current_stage

TODAY = "2026-11-28"


@pytest.fixture
def body(campus):
    """fish-body-b1 as genesis leaves it: design done, foundation onwards only planned."""
    return Site(campus, "fish-body-b1", genesis_states(campus, TODAY)["building:fish-body-b1"])


@pytest.fixture
def head(campus):
    """fish-head-t1 as genesis leaves it: topped out, envelope and MEP under way."""
    return Site(campus, "fish-head-t1", genesis_states(campus, TODAY)["building:fish-head-t1"])


def refused(site: Site, command, rule: str, now: str = TODAY) -> ConstructionError:
    before = site.state
    with pytest.raises(ConstructionError) as info:
        site.do(command, now)
    error = info.value
    assert error.rule == rule and error.entity == site.entity.id
    assert site.entity.id in str(error) and f"(rule: {rule})" in str(error)
    if error.stage:
        assert f"stage {error.stage}" in str(error)
    assert site.state == before  # nothing decided, nothing folded
    return error


def test_a_stage_starts_on_its_date_and_is_recorded_as_that_day(body):
    (event,) = body.do(StartStage("foundation", d("2026-11-20")), TODAY)
    assert event.type == "StageStarted" and event.stream == "building:fish-body-b1"
    assert event.data == {"stage": "foundation", "on": "2026-11-20"}
    assert event.effective_at == noon("2026-11-20").replace(hour=0)  # a past day: its midnight
    r = stage_record(body.state, "foundation")
    assert r.actual_start == d("2026-11-20") and r.percent == 0 and r.started
    (today,) = body.do(ReportProgress("foundation", 10), TODAY)
    assert today.effective_at == noon(TODAY)  # today: the moment of the command


def test_start_twice_is_refused(body):
    body.do(StartStage("foundation"), TODAY)
    refused(body, StartStage("foundation"), "start-once")


def test_a_stage_cannot_start_before_its_predecessor(body):
    error = refused(body, StartStage("structure"), "stage-order")
    assert "foundation has not started" in str(error)
    body.do(StartStage("foundation", d("2026-11-10")), TODAY)
    refused(body, StartStage("structure", d("2026-11-01")), "stage-order")  # before it, in time
    body.do(StartStage("structure", d("2026-11-15")), TODAY)  # overlap is allowed


def test_completion_acceptance_needs_topping_out(body):
    error = refused(body, StartStage("acceptance"), "acceptance-after-topping-out")
    assert "completion acceptance (竣工验收)" in str(error) and "topping out (结构封顶)" in str(
        error
    )
    assert error.stage == "acceptance"


def test_completion_acceptance_needs_the_works_complete(head):
    refused(head, StartStage("acceptance"), "acceptance-after-works")
    head.do(CompleteStage("envelope_mep", d("2026-10-30")), TODAY)
    refused(head, StartStage("acceptance", d("2026-10-29")), "acceptance-after-works")
    head.do(StartStage("acceptance", d("2026-11-02")), TODAY)
    head.do(CompleteStage("acceptance"), TODAY)
    assert current_stage(head.state) == ("acceptance", "completed")


def test_fit_out_needs_topping_out_and_use_needs_acceptance(body, head):
    refused(body, StartStage("fit_out"), "fit-out-after-topping-out")
    head.do(StartStage("fit_out"), TODAY)  # topped out: fit-out may overlap the works
    refused(head, StartStage("in_use"), "use-after-acceptance")


def test_completion_rules(body, head):
    refused(body, CompleteStage("foundation"), "complete-after-start")
    body.do(StartStage("foundation", d("2026-11-01")), TODAY)
    body.do(StartStage("structure", d("2026-11-02")), TODAY)
    refused(body, CompleteStage("structure"), "stage-order")  # foundation still open
    refused(body, CompleteStage("foundation", d("2026-10-31")), "end-after-start")
    body.do(CompleteStage("foundation", d("2026-11-20")), TODAY)
    refused(body, CompleteStage("foundation"), "complete-once")
    refused(body, CompleteStage("structure", d("2026-11-19")), "stage-order")  # before it ended
    head.do(ReportProgress("envelope_mep", 50, d("2026-11-01")), TODAY)
    refused(head, CompleteStage("envelope_mep", d("2026-10-01")), "date-order")


@pytest.mark.parametrize(
    "command",
    [
        StartStage("foundation", d("2026-11-29")),
        ReportProgress("envelope_mep", 50, d("2027-01-01")),
        CompleteStage("envelope_mep", d("2026-11-29")),
    ],
    ids=["start", "progress", "complete"],
)
def test_an_actual_date_cannot_be_in_the_future(campus, command):
    site_id = "fish-body-b1" if command.stage == "foundation" else "fish-head-t1"
    site = Site(campus, site_id, genesis_states(campus, TODAY)[f"building:{site_id}"])
    error = refused(site, command, "no-future-actual")
    assert "2026-11-28" in str(error)


def test_progress_rules(body, head):
    refused(body, ReportProgress("foundation", 10), "progress-after-start")
    head.do(ReportProgress("envelope_mep", 60, d("2026-11-01")), TODAY)
    error = refused(head, ReportProgress("envelope_mep", 40), "progress-forward")
    assert "from 60 % to 40 %" in str(error) and "correction_reason" in str(error)
    refused(head, ReportProgress("envelope_mep", 70, d("2026-10-01")), "date-order")
    refused(head, ReportProgress("envelope_mep", 70, d("2024-06-01")), "end-after-start")
    head.do(ReportProgress("envelope_mep", 40, None, "double-counted the curtain wall"), TODAY)
    s = head.state["stages"]["envelope_mep"]
    assert s["percent"] == 40 and s["corrections"] == [
        {"on": TODAY, "from": 60, "to": 40, "reason": "double-counted the curtain wall"}
    ]
    head.do(CompleteStage("envelope_mep"), TODAY)
    refused(head, ReportProgress("envelope_mep", 100), "progress-on-completed")


@pytest.mark.parametrize("percent", [-1, 100.5, math.nan, math.inf])
def test_progress_must_be_a_percent(head, percent):
    refused(head, ReportProgress("envelope_mep", percent), "percent-range")


def test_reschedule_keeps_the_reason_the_former_dates_and_the_baseline(head):
    event, *moved = head.do(
        RescheduleStage(
            "acceptance", "curtain wall supplier late", d("2026-12-01"), d("2027-03-31")
        ),
        TODAY,
    )
    assert [e.data["stage"] for e in moved] == ["fit_out", "in_use"]  # they follow it
    assert event.type == "StageRescheduled" and event.data["reason"] == "curtain wall supplier late"
    r = stage_record(head.state, "acceptance")
    assert (r.planned_start, r.planned_end) == (d("2026-12-01"), d("2027-03-31"))
    assert (r.baseline_start, r.baseline_end) == (d("2025-11-01"), d("2025-12-31"))
    (change,) = head.state["stages"]["acceptance"]["plan_history"]
    assert change["from"] == ["2025-11-01", "2025-12-31"] and change["to"] == [
        "2026-12-01",
        "2027-03-31",
    ]
    head.do(RescheduleStage("acceptance", "one more month", None, d("2027-04-30")), TODAY)
    assert len(head.state["stages"]["acceptance"]["plan_history"]) == 2


def test_a_stage_without_a_plan_gets_its_first_plan(body):
    (event,) = body.do(
        RescheduleStage("in_use", "first plan", d("2029-01-01"), d("2029-06-30")), TODAY
    )
    assert event.type == "StagePlanned"
    assert stage_record(body.state, "in_use").baseline_end == d("2029-06-30")


@pytest.mark.parametrize(
    ("command", "rule"),
    [
        (RescheduleStage("acceptance", "  "), "reschedule-reason"),
        (RescheduleStage("acceptance", "why"), "reschedule-dates"),
        (RescheduleStage("acceptance", "why", d("2027-02-01"), d("2027-01-01")), "end-after-start"),
        (RescheduleStage("acceptance", "why", None, d("2025-10-01")), "end-after-start"),
        (RescheduleStage("structure", "why", None, d("2027-01-01")), "reschedule-completed"),
        (RescheduleStage("in_use", "why", None, d("2027-01-01")), "reschedule-dates"),
    ],
    ids=["no-reason", "no-dates", "end-before-start", "end-before-kept-start", "done", "no-plan"],
)
def test_bad_reschedules_are_refused(campus, head, body, command, rule):
    site = body if command.stage == "in_use" else head
    refused(site, command, rule)


def test_unknown_building_stage_and_work_package_stage(campus, head):
    with pytest.raises(ConstructionError) as info:
        entity(campus, "fish-head-t9")
    assert info.value.rule == "known-entity" and "feed-a" in str(info.value)
    refused(head, StartStage("roofing"), "known-stage")
    feed = Site(campus, "feed-a", genesis_states(campus, TODAY)["works:feed-a"])
    error = refused(feed, StartStage("structure"), "known-stage")
    assert "design, envelope_mep, acceptance, in_use" in str(error)


def test_a_work_package_is_accepted_once_installed_without_topping_out(campus):
    feed = Site(campus, "feed-b", genesis_states(campus, TODAY)["works:feed-b"])
    refused(feed, StartStage("acceptance"), "acceptance-after-works")
    feed.do(CompleteStage("envelope_mep", d("2025-09-20")), TODAY)
    feed.do(StartStage("acceptance", d("2025-10-01")), TODAY)
    feed.do(CompleteStage("acceptance", d("2025-11-15")), TODAY)
    feed.do(StartStage("in_use", d("2025-12-01")), TODAY)
    assert stage_record(feed.state, "in_use").actual_start == d("2025-12-01")


def test_the_reducers_never_change_the_state_they_are_given(head):
    before = {k: dict(v) for k, v in head.state["stages"].items()}
    events = head.do(ReportProgress("envelope_mep", 30), TODAY)
    assert fold(events, {"stages": before})["stages"]["envelope_mep"]["percent"] == 30
    assert before["envelope_mep"]["percent"] == 0


def test_rescheduling_a_stage_moves_what_depends_on_it(head):
    """Fit-out and use cannot stay before acceptance: a later acceptance moves them, each as
    an event of its own saying what moved it and by which rule, keeping its duration."""
    events = head.do(
        RescheduleStage("acceptance", "fire inspection moved", d("2026-12-01"), d("2027-03-31")),
        TODAY,
    )
    assert [(e.type, e.data["stage"]) for e in events] == [
        ("StageRescheduled", "acceptance"),
        ("StageRescheduled", "fit_out"),
        ("StageRescheduled", "in_use"),
    ]
    fit_out, use = events[1].data, events[2].data
    assert (fit_out["caused_by"], fit_out["rule"]) == ("acceptance", "fit-out-after-acceptance")
    assert (use["caused_by"], use["rule"]) == ("acceptance", "use-after-acceptance")
    assert "fire inspection moved" in fit_out["reason"] and "acceptance" in fit_out["reason"]
    f, u = stage_record(head.state, "fit_out"), stage_record(head.state, "in_use")
    assert f.planned_start == d("2027-04-01") and f.planned_days == 272  # 2026-01-01..09-30
    assert u.planned_start == d("2027-04-01") and u.planned_days == 486
    assert u.planned_end >= f.planned_end  # use cannot finish before fit-out
    assert (f.baseline_start, u.baseline_start) == (d("2026-01-01"), d("2026-03-01"))
    # Earlier again: nothing is pulled back (successors move only when they must).
    again = head.do(
        RescheduleStage("acceptance", "inspection earlier", None, d("2027-02-28")), TODAY
    )
    assert [e.data["stage"] for e in again] == ["acceptance"]


def test_a_reschedule_moves_later_stages_only_when_they_would_overlap(body):
    """fish-body-b1: the structure may overlap the envelope (start to start), but acceptance
    waits for every work stage to finish."""
    events = body.do(
        RescheduleStage("envelope_mep", "facade redesign", None, d("2028-02-29")), TODAY
    )
    assert [e.data["stage"] for e in events] == ["envelope_mep", "acceptance"]
    a = stage_record(body.state, "acceptance")
    assert (a.planned_start, a.planned_end) == (d("2028-03-01"), d("2028-05-30"))  # 90 days
