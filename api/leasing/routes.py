"""Leasing commands and the ledger (role ``leasing``; ``admin`` too): tenants, holds, leases.

A space is never held or let twice for overlapping periods: the second request gets 409
naming the hold or lease in its way, whichever process or host it reached.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, Path, Query
from fastapi.responses import JSONResponse

from api.auth import require
from api.deps import TwinDep
from api.leasing.convert import (
    confirmed,
    found,
    hold_out,
    json_of,
    known,
    lease_out,
    tenant_out,
    terms_in,
)
from api.leasing.schemas import (
    HoldIn,
    HoldList,
    HoldOut,
    LeaseIn,
    LeaseList,
    LeaseOut,
    LeaseTermsIn,
    TenantIn,
    TenantOut,
    TerminateIn,
    TermsIn,
)
from api.problems import DESCRIPTIONS, problem_responses
from api.strict_query import api_router
from api.timeparam import answer_time, at_param
from occupancy.ledger import Terms
from occupancy.tenants import tenant_of
from twin.auth import Principal
from twin.leasing import commands
from twin.leasing.read import agreement, agreements, spaces_of, tenants_at
from twin.runtime import Twin

router = api_router("/api/v1/leasing", ["leasing"])
Staff = Annotated[Principal, Depends(require("leasing"))]
HoldId = Annotated[str, Path(pattern=r"^H-[A-Z0-9-]{1,40}$", examples=["H-3F9A2B7C1D"])]
LeaseId = Annotated[str, Path(pattern=r"^L-[A-Z0-9-]{1,40}$", examples=["L-S0001"])]


LEASING_PROBLEMS = {
    403: "The token lacks the leasing role",
    404: "No such hold, lease or tenant",
    409: "Taken for an overlapping period (naming the hold or lease), or refused by state",
}


def _problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    return problem_responses(described={c: LEASING_PROBLEMS.get(c, DESCRIPTIONS[c]) for c in codes})


def _now() -> datetime:
    return datetime.now(UTC)


@router.post(
    "/tenants",
    status_code=201,
    operation_id="registerTenant",
    summary="Register a tenant",
    response_model=TenantOut,
    responses=_problems(401, 403, 409, 422),
)
def register_tenant(body: TenantIn, who: Staff, twin: TwinDep) -> JSONResponse:
    """Register an enterprise or institution (F9 category; F2 head enterprise; whether it
    consents to be named in public). 409 if the id is taken."""
    commands.register_tenant(
        twin,
        body.id,
        (body.name.zh, body.name.en),
        body.category,
        head_enterprise=body.head_enterprise,
        public=body.public,
        actor=who.actor,
    )
    tenant = tenant_of(body.id, twin.fresh().latest(f"tenant:{body.id}")[0])
    assert tenant is not None
    location = f"{router.prefix}/tenants"
    return json_of(tenant_out(tenant), 201, {"Location": location})


@router.post(
    "/holds",
    status_code=201,
    operation_id="placeHold",
    summary="Hold spaces for a tenant until a deadline",
    response_model=HoldOut,
    responses=_problems(401, 403, 409, 422),
)
def place_hold(body: HoldIn, who: Staff, twin: TwinDep) -> JSONResponse:
    """Hold office units or racks for `[start, end)` until `expires_at`, when the hold lapses by
    itself. All spaces or none: 409 names every hold or lease that overlaps."""
    terms = Terms(tuple(body.spaces), body.tenant, body.start, body.end)
    hold_id = commands.place_hold(
        twin,
        terms,
        body.expires_at,
        actor=who.actor,
        proposal=terms_in(body.terms),
        confirmed=confirmed(body.terms),
    )
    hold = found(agreement(twin, "hold", hold_id, _now()), "hold", hold_id)
    return json_of(
        hold_out(hold, spaces_of(twin)), 201, {"Location": f"{router.prefix}/holds/{hold_id}"}
    )


def _known_filters(
    twin: Twin, at: datetime, tenant: str | None, building: str | None = None
) -> None:
    """404 for a ``tenant`` registered by neither ``at`` nor now, or an unknown ``building``."""
    if tenant is not None:
        known("tenant", tenant, {t.id for t in tenants_at(twin, max(at, datetime.now(UTC)))})
    if building is not None:
        known("building", building, twin.campus_at(at).buildings)


@router.get(
    "/holds",
    operation_id="listHolds",
    summary="Holds as they stand at any time",
    responses=_problems(401, 403, 404, 422),
)
def list_holds(
    twin: TwinDep,
    who: Staff,
    status: Annotated[
        Literal["held", "expired", "released", "signed"] | None, Query(description="Only these")
    ] = None,
    tenant: Annotated[str | None, Query(max_length=64)] = None,
    at: datetime = Depends(at_param),
) -> HoldList:
    """Every hold recorded by `at`, oldest first, with its status at `at`."""
    _known_filters(twin, at, tenant=tenant)
    items = [
        hold_out(a, spaces_of(twin))
        for a in agreements(twin, at, "hold")
        if (status is None or a.status == status) and (tenant is None or a.tenant == tenant)
    ]
    return HoldList(at=answer_time(at, at.tzinfo), total=len(items), items=items)


@router.get(
    "/holds/{hold_id}",
    operation_id="getHold",
    summary="One hold",
    responses=_problems(401, 403, 404),
)
def get_hold(
    hold_id: HoldId, who: Staff, twin: TwinDep, at: datetime = Depends(at_param)
) -> HoldOut:
    """A hold as it stands at `at` (default now)."""
    return hold_out(found(agreement(twin, "hold", hold_id, at), "hold", hold_id), spaces_of(twin))


@router.post(
    "/holds/{hold_id}/release",
    operation_id="releaseHold",
    summary="Give up a hold before it lapses",
    responses=_problems(401, 403, 404, 409),
)
def release_hold(hold_id: HoldId, who: Staff, twin: TwinDep) -> HoldOut:
    """The spaces are free at once. 409 if the hold is no longer live."""
    commands.release_hold(twin, hold_id, actor=who.actor)
    return hold_out(
        found(agreement(twin, "hold", hold_id, _now()), "hold", hold_id), spaces_of(twin)
    )


@router.put(
    "/holds/{hold_id}/terms",
    operation_id="proposeHoldTerms",
    summary="Propose (or revise) the terms on a live hold",
    responses=_problems(401, 403, 404, 409, 422),
)
def propose_terms(hold_id: HoldId, body: TermsIn, who: Staff, twin: TwinDep) -> HoldOut:
    """The proposal a prospect is offered; signing the hold without terms takes it."""
    money = terms_in(body)
    assert money is not None
    commands.propose_terms(twin, hold_id, money, actor=who.actor, confirmed=confirmed(body))
    return hold_out(
        found(agreement(twin, "hold", hold_id, _now()), "hold", hold_id), spaces_of(twin)
    )


def _signed(twin: Twin, lease_id: str) -> JSONResponse:
    lease = found(agreement(twin, "lease", lease_id, _now()), "lease", lease_id)
    location = {"Location": f"{router.prefix}/leases/{lease_id}"}
    return json_of(lease_out(lease, spaces_of(twin)), 201, location)


@router.post(
    "/holds/{hold_id}/sign",
    status_code=201,
    operation_id="signHold",
    summary="Sign a live hold into a lease",
    response_model=LeaseOut,
    responses=_problems(401, 403, 404, 409, 422),
)
def sign_hold(hold_id: HoldId, body: LeaseTermsIn, who: Staff, twin: TwinDep) -> JSONResponse:
    """The lease takes the hold's spaces, tenant and period; the hold becomes `signed`."""
    lease_id = commands.sign_lease(
        twin,
        None,
        hold_id=hold_id,
        pre_lease=body.pre_lease,
        money=terms_in(body.terms),
        actor=who.actor,
        confirmed=confirmed(body.terms),
    )
    return _signed(twin, lease_id)


