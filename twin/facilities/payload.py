"""MQTT messages as readings: ``<prefix>/<facility-id>/status`` and ``.../metrics`` topics with
a JSON payload, one reading (an object without ``facility``: the topic names it) or a list.

A payload that is too large, nests too deep (:func:`assets.json_depth.json_too_deep`) or is
not JSON is refused whole; otherwise each reading is checked on its own, exactly as over HTTP.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from assets.facilities.readings import Reading, Refusal, check_reading
from assets.facilities.topology import Topology
from assets.json_depth import MAX_JSON_DEPTH, json_too_deep

MAX_PAYLOAD = 64 * 1024
"""Largest payload accepted, bytes."""
MAX_PER_MESSAGE = 1000
CHANNELS = ("status", "metrics")
BRIDGE = "_bridge"
"""``<prefix>/_bridge/...``: the bridge's own topics (refusals, stats), never read as readings."""


def topic_facility(prefix: str, topic: str) -> tuple[str, str] | None:
    """(facility id, channel) of a reading topic, None if the topic is not one."""
    if not topic.startswith(prefix + "/"):
        return None
    facility, _, channel = topic[len(prefix) + 1 :].rpartition("/")
    if channel not in CHANNELS or not facility:
        return None
    return facility, channel


def is_own(prefix: str, topic: str) -> bool:
    """Whether ``topic`` is one the bridge publishes itself."""
    return topic.startswith(f"{prefix}/{BRIDGE}/")


def decode(payload: bytes | bytearray, max_bytes: int = MAX_PAYLOAD) -> Any:
    """The payload's JSON value, or a :class:`Refusal` (oversized: too many bytes or nested
    too deep; malformed_json).

    NaN and Infinity are read as numbers, so the reading is refused as ``not_finite``."""
    if len(payload) > max_bytes:
        return Refusal("oversized", f"payload of {len(payload):,} bytes is over {max_bytes:,}")
    if json_too_deep(payload):
        detail = f"payload nests lists and objects more than {MAX_JSON_DEPTH} levels deep"
        return Refusal("oversized", detail)
    try:
        return json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return Refusal("malformed_json", f"payload is not UTF-8 JSON: {str(exc)[:120]}")


def message_readings(
    topology: Topology,
    prefix: str,
    topic: str,
    payload: bytes | bytearray,
    now: datetime,
    max_bytes: int = MAX_PAYLOAD,
) -> list[Reading | Refusal]:
    """The readings of one message, each admitted or refused (at least one item)."""
    where = topic_facility(prefix, topic)
    if where is None:
        detail = f"topic {topic[:200]!r} is not {prefix}/<facility>/status or /metrics"
        return [Refusal("bad_topic", detail)]
    facility, channel = where
    value = decode(payload, max_bytes)
    if isinstance(value, Refusal):
        return [Refusal(value.reason, value.detail, facility)]
    rows = value if isinstance(value, list) else [value]
    if not rows or len(rows) > MAX_PER_MESSAGE:
        return [
            Refusal("malformed", f"a message carries 1 to {MAX_PER_MESSAGE} readings", facility)
        ]
    out: list[Reading | Refusal] = []
    for row in rows:
        if isinstance(row, dict) and ("status" in row) != (channel == "status"):
            kind = "status" if channel == "status" else "metric"
            out.append(Refusal("malformed", f"a {channel} topic carries {kind} readings", facility))
            continue
        out.append(check_reading(topology, row, now, facility=facility))
    return out
