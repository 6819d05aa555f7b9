"""Forecasts, slip and lateness: the arithmetic a construction manager relies on (pure)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from construction_helpers import Site, d

from assets.construction import CompleteStage, ReportProgress, StartStage
from assets.construction.forecast import TOLERANCE_DAYS, late_stages, schedule


@pytest.fixture
def site(campus):
    """A fish body block with a plan of three stages, as a manager would set it up."""
    s = Site(campus, "fish-body-b2")
    s.plan("design", "2025-01-01", "2025-03-31")
    s.plan("foundation", "2025-04-01", "2025-06-29")  # 89 days
    s.plan("structure", "2025-07-01", "2025-12-31")  # 183 days
    return s


def by_stage(site, today: str):
    return {s.stage: s for s in schedule(site.entity, site.state, d(today))}


def test_the_forecast_carries_the_progress_rate_so_far_to_100_percent(site):
    site.do(StartStage("design", d("2025-01-01")), "2025-01-01")
    site.do(ReportProgress("design", 60, d("2025-02-10")), "2025-02-10")  # 60 % in 40 days
    s = by_stage(site, "2025-02-10")["design"]
    assert s.basis == "progress" and s.rate_percent_per_day == pytest.approx(1.5)
    assert s.forecast_end == d("2025-03-09")  # 40 % more at 1.5 %/day: 26.7 -> 27 days
    assert s.slip_days == -22 and s.lateness == "on_track"
    assert (s.percent, s.percent_basis) == (60, "logged")


def test_a_report_never_makes_the_forecast_worse_than_no_report(site):
    """Slow progress (40 % in 40 days of an 89-day plan, rate 1 %/day, would end 04-11) keeps
    the forecast it had with no report: the start plus the planned duration, 03-31."""
    site.do(StartStage("design", d("2025-01-01")), "2025-01-01")
    unreported = by_stage(site, "2025-02-10")["design"]
    assert unreported.forecast_end == d("2025-03-31") and unreported.basis == "plan"
    assert (unreported.percent, unreported.percent_basis) == (44.9, "estimate")  # 40 / 89 days
    site.do(ReportProgress("design", 40, d("2025-02-10")), "2025-02-10")
    s = by_stage(site, "2025-02-10")["design"]
    assert s.basis == "plan" and s.rate_percent_per_day == pytest.approx(1.0)
    assert s.forecast_end == d("2025-03-31") and s.slip_days == 0
    assert (s.percent, s.percent_basis) == (40, "logged")
    # Once the planned end has passed, the slow stage is overdue, reported or not.
    later = by_stage(site, "2025-04-05")["design"]
    assert later.lateness == "overdue" and later.forecast_end == d("2025-04-05")


def test_a_stage_that_should_have_started_is_late_and_forecast_from_the_instant(site):
    """Nothing started: on 2025-05-01 design (planned 01-01..03-31) is overdue and foundation
    (planned start 04-01, 30 days ago) a late start; the forecast starts design today (89 days:
    07-29), foundation with design (start to start) and ends 89 days after (07-29)."""
    stages = by_stage(site, "2025-05-01")
    assert stages["design"].lateness == "overdue" and stages["foundation"].lateness == "late_start"
    assert stages["design"].forecast_start == d("2025-05-01")
    assert stages["design"].forecast_end == d("2025-07-29")
    assert stages["foundation"].forecast_start == d("2025-05-01")
    assert stages["foundation"].forecast_end == d("2025-07-29")
    assert stages["structure"].lateness == "on_track"  # planned start 07-01 still ahead
    early = by_stage(site, "2025-04-15")
    assert early["foundation"].lateness == "late_start"  # 14 days behind its start, > 7


def test_the_remaining_days_are_rounded_up(site):
    site.do(StartStage("design", d("2025-01-01")), "2025-01-01")
    site.do(ReportProgress("design", 30, d("2025-01-21")), "2025-01-21")  # 1.5 %/day
    s = by_stage(site, "2025-01-21")["design"]
    assert s.forecast_end == d("2025-03-09")  # 70 / 1.5 = 46.7 -> 47 days after 01-21
    assert s.slip_days == -22 and s.lateness == "on_track"


def test_without_a_report_the_planned_duration_runs_from_the_actual_start(site):
    site.do(StartStage("design", d("2025-01-06")), "2025-01-06")
    s = by_stage(site, "2025-01-10")["design"]
    assert s.basis == "plan" and s.forecast_end == d("2025-04-05")  # 89 days after 01-06
    assert s.start_slip_days == 5 and s.slip_days == 5
    assert s.lateness == "on_track"  # within the tolerance
    assert TOLERANCE_DAYS >= 5


def test_unstarted_stages_wait_for_the_stages_before_them(site):
    site.do(StartStage("design", d("2025-04-15")), "2025-04-15")  # 104 days late
    stages = by_stage(site, "2025-04-20")
    design_end = stages["design"].forecast_end
    assert design_end == d("2025-04-15") + timedelta(days=89)  # no report: the plan's length
    # Foundation may start with design (start to start) but not before today, the 20th.
    assert stages["foundation"].forecast_start == d("2025-04-20")
    assert stages["foundation"].forecast_end == d("2025-04-20") + timedelta(days=89)
    assert stages["foundation"].forecast_end >= design_end
    assert stages["structure"].forecast_end >= stages["foundation"].forecast_end
    assert stages["foundation"].lateness == "late_start"


def test_unfinished_work_cannot_be_forecast_to_end_in_the_past(site):
    site.do(StartStage("design", d("2025-01-01")), "2025-01-01")
    site.do(ReportProgress("design", 90, d("2025-01-10")), "2025-01-10")
    s = by_stage(site, "2025-06-01")["design"]
    assert s.forecast_end == d("2025-06-01") and s.lateness == "overdue"
    assert s.slip_days == (d("2025-06-01") - d("2025-03-31")).days


def test_lateness_of_each_kind(site):
    site.do(StartStage("design", d("2025-01-01")), "2025-01-01")
    site.do(CompleteStage("design", d("2025-04-15")), "2025-04-15")
    stages = by_stage(site, "2025-04-15")
    assert stages["design"].lateness == "finished_late" and not stages["design"].late
    assert stages["design"].slip_days == 15
    assert stages["foundation"].lateness == "late_start"  # due 04-01, not begun by 04-15
    assert by_stage(site, "2025-04-05")["foundation"].lateness != "late_start"  # in the grace
    assert by_stage(site, "2025-07-01")["foundation"].lateness == "overdue"


def test_late_stages_are_sorted_by_slip_and_finished_ones_are_optional(site):
    site.do(StartStage("design", d("2025-01-01")), "2025-01-01")
    site.do(CompleteStage("design", d("2025-04-15")), "2025-04-15")
    all_stages = schedule(site.entity, site.state, d("2025-08-01"))
    open_late = late_stages(all_stages)
    assert [s.stage for s in open_late] == ["foundation", "structure"]
    assert open_late[0].slip_days >= open_late[1].slip_days
    with_done = late_stages(all_stages, include_completed=True)
    assert "design" in [s.stage for s in with_done]


def test_a_stage_with_no_plan_has_no_forecast_and_is_never_late(campus):
    s = Site(campus, "fish-tail-b1")
    s.do(StartStage("design", d("2024-01-01")), "2024-01-01")
    (design,) = schedule(s.entity, s.state, d("2026-01-01"))
    assert design.basis == "none" and design.forecast_end is None
    assert design.lateness == "unplanned" and not design.late
