"""The twin's facilities as SensorThings entities, each set a :class:`~api.sta.odata.Table`.

Ids are strings: a Thing is a facility (``dc/hall-1``); a Location is a building
(``data-centre``) or a facility with its own place (``feed-a``); a Sensor and an
ObservedProperty are a metric name (``supply_temp_c``); a Datastream is ``facility:metric``;
an Observation is ``facility:metric:t`` with ``t`` its observation time in POSIX microseconds;
a HistoricalLocation is ``facility@location``. Everything is read through the facilities'
query functions (``twin.facilities.queries``) and the campus, never from tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

from api.sta.odata import Table, rows_table
from api.timeparam import answer_time
from assets.facilities.kinds import MetricSpec
from assets.facilities.topology import Topology
from geometry.crs import utm_to_lonlat
from twin.derived import Derived, facility_topology
from twin.facilities import queries
from twin.runtime import Twin

SETS = (
    "Things",
    "Locations",
    "HistoricalLocations",
    "Sensors",
    "ObservedProperties",
    "Datastreams",
    "Observations",
)
OPERATIONS_ONLY = frozenset({"Sensors", "ObservedProperties", "Datastreams", "Observations"})
"""Metric values and which metrics exist are for operations tokens, as under /api/v1."""
PARK_UNVEILED = datetime(2023, 10, 27, tzinfo=UTC)
"""F1: the time of a HistoricalLocation of a facility with no status history yet."""
EARLIEST, LATEST = datetime(1970, 1, 1, tzinfo=UTC), datetime(9999, 1, 1, tzinfo=UTC)
"""The widest range of observation times read."""
MEASUREMENT = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"
UCUM = {"kW": "kW", "°C": "Cel", "%": "%", "kV": "kV", "Gbit/s": "Gbit/s", "ms": "ms"}


@dataclass(frozen=True)
class Link:
    """A navigation property: rows of ``target`` whose ``target_key`` equals the source's
    ``source_key``; ``single`` when it is one entity (``Datastream/Thing``)."""

    target: str
    target_key: str
    source_key: str
    single: bool = False


LINKS: dict[str, dict[str, Link]] = {
    "Things": {
        "Locations": Link("Locations", "@iot.id", "_location"),
        "HistoricalLocations": Link("HistoricalLocations", "Thing/@iot.id", "@iot.id"),
        "Datastreams": Link("Datastreams", "Thing/@iot.id", "@iot.id"),
    },
    "Locations": {
        "Things": Link("Things", "_location", "@iot.id"),
        "HistoricalLocations": Link("HistoricalLocations", "_location", "@iot.id"),
    },
    "HistoricalLocations": {
        "Thing": Link("Things", "@iot.id", "Thing/@iot.id", single=True),
        "Locations": Link("Locations", "@iot.id", "_location"),
    },
    "Sensors": {"Datastreams": Link("Datastreams", "Sensor/@iot.id", "@iot.id")},
    "ObservedProperties": {
        "Datastreams": Link("Datastreams", "ObservedProperty/@iot.id", "@iot.id")
    },
    "Datastreams": {
        "Thing": Link("Things", "@iot.id", "Thing/@iot.id", single=True),
        "Sensor": Link("Sensors", "@iot.id", "Sensor/@iot.id", single=True),
        "ObservedProperty": Link(
            "ObservedProperties", "@iot.id", "ObservedProperty/@iot.id", single=True
        ),
        "Observations": Link("Observations", "Datastream/@iot.id", "@iot.id"),
    },
    "Observations": {
        "Datastream": Link("Datastreams", "@iot.id", "Datastream/@iot.id", single=True)
    },
}


def _flat(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in row.items():
        if isinstance(v, dict) and k in ("properties", "unitOfMeasurement"):
            out.update(_flat(v, f"{prefix}{k}/"))
        elif not isinstance(v, dict | list):
            out[prefix + k] = v
    return out


def _table(name: str, rows: list[dict[str, Any]], hidden: list[dict[str, Any]]) -> Table:
    """A table rendering ``rows`` and filtering on them flattened plus the ``hidden`` columns."""
    table = rows_table(name, [{**_flat(r), **h} for r, h in zip(rows, hidden, strict=True)])
    table.row = lambda i: rows[i]
    return table


class Catalogue:
    """Every entity set of the twin now, for one request (``ops``: an operations token)."""

    def __init__(self, twin: Twin, ops: bool):
        self.twin, self.ops = twin, ops
        self.svc = twin.facilities
        self.now = datetime.now(UTC)
        self._tables: dict[str, Table] = {}

    def table(self, name: str) -> Table:
        if name not in self._tables:
            static = PER_VERSION.get(name)
            self._tables[name] = (
                self.twin.derived(self.now).get(static)
                if static is not None
                else getattr(self, f"_{name.lower()}")()
            )
        return self._tables[name]

    def _location_of(self) -> dict[str, str]:
        campus, out = self.twin.campus, {}
        for node in self.svc.topology.facilities.values():
            own = campus.facilities.get(node.id)
            if own is not None and own.location is not None:
                out[node.id] = node.id
            elif node.building in campus.footprints:
                out[node.id] = node.building
        return out

    def _things(self) -> Table:
        location = self._location_of()
        rows, hidden = [], []
        for v in queries.facility_views(self.svc, self.now, metrics=False):
            n = v.node
            props = {
                "kind": n.kind,
                "name_zh": n.name_zh,
                "parent": n.parent,
                "building": n.building,
                "floor": n.floor,
                "space": n.space,
                "racks": n.racks,
                "status": v.status,
                "effective_status": v.effective_status,
                "provenance": n.provenance,
            }
            if self.ops:
                props["note"] = v.note
            rows.append(
                {"@iot.id": n.id, "name": n.name_en, "description": n.kind, "properties": props}
            )
            hidden.append({"_location": location.get(n.id)})
        return _table("Things", rows, hidden)

    def _locations(self) -> Table:
        campus = self.twin.campus
        rows, seen = [], set()
        for place in self._location_of().values():
            if place in seen:
                continue
            seen.add(place)
            if place in campus.buildings:
                name = campus.buildings[place].name
                point = campus.footprints[place].centroid
            else:
                name = campus.facilities[place].name
                point = campus.facility_location(place)
            lon, lat = utm_to_lonlat(point.x, point.y)
            rows.append(
                {
                    "@iot.id": place,
                    "name": name.en,
                    "description": name.zh,
                    "encodingType": "application/geo+json",
                    "location": {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]},
                }
            )
        return _table("Locations", rows, [{} for _ in rows])

    def _historicallocations(self) -> Table:
        first: dict[str, datetime] = {}
        for c in queries.status_changes(self.svc, None, PARK_UNVEILED, self.now, 10**9):
            first[c.facility] = c.at  # newest first: the last one kept is the earliest
        rows, hidden = [], []
        for thing, place in self._location_of().items():
            at = first.get(thing, PARK_UNVEILED)
            rows.append({"@iot.id": f"{thing}@{place}", "time": answer_time(at)})
            hidden.append({"Thing/@iot.id": thing, "_location": place, "time": at.timestamp()})
        return _table("HistoricalLocations", rows, hidden)

    def observations(
        self,
        datastreams: list[str] | None = None,
        within: tuple[float, float] | None = None,
        *,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> Table:
        """The readings of ``datastreams`` (default: all), by observation time; only those
        observed ``within`` (POSIX s, inclusive) when given, and of each Datastream only the
        first ``limit`` in time order (the newest with ``newest_first``)."""
        ids = datastreams
        if ids is None:
            ids = [r for r in self.table("Datastreams").column("@iot.id")]
        lo, hi = within or (-np.inf, np.inf)
        start = datetime.fromtimestamp(max(lo, EARLIEST.timestamp()), UTC)
        end = datetime.fromtimestamp(min(hi, LATEST.timestamp()), UTC)
        parts = []
        for ds in ids:
            facility, metric = split_datastream(ds)
            times, values = queries.metric_values(
                self.svc, facility, metric, start, end, limit=limit, newest_first=newest_first
            )
            parts.append((ds, times, values))
        return observations_table(parts)

    def _observations(self) -> Table:
        return self.observations()


def _topology(derived: Derived) -> Topology:
    return derived.get(facility_topology)


def _specs(topology: Topology) -> dict[str, MetricSpec]:
    out: dict[str, MetricSpec] = {}
    for node in topology.facilities.values():
        for name, spec in node.metrics.items():
            out.setdefault(name, spec)
    return out


def sensors_table(derived: Derived) -> Table:
    """Sensors: one per metric (a campus version's, built once: ``derived.get``)."""
    rows = [
        {
            "@iot.id": name,
            "name": f"{name} reporting",
            "description": spec.description or name,
            "encodingType": "text/plain",
            "metadata": "Readings posted to /api/v1/facilities/readings or over MQTT",
        }
        for name, spec in _specs(_topology(derived)).items()
    ]
    return _table("Sensors", rows, [{} for _ in rows])


def observed_properties_table(derived: Derived) -> Table:
    """ObservedProperties: one per metric (built once per campus version)."""
    rows = [
        {
            "@iot.id": name,
            "name": name,
            "definition": f"urn:flying-fish:metric:{name}",
            "description": spec.description or name,
        }
        for name, spec in _specs(_topology(derived)).items()
    ]
    return _table("ObservedProperties", rows, [{} for _ in rows])


def datastreams_table(derived: Derived) -> Table:
    """Datastreams: one per facility and metric (built once per campus version)."""
    rows, hidden = [], []
    for node in _topology(derived).facilities.values():
        for name, spec in node.metrics.items():
            rows.append(
                {
                    "@iot.id": datastream_id(node.id, name),
                    "name": f"{node.name_en}: {name}",
                    "description": spec.description or name,
                    "observationType": MEASUREMENT,
                    "unitOfMeasurement": {
                        "name": spec.unit or "1",
                        "symbol": spec.unit,
                        "definition": "http://unitsofmeasure.org/ucum.html#"
                        + UCUM.get(spec.unit, "1"),
                    },
                    "properties": {
                        "facility": node.id,
                        "metric": name,
                        "valid_low": spec.low,
                        "valid_high": spec.high,
                        "limit_low": spec.limit_low,
                        "limit_high": spec.limit_high,
                    },
                }
            )
            hidden.append(
                {
                    "Thing/@iot.id": node.id,
                    "Thing/name": node.name_en,
                    "Sensor/@iot.id": name,
                    "ObservedProperty/@iot.id": name,
                }
            )
    return _table("Datastreams", rows, hidden)


def datastream_id(facility: str, metric: str) -> str:
    return f"{facility}:{metric}"


def split_datastream(ds: str) -> tuple[str, str]:
    facility, _, metric = ds.rpartition(":")
    return facility, metric


def observation_id(ds: str, t: float) -> str:
    return f"{ds}:{round(t * 1e6)}"


def observations_table(parts: list[tuple[str, np.ndarray, np.ndarray]]) -> Table:
    """Observations of several Datastreams: ``(datastream id, times, values)`` each."""
    times = np.concatenate([p[1] for p in parts]) if parts else np.empty(0)
    values = np.concatenate([p[2] for p in parts]) if parts else np.empty(0)
    owner = np.concatenate(
        [np.full(len(p[1]), p[0], dtype=object) for p in parts] or [np.empty(0, dtype=object)]
    )

    def ids() -> np.ndarray:
        return np.array([observation_id(d, t) for d, t in zip(owner, times, strict=True)], object)

    def row(i: int) -> dict[str, Any]:
        when = answer_time(datetime.fromtimestamp(float(times[i]), UTC))
        return {
            "@iot.id": observation_id(owner[i], float(times[i])),
            "phenomenonTime": when,
            "resultTime": when,
            "result": float(values[i]),
        }

    columns: dict[str, Callable[[], np.ndarray]] = {
        "@iot.id": ids,
        "phenomenonTime": lambda: times,
        "resultTime": lambda: times,
        "result": lambda: values,
        "Datastream/@iot.id": lambda: owner,
    }
    return Table("Observations", len(times), columns, row, (("phenomenonTime", False),))


def split_observation(oid: str) -> tuple[str, int] | None:
    """(datastream id, POSIX time in µs) of an Observation id, None if it is not one."""
    ds, _, micros = oid.rpartition(":")
    return (ds, int(micros)) if micros.isdigit() and ds else None


PER_VERSION: dict[str, Callable[[Derived], Table]] = {
    "Sensors": sensors_table,
    "ObservedProperties": observed_properties_table,
    "Datastreams": datastreams_table,
}
"""Entity sets that depend on the campus version alone: built once per version, shared by
requests (the others carry statuses and notes of the instant)."""
