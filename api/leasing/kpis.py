"""Leasing KPIs: signed shares and enterprises against the 2025 targets."""

from __future__ import annotations

from datetime import datetime

from fastapi import Depends
from pydantic import BaseModel, Field

from api.deps import TwinDep
from api.strict_query import api_router
from api.timeparam import answer_time, at_param
from occupancy.kpis import SignedShare
from twin.leasing.kpis import leasing_kpis

router = api_router("/api/v1/leasing", ["leasing"])


class ShareOut(BaseModel):
    scope: str = Field(description="A building id, or campus", examples=["office-building"])
    leasable_m2: float
    signed_m2: float
    share: float = Field(description="Signed / leasable, 0-1", examples=[0.77])


class KpisOut(BaseModel):
    """Totals only: no tenant, rent or lease date."""

    at: str
    campus: ShareOut
    buildings: list[ShareOut]
    racks_signed: int
    racks_total: int
    enterprises: int = Field(description="Enterprises moved in (F9: 40+ by 2024-09)")
    head_enterprises: int
    head_enterprise_target: int = Field(description="F2: 100 head enterprises by 2025")


@router.get(
    "/kpis",
    operation_id="getLeasingKpis",
    summary="Signed shares and enterprises against the 2025 targets",
)
def get_kpis(twin: TwinDep, at: datetime = Depends(at_param)) -> KpisOut:
    """Signed share of office floor area per building and for the campus, racks signed, and
    enterprises moved in against F2's targets, at `at`. Totals are public."""
    k = leasing_kpis(twin, at)

    def share(s: SignedShare) -> ShareOut:
        return ShareOut(
            scope=s.scope, leasable_m2=s.leasable_m2, signed_m2=s.signed_m2, share=round(s.share, 4)
        )

    return KpisOut(
        at=answer_time(at, at.tzinfo),
        campus=share(k.campus),
        buildings=[share(b) for b in k.buildings],
        racks_signed=k.racks_signed,
        racks_total=k.racks_total,
        enterprises=k.enterprises,
        head_enterprises=k.head_enterprises,
        head_enterprise_target=k.head_enterprise_target,
    )
