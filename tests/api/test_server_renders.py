"""Renders on a real server: a bounded queue that answers 503 with Retry-After at once when
full, and memory that returns after a burst (issue #15, finding 10)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from live_server import start_twin, stop_twin
from server_probe import rss_mb

BURST, QUEUE = 8, 2
SIZE = {"width": 1600, "height": 1000}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("renders")
    env = {"TWIN_ANON_RATE": "0", "TWIN_RENDER_QUEUE": str(QUEUE)}
    live = start_twin(workdir, "--db", str(workdir / "twin.db"), env=env)
    yield live
    stop_twin(live)


def test_a_burst_of_renders_is_bounded_and_memory_returns(live):
    """Before: every request waited its turn (the last of 16 for 66 s) and the server kept the
    memory of the burst (each worker thread's malloc arena)."""
    url, pid = f"{live.url}/api/v1/render.png", live.process.pid
    assert httpx.get(url, params=SIZE, timeout=60).status_code == 200  # warm: EGL, fonts, meshes
    before = rss_mb(pid)
    with ThreadPoolExecutor(BURST) as pool:
        answers = list(pool.map(lambda _: httpx.get(url, params=SIZE, timeout=120), range(BURST)))
    statuses = sorted(r.status_code for r in answers)  # one drawing, QUEUE waiting, 503 for others
    assert statuses.count(200) <= QUEUE + 2 and statuses.count(503) >= BURST - QUEUE - 2, statuses
    refused = next(r for r in answers if r.status_code == 503)
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.headers["content-type"] == "application/problem+json"
    assert "render queue" in refused.json()["detail"]
    time.sleep(0.5)
    assert rss_mb(pid) < before + 150, f"{before:.0f} MB before the burst, {rss_mb(pid):.0f} after"
