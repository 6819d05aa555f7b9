"""What the broker considers delivered to the MQTT bridge is in the log: no payload ends the
bridge, and ``kill -9`` mid-stream loses nothing (a real ``twin ingest mqtt`` process, a real
broker at TWIN_TEST_MQTT_URL, a real SQLite log)."""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers_mqtt import client, start_bridge

from assets.facilities.readings import derived_key
from twin.eventlog import open_store

pytestmark = pytest.mark.mqtt
T0 = (datetime.now(UTC) - timedelta(days=1)).replace(microsecond=0)


def load(i: int, key: bool = True) -> tuple[str, dict]:
    """A ``load_kw`` reading of one of the 120 rack rows, ``i`` seconds after T0."""
    row = f"dc/hall-{1 + i % 8}/row-{1 + i % 15:02d}"
    body = {
        "metric": "load_kw",
        "value": 50 + i % 97,
        "unit": "kW",
        "observed_at": (T0 + timedelta(seconds=i)).isoformat(),
    }
    return row, body | ({"idempotency_key": f"k{i}"} if key else {})


def recorded_keys(db: Path) -> list[str]:
    with open_store(f"sqlite:///{db}") as store:
        return [r.key or "" for r in store.readings.recorded()]


def wait_for(db: Path, count: int, bridges: list[subprocess.Popen], logs: list[Path]) -> None:
    """Until ``count`` readings are recorded; fails at once if a bridge process ended."""
    deadline = time.monotonic() + 60
    while len(recorded_keys(db)) < count:
        ended = [b.returncode for b in bridges if b.poll() is not None]
        output = "\n".join(log.read_text() for log in logs)
        assert not ended, f"the bridge ended ({ended}):\n{output}"
        assert time.monotonic() < deadline, f"{len(recorded_keys(db))} of {count}:\n{output}"
        time.sleep(0.2)


def test_no_payload_ends_the_bridge(tmp_path, mqtt_url, mqtt_prefix):
    db = tmp_path / "twin.db"
    client_id = "twin-test-" + mqtt_prefix.rsplit("/", 1)[-1]
    bridge, log = start_bridge(tmp_path, mqtt_url, mqtt_prefix, db, "--client-id", client_id)
    refused: queue.Queue = queue.Queue()
    watcher = client(mqtt_url)
    watcher.on_message = lambda _c, _u, m: refused.put(json.loads(m.payload))
    watcher.subscribe(f"{mqtt_prefix}/_bridge/refused", qos=1)
    time.sleep(0.5)
    row, reading = load(0)
    hostile = [
        b"[" * 5000 + b"]" * 5000,  # 10 KB of nested lists: RecursionError in json.loads
        b'{"a":' * 2000 + b"1" + b"}" * 2000,
        json.dumps(reading | {"value": 10**400, "idempotency_key": "huge"}).encode(),
        json.dumps(reading | {"value": [[[[[[[[1]]]]]]]], "idempotency_key": "nested"}).encode(),
        json.dumps(reading | {"facility": "\ud800"}).encode(),  # lone surrogates: not UTF-8
        json.dumps(reading | {"idempotency_key": "\udc00"}).encode(),
    ]
    publisher = client(mqtt_url)
    try:
        infos = []
        for i in range(200):
            if i % 50 == 25:
                for payload in hostile:
                    infos.append(publisher.publish(f"{mqtt_prefix}/{row}/metrics", payload, qos=1))
            row_i, body = load(i)
            infos.append(
                publisher.publish(f"{mqtt_prefix}/{row_i}/metrics", json.dumps(body), qos=1)
            )
        for info in infos:
            info.wait_for_publish(30)
        wait_for(db, 200, [bridge], [log])
        deadline = time.monotonic() + 20
        while refused.qsize() < 4 * len(hostile) and time.monotonic() < deadline:
            time.sleep(0.1)
        got = [refused.get() for _ in range(refused.qsize())]
        assert sorted(recorded_keys(db)) == sorted(f"reading:k{i}" for i in range(200))
        assert len(got) == 4 * len(hostile), got
        assert all(g["result"] == "refused" and g["detail"] for g in got), got
        reasons = {g["reason"] for g in got}
        assert reasons <= {"oversized", "not_finite", "malformed", "bad_key", "bad_text"}, reasons
        assert bridge.poll() is None, log.read_text()
    finally:
        publisher.disconnect()
        watcher.disconnect()
        bridge.terminate()
        bridge.wait(30)
    assert bridge.returncode == 0, log.read_text()


class Restarts:
    """Kills the bridge with SIGKILL and starts it again in the background."""

    def __init__(self, tmp_path: Path, *args: str):
        self.tmp_path, self.args = tmp_path, args
        self.bridges: list[subprocess.Popen] = []
        self.logs: list[Path] = []
        self.up = threading.Event()
        self.error: BaseException | None = None
        self._start()

    def _start(self) -> None:
        try:
            name = f"bridge-{len(self.bridges)}.log"
            bridge, log = start_bridge(self.tmp_path, *self.args, log_name=name)
            self.bridges.append(bridge)
            self.logs.append(log)
        except BaseException as exc:  # pytest.fail in a thread: reported by the test
            self.error = exc
        self.up.set()

    def kill_and_restart(self) -> None:
        self.up.clear()
        self.bridges[-1].send_signal(signal.SIGKILL)
        self.bridges[-1].wait(10)
        threading.Thread(target=self._start, daemon=True).start()

    def wait_up(self) -> None:
        assert self.up.wait(90), "the bridge did not start again"
        if self.error is not None:
            raise self.error


def test_kill_9_mid_stream_loses_nothing_the_broker_delivered(tmp_path, mqtt_url, mqtt_prefix):
    n, rate = 1200, 200.0
    db = tmp_path / "twin.db"
    client_id = "twin-test-" + mqtt_prefix.rsplit("/", 1)[-1]
    bridges = Restarts(tmp_path, mqtt_url, mqtt_prefix, db, "--client-id", client_id)
    bridges.wait_up()
    # Half the readings carry a key; the others get one derived from what they say, so a
    # message delivered again is the same reading, not a second one.
    expected = set()
    messages = []
    for i in range(n):
        row, body = load(i, key=i % 2 == 0)
        at = datetime.fromisoformat(body["observed_at"])
        expected.add(f"reading:{body.get('idempotency_key') or derived_key(row, 'load_kw', at)}")
        messages.append((f"{mqtt_prefix}/{row}/metrics", json.dumps(body)))
    publisher = client(mqtt_url)
    try:
        infos, start, killed_at = [], time.monotonic(), 0
        for i, (topic, payload) in enumerate(messages):
            if i in (n // 3, 2 * n // 3):
                bridges.kill_and_restart()
                killed_at = i
            if not bridges.up.is_set() and i - killed_at >= 100:
                # mosquitto keeps 1,000 messages for an absent client, those it delivered
                # and saw no acknowledgement of included: stay well under that.
                bridges.wait_up()
            infos.append(publisher.publish(topic, payload, qos=1))
            time.sleep(max(start + (i + 1) / rate - time.monotonic(), 0))
        for info in infos:
            info.wait_for_publish(30)
        bridges.wait_up()
        wait_for(db, n, bridges.bridges[-1:], bridges.logs)
        time.sleep(1.0)  # anything delivered twice would be recorded by now
        keys = recorded_keys(db)
        assert len(keys) == n and set(keys) == expected
    finally:
        publisher.disconnect()
        for bridge in bridges.bridges:
            if bridge.poll() is None:
                bridge.terminate()
                bridge.wait(30)
    assert bridges.bridges[-1].returncode == 0
