"""Walk every endpoint the public can reach and look for anything confidential in the answers:
tenant names without consent, rents, lease dates, holds, internal notes, actors."""

import json
import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pdf_text import pdf_text

from occupancy.tenants import tenant_of
from twin import reducers
from twin.eventlog import open_store

FORBIDDEN_KEYS = re.compile(
    r'"(rent[a-z_]*|actor|notes?|internal[a-z_]*|hold[a-z_]*|lease_id|leases|tenant_id|'
    r'lease_(start|end|start_on|end_on)|free_from|expires_at|signed_on)"\s*:\s*(?!null\b)'
)
"""A confidential key with a value (a key answered with null tells nothing)."""
PATH_VALUES = {
    "building_id": "office-building",
    "building": "office-building",
    "level": "2",
    "collection_id": "buildings",
    "feature_id": "office-building",
    "stage": "fit_out",
    "hold_id": "H-0",
    "lease_id": "L-0",
    "unit": "U03",  # on level 2 of the office building
    "facility_id": "feed-a",
    "resource": "Things",  # /sta/v1.1/{resource}: what SensorThings shows the public
}
SKIP = {"/api/v1/facilities/stream"}  # a live stream; its first page is read below


def _secret_tenant_names(db_path) -> list[str]:
    with open_store(f"sqlite:///{db_path}") as store:
        names = []
        states: dict[str, dict] = {}
        for e in store.read(limit=None, stream_prefix="tenant:"):
            states[e.stream] = reducers.apply(
                states.get(e.stream, {}), e.type, e.data, e.effective_at
            )
        for stream, state in states.items():
            t = tenant_of(stream.removeprefix("tenant:"), state)
            if t is not None and not t.public:
                names += [t.name_en, t.name_zh]
        return names


def _get_paths(spec) -> list[str]:
    paths = []
    for path, ops in spec["paths"].items():
        if "get" not in ops or path in SKIP:
            continue
        filled = re.sub(r"{([^}:]+)(:[^}]*)?}", lambda m: PATH_VALUES.get(m.group(1), "x"), path)
        paths.append(filled)
    return paths


def test_no_confidential_field_reaches_the_public(live_twin):
    secrets = _secret_tenant_names(live_twin.log.parent / "twin.db")
    assert len(secrets) > 20  # the sample tenants who did not consent
    with httpx.Client(base_url=live_twin.url, timeout=120) as client:
        spec = client.get("/openapi.json").json()
        paths = _get_paths(spec)
        assert len(paths) > 30
        checked = 0
        for path in [*paths, "/api/v1/facilities/stream?max_seconds=1"]:
            for at in ("2024-09-12", None):
                response = client.get(path, params={"at": at} if at else None)
                kind = response.headers.get("content-type", "")
                if response.status_code >= 400 or not kind.startswith(
                    (
                        "application/json",
                        "application/geo+json",
                        "text/event-stream",
                        "image/svg",
                        "application/pdf",
                    )
                ):
                    continue
                text = pdf_text(response.content) if kind == "application/pdf" else response.text
                assert not FORBIDDEN_KEYS.search(text), (path, FORBIDDEN_KEYS.search(text).group(0))
                leaked = [n for n in secrets if re.search(re.escape(n) + r"(?!\d)", text)]
                assert not leaked, (path, leaked[:3])
                checked += 1
        assert checked > 30


@pytest.mark.parametrize(
    "body",
    [
        {"on": "2024-01-01", "actor": "someone-else"},
        {"on": "2024-01-01", "version": 99},
    ],
)
def test_unknown_fields_in_a_write_body_are_refused(live_twin, live_tokens, body):
    response = httpx.post(
        f"{live_twin.url}/api/v1/construction/buildings/fish-body-b1/stages/foundation/start",
        json=body,
        headers={"Authorization": f"Bearer {live_tokens['construction']}"},
        timeout=60,
    )
    assert response.status_code == 422
    assert "Extra inputs are not permitted" in response.text


PUBLIC_EVENT_KEYS = {
    "seq",
    "stream",
    "version",
    "type",
    "effective_at",
    "recorded_at",
    "data",
}


def test_the_public_event_list_shows_no_note_reading_alert_or_actor(tmp_path):
    """An operator's note, metric values and alerts stay out of `/api/v1/events` for the public,
    whichever stream is asked for (the operations endpoints hide them too)."""
    from live_server import start_twin, stop_twin

    from twin.auth import TokenStore

    live = start_twin(tmp_path, "--db", str(tmp_path / "t.db"), env={"TWIN_ANON_RATE": "0"})
    try:
        with open_store(f"sqlite:///{tmp_path / 't.db'}") as store:
            ops = TokenStore(store.engine).create("operations", "scada")
        hour_ago = (datetime.now(UTC) - timedelta(hours=1)).isoformat()  # inside retention
        readings = [
            {"facility": "feed-a", "status": "fault", "note": "breaker trip",
             "observed_at": hour_ago},
            {"facility": "dc/hall-1", "metric": "supply_temp_c", "value": 41.25, "unit": "°C",
             "observed_at": hour_ago},
        ]  # fmt: skip
        with httpx.Client(base_url=live.url, timeout=60) as client:
            posted = client.post(
                "/api/v1/facilities/readings",
                json={"readings": readings},
                headers={"Authorization": f"Bearer {ops}"},
            ).json()
            assert posted["accepted"] == 2 and posted["alerts"] >= 1
            with open_store(f"sqlite:///{tmp_path / 't.db'}") as store:
                streams = sorted({e.stream for e in store.read(limit=None)})
                values = [r.value for r in store.readings.recorded("dc/hall-1")]
            kinds = {s.split(":")[0] for s in streams}
            assert {"facility", "alerts", "building", "campus", "tenant"} <= kinds
            assert "metric" not in kinds and values == [41.25]  # values are not events
            one_of_each = {s.split(":")[0]: s for s in streams}
            pages = [client.get("/api/v1/events", params={"limit": 1000})]
            while pages[-1].json()["next"]:
                pages.append(client.get(pages[-1].json()["next"]))
            for stream in [*one_of_each.values(), "facility:feed-a", "metric:dc/hall-1"]:
                pages.append(client.get("/api/v1/events", params={"stream": stream}))
        shown = [e for page in pages for e in page.json()["events"]]
        assert shown and {s for s in (e["stream"] for e in shown)} >= {"facility:feed-a"}
        text = "".join(page.text for page in pages)
        assert "breaker trip" not in text and "41.25" not in text
        for event in shown:
            assert set(event) == PUBLIC_EVENT_KEYS, event  # no actor
            assert not event["stream"].startswith(("metric:", "alerts:")), event
            assert "Alert" not in event["type"] and "Metric" not in event["type"], event
            assert not {"note", "value", "reason", "correction_reason"} & set(event["data"]), event
            assert not FORBIDDEN_KEYS.search(json.dumps(event)), event
    finally:
        stop_twin(live)
