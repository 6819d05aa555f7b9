"""What the genesis history answers about construction, as of the article and as of today:
stages, GFA by state, milestones (pure: events folded without a database)."""

from __future__ import annotations

import pytest
from construction_helpers import d, genesis_states

from assets.clock import end_of
from assets.construction import entities, stage_record
from assets.construction.forecast import late_stages, schedule
from assets.construction.genesis import works_genesis_events
from assets.construction.gfa import building_dates, by_scope, series
from assets.construction.milestones import milestone_state, milestones
from assets.construction.stages import current_stage
from assets.genesis import ARTICLE_DATE

HEAD = [f"fish-head-t{i}" for i in range(1, 7)]
NOW = "2026-11-28"


def schedules(campus, day: str):
    states = genesis_states(campus, day)
    return {e.id: schedule(e, states.get(e.stream, {}), d(day)) for e in entities(campus)}


def milestone(campus, day: str, milestone_id: str):
    m = next(m for m in milestones(campus) if m.id == milestone_id)
    return milestone_state(m, schedules(campus, day), d(day))


def test_on_the_article_date_the_fish_head_is_topped_out_and_not_accepted(campus):  # F5
    states = genesis_states(campus, ARTICLE_DATE)
    for building in HEAD:
        state = states[f"building:{building}"]
        assert stage_record(state, "structure").actual_end <= d(ARTICLE_DATE)
        assert not stage_record(state, "acceptance").started
        assert stage_record(state, "acceptance").planned_end == d("2025-12-31")
        assert current_stage(state) == ("envelope_mep", "in_progress")
    ready = milestone(campus, ARTICLE_DATE, "fish-head-ready-for-acceptance")
    assert ready.status == "on_track" and ready.reached == 0 and ready.forecast <= d("2025-12-31")


def test_office_fit_out_starts_in_the_second_half_of_2024(campus):  # F7
    state = genesis_states(campus, ARTICLE_DATE)["building:office-building"]
    fit_out = stage_record(state, "fit_out")
    assert d("2024-07-01") <= fit_out.actual_start <= d("2024-12-31")
    assert stage_record(state, "in_use").planned_start.year == 2025
    assert milestone(campus, ARTICLE_DATE, "office-building-in-operation").status == "on_track"
    before = genesis_states(campus, "2024-06-30")["building:office-building"]
    assert not stage_record(before, "fit_out").started


def test_the_data_centre_work_packages_are_under_way_for_2025(campus):  # F6
    states = genesis_states(campus, ARTICLE_DATE)
    for package in ("feed-a", "feed-b", "dc-equipment"):
        state = states[f"works:{package}"]
        assert current_stage(state) == ("envelope_mep", "in_progress")
        assert stage_record(state, "acceptance").planned_end.year == 2025
    for m in ("dc-dual-feed-complete", "dc-equipment-complete"):
        assert milestone(campus, ARTICLE_DATE, m).status == "on_track"
    assert "works:feed-a" not in genesis_states(campus, "2023-05-31")


def test_the_genesis_records_nothing_done_after_the_article(campus):
    events = works_genesis_events(campus)
    assert events and all(e.effective_at <= end_of(d(ARTICLE_DATE)) for e in events)
    assert all(e.data["provenance"] == "schematic" and e.data["facts"] == ["F6"] for e in events)


def test_today_the_fish_head_acceptance_is_late_because_nothing_says_it_happened(campus):
    ready = milestone(campus, NOW, "fish-head-ready-for-acceptance")
    assert ready.status == "late" and ready.actual is None and ready.margin_days < 0
    assert ready.forecast >= d(NOW)
    late = late_stages([s for rows in schedules(campus, NOW).values() for s in rows])
    overdue = {(s.entity, s.stage) for s in late if s.lateness == "overdue"}
    assert {(b, "envelope_mep") for b in HEAD} <= overdue
    assert {(b, "acceptance") for b in HEAD} <= overdue
    assert all(
        m.status == "late" for m in (milestone(campus, NOW, x.id) for x in milestones(campus))
    )


def test_on_the_article_date_only_the_office_fit_out_is_behind_and_within_a_week(campus):
    rows = [s for r in schedules(campus, ARTICLE_DATE).values() for s in r]
    assert late_stages(rows) == []
    office = next(s for s in rows if (s.entity, s.stage) == ("office-building", "fit_out"))
    assert office.slip_days == 1 and office.lateness == "on_track"


def _gfa(campus, day: str):
    states = genesis_states(campus, day)
    dates = [
        building_dates(e, states.get(e.stream, {}))
        for e in entities(campus)
        if e.kind == "building"
    ]
    return dates, {t.scope: t for t in by_scope(dates, d(day))}


def test_gfa_by_state_per_parcel_and_campus(campus):
    _, article = _gfa(campus, ARTICLE_DATE)
    head = article["fish-head"]
    assert head.total_m2 == pytest.approx(400_000, rel=1e-3)  # F5
    assert head.actual_m2["topped_out"] == head.total_m2
    assert head.actual_m2["accepted"] == head.actual_m2["in_use"] == 0
    assert article["fish-body"].actual_m2["topped_out"] == 0
    campus_total = article["campus"]
    assert campus_total.actual_m2["in_use"] == pytest.approx(
        campus.gfa_m2("service-centre"), abs=0.1
    )
    assert campus_total.actual_m2["accepted"] == pytest.approx(
        campus.gfa_m2("service-centre") + campus.gfa_m2("office-building"), abs=0.2
    )
    _, later = _gfa(campus, "2026-12-31")
    assert later["fish-head"].planned_m2["in_use"] == head.total_m2  # phased opening from 2026-03
    assert later["fish-head"].actual_m2["in_use"] == 0  # nothing recorded


def test_the_gfa_series_stops_its_actuals_at_the_as_of_date(campus):
    dates, _ = _gfa(campus, ARTICLE_DATE)
    points = series(dates, d("2019-01-01"), d("2027-12-31"), d(ARTICLE_DATE))
    assert len(points) == 9 * 12 + 1  # monthly, plus the as-of date itself
    assert points[0].actual_m2 == {"topped_out": 0, "accepted": 0, "in_use": 0}
    known = [p for p in points if p.actual_m2 is not None]
    assert known[-1].day == d(ARTICLE_DATE) and all(p.day <= d(ARTICLE_DATE) for p in known)
    in_use_plan = [p.planned_m2["in_use"] for p in points]
    assert in_use_plan == sorted(in_use_plan)  # floor space only ever enters use
