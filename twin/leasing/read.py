"""Reading the leasing state of a running twin at an instant."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import date, datetime
from functools import partial

from assets.facilities import racks_with_2n
from assets.history import State, local_day
from occupancy.agreements import HOLD_PREFIX, LEASE_PREFIX, Agreement, agreement_of
from occupancy.availability import Availability, AvailabilityQuery, search
from occupancy.spaces import SpaceCatalog
from occupancy.status import Readiness, readiness
from occupancy.tenants import Tenant, tenant_of
from twin import heap
from twin.derived import Derived, facility_topology, space_catalog
from twin.facilities.capacity import offered_statuses, row_headroom
from twin.projection import Projection
from twin.runtime import Twin


def spaces_of(twin: Twin, at: datetime | None = None) -> SpaceCatalog:
    """The leasable spaces of the campus as built at ``at`` (None: now), built once per
    geometry version."""
    return twin.derived(at).get(space_catalog)


def buildings_at(
    projection: Projection, twin: Twin, at: datetime, only: str | None = None
) -> dict[str, Readiness]:
    """Each building's readiness at ``at`` (``only`` that building's, when named)."""
    day = date.fromisoformat(local_day(at))
    return {
        b: readiness(projection.stream_at(f"building:{b}", at), day)
        for b in twin.campus_at(at).buildings
        if only is None or b == only
    }


def in_use_at(projection: Projection, twin: Twin, at: datetime) -> dict[str, bool]:
    return {b: r.in_use for b, r in buildings_at(projection, twin, at).items()}


def racks_on_two_n(twin: Twin, at: datetime) -> frozenset[str]:
    """Ids of the racks fed by both external feeds at ``at``, on the campus as built then.

    Plant still planned or under construction counts as designed (what a pre-lease buys);
    plant in service counts as it is: a feed in fault or offline takes 2N away from the racks
    it fed (:func:`assets.facilities.racks_with_2n` over
    :func:`twin.facilities.capacity.offered_statuses`).
    """
    derived = twin.derived(at)
    plant = derived.get(facility_topology)
    fed = {plant.facilities[f].space for f in racks_with_2n(plant, offered_statuses(twin, at))}
    return frozenset(r for r in derived.get(_racks) if r.rsplit("/", 1)[0] in fed)


def _racks(derived: Derived) -> tuple[str, ...]:
    """Ids of every rack position (``data-centre/H1/R03/K12``)."""
    spaces = derived.get(space_catalog).spaces.values()
    return tuple(s.id for s in spaces if s.kind == "rack")


def _rack_buildings(derived: Derived) -> frozenset[str]:
    """The buildings holding rack positions."""
    return frozenset(r.split("/", 1)[0] for r in derived.get(_racks))


def space_states(twin: Twin, at: datetime) -> dict[str, State]:
    """Every booked space's stream state at ``at`` (``space:<id>`` -> state)."""
    return twin.state_at(at, "space:")


def availability(twin: Twin, at: datetime, query: AvailabilityQuery) -> Availability:
    """The availability search at ``at``, searched afresh."""
    projection = twin.fresh()
    return _search(twin, projection, spaces_of(twin, at), at, query)[0]


def cached_availability(twin: Twin, at: datetime, query: AvailabilityQuery) -> Availability:
    """:func:`availability`, reusing a recent answer while it provably still holds (same log,
    no event taking effect in between, same campus day, no hold lapsing in between: see
    :mod:`twin.leasing.availability_cache`). What the API answers with."""
    projection = twin.fresh()
    derived = twin.derived(at)
    spaces = derived.get(space_catalog)
    found = twin.availability_answers.get(projection, spaces, at, query, partial(_search, twin))
    _settle_once(derived)
    return found


def kept_availability(twin: Twin, at: datetime, query: AvailabilityQuery) -> Availability | None:
    """The answer :func:`cached_availability` would reuse, or None when it would search.

    Never searches, so an event loop may call it; like every read it first catches the
    projection up with the log when that is due (every 0.1 s: one query, and the fold of any
    new events)."""
    projection = twin.fresh()
    derived = twin.derived(at)
    if not derived.get(_settled).is_set():
        return None
    return twin.availability_answers.kept(projection, derived.get(space_catalog), at, query)


def _settled(derived: Derived) -> threading.Event:
    """Set once the version's space catalogue is frozen out of the collector's way."""
    return threading.Event()


def _settle_once(derived: Derived) -> None:
    """Freeze the catalogue (and its index arrays, built by the first search) out of the
    collector's way, once per campus version: it lives as long as its version
    (:mod:`twin.heap`)."""
    settled = derived.get(_settled)
    if not settled.is_set():
        settled.set()
        heap.settle()


def _search(
    twin: Twin,
    projection: Projection,
    spaces: SpaceCatalog,
    at: datetime,
    query: AvailabilityQuery,
) -> tuple[Availability, dict[str, State]]:
    """The search at ``at`` and the space states it read."""
    states = projection.all_at(at, "space:")
    headroom = row_headroom(twin, at) if query.kw_per_rack is not None else None
    found = search(
        spaces,
        states,
        buildings_at(projection, twin, at, query.building),  # a building's spaces need its own
        at,
        query,
        racks_on_two_n(twin, at) if _may_select_racks(twin, at, query) else frozenset(),
        headroom,
    )
    return found, states


def _may_select_racks(twin: Twin, at: datetime, query: AvailabilityQuery) -> bool:
    """Whether ``query`` can match a rack: else which racks have 2N (the power graph at
    ``at``, about 5 ms) is not worked out for it."""
    if query.kind == "office":
        return False
    return query.building is None or query.building in twin.derived(at).get(_rack_buildings)


def agreements(twin: Twin, at: datetime, kind: str) -> list[Agreement]:
    """Holds (``kind="hold"``) or leases recorded by ``at``, as they stand at ``at``."""
    prefix = HOLD_PREFIX if kind == "hold" else LEASE_PREFIX
    found = (agreement_of(s, at) for s in twin.state_at(at, prefix).values())
    return sorted((a for a in found if a is not None), key=lambda a: (a.recorded_on, a.id))


def agreement(twin: Twin, kind: str, agreement_id: str, at: datetime) -> Agreement | None:
    prefix = HOLD_PREFIX if kind == "hold" else LEASE_PREFIX
    state = twin.fresh().stream_at(f"{prefix}{agreement_id}", at)
    found = agreement_of(state, at)
    return found if found is not None and found.kind == kind else None


def tenants_at(twin: Twin, at: datetime) -> list[Tenant]:
    """Tenants registered by ``at``."""
    states: Mapping[str, State] = twin.state_at(at, "tenant:")
    found = (tenant_of(name.removeprefix("tenant:"), s) for name, s in states.items())
    return sorted((t for t in found if t is not None), key=lambda t: t.id)
