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
    site.do(ReportProgress("design", 40, d("2025-02-10")), "2025-02-10")  # 40 % in 40 days
    s = by_stage(site, "2025-02-10")["design"]
    assert s.basis == "progress" and s.rate_percent_per_day == pytest.approx(1.0)
    assert s.forecast_end == d("2025-04-11")  # 60 % more at 1 %/day
    assert s.slip_days == 11 and s.lateness == "forecast_late" and s.late


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
    site.do(StartStage("design", d("2025-01-01")), "2025-01-01")
    site.do(ReportProgress("design", 10, d("2025-03-01")), "2025-03-01")  # slow: 10 % in 59 d
    stages = by_stage(site, "2025-03-01")
    design_end = stages["design"].forecast_end
    assert design_end == d("2025-03-01") + timedelta(days=531)  # 90 % at 10/59 %/day
    # Foundation may start with design (start to start) but not finish before it.
    assert stages["foundation"].forecast_start == d("2025-04-01")
    assert stages["foundation"].forecast_end == design_end
    assert stages["structure"].forecast_end >= stages["foundation"].forecast_end
    assert stages["foundation"].lateness == "forecast_late"


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
