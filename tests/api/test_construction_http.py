"""Construction over HTTP, on real servers: as-of reads, commands with roles, refusals that
name building, stage and rule and write nothing, and the Gantt and GFA pictures."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from live_server import start_twin, stop_twin

from twin.auth import TokenStore
from twin.eventlog import open_store

API = "/api/v1/construction"
ARTICLE = "2024-09-12"


@pytest.fixture(scope="module")
def client(live_twin):
    """The shared, read-only server of the embedded campus."""
    with httpx.Client(base_url=live_twin.url, timeout=120) as c:
        yield c


@pytest.fixture(scope="module")
def writer(tmp_path_factory):
    """A server of our own to write to, and a token per role: (client, tokens)."""
    workdir = tmp_path_factory.mktemp("construction")
    db = workdir / "twin.db"
    live = start_twin(workdir, "--db", str(db))
    with open_store(f"sqlite:///{db}") as store:
        tokens = {
            role: TokenStore(store.engine).create(role, f"site-{role}")
            for role in ("construction", "leasing")
        }
    try:
        with httpx.Client(base_url=live.url, timeout=120) as c:
            yield c, tokens
    finally:
        stop_twin(live)


def _events(c: httpx.Client, building: str) -> int:
    page = c.get("/api/v1/events", params={"stream": f"building:{building}", "limit": 1000})
    return len(page.json()["events"])


# --- reads, as of any date ---------------------------------------------------------------
def test_buildings_as_of_the_article_and_today(client):
    then = client.get(f"{API}/buildings", params={"at": ARTICLE}).json()["buildings"]
    by_id = {b["id"]: b for b in then}
    assert (by_id["fish-head-t1"]["stage"], by_id["fish-head-t1"]["status"]) == (
        "envelope_mep",
        "in_progress",
    )
    assert by_id["office-building"]["stage"] == "fit_out" and not by_id["office-building"]["late"]
    assert (
        by_id["feed-a"]["kind"] == "works" and by_id["feed-a"]["stage_name"]["en"] == "Installation"
    )
    now = {b["id"]: b for b in client.get(f"{API}/buildings").json()["buildings"]}
    assert now["fish-head-t1"]["late"] and now["fish-head-t1"]["stage"] == "envelope_mep"
    head = client.get(f"{API}/buildings", params={"parcel": "fish-head"}).json()["buildings"]
    assert [b["id"] for b in head] == [f"fish-head-t{i}" for i in range(1, 7)]


def test_one_building_planned_against_actual(client):
    body = client.get(f"{API}/buildings/fish-head-t1", params={"at": ARTICLE}).json()
    stages = {s["stage"]: s for s in body["stages"]}
    assert stages["structure"]["actual_end"] == "2024-06-28"  # topped out (F5)
    assert stages["acceptance"]["actual_start"] is None
    assert stages["acceptance"]["planned_end"] == "2025-12-31"
    assert stages["acceptance"]["forecast_end"] <= "2025-12-31"
    missing = client.get(f"{API}/buildings/fish-head-t9")
    assert missing.status_code == 404 and "fish-head-t9" in missing.json()["detail"]


def test_late_work_today_and_none_on_the_article_date(client):
    assert client.get(f"{API}/late", params={"at": ARTICLE}).json()["count"] == 0
    late = client.get(f"{API}/late").json()
    slips = [s["slip_days"] for s in late["stages"]]
    assert late["count"] == len(slips) > 0 and slips == sorted(slips, reverse=True)
    keys = {(s["building"], s["stage"]): s for s in late["stages"]}
    acceptance = keys[("fish-head-t1", "acceptance")]
    assert acceptance["lateness"] == "overdue" and acceptance["actual_start"] is None
    assert acceptance["forecast_end"] > acceptance["planned_end"]


def test_milestones_on_track_then_late(client):
    then = client.get(f"{API}/milestones", params={"at": ARTICLE}).json()["milestones"]
    now = client.get(f"{API}/milestones").json()["milestones"]
    f5_then = next(m for m in then if m["id"] == "fish-head-ready-for-acceptance")
    f5_now = next(m for m in now if m["id"] == "fish-head-ready-for-acceptance")
    assert f5_then["status"] == "on_track" and f5_then["facts"] == ["F5"]
    assert f5_now["status"] == "late" and f5_now["actual"] is None and f5_now["margin_days"] < 0
    assert {m["id"] for m in now} >= {"dc-dual-feed-complete", "office-building-in-operation"}


def test_gfa_by_state_and_over_time(client):
    scopes = {
        s["scope"]: s for s in client.get(f"{API}/gfa", params={"at": ARTICLE}).json()["scopes"]
    }
    head = scopes["fish-head"]
    assert head["actual_m2"]["topped_out"] == head["total_m2"] == pytest.approx(400_000, rel=1e-3)
    assert head["actual_m2"]["accepted"] == 0 and scopes["campus"]["actual_m2"]["in_use"] > 0
    series = client.get(
        f"{API}/gfa/series", params={"at": ARTICLE, "from": "2024-01-01", "to": "2025-12-31"}
    ).json()
    assert series["scope"] == "campus" and len(series["points"]) == 25
    assert series["points"][-1]["actual_m2"] is None and series["points"][0]["actual_m2"]
    backwards = client.get(
        f"{API}/gfa/series", params={"at": ARTICLE, "from": "2025-12-31", "to": "2024-01-01"}
    )
    assert backwards.json()["points"] == series["points"]  # a span, in either order


@pytest.mark.parametrize(
    ("path", "params", "status", "needle"),
    [
        ("/buildings", {"at": "yesterday"}, 422, "yesterday"),
        ("/late", {"parcel": "fish-fin-x"}, 404, "known-parcel"),
        ("/gantt.png", {"parcel": "nowhere"}, 404, "nowhere"),
    ],
)
def test_bad_reads_are_clear_problems(client, path, params, status, needle):
    response = client.get(f"{API}{path}", params=params)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert needle in response.json()["detail"]


def test_gantt_and_gfa_pictures_differ_by_date_and_parcel(client):
    png = client.get(f"{API}/gantt.png", params={"at": ARTICLE})
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    later = client.get(f"{API}/gantt.png", params={"at": "2026-06-30"}).content
    head = client.get(f"{API}/gantt.png", params={"at": ARTICLE, "parcel": "fish-head"}).content
    assert len({png.content, later, head}) == 3
    svg = client.get(f"{API}/gantt.svg", params={"at": ARTICLE, "parcel": "fish-head"})
    assert svg.headers["content-type"].startswith("image/svg+xml") and b"<svg" in svg.content[:500]
    svg_later = client.get(f"{API}/gantt.svg", params={"at": "2026-06-30", "parcel": "fish-head"})
    assert b"as of 2024-09-12" in svg.content and b"as of 2026-06-30" in svg_later.content
    gfa = client.get(f"{API}/gfa-in-use.png", params={"at": ARTICLE})
    assert gfa.status_code == 200 and gfa.content[:4] == b"\x89PNG"
    assert gfa.content != client.get(f"{API}/gfa-in-use.png").content


def test_every_construction_endpoint_is_documented(client):
    paths = client.get("/openapi.json").json()["paths"]
    operations = [op for path, ops in paths.items() if path.startswith(API) for op in ops.values()]
    # the charts are one route each for PNG and SVG; 8 of them are the schedule's (issue #20),
    # 5 the site evidence's (upload, list, file, thumbnail, removal)
    assert len(operations) == 25
    for op in operations:
        assert op.get("operationId") and op.get("summary") and op.get("description")


# --- writes ------------------------------------------------------------------------------
def _post(c, building, stage, verb, body, token=None, **headers):
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return c.post(f"{API}/buildings/{building}/stages/{stage}/{verb}", json=body, headers=headers)


def test_writes_need_a_construction_token(writer):
    c, tokens = writer
    before = _events(c, "fish-body-b4")
    anonymous = _post(c, "fish-body-b4", "foundation", "start", {})
    assert anonymous.status_code == 401 and "Bearer" in anonymous.headers["www-authenticate"]
    wrong = _post(c, "fish-body-b4", "foundation", "start", {}, tokens["leasing"])
    assert wrong.status_code == 403 and "construction" in wrong.json()["detail"]
    assert _events(c, "fish-body-b4") == before


@pytest.mark.parametrize(
    ("building", "stage", "verb", "body", "rule"),
    [
        ("fish-head-t9", "design", "start", {}, "known-entity"),
        ("fish-head-t1", "roofing", "start", {}, "known-stage"),
        ("fish-body-b1", "acceptance", "start", {}, "acceptance-after-topping-out"),
        ("fish-body-b1", "structure", "start", {}, "stage-order"),
        ("fish-body-b1", "foundation", "progress", {"percent": 10}, "progress-after-start"),
        ("fish-body-b1", "foundation", "start", {"on": "2099-01-01"}, "no-future-actual"),
        ("fish-head-t1", "envelope_mep", "complete", {"on": "2024-06-01"}, "end-after-start"),
        ("fish-head-t1", "envelope_mep", "progress", {"percent": 150}, "percent-range"),
        ("fish-head-t1", "structure", "complete", {}, "complete-once"),
        (
            "fish-head-t1",
            "acceptance",
            "reschedule",
            {"planned_start": "2027-03-01", "planned_end": "2027-01-01", "reason": "x"},
            "end-after-start",
        ),
        ("fish-head-t1", "acceptance", "reschedule", {"reason": " "}, "reschedule-reason"),
        ("feed-a", "structure", "start", {}, "known-stage"),
    ],
)
def test_a_refusal_names_building_stage_and_rule_and_writes_nothing(
    writer, building, stage, verb, body, rule
):
    c, tokens = writer
    before = _events(c, building)
    response = _post(c, building, stage, verb, body, tokens["construction"])
    # An unknown building or stage is a resource the URL names that does not exist: 404.
    expected = 404 if rule in ("known-entity", "known-stage") else 422
    assert response.status_code == expected, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert (problem["building"], problem["rule"]) == (building, rule)
    assert building in problem["detail"] and f"(rule: {rule})" in problem["detail"]
    if rule != "known-entity":
        assert problem["stage"] == stage and f"stage {stage}" in problem["detail"]
    assert _events(c, building) == before


def test_a_stage_from_start_to_completion(writer):
    c, tokens = writer
    token = tokens["construction"]
    started = _post(c, "fish-body-b3", "foundation", "start", {"on": "2026-11-01"}, token)
    assert started.status_code == 200, started.text
    assert started.json()["stage"]["actual_start"] == "2026-11-01" and started.json()["events"]
    progress = _post(c, "fish-body-b3", "foundation", "progress", {"percent": 30}, token)
    assert progress.json()["stage"]["forecast_basis"] == "progress"
    back = _post(c, "fish-body-b3", "foundation", "progress", {"percent": 20}, token)
    assert back.status_code == 422 and back.json()["rule"] == "progress-forward"
    fixed = _post(
        c,
        "fish-body-b3",
        "foundation",
        "progress",
        {"percent": 20, "correction_reason": "piles re-counted"},
        token,
    )
    assert fixed.status_code == 200 and fixed.json()["stage"]["percent"] == 20
    moved = _post(
        c,
        "fish-body-b3",
        "structure",
        "reschedule",
        {"planned_end": "2028-12-31", "reason": "foundation two years late"},
        token,
    )
    assert moved.json()["stage"]["planned_end"] == "2028-12-31"
    assert moved.json()["stage"]["baseline_end"] == "2027-03-31"
    # What depends on the structure moves with it, each with its own event saying why.
    assert len(moved.json()["events"]) == 3
    plan = {s["stage"]: s for s in c.get(f"{API}/buildings/fish-body-b3").json()["stages"]}
    assert plan["envelope_mep"]["planned_end"] == "2028-12-31"  # not before the structure's
    assert plan["acceptance"]["planned_start"] == "2029-01-01"
    done = _post(c, "fish-body-b3", "foundation", "complete", {}, token)
    assert done.json()["stage"]["status"] == "completed"
    events = c.get(
        "/api/v1/events",
        params={"stream": "building:fish-body-b3", "limit": 1000},
        headers={"Authorization": f"Bearer {token}"},
    ).json()["events"]
    mine = [e for e in events if e["actor"] == "construction:site-construction"]
    assert [e["type"] for e in mine] == [
        "StageStarted",
        "StageProgressed",
        "StageProgressed",
        "StageRescheduled",
        "StageRescheduled",
        "StageRescheduled",
        "StageCompleted",
    ]
    assert mine[3]["data"]["reason"] == "foundation two years late"
    follows = [(e["data"]["stage"], e["data"]["caused_by"], e["data"]["rule"]) for e in mine[4:6]]
    assert follows == [
        ("envelope_mep", "structure", "stage-order"),
        ("acceptance", "structure", "acceptance-after-topping-out"),
    ]
    status = {b["id"]: b for b in c.get(f"{API}/buildings").json()["buildings"]}
    assert status["fish-body-b3"]["stage"] == "foundation"
    assert status["fish-body-b3"]["status"] == "completed"


def test_a_retry_with_the_same_idempotency_key_writes_once(writer):
    c, tokens = writer
    body, token = {"on": "2026-11-02"}, tokens["construction"]
    first = _post(
        c, "fish-body-b5", "foundation", "start", body, token, **{"Idempotency-Key": "k-1"}
    )
    again = _post(
        c, "fish-body-b5", "foundation", "start", body, token, **{"Idempotency-Key": "k-1"}
    )
    assert first.status_code == again.status_code == 200
    assert first.json()["events"] == again.json()["events"]


def test_concurrent_reports_never_fail_badly(writer):
    c, tokens = writer
    assert (
        _post(c, "fish-body-b6", "foundation", "start", {}, tokens["construction"]).status_code
        == 200
    )

    def report(percent: int) -> int:
        return _post(
            c,
            "fish-body-b6",
            "foundation",
            "progress",
            {"percent": percent},
            tokens["construction"],
        ).status_code

    with ThreadPoolExecutor(6) as pool:
        statuses = list(pool.map(report, range(10, 70, 10)))
    assert set(statuses) <= {200, 409, 422} and 200 in statuses
