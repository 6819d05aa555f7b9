"""Loading the campus's history into an empty log, once."""

from __future__ import annotations

from itertools import groupby

from assets.campus import Campus
from assets.construction.genesis import works_genesis_events
from assets.events import DomainEvent
from assets.facilities import build_topology
from assets.facilities.genesis import facility_genesis_events
from assets.genesis import genesis_events
from occupancy.genesis import genesis_events as leasing_genesis_events
from twin.commands import to_new_events
from twin.eventlog import EventStore, VersionConflict

ACTOR = "genesis"


def ensure_genesis(store: EventStore, campus: Campus) -> int:
    """Append the genesis history if the log is empty; returns the events written.

    Safe when several processes start at once on one database: one writes, the others see
    a conflict and leave the log as it is.
    """
    if store.head() > 0:
        return 0
    events = genesis_events(campus) + works_genesis_events(campus)
    events += leasing_genesis_events(campus)
    events += facility_genesis_events(build_topology(campus))
    events = [e for e in events if _cites_carried_facts(e, campus)]
    ordered = sorted(events, key=lambda e: e.stream)  # stable: keeps time order per stream
    batches = [
        (stream, 0, to_new_events(list(group), ACTOR, None))
        for stream, group in groupby(ordered, key=lambda e: e.stream)
    ]
    if not batches:  # a dataset that cites no published fact has no history to load
        return 0
    try:
        return len(store.append_streams(batches))
    except VersionConflict:
        return 0


def _cites_carried_facts(event: DomainEvent, campus: Campus) -> bool:
    """Whether every fact the event is reconstructed from is in the dataset's facts: the
    Flying Fish history is not written into a dataset that does not carry its facts (a
    synthetic campus from ``twin synth`` cites none)."""
    return all(fact in campus.facts for fact in event.data.get("facts", ()))
