"""Power capacity of the data centre's feeds, substations, UPS, PDUs, halls and rack rows
(pure): design, allocated, drawn and headroom, in kW, and where a number of racks fits.

- *design*: what each facility is built to carry. A rack position is designed for
  :data:`RACK_DESIGN_KW` (schematic: the rack row's design in :mod:`assets.facilities.kinds`,
  25 racks × 8 kW); a row carries its racks', a hall its rows', a PDU or UPS the rows it
  feeds (each side of a 2N pair is built to carry them all alone); a substation or external
  feed the rows it feeds times the design PUE (:data:`~assets.facilities.efficiency.DESIGN_PUE`:
  cooling and losses on top of IT).
- *allocated*: the racks taken by leases and holds (as the leasing search sees them), each
  at :data:`RACK_DESIGN_KW` (bookings name racks, not kilowatts), summed like design.
- *drawn*: the latest ``load_kw`` reading of the facility (a hall or data centre: its
  ``it_load_kw``, else the sum of its rows'); None without a reading.
- *headroom*: design minus the larger of allocated and drawn.

:func:`placeable` is the one rule for how many racks of a given power a row can still take;
the capacity figures and the leasing availability search both apply it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from assets.facilities.efficiency import DESIGN_PUE
from assets.facilities.power import Level, power_levels
from assets.facilities.topology import FacilityNode, Topology

RACK_DESIGN_KW = 8.0
"""Design power of one rack position, kW (schematic)."""
DESIGN_PROVENANCE = "schematic"
CAPACITY_KINDS = ("power_feed", "substation", "ups", "pdu", "hall", "rack_row")
"""Kinds whose capacity is figured, upstream first."""
GRID_KINDS = ("power_feed", "substation")
"""Kinds whose design and allocation include the facility overhead (× design PUE)."""


@dataclass(frozen=True)
class Capacity:
    """One facility's power capacity, kW; ``racks``: rack positions it feeds or holds,
    ``racks_allocated`` those booked; ``level``: its power redundancy now."""

    facility: str
    kind: str
    parent: str | None
    space: str | None
    floor: str | None
    design_kw: float
    allocated_kw: float
    drawn_kw: float | None
    headroom_kw: float
    racks: int
    racks_allocated: int
    level: Level | None

    @property
    def load_share(self) -> float | None:
        """Drawn over design (None without a reading or a design)."""
        if self.drawn_kw is None or self.design_kw <= 0:
            return None
        return self.drawn_kw / self.design_kw


def placeable(free_racks: int, headroom_kw: float, kw_per_rack: float) -> int:
    """Racks of ``kw_per_rack`` a row can still take: its free positions, as far as its
    power headroom allows (never below 0)."""
    if kw_per_rack <= 0:
        raise ValueError(f"kw_per_rack must be positive, not {kw_per_rack}")
    by_power = math.floor(max(headroom_kw, 0.0) / kw_per_rack + 1e-9)
    return max(0, min(free_racks, by_power))


def rows_fed(topology: Topology, node: FacilityNode) -> list[FacilityNode]:
    """The rack rows ``node`` carries: reached through the power graph, or held (a hall)."""
    if node.kind == "rack_row":
        return [node]
    if node.kind == "hall":
        return topology.rows(node.id)
    seen, todo, rows = {node.id}, [node.id], []
    while todo:
        for consumer in topology.supplies.get(todo.pop(), ()):
            if consumer in seen:
                continue
            seen.add(consumer)
            todo.append(consumer)
            found = topology.facilities.get(consumer)
            if found is not None and found.kind == "rack_row":
                rows.append(found)
    return rows


def drawn(node: FacilityNode, rows: list[FacilityNode], kw: Mapping[str, float]) -> float | None:
    """The facility's latest draw: its ``load_kw`` (a hall: ``it_load_kw``, else the sum of
    its rows' readings when any has one); None without a reading."""
    if node.id in kw:
        return kw[node.id]
    if node.kind == "hall":
        found = [kw[r.id] for r in rows if r.id in kw]
        return sum(found) if found else None
    return None


def capacities(
    topology: Topology,
    statuses: Mapping[str, str],
    booked: Mapping[str, int],
    kw: Mapping[str, float],
) -> list[Capacity]:
    """Capacity of every feed, substation, UPS, PDU, hall and rack row (catalogue order).

    ``statuses``: facility id -> status (for the redundancy level); ``booked``: rack row id
    -> racks booked in it; ``kw``: facility id -> latest power reading (a hall's
    ``it_load_kw``, everything else's ``load_kw``)."""
    levels = power_levels(topology, statuses)
    out = []
    for node in topology.of_kind(*CAPACITY_KINDS):
        rows = rows_fed(topology, node)
        factor = DESIGN_PUE if node.kind in GRID_KINDS else 1.0
        racks = sum(r.racks for r in rows)
        taken = sum(min(booked.get(r.id, 0), r.racks) for r in rows)
        design = racks * RACK_DESIGN_KW * factor
        allocated = taken * RACK_DESIGN_KW * factor
        now = drawn(node, rows, kw)
        headroom = design - max(allocated, now or 0.0)
        level = levels.get(rows[0].id) if node.kind == "rack_row" and rows else None
        if node.kind == "hall":
            row_levels = [levels.get(r.id, "none") for r in rows]
            level = min(row_levels, key=("none", "N", "2N").index) if row_levels else None
        out.append(
            Capacity(
                node.id,
                node.kind,
                node.parent,
                node.space,
                node.floor,
                design,
                allocated,
                now,
                headroom,
                racks,
                taken,
                level,
            )
        )
    return out


@dataclass(frozen=True)
class RowFit:
    """How many racks of the size asked a row can take."""

    row: str
    space: str | None
    free_racks: int
    headroom_kw: float
    placeable: int


@dataclass(frozen=True)
class HallFit:
    """A hall's answer to "where do N racks of P kW fit?": its rows' figures and whether
    they take the racks together."""

    hall: str
    space: str | None
    level: Level | None
    placeable: int
    fits: bool
    rows: tuple[RowFit, ...]


def fit(
    found: list[Capacity],
    free: Mapping[str, int],
    racks: int,
    kw_per_rack: float,
    level: Level | None,
) -> list[HallFit]:
    """Each hall's room for ``racks`` racks of ``kw_per_rack``: per row, :func:`placeable`
    over its free positions (``free``: row id -> racks the leasing search finds free) and
    its headroom; only rows fed at ``level`` (``2N``/``N``; None: any) count. Halls that fit
    come first, most room first."""
    halls: dict[str, list[RowFit]] = {}
    for c in found:
        if c.kind != "rack_row" or c.parent is None:
            continue
        ok = level is None or c.level == level
        n = placeable(free.get(c.facility, 0), c.headroom_kw, kw_per_rack) if ok else 0
        halls.setdefault(c.parent, []).append(
            RowFit(c.facility, c.space, free.get(c.facility, 0), c.headroom_kw, n)
        )
    by_id = {c.facility: c for c in found}
    out = [
        HallFit(
            hall,
            by_id[hall].space if hall in by_id else None,
            by_id[hall].level if hall in by_id else None,
            sum(r.placeable for r in rows),
            sum(r.placeable for r in rows) >= racks,
            tuple(rows),
        )
        for hall, rows in halls.items()
    ]
    return sorted(out, key=lambda h: (not h.fits, -h.placeable))
