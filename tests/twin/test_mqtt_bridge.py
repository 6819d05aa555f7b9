"""The MQTT bridge against a real broker (TWIN_TEST_MQTT_URL) and a real HTTP server on the
same log: a burst with bad messages mixed in arrives complete and correct."""

from __future__ import annotations

import json
import queue
import random
import threading
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from helpers_mqtt import client, start_bridge
from live_server import start_twin, stop_twin

from twin.auth import TokenStore
from twin.eventlog import open_store

pytestmark = pytest.mark.mqtt
T0 = (datetime.now(UTC) - timedelta(days=2)).replace(microsecond=0)


def iso(seconds: float, tz: bool = True) -> str:
    moment = T0 + timedelta(seconds=seconds)
    return moment.isoformat() if tz else moment.replace(tzinfo=None).isoformat()


def burst(prefix: str) -> tuple[list[tuple[str, bytes]], dict[str, float], list[tuple[str, str]]]:
    """Messages to publish (shuffled), the value of every good reading by key, and the
    (topic suffix, reason) of every refusal expected."""
    good: list[tuple[str, bytes]] = []
    values: dict[str, float] = {}
    for i in range(1500):
        row = f"dc/hall-{1 + i % 8}/row-{1 + i % 15:02d}"
        key, value = f"m{i}", round(50 + i % 97 * 1.5, 1)
        values[key] = value
        body = {
            "metric": "load_kw",
            "value": value,
            "unit": "kW",
            "observed_at": iso(i),
            "idempotency_key": key,
        }
        good.append((f"{prefix}/{row}/metrics", json.dumps(body).encode()))
    for i in range(200):
        readings = []
        for metric, unit, value in (
            ("supply_temp_c", "°C", 21 + i % 5),
            ("return_temp_c", "°C", 33.0),
            ("humidity_pct", "%", 45.0),
        ):
            values[f"h{i}-{metric}"] = value
            readings.append(
                {
                    "metric": metric,
                    "value": value,
                    "unit": unit,
                    "observed_at": iso(i),
                    "idempotency_key": f"h{i}-{metric}",
                }
            )
        good.append((f"{prefix}/dc/hall-{1 + i % 8}/metrics", json.dumps(readings).encode()))
    duplicates = [m for m in good[:100]]
    t = iso(30)
    bad = [
        ("dc/hall-1/metrics", b"{broken", "malformed_json"),
        ("dc/hall-1/metrics", b"[" + b"1," * 40_000 + b"1]", "oversized"),
        (
            "dc/hall-99/status",
            json.dumps({"status": "fault", "observed_at": t}).encode(),
            "unknown_facility",
        ),
        (
            "dc/hall-1/metrics",
            json.dumps(
                {"metric": "supply_temp_c", "value": 20, "unit": "K", "observed_at": t}
            ).encode(),
            "wrong_unit",
        ),
        (
            "dc/hall-1/metrics",
            f'{{"metric": "supply_temp_c", "value": NaN, "unit": "°C", "observed_at": "{t}"}}'.encode(),
            "not_finite",
        ),
        (
            "dc/hall-1/metrics",
            json.dumps(
                {"metric": "supply_temp_c", "value": 80, "unit": "°C", "observed_at": t}
            ).encode(),
            "out_of_range",
        ),
        ("dc/hall-1/temperature", b"{}", "bad_topic"),
        (
            "dc/hall-1/metrics",
            json.dumps({"status": "fault", "observed_at": t}).encode(),
            "malformed",
        ),
        (
            "feed-a/status",
            json.dumps({"status": "on-fire", "observed_at": t}).encode(),
            "bad_status",
        ),
        (
            "feed-a/status",
            json.dumps({"status": "fault", "observed_at": iso(30, tz=False)}).encode(),
            "bad_time",
        ),
    ]
    mixed = [
        {"metric": "pue", "value": 1.2, "unit": "1", "observed_at": t, "idempotency_key": "pue-ok"},
        {
            "metric": "pue",
            "value": 9.9,
            "unit": "1",
            "observed_at": t,
            "idempotency_key": "pue-bad",
        },
    ]
    values["pue-ok"] = 1.2
    messages = good + duplicates + [(f"{prefix}/{s}", p) for s, p, _ in bad]
    messages.append((f"{prefix}/dc/metrics", json.dumps(mixed).encode()))
    random.Random(6).shuffle(messages)
    refusals = [(s, r) for s, _, r in bad] + [("dc/metrics", "out_of_range")]
    return messages, values, refusals


