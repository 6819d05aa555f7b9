"""What derives from the campus, kept per campus version in one bounded cache.

The twin's campus changes only with an import (a new geometry version, see
:mod:`twin.campus_versions`); the space catalogue, the spatial lookup, the scene parts, the
GLB, the 3D Tiles, the facility topology and the OGC catalogue of one version are pure
functions of it. :class:`Derived` builds each of them once per version, on first use;
:class:`BoundedCache` keeps the :data:`CAMPUS_VERSIONS_KEPT` most recently used versions (with
what derives from them) and lets older ones be collected. No cache is ever needed for a right
answer: a version dropped is rebuilt when next asked for.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from assets.campus import Campus
from assets.facilities.catalog import build_topology
from assets.facilities.topology import Topology
from occupancy.spaces import SpaceCatalog, build_catalog

CAMPUS_VERSIONS_KEPT = 8
"""Campus versions kept in memory, each with what derives from it (scene parts alone are about
15 MB for the Flying Fish): older ones are dropped, least recently used first."""

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
T = TypeVar("T")


class BoundedCache(Generic[K, V]):
    """A thread-safe map keeping at most ``size`` entries, least recently used dropped first."""

    def __init__(self, size: int = CAMPUS_VERSIONS_KEPT):
        if size < 1:
            raise ValueError(f"a cache keeps at least 1 entry, not {size}")
        self.size = size
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        """The entry of ``key`` (now the most recently used), or None."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: K, value: V) -> V:
        """Keep ``value`` under ``key`` unless another thread kept one first; returns the one
        kept."""
        with self._lock:
            found = self._entries.setdefault(key, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
            return found

    def values(self) -> list[V]:
        """The entries kept, least recently used first."""
        with self._lock:
            return list(self._entries.values())

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


class Derived:
    """One campus version and what derives from it, each built once on first use.

    ``get(build)`` answers ``build(self)`` and keeps it: the build function is the key, so each
    kind of derived value is named by the one function that makes it. Builds of different kinds
    run in parallel; two threads asking for the same kind build it once.
    """

    def __init__(self, campus: Campus):
        self.campus = campus
        self._values: dict[Callable[[Derived], Any], Any] = {}
        self._locks: dict[Callable[[Derived], Any], threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, build: Callable[[Derived], T]) -> T:
        """``build(self)``, built once for this campus version (thread-safe)."""
        try:
            return self._values[build]
        except KeyError:
            pass
        with self._lock:
            lock = self._locks.setdefault(build, threading.Lock())
        with lock:
            if build not in self._values:
                self._values[build] = build(self)
            return self._values[build]


def space_catalog(derived: Derived) -> SpaceCatalog:
    """The leasable spaces of a campus version: ``derived.get(space_catalog)``."""
    return build_catalog(derived.campus)


def facility_topology(derived: Derived) -> Topology:
    """The facility topology of a campus version: ``derived.get(facility_topology)``."""
    return build_topology(derived.campus)
