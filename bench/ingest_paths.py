"""The ways readings get into the log, each timed: in process, over HTTP, over MQTT, broker alone.

Every reading is a fresh metric value of one of the 120 rack rows with a fresh idempotency
key, so nothing is dropped as a duplicate and every run records all it sends. Each function
returns one rate per run, readings a second.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path
from typing import Any

import httpx
import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from assets.dataset import load_campus
from assets.facilities.readings import check_reading
from bench.processes import mqtt_bridge, twin_serve
from twin.eventlog import open_store
from twin.facilities.mqtt import broker as broker_address
from twin.facilities.services import FacilityServices

START = datetime.now(UTC) - timedelta(days=20)
"""Readings are observed from here on, a second apart per row (recent, but not the future)."""
READINGS = "/api/v1/facilities/readings"
WAIT_S = 300.0
"""Longest wait for a run's readings to be recorded, s."""
_serial = count()


def readings(n: int) -> list[dict[str, Any]]:
    """``n`` fresh ``load_kw`` readings of the rack rows (the JSON of the readings endpoint),
    10 ms apart: each at its own instant, also when an MQTT message puts them on one row
    (one value per facility, metric and instant: readings at the same one would be dropped)."""
    out = []
    for _ in range(n):
        i = next(_serial)
        out.append(
            {
                "facility": f"dc/hall-{1 + i % 8}/row-{1 + (i // 8) % 15:02d}",
                "metric": "load_kw",
                "value": 40 + i % 90,
                "unit": "kW",
                "observed_at": (START + timedelta(milliseconds=10 * i)).isoformat(),
                "idempotency_key": f"bench-{uuid.uuid4().hex}",
            }
        )
    return out


def service_rates(url: str, batch: int, repeats: int) -> list[float]:
    """In process: ``FacilityIngest.record`` (checks, duplicate lookup, bulk append, alert
    rules) of ``batch`` readings at a time, no HTTP."""
    rates = []
    with open_store(url) as store:
        services = FacilityServices.open(store, load_campus())

        def record(raw: list[dict[str, Any]]) -> int:
            now = datetime.now(UTC)
            topology = services.topology
            items = [check_reading(topology, r, now) for r in raw]
            return services.ingest.record(items, "bench").count("accepted")

        record(readings(100))  # warm caches
        for _ in range(repeats):
            raw = readings(batch)
            started = time.perf_counter()
            accepted = record(raw)
            rates.append(batch / (time.perf_counter() - started))
            if accepted != batch:
                raise RuntimeError(f"in process: {accepted} of {batch} readings accepted")
    return rates


def http_rates(
    url: str, token: str, batches: Sequence[int], repeats: int, workdir: Path
) -> dict[int, list[float]]:
    """``POST /api/v1/facilities/readings`` of each batch size to one real ``twin serve``."""
    rates: dict[int, list[float]] = {batch: [] for batch in batches}
    auth = {"Authorization": f"Bearer {token}"}
    with twin_serve(url, workdir) as base, httpx.Client(base_url=base, headers=auth) as client:
        client.post(READINGS, json={"readings": readings(100)}, timeout=120).raise_for_status()
        for batch in batches:
            for _ in range(repeats):
                body = {"readings": readings(batch)}
                started = time.perf_counter()
                response = client.post(READINGS, json=body, timeout=120)
                elapsed = time.perf_counter() - started
                if response.status_code != 200 or response.json()["accepted"] != batch:
                    raise RuntimeError(f"HTTP: {response.status_code} {response.text[:300]}")
                rates[batch].append(batch / elapsed)
    return rates


def connect(url: str, *, v5: bool = False) -> mqtt.Client:
    """A paho client connected to the broker of ``url``, its network loop running."""
    host, port, tls, user, password = broker_address(url)
    client = mqtt.Client(
        mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5 if v5 else mqtt.MQTTv311
    )
    client.max_inflight_messages_set(1000)
    if user:
        client.username_pw_set(user, password)
    if tls:
        client.tls_set()
    properties = None
    if v5:  # a wide receive window, as the bridge has: a burst waits in flight, not dropped
        properties = Properties(PacketTypes.CONNECT)
        properties.ReceiveMaximum = 65_535
    client.connect(host, port, properties=properties)
    client.loop_start()
    return client