def test_a_burst_with_bad_messages_arrives_complete_and_correct(tmp_path, mqtt_url, mqtt_prefix):
    db = tmp_path / "twin.db"
    server = start_twin(tmp_path, "--db", str(db), env={"TWIN_ANON_RATE": "0"})
    with open_store(f"sqlite:///{db}") as store:
        token = TokenStore(store.engine).create("operations", "mqtt-test")
    bridge, log = start_bridge(tmp_path, mqtt_url, mqtt_prefix, db)
    refused: queue.Queue = queue.Queue()
    watcher = client(mqtt_url)
    watcher.on_message = lambda _c, _u, m: refused.put(json.loads(m.payload))
    watcher.subscribe(f"{mqtt_prefix}/_bridge/refused", qos=1)
    sse: list[dict] = []

    sse_client = httpx.Client(timeout=100)

    def listen() -> None:
        headers = {"Accept": "text/event-stream", "Authorization": f"Bearer {token}"}
        url = f"{server.url}/api/v1/facilities/stream?max_seconds=90"
        try:
            with sse_client.stream("GET", url, headers=headers) as r:
                for line in r.iter_lines():
                    if line.startswith("data:"):
                        sse.append(json.loads(line[5:]))
        except (httpx.HTTPError, RuntimeError):  # closed by the test's end
            pass

    threading.Thread(target=listen, daemon=True).start()
    try:
        time.sleep(1.0)
        messages, values, refusals = burst(mqtt_prefix)
        publisher = client(mqtt_url)
        # Out of order: feed-b fails at +100 s, is back at +200 s; the +200 s report comes first.
        for seconds, status in ((200, "operational"), (0, "operational"), (100, "fault")):
            body = {
                "status": status,
                "observed_at": iso(seconds),
                "idempotency_key": f"fb-{seconds}",
            }
            messages.insert(
                len(messages) // 2, (f"{mqtt_prefix}/feed-b/status", json.dumps(body).encode())
            )
        values.update({"fb-0": 0, "fb-100": 0, "fb-200": 0})
        started = time.monotonic()
        infos = [publisher.publish(topic, payload, qos=1) for topic, payload in messages]
        for info in infos:
            info.wait_for_publish(30)
        with open_store(f"sqlite:///{db}") as store:
            while True:
                keys = {
                    e.idempotency_key: e for e in store.iter_all(types=["FacilityStatusReported"])
                }
                keys |= {r.key: r for r in store.readings.recorded()}
                if len(keys) >= len(values) and refused.qsize() >= len(refusals) + 100:
                    break
                assert time.monotonic() - started < 120, (
                    f"{len(keys)} of {len(values)} recorded\n{log.read_text()}"
                )
                time.sleep(0.5)
        publisher.disconnect()
        # Complete and correct: each good reading once, with its value; nothing else.
        assert set(keys) == {f"reading:{k}" for k in values}
        for key, value in values.items():
            event = keys[f"reading:{key}"]
            if key.startswith("fb-"):  # the feed's status reports, published meanwhile
                assert event.type == "FacilityStatusReported", key
            else:  # a metric value: in the measurements store
                assert event.value == value, key
        got = [refused.get() for _ in range(refused.qsize())]
        duplicates = [g for g in got if g["result"] == "duplicate"]
        assert len(duplicates) == 100 and all(g["reason"] == "duplicate" for g in duplicates)
        reasons = sorted(
            (g["topic"].removeprefix(mqtt_prefix + "/"), g["reason"])
            for g in got
            if g["result"] == "refused"
        )
        assert reasons == sorted(refusals)
        assert all(g["detail"] for g in got)
        # Out of order, placed by time: answered over HTTP at three instants.
        headers = {"Authorization": f"Bearer {token}"}
        seen = []
        for seconds in (50, 150, 250):
            body = httpx.get(
                f"{server.url}/api/v1/facilities", params={"at": iso(seconds)}, headers=headers
            ).json()
            seen.append({f["id"]: f["status"] for f in body["facilities"]}["feed-b"])
        assert seen == ["operational", "fault", "operational"]
        # The live stream carried feed-b's changes as they came in (the late fault included).
        deadline = time.monotonic() + 10
        while (
            time.monotonic() < deadline
            and len([e for e in sse if e.get("facility") == "feed-b"]) < 3
        ):
            time.sleep(0.2)
        feed_b = [e for e in sse if e.get("facility") == "feed-b"]
        assert ("fault", "operational") in [(e["status"], e["previous"]) for e in feed_b], feed_b
        assert feed_b[-1]["current"] == "operational"
    finally:
        sse_client.close()
        watcher.disconnect()
        bridge.terminate()
        bridge.wait(30)
        stop_twin(server)
    assert bridge.returncode == 0, log.read_text()
    assert "duplicate 100" in log.read_text() and "stopped after" in log.read_text()
