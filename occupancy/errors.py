"""Errors of leasing commands: each carries a message for the person who sent the command,
its :attr:`~assets.events.DomainError.kind` and details that name what is wrong."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from assets.events import DomainError


class LeasingError(DomainError):
    """Base of the leasing errors; ``details`` name what is wrong."""


class LeasingInvalid(LeasingError):
    """A command whose values break a rule on their own, naming the field."""

    kind = "invalid"

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")

    @property
    def details(self) -> dict[str, Any]:
        return {"errors": [{"field": self.field, "message": self.message}]}


class LeasingNotFound(LeasingError):
    """A hold, lease, tenant, building or floor that does not exist."""

    kind = "not_found"


class LeasingRefused(LeasingError):
    """A command the current state refuses, e.g. starting a lease in a building not in use
    or signing an expired hold."""

    kind = "conflict"


@dataclass(frozen=True)
class Clash:
    """A booking in the way: ``ref`` is the hold or lease id, ``kind`` ``hold`` or ``lease``."""

    space: str
    ref: str
    kind: str
    start: str
    end: str


class BookingConflict(LeasingRefused):
    """Spaces already held or leased for an overlapping period (naming them)."""

    def __init__(self, clashes: list[Clash]) -> None:
        self.clashes = clashes
        refs = sorted({f"{c.kind} {c.ref}" for c in clashes})
        spaces = sorted({c.space for c in clashes})
        shown = ", ".join(spaces[:5]) + (f" and {len(spaces) - 5} more" if len(spaces) > 5 else "")
        super().__init__(
            f"{shown} {'is' if len(spaces) == 1 else 'are'} already taken for an overlapping "
            f"period by {', '.join(refs)}"
        )

    @property
    def details(self) -> dict[str, Any]:
        return {"conflicts": [asdict(c) for c in self.clashes]}


class UnusualRent(LeasingRefused):
    """A face rent far outside the building's range, not confirmed: asks for confirmation."""

    def __init__(self, message: str) -> None:
        super().__init__(message)

    @property
    def details(self) -> dict[str, Any]:
        return {
            "errors": [{"field": "terms.rent", "message": str(self)}],
            "confirm": "terms.confirm_unusual_rent",
        }
