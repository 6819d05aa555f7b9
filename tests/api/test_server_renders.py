"""Renders on a real server: a bounded queue that answers 503 with Retry-After at once when
full, and memory that returns after a burst (issue #15, finding 10)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from live_server import start_twin, stop_twin
from server_probe import rss_mb

BURST = 8
LARGE = {"width": 2400, "height": 1600}
SMALL = {"width": 400, "height": 300}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("renders")
    env = {"TWIN_ANON_RATE": "0", "TWIN_RENDER_QUEUE": "0"}
    live = start_twin(workdir, "--db", str(workdir / "twin.db"), env=env)
    yield live
    stop_twin(live)


def test_a_burst_of_large_renders_is_bounded_and_memory_returns(live):
    url, pid = f"{live.url}/api/v1/render.png", live.process.pid
    assert httpx.get(url, params=SMALL, timeout=60).status_code == 200  # warm: EGL, fonts, meshes
    before = rss_mb(pid)
    with ThreadPoolExecutor(BURST) as pool:
        answers = list(pool.map(lambda _: httpx.get(url, params=LARGE, timeout=120), range(BURST)))
    statuses = sorted(r.status_code for r in answers)  # one drawing, none waiting: 503 for others
    assert 1 <= statuses.count(200) <= 2 and statuses.count(503) >= BURST - 2, statuses
    refused = next(r for r in answers if r.status_code == 503)
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.headers["content-type"] == "application/problem+json"
    assert "render" in refused.json()["detail"]
    time.sleep(0.5)
    assert rss_mb(pid) < before + 250, f"{before:.0f} MB before the burst, {rss_mb(pid):.0f} after"
    assert httpx.get(url, params=SMALL, timeout=60).status_code == 200
