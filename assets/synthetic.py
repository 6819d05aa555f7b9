"""A synthetic campus of any size, for benchmarks and scale tests (``twin synth``).

``synthesize(n, seed)`` lays ``n`` office and mixed-use buildings out on a grid of parcels
inside a core zone inside a park, plus one data centre (a 3,000-rack quota on two external
feeds, so racks, halls and the power graph exist) on its own parcel south of the grid. Every
building's use, footprint, storeys and place in its parcel is drawn from ``random.Random(seed)``
in building order, so the same ``(n, seed)`` gives the same dataset, byte for byte, and the
first ``k`` buildings of a campus are the same buildings (same units) whatever ``n`` is.

Floors are cut into units of :data:`LAYOUT` (10 m deep, 8 m bays): footprints are whole
multiples of the bay, so a floor holds 18 to 22 units (about 20) and a building about
:data:`UNITS_PER_BUILDING` on average. :func:`buildings_for_units` gives the ``n`` for a number
of units. Nothing here is published: every entity is ``provenance: "schematic"``, cites no
fact, and ``facts.json`` is empty; names say "synthetic".
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Literal

import shapely
from pydantic import BaseModel

from assets.generate import dumps
from assets.layout import ORIGIN_LONLAT
from assets.models import (
    Building,
    BuildingsFile,
    FacilitiesFile,
    Facility,
    FactsFile,
    Layout,
    Name,
    Origin,
    Parcel,
    Ring,
    SiteFile,
    Zone,
)
from geometry.crs import lonlat_to_utm
from geometry.floorplate import FloorLayout, subdivide

MAX_BUILDINGS = 50_000
"""Largest campus :func:`synthesize` makes (ids carry five digits)."""
LAYOUT = Layout(depth_m=10.0, bay_width_m=8.0)
"""Units 10 m deep from the facade, in bays of 8 m."""
FOOTPRINTS = ((40.0, 32.0), (48.0, 32.0), (56.0, 32.0), (40.0, 40.0), (48.0, 40.0))
"""Footprint sizes (width east-west, depth north-south, m): 18, 20, 22, 20 and 22 units a floor."""
OFFICE_SHARE = 0.7
"""Share of buildings that are offices; the others are mixed use."""
OFFICE_STOREYS, MIXED_STOREYS = (6, 24), (3, 10)
"""Inclusive ranges of storeys by use."""
STOREY_HEIGHT_M = {"office": 4.2, "mixed": 3.9}
PARCEL_M = (80.0, 60.0)
"""Parcel width and depth, m."""
STREET_M = 20.0
"""Gap between neighbouring parcels, m."""
SETBACK_M = 4.0
"""Least distance from a footprint to its parcel's edge, m."""
CORE_MARGIN_M, PARK_MARGIN_M = 30.0, 300.0
"""Core beyond the outermost parcels, park beyond the core, m."""
DC_PARCEL_M, DC_FOOTPRINT_M = (140.0, 100.0), (100.0, 70.0)
DC_STOREYS, DC_STOREY_HEIGHT_M, DC_RACKS = 5, 6.0, 3000
"""The data centre: four hall floors over a plant floor, 3,000 racks in eight halls."""
UNITS_PER_BUILDING = 250
"""About how many units a building holds on average (20.4 a floor × 12.2 storeys)."""
SCHEMATIC = "schematic"
Use = Literal["office", "mixed"]


@dataclass(frozen=True)
class Spec:
    """What is drawn for one building: use, footprint size and offset in its parcel (m)."""

    use: Use
    width_m: float
    depth_m: float
    storeys: int
    offset: tuple[float, float]

    @property
    def units(self) -> int:
        """Leasable units of the building: units a floor times storeys."""
        return units_per_floor(self.width_m, self.depth_m) * self.storeys


@dataclass(frozen=True)
class SyntheticCampus:
    """The four dataset files of a synthetic campus, as their models."""

    site: SiteFile
    buildings: BuildingsFile
    facilities: FacilitiesFile
    facts: FactsFile
    units: int
    """Office units of the campus (the data centre's racks are not counted)."""

    def files(self) -> dict[str, BaseModel]:
        """The models keyed by dataset file name (``site.json`` ...)."""
        return {
            "site.json": self.site,
            "buildings.json": self.buildings,
            "facilities.json": self.facilities,
            "facts.json": self.facts,
        }

    def texts(self) -> dict[str, str]:
        """The canonical text of each file, keyed by file name (:func:`file_text`)."""
        return {name: file_text(model) for name, model in self.files().items()}


def file_text(model: BaseModel) -> str:
    """A dataset file's canonical text, as :mod:`assets.generate` writes the embedded one
    (fields left unset, ``null``, are omitted)."""
    return dumps(model.model_dump(mode="json", exclude_none=True))