@router.post(
    "/leases",
    status_code=201,
    operation_id="signLease",
    summary="Sign a lease, on a hold or directly",
    response_model=LeaseOut,
    responses=_problems(401, 403, 404, 409, 422),
)
def sign_lease(body: LeaseIn, who: Staff, twin: TwinDep) -> JSONResponse:
    """Sign a lease on a live hold's terms (`hold`) or on `spaces`, `tenant`, `start`, `end`.
    A lease in a building not in use yet must be a `pre_lease`. 409 names any overlap."""
    terms = None
    if body.hold is None:
        assert body.spaces and body.tenant and body.start and body.end
        terms = Terms(tuple(body.spaces), body.tenant, body.start, body.end)
    lease_id = commands.sign_lease(
        twin,
        terms,
        hold_id=body.hold,
        pre_lease=body.pre_lease,
        money=terms_in(body.terms),
        actor=who.actor,
        confirmed=confirmed(body.terms),
    )
    return _signed(twin, lease_id)


@router.get(
    "/leases",
    operation_id="listLeases",
    summary="Leases as they stand at any time",
    responses=_problems(401, 403, 404, 422),
)
def list_leases(
    twin: TwinDep,
    who: Staff,
    status: Annotated[
        Literal["signed", "active", "terminated"] | None, Query(description="Only these")
    ] = None,
    tenant: Annotated[str | None, Query(max_length=64)] = None,
    building: Annotated[str | None, Query(max_length=64)] = None,
    at: datetime = Depends(at_param),
) -> LeaseList:
    """Every lease signed by `at`, oldest first, with its status at `at`."""
    _known_filters(twin, at, tenant=tenant, building=building)
    cat = spaces_of(twin)
    items = [
        lease_out(a, cat)
        for a in agreements(twin, at, "lease")
        if (status is None or a.status == status)
        and (tenant is None or a.tenant == tenant)
        and (building is None or any(cat.spaces[s].building == building for s in a.spaces))
    ]
    return LeaseList(at=answer_time(at, at.tzinfo), total=len(items), items=items)


@router.get(
    "/leases/{lease_id}",
    operation_id="getLease",
    summary="One lease",
    responses=_problems(401, 403, 404),
)
def get_lease(
    lease_id: LeaseId, who: Staff, twin: TwinDep, at: datetime = Depends(at_param)
) -> LeaseOut:
    """A lease as it stands at `at` (default now), rent included."""
    lease = found(agreement(twin, "lease", lease_id, at), "lease", lease_id)
    return lease_out(lease, spaces_of(twin))


@router.post(
    "/leases/{lease_id}/start",
    operation_id="startLease",
    summary="Start a signed lease: the tenant takes the space",
    responses=_problems(401, 403, 404, 409),
)
def start_lease(lease_id: LeaseId, who: Staff, twin: TwinDep) -> LeaseOut:
    """Only once its buildings are in use, unless it is a pre-lease (409 otherwise)."""
    commands.start_lease(twin, lease_id, actor=who.actor)
    return get_lease(lease_id, who, twin=twin, at=_now())


@router.post(
    "/leases/{lease_id}/terminate",
    operation_id="terminateLease",
    summary="End a lease early",
    responses=_problems(401, 403, 404, 409, 422),
)
def terminate_lease(lease_id: LeaseId, body: TerminateIn, who: Staff, twin: TwinDep) -> LeaseOut:
    """The lease ends on `on` (its spaces are free from that day)."""
    commands.terminate_lease(twin, lease_id, body.on, actor=who.actor)
    return get_lease(lease_id, who, twin=twin, at=_now())
