"""Past today the forecast raises a building storey by storey (#20): the share of storeys the
forecast known today puts standing on a later day (pure: no database)."""

from __future__ import annotations

from datetime import timedelta

from construction_helpers import d, genesis_states

from assets.construction import entity
from assets.construction.forecast import built_share, forecast_built_share, schedule

TODAY = "2026-11-28"


def _schedules(campus, building):
    state = genesis_states(campus, TODAY)[f"building:{building}"]
    return schedule(entity(campus, building), state, d(TODAY))


def test_a_block_not_begun_rises_over_its_forecast_structure(campus):
    rows = _schedules(campus, "fish-body-b1")
    structure = next(s for s in rows if s.stage == "structure")
    start, end = structure.forecast_start, structure.forecast_end
    assert start == d(TODAY) and end is not None  # late: the forecast starts it today
    share = [forecast_built_share(rows, d(TODAY), start + timedelta(days=n)) for n in (0, 100, 300)]
    assert share[0] == built_share(rows, d(TODAY)) == 0
    assert 0 < share[1] < share[2] < 1
    assert share[1] == (100 / (end - start).days)  # linear over the forecast days
    assert forecast_built_share(rows, d(TODAY), end) == 1


def test_up_to_today_and_once_topped_out_it_is_what_stands(campus):
    tower = _schedules(campus, "fish-head-t1")
    assert forecast_built_share(tower, d(TODAY), d("2030-01-01")) == 1  # topped out in 2024
    block = _schedules(campus, "fish-body-b1")
    assert forecast_built_share(block, d(TODAY), d("2026-01-01")) == built_share(block, d(TODAY))
