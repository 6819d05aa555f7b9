"""Publishing simulated readings (:mod:`assets.facilities.simulation`) to a twin: over MQTT to
the bridge (``twin ingest mqtt``), or over HTTP to ``POST /api/v1/facilities/readings``.

Both count what the twin refused, by reason, so that a run shows its sensor glitches
(``out_of_range``) and any reading the twin would not take (``wrong_provenance`` when it is
not in simulation mode): over HTTP from each answer, over MQTT from the bridge's
``<prefix>/_bridge/refused`` topic.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Sequence
from typing import Any, Protocol

import paho.mqtt.client as mqtt

from twin.facilities.mqtt import broker
from twin.facilities.payload import BRIDGE

HTTP_BATCH = 5000
"""Readings per HTTP request (the endpoint takes up to 10,000)."""


class Sink(Protocol):
    """Where a run's readings go."""

    refused: Counter[str]

    def send(self, readings: Sequence[dict[str, Any]]) -> None: ...

    def close(self) -> None: ...


class MqttSink:
    """Readings to ``<prefix>/<facility>/status|metrics``, one message per facility and
    channel of a tick (QoS 1); refusals counted from ``<prefix>/_bridge/refused``."""

    def __init__(self, url: str, prefix: str, client_id: str = "twin-simulate"):
        host, port, tls, user, password = broker(url)
        self.prefix = prefix
        self.refused: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._last: mqtt.MQTTMessageInfo | None = None
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id)
        if tls:
            self.client.tls_set()
        if user:
            self.client.username_pw_set(user, password)
        self.client.max_queued_messages_set(0)
        self.client.on_message = self._on_refused
        self.client.connect(host, port)
        self.client.subscribe(f"{prefix}/{BRIDGE}/refused", qos=1)
        self.client.loop_start()

    def _on_refused(self, _c: Any, _u: Any, message: mqtt.MQTTMessage) -> None:
        try:
            reason = json.loads(message.payload).get("reason") or "refused"
        except (ValueError, AttributeError):
            reason = "refused"
        with self._lock:
            self.refused[reason] += 1

    def send(self, readings: Sequence[dict[str, Any]]) -> None:
        grouped: dict[str, list[dict[str, Any]]] = {}
        for r in readings:
            channel = "status" if "status" in r else "metrics"
            grouped.setdefault(f"{self.prefix}/{r['facility']}/{channel}", []).append(r)
        for topic, rows in grouped.items():
            self._last = self.client.publish(topic, json.dumps(rows), qos=1)

    def close(self) -> None:
        """Wait until the broker has every message, then disconnect."""
        if self._last is not None:
            self._last.wait_for_publish(timeout=60)
        self.client.disconnect()
        self.client.loop_stop()


class HttpSink:
    """Readings to ``POST <url>/api/v1/facilities/readings`` with a bearer token (an
    operations token), in batches; refusals counted from the answers."""

    def __init__(self, url: str, token: str, timeout_s: float = 60.0):
        self.endpoint = url.rstrip("/") + "/api/v1/facilities/readings"
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.timeout_s = timeout_s
        self.refused: Counter[str] = Counter()

    def send(self, readings: Sequence[dict[str, Any]]) -> None:
        for start in range(0, len(readings), HTTP_BATCH):
            body = json.dumps({"readings": list(readings[start : start + HTTP_BATCH])})
            request = urllib.request.Request(
                self.endpoint, body.encode(), self.headers, method="POST"
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout_s) as answer:
                    results = json.load(answer)["results"]
            except urllib.error.HTTPError as exc:
                detail = exc.read().decode("utf-8", "replace")[:300]
                raise PublishError(f"{self.endpoint} answered {exc.code}: {detail}") from exc
            except urllib.error.URLError as exc:
                raise PublishError(f"{self.endpoint} did not answer: {exc.reason}") from exc
            self.refused.update(r["reason"] for r in results if r["result"] == "refused")

    def close(self) -> None:
        pass


class PublishError(RuntimeError):
    """The twin could not be reached or refused a whole request (a bad token, say)."""