@cache
def units_per_floor(width_m: float, depth_m: float) -> int:
    """Units on one floor of a ``width_m`` × ``depth_m`` footprint cut by :data:`LAYOUT`."""
    plate = shapely.box(0.0, 0.0, width_m, depth_m)
    return len(subdivide(plate, FloorLayout(LAYOUT.depth_m, LAYOUT.bay_width_m)).units)


def _specs(seed: int) -> Iterator[Spec]:
    """The endless sequence of building specs of ``seed``."""
    rng = random.Random(seed)
    while True:
        use: Use = "office" if rng.random() < OFFICE_SHARE else "mixed"
        width, depth = rng.choice(FOOTPRINTS)
        low, high = OFFICE_STOREYS if use == "office" else MIXED_STOREYS
        storeys = rng.randint(low, high)
        slack_x = PARCEL_M[0] - 2 * SETBACK_M - width
        slack_y = PARCEL_M[1] - 2 * SETBACK_M - depth
        offset = (float(rng.randint(0, int(slack_x))), float(rng.randint(0, int(slack_y))))
        yield Spec(use, width, depth, storeys, offset)


def _check_count(what: str, value: int, limit: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
        raise ValueError(f"{what} must be a whole number from 1 to {limit:,}, got {value!r}")


def check_buildings(buildings: int) -> None:
    """Refuse a building count :func:`synthesize` cannot make.

    Raises
    ------
    ValueError
        If ``buildings`` is not a whole number from 1 to :data:`MAX_BUILDINGS`.
    """
    _check_count("buildings", buildings, MAX_BUILDINGS)


def buildings_for_units(units: int, seed: int = 1) -> int:
    """The fewest buildings whose campus (of ``seed``) holds at least ``units`` units.

    Raises
    ------
    ValueError
        If ``units`` is not a positive whole number or needs more than :data:`MAX_BUILDINGS`.
    """
    _check_count("units", units, MAX_BUILDINGS * UNITS_PER_BUILDING)
    total = 0
    for n, spec in enumerate(_specs(seed), start=1):
        total += spec.units
        if total >= units:
            return n
        if n == MAX_BUILDINGS:
            break
    raise ValueError(f"{units:,} units need more than {MAX_BUILDINGS:,} buildings")


def _box(x0: float, y0: float, x1: float, y1: float) -> Ring:
    """A counter-clockwise rectangle ring, rounded to the cm (EPSG:32651 m)."""
    return [(round(x, 2), round(y, 2)) for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]


def _name(zh: str, en: str) -> Name:
    return Name(zh=zh, en=en)


class _Grid:
    """Where parcel ``k`` (0-based) lies: rows of ``cols`` parcels, running east then south,
    centred on the origin ``(ox, oy)`` (EPSG:32651 m)."""

    def __init__(self, n: int, ox: float, oy: float):
        self.cols = math.ceil(math.sqrt(n))
        self.rows = math.ceil(n / self.cols)
        pitch_x, pitch_y = PARCEL_M[0] + STREET_M, PARCEL_M[1] + STREET_M
        self.pitch = (pitch_x, pitch_y)
        self.west = ox - (self.cols * pitch_x - STREET_M) / 2
        self.north = oy + (self.rows * pitch_y - STREET_M) / 2

    def parcel(self, k: int) -> tuple[float, float]:
        """South-west corner of parcel ``k``, m."""
        row, col = divmod(k, self.cols)
        return self.west + col * self.pitch[0], self.north - row * self.pitch[1] - PARCEL_M[1]

    @property
    def south(self) -> float:
        """Southern edge of the last row, m."""
        return self.north - self.rows * self.pitch[1] + STREET_M


def _office(k: int, spec: Spec, corner: tuple[float, float]) -> tuple[Parcel, Building]:
    pid, bid = f"plot-{k:05d}", f"bldg-{k:05d}"
    px, py = corner
    parcel = Parcel(
        id=pid,
        name=_name(f"合成地块{k}", f"Synthetic plot {k}"),
        zone="core",
        role="plot",
        polygon=_box(px, py, px + PARCEL_M[0], py + PARCEL_M[1]),
        provenance=SCHEMATIC,
    )
    x0, y0 = px + SETBACK_M + spec.offset[0], py + SETBACK_M + spec.offset[1]
    building = Building(
        id=bid,
        name=_name(f"合成{k}号楼", f"Synthetic building {k}"),
        parcel=pid,
        use=spec.use,
        footprint=_box(x0, y0, x0 + spec.width_m, y0 + spec.depth_m),
        storeys=spec.storeys,
        storey_height_m=STOREY_HEIGHT_M[spec.use],
        layout=LAYOUT,
        provenance=SCHEMATIC,
    )
    return parcel, building


def _data_centre(grid: _Grid) -> tuple[Parcel, Building, list[Facility]]:
    px, py = grid.west, grid.south - STREET_M - DC_PARCEL_M[1]
    parcel = Parcel(
        id="plot-dc",
        name=_name("合成数据中心地块", "Synthetic data centre plot"),
        zone="core",
        role="plot",
        polygon=_box(px, py, px + DC_PARCEL_M[0], py + DC_PARCEL_M[1]),
        provenance=SCHEMATIC,
    )
    x0 = px + (DC_PARCEL_M[0] - DC_FOOTPRINT_M[0]) / 2
    y0 = py + (DC_PARCEL_M[1] - DC_FOOTPRINT_M[1]) / 2
    building = Building(
        id="datacentre-1",
        name=_name("合成数据中心", "Synthetic data centre"),
        parcel="plot-dc",
        use="data_centre",
        footprint=_box(x0, y0, x0 + DC_FOOTPRINT_M[0], y0 + DC_FOOTPRINT_M[1]),
        storeys=DC_STOREYS,
        storey_height_m=DC_STOREY_HEIGHT_M,
        provenance=SCHEMATIC,
    )
    facilities = [
        Facility(
            id="dc-1",
            name=_name("合成数据中心", "Synthetic data centre"),
            kind="data_centre",
            building="datacentre-1",
            rack_quota=DC_RACKS,
            provenance=SCHEMATIC,
        ),
        *(
            Facility(
                id=f"feed-{side}",
                name=_name(f"外部供电{side.upper()}路", f"External power feed {side.upper()}"),
                kind="power_feed",
                building="datacentre-1",
                provenance=SCHEMATIC,
            )
            for side in ("a", "b")
        ),
    ]
    return parcel, building, facilities


def _zones(parcels: list[Parcel], n: int, seed: int) -> list[Zone]:
    """The core around every parcel (:data:`CORE_MARGIN_M`) and the park around the core."""
    xs = [x for p in parcels for x, _ in p.polygon]
    ys = [y for p in parcels for _, y in p.polygon]
    core = (min(xs) - CORE_MARGIN_M, min(ys) - CORE_MARGIN_M)
    core_ne = (max(xs) + CORE_MARGIN_M, max(ys) + CORE_MARGIN_M)
    label = f"{n:,} buildings, seed {seed}"
    return [
        Zone(
            id="park",
            kind="park",
            name=_name(f"合成园区({n}栋,种子{seed})", f"Synthetic campus ({label})"),
            polygon=_box(
                core[0] - PARK_MARGIN_M,
                core[1] - PARK_MARGIN_M,
                core_ne[0] + PARK_MARGIN_M,
                core_ne[1] + PARK_MARGIN_M,
            ),
            provenance=SCHEMATIC,
        ),
        Zone(
            id="core",
            kind="core",
            name=_name("合成核心区", "Synthetic core area"),
            parent="park",
            polygon=_box(*core, *core_ne),
            provenance=SCHEMATIC,
        ),
    ]


def synthesize(
    buildings: int, seed: int = 1, progress: Callable[[int], None] | None = None
) -> SyntheticCampus:
    """A synthetic campus of ``buildings`` office and mixed buildings and one data centre.

    Parameters
    ----------
    buildings : office and mixed-use buildings, 1 to :data:`MAX_BUILDINGS`.
    seed : the random seed; the same seed gives the same campus.
    progress : called with the number of buildings laid out so far.

    Raises
    ------
    ValueError
        If ``buildings`` is not a whole number from 1 to :data:`MAX_BUILDINGS`.
    """
    check_buildings(buildings)
    ox, oy = lonlat_to_utm(*ORIGIN_LONLAT)
    grid = _Grid(buildings, round(ox, 2), round(oy, 2))
    parcels: list[Parcel] = []
    made: list[Building] = []
    units = 0
    for k, spec in zip(range(1, buildings + 1), _specs(seed), strict=False):
        parcel, building = _office(k, spec, grid.parcel(k - 1))
        parcels.append(parcel)
        made.append(building)
        units += spec.units
        if progress is not None:
            progress(k)
    dc_parcel, dc_building, facilities = _data_centre(grid)
    parcels.append(dc_parcel)
    origin = Origin(lon=ORIGIN_LONLAT[0], lat=ORIGIN_LONLAT[1], provenance=SCHEMATIC)
    return SyntheticCampus(
        site=SiteFile(
            crs="EPSG:32651",
            origin=origin,
            zones=_zones(parcels, buildings, seed),
            parcels=parcels,
        ),
        buildings=BuildingsFile(crs="EPSG:32651", buildings=[*made, dc_building]),
        facilities=FacilitiesFile(crs="EPSG:32651", facilities=facilities),
        facts=FactsFile(facts=[]),
        units=units,
    )
