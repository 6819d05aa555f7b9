"""Time travel and the event log over HTTP; two servers on one database."""

import time
from datetime import UTC, datetime

import httpx
import pytest
from live_server import start_twin, stop_twin

from twin.eventlog import NewEvent, open_store


@pytest.fixture(scope="module")
def client(live_twin):
    with httpx.Client(base_url=live_twin.url, timeout=60) as c:
        yield c


def _buildings(body):
    return {b["id"]: (b["stage"], b["status"]) for b in body["state"]["buildings"]}


def test_campus_answers_as_it_was_at_any_date(client):
    then = client.get("/api/v1/campus", params={"at": "2023-01-01"}).json()
    article = client.get("/api/v1/campus", params={"at": "2024-09-12"}).json()
    assert _buildings(then)["fish-head-t1"] == ("structure", "in_progress")
    assert _buildings(article)["fish-head-t1"] == ("envelope_mep", "in_progress")  # topped out
    assert _buildings(article)["office-building"] == ("fit_out", "in_progress")
    assert "park-unveiled" not in then["state"]["milestones"]
    assert (
        "park-unveiled" in article["state"]["milestones"] and article["state"]["enterprises"] >= 40
    )
    feeds = {f["id"]: f["status"] for f in article["state"]["facilities"]}
    assert feeds["feed-a"] == feeds["feed-b"] == "under_construction"
    assert then["state"]["at"] < article["state"]["at"]


@pytest.mark.parametrize("bad", ["yesterday", "2024-13-01", "12/09/2024"])
def test_a_bad_at_is_a_clear_422(client, bad):
    response = client.get("/api/v1/campus", params={"at": bad})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert bad in response.json()["detail"]


def test_events_are_paginated_in_order(client):
    first = client.get("/api/v1/events", params={"limit": 50}).json()
    assert len(first["events"]) == 50 and first["next"]
    second = httpx.get(first["next"], timeout=30).json()
    seqs = [e["seq"] for e in first["events"] + second["events"]]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    one = client.get(
        "/api/v1/events", params={"stream": "building:office-building", "limit": 1000}
    ).json()
    assert one["next"] is None and {e["stream"] for e in one["events"]} == {
        "building:office-building"
    }
    assert all("actor" not in e for e in one["events"])  # never shown to the public
    assert client.get("/api/v1/events", params={"limit": 0}).status_code == 422


def test_two_servers_on_one_database_see_a_new_write_within_a_second(database_url, tmp_path):
    servers = [start_twin(tmp_path, "--db", database_url) for _ in range(2)]
    try:
        with open_store(database_url) as store:
            version = store.stream_version("facility:feed-a")
            store.append(
                "facility:feed-a",
                version,
                [
                    NewEvent(
                        "FacilityStatusChanged",
                        {"status": "operational"},
                        datetime.now(UTC),
                        "test",
                    )
                ],
            )
        written = time.monotonic()
        for server in servers:
            while True:
                feeds = {
                    f["id"]: f["status"]
                    for f in httpx.get(f"{server.url}/api/v1/campus", timeout=10).json()["state"][
                        "facilities"
                    ]
                }
                if feeds["feed-a"] == "operational":
                    break
                assert time.monotonic() - written < 1.0, "write not visible within 1 s"
                time.sleep(0.05)
        # Both servers started on one empty database, and genesis was loaded exactly once.
        with open_store(database_url) as store:
            assert len(store.read(stream="campus", limit=None)) == 10
    finally:
        for server in servers:
            stop_twin(server)


def test_a_sequence_number_beyond_64_bits_is_a_422_not_a_crash(client):
    response = client.get("/api/v1/events", params={"since": 2**94})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
