"""The sample leasing history follows the facts: F7 (70-80 % signed), F9 and S5 (tenants)."""

from __future__ import annotations

from datetime import datetime

import pytest

from assets.history import CAMPUS_TZ
from occupancy.genesis import genesis_events
from occupancy.reducers import REDUCERS
from occupancy.status import Readiness, space_state

ARTICLE = datetime(2024, 9, 12, 23, 59, tzinfo=CAMPUS_TZ)
UNVEILING = datetime(2023, 10, 27, 23, 59, tzinfo=CAMPUS_TZ)


@pytest.fixture(scope="module")
def events(campus):
    return genesis_events(campus)


def _states(events, at):
    states: dict[str, dict] = {}
    for e in sorted(events, key=lambda e: e.effective_at):
        if e.effective_at <= at:
            states[e.stream] = REDUCERS[e.type](states.get(e.stream, {}), e.data, e.effective_at)
    return states


def test_office_building_is_70_to_80_percent_signed_by_september_2024(events, spaces):  # F7
    states = _states(events, ARTICLE)
    units = [s for s in spaces.spaces.values() if s.building == "office-building"]
    signed = sum(
        u.area_m2
        for u in units
        if space_state(states.get(u.stream, {}), ARTICLE, Readiness(False, None)).status == "leased"
    )
    share = signed / sum(u.area_m2 for u in units)
    assert 0.70 <= share <= 0.80


@pytest.mark.parametrize(("at", "low", "high"), [(UNVEILING, 25, 25), (ARTICLE, 41, 49)])
def test_tenants_follow_s5_and_f9(events, at, low, high):
    tenants = [s for k, s in _states(events, at).items() if k.startswith("tenant:")]
    assert low <= len(tenants) <= high
    assert {t["category"] for t in tenants} == {
        "platform",
        "ecosystem",
        "international_cooperation",
    }


def test_every_tenant_is_marked_sample_data_with_an_invented_name(events):
    tenants = [e.data for e in events if e.type == "TenantRegistered"]
    assert all(t["provenance"] == "sample" for t in tenants)
    assert all(t["name"]["en"].startswith("Sample Data Co. ") for t in tenants)
    assert sum(t["public"] for t in tenants) < len(tenants) / 2  # most do not consent
    leases = [e.data for e in events if e.type == "LeaseSigned"]
    assert leases and all(lease.get("provenance") == "sample" for lease in leases)


def test_nothing_happens_after_the_article(events):
    assert max(e.effective_at for e in events) <= ARTICLE
