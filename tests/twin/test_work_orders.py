"""Work orders on a real log (SQLite and PostgreSQL): transitions and refusals, the SLA clock
at instants, recurrence opening the next planned order, and a maintenance window changing a
facility's status and the halls' redundancy only while it lasts."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from assets.dataset import load_campus
from assets.facilities.effective import effective_statuses
from assets.facilities.readings import check_reading
from assets.facilities.recurrence import Recurrence
from assets.facilities.work_order_commands import NewWorkOrder
from assets.facilities.work_orders import WorkOrderError, overdue
from twin.eventlog import VersionConflict
from twin.facilities import queries
from twin.facilities.services import FacilityServices
from twin.facilities.work_orders import open_work_order, step_work_order, work_order_at
from twin.genesis import ensure_genesis

T0 = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
H = timedelta(hours=1)


@pytest.fixture(scope="module")
def campus():
    return load_campus()


@pytest.fixture
def services(store, campus):
    ensure_genesis(store, campus)
    svc = FacilityServices.open(store, campus)
    ids = [f for f in svc.topology.facilities if f != "cross-border-centre"]
    raws = [
        {"facility": f, "status": "operational", "observed_at": (T0 - 24 * H).isoformat()}
        for f in ids
    ]
    svc.ingest.record([check_reading(svc.topology, r, T0) for r in raws], "test")
    return svc


def corrective(priority="P1", **extra):
    return NewWorkOrder("dc/hall-1", "corrective", priority, "CRAH-3 fan noise", **extra)


def step(svc, order_id, action, minutes, **kw):
    return step_work_order(
        svc.state, order_id, action, actor="ops-test", now=T0 + timedelta(minutes=minutes), **kw
    )


def test_an_order_goes_open_assigned_in_progress_done_with_times_and_notes(services, store):
    oid, recorded = open_work_order(services.state, corrective(note="noisy"), actor="ops", now=T0)
    assert [e.type for e in recorded] == ["WorkOrderOpened"] and recorded[
        0
    ].stream == f"workorder:{oid}"
    step(services, oid, "assign", 10, assignee="Li Wei", note="on shift")
    step(services, oid, "start", 30)
    step(services, oid, "complete", 90, note="bearing replaced")
    done = work_order_at(services.state, oid, T0 + 2 * H)
    assert done["state"] == "done" and done["assignee"] == "Li Wei"
    assert done["started_at"] == (T0 + timedelta(minutes=30)).isoformat()
    assert [n["state"] for n in done["notes"]] == ["open", "assigned", "in_progress", "done"]
    assert done["notes"][-1]["note"] == "bearing replaced" and done["notes"][1]["by"] == "ops-test"
    # time travel: at 20 minutes it was assigned, not started
    assert work_order_at(services.state, oid, T0 + timedelta(minutes=20))["state"] == "assigned"


@pytest.mark.parametrize(
    ("done", "action"),
    [
        ((), "start"),
        ((), "complete"),
        (("assign",), "complete"),
        (("assign", "start", "complete"), "cancel"),
    ],
)
def test_impossible_steps_are_refused_naming_the_state_and_record_nothing(
    services, store, done, action
):
    oid, _ = open_work_order(services.state, corrective(), actor="ops", now=T0)
    for i, a in enumerate(done):
        step(services, oid, a, i + 1, assignee="Li Wei")
    before = store.count()
    with pytest.raises(WorkOrderError) as refused:
        step(services, oid, action, 60, assignee="Li Wei")
    state = work_order_at(services.state, oid, T0 + 2 * H)["state"]
    assert refused.value.kind == "conflict" and refused.value.details["state"] == state
    assert f"is {state}" in str(refused.value)
    assert store.count() == before


def test_bad_orders_are_refused_and_record_nothing(services, store):
    before = store.count()
    bad = [
        NewWorkOrder("nowhere", "corrective", "P1", "x"),
        NewWorkOrder("dc/hall-1", "corrective", "P9", "x"),
        NewWorkOrder("dc/hall-1", "planned", "P3", "no start"),
        NewWorkOrder(
            "dc/hall-1", "planned", "P3", "past window", planned_start=T0 - 3 * H, window_end=T0 - H
        ),
        corrective(alert="feed-down:never"),
        NewWorkOrder(
            "dc/hall-1",
            "planned",
            "P3",
            "ends first",
            planned_start=T0 + H,
            recurrence=Recurrence(1, "week", until=T0),
        ),
    ]
    for order in bad:
        with pytest.raises(WorkOrderError):
            open_work_order(services.state, order, actor="ops", now=T0)
    with pytest.raises(WorkOrderError) as unknown:
        step(services, "wo-nothing", "start", 1)
    assert unknown.value.kind == "not_found"
    assert store.count() == before


def test_the_sla_clock_marks_late_starts_and_finishes_at_any_instant(services):
    oid, _ = open_work_order(services.state, corrective("P1"), actor="ops", now=T0)
    opened = work_order_at(services.state, oid, T0)
    assert opened["start_due"] == (T0 + 4 * H).isoformat()  # P1: 4 h to start, 24 h to finish
    assert opened["finish_due"] == (T0 + 24 * H).isoformat()

    def late(at):
        return overdue(work_order_at(services.state, oid, at), at)

    assert late(T0 + 3 * H) is None
    assert late(T0 + 5 * H) == "start"
    step(services, oid, "assign", 6 * 60, assignee="Li Wei")
    step(services, oid, "start", 7 * 60)
    assert late(T0 + 8 * H) is None  # started (late, but started): due to finish at 24 h
    assert late(T0 + 25 * H) == "finish"
    step(services, oid, "complete", 26 * 60)
    assert late(T0 + 27 * H) is None and late(T0 + 25 * H) == "finish"  # history kept


def test_completing_a_recurring_order_opens_the_next_one(services):
    monthly = NewWorkOrder(
        "dc/ups-a", "planned", "P3", "UPS A battery test",
        planned_start=datetime(2026, 1, 31, 1, 0, tzinfo=UTC),
        recurrence=Recurrence(1, "month", until=datetime(2026, 4, 1, tzinfo=UTC)),
    )  # fmt: skip
    oid, _ = open_work_order(services.state, monthly, actor="ops", now=T0)
    assert oid.endswith("-1")
    series = oid.removesuffix("-1")
    step(services, oid, "assign", 1, assignee="Zhang Min")
    step(services, oid, "start", 2)
    recorded = step(services, oid, "complete", 3)
    assert [e.type for e in recorded] == ["WorkOrderCompleted", "WorkOrderOpened"]
    second = work_order_at(services.state, f"{series}-2", T0 + H)
    assert second["planned_start"] == "2026-02-28T01:00:00+00:00"  # 31st clamped
    assert second["state"] == "open" and second["occurrence"] == 2
    assert work_order_at(services.state, oid, T0 + H)["next"] == f"{series}-2"
    for i, action in enumerate(("assign", "start", "complete")):
        step(services, f"{series}-2", action, 10 + i, assignee="Zhang Min")
    third = work_order_at(services.state, f"{series}-3", T0 + H)
    assert third["planned_start"] == "2026-03-31T01:00:00+00:00"
    for i, action in enumerate(("assign", "start")):
        step(services, f"{series}-3", action, 20 + i, assignee="Zhang Min")
    assert [e.type for e in step(services, f"{series}-3", "complete", 30)] == [
        "WorkOrderCompleted"
    ]  # April is past `until`: the series ends


def test_a_maintenance_window_changes_status_and_redundancy_only_inside_it(services):
    start, end = T0 + 2 * H, T0 + 4 * H
    window = NewWorkOrder(
        "feed-a", "planned", "P2", "Feed A switchgear service", planned_start=start, window_end=end
    )
    oid, _ = open_work_order(services.state, window, actor="ops", now=T0)

    def facts(at):
        views = {v.node.id: v for v in queries.facility_views(services, at, metrics=False)}
        impact = queries.redundancy(services, [], at, "status")
        levels = {h.hall: h.before for h in impact.halls}
        return views, levels

    for at in (start - timedelta(minutes=1), end, end + H):
        views, levels = facts(at)
        assert views["feed-a"].status == "operational", at
        assert views["dc/hall-1"].effective_status == "operational", at
        assert levels["dc/hall-1"] == "2N", at
    inside = start + H
    views, levels = facts(inside)
    assert views["feed-a"].status == "maintenance" and views["feed-a"].since == start
    assert views["dc/hall-1"].effective_status == "lost_redundancy"
    assert views["dc/hall-8"].effective_status == "no_power"  # fed by feed A alone
    assert levels["dc/hall-1"] == "N"
    statuses = {k: v.status for k, v in services.fresh().statuses(inside).items()}
    assert effective_statuses(services.topology, statuses)["feed-a"] == "maintenance"
    # the work done early ends the window
    step(services, oid, "assign", 150, assignee="Wang Fang")
    step(services, oid, "start", 155)
    step(services, oid, "complete", 170)
    assert facts(T0 + timedelta(minutes=160))[0]["feed-a"].status == "maintenance"
    assert facts(T0 + timedelta(minutes=175))[0]["feed-a"].status == "operational"


def test_two_racing_starts_record_one_and_refuse_the_other(services, store):
    oid, _ = open_work_order(services.state, corrective(), actor="ops", now=T0)
    step(services, oid, "assign", 1, assignee="Li Wei")
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def start() -> None:
        barrier.wait()
        try:
            step(services, oid, "start", 2)
            outcomes.append("recorded")
        except (VersionConflict, WorkOrderError):
            outcomes.append("refused")

    threads = [threading.Thread(target=start) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["recorded", "refused"]
    started = store.read(stream=f"workorder:{oid}", types=("WorkOrderStarted",), limit=None)
    assert len(started) == 1


def test_a_retry_under_the_same_key_opens_one_order(services, store):
    first, _ = open_work_order(
        services.state, corrective(), actor="ops", idempotency_key="k1", now=T0
    )
    before = store.count()
    again, replayed = open_work_order(
        services.state, corrective(), actor="ops", idempotency_key="k1", now=T0 + H
    )
    assert again == first and [e.type for e in replayed] == ["WorkOrderOpened"]
    assert store.count() == before


def test_the_alarm_clock_raises_and_clears_a_maintenance_window_s_alerts(services):
    """No reading arrives when a window opens or closes: the sweep sees the status change."""
    from twin.facilities.sweep import sweep

    start, end = T0 + 2 * H, T0 + 4 * H
    window = NewWorkOrder(
        "feed-a", "planned", "P2", "Feed A switchgear service", planned_start=start, window_end=end
    )
    open_work_order(services.state, window, actor="ops", now=T0)
    assert not [e for e in sweep(services.state, now=T0 + H) if "feed-a" in e.data.get("key", "")]
    raised = {e.data.get("key"): e for e in sweep(services.state, now=start + H)}
    assert raised["feed-down:feed-a"].type == "FacilityAlertRaised"
    assert raised["feed-down:feed-a"].effective_at == start
    assert raised["feed-down:feed-a"].data["severity"] == "warning"
    assert "hall-redundancy:dc/hall-1" in raised
    again = sweep(services.state, now=start + 1.5 * H)  # escalations only: no raise twice
    assert [(e.type, e.data) for e in again if e.type != "FacilityAlarmEscalated"] == []
    cleared = {e.data.get("key"): e for e in sweep(services.state, now=end + H)}
    assert cleared["feed-down:feed-a"].type == "FacilityAlertCleared"
    assert start < cleared["feed-down:feed-a"].effective_at <= end + H
    assert "feed-down:feed-a" not in services.fresh().active_alerts(end + H)
