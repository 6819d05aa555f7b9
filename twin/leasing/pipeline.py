"""The deal pipeline of a running twin: prospects' steps as commands, their state, matching
spaces and the funnel at an instant."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime

from assets.events import DomainEvent
from assets.history import State
from occupancy import ledger, pipeline, tenants
from occupancy.agreements import agreement_of, hold_stream, lease_stream
from occupancy.availability import Availability, AvailabilityQuery, with_matches
from occupancy.errors import LeasingNotFound
from occupancy.pipeline import PROSPECT_PREFIX, Prospect, Requirement, prospect_of, prospect_stream
from occupancy.spaces import stream_of
from occupancy.terms import LeaseTerms
from twin.leasing.commands import check_rent, execute_many, new_id
from twin.leasing.read import availability, in_use_at, spaces_of
from twin.runtime import Twin


def register(
    twin: Twin,
    prospect_id: str,
    company: str,
    contact: Mapping[str, str | None],
    requirement: Requirement,
    *,
    actor: str,
) -> None:
    """Record a new prospect at its enquiry."""
    stream, tenant = prospect_stream(prospect_id), tenants.stream_of(prospect_id)

    def decide(states: Mapping[str, State], now: datetime) -> list[DomainEvent]:
        return pipeline.register(
            states[stream],
            states[tenant],
            prospect_id,
            company,
            contact,
            requirement,
            by=actor,
            now=now,
        )

    execute_many(twin, [stream, tenant], decide, actor=actor)


def advance(
    twin: Twin, prospect_id: str, stage: str, *, actor: str, note: str | None, hold: str | None
) -> None:
    """Move a prospect on to ``stage``."""
    stream = prospect_stream(prospect_id)

    def decide(states: Mapping[str, State], now: datetime) -> list[DomainEvent]:
        found = prospect_of(states[stream])
        return pipeline.advance(prospect_id, found, stage, by=actor, now=now, note=note, hold=hold)

    execute_many(twin, [stream], decide, actor=actor)


def lose(twin: Twin, prospect_id: str, reason: str, *, actor: str) -> None:
    """Close a prospect's deal as lost."""
    stream = prospect_stream(prospect_id)

    def decide(states: Mapping[str, State], now: datetime) -> list[DomainEvent]:
        return pipeline.lose(prospect_id, prospect_of(states[stream]), reason, by=actor, now=now)

    execute_many(twin, [stream], decide, actor=actor)


def sign(
    twin: Twin,
    prospect_id: str,
    *,
    name: tuple[str, str],
    category: str,
    head_enterprise: bool,
    public: bool,
    hold_id: str | None,
    terms: ledger.Terms | None,
    money: LeaseTerms | None,
    pre_lease: bool,
    actor: str,
    confirmed: bool = False,
) -> str:
    """The prospect signs: in one transaction it is registered as the tenant of its id, the
    lease is signed (on its hold, or on ``terms``) and its deal closes as signed. Returns the
    lease id."""
    lease_id = new_id("lease")
    stream, tenant = prospect_stream(prospect_id), tenants.stream_of(prospect_id)
    if hold_id is not None:
        found = agreement_of(twin.fresh().latest(hold_stream(hold_id))[0], datetime.now(UTC))
        if found is None:
            raise LeasingNotFound(f"no hold {hold_id!r}")
        terms = ledger.Terms(found.spaces, found.tenant, found.start, found.end)
    if terms is None or terms.tenant != prospect_id:
        raise LeasingNotFound(f"no hold {hold_id!r} of prospect {prospect_id!r}")
    check_rent(twin, money, terms.spaces, confirmed)
    chosen = terms
    streams = [lease_stream(lease_id), stream, tenant, *(stream_of(s) for s in chosen.spaces)]
    if hold_id is not None:
        streams.append(hold_stream(hold_id))

    def decide(states: Mapping[str, State], now: datetime) -> list[DomainEvent]:
        closing = pipeline.signed(
            prospect_id, prospect_of(states[stream]), lease_id, by=actor, now=now
        )
        joined = tenants.register(
            states[tenant], prospect_id, name[0], name[1], category, head_enterprise, public, now
        )
        registered = tenants.tenant_registered({}, joined[0].data, now)
        hold = agreement_of(states[hold_stream(hold_id)], now) if hold_id else None
        lease = ledger.sign_lease(
            lease_id,
            chosen,
            pre_lease=pre_lease,
            money=money,
            hold=hold,
            catalog=spaces_of(twin),
            spaces=states,
            tenant=registered,
            in_use=in_use_at(twin.projection, twin, now),
            now=now,
        )
        return [*joined, *lease, *closing]

    execute_many(twin, streams, decide, actor=actor)
    return lease_id


def prospects_at(twin: Twin, at: datetime) -> list[Prospect]:
    """Prospects registered by ``at``, as they stood then, oldest enquiry first."""
    found = (prospect_of(s) for s in twin.state_at(at, PROSPECT_PREFIX).values())
    return sorted((p for p in found if p is not None), key=lambda p: (p.enquired, p.id))


def prospect(twin: Twin, prospect_id: str, at: datetime) -> Prospect:
    found = prospect_of(twin.fresh().stream_at(prospect_stream(prospect_id), at))
    if found is None:
        raise LeasingNotFound(f"no prospect {prospect_id!r}")
    return found


def matching_query(req: Requirement, on: date | None) -> AvailabilityQuery:
    """The availability search for a requirement: offices in a contiguous block of at least
    the area asked, or racks in a hall offering at least the racks asked; free (and ready, or
    planned to be) on ``on`` (None: the day asked about)."""
    if req.kind == "office":
        return AvailabilityQuery(
            kind="office", min_contiguous_m2=req.area_m2, available_from=on, sort="block"
        )
    return AvailabilityQuery(kind="rack", min_racks=req.racks, available_from=on, sort="block")


def matches(twin: Twin, found: Prospect, at: datetime) -> tuple[Availability, Availability]:
    """Spaces that fit a prospect's requirement now (free and ready at ``at``) and on its
    ready-by day (free then, and ready or planned to be)."""
    req = found.requirement
    today = availability(twin, at, matching_query(req, None))
    now = with_matches([m for m in today.matches if m.status == "available"], today.day)
    ready = availability(twin, at, matching_query(req, req.ready_by))
    return now, ready
