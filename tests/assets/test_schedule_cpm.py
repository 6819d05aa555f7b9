"""The critical path method against a network worked by hand (forward and backward pass,
total and free float), and what-if slips."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from assets.construction.activities import Activity, Link, ScheduleError, check
from assets.construction.cpm import critical_path, what_if

D0 = date(2026, 3, 2)


def act(id_, days, *links, start=D0, milestone=False, **kw):
    return Activity(
        id_,
        id_,
        start,
        start + timedelta(days=days),
        float(days),
        milestone=milestone,
        predecessors=tuple(links),
        **kw,
    )


def network():
    """A 3 days; B 2, FS A; C 4, FS A; D 1, FS B and C; E 2, SS A lag 1; F milestone, FS D
    and E. By hand: early starts A0 B3 C3 D7 E1 F8, finish 8; late finishes A3 B7 C7 D8 E8
    F8; total float A0 B2 C0 D0 E5 F0; free float B2 (D waits for C), E5, others 0."""
    acts = [
        act("A", 3),
        act("B", 2, Link("A")),
        act("C", 4, Link("A")),
        act("D", 1, Link("B"), Link("C")),
        act("E", 2, Link("A", "SS", 1)),
        act("F", 0, Link("D"), Link("E"), milestone=True),
    ]
    return {a.id: a for a in acts}


def day(n):
    return D0 + timedelta(days=n)


def test_forward_and_backward_pass_match_the_hand_worked_network():
    t = critical_path(network(), D0 - timedelta(days=30))
    assert {k: (v.early_start, v.early_finish) for k, v in t.items()} == {
        "A": (day(0), day(3)),
        "B": (day(3), day(5)),
        "C": (day(3), day(7)),
        "D": (day(7), day(8)),
        "E": (day(1), day(3)),
        "F": (day(8), day(8)),
    }
    assert {k: v.late_finish for k, v in t.items()} == {
        "A": day(3),
        "B": day(7),
        "C": day(7),
        "D": day(8),
        "E": day(8),
        "F": day(8),
    }
    assert {k: v.total_float for k, v in t.items()} == {
        "A": 0,
        "B": 2,
        "C": 0,
        "D": 0,
        "E": 5,
        "F": 0,
    }
    assert {k: v.free_float for k, v in t.items()} == {
        "A": 0,
        "B": 2,
        "C": 0,
        "D": 0,
        "E": 5,
        "F": 0,
    }
    assert [k for k, v in t.items() if v.critical] == ["A", "C", "D", "F"]


def test_ff_and_sf_links_and_lags():
    acts = {
        "A": act("A", 4),
        "B": act("B", 2, Link("A", "FF", 3)),  # B ends >= A's end + 3: starts day 5
        "C": act(
            "C", 3, Link("A", "SF", 1)
        ),  # C ends >= A's start + 1: starts day 0 (its own start)
    }
    t = critical_path(acts, D0)
    assert (t["B"].early_start, t["B"].early_finish) == (day(5), day(7))
    assert t["C"].early_start == day(0) and t["B"].critical and not t["C"].critical
    assert t["C"].total_float == 4 and t["A"].total_float == 0


def test_progress_as_of_a_date_moves_the_network():
    acts = network()
    # A started on time but is only 1/3 done on day 5: 2 days remain, so it ends on day 7.
    acts["A"] = act("A", 3, actual_start=D0, percent=100 / 3)
    t = critical_path(acts, day(5))
    assert t["A"].early_finish == day(7) and t["F"].early_finish == day(12)
    # Finished work keeps its actual dates and is never critical.
    acts["A"] = act("A", 3, actual_start=D0, actual_finish=day(2), percent=100)
    t = critical_path(acts, day(2))
    assert t["A"].finished and not t["A"].critical and t["C"].early_start == day(2)


def test_what_if_names_what_moves_and_by_how_much():
    acts = network()
    answer = what_if(acts, D0, {"B": 3})  # B has 2 days of float: D and F move by 1
    assert [(m.activity, m.days, m.milestone) for m in answer.moves] == [
        ("B", 3, False),
        ("D", 1, False),
        ("F", 1, True),
    ]
    assert (answer.finish_before, answer.finish_after) == (day(8), day(9))
    assert [m.activity for m in what_if(acts, D0, {"E": 5}).moves] == ["E"]  # within its float


def test_a_loop_is_refused_naming_the_rule():
    acts = {"A": act("A", 1, Link("B")), "B": act("B", 1, Link("A"))}
    with pytest.raises(ScheduleError) as e:
        critical_path(acts, D0)
    assert e.value.rule == "no-cycle"


def test_an_import_with_looping_links_is_refused_before_anything_is_written():
    acts = [act("A", 1, Link("C")), act("B", 1, Link("A")), act("C", 1, Link("B"))]
    with pytest.raises(ScheduleError) as e:
        check("loop.xml", acts)
    assert (e.value.file, e.value.rule) == ("loop.xml", "no-cycle") and "->" in str(e.value)


def test_a_negative_slip_shortens_an_activity_but_never_below_nothing():
    acts = network()
    shorter = what_if(acts, D0, {"C": -1})  # C ends a day early: D and F follow
    assert [(m.activity, m.days) for m in shorter.moves] == [("C", -1), ("D", -1), ("F", -1)]
    gone = critical_path(acts, D0, {"A": -50})
    assert gone["A"].early_finish == gone["A"].early_start == D0
