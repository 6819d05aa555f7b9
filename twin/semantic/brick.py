"""The campus in Brick (with RealEstateCore types where they fit), as an RDF graph.

The site, its buildings (``brick:Building``, ``rec:Building``) and storeys (``brick:Storey``,
``rec:Level``), leasable units (``brick:Space``), data halls (``brick:Server_Room``) and rack
rows (``brick:Space``); the power chain along ``brick:feeds`` exactly as the facility topology
supplies power (external feed -> substation -> UPS -> PDU -> rack row, and to cooling and
the core network); chillers and network equipment; and a ``brick:Point`` for every metric of
every facility, with a ``ref:TimeseriesReference`` naming its SensorThings Datastream
(``{sta_url}/Datastreams('facility:metric')``) so a tool can fetch its readings.

Brick has no class for an external supply circuit, a UPS or a PDU: they are typed with the
nearest Brick equipment (``brick:Switchgear``, ``brick:Energy_Storage``,
``brick:Breaker_Panel``) and say what they are in ``rdfs:comment``.
"""

from __future__ import annotations

from urllib.parse import quote

from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef

from assets.campus import Campus
from assets.facilities.topology import FacilityNode, Topology

BRICK = Namespace("https://brickschema.org/schema/Brick#")
REF = Namespace("https://brickschema.org/schema/Brick/ref#")
REC = Namespace("https://w3id.org/rec#")
UNIT = Namespace("http://qudt.org/vocab/unit/")
QUDT = Namespace("http://qudt.org/schema/qudt/")
CAMPUS = Namespace("urn:flying-fish:")

EQUIPMENT = {
    "power_feed": (BRICK.Switchgear, "external power supply circuit (F6)"),
    "substation": (BRICK.Transformer, "substation of one external feed"),
    "ups": (BRICK.Energy_Storage, "uninterruptible power supply system"),
    "pdu": (BRICK.Breaker_Panel, "power distribution unit of a data hall"),
    "cooling": (BRICK.Chiller, "chiller plant"),
    "network_core": (BRICK.Network_Router, "core network"),
    "network_link": (BRICK.Network_Router, "international link"),
}
SYSTEMS = {
    "power": BRICK.Electrical_Equipment,
    "hvac": BRICK.HVAC_Equipment,
    "lifts": BRICK.Elevator,
    "fire-safety": BRICK.Fire_Safety_Equipment,
    "network": BRICK.Data_Network_Equipment,
}
"""A building's systems, by the last part of their id, as Brick equipment (a point belongs
to equipment or a location in Brick, not to a system)."""
POINTS = {
    "supply_temp_c": BRICK.Supply_Air_Temperature_Sensor,
    "return_temp_c": BRICK.Return_Air_Temperature_Sensor,
    "chw_supply_temp_c": BRICK.Chilled_Water_Supply_Temperature_Sensor,
    "chw_return_temp_c": BRICK.Chilled_Water_Return_Temperature_Sensor,
    "indoor_temp_c": BRICK.Air_Temperature_Sensor,
    "transformer_temp_c": BRICK.Temperature_Sensor,
    "humidity_pct": BRICK.Relative_Humidity_Sensor,
    "voltage_kv": BRICK.Voltage_Sensor,
    "frequency_hz": BRICK.Frequency_Sensor,
    "cooling_kw": BRICK.Thermal_Power_Sensor,
}
UNITS = {
    "kW": UNIT["KiloW"],
    "°C": UNIT["DEG_C"],
    "%": UNIT["PERCENT"],
    "kV": UNIT["KiloV"],
    "Hz": UNIT["HZ"],
    "ms": UNIT["MilliSEC"],
    "Gbit/s": UNIT["GigaBIT-PER-SEC"],
}


def node(kind: str, ident: str) -> URIRef:
    """The IRI of a campus thing: ``urn:flying-fish:facility/dc/hall-1``."""
    return CAMPUS[f"{kind}/{quote(ident, safe='/-._~')}"]


def datastream_url(sta_url: str, facility: str, metric: str) -> str:
    """The SensorThings Datastream of a facility's metric (see ``api.sta.entities``)."""
    return f"{sta_url}/Datastreams('{quote(f'{facility}:{metric}', safe='/:-._~')}')"


def _point_class(metric: str) -> URIRef:
    if metric in POINTS:
        return POINTS[metric]
    if metric.endswith("_kw"):
        return BRICK.Electric_Power_Sensor
    return BRICK.Sensor


def _label(g: Graph, subject: URIRef, en: str, zh: str | None = None) -> None:
    g.add((subject, RDFS.label, Literal(en, lang="en")))
    if zh:
        g.add((subject, RDFS.label, Literal(zh, lang="zh")))


