"""Over MQTT, a reading whose note no database could give back is refused alone (``bad_text``)
and the good readings of its message are recorded, on SQLite and PostgreSQL (where one bad note
used to fail the whole batch)."""

from __future__ import annotations

import json
import queue
import time

import pytest
from test_mqtt_bridge import client, iso, start_bridge

from twin.eventlog import open_store

pytestmark = pytest.mark.mqtt


def test_a_bad_note_loses_no_good_reading(tmp_path, mqtt_url, mqtt_prefix, database_url):
    with open_store(database_url):
        pass  # the database exists, migrated
    bridge, log = start_bridge(tmp_path, mqtt_url, mqtt_prefix, database_url)
    refused: queue.Queue = queue.Queue()
    watcher = client(mqtt_url)
    watcher.on_message = lambda _c, _u, m: refused.put(json.loads(m.payload))
    watcher.subscribe(f"{mqtt_prefix}/_bridge/refused", qos=1)
    try:
        time.sleep(0.5)
        good = [
            {"metric": "load_kw", "value": 50 + i, "unit": "kW", "observed_at": iso(i)}
            | {"idempotency_key": f"k{i}"}
            for i in range(50)
        ]
        # JSON text as a device sends it: the escapes stand for a lone surrogate and a NUL
        body = (
            json.dumps(good)[:-1]
            + (
                f', {{"metric": "load_kw", "value": 1, "unit": "kW", "observed_at": "{iso(60)}",'
                ' "idempotency_key": "bad\\ud800"}'
            )
            + "]"
        )
        publisher = client(mqtt_url)
        publisher.publish(
            f"{mqtt_prefix}/dc/hall-1/row-01/metrics", body.encode(), qos=1
        ).wait_for_publish(30)
        note = {
            "status": "fault",
            "observed_at": iso(70),
            "note": "x\x00y",
            "idempotency_key": "n1",
        }
        fine = {"status": "operational", "observed_at": iso(80), "idempotency_key": "n2"}
        payload = json.dumps([note, fine]).encode()
        publisher.publish(f"{mqtt_prefix}/feed-a/status", payload, qos=1).wait_for_publish(30)
        publisher.disconnect()
        deadline = time.monotonic() + 60
        with open_store(database_url) as store:
            while True:
                keys = {
                    e.idempotency_key
                    for e in store.iter_all(types=["FacilityStatusReported"])
                    if e.idempotency_key and e.idempotency_key.startswith("reading:")
                } | {r.key for r in store.readings.recorded() if r.key}
                if len(keys) >= 51 and refused.qsize() >= 2:
                    break
                assert time.monotonic() < deadline, f"{len(keys)} recorded\n{log.read_text()}"
                time.sleep(0.3)
        assert keys == {f"reading:k{i}" for i in range(50)} | {"reading:n2"}
        got = [refused.get() for _ in range(refused.qsize())]
        assert sorted(g["reason"] for g in got) == ["bad_text", "bad_text"]
        assert bridge.poll() is None, log.read_text()
    finally:
        watcher.disconnect()
        bridge.terminate()
        bridge.wait(timeout=20)
