"""The lease ledger's decisions: pure functions from current states to events, or a refusal.

Each command returns events for several streams: the agreement's own (``hold:<id>`` or
``lease:<id>``) and every space it books (``space:<id>``). The caller appends them in one
transaction, each stream at the version it read, so two commands decided on the same state of a
space cannot both be written: the loser decides again and meets the winner's booking.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from assets.events import DomainEvent
from assets.history import State, local_day
from occupancy.agreements import Agreement, hold_stream, lease_stream
from occupancy.bookings import clashes
from occupancy.errors import BookingConflict, LeasingInvalid, LeasingNotFound, LeasingRefused
from occupancy.pipeline import OPEN_STAGES
from occupancy.spaces import SpaceCatalog, stream_of
from occupancy.tenants import tenant_of
from occupancy.terms import LeaseTerms, check_terms

MAX_SPACES = 500
"""Spaces one hold or lease may cover."""
MAX_HOLD = timedelta(days=180)
"""How far ahead a hold may expire."""
EARLIEST, LATEST = date(2019, 1, 1), date(2100, 12, 31)


@dataclass(frozen=True)
class Terms:
    """What a hold or lease books: spaces, for a tenant, over ``[start, end)``."""

    spaces: tuple[str, ...]
    tenant: str
    start: date
    end: date


def _check_terms(terms: Terms, catalog: SpaceCatalog, tenant: State) -> None:
    if not terms.spaces:
        raise LeasingInvalid("spaces", "name at least one space")
    if len(terms.spaces) > MAX_SPACES:
        raise LeasingInvalid("spaces", f"at most {MAX_SPACES} spaces per agreement")
    if len(set(terms.spaces)) != len(terms.spaces):
        raise LeasingInvalid("spaces", "a space is named twice")
    unknown = [s for s in terms.spaces if s not in catalog]
    if unknown:
        raise LeasingInvalid("spaces", f"no leasable space {', '.join(unknown[:5])}")
    if not terms.start < terms.end:
        raise LeasingInvalid("end", "the end must come after the start")
    if terms.start < EARLIEST or terms.end > LATEST:
        raise LeasingInvalid("start", f"the period must lie within {EARLIEST} .. {LATEST}")
    if tenant_of(terms.tenant, tenant) is None and tenant.get("stage") not in OPEN_STAGES:
        raise LeasingInvalid("tenant", f"no registered tenant or prospect {terms.tenant!r}")


def _check_money(money: LeaseTerms, terms: Terms, catalog: SpaceCatalog) -> None:
    kinds = {catalog.spaces[s].kind for s in terms.spaces}
    check_terms(money, kinds, terms.start, terms.end)


def _check_free(
    terms: Terms,
    spaces: Mapping[str, State],
    now: datetime,
    ignore: frozenset[str] = frozenset(),
) -> None:
    found = [
        c
        for s in terms.spaces
        for c in clashes(s, spaces.get(stream_of(s), {}), terms.start, terms.end, now, ignore)
    ]
    if found:
        raise BookingConflict(found)


def _terms_data(terms: Terms, provenance: str) -> dict[str, object]:
    return {
        "tenant": terms.tenant,
        "spaces": list(terms.spaces),
        "start": terms.start.isoformat(),
        "end": terms.end.isoformat(),
        "provenance": provenance,
    }


def place_hold(
    hold_id: str,
    terms: Terms,
    expires_at: datetime,
    *,
    catalog: SpaceCatalog,
    spaces: Mapping[str, State],
    tenant: State,
    now: datetime,
    provenance: str = "recorded",
    proposal: LeaseTerms | None = None,
) -> list[DomainEvent]:
    """Hold ``terms.spaces`` for the tenant (or a prospect: ``tenant`` is then the prospect's
    state) until ``expires_at``, with the money terms proposed, if any.

    ``spaces`` maps each space stream to its latest state. Raises
    :class:`~occupancy.errors.BookingConflict` naming every hold or lease in the way.
    """
    _check_terms(terms, catalog, tenant)
    if expires_at.tzinfo is None:
        raise LeasingInvalid("expires_at", "give a time zone offset")
    if expires_at <= now:
        raise LeasingInvalid("expires_at", "must be in the future")
    if expires_at > now + MAX_HOLD:
        raise LeasingInvalid("expires_at", f"a hold may last at most {MAX_HOLD.days} days")
    if proposal is not None:
        _check_money(proposal, terms, catalog)
    _check_free(terms, spaces, now)
    expires = expires_at.isoformat()
    data = {"hold": hold_id, **_terms_data(terms, provenance), "expires_at": expires}
    if proposal is not None:
        data["terms"] = proposal.to_data()
    out = [DomainEvent(hold_stream(hold_id), "HoldPlaced", now, data)]
    for s in terms.spaces:
        out.append(
            DomainEvent(
                stream_of(s),
                "SpaceHeld",
                now,
                {
                    "hold": hold_id,
                    "tenant": terms.tenant,
                    "start": terms.start.isoformat(),
                    "end": terms.end.isoformat(),
                    "expires_at": expires,
                },
            )
        )
    return out


def _not_in_use(terms: Terms, catalog: SpaceCatalog, in_use: Mapping[str, bool]) -> list[str]:
    buildings = sorted({catalog.spaces[s].building for s in terms.spaces})
    return [b for b in buildings if not in_use.get(b, False)]


def sign_lease(
    lease_id: str,
    terms: Terms,
    *,
    pre_lease: bool,
    money: LeaseTerms | None,
    hold: Agreement | None,
    catalog: SpaceCatalog,
    spaces: Mapping[str, State],
    tenant: State,
    in_use: Mapping[str, bool],
    now: datetime,
    provenance: str = "recorded",
) -> list[DomainEvent]:
    """Sign a lease on ``terms``, converting ``hold`` (whose terms they must be) if given.

    The money terms are ``money``, else the hold's proposal: a lease needs them. A lease in a
    building not yet in use must be marked ``pre_lease``.
    """
    _check_terms(terms, catalog, tenant)
    if tenant_of(terms.tenant, tenant) is None:
        raise LeasingInvalid("tenant", f"no registered tenant {terms.tenant!r}")
    money = money or (hold.terms if hold is not None else None)
    if money is None:
        raise LeasingInvalid("terms", "a lease needs its terms (rent at least) to be signed")
    _check_money(money, terms, catalog)
    ignore: frozenset[str] = frozenset()
    if hold is not None:
        if hold.status != "held":
            raise LeasingRefused(f"hold {hold.id} is {hold.status}: only a live hold can be signed")
        ignore = frozenset({hold.id})
    waiting = _not_in_use(terms, catalog, in_use)
    if waiting and not pre_lease:
        raise LeasingRefused(
            f"{', '.join(waiting)} {'is' if len(waiting) == 1 else 'are'} not in use yet: "
            "sign it as a pre-lease (pre_lease: true)"
        )
    _check_free(terms, spaces, now, ignore)
    data = {
        "lease": lease_id,
        **_terms_data(terms, provenance),
        "pre_lease": pre_lease,
        "terms": money.to_data(),
        "hold": hold.id if hold else None,
    }
    out = [DomainEvent(lease_stream(lease_id), "LeaseSigned", now, data)]
    if hold is not None:
        out.append(DomainEvent(hold_stream(hold.id), "HoldSigned", now, {"lease": lease_id}))
    for s in terms.spaces:
        out.append(
            DomainEvent(
                stream_of(s),
                "SpaceLeased",
                now,
                {
                    "lease": lease_id,
                    "tenant": terms.tenant,
                    "start": terms.start.isoformat(),
                    "end": terms.end.isoformat(),
                    "pre_lease": pre_lease,
                    "hold": hold.id if hold else None,
                },
            )
        )
    return out


def _lease(lease: Agreement | None, lease_id: str) -> Agreement:
    if lease is None or lease.kind != "lease":
        raise LeasingNotFound(f"no lease {lease_id!r}")
    return lease


def start_lease(
    lease_id: str,
    lease: Agreement | None,
    *,
    catalog: SpaceCatalog,
    in_use: Mapping[str, bool],
    now: datetime,
) -> list[DomainEvent]:
    """Start a signed lease (the tenant takes the space) on ``now``'s date.

    Only once every building of the lease is in use, unless it is a pre-lease.
    """
    found = _lease(lease, lease_id)
    if found.status != "signed":
        raise LeasingRefused(f"lease {lease_id} is {found.status}: only a signed lease can start")
    terms = Terms(found.spaces, found.tenant, found.start, found.end)
    waiting = _not_in_use(terms, catalog, in_use)
    if waiting and not found.pre_lease:
        raise LeasingRefused(
            f"lease {lease_id} cannot start: {', '.join(waiting)} not in use yet "
            "and the lease is not a pre-lease"
        )
    return [DomainEvent(lease_stream(lease_id), "LeaseStarted", now, {"on": local_day(now)})]


def terminate_lease(
    lease_id: str, lease: Agreement | None, on: date, *, now: datetime
) -> list[DomainEvent]:
    """End a signed or started lease on ``on`` (exclusive): its spaces are free from then."""
    found = _lease(lease, lease_id)
    if found.status not in ("signed", "active"):
        raise LeasingRefused(f"lease {lease_id} is {found.status}: it cannot be terminated")
    if on >= found.end:
        raise LeasingInvalid("on", f"lease {lease_id} already ends on {found.end}")
    end = max(on, found.start)
    data = {"on": on.isoformat(), "end": end.isoformat()}
    out = [DomainEvent(lease_stream(lease_id), "LeaseTerminated", now, data)]
    out += [
        DomainEvent(stream_of(s), "SpaceLeaseEnded", now, {"lease": lease_id, "end": data["end"]})
        for s in found.spaces
    ]
    return out


def amend_lease(
    lease_id: str,
    lease: Agreement | None,
    *,
    end: date,
    money: LeaseTerms,
    catalog: SpaceCatalog,
    spaces: Mapping[str, State],
    now: datetime,
    provenance: str = "recorded",
) -> list[DomainEvent]:
    """Amend a signed or started lease: its money terms and its end (exclusive; later: an
    extension, which its spaces must be free for). Tenant, spaces and start stay: another of
    those is another lease. ``changes`` in the event: field -> [old, new]."""
    found = _lease(lease, lease_id)
    if found.status not in ("signed", "active"):
        raise LeasingRefused(f"lease {lease_id} is {found.status}: it cannot be amended")
    terms = Terms(found.spaces, found.tenant, found.start, end)
    if end <= found.start:
        raise LeasingInvalid("end", f"{end} is not after the lease's start {found.start}")
    _check_money(money, terms, catalog)
    if end > found.end:
        later = Terms(found.spaces, found.tenant, found.end, end)
        _check_free(later, spaces, now, frozenset({lease_id}))
    data = {
        "lease": lease_id,
        "end": end.isoformat(),
        "terms": money.to_data(),
        "changes": amendment_changes(found, end, money),
        "provenance": provenance,
    }
    out = [DomainEvent(lease_stream(lease_id), "LeaseAmended", now, data)]
    if end != found.end:
        out += [
            DomainEvent(
                stream_of(s), "SpaceLeaseAmended", now, {"lease": lease_id, "end": data["end"]}
            )
            for s in found.spaces
        ]
    return out


AMENDABLE = ("end", "rent", "rent_unit", "rent_free_months", "escalation_percent")
"""What an amendment may change (and a rent roll row carries): the end and the money terms."""


def amendment_changes(lease: Agreement, end: date, money: LeaseTerms) -> dict[str, list[str]]:
    """Field -> [old, new] (as text) of what ``end`` and ``money`` change on ``lease``."""
    old = lease.terms
    before = {"end": lease.end.isoformat()}
    after = {"end": end.isoformat()}
    for field in AMENDABLE[1:]:
        before[field] = _text(getattr(old, field)) if old is not None else ""
        after[field] = _text(getattr(money, field))
    return {f: [before[f], after[f]] for f in AMENDABLE if before[f] != after[f]}


def _text(value: object) -> str:
    """A term as text: numbers without a needless ``.0`` (3.0 -> "3")."""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def release_hold(hold_id: str, hold: Agreement | None, *, now: datetime) -> list[DomainEvent]:
    """Give up a live hold before it expires: its spaces are free at once."""
    if hold is None or hold.kind != "hold":
        raise LeasingNotFound(f"no hold {hold_id!r}")
    if hold.status != "held":
        raise LeasingRefused(f"hold {hold_id} is {hold.status}: nothing to release")
    out = [DomainEvent(hold_stream(hold_id), "HoldReleased", now, {"reason": "released"})]
    out += [DomainEvent(stream_of(s), "SpaceReleased", now, {"hold": hold_id}) for s in hold.spaces]
    return out


def propose_terms(
    hold_id: str, hold: Agreement | None, money: LeaseTerms, *, catalog: SpaceCatalog, now: datetime
) -> list[DomainEvent]:
    """Put (or revise) the money terms proposed on a live hold."""
    if hold is None or hold.kind != "hold":
        raise LeasingNotFound(f"no hold {hold_id!r}")
    if hold.status != "held":
        raise LeasingRefused(f"hold {hold_id} is {hold.status}: only a live hold takes a proposal")
    _check_money(money, Terms(hold.spaces, hold.tenant, hold.start, hold.end), catalog)
    return [DomainEvent(hold_stream(hold_id), "HoldTermsProposed", now, {"terms": money.to_data()})]
