"""The MQTT bridge: readings published to ``<prefix>/<facility>/status|metrics`` go into the
event log through the same ingestion as HTTP.

paho's network thread only queues messages; this thread takes them in batches (up to
``batch`` messages or ``flush_s`` of waiting), checks them, records the good readings in one
bulk append, and publishes every refusal to ``<prefix>/_bridge/refused`` (JSON: topic, reason,
detail) and running counts to ``<prefix>/_bridge/stats``. A bad message never stops the
bridge; a database error retries the same batch until it is written.

Delivery: QoS 1 with a persistent MQTT 5 session (the broker keeps messages while the bridge
is away, for ``session_expiry_s``). Messages are acknowledged on receipt, so a crash (not a
stop: SIGTERM and Ctrl-C write what is queued) loses at most what is queued in memory.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from sqlalchemy.exc import DBAPIError

from assets.facilities.readings import Reading, Refusal
from twin.eventlog import EventLogError
from twin.facilities.ingest import IngestReport
from twin.facilities.payload import BRIDGE, MAX_PAYLOAD, is_own, message_readings
from twin.facilities.services import FacilityServices

log = logging.getLogger("twin.facilities.mqtt")
STATS_EVERY_S = 10.0
BUG_RETRIES = 3
RECEIVE_MAXIMUM = 65_535
"""Unacknowledged QoS 1 messages the broker may have in flight to the bridge (MQTT 5): a
wide window, so a burst waits in flight instead of overflowing the broker's per-client queue
(mosquitto: 1,000 messages by default, beyond which it drops them)."""


@dataclass(frozen=True)
class BridgeConfig:
    url: str
    prefix: str = "campus"
    client_id: str = "twin-ingest"
    batch: int = 5000
    flush_s: float = 0.05
    max_payload: int = MAX_PAYLOAD
    session_expiry_s: int = 3600


def broker(url: str) -> tuple[str, int, bool, str | None, str | None]:
    """Host, port, TLS, user and password of an ``mqtt://`` or ``mqtts://`` URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
        raise ValueError(f"broker URL {url!r} must look like mqtt://host:1883 or mqtts://host:8883")
    tls = parts.scheme == "mqtts"
    return (
        parts.hostname,
        parts.port or (8883 if tls else 1883),
        tls,
        parts.username,
        parts.password,
    )


class Bridge:
    """One MQTT subscription feeding one twin's facility ingestion."""

    def __init__(
        self, services: FacilityServices, config: BridgeConfig, say: Callable[[str], None] = print
    ):
        self.services, self.config, self.say = services, config, say
        self.inbox: queue.Queue[mqtt.MQTTMessage] = queue.Queue()
        self.counts: Counter[str] = Counter()
        self.stop = threading.Event()
        self.ready = threading.Event()
        self.actor = f"mqtt:{config.client_id}"
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=config.client_id, protocol=mqtt.MQTTv5
        )
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = self._on_subscribe
        self.client.on_message = self._on_message
        self.client.on_disconnect = self._on_disconnect
        self.client.max_queued_messages_set(0)
        self.client.reconnect_delay_set(1, 30)

    # -- paho's thread -------------------------------------------------------------------
    def _on_connect(self, client: mqtt.Client, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        if reason.is_failure:
            self.say(f"broker refused the connection: {reason}")
            return
        client.subscribe(f"{self.config.prefix}/#", qos=1)

    def _on_subscribe(self, _c: Any, _u: Any, _mid: Any, reasons: Any, _p: Any) -> None:
        if not self.ready.is_set():
            self.say(f"subscribed to {self.config.prefix}/# on {self.config.url}")
        self.ready.set()

    def _on_disconnect(self, _c: Any, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        if not self.stop.is_set():
            self.say(f"disconnected from the broker ({reason}); reconnecting")

    def _on_message(self, _c: Any, _u: Any, message: mqtt.MQTTMessage) -> None:
        if not is_own(self.config.prefix, message.topic):
            self.inbox.put(message)

    # -- this thread ---------------------------------------------------------------------
    def run(self) -> Counter[str]:
        """Connect, ingest until :attr:`stop` is set, write what is queued, disconnect."""
        host, port, tls, user, password = broker(self.config.url)
        if tls:
            self.client.tls_set()
        if user:
            self.client.username_pw_set(user, password)
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = self.config.session_expiry_s
        props.ReceiveMaximum = RECEIVE_MAXIMUM  # the broker's default window (20) drops bursts
        self.client.connect(host, port, keepalive=30, clean_start=False, properties=props)
        self.client.loop_start()
        last_stats = time.monotonic()
        try:
            while not self.stop.is_set() or not self.inbox.empty():
                batch = self._take(wait=not self.stop.is_set())
                if batch:
                    self._ingest(batch)
                if time.monotonic() - last_stats >= STATS_EVERY_S:
                    self._stats()
                    last_stats = time.monotonic()
        finally:
            self._stats()
            self.client.disconnect()
            self.client.loop_stop()
        return self.counts

    def _take(self, wait: bool) -> list[mqtt.MQTTMessage]:
        """Up to ``batch`` messages: those that arrive within ``flush_s`` of the first, or
        within ``flush_s`` at all (possibly none)."""
        out: list[mqtt.MQTTMessage] = []
        deadline = time.monotonic() + self.config.flush_s
        while len(out) < self.config.batch:
            try:
                timeout = max(deadline - time.monotonic(), 0.0)
                out.append(self.inbox.get(timeout=timeout) if wait else self.inbox.get_nowait())
            except queue.Empty:
                break
        return out

    def _ingest(self, messages: list[mqtt.MQTTMessage]) -> None:
        topology, prefix, now = self.services.topology, self.config.prefix, datetime.now(UTC)
        items: list[Reading | Refusal] = []
        topics: list[str] = []
        for m in messages:
            found = message_readings(
                topology, prefix, m.topic, m.payload, now, self.config.max_payload
            )
            items += found
            topics += [m.topic] * len(found)
        report = self._record(items)
        self.counts["messages"] += len(messages)
        self.counts.update(report.outcomes())
        for r in report.results:
            if r.result != "accepted":
                detail = {
                    "topic": topics[r.index],
                    "result": r.result,
                    "reason": r.reason,
                    "detail": r.detail,
                    "facility": r.facility,
                    "idempotency_key": r.key,
                }
                self.client.publish(
                    f"{prefix}/{BRIDGE}/refused", json.dumps(detail, ensure_ascii=False), qos=1
                )

    def _record(self, items: list[Reading | Refusal]) -> IngestReport:
        """Record a batch; database errors are retried until it is written, anything else
        (a bug) :data:`BUG_RETRIES` times before the batch is counted as ``failed``."""
        delay, attempt = 0.5, 0
        while True:
            try:
                return self.services.ingest.record(items, self.actor)
            except (DBAPIError, EventLogError) as exc:
                self.say(f"could not record {len(items)} readings ({exc}); retrying")
            except Exception:
                attempt += 1
                log.exception("recording %d readings failed", len(items))
                if attempt >= BUG_RETRIES:
                    self.counts["failed"] += len(items)
                    return IngestReport([])
            time.sleep(delay)
            delay = min(delay * 2, 30.0)

    def _stats(self) -> None:
        counts = dict(self.counts)
        self.client.publish(f"{self.config.prefix}/{BRIDGE}/stats", json.dumps(counts), qos=0)
        if counts:
            self.say("counts: " + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())))
