"""ETag and If-Match on a versioned resource; a write through one instance read through another."""

import time

import httpx
from live_server import start_twin, stop_twin

from twin.auth import TokenStore
from twin.eventlog import open_store

BUILDING = "/api/v1/construction/buildings/fish-body-b2"
START = f"{BUILDING}/stages/foundation/start"


def test_if_match_refuses_a_write_on_a_stale_version(live_twin, live_tokens):
    auth = {"Authorization": f"Bearer {live_tokens['construction']}"}
    with httpx.Client(base_url=live_twin.url, timeout=60) as client:
        etag = client.get(BUILDING).headers["etag"]
        stale = f'"{int(etag.strip(chr(34))) - 1}"'
        refused = client.post(START, json={"on": "2024-10-08"}, headers={**auth, "If-Match": stale})
        assert refused.status_code == 412
        assert refused.headers["content-type"] == "application/problem+json"
        assert "If-Match" in refused.json()["detail"]
        assert client.get(BUILDING).headers["etag"] == etag  # nothing written
        done = client.post(START, json={"on": "2024-10-08"}, headers={**auth, "If-Match": etag})
        assert done.status_code == 200, done.text
        assert done.headers["etag"] != etag
        assert client.get(BUILDING).headers["etag"] == done.headers["etag"]
        bad = client.post(START, json={}, headers={**auth, "If-Match": "seven"})
        assert bad.status_code == 422


def test_a_write_through_one_instance_is_read_through_another(database_url, tmp_path):
    a, b = (start_twin(tmp_path, "--db", database_url) for _ in range(2))
    try:
        with open_store(database_url) as store:
            token = TokenStore(store.engine).create("construction", "site-office")
        wrote = httpx.post(
            f"{a.url}/api/v1/construction/buildings/fish-tail-b3/stages/foundation/start",
            json={"on": "2024-11-01"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        )
        assert wrote.status_code == 200, wrote.text
        written = time.monotonic()
        while True:
            stages = httpx.get(
                f"{b.url}/api/v1/construction/buildings/fish-tail-b3", timeout=30
            ).json()["stages"]
            foundation = next(s for s in stages if s["stage"] == "foundation")
            if foundation.get("actual_start") == "2024-11-01":
                break
            assert time.monotonic() - written < 1.0, (
                "the write is not visible through the other instance"
            )
            time.sleep(0.05)
    finally:
        stop_twin(a)
        stop_twin(b)
