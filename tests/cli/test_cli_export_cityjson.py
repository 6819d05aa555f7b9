"""`twin export --format cityjson`, run as a user runs it, reads back as the same campus."""

import json
import subprocess
import sys

from assets.dataset import load_campus
from assets.imports.cityjson import read
from assets.imports.diff import campus_diff
from assets.imports.merge import merge
from assets.imports.records import ReadOptions


def test_export_cityjson_writes_a_file_that_imports_as_a_no_op(tmp_path):
    target = tmp_path / "campus.city.json"
    done = subprocess.run(
        [sys.executable, "-m", "cli", "export", "--format", "cityjson", "-o", str(target)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "wrote" in done.stdout and "campus.city.json" in done.stdout
    document = json.loads(target.read_text(encoding="utf-8"))
    assert (document["type"], document["version"]) == ("CityJSON", "2.0")
    campus = load_campus()
    after = merge(campus, read(target, ReadOptions()))
    assert campus_diff(campus, after).is_empty
    assert after.buildings == campus.buildings
