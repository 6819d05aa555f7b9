"""From the ledger's values to the leasing API's response models."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.leasing.schemas import HoldOut, LeaseOut, TenantOut, TermsIn, TermsOut
from api.schemas import LocalisedName
from api.timeparam import answer_time
from occupancy.agreements import Agreement
from occupancy.errors import LeasingNotFound
from occupancy.spaces import SpaceCatalog
from occupancy.tenants import Tenant
from occupancy.terms import LeaseTerms, Step


def json_of(
    model: BaseModel, status: int = 200, headers: dict[str, str] | None = None
) -> JSONResponse:
    """A model as JSON, exactly its own fields (role-dependent responses use this)."""
    return JSONResponse(model.model_dump(mode="json"), status_code=status, headers=headers)


def _area(catalog: SpaceCatalog, spaces: tuple[str, ...]) -> float:
    return round(sum(catalog.spaces[s].area_m2 for s in spaces if s in catalog.spaces), 2)


def _recorded(a: Agreement) -> str:
    return answer_time(a.recorded_on)


def hold_out(a: Agreement, catalog: SpaceCatalog) -> HoldOut:
    assert a.expires_at is not None
    return HoldOut(
        id=a.id,
        status=a.status,
        tenant=a.tenant,
        spaces=list(a.spaces),
        area_m2=_area(catalog, a.spaces),
        start=a.start,
        end=a.end,
        recorded_at=_recorded(a),
        provenance=a.provenance,
        expires_at=a.expires_at,
        lease=a.lease,
        terms=terms_out(a.terms),
    )


def lease_out(a: Agreement, catalog: SpaceCatalog) -> LeaseOut:
    return LeaseOut(
        id=a.id,
        status=a.status,
        tenant=a.tenant,
        spaces=list(a.spaces),
        area_m2=_area(catalog, a.spaces),
        start=a.start,
        end=a.end,
        recorded_at=_recorded(a),
        provenance=a.provenance,
        pre_lease=a.pre_lease,
        terms=terms_out(a.terms),
        hold=a.hold,
        started_on=date.fromisoformat(a.started_on) if a.started_on else None,
        terminated_on=date.fromisoformat(a.terminated_on) if a.terminated_on else None,
    )


def tenant_out(t: Tenant) -> TenantOut:
    return TenantOut(
        id=t.id,
        name=LocalisedName(zh=t.name_zh, en=t.name_en),
        category=t.category,
        head_enterprise=t.head_enterprise,
        public=t.public,
        provenance=t.provenance,
    )


def found(value: Agreement | None, kind: str, ref: str) -> Agreement:
    if value is None:
        raise LeasingNotFound(f"no {kind} {ref!r}")
    return value


def known(kind: str, value: str | None, ids: Collection[str]) -> None:
    """404 naming a filter ``value`` that names no ``kind`` among ``ids`` (an empty list would
    claim there is nothing to show for something that does not exist)."""
    if value is not None and value not in ids:
        raise LeasingNotFound(f"no {kind} is called {value!r}: use one of {', '.join(sorted(ids))}")


def terms_in(body: TermsIn | None) -> LeaseTerms | None:
    """The ledger's terms from a request's (None: none given)."""
    if body is None:
        return None
    return LeaseTerms(
        rent=body.rent,
        rent_unit=body.rent_unit,
        rent_free_months=body.rent_free_months,
        escalation=body.escalation,
        escalation_percent=body.escalation_percent,
        steps=tuple(Step(s.year, s.rent) for s in body.steps),
        deposit_months=body.deposit_months,
        service_charge_cny_per_m2_month=body.service_charge_cny_per_m2_month,
    )


def terms_out(t: LeaseTerms | None) -> TermsOut | None:
    return None if t is None else TermsOut(**t.to_data())


def confirmed(body: TermsIn | None) -> bool:
    """Whether a rent far outside its building's range was confirmed."""
    return body is not None and body.confirm_unusual_rent
