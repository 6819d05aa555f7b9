"""Never double-let, across processes: concurrent holds sent to two `twin serve` processes that
share one database (SQLite file or PostgreSQL), as two hosts behind a load balancer would."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from live_server import LiveTwin, start_twin, stop_twin

from twin.auth import TokenStore
from twin.eventlog import open_store

pytestmark = pytest.mark.slow
REQUESTS = 20


@pytest.fixture
def two_servers(database_url: str, tmp_path: Path) -> Iterator[tuple[list[LiveTwin], str, str]]:
    first = start_twin(tmp_path, "--db", database_url)  # loads genesis into the empty log
    second = start_twin(tmp_path, "--db", database_url)
    with open_store(database_url) as store:
        token = TokenStore(store.engine).create("leasing", "race")
    try:
        yield [first, second], token, database_url
    finally:
        stop_twin(first)
        stop_twin(second)


def _race(servers: list[LiveTwin], token: str, bodies: list[dict]) -> list[httpx.Response]:
    """Send every body at once (a barrier lines the threads up), alternating servers."""
    barrier = threading.Barrier(len(bodies))
    clients = [httpx.Client(base_url=s.url, timeout=120) for s in servers]

    def send(i: int) -> httpx.Response:
        barrier.wait()
        return clients[i % len(clients)].post(
            "/api/v1/leasing/holds", json=bodies[i], headers={"Authorization": f"Bearer {token}"}
        )

    try:
        with ThreadPoolExecutor(len(bodies)) as pool:
            return list(pool.map(send, range(len(bodies))))
    finally:
        for c in clients:
            c.close()


def _body(spaces: list[str], tenant: str) -> dict:
    start = date(date.today().year + 2, 1, 1)
    return {
        "spaces": spaces,
        "tenant": tenant,
        "start": start.isoformat(),
        "end": start.replace(year=start.year + 2).isoformat(),
        "expires_at": (datetime.now(UTC) + timedelta(days=14)).isoformat(),
    }


def test_twenty_holds_of_one_unit_give_one_201_and_nineteen_409(two_servers):
    servers, token, url = two_servers
    unit = "fish-head-t2/L30/U07"
    bodies = [_body([unit], f"sample-{k % 40 + 1:02d}") for k in range(REQUESTS)]
    responses = _race(servers, token, bodies)
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] + [409] * (REQUESTS - 1), [r.text for r in responses]
    winner = next(r.json()["id"] for r in responses if r.status_code == 201)
    for r in responses:
        if r.status_code == 409:
            problem = r.json()
            assert r.headers["content-type"] == "application/problem+json"
            assert winner in problem["detail"]
            assert [c["ref"] for c in problem["conflicts"]] == [winner]
    with open_store(url) as store:
        held = store.read(stream=f"space:{unit}", limit=None)
    assert [e.type for e in held] == ["SpaceHeld"] and held[0].data["hold"] == winner


def test_overlapping_multi_space_holds_never_share_a_space(two_servers):
    """Holds of pairs of neighbouring units on one floor, all at once: each pair overlaps the
    next, so some win and some lose, but no unit ends up in two holds and no hold is partial."""
    servers, token, url = two_servers
    floor = [f"fish-head-t5/L07/U{k:02d}" for k in range(1, 17)]
    bodies = [_body([floor[k], floor[k + 1]], "sample-03") for k in range(len(floor) - 1)]
    responses = _race(servers, token, bodies)
    assert {r.status_code for r in responses} <= {201, 409}
    won = [r.json() for r in responses if r.status_code == 201]
    assert won, "at least one hold goes through"
    taken = [s for hold in won for s in hold["spaces"]]
    assert len(taken) == len(set(taken))  # no unit in two holds
    with open_store(url) as store:
        for unit in floor:
            events = store.read(stream=f"space:{unit}", limit=None)
            holders = [e.data["hold"] for e in events if e.type == "SpaceHeld"]
            assert len(holders) <= 1
            assert holders == [h["id"] for h in won if unit in h["spaces"]]
    for r in responses:
        if r.status_code == 409:
            refs = {c["ref"] for c in r.json()["conflicts"]}
            assert refs and refs <= {h["id"] for h in won}
