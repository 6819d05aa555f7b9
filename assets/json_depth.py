"""How deep JSON text nests, found before parsing it: :func:`json.loads` recurses once per
level of lists and objects, so untrusted text such as ``[`` × 5,000 (10 KB) raises
``RecursionError`` instead of a refusal. Check :func:`json_too_deep` first and refuse what is
over :data:`MAX_JSON_DEPTH`.

The one check of untrusted JSON: MQTT payloads (``twin.facilities.payload``) and HTTP request
bodies (``api.middleware.limits.BodyLimitMiddleware``).
"""

from __future__ import annotations

import re

import numpy as np

MAX_JSON_DEPTH = 64
"""Deepest nesting of lists and objects admitted: far beyond any document of the twin
(readings nest 2 deep, GeoJSON and CityJSON under 10), far below Python's recursion limit."""

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*+(?:"|\Z)', re.DOTALL)
"""A JSON string, or an unterminated one to the end (possessive: linear on any input)."""
_STEP = np.zeros(256, dtype=np.int8)
_STEP[[ord("["), ord("{")]] = 1
_STEP[[ord("]"), ord("}")]] = -1


def json_too_deep(text: str | bytes | bytearray, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``[`` and ``{`` outside strings nest deeper than ``limit`` levels in ``text``.

    Linear time at C speed (tens of milliseconds for a MiB of brackets), and no work at all
    for text with no more than ``limit`` brackets. Brackets never closed count, as deep as a
    parser would go before failing. Bytes holding NUL (not UTF-8 JSON; maybe UTF-16, which
    :func:`json.loads` also reads) are judged by their bracket count alone, which can only
    over-count. Text that is not JSON gets an answer too (parse it afterwards to find out).
    """
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    if b"\x00" in raw:
        return True
    outside = _STRING.sub(b"", raw)
    steps = _STEP[np.frombuffer(outside, dtype=np.uint8)]
    return int(np.cumsum(steps, dtype=np.int32).max(initial=0)) > limit
