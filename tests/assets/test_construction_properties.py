"""Properties of the construction read model over random plans, starts, reports and instants
(Hypothesis): a report never worsens a forecast, work that should have started is late, the
percent says where it comes from, and a building not in use is never ready in the past."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from assets.construction.catalogue import Entity
from assets.construction.forecast import (
    ESTIMATE_CAP,
    TOLERANCE_DAYS,
    building_ready_on,
    schedule,
)
from assets.construction.stages import STAGES

ONE_STAGE = Entity("b", "building", "", "", "", 0.0, ("foundation",))
DAY0 = date(2024, 1, 1)
days = st.integers(min_value=0, max_value=1500)


def _state(planned_start: date, length: int, **actual: object) -> dict:
    stage = {"planned_start": planned_start.isoformat()}
    stage["planned_end"] = (planned_start + timedelta(days=length)).isoformat()
    stage |= {k: v.isoformat() if isinstance(v, date) else v for k, v in actual.items()}
    return {"stages": {"foundation": stage}}


def _foundation(state: dict, today: date):
    return schedule(ONE_STAGE, state, today)[0]


@settings(max_examples=300, deadline=None)
@given(
    plan=days,
    length=st.integers(min_value=1, max_value=700),
    start=days,
    report_after=st.integers(min_value=1, max_value=900),
    percent=st.floats(min_value=0.5, max_value=99.5),
    look=st.integers(min_value=0, max_value=900),
)
def test_a_report_never_makes_the_forecast_later(plan, length, start, report_after, percent, look):
    planned, started = DAY0 + timedelta(days=plan), DAY0 + timedelta(days=start)
    reported_on = started + timedelta(days=report_after)
    today = reported_on + timedelta(days=look)
    silent = _foundation(
        _state(planned, length, actual_start=started, percent=0, progress_on=started), today
    )
    told = _foundation(
        _state(planned, length, actual_start=started, percent=percent, progress_on=reported_on),
        today,
    )
    assert told.forecast_end is not None and silent.forecast_end is not None
    assert told.forecast_end <= silent.forecast_end
    assert told.forecast_end >= today  # unfinished work never ends in the past
    assert (told.percent, told.percent_basis) == (percent, "logged")
    assert silent.percent_basis == "estimate" and 0 <= silent.percent <= ESTIMATE_CAP


@settings(max_examples=200, deadline=None)
@given(plan=days, length=st.integers(min_value=1, max_value=700), look=days)
def test_work_that_should_have_started_is_late_and_forecast_from_the_instant(plan, length, look):
    planned = DAY0 + timedelta(days=plan)
    today = DAY0 + timedelta(days=look)
    s = _foundation(_state(planned, length), today)
    assert s.forecast_start == max(planned, today)
    should_have = planned + timedelta(days=TOLERANCE_DAYS) < today
    assert s.late == (should_have or planned + timedelta(days=length) < today)
    assert (s.percent, s.percent_basis) == (0, "actual")


@settings(max_examples=100, deadline=None)
@given(plan=days, look=days)
def test_a_building_not_in_use_is_never_ready_in_the_past(plan, look):
    start = DAY0 + timedelta(days=plan)
    today = DAY0 + timedelta(days=look)
    stages = {}
    for i, stage in enumerate(STAGES):
        first = start + timedelta(days=100 * i)
        stages[stage] = {
            "planned_start": first.isoformat(),
            "planned_end": (first + timedelta(days=99)).isoformat(),
        }
    ready = building_ready_on({"stages": stages}, today)
    assert ready is not None and ready >= today
    assert ready >= start + timedelta(days=100 * STAGES.index("in_use"))
