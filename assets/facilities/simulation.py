"""Simulated telemetry of the campus's facilities: pure and deterministic (no I/O, no clock).

Every ``step`` of simulated time each facility reports its metrics as readings (JSON objects
as the twin takes them, marked ``"provenance": "simulated"``). The model is schematic:

- IT load follows a daily cycle (:func:`load_factor`: lowest at 04:00, highest at 16:00
  campus time) on every rack row that power reaches (8 kW a rack at full design, each row at a
  fixed share of it drawn from the seed); halls, PDUs, UPSs, substations, feeds and the data
  centre sum what they carry;
- the chiller plants share the heat in proportion to their available capacity; chilled water
  warms with their utilisation, a plant below capacity (a scenario's ``cooling`` window) runs
  warmer and less efficiently (its COP times its capacity), a warm afternoon costs more than a
  cool night, and PUE is total power (IT, losses, cooling, fixed loads) over IT power;
- a status event of the scenario (feed A in fault) is reported at its instant, and power is
  propagated through the graph as the twin does (:func:`assets.facilities.power.powered`);
- now and then (``glitch_rate`` per step) one value is a sensor glitch far outside its valid
  range, which the twin refuses: a :class:`Tick` counts them.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from assets.clock import CAMPUS_TZ
from assets.facilities.kinds import CARRYING
from assets.facilities.power import powered
from assets.facilities.scenario import Scenario
from assets.facilities.topology import Topology

PROVENANCE = "simulated"
"""The provenance of every simulated reading (the twin keeps it apart from measured ones)."""
RACK_KW = 8.0
PLANT_KW = 15_000.0
"""Heat one chiller plant removes at design capacity, kW (either carries the whole load)."""
UPS_KW = 18_000.0
SUBSTATION_KW = 20_000.0
COP_NIGHT, COP_AFTERNOON = 5.8, 5.0
"""Heat removed per kW of electrical power by a plant at full capacity: better in the cool
night than in the warm afternoon (Shanghai's outdoor air peaks about 15:00)."""
LOSSES = 0.06
"""UPS and distribution losses, as a share of IT load."""
FIXED_KW = 400.0
"""Lighting, pumps and offices of the data centre, whatever the load, kW."""


@dataclass(frozen=True)
class Tick:
    """The readings of one instant; ``glitches`` of them are out of range on purpose."""

    at: datetime
    readings: list[dict[str, Any]]
    glitches: int = 0


def load_factor(at: datetime) -> float:
    """Share of design IT load drawn at ``at`` (0.55 at 04:00, 0.85 at 16:00 campus time)."""
    local = at.astimezone(CAMPUS_TZ)
    hour = local.hour + local.minute / 60 + local.second / 3600
    return 0.70 - 0.15 * math.cos(2 * math.pi * (hour - 4) / 24)


def outdoor_factor(at: datetime) -> float:
    """How warm the outdoor air is, 0 (05:00 and before dawn) to 1 (15:00 campus time)."""
    local = at.astimezone(CAMPUS_TZ)
    hour = local.hour + local.minute / 60
    return 0.5 - 0.5 * math.cos(2 * math.pi * (hour - 3) / 24)


def ticks(topology: Topology, scenario: Scenario, start: datetime, seed: int = 0) -> Iterator[Tick]:
    """The readings of a run of ``scenario`` from ``start`` (aware), one :class:`Tick` a step.

    The first tick also reports every facility ``operational`` and the rows' racks; the
    scenario's status events are reported at their own instants."""
    rng = random.Random(seed)
    share = {r.id: rng.uniform(0.75, 1.0) for r in topology.of_kind("rack_row")}
    midnight = start.astimezone(CAMPUS_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    pending = [e for e in scenario.events if midnight + e.at >= start]
    statuses = {fid: "operational" for fid in topology.facilities}
    for e in scenario.events:  # events before the start are in force from it
        if midnight + e.at < start:
            statuses[e.facility] = e.status
    steps = int(scenario.duration / scenario.step)
    for n in range(steps + 1):
        at = start + n * scenario.step
        readings: list[dict[str, Any]] = []
        if n == 0:
            readings += [_status(fid, s, start) for fid, s in statuses.items()]
        while pending and midnight + pending[0].at <= at:
            e = pending.pop(0)
            statuses[e.facility] = e.status
            readings.append(_status(e.facility, e.status, midnight + e.at, e.note))
        capacity = {
            w.facility: w.capacity for w in scenario.cooling if w.start <= at - midnight < w.end
        }
        values = plant_values(topology, statuses, capacity, share, at, rng)
        if n == 0:
            for row in topology.of_kind("rack_row"):
                values[row.id, "racks_installed"] = row.racks
                values[row.id, "racks_energised"] = row.racks if values[row.id, "load_kw"] else 0
        glitches = 0
        if values and rng.random() < scenario.glitch_rate:
            facility, metric = rng.choice(sorted(values))
            values[facility, metric] = topology.facilities[facility].metrics[metric].high + 1000
            glitches = 1
        readings += [_metric(topology, f, m, v, at) for (f, m), v in values.items()]
        yield Tick(at, readings, glitches)


def plant_values(
    topology: Topology,
    statuses: dict[str, str],
    capacity: dict[str, float],
    share: dict[str, float],
    at: datetime,
    rng: random.Random,
) -> dict[tuple[str, str], float]:
    """Every metric value at ``at`` under ``statuses``: (facility, metric) -> value."""
    live = powered(topology, statuses)
    factor = load_factor(at) * (1 + rng.gauss(0, 0.01))
    out: dict[tuple[str, str], float] = {}
    side_kw: dict[str, float] = {}  # what each UPS carries, kW
    it_kw = 0.0
    for hall in topology.of_kind("hall"):
        hall_kw = 0.0
        for row in topology.rows(hall.id):
            kw = row.racks * RACK_KW * factor * share[row.id] if row.id in live else 0.0
            out[row.id, "load_kw"] = kw
            hall_kw += kw
        pdus = [p for p in topology.children(hall.id) if p.kind == "pdu"]
        rating = hall.racks * RACK_KW * 2 / max(len(pdus), 1)
        carrying = [p for p in pdus if p.id in live]
        for pdu in pdus:
            kw = hall_kw / len(carrying) if pdu in carrying else 0.0
            out[pdu.id, "load_kw"], out[pdu.id, "load_pct"] = kw, 100 * kw / rating
            for supplier in topology.suppliers.get(pdu.id, ()):
                side_kw[supplier] = side_kw.get(supplier, 0.0) + kw
        out[hall.id, "it_load_kw"] = hall_kw
        it_kw += hall_kw
    cop = COP_NIGHT - (COP_NIGHT - COP_AFTERNOON) * outdoor_factor(at)
    cooling_kw = _cooling(topology, statuses, live, capacity, it_kw, (factor, cop), out, rng)
    for ups in topology.of_kind("ups"):
        kw = side_kw.get(ups.id, 0.0) * (1 + LOSSES) if ups.id in live else 0.0
        out[ups.id, "load_kw"], out[ups.id, "load_pct"] = kw, 100 * kw / UPS_KW
        if ups.id in live:
            out[ups.id, "battery_charge_pct"] = 100.0
    for sub in topology.of_kind("substation"):
        consumers = topology.supplies.get(sub.id, ())
        kw = sum(out.get((c, "load_kw"), cooling_kw.get(c, 0.0)) for c in consumers)
        out[sub.id, "load_kw"] = kw
        out[sub.id, "transformer_temp_c"] = 35 + 45 * kw / SUBSTATION_KW + rng.gauss(0, 0.3)
        for feed in topology.suppliers.get(sub.id, ()):
            out[feed, "load_kw"] = kw if statuses[feed] in CARRYING else 0.0
            if statuses[feed] in CARRYING:
                out[feed, "voltage_kv"] = 10.0 + rng.gauss(0, 0.03)
                out[feed, "frequency_hz"] = 50.0 + rng.gauss(0, 0.02)
    for dc in topology.of_kind("data_centre"):
        out[dc.id, "it_load_kw"] = it_kw
        if it_kw > 0:
            total = it_kw * (1 + LOSSES) + sum(cooling_kw.values()) + FIXED_KW
            out[dc.id, "pue"] = total / it_kw
    _others(topology, statuses, factor, out, rng)
    return {k: round(v, 3) for k, v in out.items() if k[1] in topology.facilities[k[0]].metrics}


def _cooling(
    topology: Topology,
    statuses: dict[str, str],
    live: set[str],
    capacity: dict[str, float],
    it_kw: float,
    factor_cop: tuple[float, float],
    out: dict[tuple[str, str], float],
    rng: random.Random,
) -> dict[str, float]:
    """Chiller plants and halls' air under (load factor, COP): fills ``out``; returns each
    plant's power, kW."""
    factor, cop = factor_cop
    plants = [
        p.id for p in topology.of_kind("cooling") if p.id in live and statuses[p.id] in CARRYING
    ]
    available = {p: PLANT_KW * capacity.get(p, 1.0) for p in plants}
    total = sum(available.values()) or 1.0
    power: dict[str, float] = {}
    chw = []
    for plant in topology.of_kind("cooling"):
        if plant.id not in available:
            out[plant.id, "cooling_kw"], out[plant.id, "power_kw"] = 0.0, 0.0
            continue
        cap = capacity.get(plant.id, 1.0)
        heat = it_kw * available[plant.id] / total
        use = min(heat / max(available[plant.id], 1.0), 1.5)
        supply = 9 + 2 * use + 20 * (1 - cap) + rng.gauss(0, 0.1)
        out[plant.id, "chw_supply_temp_c"] = supply
        out[plant.id, "chw_return_temp_c"] = supply + 4 + 3 * use
        out[plant.id, "cooling_kw"] = heat
        power[plant.id] = out[plant.id, "power_kw"] = heat / (cop * max(cap, 0.1))
        chw.append(supply)
    warm = max(0.0, sum(chw) / len(chw) - 11) if chw else 10.0
    for hall in topology.of_kind("hall"):
        supply = 19.5 + 2 * factor + 0.9 * warm + rng.gauss(0, 0.15)
        out[hall.id, "supply_temp_c"] = supply
        out[hall.id, "return_temp_c"] = supply + 10 + 4 * factor
        out[hall.id, "humidity_pct"] = 45 + rng.gauss(0, 1.5)
    return power


def _others(
    topology: Topology,
    statuses: dict[str, str],
    factor: float,
    out: dict[tuple[str, str], float],
    rng: random.Random,
) -> None:
    """Networks, the service centre and the office building's systems."""
    for f in topology.of_kind("network_core", "network_link"):
        cap = f.capacity if statuses[f.id] in CARRYING else 0.0
        out[f.id, "throughput_gbps"] = cap * (0.25 + 0.35 * factor)
        out[f.id, "cpu_pct"] = 25 + 30 * factor + rng.gauss(0, 1)
        out[f.id, "latency_ms"] = 35 + rng.gauss(0, 2) if cap else 0.0
        out[f.id, "packet_loss_pct"] = abs(rng.gauss(0, 0.02)) if cap else 0.0
    for f in topology.of_kind("service_centre"):
        out[f.id, "power_kw"] = 250 + 150 * factor + rng.gauss(0, 5)
        out[f.id, "indoor_temp_c"] = 23 + rng.gauss(0, 0.4)
    for f in topology.of_kind("building_system"):
        out[f.id, "load_kw"] = 400 + 300 * factor + rng.gauss(0, 10)
        out[f.id, "supply_temp_c"] = 16 + rng.gauss(0, 0.3)
        out[f.id, "throughput_gbps"] = f.capacity * (0.1 + 0.3 * factor)


def _status(facility: str, status: str, at: datetime, note: str | None = None) -> dict[str, Any]:
    reading = {"facility": facility, "status": status, "observed_at": _iso(at)}
    if note:
        reading["note"] = note
    return reading | {"provenance": PROVENANCE}


def _metric(
    topology: Topology, facility: str, metric: str, value: float, at: datetime
) -> dict[str, Any]:
    return {
        "facility": facility,
        "metric": metric,
        "value": value,
        "unit": topology.facilities[facility].metrics[metric].unit,
        "observed_at": _iso(at),
        "provenance": PROVENANCE,
    }


def _iso(at: datetime) -> str:
    return at.astimezone(CAMPUS_TZ).isoformat()
