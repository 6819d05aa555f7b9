"""The deal pipeline's rules and funnel, folded in memory from the events its decisions make."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from assets.history import State
from occupancy import pipeline
from occupancy.errors import LeasingInvalid, LeasingRefused
from occupancy.pipeline import Requirement, funnel, prospect_of

T0 = datetime(2026, 3, 2, 2, tzinfo=UTC)  # 10:00 campus time
NEED = Requirement("office", 600.0, None, date(2026, 9, 1), 3.2)


class Deals:
    def __init__(self) -> None:
        self.states: dict[str, State] = {}

    def run(self, events):
        for e in events:
            reducer = pipeline.REDUCERS[e.type]
            self.states[e.stream] = reducer(self.states.get(e.stream, {}), e.data, e.effective_at)

    def get(self, pid: str):
        return prospect_of(self.states.get(f"prospect:{pid}", {}))

    def add(self, pid: str, day: int, need: Requirement = NEED) -> None:
        state = self.states.get(f"prospect:{pid}", {})
        self.run(
            pipeline.register(
                state,
                {},
                pid,
                f"{pid} Co.",
                {"name": "Li"},
                need,
                by="alice",
                now=T0 + timedelta(days=day),
            )
        )

    def step(self, pid: str, stage: str, day: int) -> None:
        self.run(
            pipeline.advance(pid, self.get(pid), stage, by="bob", now=T0 + timedelta(days=day))
        )


def test_steps_move_forward_record_who_and_when_and_close():
    d = Deals()
    d.add("a", 0)
    d.step("a", "tour", 3)
    d.step("a", "hold", 10)  # a stage may be skipped
    p = d.get("a")
    assert p is not None and p.stage == "hold"
    assert [(h.stage, h.by, h.at) for h in p.history] == [
        ("enquiry", "alice", T0),
        ("tour", "bob", T0 + timedelta(days=3)),
        ("hold", "bob", T0 + timedelta(days=10)),
    ]
    with pytest.raises(LeasingRefused, match="only move forward"):
        d.step("a", "proposal", 11)
    d.run(pipeline.signed("a", d.get("a"), "L-X", by="carol", now=T0 + timedelta(days=20)))
    assert d.get("a").stage == "signed" and d.get("a").lease == "L-X"
    with pytest.raises(LeasingRefused, match="closed"):
        d.run(pipeline.lose("a", d.get("a"), "too late", by="bob", now=T0))


def test_registration_is_refused_naming_what_is_wrong():
    d = Deals()
    d.add("a", 0)
    with pytest.raises(LeasingRefused, match="already registered"):
        d.add("a", 1)
    with pytest.raises(LeasingRefused, match="already a tenant"):
        pipeline.register(
            {}, {"name": {"zh": "x", "en": "x"}}, "b", "B", {"name": "x"}, NEED, by="a", now=T0
        )
    with pytest.raises(LeasingInvalid) as bad:
        pipeline.register(
            {},
            {},
            "c",
            "C",
            {"name": "x"},
            Requirement("rack", None, None, date(2027, 1, 1), None),
            by="a",
            now=T0,
        )
    assert bad.value.field == "requirement.racks"
    with pytest.raises(LeasingInvalid) as bad:
        d.run(pipeline.lose("a", d.get("a"), "  ", by="bob", now=T0))
    assert bad.value.field == "reason"


def test_funnel_counts_areas_conversion_and_median_days_worked_by_hand():
    # Four enquiries in March 2026 (600 m² each), one in May (outside the period):
    #   a: enquiry d0 -> tour d4 -> proposal d10 -> hold d12 -> signed d20
    #   b: enquiry d1 -> tour d3 -> lost d9
    #   c: enquiry d2 -> tour d10 -> proposal d15
    #   d: enquiry d5 (still at enquiry)
    # reached: enquiry 4, tour 3, proposal 2, hold 1, signed 1
    # conversion: tour 3/4 = 0.75, proposal 2/3, hold 1/2, signed 1/1
    # area: 4 × 600 = 2,400 at enquiry, 1,800 at tour, 1,200 at proposal, 600 at hold and signed
    # days at enquiry before the next stage: a 4, b 2, c 8 -> median 4 (d has not moved on)
    # days at tour: a 6, c 5 -> median 5.5 (b was lost, not moved on); at proposal: a 2
    d = Deals()
    for pid, day in (("a", 0), ("b", 1), ("c", 2), ("d", 5), ("e", 70)):
        d.add(pid, day)
    for pid, stage, day in (
        ("a", "tour", 4), ("a", "proposal", 10), ("a", "hold", 12),
        ("b", "tour", 3), ("c", "tour", 10), ("c", "proposal", 15),
    ):  # fmt: skip
        d.step(pid, stage, day)
    d.run(pipeline.signed("a", d.get("a"), "L-A", by="x", now=T0 + timedelta(days=20)))
    d.run(pipeline.lose("b", d.get("b"), "chose another park", by="x", now=T0 + timedelta(days=9)))
    everyone = [p for s in d.states.values() if (p := prospect_of(s)) is not None]
    f = funnel(everyone, date(2026, 3, 1), date(2026, 3, 31))
    assert (f.prospects, f.lost, dict(f.lost_reasons)) == (4, 1, {"chose another park": 1})
    by = {s.stage: s for s in f.stages}
    assert [by[s].reached for s in pipeline.STAGES] == [4, 3, 2, 1, 1]
    assert [by[s].area_m2 for s in pipeline.STAGES] == [2400, 1800, 1200, 600, 600]
    assert [by[s].conversion for s in pipeline.STAGES] == [
        None,
        0.75,
        pytest.approx(2 / 3),
        0.5,
        1.0,
    ]
    assert (by["enquiry"].median_days, by["tour"].median_days, by["proposal"].median_days) == (
        4,
        5.5,
        2,
    )
    assert (by["enquiry"].now_at, by["tour"].now_at, by["proposal"].now_at) == (1, 0, 1)
