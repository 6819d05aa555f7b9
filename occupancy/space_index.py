"""Column arrays of a space catalogue, so the static filters of a search (kind, place, level,
area, 2N) are numpy masks instead of a Python test per space."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from occupancy.availability import AvailabilityQuery
    from occupancy.spaces import Space, SpaceCatalog


@dataclass(frozen=True)
class SpaceArrays:
    """One row per space, in catalogue order."""

    spaces: list[Space]
    rack: np.ndarray  # bool
    level: np.ndarray  # int
    area: np.ndarray  # float, m²
    building: np.ndarray  # int codes
    parcel: np.ndarray  # int codes
    building_codes: dict[str, int]
    parcel_codes: dict[str, int]
    rack_rows: np.ndarray  # indices of the racks
    zone_parcels: dict[str, frozenset[str]]

    @classmethod
    def of(cls, catalog: SpaceCatalog) -> SpaceArrays:
        spaces = list(catalog.spaces.values())
        buildings = {b: i for i, b in enumerate(dict.fromkeys(s.building for s in spaces))}
        parcels = {p: i for i, p in enumerate(dict.fromkeys(s.parcel for s in spaces))}
        rack = np.array([s.kind == "rack" for s in spaces], dtype=bool)
        return cls(
            spaces=spaces,
            rack=rack,
            level=np.array([s.level for s in spaces], dtype=np.int32),
            area=np.array([s.area_m2 for s in spaces], dtype=float),
            building=np.array([buildings[s.building] for s in spaces], dtype=np.int32),
            parcel=np.array([parcels[s.parcel] for s in spaces], dtype=np.int32),
            building_codes=buildings,
            parcel_codes=parcels,
            rack_rows=np.flatnonzero(rack),
            zone_parcels=catalog.zone_parcels,
        )

    def select(self, q: AvailabilityQuery, two_n: AbstractSet[str]) -> list[Space]:
        """The spaces that pass the query's static filters, in catalogue order."""
        mask = np.ones(len(self.spaces), dtype=bool)
        if q.kind is not None:
            mask &= self.rack if q.kind == "rack" else ~self.rack
        if q.building is not None:
            mask &= self.building == self.building_codes.get(q.building, -1)
        if q.parcel is not None:
            mask &= self.parcel == self.parcel_codes.get(q.parcel, -1)
        if q.zone is not None:
            inside = self.zone_parcels.get(q.zone, frozenset())
            codes = [self.parcel_codes[p] for p in inside if p in self.parcel_codes]
            mask &= np.isin(self.parcel, codes)
        if q.min_level is not None:
            mask &= self.level >= q.min_level
        if q.max_level is not None:
            mask &= self.level <= q.max_level
        if q.min_area_m2 is not None:
            mask &= self.area >= q.min_area_m2
        if q.max_area_m2 is not None:
            mask &= self.area <= q.max_area_m2
        if q.two_n is not None:
            fed = np.zeros(len(self.spaces), dtype=bool)
            fed[self.rack_rows] = [self.spaces[i].id in two_n for i in self.rack_rows]
            mask &= self.rack & (fed == q.two_n)
        return [self.spaces[i] for i in np.flatnonzero(mask)]
