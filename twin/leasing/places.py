"""The places a leasing search may be narrowed to (a building, a parcel, a zone), checked once
for the API, the CLI and the proposals alike."""

from __future__ import annotations

from datetime import datetime

from occupancy.errors import LeasingNotFound
from twin.runtime import Twin


def known_places(
    twin: Twin,
    at: datetime,
    *,
    building: str | None = None,
    parcel: str | None = None,
    zone: str | None = None,
) -> None:
    """Refuse a building, parcel or zone the campus does not have at ``at``, naming it and
    those it has (:class:`LeasingNotFound`: an empty answer would claim there is nothing to
    show for something that does not exist)."""
    if building is None and parcel is None and zone is None:
        return
    campus = twin.campus_at(at)
    for kind, value, ids in (
        ("building", building, campus.buildings),
        ("parcel", parcel, campus.parcels),
        ("zone", zone, campus.zones),
    ):
        if value is not None and value not in ids:
            raise LeasingNotFound(
                f"no {kind} is called {value!r}: use one of {', '.join(sorted(ids))}"
            )
