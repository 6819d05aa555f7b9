"""Serialised pages of cached answers: each page of one answer object is encoded once.

The availability search hands back the same answer object while it holds (see
:mod:`twin.leasing.availability_cache`); every request for the same page of it, as the same
role, gets the same bytes but for the instant asked about. This keeps those bytes (all but the
leading ``"at"``) per answer object and view, so a repeated request costs a dictionary lookup
and a concatenation instead of building and encoding a hundred response models.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

import orjson

from api.timeparam import answer_time

PAGES = 128
"""Encoded pages kept (least recently used dropped first); each is tens of kB (up to ~0.6 MB
for a page of 2,000 spaces)."""

Answer = TypeVar("Answer")
View = TypeVar("View", bound=Hashable)

_lock = threading.RLock()  # re-entrant: a dying answer may call _forget while it is held
_pages: OrderedDict[tuple[int, Hashable], tuple[weakref.ref[Any], bytes]] = OrderedDict()
"""(id of the answer, view) -> a weak reference to the answer and the page's bytes."""


def kept(answer: object, view: Hashable) -> bytes | None:
    """The bytes :func:`body` keeps for ``answer`` and ``view``, or None (never builds)."""
    with _lock:
        found = _pages.get((id(answer), view))
        return found[1] if found is not None and found[0]() is answer else None


def body(answer: Answer, view: View, build: Callable[[Answer, View], bytes]) -> bytes:
    """``build(answer, view)``, kept while ``answer`` lives: the same object and view give the
    same bytes. Pages hold their answer weakly and go when it does (the answer cache decides
    how long answers live), so an id is never mistaken for a later object's."""
    key = (id(answer), view)
    with _lock:
        found = _pages.get(key)
        if found is not None and found[0]() is answer:
            _pages.move_to_end(key)
            return found[1]
    encoded = build(answer, view)
    with _lock:
        _pages[key] = (weakref.ref(answer, partial(_forget, id(answer))), encoded)
        while len(_pages) > PAGES:
            _pages.popitem(last=False)
    return encoded


def _forget(answer_id: int, _dead: weakref.ref[Any]) -> None:
    """Drop the pages of an answer that no longer exists."""
    with _lock:
        for key in [k for k in _pages if k[0] == answer_id and _pages[k][0] is _dead]:
            del _pages[key]


def after_at(document: dict[str, Any]) -> bytes:
    """``document`` (whose first key is ``at``) encoded without its ``at`` member: the bytes
    from the first comma on, for :func:`with_at`."""
    rest = {k: v for k, v in document.items() if k != "at"}
    return b"," + orjson.dumps(rest)[1:] if rest else b"}"


def with_at(at: datetime, rest: bytes) -> bytes:
    """The JSON object ``{"at": <at as answer text (api.timeparam.answer_time)>, ...rest}``."""
    return b'{"at":' + orjson.dumps(answer_time(at, at.tzinfo)) + rest
