"""Holds and leases as agreements: their own streams ``hold:<id>`` and ``lease:<id>``.

An agreement's stream records its life (placed, signed, started, released, terminated); the
spaces' streams record what each space is booked for (:mod:`occupancy.bookings`). A command
writes both in one transaction, so they always agree.

Status of a hold: ``held`` (until ``expires_at``), ``expired``, ``released`` or ``signed``.
Status of a lease: ``signed``, ``active`` (started) or ``terminated``; an amendment changes
its end or money terms, never its status. A lease carries its
terms (:mod:`occupancy.terms`); a hold may carry proposed ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from assets.history import Reducer, State
from occupancy.terms import LeaseTerms, terms_of

HOLD_PREFIX = "hold:"
LEASE_PREFIX = "lease:"


def hold_stream(hold_id: str) -> str:
    return f"{HOLD_PREFIX}{hold_id}"


def lease_stream(lease_id: str) -> str:
    return f"{LEASE_PREFIX}{lease_id}"


@dataclass(frozen=True)
class Agreement:
    """A hold or a lease, as its stream describes it at some instant."""

    id: str
    kind: str  # "hold" or "lease"
    status: str
    tenant: str
    spaces: tuple[str, ...]
    start: date
    end: date
    expires_at: datetime | None
    pre_lease: bool
    terms: LeaseTerms | None
    """A lease's terms, or a hold's proposal (None: none recorded)."""
    hold: str | None
    lease: str | None
    recorded_on: str
    started_on: str | None
    terminated_on: str | None
    provenance: str


def agreement_of(state: State, now: datetime) -> Agreement | None:
    """The agreement a hold or lease stream's state describes at ``now`` (None: no such)."""
    if "kind" not in state:
        return None
    expires = state.get("expires_at")
    expires_at = datetime.fromisoformat(expires) if expires else None
    status = state["status"]
    if status == "held" and expires_at is not None and now >= expires_at:
        status = "expired"
    return Agreement(
        id=state["id"],
        kind=state["kind"],
        status=status,
        tenant=state["tenant"],
        spaces=tuple(state["spaces"]),
        start=date.fromisoformat(state["start"]),
        end=date.fromisoformat(state["end"]),
        expires_at=expires_at,
        pre_lease=bool(state.get("pre_lease", False)),
        terms=terms_of(state.get("terms")),
        hold=state.get("hold"),
        lease=state.get("lease"),
        recorded_on=state["recorded_on"],
        started_on=state.get("started_on"),
        terminated_on=state.get("terminated_on"),
        provenance=state.get("provenance", "recorded"),
    )


def _terms(data: Mapping[str, Any], at: datetime) -> State:
    return {
        "tenant": data["tenant"],
        "spaces": list(data["spaces"]),
        "start": data["start"],
        "end": data["end"],
        "recorded_on": at.isoformat(),
        "provenance": data.get("provenance", "recorded"),
    }


def hold_placed(state: State, data: Mapping[str, Any], at: datetime) -> State:
    return {
        **_terms(data, at),
        "id": data["hold"],
        "kind": "hold",
        "status": "held",
        "expires_at": data["expires_at"],
        "terms": data.get("terms"),
    }


def hold_terms_proposed(state: State, data: Mapping[str, Any], at: datetime) -> State:
    return {**state, "terms": data["terms"]}


def hold_released(state: State, data: Mapping[str, Any], at: datetime) -> State:
    return {**state, "status": "released", "released_on": at.isoformat()}


def hold_signed(state: State, data: Mapping[str, Any], at: datetime) -> State:
    return {**state, "status": "signed", "lease": data["lease"]}


def lease_signed(state: State, data: Mapping[str, Any], at: datetime) -> State:
    return {
        **_terms(data, at),
        "id": data["lease"],
        "kind": "lease",
        "status": "signed",
        "pre_lease": bool(data.get("pre_lease", False)),
        "terms": data.get("terms"),
        "hold": data.get("hold"),
    }


def lease_started(state: State, data: Mapping[str, Any], at: datetime) -> State:
    return {**state, "status": "active", "started_on": data["on"]}


def lease_terminated(state: State, data: Mapping[str, Any], at: datetime) -> State:
    return {**state, "status": "terminated", "terminated_on": data["on"], "end": data["end"]}


def lease_amended(state: State, data: Mapping[str, Any], at: datetime) -> State:
    return {**state, "end": data["end"], "terms": data["terms"], "amended_on": at.isoformat()}


REDUCERS: dict[str, Reducer] = {
    "HoldPlaced": hold_placed,
    "HoldTermsProposed": hold_terms_proposed,
    "HoldReleased": hold_released,
    "HoldSigned": hold_signed,
    "LeaseSigned": lease_signed,
    "LeaseStarted": lease_started,
    "LeaseTerminated": lease_terminated,
    "LeaseAmended": lease_amended,
}
