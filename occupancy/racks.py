"""Data-centre racks for lease: halls on the data centre's floors, rows of racks in each hall.

The sources give only the energy quota (about 3,000 racks, F6) and the building (S2); the
hall layout is schematic. Racks fill halls on the upper floors (the ground floor holds the
power and cooling plant), two halls per floor, rows of :data:`RACKS_PER_ROW` racks. Ids are
deterministic: ``data-centre/H1/R03/K12`` is rack 12 of row 3 in hall 1.

Which racks are fed by both external feeds (2N) comes from the design until facility status
exists: the halls of the lower three quarters of the hall floors are 2N, the rest hang on the
first feed only (N). :func:`design_two_n` gives that set; every consumer takes the set as a
parameter so a live one (feeds in service at an instant) can replace it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from shapely.geometry import Polygon

from assets.campus import Campus
from geometry.shapes import oriented, ring_coords

RACK_WIDTH_M = 0.6
"""Width of one rack along its row, m."""
RACK_DEPTH_M = 1.2
"""Depth of one rack, m."""
ROW_PITCH_M = 3.6
"""Distance between the centre lines of neighbouring rows (rack plus hot and cold aisle), m."""
RACKS_PER_ROW = 25
HALLS_PER_FLOOR = 2
HALL_MARGIN_M = 6.0
"""Clearance around a hall's racks (cooling units and aisles along its walls), m."""


@dataclass(frozen=True)
class Hall:
    """A data hall: ``floor`` is the floor id, ``feeds`` the external feeds that supply it."""

    id: str
    building: str
    floor: str
    level: int
    feeds: tuple[str, ...]
    outline: Polygon


@dataclass(frozen=True)
class Rack:
    """One leasable rack position, ``polygon`` its footprint (EPSG:32651)."""

    id: str
    building: str
    hall: str
    floor: str
    level: int
    row: int
    position: int
    feeds: tuple[str, ...]
    polygon: Polygon

    @property
    def design_two_n(self) -> bool:
        """Whether the design feeds the rack from two external feeds (2N)."""
        return len(self.feeds) >= 2


def _axes(plate: Polygon) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float]:
    """Origin, unit axes along the longest edge (pointing east) and into the plate, and the
    plate's lengths along them (m). The plate is taken as a rectangle."""
    ring = ring_coords(plate)
    n = len(ring)
    i = max(range(n), key=lambda k: float(np.linalg.norm(ring[(k + 1) % n] - ring[k])))
    origin, u = ring[i], ring[(i + 1) % n] - ring[i]
    v = ring[i - 1] - ring[i]  # a CCW ring: the previous vertex lies to the left, inside
    if u[0] < 0:  # run the halls west to east
        origin, u = ring[(i + 1) % n], -u
    lu, lv = float(np.linalg.norm(u)), float(np.linalg.norm(v))
    return origin, u / lu, v / lv, lu, lv


def _box(
    origin: np.ndarray, u: np.ndarray, v: np.ndarray, a0: float, a1: float, b0: float, b1: float
) -> Polygon:
    corners = [origin + u * a + v * b for a, b in ((a0, b0), (a1, b0), (a1, b1), (a0, b1))]
    return oriented(Polygon(corners))


def _feeds(campus: Campus, building: str) -> tuple[str, ...]:
    return tuple(
        sorted(
            f.id
            for f in campus.facilities.values()
            if f.kind == "power_feed" and f.building == building
        )
    )


def data_centres(campus: Campus) -> list[tuple[str, int]]:
    """(building id, rack quota) of every data centre facility with a quota."""
    return [
        (f.building, int(f.rack_quota))
        for f in campus.facilities.values()
        if f.kind == "data_centre" and f.building and f.rack_quota
    ]


def layout_racks(campus: Campus, building: str, quota: int) -> tuple[list[Hall], list[Rack]]:
    """Halls and racks of one data centre: ``quota`` racks over its upper floors.

    Each floor's length is split among :data:`HALLS_PER_FLOOR` halls; in a hall the rows run
    along the floor's length, :data:`ROW_PITCH_M` apart, centred; the hall's outline is the
    rows' extent plus :data:`HALL_MARGIN_M`. The rest of the floor is plant space.

    Raises
    ------
    ValueError
        If the building has no floor above the ground floor or the racks do not fit.
    """
    floors = campus.floors(building)[1:]
    if not floors or quota <= 0:
        raise ValueError(f"{building}: no floor above the ground floor for {quota} racks")
    halls_n = len(floors) * HALLS_PER_FLOOR
    per_hall = math.ceil(quota / halls_n)
    rows_n = math.ceil(per_hall / RACKS_PER_ROW)
    origin, u, v, lu, lv = _axes(floors[0].plate)
    row_len = RACKS_PER_ROW * RACK_WIDTH_M
    depth = (rows_n - 1) * ROW_PITCH_M + RACK_DEPTH_M
    if row_len + 2 * HALL_MARGIN_M > lu / HALLS_PER_FLOOR or depth + 2 * HALL_MARGIN_M > lv:
        raise ValueError(f"{building}: {per_hall} racks do not fit in a hall")
    feeds = _feeds(campus, building)
    two_n_floors = math.ceil(len(floors) * 3 / 4)
    halls: list[Hall] = []
    racks: list[Rack] = []
    left = quota
    b0 = (lv - depth) / 2
    for f_index, floor in enumerate(floors):
        hall_feeds = feeds if f_index < two_n_floors else feeds[:1]
        for h in range(HALLS_PER_FLOOR):
            number = f_index * HALLS_PER_FLOOR + h + 1
            hid = f"{building}/H{number}"
            a0 = (h + 0.5) * lu / HALLS_PER_FLOOR - row_len / 2
            m = HALL_MARGIN_M / 2
            outline = _box(origin, u, v, a0 - m, a0 + row_len + m, b0 - m, b0 + depth + m)
            halls.append(Hall(hid, building, floor.id, floor.level, hall_feeds, outline))
            for i in range(min(per_hall, left)):
                r, k = divmod(i, RACKS_PER_ROW)
                a, b = a0 + k * RACK_WIDTH_M, b0 + r * ROW_PITCH_M
                racks.append(
                    Rack(
                        f"{hid}/R{r + 1:02d}/K{k + 1:02d}",
                        building,
                        hid,
                        floor.id,
                        floor.level,
                        r + 1,
                        k + 1,
                        hall_feeds,
                        _box(origin, u, v, a, a + RACK_WIDTH_M, b, b + RACK_DEPTH_M),
                    )
                )
            left -= min(per_hall, left)
    return halls, racks


def campus_racks(campus: Campus) -> tuple[list[Hall], list[Rack]]:
    """Halls and racks of every data centre of the campus (F6: 3,000 racks)."""
    halls: list[Hall] = []
    racks: list[Rack] = []
    for building, quota in data_centres(campus):
        h, r = layout_racks(campus, building, quota)
        halls += h
        racks += r
    return halls, racks


def design_two_n(racks: list[Rack]) -> frozenset[str]:
    """Ids of the racks the design feeds from both external feeds (2N)."""
    return frozenset(r.id for r in racks if r.design_two_n)
