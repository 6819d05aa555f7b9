"""Bearer tokens over HTTP: anonymous public, 401 for bad tokens, what each role sees."""

import httpx
import pytest


@pytest.fixture(scope="module")
def client(live_twin):
    with httpx.Client(base_url=live_twin.url, timeout=60) as c:
        yield c


@pytest.mark.parametrize(
    "header", ["Bearer twin_not-a-real-token", "Bearer", "Basic dXNlcjpwYXNz", "twin_x"]
)
def test_a_bad_token_is_401_with_a_challenge(client, header):
    response = client.get("/api/v1/events", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.headers["content-type"] == "application/problem+json"


def test_actors_are_shown_to_token_holders_only(client, live_tokens):
    public = client.get("/api/v1/events", params={"limit": 5}).json()["events"]
    staff = client.get(
        "/api/v1/events",
        params={"limit": 5},
        headers={"Authorization": f"Bearer {live_tokens['leasing']}"},
    ).json()["events"]
    assert all("actor" not in e for e in public)
    assert {e["actor"] for e in staff} == {"genesis"}


def test_leasing_streams_never_reach_the_public_or_other_roles(client, live_tokens):
    def streams(token=None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        seen, url = set(), "/api/v1/events?limit=1000"
        while url:
            page = client.get(url, headers=headers).json()
            seen |= {e["stream"].split(":")[0] for e in page["events"]}
            url = page["next"]
        return seen

    confidential = {"space", "hold", "lease", "tenant"}
    assert confidential & streams() == set()
    assert confidential & streams(live_tokens["construction"]) == set()
    assert confidential <= streams(live_tokens["leasing"])
