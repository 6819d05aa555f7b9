"""The history of the facilities inside the data centre, its networks and the office
building's systems, up to the article (2024-09-12), as events.

F6: the data centre's civil works are basically complete (its building's structure is
done); the two external feeds (``facility:feed-a``/``-b``, in :mod:`assets.genesis`) and the
internal facilities and equipment are under construction, to finish in 2025. So every
substation, UPS, PDU, hall, chiller plant and the core network is ``under_construction`` from
the start of installation (2023-10-01, as the ``dc-equipment`` work package) and planned
operational by 2025-12-31; rack rows are ``planned``. F13 speaks of international
communication facilities in use: the first international link operates since the park's
unveiling (F1); the second comes with the data centre. F7: the office building passed
acceptance (its base systems run) and its fit-out (HVAC, network) started in H2 2024, for
operation in 2025. F8's service centre is already in :mod:`assets.genesis`. Days are
schematic.
"""

from __future__ import annotations

from datetime import date, datetime, time

from assets.events import DomainEvent
from assets.facilities.topology import Topology
from assets.history import CAMPUS_TZ

INSTALLATION_START = "2023-10-01"
DC_PLANNED = "2025-12-31"
OFFICE_PLANNED = "2025-04-01"
EQUIPMENT = ("substation", "ups", "pdu", "hall", "cooling", "network_core")


def _at(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), time.min, CAMPUS_TZ)


def _status(fid: str, day: str, status: str, facts: list[str]) -> DomainEvent:
    data = {"status": status, "facts": facts, "provenance": "schematic"}
    return DomainEvent(f"facility:{fid}", "FacilityStatusChanged", _at(day), data)


def _plan(fid: str, day: str, planned: str, facts: list[str]) -> DomainEvent:
    data = {"planned_operational": planned, "facts": facts, "provenance": "schematic"}
    return DomainEvent(f"facility:{fid}", "FacilityPlanned", _at(day), data)


def facility_genesis_events(topology: Topology) -> list[DomainEvent]:
    """Events of the facilities :mod:`assets.genesis` does not cover, in time order."""
    out: list[DomainEvent] = []
    for f in topology.facilities.values():
        if f.kind in EQUIPMENT:
            out += [
                _status(f.id, INSTALLATION_START, "under_construction", ["F6"]),
                _plan(f.id, INSTALLATION_START, DC_PLANNED, ["F6"]),
            ]
        elif f.kind == "rack_row":
            out += [
                _status(f.id, "2021-06-20", "planned", ["F6", "S2"]),
                _plan(f.id, "2021-06-20", DC_PLANNED, ["F6"]),
            ]
        elif f.id == "net-intl-1":
            out.append(_status(f.id, "2023-10-27", "operational", ["F1", "F13"]))
        elif f.kind == "network_link":
            out += [
                _status(f.id, "2024-03-01", "under_construction", ["F6"]),
                _plan(f.id, "2024-03-01", DC_PLANNED, ["F6"]),
            ]
        elif f.kind == "building_system" and f.id.endswith(("/hvac", "/network")):
            out += [
                _status(f.id, "2024-09-02", "under_construction", ["F7"]),
                _plan(f.id, "2024-09-02", OFFICE_PLANNED, ["F7"]),
            ]
        elif f.kind == "building_system":
            out.append(_status(f.id, "2024-08-30", "operational", ["F7"]))
    return sorted(out, key=lambda e: e.effective_at)
