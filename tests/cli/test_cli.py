"""The `twin` command line, run as a user runs it (a real process)."""

import json

import pytest
from cli_runner import twin


def test_info_shows_the_published_totals():
    done = twin("info")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "6.95" in out and "3.20" in out  # park and core, km²
    assert "750,00" in out and "400,000" in out  # fish complex and head GFA, m²
    assert "fish-head-t1" in out and "office-building" in out
    assert "21 buildings" in out and "3,622 units" in out


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "glb"])
def test_export_writes_each_format(fmt, tmp_path):
    target = tmp_path / f"campus.{fmt}"
    done = twin("export", "--format", fmt, "-o", str(target))
    assert done.returncode == 0, done.stderr
    data = target.read_bytes()
    if fmt == "geojson":
        assert json.loads(data)["type"] == "FeatureCollection"
    elif fmt == "gpkg":
        assert data[:16] == b"SQLite format 3\x00"
    else:
        assert data[:4] == b"glTF"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "--format", "shp", "-o", "x.shp"], "'shp' is not one of"),
        (
            ["export", "--format", "glb", "-o", "/no/such/dir/x.glb"],
            "directory /no/such/dir does not exist",
        ),
        (["info", "--data", "/no/such/dataset"], "not a dataset directory"),
        (["render", "-o", "campus.jpg"], "must be a .png file"),
    ],
    ids=["bad-format", "bad-path", "bad-dataset", "bad-render-suffix"],
)
def test_bad_input_exits_non_zero_with_one_line_and_no_traceback(args, message, tmp_path):
    done = twin(*args, cwd=tmp_path)
    assert done.returncode != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert len([line for line in done.stderr.splitlines() if line.strip()]) <= 3


def test_broken_dataset_names_file_entity_and_rule(tmp_path):
    import shutil

    from assets.dataset import EMBEDDED

    shutil.copytree(EMBEDDED, tmp_path / "d")
    path = tmp_path / "d" / "buildings.json"
    content = json.loads(path.read_text())
    content["buildings"][1]["footprint"] = content["buildings"][0]["footprint"]
    path.write_text(json.dumps(content))
    done = twin("info", "--data", str(tmp_path / "d"))
    assert done.returncode == 1
    assert "buildings.json: fish-head-t2: footprint overlaps fish-head-t1" in done.stderr
    assert "(rule: overlap)" in done.stderr and "Traceback" not in done.stderr


def test_history_backup_and_restore_round_trip(tmp_path):
    db, copy = tmp_path / "twin.db", tmp_path / "copy.db"
    shown = twin("history", "--stream", "building:office-building", "--db", str(db))
    assert shown.returncode == 0, shown.stderr
    assert "StageStarted" in shown.stdout and "fit_out" in shown.stdout
    made = twin("backup", str(tmp_path / "log"), "--db", str(db))
    assert made.returncode == 0 and "full backup 1 in" in made.stdout, made.stderr
    restored = twin("restore", str(tmp_path / "log"), "--db", str(copy))
    assert restored.returncode == 0, restored.stderr
    assert twin("backup", str(tmp_path / "again"), "--db", str(copy)).returncode == 0
    original, again = (
        {p.relative_to(tmp_path / n): p.read_bytes() for p in (tmp_path / n).rglob("*.gz")}
        for n in ("log", "again")
    )
    assert len(original) >= 2 and original == again  # the same rows make the same bytes
    unchanged = twin("backup", str(tmp_path / "log"), "--db", str(db))
    assert "incremental backup 2 in" in unchanged.stdout and "wrote 0 of" in unchanged.stdout
    on_file = twin("backup", str(tmp_path / "log" / "manifest.json"), "--db", str(db))
    assert on_file.returncode == 1 and "it is a file; a backup is a directory" in on_file.stderr
    refused = twin("restore", str(tmp_path / "log"), "--db", str(copy))
    assert refused.returncode == 1 and "restore only into an empty database" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert twin("db", "upgrade", "--db", str(copy)).returncode == 0
