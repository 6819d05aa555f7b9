"""The campus as CityJSON 2.0: valid for cjio and for the rules its validator (cjval) checks.

cjio's ``validate`` needs the ``cjvalpy`` module: its Linux wheels stop at CPython 3.10 and at
CityJSON 1.1 (0.2.x), later ones are macOS/Windows only, there is no sdist, and it is Rust
(crates cannot be fetched here). So the export is checked against what cjval checks (schema
rules for our object and geometry types, parent/child consistency, vertex indices, semantics
arrays, duplicate and unused vertices, root properties), plus closed, outward-oriented solids;
cjio itself must parse it (``info``) and find nothing to clean (``vertices_clean``).
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from assets.cityjson import campus_cityjson

ROOT_PROPERTIES = {"type", "version", "extensions", "transform", "metadata", "CityObjects"}
ROOT_PROPERTIES |= {"vertices", "appearance", "geometry-templates"}
FIRST_LEVEL = {"LandUse", "Building"}
SECOND_LEVEL = {"BuildingStorey", "BuildingUnit"}
GEOMETRY_TYPES = {
    "LandUse": {"MultiSurface", "CompositeSurface"},
    "Building": {"MultiSurface", "Solid", "CompositeSolid"},
    "BuildingStorey": {"Solid", "CompositeSolid", "MultiSurface", "CompositeSurface"},
    "BuildingUnit": {"Solid", "CompositeSolid", "MultiSurface", "CompositeSurface"},
}
LODS = {"0", "0.0", "0.1", "0.2", "0.3", "1", "1.0", "1.1", "1.2", "1.3", "2", "2.0", "2.1"}
BUILDING_SEMANTICS = {"RoofSurface", "GroundSurface", "WallSurface", "ClosureSurface"}
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


def test_objects_geometries_and_links_keep_the_rules_cjval_checks(document):
    objects, count = document["CityObjects"], len(document["vertices"])
    used: set[int] = set()
    for key, obj in objects.items():
        kind = obj["type"]
        assert kind in FIRST_LEVEL | SECOND_LEVEL, key
        assert ("parents" in obj) == (kind in SECOND_LEVEL), key
        for parent in obj.get("parents", []):
            assert key in objects[parent]["children"], key
        for child in obj.get("children", []):
            assert key in objects[child]["parents"], key
        for geometry in obj["geometry"]:
            assert geometry["type"] in GEOMETRY_TYPES[kind], key
            assert geometry["lod"] in LODS, key
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
                assert {s["type"] for s in semantics["surfaces"]} <= BUILDING_SEMANTICS
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
