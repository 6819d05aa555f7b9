"""Power usage effectiveness (PUE) of a data centre from power readings (pure).

PUE is the total power the facility takes in (the sum of its external feeds' ``load_kw``)
over the power its IT equipment draws (the sum of its rack rows' ``load_kw``): 1.0 would be a
facility whose every kilowatt reaches the racks. A hall's *partial* PUE (pPUE) is its power
distribution's input (its PDUs' ``load_kw``) over its rows' load: the losses between the PDUs
and the racks (cooling is shared between halls, so it cannot be split by hall).

The design target is the ``pue`` metric's alarm limit in :mod:`assets.facilities.kinds`
(1.3, schematic: no published source gives the data centre's target).

WUE (water usage effectiveness) needs water readings; the catalogue has no water metric, so
it is not computed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from assets.facilities.kinds import METRICS
from assets.facilities.topology import Topology

POWER_METRIC = "load_kw"
"""The metric (kW) of feeds, PDUs and rack rows that PUE is made of."""
_PUE = next(m for m in METRICS["data_centre"] if m.name == "pue")
DESIGN_PUE = float(_PUE.limit_high or 0.0)
"""The design target: the ``pue`` metric's alarm limit (schematic)."""
DESIGN_PUE_PROVENANCE = "schematic"


@dataclass(frozen=True)
class Ratio:
    """A PUE-like ratio: ``total_kw`` over ``it_kw`` (None when ``it_kw`` is not positive or a
    part is missing), with the ids whose readings were used and those without a reading."""

    total_kw: float
    it_kw: float
    value: float | None
    used: tuple[str, ...]
    missing: tuple[str, ...]


def ratio(total_ids: Iterable[str], it_ids: Iterable[str], kw: Mapping[str, float]) -> Ratio:
    """Sum ``kw`` (facility id -> kW) over ``total_ids`` and over ``it_ids`` and divide.

    The ratio is None when either side has no reading at all or the IT side sums to 0 kW."""
    totals, its = list(total_ids), list(it_ids)
    used = tuple(i for i in totals + its if i in kw)
    missing = tuple(i for i in totals + its if i not in kw)
    total = sum(kw[i] for i in totals if i in kw)
    it = sum(kw[i] for i in its if i in kw)
    has_both = any(i in kw for i in totals) and any(i in kw for i in its)
    value = total / it if has_both and it > 0 else None
    return Ratio(total, it, value, used, missing)


@dataclass(frozen=True)
class Efficiency:
    """A data centre's PUE and each hall's partial PUE at one instant."""

    data_centre: str
    pue: Ratio
    halls: dict[str, Ratio]


def pue_parts(topology: Topology, data_centre: str) -> tuple[list[str], list[str]]:
    """(feeds, rack rows) of ``data_centre``: the ids whose ``load_kw`` make its PUE."""
    building = topology.facilities[data_centre].building
    feeds = [f.id for f in topology.of_kind("power_feed") if f.building == building]
    rows = [r.id for r in topology.of_kind("rack_row") if r.id.startswith(f"{data_centre}/")]
    return feeds, rows


def series_needed(topology: Topology, data_centre: str) -> list[str]:
    """Every facility whose ``load_kw`` :func:`efficiency` reads."""
    feeds, rows = pue_parts(topology, data_centre)
    pdus = [p.id for p in topology.of_kind("pdu") if p.id.startswith(f"{data_centre}/")]
    return feeds + pdus + rows


def efficiency(topology: Topology, data_centre: str, kw: Mapping[str, float]) -> Efficiency:
    """PUE of ``data_centre`` and partial PUE of each of its halls from ``kw`` (facility id
    -> latest ``load_kw``)."""
    feeds, rows = pue_parts(topology, data_centre)
    halls = {}
    for hall in topology.of_kind("hall"):
        if hall.parent != data_centre:
            continue
        pdus = [c.id for c in topology.children(hall.id) if c.kind == "pdu"]
        halls[hall.id] = ratio(pdus, [r.id for r in topology.rows(hall.id)], kw)
    return Efficiency(data_centre, ratio(feeds, rows, kw), halls)
