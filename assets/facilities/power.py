"""Power analysis of the data centre's graph: who is fed, with or without redundancy.

A facility carries power when its status is ``operational`` or ``degraded``. A consumer is

- ``2N`` when power reaches it and no single other facility's failure would cut it off;
- ``N`` when power reaches it but some single facility is a single point of failure;
- ``none`` when no power reaches it.

Found by search, not by rules about sides: power is propagated from every live feed through
live facilities (breadth first), then again with each facility that feeds others removed in
turn; a consumer lost when one facility is removed depends on that facility alone.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from assets.facilities.kinds import CARRYING
from assets.facilities.topology import Topology

Level = Literal["2N", "N", "none"]
LEVELS: tuple[Level, ...] = ("none", "N", "2N")
"""From worst to best."""


def powered(
    topology: Topology, statuses: Mapping[str, str], removed: Collection[str] = ()
) -> set[str]:
    """Facilities that power reaches from a live feed through live facilities.

    ``statuses`` maps facility id -> status (missing: not carrying); ``removed`` are taken
    out as if failed.
    """

    def live(node: str) -> bool:
        return statuses.get(node) in CARRYING and node not in removed

    reached = {feed for feed in topology.sources if live(feed)}
    todo = deque(reached)
    while todo:
        node = todo.popleft()
        for consumer in topology.supplies.get(node, ()):
            if consumer not in reached and live(consumer):
                reached.add(consumer)
                todo.append(consumer)
    return reached


def power_levels(topology: Topology, statuses: Mapping[str, str]) -> dict[str, Level]:
    """The power level of every consumer in the graph (feeds themselves are left out)."""
    base = powered(topology, statuses)
    feeds = set(topology.sources)
    levels: dict[str, Level] = {
        n: ("2N" if n in base else "none") for n in topology.power_nodes if n not in feeds
    }
    for node in base:
        if not topology.supplies.get(node):
            continue  # a leaf's failure only takes itself
        for lost in base - powered(topology, statuses, {node}):
            if lost != node and lost in levels:
                levels[lost] = "N"
    return levels


def worst_level(levels: Iterable[Level]) -> Level:
    """The worst of several levels (``none`` for none)."""
    found = list(levels)
    return min(found, key=LEVELS.index) if found else "none"


def hall_levels(topology: Topology, levels: Mapping[str, Level]) -> dict[str, Level]:
    """Each hall's level: that of its worst-fed row."""
    return {
        hall.id: worst_level(levels.get(row.id, "none") for row in topology.rows(hall.id))
        for hall in topology.of_kind("hall")
    }


def design_statuses(topology: Topology) -> dict[str, str]:
    """Every facility ``operational``: the design's redundancy."""
    return dict.fromkeys(topology.facilities, "operational")


def racks_with_2n(topology: Topology, statuses: Mapping[str, str]) -> set[str]:
    """Ids of the rack rows fed 2N under ``statuses``, and of the halls all of whose rows are.

    This is what leasing offers as "racks with 2N power available": map ids to leasing
    spaces with ``topology.facilities[id].space`` (``dc/hall-1/row-03`` ->
    ``data-centre/H1/R03``). Pass :func:`design_statuses` for the design's answer.
    """
    levels = power_levels(topology, statuses)
    rows = {r.id for r in topology.of_kind("rack_row") if levels.get(r.id) == "2N"}
    halls = {
        h.id
        for h in topology.of_kind("hall")
        if topology.rows(h.id) and all(r.id in rows for r in topology.rows(h.id))
    }
    return rows | halls


@dataclass(frozen=True)
class HallImpact:
    """What a failure does to one hall: levels before and after, rows and racks affected."""

    hall: str
    design: Level
    before: Level
    after: Level
    rows_lost_redundancy: tuple[str, ...]
    rows_lost_power: tuple[str, ...]
    racks_lost_redundancy: int
    racks_lost_power: int


@dataclass(frozen=True)
class Impact:
    """The answer to "what if ``failed`` fail?" under some statuses."""

    failed: tuple[str, ...]
    halls: tuple[HallImpact, ...]
    others: tuple[tuple[str, Level, Level], ...]
    """Other consumers whose level changes: (id, before, after)."""

    @property
    def halls_losing_redundancy(self) -> list[str]:
        return [h.hall for h in self.halls if h.rows_lost_redundancy]

    @property
    def halls_losing_power(self) -> list[str]:
        return [h.hall for h in self.halls if h.rows_lost_power]

    @property
    def racks_losing_redundancy(self) -> int:
        return sum(h.racks_lost_redundancy for h in self.halls)

    @property
    def racks_losing_power(self) -> int:
        return sum(h.racks_lost_power for h in self.halls)


def failure_impact(
    topology: Topology, statuses: Mapping[str, str], failed: Iterable[str]
) -> Impact:
    """Which halls, rows and racks lose redundancy (2N -> N) or power if ``failed`` fail."""
    gone = tuple(dict.fromkeys(failed))
    before = power_levels(topology, statuses)
    after = power_levels(topology, {**statuses, **dict.fromkeys(gone, "fault")})
    design = hall_levels(topology, power_levels(topology, design_statuses(topology)))
    h_before, h_after = hall_levels(topology, before), hall_levels(topology, after)
    halls = []
    for hall in topology.of_kind("hall"):
        rows = topology.rows(hall.id)
        redundancy = [r for r in rows if before.get(r.id) == "2N" and after.get(r.id) == "N"]
        power = [r for r in rows if before.get(r.id) != "none" and after.get(r.id) == "none"]
        halls.append(
            HallImpact(
                hall.id,
                design[hall.id],
                h_before[hall.id],
                h_after[hall.id],
                tuple(r.id for r in redundancy),
                tuple(r.id for r in power),
                sum(r.racks for r in redundancy),
                sum(r.racks for r in power),
            )
        )
    row_ids = {r.id for r in topology.of_kind("rack_row")}
    others = tuple(
        (node, before[node], after[node])
        for node in before
        if node not in row_ids and before[node] != after[node]
    )
    return Impact(gone, tuple(halls), others)
