"""Kinds of facility, their statuses and the metrics each reports, with units and ranges.

Every metric has a *valid range* (a reading outside it is a sensor or transport error and is
refused) and optional *alarm limits* (a reading outside them is accepted and raises an alert).
Ranges and limits are schematic engineering values (``provenance: "schematic"``): ASHRAE's
recommended 18–27 °C data-hall supply air, a 10 kV feed within ±5 %, 2N distribution kept
under half load per side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from assets.history import FACILITY_STATUSES

Kind = Literal[
    "data_centre",
    "power_feed",
    "substation",
    "ups",
    "pdu",
    "hall",
    "rack_row",
    "cooling",
    "network_core",
    "network_link",
    "service_centre",
    "building_system",
]
STATUSES: tuple[str, ...] = FACILITY_STATUSES
"""planned, under_construction, operational, degraded, fault, offline, maintenance."""
CARRYING = frozenset({"operational", "degraded"})
"""Statuses in which a facility carries power (or does its job at all)."""
DOWN = {"fault": "critical", "offline": "critical", "maintenance": "warning"}
"""Statuses that take a facility in service out of it, with the severity of the alert."""
SEVERITY_ORDER = ("fault", "offline", "degraded", "maintenance", "under_construction", "planned")
"""Statuses from worst to mildest; ``operational`` is best (for a floor's colour, say)."""

UNIT_ALIASES = {"degC": "°C", "Cel": "°C", "C": "°C", "Gbps": "Gbit/s", "percent": "%"}
"""Spellings accepted for a unit, mapped to the catalogue's (UCUM ``Cel``, ASCII ``degC``)."""


@dataclass(frozen=True)
class MetricSpec:
    """A metric: its unit, the valid range of a reading and its alarm limits (same unit)."""

    name: str
    unit: str
    low: float
    high: float
    limit_low: float | None = None
    limit_high: float | None = None
    description: str = ""

    def within_limits(self, value: float) -> bool:
        """Whether ``value`` is inside the alarm limits (no limit: always)."""
        if self.limit_low is not None and value < self.limit_low:
            return False
        return self.limit_high is None or value <= self.limit_high


def _m(
    name: str,
    unit: str,
    low: float,
    high: float,
    limit_low: float | None = None,
    limit_high: float | None = None,
    description: str = "",
) -> MetricSpec:
    return MetricSpec(name, unit, low, high, limit_low, limit_high, description)


LOAD = _m("load_kw", "kW", 0, 40_000, description="Active power drawn")
METRICS: dict[str, tuple[MetricSpec, ...]] = {
    "data_centre": (
        _m("it_load_kw", "kW", 0, 60_000, description="IT load of the whole data centre"),
        _m("pue", "1", 1.0, 5.0, None, 1.3, "Power usage effectiveness"),
    ),
    "power_feed": (
        LOAD,
        _m("voltage_kv", "kV", 0, 15, 9.5, 10.5, "Line voltage of the 10 kV feed"),
        _m("frequency_hz", "Hz", 45, 55, 49.5, 50.5, "Grid frequency"),
    ),
    "substation": (
        LOAD,
        _m("transformer_temp_c", "°C", -30, 200, None, 95, "Transformer winding temperature"),
    ),
    "ups": (
        _m("load_kw", "kW", 0, 20_000),
        _m("load_pct", "%", 0, 150, None, 90, "Load against rated capacity"),
        _m("battery_charge_pct", "%", 0, 100, 80, None, "Battery state of charge"),
    ),
    "pdu": (
        _m("load_kw", "kW", 0, 3_000),
        _m("load_pct", "%", 0, 150, None, 50, "2N: each side must carry the other's load"),
    ),
    "hall": (
        _m("supply_temp_c", "°C", -10, 60, 18, 27, "Supply air temperature (ASHRAE 18–27 °C)"),
        _m("return_temp_c", "°C", -10, 70, None, 40, "Return air temperature"),
        _m("humidity_pct", "%", 0, 100, 20, 80, "Relative humidity"),
        _m("it_load_kw", "kW", 0, 10_000, description="IT load of the hall"),
    ),
    "rack_row": (
        _m("load_kw", "kW", 0, 400, None, 200, "Load of the row (25 racks × 8 kW design)"),
        _m("racks_installed", "racks", 0, 0, description="Racks installed in the row"),
        _m("racks_energised", "racks", 0, 0, description="Racks energised in the row"),
    ),
    "cooling": (
        _m("chw_supply_temp_c", "°C", 0, 30, 7, 18, "Chilled-water supply temperature"),
        _m("chw_return_temp_c", "°C", 0, 40, None, 24, "Chilled-water return temperature"),
        _m("cooling_kw", "kW", 0, 30_000, description="Heat removed"),
        _m("power_kw", "kW", 0, 10_000, description="Electrical power drawn"),
    ),
    "network_core": (
        _m("throughput_gbps", "Gbit/s", 0, 0, description="Traffic through the core"),
        _m("cpu_pct", "%", 0, 100, None, 80, "Control-plane CPU"),
    ),
    "network_link": (
        _m("throughput_gbps", "Gbit/s", 0, 0, description="Traffic on the link"),
        _m("latency_ms", "ms", 0, 10_000, None, 200, "Round-trip time to the far end"),
        _m("packet_loss_pct", "%", 0, 100, None, 1, "Packets lost"),
    ),
    "service_centre": (
        _m("power_kw", "kW", 0, 2_000),
        _m("indoor_temp_c", "°C", -10, 50, 16, 28, "Indoor temperature"),
    ),
    "building_system": (),
}
"""Metrics of each kind. A range ending at 0 takes the facility's capacity (racks, Gbit/s)."""

SYSTEM_METRICS: dict[str, tuple[MetricSpec, ...]] = {
    "power": (_m("load_kw", "kW", 0, 5_000),),
    "hvac": (_m("supply_temp_c", "°C", -10, 60, 14, 28, "Supply air temperature"),),
    "network": (_m("throughput_gbps", "Gbit/s", 0, 0),),
}
"""Metrics of a building's systems, by system (the last part of its id)."""


def metrics_for(kind: str, system: str, capacity: float) -> dict[str, MetricSpec]:
    """The metrics of one facility; ranges ending at 0 end at ``capacity`` instead, whose
    alarm limit is 80 % of it (racks: no limit)."""
    specs = SYSTEM_METRICS.get(system, ()) if kind == "building_system" else METRICS[kind]
    out: dict[str, MetricSpec] = {}
    for spec in specs:
        if spec.high == 0:
            limit = None if spec.unit == "racks" else round(0.8 * capacity, 3)
            spec = MetricSpec(
                spec.name, spec.unit, spec.low, capacity, None, limit, spec.description
            )
        out[spec.name] = spec
    return out


def worst(statuses: list[str]) -> str:
    """The worst of several statuses (``operational`` if all are; ``planned`` if none)."""
    if not statuses:
        return "planned"
    for status in SEVERITY_ORDER:
        if status in statuses:
            return status
    return "operational"
