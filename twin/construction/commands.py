"""Construction commands through :func:`twin.commands.run_command`: decided on the stream's
latest state, appended with the version they were decided on, recorded with the actor."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from assets.construction.catalogue import entity as find_entity
from assets.construction.commands import Command, decide
from assets.events import DomainEvent
from assets.history import State
from twin.commands import run_command
from twin.eventlog import RecordedEvent
from twin.runtime import Twin


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

    def decision(states: Mapping[str, State], at: datetime) -> list[DomainEvent]:
        return decide(target, command, states[target.stream], at)

    return run_command(
        twin.store,
        twin.projection,
        [target.stream],
        decision,
        actor=actor,
        idempotency_key=idempotency_key,
        if_versions=None if if_version is None else {target.stream: if_version},
        now=now or datetime.now(UTC),
    )
