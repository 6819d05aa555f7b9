"""A space's status at an instant: ``available``, ``held``, ``leased`` or ``not_ready``.

- ``leased``: a lease takes the space now or from a later date (signed, not yet ended);
- ``held``: otherwise, a live hold takes it now or later;
- ``not_ready``: otherwise, its building is not in use yet (it can still be pre-let);
- ``available``: free, in a building in use.

The public sees less (:func:`public_status`): whether a space is free (``available``),
taken (``unavailable``: held or let, never which) or ``not_ready``; and it cannot look into
the future of bookings, so lease end dates cannot be read off a future ``at=``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal, NamedTuple

from assets.construction.forecast import building_ready_on
from assets.history import State, local_day

Status = Literal["available", "held", "leased", "not_ready"]
STATUSES: tuple[Status, ...] = ("available", "held", "leased", "not_ready")
PublicStatus = Literal["available", "unavailable", "not_ready"]
PUBLIC_STATUSES: tuple[PublicStatus, ...] = ("available", "unavailable", "not_ready")


@dataclass(frozen=True)
class Readiness:
    """Whether a building is in use at an instant, and the day it entered use or, from the
    construction forecast, will (None when no plan says)."""

    in_use: bool
    ready_on: date | None

    def ready_by(self, day: date) -> bool:
        return self.in_use or (self.ready_on is not None and self.ready_on <= day)


NOT_READY = Readiness(False, None)


def readiness(building_state: State, on: date | None = None) -> Readiness:
    """A building's readiness from its stream's state (stages of :mod:`assets.history`), on
    the day ``on`` (default: whatever the state records as begun).

    Not yet in use, its ``ready_on`` is the construction forecast's start of use as known on
    ``on`` (:func:`assets.construction.forecast.ready_on`), never a planned date that has
    passed; without ``on``, the planned start of use.
    """
    stage = building_state.get("stages", {}).get("in_use", {})
    started = stage.get("actual_start")
    if started and (on is None or date.fromisoformat(started) <= on):
        return Readiness(True, date.fromisoformat(started))
    if on is not None:
        return Readiness(False, building_ready_on(building_state, on))
    planned = stage.get("planned_start")
    return Readiness(False, date.fromisoformat(planned) if planned else None)


class SpaceState(NamedTuple):
    """What a space is at an instant: its status and the first day from which no booking
    takes it (``free_from``: today when nothing does)."""

    status: Status
    free_from: date


def utc_text(at: datetime) -> str:
    """An aware instant as fixed-width UTC ISO text: such texts sort as the instants do."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def space_state(
    state: State, at: datetime, ready: Readiness, day: date | None = None
) -> SpaceState:
    """The status of a space whose stream is in ``state`` at ``at`` (``day``: the campus-local
    date of ``at``, when the caller has it already)."""
    day = day or date.fromisoformat(local_day(at))
    return classify(state, day.isoformat(), utc_text(at), ready, day)


def classify(state: State, today: str, now: str, ready: Readiness, day: date) -> SpaceState:
    """:func:`space_state` on text: ``today`` an ISO date, ``now`` a :func:`utc_text`.

    Reads the stream's raw bookings (ISO dates and UTC expiries compare as text): the
    availability search calls this for every space.
    """
    table = state.get("bookings") if state else None
    if not table:
        return SpaceState("available" if ready.in_use else "not_ready", day)
    free, lease, hold = today, False, False
    for raw in table.values():
        end = raw["end"]
        if end <= today:
            continue
        if raw["kind"] == "hold":
            if raw.get("released") or now >= raw["expires_at"]:
                continue
            hold = True
        elif end <= raw["start"]:
            continue
        else:
            lease = True
        free = max(free, end)
    free_from = day if free == today else date.fromisoformat(free)
    if lease:
        return SpaceState("leased", free_from)
    if hold:
        return SpaceState("held", free_from)
    return SpaceState("available" if ready.in_use else "not_ready", free_from)


def public_status(state: State, at: datetime, now: datetime, ready: Readiness) -> PublicStatus:
    """What the public may know of a space at ``at``: bookings are judged as of no later than
    ``now``, so a future ``at`` shows today's answer for them."""
    seen = space_state(state, min(at, now), ready)
    if seen.status in ("held", "leased"):
        return "unavailable"
    return "available" if ready.in_use else "not_ready"
