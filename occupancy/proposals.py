"""Proposals: sets of adjacent available units whose total area falls in the range asked.

Units of 40–174 m² answer no one asking for 500–1,000 m² on their own. A proposal is a
connected set of candidate units (the availability search's matches): units on one floor that
share an edge (:func:`occupancy.spaces.shared_edges`), or, when ``stacked``, also units on the
floors just above and below whose footprints overlap (a proposal may then span floors of one
building). Its total area is in [``min_area_m2``, ``max_area_m2``].

Ranking, best first: least excess over the minimum asked (m², to the whole m²); then fewest
units; then the most compact outline (:attr:`Proposal.shape`: the outline's perimeter over a
square's of the same area, 1 = a square; a second floor adds its own perimeter); then
catalogue order.

Bounded search, never exponential: a beam search per group of units (a floor, or a building
when stacked). It starts from every candidate unit; each step extends every kept partial set by
one neighbouring unit, never beyond the maximum; a set that reaches the minimum is a proposal
and grows no further; of the rest only the :data:`BEAM` most compact go on. At most
:data:`MAX_UNITS` steps, so the work per group is at most about
MAX_UNITS × BEAM × (the neighbours of a set), whatever the floor's size; a group whose
:data:`MAX_UNITS` largest candidates hold less than the minimum is not searched at all.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import shapely
from shapely.geometry import Polygon

from occupancy.availability import Match
from occupancy.errors import LeasingInvalid
from occupancy.spaces import TOUCH_TOLERANCE_M, Space, shared_edges

BEAM = 128
"""Partial sets kept per step and group."""
MAX_UNITS = 40
"""Most units in one proposal (more is a whole floor: the contiguous-block filter's answer)."""
MIN_STACK_OVERLAP_M2 = 1.0
"""Footprint overlap for units on consecutive floors to count as stacked neighbours, m²."""


@dataclass(frozen=True)
class ProposalQuery:
    """The range asked, m² (``max_area_m2`` None: no upper bound), whether a proposal may span
    stacked floors, and how many proposals to answer."""

    min_area_m2: float
    max_area_m2: float | None = None
    stacked: bool = False
    limit: int = 10

    def __post_init__(self) -> None:
        if self.min_area_m2 <= 0:
            raise LeasingInvalid("min_area_m2", "must be more than 0 m²")
        if self.max_area_m2 is not None and self.max_area_m2 < self.min_area_m2:
            raise LeasingInvalid(
                "max_area_m2",
                f"{self.max_area_m2:g} m² is below min_area_m2 {self.min_area_m2:g} m²",
            )


@dataclass(frozen=True)
class Outline:
    """The union of a proposal's unit footprints on one floor (EPSG:32651)."""

    floor: str
    level: int
    polygon: Polygon
    area_m2: float


@dataclass(frozen=True)
class Proposal:
    """Adjacent units taken together, in catalogue order, with their area and fit."""

    matches: tuple[Match, ...]
    area_m2: float
    excess_m2: float
    shape: float
    outlines: tuple[Outline, ...]

    @property
    def ids(self) -> list[str]:
        return [m.space.id for m in self.matches]

    @property
    def building(self) -> str:
        return self.matches[0].space.building

    @property
    def ready_from(self) -> date:
        """The first day every unit is free and its building in use (or planned to be)."""
        return max(max(m.free_from, m.ready_on or m.free_from) for m in self.matches)


class _Group:
    """Candidate units that may join one proposal, with their neighbours and shared edges."""

    def __init__(self, matches: Sequence[Match], stacked: bool):
        self.matches = list(matches)
        spaces = [m.space for m in self.matches]
        self.area = [s.area_m2 for s in spaces]
        self.perimeter = [s.polygon.length for s in spaces]
        self.shared: dict[tuple[int, int], float] = {}
        self.neighbours: list[list[int]] = [[] for _ in spaces]
        floors: dict[int, list[int]] = {}
        for i, s in enumerate(spaces):
            floors.setdefault(s.level, []).append(i)
        for level, idx in floors.items():
            for a, b, length in shared_edges([spaces[i].polygon for i in idx]):
                # measured within the touch tolerance: the two ends overshoot by it
                self._link(idx[a], idx[b], length - 2 * TOUCH_TOLERANCE_M)
            if stacked and level + 1 in floors:
                self._stack(spaces, idx, floors[level + 1])

    def _link(self, i: int, j: int, shared: float) -> None:
        self.shared[min(i, j), max(i, j)] = shared
        self.neighbours[i].append(j)
        self.neighbours[j].append(i)

    def _stack(self, spaces: list[Space], below: list[int], above: list[int]) -> None:
        polygons = [spaces[i].polygon for i in above]
        tree = shapely.STRtree(polygons)
        for i in below:
            for k in tree.query(spaces[i].polygon, predicate="intersects"):
                j = above[int(k)]
                if spaces[i].polygon.intersection(spaces[j].polygon).area >= MIN_STACK_OVERLAP_M2:
                    self._link(i, j, 0.0)

    def shape(self, perimeter: float, area: float) -> float:
        return perimeter / (4 * math.sqrt(area)) if area > 0 else math.inf

    def search(self, q: ProposalQuery) -> Iterable[tuple[frozenset[int], float, float]]:
        """Connected sets in range: (unit indices, area m², outline perimeter m)."""
        top = math.inf if q.max_area_m2 is None else q.max_area_m2
        found: dict[frozenset[int], tuple[float, float]] = {}
        beam: dict[frozenset[int], tuple[float, float]] = {}
        for i, area in enumerate(self.area):
            if area <= top:
                beam[frozenset((i,))] = (area, self.perimeter[i])
        for _ in range(MAX_UNITS):
            grow: dict[frozenset[int], tuple[float, float]] = {}
            for units, (area, perimeter) in beam.items():
                if area >= q.min_area_m2:
                    found[units] = (area, perimeter)
                    continue
                for j in {n for i in units for n in self.neighbours[i]} - units:
                    if area + self.area[j] > top:
                        continue
                    joined = units | {j}
                    if joined in grow:
                        continue
                    touch = sum(
                        self.shared[min(i, j), max(i, j)] for i in self.neighbours[j] if i in units
                    )
                    grow[joined] = (area + self.area[j], perimeter + self.perimeter[j] - 2 * touch)
            if not grow:
                break
            kept = sorted(grow.items(), key=lambda kv: (self.shape(kv[1][1], kv[1][0]), -kv[1][0]))
            beam = dict(kept[:BEAM])
        for units, (area, perimeter) in beam.items():
            if area >= q.min_area_m2:
                found[units] = (area, perimeter)
        return ((u, a, p) for u, (a, p) in found.items())


def outline(spaces: Sequence[Space]) -> tuple[Outline, ...]:
    """The union of the footprints, floor by floor (cm gaps between units closed)."""
    floors: dict[str, list[Space]] = {}
    for s in spaces:
        floors.setdefault(s.floor, []).append(s)
    out = []
    for floor, on in floors.items():
        grown = [shapely.buffer(s.polygon, TOUCH_TOLERANCE_M, join_style="mitre") for s in on]
        union = shapely.buffer(shapely.union_all(grown), -TOUCH_TOLERANCE_M, join_style="mitre")
        out.append(Outline(floor, on[0].level, union, sum(s.area_m2 for s in on)))
    return tuple(sorted(out, key=lambda o: o.level))


def _may_reach(members: Sequence[Match], min_area_m2: float) -> bool:
    """Whether a group's candidates could make ``min_area_m2`` m²: together, and in their
    :data:`MAX_UNITS` largest (else the beam search would run all its steps for nothing)."""
    areas = sorted((m.space.area_m2 for m in members), reverse=True)
    return sum(areas[:MAX_UNITS]) >= min_area_m2


def proposals(
    matches: Iterable[Match], order: Mapping[str, int], query: ProposalQuery
) -> tuple[list[Proposal], int]:
    """The best ``query.limit`` proposals from the office ``matches`` of an availability search
    (ranked as the module says) and how many were found in all."""
    groups: dict[str, list[Match]] = {}
    for m in matches:
        if m.space.kind == "office":
            group_of = m.space.building if query.stacked else m.space.floor
            groups.setdefault(group_of, []).append(m)
    ranked: list[tuple[tuple[float, int, float, int], _Group, frozenset[int], float]] = []
    for members in groups.values():
        if not _may_reach(members, query.min_area_m2):
            continue
        group = _Group(members, query.stacked)
        for units, area, perimeter in group.search(query):
            shape = group.shape(perimeter, area)
            first = min(order[group.matches[i].space.id] for i in units)
            key = (round(area - query.min_area_m2), len(units), round(shape, 3), first)
            ranked.append((key, group, units, shape))
    ranked.sort(key=lambda r: r[0])
    out = []
    for _, group, units, shape in ranked[: query.limit]:
        chosen = sorted((group.matches[i] for i in units), key=lambda m: order[m.space.id])
        area = sum(m.space.area_m2 for m in chosen)
        out.append(
            Proposal(
                matches=tuple(chosen),
                area_m2=area,
                excess_m2=area - query.min_area_m2,
                shape=shape,
                outlines=outline([m.space for m in chosen]),
            )
        )
    return out, len(ranked)
