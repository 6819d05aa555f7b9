"""Helpers of the pure construction tests: fold events into states without a database."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from assets.campus import Campus
from assets.clock import end_of, start_of
from assets.construction.catalogue import Entity, entity
from assets.construction.commands import Command, decide
from assets.construction.genesis import works_genesis_events
from assets.events import DomainEvent
from assets.genesis import genesis_events
from assets.history import apply

State = dict[str, Any]


def d(text: str) -> date:
    return date.fromisoformat(text)


def noon(day: str) -> datetime:
    """Midday of a campus-local date: the ``now`` of a command decided that day."""
    return start_of(d(day)).replace(hour=12)


def fold(events: Iterable[DomainEvent], state: State | None = None) -> State:
    """The state after ``events`` (in effective order, stable), from ``state``."""
    out = dict(state or {})
    for e in sorted(events, key=lambda e: e.effective_at):
        out = apply(out, e.type, e.data, e.effective_at)
    return out


def genesis_states(campus: Campus, day: str) -> dict[str, State]:
    """Every stream's state at the end of ``day``, from the genesis history."""
    at = end_of(d(day))
    events = [
        e for e in genesis_events(campus) + works_genesis_events(campus) if e.effective_at <= at
    ]
    streams: dict[str, list[DomainEvent]] = {}
    for e in events:
        streams.setdefault(e.stream, []).append(e)
    return {s: fold(evs) for s, evs in streams.items()}


class Site:
    """One entity's stream, driven by commands as the service would (latest state)."""

    def __init__(self, campus: Campus, entity_id: str, state: State | None = None):
        self.entity: Entity = entity(campus, entity_id)
        self.state: State = dict(state or {})

    def do(self, command: Command, now: str) -> list[DomainEvent]:
        events = decide(self.entity, command, self.state, noon(now))
        self.state = fold(events, self.state)
        return events

    def plan(self, stage: str, start: str, end: str) -> None:
        event = DomainEvent(
            self.entity.stream,
            "StagePlanned",
            start_of(d("2020-01-01")),
            {"stage": stage, "planned_start": start, "planned_end": end},
        )
        self.state = fold([event], self.state)
