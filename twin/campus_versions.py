"""The campus as built at any instant: the loaded dataset with the geometry history laid over.

Imports record each changed zone, parcel or building as an event of its ``geometry:`` stream
(:mod:`assets.imports.reducers`). The campus at an instant is identified by which of those
events are effective by then, so one :class:`Campus` object (and everything cached on it: floors,
units, the space catalogue, the GLB) serves every instant between two geometry changes.
"""

from __future__ import annotations

import bisect
import threading
from datetime import datetime
from typing import Any

from assets.campus import Campus
from assets.dataset import rebuilt
from assets.imports.reducers import STREAM_PREFIX
from assets.models import Building, Parcel, Zone
from twin.derived import CAMPUS_VERSIONS_KEPT, BoundedCache, Derived
from twin.projection import Projection

MODELS: dict[str, type[Zone] | type[Parcel] | type[Building]] = {
    "zone": Zone,
    "parcel": Parcel,
    "building": Building,
}


class CampusVersions:
    """Which campus stands at an instant, built once per geometry version (thread-safe).

    The ``kept`` most recently used versions are kept, each with what derives from it
    (:class:`~twin.derived.Derived`); older ones are rebuilt when asked for again."""

    def __init__(self, base: Campus, kept: int = CAMPUS_VERSIONS_KEPT):
        self.base = base
        self._lock = threading.Lock()
        self._head = -1
        self._times: list[float] = []  # effective timestamps of geometry events, sorted
        self._seqs: list[int] = []  # their seqs, in the same order
        self._cache: BoundedCache[tuple[int, ...], Derived] = BoundedCache(kept)

    def key(self, projection: Projection, at: datetime) -> tuple[int, ...]:
        """The seqs of the geometry events effective by ``at``: the version's identity."""
        with self._lock:
            if projection.head != self._head:
                events = sorted(
                    projection.events(STREAM_PREFIX),
                    key=lambda e: (e.effective_at.timestamp(), e.seq),
                )
                self._times = [e.effective_at.timestamp() for e in events]
                self._seqs = [e.seq for e in events]
                self._head = projection.head
            count = bisect.bisect_right(self._times, at.timestamp())
            return tuple(self._seqs[:count])

    def at(self, projection: Projection, at: datetime) -> Campus:
        """The campus as built at ``at``."""
        return self.derived_at(projection, at).campus

    def derived_at(self, projection: Projection, at: datetime) -> Derived:
        """The campus version standing at ``at``, with what derives from it."""
        key = self.key(projection, at)
        found = self._cache.get(key)
        if found is not None:
            return found
        campus = self._build(projection.all_at(at, STREAM_PREFIX)) if key else self.base
        return self._cache.put(key, Derived(campus))

    def derived_of(self, campus: Campus) -> Derived:
        """What derives from ``campus``: the kept version's, or (for a version no longer kept)
        a new one that is built afresh and not kept."""
        for kept in self._cache.values():
            if kept.campus is campus:
                return kept
        return Derived(campus)

    def latest_change(self, projection: Projection) -> datetime | None:
        """When the latest geometry change takes effect (None: the dataset as loaded)."""
        events = projection.events(STREAM_PREFIX)
        return max((e.effective_at for e in events), default=None)

    def _build(self, states: dict[str, dict[str, Any]]) -> Campus:
        base = self.base
        entities: dict[str, dict[str, Any]] = {
            "zone": dict(base.zones),
            "parcel": dict(base.parcels),
            "building": dict(base.buildings),
        }
        for stream, state in sorted(states.items()):
            kind, entity_id = stream[len(STREAM_PREFIX) :].split(":", 1)
            if state.get("removed"):
                entities[kind].pop(entity_id, None)
            else:
                entities[kind][entity_id] = MODELS[kind].model_validate(state["model"])
        return rebuilt(
            base,
            zones=entities["zone"].values(),
            parcels=entities["parcel"].values(),
            buildings=entities["building"].values(),
        )
