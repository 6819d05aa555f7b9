"""How deep JSON text nests, found before parsing it: :func:`json.loads` recurses once per
level of lists and objects, so untrusted text such as ``[`` × 5,000 (10 KB) raises
``RecursionError`` instead of a refusal. Check :func:`json_too_deep` first and refuse what is
over :data:`MAX_JSON_DEPTH`.

Used by the MQTT bridge's payloads (``twin.facilities.payload``); meant for any untrusted
JSON (HTTP bodies alike).
"""

from __future__ import annotations

import re
from itertools import accumulate

MAX_JSON_DEPTH = 64
"""Deepest nesting of lists and objects admitted: far beyond any document of the twin
(readings nest 2 deep, GeoJSON and CityJSON under 10), far below Python's recursion limit."""

# What is neither a quote nor a bracket, and escape pairs (so an escaped quote is no quote):
# removed, the quotes left delimit the strings, whose brackets do not count.
_NOISE_TEXT = re.compile(r'[^\\"\[\]{}]++|\\.', re.S)
_NOISE_BYTES = re.compile(rb'[^\\"\[\]{}]++|\\.', re.S)
_STEP_TEXT = {"[": 1, "{": 1, "]": -1, "}": -1}
_STEP_BYTES = {ord(c): step for c, step in _STEP_TEXT.items()}


def json_too_deep(text: str | bytes | bytearray, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON ``text`` nests lists and objects more than ``limit`` levels deep.

    Brackets inside strings are not counted. Linear in the length of ``text`` (about as fast
    as a regular expression search), and instant when it holds no more than ``limit``
    brackets; text that is not JSON gets an answer too (parse it afterwards to find out)."""
    if isinstance(text, str):
        if text.count("[") + text.count("{") <= limit:
            return False
        outside = "".join(_NOISE_TEXT.sub("", text).split('"')[::2])
        steps = map(_STEP_TEXT.__getitem__, outside)
    else:
        if text.count(b"[") + text.count(b"{") <= limit:
            return False
        brackets = b"".join(_NOISE_BYTES.sub(b"", text).split(b'"')[::2])
        steps = map(_STEP_BYTES.__getitem__, brackets)
    return max(accumulate(steps), default=0) > limit
