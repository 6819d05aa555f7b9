"""Bookings of one space: the holds and leases recorded on its stream ``space:<id>``.

A booking covers the half-open period ``[start, end)`` of campus-local dates. A hold blocks
its period until it is released, signed into a lease, or reaches ``expires_at`` (an instant:
nothing has to happen for it to lapse). A lease blocks its period; terminating it moves its
end earlier. The rule the ledger keeps: no two blocking bookings of one space overlap.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from assets.history import Reducer, State
from occupancy.errors import Clash


@dataclass(frozen=True)
class Booking:
    """A hold or lease on one space, as its stream's state holds it."""

    ref: str
    kind: str  # "hold" or "lease"
    tenant: str
    start: date
    end: date
    expires_at: datetime | None = None
    released: bool = False
    pre_lease: bool = False

    def blocks(self, now: datetime) -> bool:
        """Whether the booking still takes its period at instant ``now``."""
        if self.kind == "hold":
            return not self.released and self.expires_at is not None and now < self.expires_at
        return self.end > self.start

    def overlaps(self, start: date, end: date) -> bool:
        """Whether ``[start, end)`` meets the booking's period."""
        return self.start < end and start < self.end

    def clash(self, space: str) -> Clash:
        return Clash(space, self.ref, self.kind, self.start.isoformat(), self.end.isoformat())


def _booking(ref: str, raw: Mapping[str, Any]) -> Booking:
    expires = raw.get("expires_at")
    return Booking(
        ref=ref,
        kind=raw["kind"],
        tenant=raw["tenant"],
        start=date.fromisoformat(raw["start"]),
        end=date.fromisoformat(raw["end"]),
        expires_at=datetime.fromisoformat(expires) if expires else None,
        released=bool(raw.get("released", False)),
        pre_lease=bool(raw.get("pre_lease", False)),
    )


def bookings(state: State) -> Iterator[Booking]:
    """Every booking a space's state records (blocking or not)."""
    for ref, raw in state.get("bookings", {}).items():
        yield _booking(ref, raw)


def blocking(state: State, now: datetime) -> list[Booking]:
    """The bookings that still take their period at ``now``."""
    return [b for b in bookings(state) if b.blocks(now)]


def clashes(
    space: str,
    state: State,
    start: date,
    end: date,
    now: datetime,
    ignore: frozenset[str] = frozenset(),
) -> list[Clash]:
    """The blocking bookings of ``space`` that overlap ``[start, end)`` at ``now``."""
    return [
        b.clash(space)
        for b in blocking(state, now)
        if b.ref not in ignore and b.overlaps(start, end)
    ]


# -- reducers of ``space:<id>`` ----------------------------------------------------------------


def _with(state: State, ref: str, values: Mapping[str, Any]) -> State:
    table = dict(state.get("bookings", {}))
    table[ref] = {**table.get(ref, {}), **values}
    return {**state, "bookings": table}


def space_held(state: State, data: Mapping[str, Any], at: datetime) -> State:
    return _with(
        state,
        data["hold"],
        {
            "kind": "hold",
            "tenant": data["tenant"],
            "start": data["start"],
            "end": data["end"],
            "expires_at": datetime.fromisoformat(data["expires_at"])
            .astimezone(UTC)
            .isoformat(timespec="microseconds"),
            "released": False,
        },
    )


def space_leased(state: State, data: Mapping[str, Any], at: datetime) -> State:
    out = _with(
        state,
        data["lease"],
        {
            "kind": "lease",
            "tenant": data["tenant"],
            "start": data["start"],
            "end": data["end"],
            "pre_lease": bool(data.get("pre_lease", False)),
        },
    )
    if data.get("hold") and data["hold"] in out.get("bookings", {}):
        out = _with(out, data["hold"], {"released": True})
    return out


def space_released(state: State, data: Mapping[str, Any], at: datetime) -> State:
    if data["hold"] not in state.get("bookings", {}):
        return state
    return _with(state, data["hold"], {"released": True})


def space_lease_ended(state: State, data: Mapping[str, Any], at: datetime) -> State:
    if data["lease"] not in state.get("bookings", {}):
        return state
    return _with(state, data["lease"], {"end": data["end"]})


REDUCERS: dict[str, Reducer] = {
    "SpaceHeld": space_held,
    "SpaceLeased": space_leased,
    "SpaceReleased": space_released,
    "SpaceLeaseEnded": space_lease_ended,
    "SpaceLeaseAmended": space_lease_ended,  # a lease's new end (an extension or not)
}
