"""Availability search: which spaces a tenant could take, from a date, matching filters.

A space is a candidate when no live booking takes it on or after the day asked for (the
``available_from`` date, else the day of ``at``) and, when a date is asked for, its building is
in use or planned to be by then. Office candidates on one floor that touch form contiguous
blocks (``min_contiguous_m2``); rack candidates in one hall form a block of racks
(``min_racks``). Racks of a given power (``kw_per_rack``) are offered only as far as their
row's power headroom allows (:func:`assets.facilities.capacity.placeable`, the rule the
capacity figures use too). Results come sorted, with the count and total area of every match.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Literal, NamedTuple

from assets.facilities.capacity import placeable
from assets.history import State, local_day
from occupancy.spaces import Kind, Space, SpaceCatalog
from occupancy.status import NOT_READY, Readiness, Status, classify, utc_text

Sort = Literal["location", "area", "-area", "block", "ready"]
SORTS: tuple[Sort, ...] = ("location", "area", "-area", "block", "ready")


@dataclass(frozen=True)
class AvailabilityQuery:
    """Filters of a search; None means no filter. Areas in m², levels 1 = ground floor."""

    kind: Kind | None = None
    min_area_m2: float | None = None
    max_area_m2: float | None = None
    parcel: str | None = None
    zone: str | None = None
    """Spaces on any parcel of this zone or of a zone inside it (the fish: its five parcels)."""
    building: str | None = None
    min_level: int | None = None
    max_level: int | None = None
    available_from: date | None = None
    min_contiguous_m2: float | None = None
    two_n: bool | None = None
    min_racks: int | None = None
    kw_per_rack: float | None = None
    """Racks of this power (kW): each row offers no more than its headroom takes."""
    sort: Sort = "location"


class Match(NamedTuple):
    """A space that matches, with its status, the day it is free from, and its block: the
    contiguous run of matching units (or the hall of matching racks) it belongs to."""

    space: Space
    status: Status
    free_from: date
    ready_on: date | None
    two_n: bool
    block: str
    block_area_m2: float
    block_spaces: int


@dataclass(frozen=True)
class Availability:
    matches: list[Match]
    total_area_m2: float
    racks: int
    racks_two_n: int
    blocks: int
    day: date


def _blocks(spaces: list[Space], catalog: SpaceCatalog) -> dict[str, tuple[str, float, int]]:
    """For each space, (block id, block area m², spaces in block): touching candidate units of
    one floor form a block, named by its first unit in catalogue order; racks group by hall."""
    units = {s.id: s for s in spaces if s.kind != "rack"}
    out: dict[str, tuple[str, float, int]] = {}
    seen: set[str] = set()
    for sid in units:
        if sid in seen:
            continue
        seen.add(sid)
        block, stack = [sid], [sid]
        while stack:
            for n in catalog.neighbours.get(stack.pop(), ()):
                if n in units and n not in seen:
                    seen.add(n)
                    block.append(n)
                    stack.append(n)
        name = min(block, key=catalog.order.__getitem__)
        area = sum(units[b].area_m2 for b in block)
        for b in block:
            out[b] = (name, area, len(block))
    halls: dict[str, list[Space]] = {}
    for s in spaces:
        if s.kind == "rack":
            halls.setdefault(s.group, []).append(s)
    for hall, racks in halls.items():
        area = sum(r.area_m2 for r in racks)
        for r in racks:
            out[r.id] = (hall, area, len(racks))
    return out


def _sort_key(q: AvailabilityQuery, order: Mapping[str, int]) -> Callable[[Match], Any]:
    if q.sort == "area":
        return lambda m: (m.space.area_m2, order[m.space.id])
    if q.sort == "-area":
        return lambda m: (-m.space.area_m2, order[m.space.id])
    if q.sort == "block":
        return lambda m: (
            -m.block_area_m2,
            order.get(m.block, 0),
            order[m.space.id],
        )
    if q.sort == "ready":
        return lambda m: (max(m.free_from, m.ready_on or date.max), order[m.space.id])
    return lambda m: order[m.space.id]


def search(
    catalog: SpaceCatalog,
    space_states: Mapping[str, State],
    buildings: Mapping[str, Readiness],
    at: datetime,
    query: AvailabilityQuery,
    two_n: AbstractSet[str] | None = None,
    headroom_kw: Mapping[str, float] | None = None,
) -> Availability:
    """Spaces available at ``at`` matching ``query``.

    Parameters
    ----------
    space_states : the ``space:<id>`` streams' states at ``at`` (missing: never booked).
    buildings : each building's readiness at ``at``.
    two_n : ids of the racks fed by both external feeds; default the design's
        (:attr:`SpaceCatalog.design_two_n`) until live facility status replaces it.
    headroom_kw : power headroom (kW) by rack row id (``data-centre/H1/R03``), read when
        ``query.kw_per_rack`` is set (a row missing from it takes no rack).
    """
    fed = catalog.design_two_n if two_n is None else two_n
    today = date.fromisoformat(local_day(at))
    today_text, now_text = today.isoformat(), utc_text(at)
    day = query.available_from or today
    candidates: list[tuple[Space, Status, date, Readiness]] = []
    since = query.available_from
    for s in catalog.arrays.select(query, fed):
        ready = buildings.get(s.building, NOT_READY)
        if since is not None and not ready.ready_by(since):
            continue
        state = space_states.get(s.stream)
        if not state:  # never booked: most spaces
            candidates.append((s, "available" if ready.in_use else "not_ready", today, ready))
            continue
        seen = classify(state, today_text, now_text, ready, today)
        if seen.free_from <= day:
            candidates.append((s, seen.status, seen.free_from, ready))
    if query.kw_per_rack is not None:
        candidates = _within_power(candidates, headroom_kw or {}, query.kw_per_rack)
    blocks = _blocks([c[0] for c in candidates], catalog)
    matches = [
        Match._make((s, status, free, ready.ready_on, s.id in fed, *blocks[s.id]))
        for s, status, free, ready in candidates
    ]
    if query.min_contiguous_m2 is not None:
        matches = [m for m in matches if m.block_area_m2 >= query.min_contiguous_m2]
    if query.min_racks is not None:
        matches = [
            m for m in matches if m.space.kind == "rack" and m.block_spaces >= query.min_racks
        ]
    matches.sort(key=_sort_key(query, catalog.order))
    return with_matches(matches, day)


def _within_power(
    candidates: list[tuple[Space, Status, date, Readiness]],
    headroom_kw: Mapping[str, float],
    kw_per_rack: float,
) -> list[tuple[Space, Status, date, Readiness]]:
    """The candidates, with each row's racks cut to the first that its headroom takes."""
    free: dict[str, int] = {}
    for s, *_ in candidates:
        if s.kind == "rack":
            row = s.id.rsplit("/", 1)[0]
            free[row] = free.get(row, 0) + 1
    room = {row: placeable(n, headroom_kw.get(row, 0.0), kw_per_rack) for row, n in free.items()}
    kept = []
    for c in candidates:
        if c[0].kind == "rack":
            row = c[0].id.rsplit("/", 1)[0]
            if room[row] <= 0:
                continue
            room[row] -= 1
        kept.append(c)
    return kept


def with_matches(matches: list[Match], day: date) -> Availability:
    """An answer made of ``matches`` (in their order), with its totals."""
    racks = [m for m in matches if m.space.kind == "rack"]
    return Availability(
        matches=matches,
        total_area_m2=sum(m.space.area_m2 for m in matches),
        racks=len(racks),
        racks_two_n=sum(1 for m in racks if m.two_n),
        blocks=len({m.block for m in matches}),
        day=day,
    )


def page(result: Availability, offset: int, limit: int) -> Availability:
    """The same result with only ``limit`` matches from ``offset`` (totals unchanged)."""
    return replace(result, matches=result.matches[offset : offset + limit])


def ids(matches: Iterable[Match]) -> list[str]:
    return [m.space.id for m in matches]
