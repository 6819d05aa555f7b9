"""Text no database could give back (lone surrogates, NUL) or that is far too long is refused
at the edge with a problem naming the field, over a real HTTP server; endpoints keep working."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

LEASING = "/api/v1/leasing"
BAD = {"surrogate": "bad \ud800 name", "NUL": "bad \x00 name"}
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(scope="module")
def server(leasing_twin):
    live, tokens = leasing_twin
    with httpx.Client(base_url=live.url, timeout=60) as client:
        yield client, tokens


def _post(client, path, body, token):
    """POST ``body`` as JSON text: ``json.dumps`` writes a lone surrogate as ``\\ud800``."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    return client.post(path, content=json.dumps(body), headers=headers)


def _refused(response, field):
    assert response.status_code == 422, response.text[:300]
    assert response.headers["content-type"] == "application/problem+json"
    assert field in response.json()["detail"], response.text[:300]
    return response.json()


def _tenant(tid, name):
    return {"id": tid, "name": {"zh": "示例", "en": name}, "category": "ecosystem", "public": True}


@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
def test_a_bad_tenant_name_is_refused_and_the_tenant_list_still_answers(server, bad):
    client, tokens = server
    sent = _post(client, f"{LEASING}/tenants", _tenant("bad-name-co", bad), tokens["leasing"])
    assert "U+" in _refused(sent, "name.en")["detail"]
    public = client.get(f"{LEASING}/tenants")
    assert public.status_code == 200, public.text[:300]
    staff = client.get(
        f"{LEASING}/tenants", headers={"Authorization": f"Bearer {tokens['leasing']}"}
    )
    assert staff.status_code == 200 and "bad-name-co" not in staff.text


def test_a_huge_tenant_name_is_refused(server):
    client, tokens = server
    sent = _post(client, f"{LEASING}/tenants", _tenant("long-co", "x" * 500_000), tokens["leasing"])
    _refused(sent, "name.en")


def test_a_bad_field_name_is_a_problem_not_a_500(server):
    client, tokens = server
    body = _tenant("field-co", "Fine") | {"x\ud800": 1}
    assert _post(client, f"{LEASING}/tenants", body, tokens["leasing"]).status_code == 422


@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
def test_a_bad_hold_tenant_is_refused(server, bad):
    client, tokens = server
    body = {
        "spaces": ["office-building/L03/U02"],
        "tenant": bad,
        "start": "2030-01-01",
        "end": "2031-01-01",
        "expires_at": (NOW + timedelta(days=3)).isoformat(),
    }
    _refused(_post(client, f"{LEASING}/holds", body, tokens["leasing"]), "tenant")


@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
def test_a_bad_reschedule_reason_is_refused(server, bad):
    client, tokens = server
    path = "/api/v1/construction/buildings/fish-body-b3/stages/structure/reschedule"
    body = {"planned_end": "2029-12-31", "reason": bad}
    _refused(_post(client, path, body, tokens["construction"]), "reason")


@pytest.mark.parametrize("bad", ["x\ud800y", "x\x00y"])
def test_a_bad_note_is_refused_alone_and_the_facilities_still_answer(server, bad):
    client, tokens = server
    ops = tokens["operations"]
    at = [(NOW - timedelta(minutes=m)).isoformat() for m in range(60, 0, -1)]
    readings = [
        {
            "facility": "dc/hall-1",
            "metric": "supply_temp_c",
            "value": 22.0,
            "unit": "°C",
            "observed_at": t,
        }
        for t in at[:50]
    ]
    readings.insert(
        10, {"facility": "feed-a", "status": "fault", "note": bad, "observed_at": at[50]}
    )
    readings.append({"facility": "feed-a", "status": "operational", "observed_at": at[51]})
    answer = _post(client, "/api/v1/facilities/readings", {"readings": readings}, ops)
    assert answer.status_code == 200, answer.text[:300]
    body = answer.json()
    assert (body["accepted"] + body["duplicates"], body["refused"]) == (51, 1)
    assert body["results"][10]["reason"] == "bad_text"
    headers = {"Authorization": f"Bearer {ops}"}
    assert client.get("/api/v1/facilities", headers=headers).status_code == 200
    events = client.get("/api/v1/events", params={"limit": 1000}, headers=headers)
    assert events.status_code == 200, events.text[:300]
