"""``python -m bench`` end to end on its quick settings: real processes, real report."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.runner import Section, missing
from bench.viewer import CHROMIUM

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_quick_run_of_scene_visibility_and_sensorthings_prints_and_writes_the_report(tmp_path):
    report = tmp_path / "performance.md"
    sections = "scene,visibility,sensorthings"
    command = ["-m", "bench", "--quick", "--only", sections, "--report", str(report)]
    done = subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for shown in ("draw calls", "pickable units", "visible p50 ms", "Targets"):
        assert shown in done.stdout
    text = report.read_text(encoding="utf-8")
    assert "**Quick run**" in text
    assert "| scene | Flying Fish GLB ≤ 5 MB | met |" in text
    assert "| scene | Flying Fish GLB ≤ 100 draw calls | met |" in text
    assert "| scene | unit-level picking in the Flying Fish GLB | met |" in text
    assert "| visibility | a write visible through another instance within 1 s |" in text
    assert "| scene | Flying Fish campus GLB | draw calls |" in text
    assert "### A write seen through another instance" in text
    assert "| sensorthings | Observations page of 100, c=1 | req/s |" in text
    assert "REST history (/api/v1/facilities/metrics)" in text
    assert "- Measured with: SQLite" in text
    assert "Not measured" not in text


def test_an_unknown_section_is_refused_and_a_missing_module_is_named(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--only", "scene,nope", "--no-report"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "unknown section nope; choose from scene, time_travel" in done.stderr
    assert missing(Section("not_written_yet", "Later")) == (
        "not_written_yet: bench/not_written_yet.py is not there (not written yet?)"
    )
    assert missing(Section("scene", "The 3D scene (GLB)")) is None


@pytest.mark.slow
def test_quick_run_of_the_viewer_measures_its_budget(tmp_path):
    if not Path(CHROMIUM).is_file():
        reason = "Chromium not installed: apt-get install chromium"
        if os.environ.get("TWIN_REQUIRE_BROWSER") == "1":  # CI: a skip would hide the budget
            pytest.fail(reason)
        pytest.skip(reason)
    report = tmp_path / "performance.md"
    command = ["-m", "bench", "--quick", "--only", "viewer", "--report", str(report)]
    done = subprocess.run(
        [sys.executable, *command], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr
    text = report.read_text(encoding="utf-8")
    for row in (
        "| viewer | viewer, desktop 1280×800, 4× CPU | first frame s |",
        "| viewer | viewer, desktop 1280×800, 4× CPU | orbit fps |",
        "| viewer | viewer, phone 390×844 (3× pixels, touch), 4× CPU | first view MB |",
        "| viewer | first view ≤ 1.5 MB compressed, desktop 1280×800 | met |",
        "| viewer | ≥ 30 fps while orbiting, desktop 1280×800, 4× CPU |",
    ):
        assert row in text
    assert "SwiftShader" in text
