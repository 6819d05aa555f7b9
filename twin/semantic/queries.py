"""SPARQL over the Brick model (:mod:`twin.semantic.brick`): questions an analytics tool asks
of the file alone."""

from __future__ import annotations

from rdflib import Graph, URIRef

from twin.semantic.brick import node

FACILITY = str(node("facility", ""))
ROWS_LOSING_POWER = """
PREFIX brick: <https://brickschema.org/schema/Brick#>
SELECT DISTINCT ?row WHERE {
    ?hall a brick:Server_Room ; brick:hasPart ?row .
    ?failed brick:feeds+ ?row .
    FILTER NOT EXISTS {
        ?source brick:feeds+ ?row .
        FILTER NOT EXISTS { ?anything brick:feeds ?source }
        FILTER (?source != ?failed)
    }
}
"""
"""Rack rows fed from the source ``?failed`` and from no other source of power (a node nothing
feeds). For an external feed this is what its failure cuts off: a path from another source
cannot pass through a source."""


def rows_losing_power(graph: Graph, failed_feed: str) -> set[str]:
    """Facility ids of the rack rows that lose power if the external feed ``failed_feed`` fails
    (everything else working)."""
    found = graph.query(ROWS_LOSING_POWER, initBindings={"failed": URIRef(FACILITY + failed_feed)})
    return {str(r[0]).removeprefix(FACILITY) for r in found}  # type: ignore[index]
