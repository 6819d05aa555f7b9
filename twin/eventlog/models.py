"""Value objects of the event log: an event to append and an event as recorded."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


def utc(value: datetime, name: str = "datetime") -> datetime:
    """Return an aware datetime converted to UTC.

    Parameters
    ----------
    value : datetime
        An aware datetime (any offset).
    name : str
        What the value is, for the error message.

    Raises
    ------
    ValueError
        If ``value`` is naive: the log never guesses a time zone.
    """
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{name} {value.isoformat()} is naive: give a time zone "
            "(e.g. datetime(..., tzinfo=UTC) or +08:00 for Shanghai)"
        )
    return value.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event to append to a stream.

    Parameters
    ----------
    type : str
        Event type, e.g. ``"LeaseSigned"``.
    data : Mapping[str, Any]
        JSON-serialisable payload.
    effective_at : datetime
        When the change takes effect; must be aware, stored as UTC.
    actor : str
        Who caused it (user, token or importer name).
    idempotency_key : str or None
        Makes retries safe: a key already in the log turns the append into a replay.
    """

    type: str
    data: Mapping[str, Any]
    effective_at: datetime
    actor: str
    idempotency_key: str | None = field(default=None)

    def __post_init__(self) -> None:
        if not isinstance(self.type, str) or not self.type:
            raise ValueError("event type must be a non-empty string")
        if not isinstance(self.actor, str) or not self.actor:
            raise ValueError(f"event {self.type!r}: actor must be a non-empty string")
        if self.idempotency_key is not None and (
            not isinstance(self.idempotency_key, str) or not self.idempotency_key
        ):
            raise ValueError(f"event {self.type!r}: idempotency_key must be None or non-empty")
        if not isinstance(self.data, Mapping):
            raise ValueError(f"event {self.type!r}: data must be a mapping (a JSON object)")
        try:
            json.dumps(self.data, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"event {self.type!r}: data is not JSON-serialisable: {exc}") from exc
        object.__setattr__(self, "effective_at", utc(self.effective_at, "effective_at"))


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    """An event as the log holds it.

    Attributes
    ----------
    seq : int
        Global sequence number (1-based, increasing in commit order).
    stream : str
        The entity the event changes, e.g. ``"unit:fish-head-t1/L12/U03"``.
    version : int
        1-based position within the stream.
    type : str
        Event type.
    data : dict
        JSON payload.
    effective_at : datetime
        When the change takes effect (aware, UTC).
    recorded_at : datetime
        When the log recorded it (aware, UTC).
    actor : str
        Who caused it.
    idempotency_key : str or None
        The key the event was written with, if any.
    """

    seq: int
    stream: str
    version: int
    type: str
    data: dict[str, Any]
    effective_at: datetime
    recorded_at: datetime
    actor: str
    idempotency_key: str | None
