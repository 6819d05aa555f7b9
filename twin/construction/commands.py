"""Construction commands through the service layer: decided on the stream's latest state,
appended with the version they were decided on, recorded with the actor."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from assets.construction.catalogue import entity as find_entity
from assets.construction.commands import Command, decide
from assets.events import DomainEvent
from twin.eventlog import RecordedEvent
from twin.runtime import Twin
from twin.service import execute


def run(
    twin: Twin,
    entity_id: str,
    command: Command,
    *,
    actor: str,
    idempotency_key: str | None = None,
    now: datetime | None = None,
    if_version: int | None = None,
) -> list[RecordedEvent]:
    """Decide ``command`` on building or work package ``entity_id`` and append its events.

    A retry with a recorded ``idempotency_key`` returns the events first recorded under it.

    Raises
    ------
    ConstructionError
        When the command is refused (nothing is written).
    VersionConflict
        When someone else wrote to the stream between the decision and the append.
    """
    target = find_entity(twin.campus, entity_id)
    if idempotency_key is not None:
        replay = _replay(twin, target.stream, idempotency_key)
        if replay:
            return replay
    moment = now or datetime.now(UTC)

    def decision(state: dict[str, Any]) -> list[DomainEvent]:
        return decide(target, command, state, moment)

    return execute(
        twin.store,
        twin.projection,
        target.stream,
        decision,
        actor=actor,
        idempotency_key=idempotency_key,
        if_version=if_version,
    )


def _replay(twin: Twin, stream: str, key: str) -> list[RecordedEvent]:
    """The events a retried command recorded under ``key`` (empty: not done yet).

    A retry is answered from the log, not decided again: deciding again on the new state
    would refuse it (a stage cannot start twice) although the first attempt succeeded.
    """
    return [
        e
        for e in twin.store.read_stream(stream)
        if e.idempotency_key is not None
        and (e.idempotency_key == key or e.idempotency_key.startswith(f"{key}#"))
    ]
