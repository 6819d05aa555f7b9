"""`twin import` as a user runs it: a BIM model in, a dry run, the change over time in the API.

The IFC file is written by ifcopenshell's own API (tests/assets/ifc_factory.py, run as a
script); the twin is a real `twin serve` process on the database the import wrote.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from cli_runner import twin
from live_server import start_twin, stop_twin

from geometry.gltf import read_feature_ids

FACTORY = Path(__file__).parents[1] / "assets" / "ifc_factory.py"
EFFECTIVE = "2025-06-01"
BEFORE, AFTER = "2025-05-31", "2025-06-02"
NEW_UNIT = "fin-lab/L02/201"


@pytest.fixture(scope="module")
def ifc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ifc") / "fin-lab.ifc"
    subprocess.run([sys.executable, str(FACTORY), str(path)], check=True, timeout=120)
    return path


@pytest.fixture(scope="module")
def imported(ifc: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database into which the IFC building was imported, effective EFFECTIVE."""
    db = tmp_path_factory.mktemp("db") / "twin.db"
    done = twin("import", str(ifc), "--db", str(db), "--effective", EFFECTIVE)
    assert done.returncode == 0, done.stderr
    assert "recorded 1 geometry event" in done.stdout
    return db


def test_a_dry_run_prints_the_diff_and_writes_nothing(ifc: Path, tmp_path: Path) -> None:
    db = tmp_path / "twin.db"
    for _ in range(2):  # the second dry run sees the same campus: nothing was written
        done = twin("import", str(ifc), "--dry-run", "--db", str(db), "--effective", EFFECTIVE)
        assert done.returncode == 0, done.stderr
        assert "fin-lab" in done.stdout and "added" in done.stdout
        assert NEW_UNIT in done.stdout
        assert "recorded" not in done.stdout


def test_importing_the_same_file_again_changes_nothing(ifc: Path, imported: Path) -> None:
    done = twin("import", str(ifc), "--db", str(imported), "--effective", "2025-07-01")
    assert done.returncode == 0, done.stderr
    assert "no change" in done.stdout


def test_an_earlier_effective_date_is_refused(ifc: Path, imported: Path) -> None:
    done = twin("import", str(ifc), "--db", str(imported), "--effective", "2025-01-01")
    assert done.returncode == 1
    assert "cannot take effect earlier" in done.stderr


def test_a_broken_file_is_refused_naming_file_and_rule(tmp_path: Path) -> None:
    bad = tmp_path / "survey.geojson"
    bad.write_text('{"type": "Topology"}', encoding="utf-8")
    done = twin("import", str(bad), "--db", str(tmp_path / "t.db"), "--dry-run")
    assert done.returncode == 1
    assert "survey.geojson" in done.stderr and "rule:" in done.stderr
    unknown = tmp_path / "plan.dwg"
    unknown.write_bytes(b"AC1032")
    done = twin("import", str(unknown), "--db", str(tmp_path / "t.db"))
    assert done.returncode == 1 and "rule: format" in done.stderr


def test_the_api_shows_the_campus_as_built_at_each_date(imported: Path, tmp_path: Path) -> None:
    live = start_twin(tmp_path, "--db", str(imported))
    try:
        with httpx.Client(base_url=live.url, timeout=60) as client:
            before = client.get("/api/v1/scene.glb", params={"at": BEFORE})
            after = client.get("/api/v1/scene.glb", params={"at": AFTER})
            assert before.headers["etag"] != after.headers["etag"]
            assert NEW_UNIT not in read_feature_ids(before.content)
            assert NEW_UNIT in read_feature_ids(after.content)
            again = client.get(
                "/api/v1/scene.glb",
                params={"at": "2026-01-01"},
                headers={"If-None-Match": after.headers["etag"]},
            )
            assert again.status_code == 304  # same geometry version: nothing to download
            card = f"/api/v1/scene/features/{NEW_UNIT}"
            assert client.get(card, params={"at": BEFORE}).status_code == 404
            assert client.get(card, params={"at": AFTER}).json()["id"] == NEW_UNIT
            counts = [
                client.get("/api/v1/campus", params={"at": day}).json()["counts"]["buildings"]
                for day in (BEFORE, AFTER)
            ]
            assert counts == [21, 22]
            ogc = "/ogc/collections/units/items/" + NEW_UNIT
            assert client.get(ogc, params={"datetime": f"{BEFORE}T12:00:00Z"}).status_code == 404
            found = client.get(ogc, params={"datetime": f"{AFTER}T12:00:00Z"})
            assert found.status_code == 200 and found.json()["id"] == NEW_UNIT
            matched = [
                client.get(
                    "/ogc/collections/buildings/items",
                    params={"datetime": f"{day}T12:00:00Z", "limit": 1},
                ).json()["numberMatched"]
                for day in (BEFORE, AFTER)
            ]
            assert matched == [21, 22]
    finally:
        stop_twin(live)


@pytest.mark.parametrize("fmt, name", [("cityjson", "campus.city.json"), ("geojson", "c.geojson")])
def test_a_round_trip_of_the_whole_campus_is_no_change(fmt: str, name: str, tmp_path: Path) -> None:
    exported = tmp_path / name
    done = twin("export", "--format", fmt, "-o", str(exported))
    assert done.returncode == 0, done.stderr
    done = twin("import", str(exported), "--db", str(tmp_path / "t.db"))
    assert done.returncode == 0, done.stderr
    assert "no change" in done.stdout and "recorded" not in done.stdout
