"""`twin export --format brick`: the Brick validator (brickschema's SHACL) finds no violation,
and a SPARQL query over the file answers which rack rows lose power if feed A fails exactly as
the redundancy search does."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import brickschema
import pytest
from cli_runner import twin
from rdflib import RDF, Graph, Namespace, URIRef

from twin.facilities import queries
from twin.runtime import Twin
from twin.semantic.queries import rows_losing_power
from twin.settings import Settings

BRICK = Namespace("https://brickschema.org/schema/Brick#")
REF = Namespace("https://brickschema.org/schema/Brick/ref#")
QUDT = Namespace("http://qudt.org/schema/qudt/")
SH = Namespace("http://www.w3.org/ns/shacl#")


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    workdir = tmp_path_factory.mktemp("brick")
    target = workdir / "campus.ttl"
    done = twin("export", "--format", "brick", "-o", str(target), cwd=workdir)
    assert done.returncode == 0, done.stderr
    return target


@pytest.fixture(scope="module")
def campus_twin(exported) -> Twin:
    """The twin the file was exported from (the same database)."""
    return Twin(Settings.from_env(db=f"sqlite:///{exported.parent / 'twin.db'}"))


@pytest.fixture(scope="module")
def graph(exported) -> Graph:
    return Graph().parse(exported, format="turtle")


def qudt_kinds(brick: Graph) -> Graph:
    """QUDT's typing of the quantity kinds Brick names (QUDT itself is not bundled)."""
    kinds = Graph()
    for o in set(brick.objects()):
        if isinstance(o, URIRef) and str(o).startswith("http://qudt.org/vocab/quantitykind/"):
            kinds.add((o, RDF.type, QUDT.QuantityKind))
    return kinds


def test_brick_validator_finds_no_violation(exported):
    model = brickschema.Graph(load_brick=True)
    model.load_file(str(exported))
    conforms, results, text = model.validate(extra_graphs=[qudt_kinds(model)])
    violations = list(results.subjects(SH.resultSeverity, SH.Violation))
    assert conforms and violations == [], text[:3000]


def test_every_metric_is_a_point_with_its_datastream(graph, campus_twin):
    topology = campus_twin.facilities.topology
    expected = {f"{n.id}:{m}" for n in topology.facilities.values() for m in n.metrics}
    found = {}
    for point, ref in graph.subject_objects(REF.hasExternalReference):
        assert (ref, RDF.type, REF.TimeseriesReference) in graph
        assert any(graph.subjects(BRICK.hasPoint, point))
        found[str(graph.value(ref, REF.hasTimeseriesId))] = str(graph.value(ref, REF.storedAt))
    assert set(found) == expected
    stored = found["dc/hall-1:supply_temp_c"]
    assert stored == "http://127.0.0.1:8000/sta/v1.1/Datastreams('dc/hall-1:supply_temp_c')"


@pytest.mark.parametrize("failed", ["feed-a", "feed-b"])
def test_sparql_answers_what_a_failure_cuts_off_as_the_redundancy_search(
    graph, campus_twin, failed
):
    now = datetime.now(UTC)
    impact = queries.redundancy(campus_twin.facilities, [failed], now, "design")
    lost = {row for hall in impact.halls for row in hall.rows_lost_power}
    assert rows_losing_power(graph, failed) == lost
    if failed == "feed-a":
        assert lost  # the halls on one feed (N) go dark
