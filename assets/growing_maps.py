"""Maps in a stream's state that grow with its history (alarms, evidence, schedule activities).

The projection keeps a stream's state after each of its events, so a map copied whole at every
event would hold memory quadratic in the events. These maps are persistent (a HAMT,
``immutables.Map``): a new state shares every entry that did not change with the one before,
about O(log n) new memory an event. Read them as any ``Mapping``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from immutables import Map

EMPTY: Map[str, Any] = Map()


def put(state: Mapping[str, Any], name: str, key: str, value: Any) -> dict[str, Any]:
    """``state`` with ``state[name][key] = value`` (the rest of ``state[name]`` shared)."""
    found = state.get(name)
    grown = found if isinstance(found, Map) else Map(found or {})
    return {**state, name: grown.set(key, value)}