def messages(prefix: str, n: int, per_message: int) -> list[tuple[str, str]]:
    """``n`` readings as (topic, JSON) messages of ``per_message`` readings of one row each."""
    out = []
    raw = readings(n)
    for start in range(0, n, per_message):
        part = raw[start : start + per_message]
        row = part[0]["facility"]
        body = [{k: v for k, v in r.items() if k != "facility"} for r in part]
        out.append((f"{prefix}/{row}/metrics", json.dumps(body[0] if per_message == 1 else body)))
    return out


def publish_all(client: mqtt.Client, batch: list[tuple[str, str]]) -> None:
    """Publish every message at QoS 1 as fast as the client goes; wait for the acks."""
    for info in [client.publish(topic, body, qos=1) for topic, body in batch]:
        info.wait_for_publish(WAIT_S)


def wait_for(current: Callable[[], int], target: int, started: float, what: str) -> None:
    """Poll ``current()`` every 10 ms until it reaches ``target``; RuntimeError after WAIT_S
    from ``started``."""
    while (now := current()) < target:
        if time.perf_counter() - started > WAIT_S:
            raise RuntimeError(f"{what}: {now:,} of {target:,} after {WAIT_S:.0f} s")
        time.sleep(0.01)


def mqtt_rates(
    url: str, broker: str, n: int, per_message: int, repeats: int, workdir: Path
) -> list[float]:
    """Readings published (QoS 1) and recorded by a real ``twin ingest mqtt``, timed from the
    first publish until the last reading is in the measurements store (after one warm-up message)."""
    rates = []
    prefix = f"twin-bench/{uuid.uuid4().hex[:10]}"
    with open_store(url) as store, mqtt_bridge(url, broker, prefix, workdir):
        client = connect(broker)
        try:
            warm = store.readings.count() + per_message  # the bridge's first batch loads its caches
            publish_all(client, messages(prefix, per_message, per_message))
            wait_for(
                store.readings.count, warm, time.perf_counter(), "the MQTT bridge's first reading"
            )
            for _ in range(repeats):
                expected = store.readings.count() + n
                batch = messages(prefix, n, per_message)
                started = time.perf_counter()
                publish_all(client, batch)
                wait_for(
                    store.readings.count, expected, started, "events recorded by the MQTT bridge"
                )
                rates.append(n / (time.perf_counter() - started))
        finally:
            client.disconnect()
    return rates


def broker_rates(broker: str, n: int, per_message: int, repeats: int) -> list[float]:
    """The ceiling: the same messages through the broker to a bare paho subscriber (MQTT 5,
    QoS 1, no twin), counted as readings a second."""
    prefix, got = f"twin-bench/{uuid.uuid4().hex[:10]}", [0]
    subscriber = connect(broker, v5=True)
    subscriber.on_message = lambda _c, _u, _m: got.__setitem__(0, got[0] + 1)
    subscriber.subscribe(f"{prefix}/#", qos=1)
    publisher, rates = connect(broker), []
    try:
        time.sleep(0.5)  # the subscription is in place
        for _ in range(repeats):
            got[0] = 0
            batch = messages(prefix, n, per_message)
            started = time.perf_counter()
            publish_all(publisher, batch)
            wait_for(lambda: got[0], len(batch), started, "messages through the broker")
            rates.append(n / (time.perf_counter() - started))
    finally:
        publisher.disconnect()
        subscriber.disconnect()
    return rates


def broker_version(broker: str, timeout_s: float = 3.0) -> str | None:
    """The broker's ``$SYS/broker/version`` (e.g. ``"mosquitto version 2.0.11"``), if it says."""
    said: list[str] = []
    client = connect(broker)
    client.on_message = lambda _c, _u, m: said.append(m.payload.decode(errors="replace"))
    client.subscribe("$SYS/broker/version")
    deadline = time.monotonic() + timeout_s
    while not said and time.monotonic() < deadline:
        time.sleep(0.05)
    client.disconnect()
    return said[0] if said else None
