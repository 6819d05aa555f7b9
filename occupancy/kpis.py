"""Leasing KPIs: signed share of floor area per building and campus, enterprises against the
2025 targets (F2: 100 head enterprises), from statuses and tenants at an instant (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from occupancy.spaces import Space
from occupancy.tenants import Tenant

HEAD_ENTERPRISE_TARGET = 100
"""F2: 100 leading ("head") enterprises by 2025."""
SIGNED = frozenset({"leased"})
"""Statuses that count as signed (a hold is not)."""


@dataclass(frozen=True)
class SignedShare:
    """Office floor area signed in one building (or the campus), m²."""

    scope: str
    leasable_m2: float
    signed_m2: float

    @property
    def share(self) -> float:
        """Signed area / leasable area, 0–1 (0 with nothing to lease)."""
        return self.signed_m2 / self.leasable_m2 if self.leasable_m2 else 0.0


@dataclass(frozen=True)
class LeasingKpis:
    buildings: list[SignedShare]
    campus: SignedShare
    racks_signed: int
    racks_total: int
    enterprises: int
    head_enterprises: int
    head_enterprise_target: int = HEAD_ENTERPRISE_TARGET


def kpis(
    spaces: Iterable[Space], statuses: Mapping[str, str], tenants: Iterable[Tenant]
) -> LeasingKpis:
    """KPIs of ``spaces`` whose staff statuses (``leased``, ``held``...) are ``statuses``."""
    leasable: dict[str, float] = {}
    signed: dict[str, float] = {}
    racks = racks_signed = 0
    for s in spaces:
        if s.kind == "rack":
            racks += 1
            racks_signed += statuses.get(s.id) in SIGNED
            continue
        leasable[s.building] = leasable.get(s.building, 0.0) + s.area_m2
        if statuses.get(s.id) in SIGNED:
            signed[s.building] = signed.get(s.building, 0.0) + s.area_m2
    rows = [SignedShare(b, round(leasable[b], 1), round(signed.get(b, 0.0), 1)) for b in leasable]
    campus = SignedShare("campus", round(sum(leasable.values()), 1), round(sum(signed.values()), 1))
    moved_in = list(tenants)
    return LeasingKpis(
        buildings=rows,
        campus=campus,
        racks_signed=racks_signed,
        racks_total=racks,
        enterprises=len(moved_in),
        head_enterprises=sum(t.head_enterprise for t in moved_in),
    )
