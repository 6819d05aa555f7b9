"""The campus as CityJSON 2.0: valid for cjio and for everything its validator (cjval) checks.

``cjio validate`` needs the ``cjvalpy`` module, which has no Linux wheel for CityJSON 2.0 (see
``cityjson_schema``). So the export is validated against the official 2.0.0 schema that cjval
compiles in, and checked for the rules cjval adds to the schema (parent/child consistency,
vertex indices, semantics arrays, duplicate and unused vertices, root properties), plus closed,
outward-oriented solids; cjio itself must parse it (``info``) and find nothing to clean.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from cityjson_schema import cityjson_schema

from assets.cityjson import campus_cityjson

ROOT_PROPERTIES = {"type", "version", "extensions", "transform", "metadata", "CityObjects"}
ROOT_PROPERTIES |= {"vertices", "appearance", "geometry-templates"}
CJIO = Path(sys.executable).with_name("cjio")
"""The cjio command installed with the dev dependencies, run as a user runs it."""


@pytest.fixture(scope="module")
def document(campus) -> dict[str, Any]:
    return campus_cityjson(campus)


@pytest.fixture(scope="module")
def exported(document, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cityjson") / "campus.city.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def cjio(*args: str) -> str:
    done = subprocess.run(
        [str(CJIO), *args], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def test_header_names_the_version_the_crs_and_centimetre_vertices(document):
    assert document["type"] == "CityJSON" and document["version"] == "2.0"
    assert set(document) <= ROOT_PROPERTIES
    assert document["transform"]["scale"] == [0.01, 0.01, 0.01]
    metadata = document["metadata"]
    assert metadata["referenceSystem"] == "https://www.opengis.net/def/crs/EPSG/0/32651"
    assert "Flying Fish" in metadata["title"] or "Park" in metadata["title"]
    minx, miny, minz, maxx, maxy, maxz = metadata["geographicalExtent"]
    assert maxx - minx > 3_000 and maxy - miny > 2_000  # the ~7 km² park (F3)
    assert (minz, maxz) == (0.0, 210.0)  # the fish head's 50-storey towers, 4.2 m storeys
    assert all(isinstance(c, int) for v in document["vertices"] for c in v)


def test_every_campus_entity_is_a_city_object_under_its_own_id(document, campus):
    objects = document["CityObjects"]
    types = Counter(o["type"] for o in objects.values())
    assert types == {
        "LandUse": len(campus.zones) + len(campus.parcels),
        "Building": len(campus.buildings),
        "BuildingStorey": len(campus.all_floors()),
        "BuildingUnit": len(campus.units()),
    }
    tower = objects["fish-head-t1"]
    assert tower["attributes"]["storeys"] == 50 and tower["attributes"]["measuredHeight"] == 210.0
    assert tower["attributes"]["name"] == {"zh": "鱼头1号塔楼", "en": "Fish head tower 1"}
    unit = objects["fish-head-t1/L12/U03"]
    assert (
        unit["parents"] == ["fish-head-t1"] and unit["attributes"]["storey"] == "fish-head-t1/L12"
    )
    assert unit["attributes"]["derived"] is True  # cut from the building's layout
    assert objects["fish"]["attributes"]["entity"] == "zone"
    assert objects["fish-head"]["attributes"]["entity"] == "parcel"
    centre = objects["data-centre"]["attributes"]
    assert {f["id"] for f in centre["facilities"]} == {"dc", "feed-a", "feed-b"}
    assert centre["layout"] is None  # no leasable units, said explicitly


@pytest.fixture(scope="module")
def schema_validator():
    return jsonschema_rs.validator_for(cityjson_schema())


def test_the_official_cityjson_2_0_schema_finds_no_error(document, schema_validator):
    errors = [
        f"{list(e.instance_path)}: {e.message[:200]}"
        for e in schema_validator.iter_errors(document)
    ]
    assert errors == []


def test_the_schema_check_refuses_what_cjval_refuses(document, schema_validator):
    broken = json.loads(json.dumps(document))
    broken["CityObjects"]["fish-head-t1"]["type"] = "Skyscraper"
    broken["CityObjects"]["fish-head-t2"]["geometry"][0]["lod"] = 1  # a number, not a string
    broken["CityObjects"]["fish-head-t3"]["geometry"][0]["boundaries"] = [[[0, 1, 2]]]
    paths = {tuple(e.instance_path)[:2] for e in schema_validator.iter_errors(broken)}
    assert {("CityObjects", f"fish-head-t{n}") for n in (1, 2, 3)} <= paths


def test_links_vertices_and_semantics_keep_the_rules_cjval_adds_to_the_schema(document):
    objects, count = document["CityObjects"], len(document["vertices"])
    used: set[int] = set()
    for key, obj in objects.items():
        for parent in obj.get("parents", []):
            assert key in objects[parent]["children"], key
        for child in obj.get("children", []):
            assert key in objects[child]["parents"], key
        for geometry in obj["geometry"]:
            shells = (
                geometry["boundaries"] if geometry["type"] == "Solid" else [geometry["boundaries"]]
            )
            for shell in shells:
                for surface in shell:
                    for ring in surface:
                        assert len(ring) >= 3 and len(set(ring)) == len(ring), key
                        assert all(0 <= i < count for i in ring), key
                        used.update(ring)
            if "semantics" in geometry:
                semantics = geometry["semantics"]
                assert [len(v) for v in semantics["values"]] == [len(s) for s in shells], key
                assert all(
                    0 <= i < len(semantics["surfaces"]) for v in semantics["values"] for i in v
                )
    assert used == set(range(count)), "unused vertices"
    assert len({tuple(v) for v in document["vertices"]}) == count, "duplicate vertices"


def _volume_and_open_edges(
    shell: list[list[list[int]]], points: list[list[float]]
) -> tuple[float, int]:
    """Signed volume (m³, > 0 when faces point out) and edges not matched by a reverse edge."""
    volume, edges = 0.0, Counter[tuple[int, int]]()
    for surface in shell:
        for ring in surface:
            for a, b in zip(ring, [*ring[1:], ring[0]], strict=True):
                edges[(a, b)] += 1
            origin = points[ring[0]]
            for b, c in itertools.pairwise(ring[1:]):
                (x1, y1, z1), (x2, y2, z2), (x3, y3, z3) = origin, points[b], points[c]
                volume += (
                    x1 * (y2 * z3 - z2 * y3) - y1 * (x2 * z3 - z2 * x3) + z1 * (x2 * y3 - y2 * x3)
                ) / 6
    unmatched = sum(1 for (a, b), n in edges.items() if n != 1 or edges.get((b, a)) != 1)
    return volume, unmatched


def test_solids_are_closed_with_outward_faces_and_the_right_volume(document, campus):
    scale = document["transform"]["scale"]  # volumes do not depend on the translation
    points = [[c * s for c, s in zip(v, scale, strict=True)] for v in document["vertices"]]
    objects = document["CityObjects"]
    for key, obj in objects.items():
        for geometry in obj["geometry"]:
            if geometry["type"] != "Solid":
                continue
            volume, unmatched = _volume_and_open_edges(geometry["boundaries"][0], points)
            assert unmatched == 0, f"{key}: shell not closed and consistently oriented"
            assert volume > 0, f"{key}: faces point inwards"
            if obj["type"] == "Building":
                expected = campus.footprints[key].area * campus.height_m(key)
                assert volume == pytest.approx(expected, rel=1e-4), key


def test_cjio_reads_it_and_finds_no_vertex_to_clean(exported, document, tmp_path):
    info = cjio(str(exported), "info", "--long")
    assert "CityJSON version = 2.0" in info and "EPSG = 32651" in info
    assert "BuildingUnit (3622)" in info and "Building (21)" in info
    assert "LoD = ['0', '1']" in info
    cleaned = tmp_path / "cleaned.city.json"
    cjio(str(exported), "vertices_clean", "save", str(cleaned))
    assert len(json.loads(cleaned.read_text(encoding="utf-8"))["vertices"]) == len(
        document["vertices"]
    )
