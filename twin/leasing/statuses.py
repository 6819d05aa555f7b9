"""Every space's status at an instant, for staff (four statuses) or for the public (three)."""

from __future__ import annotations

from datetime import UTC, datetime

from occupancy.spaces import Space
from occupancy.status import NOT_READY, public_status, space_state
from twin.leasing.read import buildings_at, spaces_of
from twin.runtime import Twin


def statuses(
    twin: Twin, at: datetime, *, staff: bool, spaces: list[Space] | None = None
) -> dict[str, str]:
    """Space id -> status at ``at``: ``available``, ``held``, ``leased`` or ``not_ready`` for
    staff; ``available``, ``unavailable`` or ``not_ready`` for the public."""
    projection = twin.fresh()
    ready = buildings_at(projection, twin, at)
    booked = projection.all_at(at, "space:")
    now = datetime.now(UTC)
    chosen = spaces if spaces is not None else list(spaces_of(twin, at).spaces.values())
    out: dict[str, str] = {}
    for s in chosen:
        state = booked.get(s.stream, {})
        r = ready.get(s.building, NOT_READY)
        out[s.id] = space_state(state, at, r).status if staff else public_status(state, at, now, r)
    return out
