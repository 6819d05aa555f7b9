"""The campus's facilities and systems as one catalogue, with the data centre's power graph.

The dataset (``facilities.json``) names the published facilities: the data centre ``dc`` with
its 3,000-rack energy quota (F6), its two external feeds ``feed-a`` and ``feed-b`` (F6) and the
cross-border data service centre (F8). Everything inside them is schematic and derived here,
deterministically, so ids never change:

- ``dc/sub-a``, ``dc/ups-a`` (one substation and one UPS system per external feed) on the
  plant floor (the ground floor);
- halls ``dc/hall-1`` … two per upper floor, rows ``dc/hall-1/row-01`` … of 25 rack positions
  (3,000 in all), fed by the PDUs ``dc/hall-1/pdu-a`` and ``dc/hall-1/pdu-b``. The halls of the
  lower three quarters of the hall floors are 2N; those above hang on the first feed only
  (N), as the leasing layout (``occupancy.racks``) assumes. Each hall and row names its
  leasing ``space`` (``data-centre/H1``, ``data-centre/H1/R01``);
- chiller plants ``cooling-1`` (on substation A) and ``cooling-2`` (on B), the core network
  ``net-core`` (on both UPS systems) and the international links ``net-intl-1``/``-2``;
- the office building's systems ``office/power``, ``office/hvac`` … (F7).

Power flows along ``supplies`` (supplier -> consumers): feed -> substation -> UPS -> PDU -> row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from assets.facilities.kinds import Kind, MetricSpec, metrics_for


@dataclass(frozen=True)
class FacilityNode:
    """One facility or system. ``racks``: rack positions (rows; summed for halls and the
    data centre); ``capacity``: Gbit/s for networks; ``space``: the leasing space id."""

    id: str
    kind: Kind
    name_zh: str
    name_en: str
    parent: str | None = None
    building: str | None = None
    floor: str | None = None
    space: str | None = None
    racks: int = 0
    capacity: float = 0.0
    provenance: str = "schematic"
    facts: tuple[str, ...] = ()

    @cached_property
    def metrics(self) -> dict[str, MetricSpec]:
        """The metrics this facility reports, by name."""
        system = self.id.rsplit("/", 1)[-1]
        capacity = float(self.racks) if self.kind == "rack_row" else self.capacity
        return metrics_for(self.kind, system, capacity)


@dataclass(frozen=True)
class Topology:
    """Every facility by id (catalogue order) and the power graph between them."""

    facilities: Mapping[str, FacilityNode]
    supplies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @cached_property
    def suppliers(self) -> dict[str, tuple[str, ...]]:
        """Consumer -> the facilities that supply it power."""
        out: dict[str, list[str]] = {}
        for supplier, consumers in self.supplies.items():
            for consumer in consumers:
                out.setdefault(consumer, []).append(supplier)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def sources(self) -> tuple[str, ...]:
        """The external feeds: where power enters the graph."""
        return tuple(f.id for f in self.facilities.values() if f.kind == "power_feed")

    @cached_property
    def power_nodes(self) -> tuple[str, ...]:
        """Every facility in the power graph, catalogue order."""
        linked = set(self.supplies) | set(self.suppliers)
        return tuple(f for f in self.facilities if f in linked)

    def of_kind(self, *kinds: str) -> list[FacilityNode]:
        return [f for f in self.facilities.values() if f.kind in kinds]

    def children(self, facility_id: str) -> list[FacilityNode]:
        return [f for f in self.facilities.values() if f.parent == facility_id]

    def rows(self, hall_id: str) -> list[FacilityNode]:
        """The rack rows of a hall."""
        return [f for f in self.children(hall_id) if f.kind == "rack_row"]

    def upstream(self, ids: Iterable[str]) -> set[str]:
        """``ids`` and every facility that supplies them, directly or not."""
        seen: set[str] = set()
        todo = list(ids)
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(self.suppliers.get(node, ()))
        return seen
