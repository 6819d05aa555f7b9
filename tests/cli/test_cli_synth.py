"""``twin synth`` run as a user runs it: a dataset that loads, serves and says what is wrong."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from cli_runner import twin
from live_server import start_twin, stop_twin

from assets.dataset import FILES, load_campus
from assets.synthetic import buildings_for_units
from geometry.crs import utm_to_lonlat


def test_synth_writes_a_dataset_that_loads_with_every_invariant(tmp_path):
    out = tmp_path / "campus"
    done = twin("synth", "--buildings", "6", "-o", str(out), "--seed", "3")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    campus = load_campus(out)
    assert len(campus.buildings) == 7  # six office or mixed buildings and the data centre
    units = len(campus.units())
    assert f"wrote {out}: 6 buildings and a data centre, {units:,} units" in done.stdout
    assert "Validating" in done.stdout  # the progress shown on the way


def test_the_same_seed_writes_the_same_bytes(tmp_path):
    for name in ("a", "b"):
        done = twin("synth", "--buildings", "25", "-o", str(tmp_path / name), "--seed", "11")
        assert done.returncode == 0, done.stderr
    for file in FILES:
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()


def test_units_picks_the_fewest_buildings_with_that_many_units(tmp_path):
    out = tmp_path / "campus"
    done = twin("synth", "--units", "3000", "-o", str(out))
    assert done.returncode == 0, done.stderr
    campus = load_campus(out)
    assert len(campus.units()) >= 3000
    assert len(campus.buildings) == buildings_for_units(3000) + 1


def _whole_campus_bbox(out: Path) -> str:
    campus = load_campus(out)
    minx, miny, maxx, maxy = campus.zone_polygons["park"].bounds
    west, south = utm_to_lonlat(minx, miny)
    east, north = utm_to_lonlat(maxx, maxy)
    return f"{west},{south},{east},{north}"


def test_twin_serve_answers_on_a_synthetic_campus(tmp_path):
    out = tmp_path / "campus"
    assert twin("synth", "--buildings", "8", "-o", str(out)).returncode == 0
    live = start_twin(tmp_path, "--data", str(out), "--db", str(tmp_path / "twin.db"))
    try:
        get = httpx.Client(base_url=live.url, timeout=60).get
        search = get("/api/v1/leasing/availability", params={"building": "bldg-00001"})
        assert search.status_code == 200, search.text
        assert search.json()["total"] == len(load_campus(out).units("bldg-00001"))
        racks = get("/api/v1/leasing/availability", params={"kind": "rack", "two_n": "true"})
        assert racks.status_code == 200 and racks.json()["racks_two_n"] > 0
        bbox = _whole_campus_bbox(out)
        for collection in ("zones", "parcels", "buildings", "floors", "units", "facilities"):
            page = get(f"/ogc/collections/{collection}/items", params={"bbox": bbox, "limit": 5})
            assert page.status_code == 200, page.text
            assert page.json()["numberReturned"] > 0, collection
        glb = get("/api/v1/scene.glb")
        assert glb.status_code == 200 and glb.content[:4] == b"glTF"
        assert b"bldg-00008/L01/U01" in glb.content  # units are features of the scene
        # no Flying Fish history, milestones or points of interest in a campus without its facts
        assert get("/api/v1/events").json()["events"] == []
        assert get("/api/v1/construction/milestones").json()["milestones"] == []
        assert get("/api/v1/pois").json()["pois"] == []
    finally:
        stop_twin(live)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--buildings", "0"], "buildings must be a whole number from 1 to 50,000, got 0"),
        (["--buildings", "50001"], "buildings must be a whole number from 1 to 50,000"),
        (["--units", "0"], "units must be a whole number from 1"),
        ([], "give either --buildings N or --units U"),
        (["--buildings", "3", "--units", "300"], "give either --buildings N or --units U"),
    ],
    ids=["zero", "too-many", "zero-units", "neither", "both"],
)
def test_a_bad_count_is_refused_and_nothing_is_written(tmp_path, args, message):
    out = tmp_path / "campus"
    done = twin("synth", *args, "-o", str(out))
    assert done.returncode == 1
    assert done.stderr.startswith("error:") and message in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_an_existing_non_empty_directory_is_refused_and_left_as_it_was(tmp_path):
    out = tmp_path / "campus"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    done = twin("synth", "--buildings", "3", "-o", str(out))
    assert done.returncode == 1
    assert f"error: {out} is not empty" in done.stderr
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("where", ["a-file", "under-a-file"])
def test_an_unwritable_output_is_refused(tmp_path, where):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a directory", encoding="utf-8")
    out = blocker if where == "a-file" else blocker / "campus"
    done = twin("synth", "--buildings", "3", "-o", str(out))
    assert done.returncode == 1
    expected = "it is a file, not a directory" if where == "a-file" else "is not a writable"
    assert expected in done.stderr and "Traceback" not in done.stderr
    assert blocker.read_text(encoding="utf-8") == "a file, not a directory"


def test_an_empty_existing_directory_is_used(tmp_path):
    out = tmp_path / "campus"
    out.mkdir()
    done = twin("synth", "--buildings", "2", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert len(load_campus(out).buildings) == 3
