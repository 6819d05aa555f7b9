"""How deeply a JSON text nests, found without parsing it (parsers recurse once per level)."""

from __future__ import annotations

import re

import numpy as np

MAX_JSON_DEPTH = 64
"""Deepest nesting of arrays and objects a request body may have (the API's own bodies nest a few levels)."""

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*+(?:"|\Z)', re.DOTALL)
"""A JSON string, or an unterminated one to the end (possessive: linear on any input)."""
_STEP = np.zeros(256, dtype=np.int8)
_STEP[[ord("["), ord("{")]] = 1
_STEP[[ord("]"), ord("}")]] = -1


def too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``[`` and ``{`` outside strings nest deeper than ``limit`` levels in ``body``.

    Linear time at C speed (tens of milliseconds for a MiB of brackets), and no work at all for a body with fewer
    brackets than ``limit``. Brackets never closed count, as deep as a parser would go before
    failing. A body holding NUL bytes (not UTF-8 JSON; maybe UTF-16, which ``json.loads`` also
    reads) is judged by its bracket count alone, which can only over-count.
    """
    openers = body.count(b"[") + body.count(b"{")
    if openers <= limit:
        return False
    if b"\x00" in body:
        return True
    outside = _STRING.sub(b"", body)
    steps = _STEP[np.frombuffer(outside, dtype=np.uint8)]
    return int(np.cumsum(steps, dtype=np.int32).max(initial=0)) > limit
