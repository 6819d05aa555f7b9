"""The MQTT bridge: readings published to ``<prefix>/<facility>/status|metrics`` go into the
event log through the same ingestion as HTTP.

paho's network thread only queues messages; this thread takes them in batches (up to
``batch`` messages or ``flush_s`` of waiting), checks them, records the good readings in one
bulk append, and publishes every refusal to ``<prefix>/_bridge/refused`` (JSON: topic, reason,
detail) and running counts to ``<prefix>/_bridge/stats``. No message stops the bridge: one
that cannot be read or recorded is refused on its own; a database error retries the same
batch until it is written.

Delivery: QoS 1 with a persistent MQTT 5 session (the broker keeps messages while the bridge
is away, for ``session_expiry_s``) and manual acknowledgements: a message is acknowledged,
in the order received, only once its readings are committed (or refused, or found to be
duplicates). A crash, ``kill -9`` included, loses nothing the broker considers delivered: what
was not acknowledged is delivered again on reconnect, and its readings' idempotency keys
(given, or derived from what the reading says) make it a duplicate if it was recorded.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.subscribeoptions import SubscribeOptions
from sqlalchemy.exc import InterfaceError, OperationalError

from assets.facilities.readings import Reading, Refusal
from twin.eventlog import EventLogError, UnstorableText
from twin.facilities.ingest import IngestReport, Result
from twin.facilities.payload import BRIDGE, MAX_PAYLOAD, is_own, message_readings
from twin.facilities.services import FacilityServices

log = logging.getLogger("twin.facilities.mqtt")
STATS_EVERY_S = 10.0
RECEIVE_MAXIMUM = 65_535
"""Unacknowledged QoS 1 messages the broker may have in flight to the bridge (MQTT 5): a
wide window, so a burst waits in flight instead of overflowing the broker's per-client queue
(mosquitto: 1,000 messages by default, beyond which it drops them)."""
Received = tuple[int, mqtt.MQTTMessage]
"""A message and the number of the connection it came on (acknowledged on that one only)."""


class Unrecorded(Exception):
    """The bridge is stopping while the database fails: the batch stays unacknowledged."""


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
        self.inbox: queue.Queue[Received] = queue.Queue()
        self.counts: Counter[str] = Counter()
        self.stop = threading.Event()
        self.ready = threading.Event()
        self.actor = f"mqtt:{config.client_id}"
        self.connection = 0
        """Counts connections lost: a message is acknowledged on the connection it came on."""
        self._acking = threading.Lock()
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=config.client_id,
            protocol=mqtt.MQTTv5,
            manual_ack=True,
        )
        self.client.suppress_exceptions = True  # a failing callback must not end paho's thread
        self.client.enable_logger(log)
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
        # QoS 1 at most (QoS 2 is downgraded): paho cannot finish a QoS 2 exchange across a
        # restart. No local: the bridge's own refusals and stats do not come back to it.
        client.subscribe(f"{self.config.prefix}/#", options=SubscribeOptions(qos=1, noLocal=True))

    def _on_subscribe(self, _c: Any, _u: Any, _mid: Any, reasons: Any, _p: Any) -> None:
        if not self.ready.is_set():
            self.say(f"subscribed to {self.config.prefix}/# on {self.config.url}")
        self.ready.set()

    def _on_disconnect(self, _c: Any, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        with self._acking:  # before paho drops what it has not sent and reconnects
            self.connection += 1
        if not self.stop.is_set():
            self.say(f"disconnected from the broker ({reason}); reconnecting")

    def _on_message(self, _c: Any, _u: Any, message: mqtt.MQTTMessage) -> None:
        self.inbox.put((self.connection, message))

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

    def _take(self, wait: bool) -> list[Received]:
        """Up to ``batch`` messages: those that arrive within ``flush_s`` of the first, or
        within ``flush_s`` at all (possibly none)."""
        out: list[Received] = []
        deadline = time.monotonic() + self.config.flush_s
        while len(out) < self.config.batch:
            try:
                timeout = max(deadline - time.monotonic(), 0.0)
                out.append(self.inbox.get(timeout=timeout) if wait else self.inbox.get_nowait())
            except queue.Empty:
                break
        return out

    def _ingest(self, batch: list[Received]) -> None:
        """Record the readings of ``batch``, publish its refusals, then acknowledge it."""
        prefix, now = self.config.prefix, datetime.now(UTC)
        items: list[Reading | Refusal] = []
        topics: list[str] = []
        owners: list[int] = []  # the message of each item
        for n, (_, m) in enumerate(batch):
            topic = topic_of(m)
            if is_own(prefix, topic):
                continue
            found = self._readings(topic, m.payload, now)
            items += found
            topics += [topic] * len(found)
            owners += [n] * len(found)
        try:
            report = self._record(items, owners)
        except Unrecorded:
            return
        self.counts["messages"] += len(set(owners))
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
                self.client.publish(f"{prefix}/{BRIDGE}/refused", json.dumps(detail), qos=1)
        self._acknowledge(batch)

    def _readings(
        self, topic: str, payload: bytes | bytearray, now: datetime
    ) -> list[Reading | Refusal]:
        """The readings of one message; a message that breaks the reader is refused."""
        topology, prefix, max_bytes = (
            self.services.topology,
            self.config.prefix,
            self.config.max_payload,
        )
        try:
            return message_readings(topology, prefix, topic, payload, now, max_bytes)
        except Exception as exc:
            log.exception("reading a message of %s failed", topic)
            return [Refusal("malformed", f"the bridge could not read this message ({exc!r:.120})")]

    def _acknowledge(self, batch: list[Received]) -> None:
        """Acknowledge, in the order received, the messages that came on this connection
        (those of a lost one are delivered again, and acknowledged then)."""
        with self._acking:
            for connection, m in batch:
                if m.qos and connection == self.connection:
                    self.client.ack(m.mid, m.qos)

    def _record(self, items: list[Reading | Refusal], owners: list[int]) -> IngestReport:
        """Record a batch; if that fails other than by the database, record it message by
        message and refuse the messages that still fail."""
        try:
            return self._record_retrying(items)
        except Unrecorded:
            raise
        except Exception:
            log.exception("recording %d readings failed; recording message by message", len(items))
        results: list[Result] = []
        start = 0
        while start < len(items):
            end = start + 1
            while end < len(items) and owners[end] == owners[start]:
                end += 1
            part = items[start:end]
            try:
                found = self._record_retrying(part).results
            except Unrecorded:
                raise
            except Exception as exc:
                detail = f"the bridge could not record this message ({exc!r:.120})"
                found = [
                    Result(i, "refused", getattr(item, "facility", None), None, "malformed", detail)
                    for i, item in enumerate(part)
                ]
            results += [replace(r, index=r.index + start) for r in found]
            start = end
        return IngestReport(results)

    def _record_retrying(self, items: list[Reading | Refusal]) -> IngestReport:
        """Record ``items``; a database that fails (down, locked, a racing writer) is retried
        until they are written (or the bridge stops: :class:`Unrecorded`); anything else,
        such as a value the database refuses, raises."""
        delay = 0.5
        while True:
            try:
                return self.services.ingest.record(items, self.actor)
            except UnstorableText:  # what the log refuses is refused, message by message
                raise
            except (OperationalError, InterfaceError, EventLogError) as exc:
                self.say(f"could not record {len(items)} readings ({exc}); retrying")
                if self.stop.is_set():
                    raise Unrecorded from exc
            time.sleep(delay)
            delay = min(delay * 2, 30.0)

    def _stats(self) -> None:
        counts = dict(self.counts)
        self.client.publish(f"{self.config.prefix}/{BRIDGE}/stats", json.dumps(counts), qos=0)
        if counts:
            self.say("counts: " + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())))


def topic_of(message: mqtt.MQTTMessage) -> str:
    """The message's topic; one that is not UTF-8 (brokers refuse those) as a placeholder."""
    try:
        return message.topic
    except UnicodeDecodeError:
        return "<topic not UTF-8>"
