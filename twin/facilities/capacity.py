"""The data centre's power capacity and PUE at any instant, read from the twin: the one
read that the capacity and PUE endpoints, the CLI, the viewer's heat map and the leasing
search's power check share.

Free and booked racks come from the leasing availability search (what leasing offers at
``at``); power redundancy from the statuses leasing offers on (plant not yet built counts as
designed: :func:`offered_statuses`); drawn power from the measurements
store (the latest reading at or before ``at``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from assets.facilities.capacity import Capacity, HallFit, capacities, fit
from assets.facilities.efficiency import Efficiency, efficiency, series_needed
from assets.facilities.power import Level
from assets.facilities.topology import Topology
from occupancy.availability import AvailabilityQuery
from twin.derived import facility_topology
from twin.runtime import Twin

MAX_STEPS = 1000
"""Most instants a PUE series may have."""


def _kw(twin: Twin, ids: list[str], metric: str, at: datetime) -> dict[str, float]:
    readings = twin.facilities.fresh().store.readings
    found = readings.latest_all(at, of=[(i, metric) for i in ids])
    return {fid: value for (fid, _), (_, value) in found.items()}


def power_readings(twin: Twin, topology: Topology, at: datetime) -> dict[str, float]:
    """Latest power at or before ``at`` by facility: ``load_kw`` of feeds, substations, UPS,
    PDUs and rows, ``it_load_kw`` of halls."""
    loads = [n.id for n in topology.of_kind("power_feed", "substation", "ups", "pdu", "rack_row")]
    halls = [n.id for n in topology.of_kind("hall")]
    return {**_kw(twin, loads, "load_kw", at), **_kw(twin, halls, "it_load_kw", at)}


def free_racks(twin: Twin, at: datetime) -> tuple[dict[str, int], dict[str, int]]:
    """(free, booked) racks by rack row id at ``at``, as the leasing search finds them."""
    from twin.leasing.read import availability, spaces_of  # leasing reads this module

    topology = twin.facilities.topology
    row_of_space = {n.space: n.id for n in topology.of_kind("rack_row") if n.space}
    found = availability(twin, at, AvailabilityQuery(kind="rack"))
    free: dict[str, int] = {}
    for m in found.matches:
        row = row_of_space.get(m.space.id.rsplit("/", 1)[0])
        if row is not None:
            free[row] = free.get(row, 0) + 1
    racks: dict[str, int] = {}
    for s in spaces_of(twin, at).spaces.values():
        row = row_of_space.get(s.id.rsplit("/", 1)[0]) if s.kind == "rack" else None
        if row is not None:
            racks[row] = racks.get(row, 0) + 1
    booked = {row: n - free.get(row, 0) for row, n in racks.items()}
    return free, booked


NOT_BUILT = frozenset({"planned", "under_construction"})
"""Statuses of plant not yet in service: its racks are offered on the design's feeds."""


def offered_statuses(twin: Twin, at: datetime) -> dict[str, str]:
    """Every facility's status as leasing offers on it at ``at``: plant still planned or
    under construction counts as designed (``operational``: what a pre-lease buys), plant in
    service as it is (a feed in fault takes 2N away from what it fed)."""
    plant = twin.derived(at).get(facility_topology)
    live = {
        s.removeprefix("facility:"): st.get("status", "planned")
        for s, st in twin.state_at(at, "facility:").items()
    }
    return {
        fid: "operational" if live.get(fid, "planned") in NOT_BUILT else live[fid]
        for fid in plant.facilities
    }


def _figures(twin: Twin, at: datetime) -> tuple[list[Capacity], dict[str, int]]:
    """The capacity at ``at`` and the free racks by row it was figured from."""
    topology = twin.facilities.topology
    free, booked = free_racks(twin, at)
    kw = power_readings(twin, topology, at)
    return capacities(topology, offered_statuses(twin, at), booked, kw), free


def capacity_at(twin: Twin, at: datetime) -> list[Capacity]:
    """Every feed's, substation's, UPS's, PDU's, hall's and row's capacity at ``at``."""
    return _figures(twin, at)[0]


def row_headroom(twin: Twin, at: datetime) -> dict[str, float]:
    """Power headroom (kW) by rack row *space* id (``data-centre/H1/R03``) at ``at``: what
    the leasing search checks racks of a given power against."""
    return {
        c.space: c.headroom_kw for c in capacity_at(twin, at) if c.kind == "rack_row" and c.space
    }


@dataclass(frozen=True)
class FitAnswer:
    """Where ``racks`` racks of ``kw_per_rack`` fit at ``level`` (None: any), hall by hall."""

    racks: int
    kw_per_rack: float
    level: Level | None
    halls: list[HallFit]


def fit_at(
    twin: Twin, at: datetime, racks: int, kw_per_rack: float, level: Level | None
) -> tuple[list[Capacity], FitAnswer]:
    """The capacity at ``at`` and where ``racks`` racks of ``kw_per_rack`` fit in it."""
    found, free = _figures(twin, at)
    return found, FitAnswer(racks, kw_per_rack, level, fit(found, free, racks, kw_per_rack, level))


def efficiency_at(twin: Twin, at: datetime) -> list[Efficiency]:
    """PUE of each data centre and partial PUE of its halls at ``at``."""
    topology = twin.facilities.topology
    out = []
    for dc in topology.of_kind("data_centre"):
        kw = _kw(twin, series_needed(topology, dc.id), "load_kw", at)
        out.append(efficiency(topology, dc.id, kw))
    return out


def efficiency_series(
    twin: Twin, start: datetime, end: datetime, step: timedelta
) -> list[tuple[datetime, list[Efficiency]]]:
    """:func:`efficiency_at` every ``step`` from ``start`` to ``end`` inclusive (at most
    :data:`MAX_STEPS` instants: a :class:`ValueError` beyond)."""
    if step <= timedelta(0):
        raise ValueError("step must be positive")
    count = int((end - start) / step) + 1
    if count > MAX_STEPS:
        raise ValueError(f"{count} instants from start to end by step; at most {MAX_STEPS}")
    return [(start + i * step, efficiency_at(twin, start + i * step)) for i in range(count)]
