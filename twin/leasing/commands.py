"""Leasing commands: decided on the latest state, appended to every stream they touch in one
transaction, each at the version the decision read.

:func:`twin.commands.run_command` appends them with
:meth:`~twin.eventlog.EventStore.append_streams`, which checks every stream's version under
the log's write lock (SQLite ``BEGIN IMMEDIATE``, a PostgreSQL advisory lock) and writes all
or nothing, so across processes and hosts two holds decided on the same state of a space cannot both land.
The loser catches up and decides again: it now meets the winner's booking and is refused with
:class:`~occupancy.errors.BookingConflict` naming it, or, when the periods do not overlap, goes
through.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime

from assets.events import DomainEvent
from assets.history import State
from occupancy import ledger, tenants
from occupancy.agreements import agreement_of, hold_stream, lease_stream
from occupancy.errors import LeasingInvalid, LeasingNotFound, LeasingRefused, UnusualRent
from occupancy.pipeline import prospect_stream
from occupancy.rent_roll import rent_ranges, unusual_rent
from occupancy.spaces import stream_of
from occupancy.terms import LeaseTerms
from twin.commands import Decide, run_command
from twin.eventlog import RecordedEvent, VersionConflict
from twin.leasing.economics import roll
from twin.leasing.read import in_use_at, spaces_of
from twin.runtime import Twin

MAX_ATTEMPTS = 25
"""Decisions per command before giving up under contention (each after a version conflict)."""


def new_id(kind: str) -> str:
    """A fresh hold (``H-…``) or lease (``L-…``) id."""
    return f"{'H' if kind == 'hold' else 'L'}-{uuid.uuid4().hex[:10].upper()}"


def execute_many(
    twin: Twin, streams: Iterable[str], decide: Decide, *, actor: str
) -> list[RecordedEvent]:
    """Run a leasing command (:func:`~twin.commands.run_command`), deciding again after a
    version conflict up to :data:`MAX_ATTEMPTS` times."""
    try:
        return run_command(
            twin.store, twin.projection, streams, decide, actor=actor, retries=MAX_ATTEMPTS - 1
        )
    except VersionConflict:
        raise LeasingRefused("the spaces kept changing while this was decided; try again") from None


def check_rent(
    twin: Twin, money: LeaseTerms | None, spaces: Sequence[str], confirmed: bool
) -> None:
    """Refuse, asking for confirmation, a face rent far outside the range of the rents in force
    in the spaces' buildings (:func:`occupancy.rent_roll.unusual_rent`), unless ``confirmed``."""
    if money is None or confirmed:
        return
    cat = spaces_of(twin)
    buildings = {cat.spaces[s].building for s in spaces if s in cat.spaces}
    now = datetime.now(UTC)
    why = unusual_rent(money.rent, money.rent_unit, buildings, rent_ranges(roll(twin, now)))
    if why is not None:
        raise UnusualRent(why)


def _spaces(ids: Sequence[str]) -> list[str]:
    return [stream_of(s) for s in ids]


def register_tenant(
    twin: Twin,
    tenant_id: str,
    name: tuple[str, str],
    category: str,
    *,
    head_enterprise: bool,
    public: bool,
    actor: str,
) -> None:
    """Register a tenant; ``name`` is (Chinese, English)."""
    stream = tenants.stream_of(tenant_id)

    def decide(states: Mapping[str, State], now: datetime) -> list[DomainEvent]:
        return tenants.register(
            states[stream], tenant_id, name[0], name[1], category, head_enterprise, public, now
        )

    execute_many(twin, [stream], decide, actor=actor)


def holder_stream(twin: Twin, holder: str) -> str:
    """The stream of whoever holds: a registered tenant, else a prospect of that id."""
    registered = tenants.tenant_of(holder, twin.fresh().latest(tenants.stream_of(holder))[0])
    if registered is None and twin.projection.latest(prospect_stream(holder))[0]:
        return prospect_stream(holder)
    return tenants.stream_of(holder)


def place_hold(
    twin: Twin,
    terms: ledger.Terms,
    expires_at: datetime,
    *,
    actor: str,
    proposal: LeaseTerms | None = None,
    confirmed: bool = False,
) -> str:
    """Hold spaces (for a tenant or a prospect), with proposed terms if any; returns the new
    hold's id."""
    check_rent(twin, proposal, terms.spaces, confirmed)
    hold_id = new_id("hold")
    holder = holder_stream(twin, terms.tenant)
    streams = [hold_stream(hold_id), holder, *_spaces(terms.spaces)]

    def decide(states: Mapping[str, State], now: datetime) -> list[DomainEvent]:
        return ledger.place_hold(
            hold_id,
            terms,
            expires_at,
            catalog=spaces_of(twin),
            spaces=states,
            tenant=states[holder],
            now=now,
            proposal=proposal,
        )

    execute_many(twin, streams, decide, actor=actor)
    return hold_id


