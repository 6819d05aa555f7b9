"""The bundled campus's own stages are activities of the one schedule network (#20): with no
schedule imported, the critical path is not empty, its links are the stage rules, and a
what-if slip of a stage moves the building's later stages (nothing written)."""

from __future__ import annotations

import httpx
import pytest

API = "/api/v1/construction/schedule"
ARTICLE = "2024-09-12"


@pytest.fixture(scope="module")
def client(live_twin):
    with httpx.Client(base_url=live_twin.url, timeout=120) as c:
        yield c


def test_the_bundled_campus_has_a_critical_path_of_its_stages(client):
    for params in ({}, {"at": ARTICLE}):
        answer = client.get(API, params=params)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["critical_path"], params
        by_id = {a["id"]: a for a in body["activities"]}
        assert set(body["critical_path"]) <= set(by_id)
        links = {(p["activity"], p["type"]) for p in by_id["fish-head-t1/in_use"]["predecessors"]}
        assert ("fish-head-t1/acceptance", "FS") in links  # use after acceptance
        fit_out = by_id["fish-head-t1/fit_out"]
        assert ("fish-head-t1/acceptance", "FS") in {
            (p["activity"], p["type"]) for p in fit_out["predecessors"]
        }
        assert fit_out["building"] == "fish-head-t1" and fit_out["stage"] == "fit_out"
    then = {a["id"]: a for a in client.get(API, params={"at": ARTICLE}).json()["activities"]}
    # On the article date the fish head's acceptance waits for its works, as planned.
    assert then["fish-head-t1/acceptance"]["early_start"] == "2025-11-01"
    assert then["fish-head-t1/structure"]["actual_finish"] == "2024-06-28"


def test_a_stage_slip_moves_its_buildings_later_stages(client):
    answer = client.get(
        f"{API}/what-if", params={"slip": "fish-head-t1/envelope_mep:120", "at": ARTICLE}
    )
    assert answer.status_code == 200, answer.text
    moved = {m["activity"]: m["days"] for m in answer.json()["moved"]}
    later = ("envelope_mep", "acceptance", "fit_out", "in_use")
    assert all(moved.get(f"fish-head-t1/{s}", 0) > 0 for s in later), moved
    assert not any(k.startswith("fish-head-t2/") for k in moved)  # another building's work
    assert answer.json()["finish_after"] >= answer.json()["finish_before"]
