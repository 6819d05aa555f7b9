"""Facilities and systems of the campus: the data centre (halls, rack rows, its 3,000-rack
quota, F6), its two external feeds and internal power distribution as a graph, cooling,
networks, the cross-border data service centre (F8) and the office building's systems (F7);
their statuses, metrics with units and ranges, readings, power analysis and alert rules.

Pure: no database, no web. Start with :func:`build_topology`; leasing's question "which racks
have 2N power?" is :func:`racks_with_2n`.
"""

from assets.facilities.catalog import build_topology
from assets.facilities.power import design_statuses, failure_impact, power_levels, racks_with_2n
from assets.facilities.reducers import REDUCERS
from assets.facilities.topology import FacilityNode, Topology

__all__ = [
    "REDUCERS",
    "FacilityNode",
    "Topology",
    "build_topology",
    "design_statuses",
    "failure_impact",
    "power_levels",
    "racks_with_2n",
]
