"""The MQTT paths of :mod:`bench.facility_ingest`: a bare broker baseline and the bridge."""

from __future__ import annotations

import json
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from bench.facility_common import fresh_db, process, readings
from twin.eventlog import open_store


def _publisher(broker: str) -> Any:
    import paho.mqtt.client as mqtt

    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    client.max_inflight_messages_set(1000)
    host, port = broker.removeprefix("mqtt://").split(":")
    client.connect(host, int(port))
    client.loop_start()
    return client


def _payloads(prefix: str, n: int, per_message: int) -> list[tuple[str, str]]:
    """``n`` readings in messages of ``per_message`` readings (one row's readings a message)."""
    out = []
    raw = readings(n)
    for start in range(0, n, per_message):
        part = raw[start : start + per_message]
        row = part[0]["facility"]
        for r in part:
            r["facility"] = row
        body = [{k: v for k, v in r.items() if k != "facility"} for r in part]
        out.append((f"{prefix}/{row}/metrics", json.dumps(body[0] if per_message == 1 else body)))
    return out


def bench_mqtt(n: int, per_message: int, repeats: int, broker: str) -> list[float]:
    rates = []
    with fresh_db() as url, tempfile.TemporaryDirectory() as tmp, open_store(url) as store:
        prefix = f"twin-bench/{uuid.uuid4().hex[:10]}"
        args = [
            sys.executable,
            "-m",
            "twin",
            "ingest",
            "mqtt",
            "--url",
            broker,
            "--prefix",
            prefix,
            "--db",
            url,
            "--session-expiry",
            "60",
        ]
        with process(args, lambda log: "subscribed to" in log.read_text(), Path(tmp)):
            client = _publisher(broker)
            for _ in range(repeats):
                before = store.count()
                payloads = _payloads(prefix, n, per_message)
                started = time.perf_counter()
                infos = [client.publish(topic, body, qos=1) for topic, body in payloads]
                for info in infos:
                    info.wait_for_publish(120)
                while store.count() < before + n:
                    if time.perf_counter() - started > 300:
                        raise RuntimeError(f"only {store.count() - before} of {n} recorded")
                    time.sleep(0.02)
                rates.append(n / (time.perf_counter() - started))
            client.disconnect()
    return rates


def bench_broker(n: int, repeats: int, broker: str) -> list[float]:
    """The baseline: the same 1-reading messages through the broker to a bare paho
    subscriber (MQTT 5, QoS 1, no twin), as fast as this machine's Python clients go."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    prefix, got = f"twin-bench/{uuid.uuid4().hex[:10]}", [0]
    sub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    sub.on_message = lambda _c, _u, _m: got.__setitem__(0, got[0] + 1)
    props = Properties(PacketTypes.CONNECT)
    props.ReceiveMaximum = 65_535
    host, port = broker.removeprefix("mqtt://").split(":")
    sub.connect(host, int(port), properties=props)
    sub.subscribe(f"{prefix}/#", qos=1)
    sub.loop_start()
    time.sleep(0.5)
    client, rates = _publisher(broker), []
    for _ in range(repeats):
        got[0] = 0
        payloads = _payloads(prefix, n, 1)
        started = time.perf_counter()
        for info in [client.publish(topic, body, qos=1) for topic, body in payloads]:
            info.wait_for_publish(120)
        while got[0] < n and time.perf_counter() - started < 300:
            time.sleep(0.01)
        rates.append(n / (time.perf_counter() - started))
    client.disconnect()
    sub.disconnect()
    return rates
