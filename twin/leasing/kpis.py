"""The leasing KPIs of a running twin at an instant."""

from __future__ import annotations

from datetime import datetime

from occupancy.kpis import LeasingKpis, kpis
from twin.leasing.read import spaces_of, tenants_at
from twin.leasing.statuses import statuses
from twin.runtime import Twin


def leasing_kpis(twin: Twin, at: datetime) -> LeasingKpis:
    """Signed shares, racks signed and enterprises against the F2 targets, at ``at``."""
    spaces = list(spaces_of(twin, at).spaces.values())
    return kpis(spaces, statuses(twin, at, staff=True, spaces=spaces), tenants_at(twin, at))
