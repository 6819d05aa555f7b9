"""Domain events: what the pure decision functions return, before the log records them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal


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


ErrorKind = Literal["invalid", "refused", "not_found", "conflict", "precondition"]
"""What sort of refusal a :class:`DomainError` is (the API picks the answer's status from it):
``invalid`` values that break a rule on their own, ``refused`` a change the rules refuse,
``not_found`` a name of nothing, ``conflict`` a change the current state refuses (something in
the way, or changed meanwhile), ``precondition`` not the version the caller saw."""


class DomainError(ValueError):
    """A command the campus refuses, with a message for the person who sent it.

    Subclasses set :attr:`kind` and may add :attr:`details` (extra members of the answer)."""

    kind: ErrorKind = "invalid"

    @property
    def details(self) -> dict[str, Any]:
        """Facts that name what is wrong, e.g. the field or the bookings in the way."""
        return {}
