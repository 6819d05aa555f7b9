"""The facility services of one twin: catalogue, state and ingestion (the twin keeps one)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from assets.campus import Campus
from assets.facilities.alarms import AlarmPolicy
from assets.facilities.catalog import build_topology
from assets.facilities.topology import Topology
from twin import reducers
from twin.derived import facility_topology
from twin.eventlog import EventStore
from twin.facilities.ingest import FacilityIngest
from twin.facilities.state import FacilityState
from twin.projection import Projection

if TYPE_CHECKING:
    from twin.runtime import Twin


@dataclass(frozen=True)
class FacilityServices:
    """What the API and the MQTT bridge use: the catalogue, the state, ingestion."""

    state: FacilityState
    ingest: FacilityIngest

    @classmethod
    def of_twin(cls, twin: Twin) -> FacilityServices:
        """The services of a running twin: its projection, its campus version's topology."""
        state = FacilityState(
            twin.store,
            twin.projection,
            lambda: twin.derived().get(facility_topology),
            twin.settings.alarm_policy(),
        )
        return cls(state, FacilityIngest(state, twin.settings.simulation))

    @classmethod
    def open(
        cls,
        store: EventStore,
        campus: Campus,
        *,
        simulation: bool = False,
        policy: AlarmPolicy | None = None,
    ) -> FacilityServices:
        """Services on ``store`` alone (no twin: a test or a benchmark), for ``campus``."""
        topology = build_topology(campus)
        projection = Projection(reducers.apply, reducers.UNPROJECTED_PREFIXES)
        state = FacilityState(store, projection, lambda: topology, policy)
        return cls(state, FacilityIngest(state, simulation))

    @property
    def telemetry(self) -> str:
        """``simulated`` when this twin records simulated readings only, else ``measured``:
        what every view of its metrics says (API answers, the viewer's banner)."""
        return "simulated" if self.ingest.simulation else "measured"

    @property
    def topology(self) -> Topology:
        """The facility topology of the campus as built now."""
        return self.state.topology

    def fresh(self) -> FacilityState:
        """The state, caught up with what any process wrote (at most every 0.1 s)."""
        return self.state.refresh()
