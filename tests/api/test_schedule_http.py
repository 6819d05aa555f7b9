"""The campus schedule over HTTP on a real server: a P6 file imported with the real `twin`
command, then the critical path, a what-if that writes nothing, a baseline saved with the
construction role and its variance, the Gantt chart and the S-curve; bad input refused."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from cli_runner import twin
from live_server import start_twin, stop_twin
from schedule_files import write_p6

from assets.clock import local_date
from assets.construction.activities import Activity, Link
from twin.auth import TokenStore
from twin.eventlog import open_store

API = "/api/v1/construction"
TODAY = local_date(datetime.now(UTC))


def d(n: int):
    return TODAY + timedelta(days=n)


END = 1400
"""B3's structure ends after every stage of the campus, so the critical path runs through it."""
PROGRAMME = [
    Activity("B3-FDN", "B3 foundation", d(10), d(100), 90),
    Activity("B3-STR", "B3 structure", d(100), d(END), END - 100, predecessors=(Link("B3-FDN"),)),
    Activity("SIGNS", "Signage", d(120), d(150), 30, predecessors=(Link("B3-FDN", "SS", 20),)),
    Activity(
        "TOP", "B3 topped out", d(END), d(END), 0, milestone=True, predecessors=(Link("B3-STR"),)
    ),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("schedule")
    db = workdir / "twin.db"
    path = write_p6(PROGRAMME, workdir / "b3.xer")
    mapping = workdir / "map.json"
    mapping.write_text(json.dumps({"B3-FDN": "fish-body-b3/foundation"}))
    done = twin(
        "construction", "import-schedule", str(path), "--mapping", str(mapping), "--db", str(db)
    )
    assert done.returncode == 0, done.stderr
    assert "added B3-FDN" in done.stdout and "StageRescheduled building:fish-body-b3" in done.stdout
    live = start_twin(workdir, "--db", str(db))
    with open_store(f"sqlite:///{db}") as store:
        tokens = {
            r: TokenStore(store.engine).create(r, f"site-{r}") for r in ("construction", "leasing")
        }
    try:
        with httpx.Client(base_url=live.url, timeout=120) as c:
            yield c, tokens
    finally:
        stop_twin(live)


def test_critical_path_and_floats(server):
    c, _ = server
    answer = c.get(f"{API}/schedule").json()
    assert answer["critical_path"] == ["B3-FDN", "B3-STR", "TOP"]  # campus stages have float
    by_id = {a["id"]: a for a in answer["activities"]}
    # Signage: starts 20 days into the foundation, 30 days long; the finish is day END.
    assert by_id["SIGNS"]["early_start"] == d(30).isoformat()
    assert by_id["SIGNS"]["total_float"] == END - 60 and by_id["SIGNS"]["free_float"] == END - 60
    assert by_id["B3-FDN"]["building"] == "fish-body-b3" and by_id["TOP"]["milestone"]
    assert answer["finish"] == d(END).isoformat()
    # The building's own later stages are in the network, linked to the activity planning
    # its foundation.
    structure = by_id["fish-body-b3/structure"]
    assert {"activity": "B3-FDN", "type": "SS", "lag_days": 0} in structure["predecessors"]


def test_what_if_moves_what_depends_and_writes_nothing(server):
    c, tokens = server
    staff = {"Authorization": f"Bearer {tokens['construction']}"}

    def log():
        streams = ("schedule:campus", "building:fish-body-b3")
        pages = [c.get("/api/v1/events", params={"stream": s}, headers=staff) for s in streams]
        return [p.json()["events"] for p in pages]

    head = log()
    answer = c.get(f"{API}/schedule/what-if", params={"slip": "B3-FDN:15"})
    assert answer.status_code == 200, answer.text
    moved = {m["activity"]: m["days"] for m in answer.json()["moved"]}
    assert moved == {"B3-FDN": 15, "B3-STR": 15, "TOP": 15}  # signage has the float
    assert answer.json()["finish_after"] == d(END + 15).isoformat()
    assert log() == head
    unknown = c.get(f"{API}/schedule/what-if", params={"slip": "NOPE:3"})
    assert unknown.status_code == 404 and unknown.json()["activity"] == "NOPE"
    assert unknown.headers["content-type"] == "application/problem+json"
    assert c.get(f"{API}/schedule/what-if", params={"slip": "B3-FDN"}).status_code == 422
    assert c.get(f"{API}/schedule", params={"slipp": "x"}).status_code in (400, 422)


def test_baseline_saved_with_the_role_and_its_variance(server):
    c, tokens = server
    body = {"name": "contract"}
    assert c.post(f"{API}/schedule/baselines", json=body).status_code == 401
    refused = c.post(
        f"{API}/schedule/baselines",
        json=body,
        headers={"Authorization": f"Bearer {tokens['leasing']}"},
    )
    assert refused.status_code == 403
    auth = {"Authorization": f"Bearer {tokens['construction']}"}
    assert c.post(f"{API}/schedule/baselines", json=body, headers=auth).status_code == 201
    again = c.post(f"{API}/schedule/baselines", json=body, headers=auth)
    assert again.status_code == 422 and again.json()["rule"] == "baseline-unique"
    # The foundation is rescheduled 20 days later: the variance shows it, per building too.
    moved = c.post(
        f"{API}/buildings/fish-body-b3/stages/foundation/reschedule",
        json={
            "planned_start": d(30).isoformat(),
            "planned_end": d(120).isoformat(),
            "reason": "rain",
        },
        headers=auth,
    )
    assert moved.status_code == 200, moved.text
    v = c.get(f"{API}/schedule/baselines/contract/variance").json()
    by_id = {x["subject"]: (x["start_days"], x["finish_days"]) for x in v["activities"]}
    assert by_id["B3-FDN"] == (20, 20) and by_id["SIGNS"] == (0, 0)
    late = [(b["subject"], b["finish_days"]) for b in v["buildings"] if b["finish_days"]]
    assert late == [("fish-body-b3", 20)]  # its later stages follow; the campus's others: none
    assert by_id["fish-body-b3/acceptance"] == (20, 20)
    assert c.get(f"{API}/schedule/baselines/nope/variance").status_code == 404
    assert [b["name"] for b in c.get(f"{API}/schedule/baselines").json()["baselines"]] == [
        "contract"
    ]


def test_pictures_and_the_s_curve(server):
    c, _ = server
    png = c.get(f"{API}/schedule/gantt.png", params={"baseline": "contract"})
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    svg = c.get(f"{API}/s-curve.svg", params={"scope": "fish"})
    assert svg.status_code == 200 and b"<svg" in svg.content[:400]
    curve = c.get(f"{API}/s-curve", params={"scope": "fish", "at": "2024-09-12"}).json()
    assert (
        curve["points"][0]["planned_percent"] == 0 and curve["points"][-1]["actual_percent"] is None
    )
    assert 0 < curve["actual_percent"] < curve["planned_percent"] < 100
    assert curve["spi"] == pytest.approx(
        curve["actual_percent"] / curve["planned_percent"], abs=1e-3
    )
    assert c.get(f"{API}/s-curve", params={"scope": "atlantis"}).status_code == 404


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    """A fresh twin on the bundled data: nothing imported, only the campus's own stages."""
    workdir = tmp_path_factory.mktemp("bundled")
    db = workdir / "twin.db"
    live = start_twin(workdir, "--db", str(db))
    with open_store(f"sqlite:///{db}") as store:
        token = TokenStore(store.engine).create("construction", "site-manager")
    try:
        with httpx.Client(base_url=live.url, timeout=120) as c:
            yield c, {"Authorization": f"Bearer {token}"}
    finally:
        stop_twin(live)


def test_a_baseline_of_the_campus_own_stages(bundled):
    """With no imported schedule the network is the campus's stages: a baseline keeps them,
    and rescheduling one shows in its variance."""
    c, auth = bundled
    saved = c.post(f"{API}/schedule/baselines", json={"name": "plan"}, headers=auth)
    assert saved.status_code == 201, saved.text
    acts = c.get(f"{API}/schedule").json()["activities"]
    ahead = next(a for a in acts if a["stage"] and a["actual_start"] is None)
    building, stage = ahead["building"], ahead["stage"]
    moved = c.post(
        f"{API}/buildings/{building}/stages/{stage}/reschedule",
        json={
            "planned_start": (date.fromisoformat(ahead["start"]) + timedelta(days=12)).isoformat(),
            "planned_end": (date.fromisoformat(ahead["finish"]) + timedelta(days=12)).isoformat(),
            "reason": "permit",
        },
        headers=auth,
    )
    assert moved.status_code == 200, moved.text
    v = c.get(f"{API}/schedule/baselines/plan/variance").json()
    by_id = {x["subject"]: (x["start_days"], x["finish_days"]) for x in v["activities"]}
    assert set(by_id) == {a["id"] for a in acts}  # every stage activity of the network
    assert by_id[ahead["id"]] == (12, 12)
    buildings = {b["subject"]: b["finish_days"] for b in v["buildings"]}
    assert buildings[building] >= 0 and "fish-body-b1" in buildings
