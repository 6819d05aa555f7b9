"""Domain events: what the pure decision functions return, before the log records them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class DomainEvent:
    """A change to one entity's stream, effective at an aware ``effective_at``.

    ``stream`` names the entity, e.g. ``building:fish-head-t1``; ``type`` is past tense,
    e.g. ``StageCompleted``; ``data`` is a JSON object.
    """

    stream: str
    type: str
    effective_at: datetime
    data: Mapping[str, Any] = field(default_factory=dict)


class DomainError(ValueError):
    """A command the campus refuses, with a message for the person who sent it."""
