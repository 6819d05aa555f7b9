"""The ``leasing`` viewer mode: office units coloured by what the public may know of them."""

from __future__ import annotations

from datetime import datetime

from occupancy.palette import PUBLIC_ORDER, color_of, legend
from twin.leasing.read import spaces_of
from twin.leasing.statuses import statuses
from twin.runtime import Twin
from viewer.modes.coloring import Coloring


def leasing_colourer(twin: Twin, at: datetime) -> Coloring:
    """Unit id -> colour of available, unavailable (held or let: never which) or not ready.

    Public-safe: the scene's colours are served to everyone, so holds are not told apart from
    leases and bookings are judged no later than now.
    """
    units = [s for s in spaces_of(twin, at).spaces.values() if s.kind == "office"]
    found = statuses(twin, at, staff=False, spaces=units)
    return Coloring(
        colors={sid: color_of(status) for sid, status in found.items()},
        legend=legend(PUBLIC_ORDER),
    )
