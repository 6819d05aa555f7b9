"""Honest answers to odd values, against a real `twin serve`: an impossible date is a 422 that
shows the format, a clamped date is named, an unknown id is a 404 naming it."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest


@pytest.fixture(scope="module")
def client(live_twin, live_tokens):
    headers = {"Authorization": f"Bearer {live_tokens['admin']}"}
    with httpx.Client(base_url=live_twin.url, headers=headers, timeout=60) as c:
        yield c


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/campus?at=2031-02-30", "at"),
        ("/api/v1/facilities?at=2023-02-29", "at"),
        ("/api/v1/construction/gfa/series?from=2031-02-30", "from"),
        ("/api/v1/leasing/availability?available_from=2031-04-31", "available_from"),
    ],
)
def test_an_impossible_date_is_422_showing_the_format(client, path, name):
    answer = client.get(path)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    message = answer.json()["errors"][0]
    assert message["field"] == f"query.{name}"
    assert "YYYY-MM-DD" in message["message"] and "e.g. 2024-09-12" in message["message"]


def test_a_date_moved_into_range_is_named_in_a_header(client):
    series = client.get("/api/v1/construction/gfa/series?from=1901-01-01&to=2020-01-01")
    assert series.status_code == 200
    assert series.headers["Twin-Clamped"] == "from=2000-01-01"
    assert series.json()["points"][0]["day"] == "2000-01-01"
    chart = client.get("/api/v1/construction/gfa-in-use.svg?from=2020-01-01&to=1950-06-01")
    assert chart.status_code == 200 and chart.headers["Twin-Clamped"] == "to=2000-01-01"
    within = client.get("/api/v1/construction/gfa/series?from=2019-01-01&to=2020-01-01")
    assert "Twin-Clamped" not in within.headers


@pytest.mark.parametrize(
    ("path", "named"),
    [
        ("/api/v1/leasing/availability?building=nope", "no building is called 'nope'"),
        ("/api/v1/leasing/availability?parcel=nope", "no parcel is called 'nope'"),
        ("/api/v1/facilities?under=nope", "no facility is called 'nope'"),
        ("/api/v1/facilities?kind=nope", "no facility is of kind 'nope'"),
        ("/api/v1/leasing/holds?tenant=nope", "no tenant is called 'nope'"),
        ("/api/v1/leasing/leases?tenant=nope", "no tenant is called 'nope'"),
        ("/api/v1/leasing/leases?building=nope", "no building is called 'nope'"),
    ],
)
def test_an_unknown_id_in_a_filter_is_404_naming_it(client, path, named):
    answer = client.get(path)
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert named in answer.json()["detail"]


def test_known_ids_still_filter(client):
    office = client.get("/api/v1/leasing/availability?building=office-building&limit=1")
    assert office.status_code == 200 and office.json()["total"] > 0
    leases = client.get("/api/v1/leasing/leases?building=office-building&tenant=sample-01")
    assert leases.status_code == 200
    halls = client.get("/api/v1/facilities?kind=hall&under=dc").json()["facilities"]
    assert halls and all(f["kind"] == "hall" for f in halls)


def test_the_public_asking_about_the_future_is_told_it_got_now(client, live_twin):
    future = "/api/v1/leasing/availability?at=2040-01-01&limit=1"
    public = httpx.get(live_twin.url + future, timeout=60)
    assert public.status_code == 200
    used = datetime.fromisoformat(public.headers["Twin-Clamped"].removeprefix("at="))
    assert abs((used - datetime.now(UTC)).total_seconds()) < 600
    staff = client.get(future)  # staff see the future as planned: nothing moved
    assert staff.status_code == 200 and "Twin-Clamped" not in staff.headers
    past = httpx.get(live_twin.url + "/api/v1/leasing/availability?at=2024-09-12&limit=1")
    assert "Twin-Clamped" not in past.headers
