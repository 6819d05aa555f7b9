"""Proposals of a running twin: the availability search's free office units (free, and ready
or planned to be, by ``ready_by``), narrowed to a building, parcel or zone, joined into
adjacent sets (:mod:`occupancy.proposals`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from occupancy.availability import AvailabilityQuery
from occupancy.proposals import Proposal, ProposalQuery, proposals
from twin.leasing.places import known_places
from twin.leasing.read import cached_availability, spaces_of
from twin.runtime import Twin


@dataclass(frozen=True)
class Where:
    """Where to look (None: anywhere) and by when the space must be ready."""

    building: str | None = None
    parcel: str | None = None
    zone: str | None = None
    ready_by: date | None = None


def proposals_at(
    twin: Twin, at: datetime, where: Where, query: ProposalQuery
) -> tuple[list[Proposal], int]:
    """The best proposals at ``at`` and how many were found; a building, parcel or zone that
    does not exist is refused, naming it (:class:`LeasingNotFound`)."""
    known_places(twin, at, building=where.building, parcel=where.parcel, zone=where.zone)
    search = AvailabilityQuery(
        kind="office",
        building=where.building,
        parcel=where.parcel,
        zone=where.zone,
        available_from=where.ready_by,
    )
    found = cached_availability(twin, at, search).matches
    return proposals(found, spaces_of(twin, at).order, query)
