"""Availability pages kept encoded per answer: each role still gets its own view, each request
its own ``at``, and a write is seen by the next request."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from api.leasing import answer_pages

LEASING = "/api/v1/leasing"
PAGE = {"building": "office-building", "limit": 20}
STAFF_ONLY_KEYS = {"free_from"}
STAFF_ONLY_STATUSES = {"held", "leased"}


@pytest.fixture(scope="module")
def server(leasing_twin):
    live, tokens = leasing_twin
    with httpx.Client(base_url=live.url, timeout=60) as client:
        yield client, {"Authorization": f"Bearer {tokens['leasing']}"}


def _availability(client: httpx.Client, headers: dict[str, str] | None = None, **extra: object):
    response = client.get(f"{LEASING}/availability", params={**PAGE, **extra}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


def test_roles_asking_for_the_same_page_in_turn_each_get_their_own_view(server):
    client, staff = server
    later = {"available_from": "2039-01-01", "limit": 2000}  # after today's leases end
    for _ in range(2):  # staff first, then the public, then both again: from the kept pages
        seen_by_staff = _availability(client, staff, **later)
        seen_by_public = _availability(client, **later)
        assert seen_by_staff["items"] and seen_by_public["items"]
        assert all(set(item) >= STAFF_ONLY_KEYS for item in seen_by_staff["items"])
        for item in seen_by_public["items"]:
            assert not (STAFF_ONLY_KEYS & set(item)), item
            assert item["status"] not in STAFF_ONLY_STATUSES, item
        assert {i["status"] for i in seen_by_staff["items"]} & STAFF_ONLY_STATUSES


def test_every_request_reports_its_own_instant(server):
    client, _ = server
    first = _availability(client, at="2025-01-01T10:00:00+08:00")
    second = _availability(client, at="2025-01-01T10:00:01+08:00")
    assert first["at"] == "2025-01-01T10:00:00+08:00"  # in the zone the request used
    assert second["at"] == "2025-01-01T10:00:01+08:00"
    assert first["items"] == second["items"] and first["total"] == second["total"]
    assert list(first) == [
        "at", "total", "total_area_m2", "racks", "racks_two_n", "blocks", "offset", "limit",
        "items",
    ]  # fmt: skip


def test_a_hold_placed_over_http_leaves_the_next_page_at_once(server):
    client, staff = server
    unit = _availability(client, min_level=3)["items"][0]["id"]
    start = date(date.today().year + 2, 1, 1)
    held = client.post(
        f"{LEASING}/holds",
        json={
            "spaces": [unit],
            "tenant": "sample-05",
            "start": start.isoformat(),
            "end": start.replace(year=start.year + 1).isoformat(),
            "expires_at": (datetime.now(UTC) + timedelta(days=3)).isoformat(),
        },
        headers=staff,
    )
    assert held.status_code == 201, held.text
    after = _availability(client, min_level=3, available_from=start.isoformat())
    assert unit not in {i["id"] for i in after["items"]}


def test_pages_go_with_their_answer_and_are_never_served_for_another():
    class Answer:  # stands for an availability answer the cache let go
        pass

    first = Answer()
    assert answer_pages.body(first, "staff", lambda a, v: b',"v":1}') == b',"v":1}'
    assert answer_pages.kept(first, "staff") == b',"v":1}'
    assert (
        answer_pages.kept(first, "public") is None and answer_pages.kept(Answer(), "staff") is None
    )
    gone = id(first)
    del first
    assert not [key for key in answer_pages._pages if key[0] == gone]
