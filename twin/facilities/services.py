"""The facility services of one twin: catalogue, state and ingestion, made once per twin."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from assets.campus import Campus
from assets.facilities.catalog import build_topology
from assets.facilities.topology import Topology
from twin.eventlog import EventStore
from twin.facilities.ingest import FacilityIngest
from twin.facilities.state import FacilityState

if TYPE_CHECKING:
    from twin.runtime import Twin


@dataclass(frozen=True)
class FacilityServices:
    """What the API and the MQTT bridge use: the catalogue, the state, ingestion."""

    topology: Topology
    state: FacilityState
    ingest: FacilityIngest

    @classmethod
    def open(cls, store: EventStore, campus: Campus) -> FacilityServices:
        topology = build_topology(campus)
        state = FacilityState(store, topology)
        return cls(topology, state, FacilityIngest(state))

    def fresh(self) -> FacilityState:
        """The state, caught up with what any process wrote (at most every 0.1 s)."""
        return self.state.refresh()


_SERVICES: WeakKeyDictionary[Twin, FacilityServices] = WeakKeyDictionary()
_LOCK = threading.Lock()


def facilities_of(twin: Twin) -> FacilityServices:
    """The facility services of ``twin`` (made on first use, thread-safe)."""
    with _LOCK:
        found = _SERVICES.get(twin)
        if found is None:
            found = _SERVICES[twin] = FacilityServices.open(twin.store, twin.campus)
        return found