class _Builder:
    def __init__(self, campus: Campus, topology: Topology, sta_url: str):
        self.campus, self.topology, self.sta_url = campus, topology, sta_url
        self.g = Graph()
        names = (("brick", BRICK), ("ref", REF), ("rec", REC), ("unit", UNIT), ("qudt", QUDT))
        for prefix, ns in names:
            self.g.bind(prefix, ns)
        self.g.bind("ff", CAMPUS)
        self.site = CAMPUS["site"]

    def places(self) -> None:
        g, campus = self.g, self.campus
        g.add((self.site, RDF.type, BRICK.Site))
        _label(g, self.site, "Information Flying Fish", "信息飞鱼")
        for b in campus.buildings.values():
            building = node("building", b.id)
            g.add((building, RDF.type, BRICK.Building))
            g.add((building, RDF.type, REC.Building))
            _label(g, building, b.name.en, b.name.zh)
            g.add((self.site, BRICK.hasPart, building))
            for f in campus.floors(b.id):
                storey = node("storey", f.id)
                g.add((storey, RDF.type, BRICK.Storey))
                g.add((storey, RDF.type, REC.Level))
                _label(g, storey, f.id)
                g.add((building, BRICK.hasPart, storey))
            for u in campus.units(b.id):
                unit = node("space", u.id)
                g.add((unit, RDF.type, BRICK.Space))
                _label(g, unit, u.id)
                g.add((node("storey", u.floor), BRICK.hasPart, unit))

    def where(self, n: FacilityNode) -> URIRef | None:
        """The place a facility is in: its hall, storey or building."""
        if n.kind == "rack_row" and n.parent:
            return node("facility", n.parent)
        if n.floor:
            return node("storey", n.floor)
        return node("building", n.building) if n.building in self.campus.buildings else None

    def facility(self, n: FacilityNode) -> URIRef:
        """The facility's subject, typed and placed."""
        g = self.g
        if n.kind in ("data_centre", "service_centre") and n.building in self.campus.buildings:
            return node("building", n.building)  # the building is the facility
        subject = node("facility", n.id)
        _label(g, subject, n.name_en, n.name_zh)
        place = self.where(n)
        if n.kind in ("hall", "rack_row"):
            g.add((subject, RDF.type, BRICK.Server_Room if n.kind == "hall" else BRICK.Space))
            if place is not None:
                g.add((place, BRICK.hasPart, subject))
            return subject
        if n.kind == "building_system":
            g.add((subject, RDF.type, SYSTEMS.get(n.id.rsplit("/", 1)[-1], BRICK.Equipment)))
        else:
            cls, what = EQUIPMENT.get(n.kind, (BRICK.Equipment, n.kind))
            g.add((subject, RDF.type, cls))
            g.add((subject, RDFS.comment, Literal(what, lang="en")))
        if place is not None:
            g.add((subject, BRICK.hasLocation, place))
        return subject

    def points(self, n: FacilityNode, subject: URIRef) -> None:
        g = self.g
        for name, spec in n.metrics.items():
            point = node("point", f"{n.id}/{name}")
            g.add((point, RDF.type, _point_class(name)))
            _label(g, point, f"{n.name_en}: {name}")
            if spec.description:
                g.add((point, RDFS.comment, Literal(spec.description, lang="en")))
            if spec.unit in UNITS:
                g.add((point, BRICK.hasUnit, UNITS[spec.unit]))
                g.add((UNITS[spec.unit], RDF.type, QUDT.Unit))  # as QUDT says: not bundled
            g.add((subject, BRICK.hasPoint, point))
            ref = BNode()
            g.add((point, REF.hasExternalReference, ref))
            g.add((ref, RDF.type, REF.TimeseriesReference))
            g.add((ref, REF.hasTimeseriesId, Literal(f"{n.id}:{name}")))
            g.add((ref, REF.storedAt, Literal(datastream_url(self.sta_url, n.id, name))))

    def build(self) -> Graph:
        self.places()
        subjects = {n.id: self.facility(n) for n in self.topology.facilities.values()}
        for n in self.topology.facilities.values():
            self.points(n, subjects[n.id])
        for supplier, consumers in self.topology.supplies.items():
            for consumer in consumers:
                self.g.add((subjects[supplier], BRICK.feeds, subjects[consumer]))
        return self.g


def campus_brick(campus: Campus, topology: Topology, sta_url: str) -> Graph:
    """The campus and its facilities as a Brick graph; ``sta_url`` is the SensorThings root
    (``https://host/sta/v1.1``) the points' time-series references point at."""
    return _Builder(campus, topology, sta_url.rstrip("/")).build()


def campus_turtle(campus: Campus, topology: Topology, sta_url: str) -> str:
    """:func:`campus_brick` as Turtle text."""
    return campus_brick(campus, topology, sta_url).serialize(format="turtle")