def propose_terms(
    twin: Twin, hold_id: str, money: LeaseTerms, *, actor: str, confirmed: bool = False
) -> None:
    """Put or revise the terms proposed on a live hold."""
    found = agreement_of(twin.fresh().latest(hold_stream(hold_id))[0], datetime.now(UTC))
    check_rent(twin, money, found.spaces if found else (), confirmed)

    def decide(states: Mapping[str, State], now: datetime) -> list[DomainEvent]:
        hold = agreement_of(states[hold_stream(hold_id)], now)
        return ledger.propose_terms(hold_id, hold, money, catalog=spaces_of(twin), now=now)

    execute_many(twin, [hold_stream(hold_id)], decide, actor=actor)


def sign_lease(
    twin: Twin,
    terms: ledger.Terms | None,
    *,
    hold_id: str | None,
    pre_lease: bool,
    money: LeaseTerms | None,
    actor: str,
    confirmed: bool = False,
) -> str:
    """Sign a lease on ``terms``, or on a hold's terms; returns the new lease's id."""
    lease_id = new_id("lease")
    if hold_id is not None:
        found = agreement_of(twin.fresh().latest(hold_stream(hold_id))[0], datetime.now(UTC))
        if found is None:
            raise LeasingNotFound(f"no hold {hold_id!r}")
        terms = ledger.Terms(found.spaces, found.tenant, found.start, found.end)
    if terms is None:
        raise LeasingInvalid("spaces", "name the spaces, tenant, start and end, or a hold")
    check_rent(twin, money, terms.spaces, confirmed)
    streams = [lease_stream(lease_id), tenants.stream_of(terms.tenant), *_spaces(terms.spaces)]
    if hold_id is not None:
        streams.append(hold_stream(hold_id))
    chosen = terms

    def decide(states: Mapping[str, State], now: datetime) -> list[DomainEvent]:
        hold = agreement_of(states[hold_stream(hold_id)], now) if hold_id else None
        return ledger.sign_lease(
            lease_id,
            chosen,
            pre_lease=pre_lease,
            money=money,
            hold=hold,
            catalog=spaces_of(twin),
            spaces=states,
            tenant=states[tenants.stream_of(chosen.tenant)],
            in_use=in_use_at(twin.projection, twin, now),
            now=now,
        )

    execute_many(twin, streams, decide, actor=actor)
    return lease_id


def _lease_streams(twin: Twin, lease_id: str) -> list[str]:
    found = agreement_of(twin.fresh().latest(lease_stream(lease_id))[0], datetime.now(UTC))
    if found is None or found.kind != "lease":
        raise LeasingNotFound(f"no lease {lease_id!r}")
    return [lease_stream(lease_id), *_spaces(found.spaces)]


def start_lease(twin: Twin, lease_id: str, *, actor: str) -> None:
    def decide(states: Mapping[str, State], now: datetime) -> list[DomainEvent]:
        return ledger.start_lease(
            lease_id,
            agreement_of(states[lease_stream(lease_id)], now),
            catalog=spaces_of(twin),
            in_use=in_use_at(twin.projection, twin, now),
            now=now,
        )

    execute_many(twin, _lease_streams(twin, lease_id), decide, actor=actor)


def terminate_lease(twin: Twin, lease_id: str, on: date, *, actor: str) -> None:
    def decide(states: Mapping[str, State], now: datetime) -> list[DomainEvent]:
        lease = agreement_of(states[lease_stream(lease_id)], now)
        return ledger.terminate_lease(lease_id, lease, on, now=now)

    execute_many(twin, _lease_streams(twin, lease_id), decide, actor=actor)


def release_hold(twin: Twin, hold_id: str, *, actor: str) -> None:
    found = agreement_of(twin.fresh().latest(hold_stream(hold_id))[0], datetime.now(UTC))
    if found is None:
        raise LeasingNotFound(f"no hold {hold_id!r}")

    def decide(states: Mapping[str, State], now: datetime) -> list[DomainEvent]:
        return ledger.release_hold(
            hold_id, agreement_of(states[hold_stream(hold_id)], now), now=now
        )

    execute_many(twin, [hold_stream(hold_id), *_spaces(found.spaces)], decide, actor=actor)
